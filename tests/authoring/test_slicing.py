"""Control slicing (authoring/explore/slicing.py): states that differ only in what is shown
are merged for the problem search, and the problems found are the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilegame import engine
from exilegame.authoring.explore import explore_exhaustive, search
from exilegame.authoring.explore.report import Report
from exilegame.authoring.explore.slicing import live_variables
from exilegame.format.load import load_story

STORIES = Path(__file__).resolve().parents[1] / "stories"


def problems(report: Report) -> tuple[object, ...]:
    return (
        report.complete,
        [(f.kind, f.scene, f.role, f.trail) for f in report.findings],
        report.unreached_scenes,
        report.never_available,
        sorted(report.endings),
        report.unreached_endings,
        report.untaken_choices,
        report.status,
    )


def test_display_only_and_dead_variables_are_not_live() -> None:
    story = load_story(STORIES / "slicing")
    live = live_variables(story)
    for scene in story.scenes:
        assert not {"mood", "hat"} & live[scene], scene  # read only by shown text
    assert "bribe" in live["road.square"] and "bribe" in live["road.border"]
    assert "papers" in live["road.office"]  # read by `if: papers`, and copied to pass_ok
    assert "papers" not in live["road.border"]  # dead once copied
    assert "stamp" in live["road.inn2"] and "stamp" in live["road.square"]  # `visa = stamp`
    assert "stamp" not in live["road.office"] and "visa" in live["road.office"]
    assert live["road.field"] == {"coins"}  # the ending `rich` reads it


@pytest.mark.parametrize(
    "name", ["slicing", "gate", "flawed", "rounds", "consequence", "nighttrain", "tui"]
)
def test_slicing_finds_the_same_problems_as_whole_states(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = load_story(STORIES / name)
    sliced = explore_exhaustive(story, measure=False)
    monkeypatch.setattr(search, "control_key_for", lambda story: engine.state_key)
    whole = explore_exhaustive(story, measure=False)
    assert problems(sliced) == problems(whole)
    assert sliced.runs <= whole.runs


def test_the_planted_problems_are_found_in_fewer_states(monkeypatch: pytest.MonkeyPatch) -> None:
    story = load_story(STORIES / "slicing")
    sliced = explore_exhaustive(story)
    assert [(f.kind, f.scene) for f in sliced.findings] == [("stuck", "road.office")]
    assert sliced.never_available == ["road.border:forge-a-stamp"]
    assert sliced.unreached_endings == ["rich"]
    assert sliced.choices_measured  # the measures still see every state shown
    monkeypatch.setattr(search, "control_key_for", lambda story: engine.state_key)
    whole = explore_exhaustive(story)
    assert sliced.runs < whole.runs
    assert sliced.inconsequential_choices == whole.inconsequential_choices
    assert sliced.inert_variables == whole.inert_variables


def test_random_runs_measure_on_a_smaller_graph_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from exilegame.cli import main as cli_main

    folder = str(STORIES / "slicing")
    assert cli_main(["explore", folder, "--random", "5", "--json", "--no-progress"]) == 1
    assert json.loads(capsys.readouterr().out)["max_states"] == 20_000
    cli_main(["explore", folder, "--json", "--no-progress"])
    data = json.loads(capsys.readouterr().out)
    assert data["max_states"] == 3_000_000 and data["shown_max_states"] == 200_000
    assert data["shown_states"] > data["runs"] and data["peak_mb"] > 0


CHEER = {
    "story.yaml": """title: Cheer
roles:
  singer: {name: The singer}
state:
  cheer: {start: 0, min: 0, max: 3}
  loud: false
phases: [hall]
places:
  hall: {name: The hall}
endings:
  - id: done
    title: Done
    text: Done.
""",
    "hall.yaml": """phase: hall
title: The hall
scenes:
  door:
    date: 1930
    place: hall
    text: A door.
    choices:
      - text: Shout
        do: cheer += 1
        go: stage
      - text: Hush
        go: stage
  stage:
    date: 1930
    place: hall
    text: A stage.
    choices:
      - text: Decide
        do: loud = cheer >= 1
        go: song
  song:
    date: 1930
    place: hall
    text: A song.
    choices:
      - text: Sing
        if: loud
        go: end
      - text: Leave
        go: end
  end:
    date: 1930
    place: hall
    text: The end.
outcome:
  history: It ended.
""",
}


@pytest.mark.parametrize("which", ["control", "shown"])
def test_a_number_read_by_an_effect_is_not_merged(which: str, tmp_path: Path) -> None:
    """`loud = cheer >= 1` is the only reader of `cheer`: its states must stay apart."""
    from exilegame.authoring.explore.abstraction import state_key_for
    from exilegame.authoring.explore.slicing import control_key_for

    for name, text in CHEER.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    story = load_story(tmp_path)
    key = (control_key_for if which == "control" else state_key_for)(story)
    start = engine.start(story, "singer", 0)
    shouted = engine.choose(story, start, "shout")
    hushed = engine.choose(story, start, "hush")
    assert key(story, shouted) != key(story, hushed)


def test_the_problems_complete_when_the_shown_graph_does_not_fit() -> None:
    from exilegame.authoring.explore import format_report

    story = load_story(STORIES / "slicing")  # 18 problem states, 34 told apart when shown
    report = explore_exhaustive(story, max_states=20)
    assert report.complete and not report.choices_measured
    assert report.never_available == ["road.border:forge-a-stamp"]
    assert report.status == 1  # the planted problems, proven: not INCOMPLETE
    first = format_report(story, report).splitlines()[0]
    assert "20 told apart by what is shown, the bound: too few for the measures" in first
