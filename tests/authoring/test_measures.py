"""The explorer's measures: inconsequential choices, inert variables, gauge saturation, and
an incomplete search that never passes. Each is tested on a story that plants its cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exilegame.authoring.explore import explore_exhaustive, explore_random, format_report
from exilegame.authoring.explore.analyses import observable_classes
from exilegame.cli import main as cli_main
from exilegame.format.load import load_story
from exilegame.story import Story

STORIES = Path(__file__).resolve().parents[1] / "stories"


@pytest.fixture(scope="module")
def consequence() -> Story:
    return load_story(STORIES / "consequence")


# -- inconsequential choices -----------------------------------------------------------------


def test_planted_choices_are_told_apart(consequence: Story) -> None:
    report = explore_exhaustive(consequence)
    assert report.choices_measured
    assert report.choices_total == 11
    same = set(report.inconsequential_choices)
    # changes nothing visible: both lead to the same state
    assert {"house.porch:nod-to-the-porter", "house.porch:shrug-at-the-porter"} <= same
    # changes only a later paragraph (the lamp's)
    assert "house.hall:light-the-lamp" not in same
    assert "house.hall:stay-in-the-dark" not in same
    # changes only whether a later choice is shown locked or can be taken
    assert "house.corridor:pocket-the-key" not in same
    assert "house.corridor:leave-the-key" not in same
    # moves only a number in the side panel, which no condition reads
    assert {"house.yard:cheer", "house.yard:sigh"} <= same
    # the same place either way, and the lone choice of the garden
    assert {"house.door:unlock-the-door", "house.door:walk-round-the-house"} <= same
    assert report.lone_choices == ["garden.lawn:walk-on"]
    assert len(same) == 7


def test_random_runs_measure_choices_on_the_whole_graph(consequence: Story) -> None:
    exhaustive = explore_exhaustive(consequence)
    randomly = explore_random(consequence, 20, seed=4)
    assert randomly.choices_measured
    assert randomly.inconsequential_choices == exhaustive.inconsequential_choices


def test_a_cut_graph_gives_only_the_certain_ones(consequence: Story) -> None:
    """Without the whole graph, only choices that lead where their siblings do with the
    same effect on what conditions read are counted, and the report says so."""
    exact = explore_exhaustive(consequence)
    cut = explore_random(consequence, 20, seed=4, max_states=10)
    assert not cut.choices_measured
    assert set(cut.inconsequential_choices) <= set(exact.inconsequential_choices)
    assert "house.yard:cheer" in cut.inconsequential_choices  # only `mood`, never read
    assert "house.hall:light-the-lamp" not in cut.inconsequential_choices
    # the random runs proved that each of the others matters: none is left undetermined
    assert cut.undetermined_choices == []
    assert cut.inconsequential_choices == exact.inconsequential_choices
    assert "at least" in format_report(consequence, cut)


def test_choices_no_run_could_tell_apart_are_undetermined() -> None:
    story = load_story(STORIES / "unsure")
    exact = explore_exhaustive(story)
    assert exact.inconsequential_choices == ["visit.door:ring-the-bell", "visit.door:knock"]
    cut = explore_random(story, 30, seed=2, max_states=2)
    assert not cut.choices_measured
    assert cut.inconsequential_choices == []  # `bell` is read: not certain by the effects
    assert cut.undetermined_choices == exact.inconsequential_choices
    assert "may change nothing" in format_report(story, cut)


@pytest.mark.parametrize("name", ["consequence", "rounds", "slicing", "nighttrain"])
def test_the_certain_ones_are_a_subset_of_the_exact_measure(name: str) -> None:
    from exilegame.authoring.explore.analyses import same_effect_choices

    story = load_story(STORIES / name)
    exact = explore_exhaustive(story)
    assert exact.choices_measured
    taken = {c.key for s in story.scenes.values() for c in s.choices} - set(exact.untaken_choices)
    certain, lone = same_effect_choices(story, exact.roles, taken)
    assert set(certain) <= set(exact.inconsequential_choices)
    assert set(lone) <= set(exact.lone_choices)


def test_the_hooks_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["explore", str(STORIES / "consequence"), "--random", "30", "--seed", "11"]
    assert cli_main([*argv, "--role", "reader", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["endings"] == {"home": 30}
    assert isinstance(data["inconsequential_choices"], list)
    assert len(data["inconsequential_choices"]) == 7
    assert data["choices_total"] == 11
    assert set(data["saturation"]["mood"]) == {"house", "garden"}


def test_observable_classes_see_through_loops() -> None:
    # 0 and 2 loop on themselves showing "a" and both can leave to the end 4 ("z");
    # 1 loops the same way but its exit shows "y": it is told apart from 0 and 2.
    obs = [0, 0, 0, 2, 1]
    succ = [
        (("again", 0), ("out", 4)),
        (("again", 1), ("out", 3)),
        (("again", 2), ("out", 4)),
        (),
        (),
    ]
    cls = observable_classes(obs, succ)
    assert cls[0] == cls[2] != cls[1]
    assert cls[3] != cls[4]


def test_an_endless_loop_is_not_the_same_as_a_finite_path() -> None:
    obs = [0, 0, 1]
    succ = [(("on", 0),), (("on", 2),), ()]
    cls = observable_classes(obs, succ)
    assert cls[0] != cls[1]


# -- inert variables -------------------------------------------------------------------------


def test_a_flag_that_gates_a_choice_is_never_inert_whatever_the_seed() -> None:
    story = load_story(STORIES / "gate")
    for seed in range(4):
        assert "warned" not in explore_exhaustive(story, seed=seed).inert_variables


def test_a_number_only_shown_is_inert_and_the_note_says_it_is_shown(consequence: Story) -> None:
    report = explore_exhaustive(consequence)
    assert set(report.inert_variables) == {"mood"}
    assert "side panel" in format_report(consequence, report)


def test_inert_variables_are_not_judged_on_a_partial_search() -> None:
    story = load_story(STORIES / "flawed")
    report = explore_exhaustive(story, max_states=5)
    assert not report.complete
    assert report.inert_variables == {}  # `keys` would look inert in the first 5 states


# -- gauge saturation -------------------------------------------------------------------------


def test_a_gauge_that_saturates(consequence: Story) -> None:
    report = explore_random(consequence, 200, seed=3)
    mood = report.saturation["mood"]
    for phase in ("house", "garden"):
        assert mood[phase]["min"] + mood[phase]["max"] == pytest.approx(1.0)
        assert 0.3 < mood[phase]["max"] < 0.7


def test_only_shown_bounded_numbers_are_gauges() -> None:
    story = load_story(STORIES / "gate")  # coins has min and max but is not shown
    assert explore_random(story, 10, seed=1).saturation == {}


# -- an incomplete search -------------------------------------------------------------------


def test_an_incomplete_search_never_passes(capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(STORIES / "diamonds")  # clean when complete
    assert cli_main(["explore", folder, "--no-progress"]) == 0
    capsys.readouterr()
    assert cli_main(["explore", folder, "--no-progress", "--max-states", "10"]) == 3
    out = capsys.readouterr().out
    assert "no problems found" not in out
    assert out.rstrip().splitlines()[-1].startswith("INCOMPLETE")


def test_a_problem_found_before_the_bound_still_fails_with_1() -> None:
    story = load_story(STORIES / "flawed")
    report = explore_exhaustive(story, max_states=12)  # of its 14 control states
    assert not report.complete and report.findings
    assert report.status == 1
    last = format_report(story, report).splitlines()[-1]
    assert "problem" in last and "INCOMPLETE" in last


# -- merged states ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["consequence", "flawed", "gate"])
def test_merging_gauges_between_thresholds_changes_no_finding_or_measure(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planted stories with gauges, explored with numbers merged between the thresholds
    still ahead and with every number whole, report the same in fewer states. (The
    shipped story's whole states no longer fit a test's time: see test_shipped.py.)"""
    from exilegame import engine
    from exilegame.authoring.explore import search

    story = load_story(STORIES / name)
    merged = explore_exhaustive(story)
    monkeypatch.setattr(search, "state_key_for", lambda story: engine.state_key)
    monkeypatch.setattr(search, "control_key_for", lambda story: engine.state_key)
    whole = explore_exhaustive(story)
    assert merged.complete and whole.complete
    assert merged.runs < whole.runs
    assert set(merged.endings) == set(whole.endings)
    assert merged.inconsequential_choices == whole.inconsequential_choices
    assert set(merged.inert_variables) == set(whole.inert_variables)
    assert merged.untaken_choices == whole.untaken_choices
    # the same problems, each shown by the same shortest run (counted in fewer states)
    assert [(f.kind, f.scene, f.role, f.trail) for f in merged.findings] == [
        (f.kind, f.scene, f.role, f.trail) for f in whole.findings
    ]


