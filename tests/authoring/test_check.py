"""`exilegame check`: warnings beyond loading, and its exit statuses."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from exilegame._files import shipped_scenes
from exilegame.authoring.check import run_check
from story_texts import MANIFEST, PHASE_ONE

WriteStory = Callable[..., Path]


def warnings_of(folder: Path) -> list[str]:
    story, problems = run_check(folder)
    assert story is not None, [p.format() for p in problems]
    return [f"{p.path.name}:{p.line}: {p.message}" for p in problems if p.severity == "warning"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exilegame", "check", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_clean_story_has_no_warnings(write_story: WriteStory) -> None:
    assert warnings_of(write_story()) == []


def test_unreachable_scene(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace(
        "outcome:", "  attic:\n    date: 1929\n    place: house\n    text: Dust.\noutcome:"
    )
    assert warnings_of(write_story(one_yaml=text)) == [
        "one.yaml:29: the scene 'attic' can never be reached"
    ]


def test_possible_dead_end(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace(
        "      - text: Open the gate\n", "      - text: Open the gate\n        if: trust > 0\n"
    )
    assert warnings_of(write_story(one_yaml=text)) == [
        "one.yaml:5: every choice of 'gate' has an `if:` for clerk; if none holds the player "
        "is stuck"
    ]
    text = text.replace('if: role == "guard"', "if: warned")
    assert warnings_of(write_story("b", one_yaml=text)) == [
        "one.yaml:5: every choice of 'gate' has an `if:`; if none holds the player is stuck"
    ]


def test_show_locked_without_a_condition(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace(
        "      - text: Open the gate\n", "      - text: Open the gate\n        show_locked: true\n"
    )
    assert warnings_of(write_story(one_yaml=text)) == [
        "one.yaml:12: the choice 'Open the gate' has `show_locked: true` but no `if:`, "
        "so it is never locked"
    ]


def test_role_split_covering_every_role_is_not_a_dead_end(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace(
        "      - text: Open the gate\n",
        '      - text: Open the gate\n        if: role != "guard"\n',
    )
    assert warnings_of(write_story(one_yaml=text)) == []
    text = PHASE_ONE.replace(
        "      - text: Open the gate\n",
        '      - text: Open the gate\n        if: role == "guard"\n',
    )
    assert warnings_of(write_story("b", one_yaml=text)) == [
        "one.yaml:5: every choice of 'gate' has an `if:` for clerk; if none holds the player "
        "is stuck"
    ]


def test_unused_and_write_only_variables(write_story: WriteStory) -> None:
    manifest = MANIFEST.replace("  warned: false\n", "  warned: false\n  unused: 3\n  written: 0\n")
    text = PHASE_ONE.replace("do: trust += 1", "do: trust += 1; written += 1")
    assert warnings_of(write_story(story_yaml=manifest, one_yaml=text)) == [
        "story.yaml:9: the variable 'unused' is declared but never used",
        "story.yaml:10: the variable 'written' is set but never read, so it changes nothing",
    ]


def test_choice_without_note_or_source(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace("        note: The gate was opened.\n", "").replace(
        "        documented: false\n", ""
    )
    assert warnings_of(write_story(one_yaml=text)) == [
        "one.yaml:12: the choice 'Open the gate' has no note",
        "one.yaml:16: the choice 'Keep it shut' has no note and no source",
    ]


def test_exit_statuses(write_story: WriteStory) -> None:
    clean = write_story("clean")
    assert run(str(clean)).returncode == 0
    assert run("--strict", str(clean)).returncode == 0
    warned = write_story("warned", one_yaml=PHASE_ONE.replace("        documented: false\n", ""))
    assert run(str(warned)).returncode == 0
    strict = run("--strict", str(warned))
    assert strict.returncode == 1
    assert "warning: the choice 'Keep it shut' has no note and no source" in strict.stdout
    broken = write_story("broken", one_yaml=PHASE_ONE.replace("go: hall", "go: hal", 1))
    result = run(str(broken))
    assert result.returncode == 2
    assert "error: there is no scene 'hal'" in result.stderr


def test_shipped_story_is_clean_under_strict() -> None:
    result = run("--strict", str(shipped_scenes()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 warnings" in result.stdout
