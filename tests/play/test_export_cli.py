"""`exilegame --plain … --export FILE` and `exilegame [--plain] --replay FILE`."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame import engine
from exilegame.cli import main as cli_main
from exilegame.format.load import load_story
from exilegame.play.export import replay_document

WriteStory = Callable[..., Path]


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = cli_main(["--plain", "--width", "78", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("name", ["run.md", "run.html"])
def test_export_then_replay_goes_on_from_the_same_state(
    write_story: WriteStory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    folder = write_story()
    story = load_story(folder)
    target = tmp_path / name
    status, out, err = run(
        capsys, monkeypatch, "--scenes", str(folder), "--role", "guard", "--seed", "3",
        "--choices", "2", "--export", str(target), stdin="q\n",
    )  # fmt: skip
    assert status == 0 and f"wrote {target}" in err
    expected = engine.replay(story, "guard", 3, ["one.gate:keep-it-shut"])
    assert replay_document(story, target.read_text()) == expected
    assert ("<!DOCTYPE html>" in target.read_text()) == name.endswith(".html")

    status, out, err = run(
        capsys, monkeypatch, "--scenes", str(folder), "--replay", str(target), "--choices", "1,1"
    )
    assert status == 0, err
    assert "Playing as The guard; seed 3." in out and "(Replayed 1 choices" in out
    assert "You kept the gate shut." in out  # the replayed state's scene text
    assert out.rstrip().endswith("The end.")


def test_export_of_a_finished_run_has_the_ending(
    write_story: WriteStory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "out" / "run.md"  # the folder is made
    status, _, _ = run(
        capsys, monkeypatch, "--scenes", str(write_story()), "--role", "clerk", "--seed", "1",
        "--choices", "1,1,1", "--export", str(target),
    )  # fmt: skip
    assert status == 0
    assert "## The ending: Trusted" in target.read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        (b"\xff\xfe not text", "not UTF-8 text"),
        (b"# my notes\n", "not an exported run"),
        (b"<!-- exilegame-run\n{broken\n-->\n", "damaged"),
    ],
)
def test_a_bad_replay_file_is_one_line_and_status_2(
    write_story: WriteStory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / "run.md"
    if content is not None:
        path.write_bytes(content)
    status, out, err = run(
        capsys, monkeypatch, "--scenes", str(write_story()), "--replay", str(path)
    )
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("exilegame: ") and message in err


def test_replay_of_another_story_names_both(
    write_story: WriteStory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "run.md"
    run(
        capsys, monkeypatch, "--scenes", str(write_story()), "--role", "guard",
        "--export", str(target), stdin="q\n",
    )  # fmt: skip
    status, _, err = run(capsys, monkeypatch, "--replay", str(target))  # the shipped story
    assert status == 2 and "'test-story', not 'planet-without-a-visa'" in err


def test_replay_refuses_a_different_role_or_seed(
    write_story: WriteStory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = str(write_story())
    target = tmp_path / "run.md"
    run(
        capsys, monkeypatch, "--scenes", folder, "--role", "guard", "--seed", "3",
        "--export", str(target), stdin="q\n",
    )  # fmt: skip
    status, _, err = run(
        capsys, monkeypatch, "--scenes", folder, "--replay", str(target), "--role", "clerk"
    )
    assert status == 2 and "a run as guard, not clerk" in err
    status, _, err = run(
        capsys, monkeypatch, "--scenes", folder, "--replay", str(target), "--seed", "4"
    )
    assert status == 2 and "seed 3" in err


def test_export_is_for_line_mode(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli_main(["--export", str(tmp_path / "run.md")]) == 2
    assert "press x on the epilogue" in capsys.readouterr().err


def test_an_unwritable_export_is_one_line(
    write_story: WriteStory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "file").write_text("")
    status, _, err = run(
        capsys, monkeypatch, "--scenes", str(write_story()), "--role", "guard",
        "--export", str(tmp_path / "file" / "run.md"), stdin="q\n",
    )  # fmt: skip
    assert status == 2 and err.startswith("exilegame: cannot write")
