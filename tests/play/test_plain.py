"""Line mode: scripted replays, typed input, undo, end of input, no escape codes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from exilegame import engine
from exilegame._files import shipped_scenes
from exilegame.format.load import load_story

WriteStory = Callable[..., Path]


def play(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exilegame", "--plain", "--width", "78", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_scripted_run_prints_transcript_to_the_end(write_story: WriteStory) -> None:
    folder = str(write_story())
    result = play("--scenes", folder, "--role", "guard", "--seed", "3", "--choices", "2,1,1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Test story. Playing as The guard; seed 3." in out
    assert "--- 12 February 1929, The House ---" in out
    assert "> 2\n" in out and "You kept the gate shut." in out
    assert "=== End of One ===\n\nWhat really happened:\nIt happened so." in out
    assert "1. Go on: Two" in out
    assert "=== Plain ===" in out and "The Host: Lived long." in out
    assert out.rstrip().endswith("The end.")
    assert "\x1b" not in out


def test_note_and_source_follow_a_choice(write_story: WriteStory) -> None:
    result = play("--scenes", str(write_story()), "--role", "clerk", "--choices", "1")
    assert (
        "What really happened: The gate was opened. (Source: A. Author, A Book (1999).)"
        in result.stdout
    )


def test_typed_input_undo_and_bad_answers(write_story: WriteStory) -> None:
    result = play(
        "--scenes", str(write_story()), "--role", "guard", stdin="9\nfly\nu\n1\nu\n2\nq\n"
    )
    out = result.stdout
    assert result.returncode == 0
    assert "there is no choice 9; choose 1 to 2" in out
    assert "the scene one.gate has no choice 'fly'" in out
    assert "Nothing to undo: this is the start." in out
    assert out.count("(Undone.)") == 1
    assert "You kept the gate shut." in out
    assert out.rstrip().endswith("Goodbye.")


def test_role_is_asked_when_not_given_and_eof_ends_cleanly(write_story: WriteStory) -> None:
    result = play("--scenes", str(write_story()), stdin="2\n")
    assert result.returncode == 0
    assert "1. The guard: Watches the gate." in result.stdout
    assert "Playing as The clerk" in result.stdout
    assert result.stdout.rstrip().endswith("Goodbye.")
    assert play("--scenes", str(write_story()), stdin="").returncode == 0


def test_unknown_role_is_a_clear_error(write_story: WriteStory) -> None:
    result = play("--scenes", str(write_story()), "--role", "cook")
    assert result.returncode == 2
    assert "there is no role 'cook'; the roles are: guard, clerk" in result.stderr


def test_shipped_story_plays_to_its_end_for_both_roles() -> None:
    story = load_story(shipped_scenes())
    for role in ("secretary", "bodyguard"):
        state = engine.start(story, role, 1)
        numbers = []
        while options := [o for o in engine.choices(story, state) if o.enabled]:
            numbers.append(options[0].number)  # the first choice that can be taken
            state = engine.choose(story, state, options[0].id)
        result = play("--role", role, "--seed", "1", "--choices", ",".join(map(str, numbers)))
        assert result.returncode == 0, result.stderr
        assert "=== End of Prinkipo" in result.stdout or "=== End of" in result.stdout
        assert engine.ending(story, state).title in result.stdout
        assert result.stdout.rstrip().endswith("The end.")


def test_line_mode_autosaves_and_records_explored_paths(
    write_story: WriteStory, private_data_dir: Path
) -> None:
    import json

    folder = write_story()
    story = load_story(folder)
    result = play("--scenes", str(folder), "--role", "guard", "--seed", "3", stdin="2\nq\n")
    assert result.returncode == 0, result.stderr
    saved = json.loads((private_data_dir / "saves" / story.id / "autosave.json").read_text())
    assert saved["role"] == "guard" and saved["seed"] == 3
    assert len(saved["trail"]) == 1
    explored = json.loads((private_data_dir / "explored" / f"{story.id}.json").read_text())
    assert explored["runs"] == 1
    assert saved["trail"][0] in explored["choices"]


def test_the_outcome_lists_each_choice_with_its_note(write_story: WriteStory) -> None:
    result = play(
        "--scenes", str(write_story()), "--role", "guard", "--seed", "3", "--choices", "1,1,1"
    )
    out = result.stdout.split("=== End of One ===", 1)[1]
    assert "Your choices in this part:\n- Open the gate\n  The gate was opened.\n" in out
    out = result.stdout.split("=== End of Two ===", 1)[1]
    assert "- Walk on (invented for the game)\n" in out
