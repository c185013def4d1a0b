"""`exilegame new`: a story that passes check --strict and explore, and never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilegame.authoring import scaffold
from exilegame.authoring.check import run_check
from exilegame.authoring.explore import explore_exhaustive, explore_random
from exilegame.cli import main as cli_main
from exilegame.format import schema


def test_new_story_is_clean_under_check_and_explore(tmp_path: Path) -> None:
    folder = tmp_path / "my-story"
    scaffold.write(folder)
    story, problems = run_check(folder)
    assert story is not None
    assert problems == [], [p.format() for p in problems]  # so check --strict exits 0
    assert story.title == "My Story"
    report = explore_exhaustive(story)
    assert report.complete and report.status == 0
    assert not report.inert_variables
    assert set(report.endings) == {e.id for e in story.endings}  # every ending reachable
    assert explore_random(story, 20, seed=1).status == 0


def test_each_yaml_file_names_the_schema_beside_it(tmp_path: Path) -> None:
    written = scaffold.write(tmp_path / "s", title='A "quoted" title: with colon')
    for path in written:
        if path.suffix == ".yaml":
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema={schema.SCHEMA_FILE}"
    assert (tmp_path / "s" / schema.SCHEMA_FILE).read_text(encoding="utf-8") == schema.dumps()
    story, _ = run_check(tmp_path / "s")
    assert story is not None and story.title == 'A "quoted" title: with colon'


def test_cli_new_then_check_strict_and_explore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(tmp_path / "fresh")
    assert cli_main(["new", folder]) == 0
    out = capsys.readouterr().out
    assert "Next steps" in out and f"exilegame check {folder} --strict" in out
    assert cli_main(["check", folder, "--strict"]) == 0
    assert cli_main(["explore", folder, "--no-progress"]) == 0
    assert cli_main(["explore", folder, "--random", "10"]) == 0


def test_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli_main(["new", str(folder)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli_main(["new", str(empty)]) == 0  # an empty folder is fine
