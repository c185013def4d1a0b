"""The tutorial builds a story that plays: each step loads, and its shown output is true.

The files of tests/stories/tutorial/ are the tutorial's last versions of each file, so the
tutorial, the fixture and the tools cannot drift apart.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from exilegame.authoring.check import run_check
from exilegame.authoring.explore import explore_exhaustive, explore_random
from exilegame.cli import main as cli_main
from exilegame.format.load import load_with_problems

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.md"
FIXTURE = ROOT / "tests" / "stories" / "tutorial"
BLOCK = re.compile(r"<!-- (file|mistake|output): (.*?) -->\n```\w*\n(.*?)```", re.S)
TIMING = re.compile(
    r"in \d+\.\d+ s \([\d,]+ states/s, \d+\.\d+ s of processor time, peak memory [\d,]+ MB\)"
)


def blocks() -> list[tuple[str, str, str]]:
    found = BLOCK.findall(TUTORIAL.read_text(encoding="utf-8"))
    assert found, "the tutorial has no marked blocks"
    return found


def final_files() -> dict[str, str]:
    return {arg: text for kind, arg, text in blocks() if kind == "file"}


def test_fixture_is_the_tutorials_last_version_of_each_file() -> None:
    files = final_files()
    assert sorted(files) == sorted(p.name for p in FIXTURE.glob("*.yaml"))
    for name, text in files.items():
        assert (FIXTURE / name).read_text(encoding="utf-8") == text, name


def test_every_step_loads_and_every_shown_output_is_true(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path("my-story")
    folder.mkdir()
    for kind, arg, text in blocks():
        if kind == "file":
            (folder / arg).write_text(text, encoding="utf-8")
            if all((folder / f).exists() for f in ("story.yaml", "harbour.yaml")):
                story, problems = load_with_problems(folder)
                assert story is not None, [p.format() for p in problems]
        elif kind == "mistake":
            name, old, new = re.fullmatch(r'(\S+) "(.*)" "(.*)"', arg).groups()  # type: ignore[union-attr]
            broken = tmp_path / "broken" / "my-story"
            shutil.copytree(folder, broken)
            source = (broken / name).read_text(encoding="utf-8")
            assert source.count(old) == 1, f"the tutorial's mistake {old!r} is ambiguous"
            (broken / name).write_text(source.replace(old, new), encoding="utf-8")
            monkeypatch.chdir(tmp_path / "broken")
            assert cli_main(["check", "my-story"]) == 2
            assert capsys.readouterr().err == text
            monkeypatch.chdir(tmp_path)
        else:
            command = arg.split()
            cli_main([*command, "--no-progress"] if command[0] == "explore" else command)
            shown = capsys.readouterr().out
            assert TIMING.sub("", shown) == TIMING.sub("", text)


def test_the_finished_story_passes_check_strict_and_explore() -> None:
    story, problems = run_check(FIXTURE)
    assert story is not None
    assert problems == [], [p.format() for p in problems]
    report = explore_exhaustive(story)
    assert report.complete and report.status == 0
    assert set(report.endings) == {e.id for e in story.endings}
    assert explore_random(story, 50, seed=2).status == 0