def test_breakpoints_follow_effects_back_from_the_reads() -> None:
    from exilegame.authoring.explore.abstraction import breakpoints

    story = load_story(STORIES / "lighthouse")  # oil: 0..5, read as `oil > 0` at the end
    found = breakpoints(story)["oil"]
    assert found["night.dawn"] == (1,)
    assert found["night.storm"] == (1, 2)  # `oil -= 1` on the way: 1 and 2 are told apart


def test_a_number_that_only_grows_is_merged_without_a_max(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """benchmarks/synth.py's story: `trust += 1` with no `max:`, read as `trust > 2`. Once
    above 2 it stays there, so its states merge; the findings are those of whole numbers."""
    import importlib.util

    from exilegame import engine
    from exilegame.authoring.explore import search

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "synth.py"
    spec = importlib.util.spec_from_file_location("synth", path)
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    story = load_story(synth.write(100, tmp_path / "synth"))
    merged = explore_exhaustive(story)
    monkeypatch.setattr(search, "state_key_for", lambda story: engine.state_key)
    monkeypatch.setattr(search, "control_key_for", lambda story: engine.state_key)
    whole = explore_exhaustive(story)
    assert merged.complete and whole.complete
    assert merged.runs < whole.runs // 5
    assert merged.never_available == whole.never_available
    assert merged.inconsequential_choices == whole.inconsequential_choices
