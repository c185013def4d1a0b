"""`exilegame explore`: it finds planted flaws, its trails replay, and its search is sound."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exilegame import engine
from exilegame.authoring.explore import (
    Trail,
    explore_exhaustive,
    explore_random,
    format_report,
    trail_of,
)
from exilegame.cli import main as cli_main
from exilegame.format.load import load_story
from exilegame.story import Story

STORIES = Path(__file__).resolve().parents[1] / "stories"


@pytest.fixture(scope="module")
def flawed() -> Story:
    return load_story(STORIES / "flawed")


def replay(story: Story, trail: Trail) -> engine.State:
    """Play a trail exactly as `exilegame --plain --choices` would: by option number."""
    state = engine.start(story, trail.role, trail.seed)
    for number in trail.numbers:
        state = engine.choose_number(story, state, number)
    return state


def is_stuck(story: Story, state: engine.State) -> bool:
    options = [o for o in engine.choices(story, state) if o.enabled]
    return not options and engine.status(story, state) is not engine.Status.GAME_END


def test_exhaustive_finds_every_planted_flaw(flawed: Story) -> None:
    report = explore_exhaustive(flawed)
    assert report.complete
    assert report.unreached_scenes == ["main.vault", "main.attic"]
    assert report.never_available == ["main.corridor:open-the-vault"]
    assert report.unreached_endings == ["blue"]
    kinds = {(f.kind, f.scene, f.role) for f in report.findings}
    assert kinds == {
        ("stuck", "main.cellar", "guard"),
        ("stuck", "main.cellar", "clerk"),
        ("wrong-role", "main.guardroom", "clerk"),
    }
    assert report.status == 1


def test_exhaustive_trails_are_shortest_and_replay(flawed: Story) -> None:
    report = explore_exhaustive(flawed)
    for finding in report.findings:
        state = replay(flawed, finding.trail)
        assert state.scene == finding.scene
        assert state.role == finding.role
        assert len(finding.trail.numbers) == 2  # start -> corridor -> the scene
        if finding.kind == "stuck":
            assert is_stuck(flawed, state)


def test_random_finds_stuck_runs_with_replayable_trails(flawed: Story) -> None:
    report = explore_random(flawed, runs=40, seed=3)
    stuck = [f for f in report.findings if f.kind == "stuck"]
    assert {f.role for f in stuck} == {"guard", "clerk"}
    for finding in report.findings:
        state = replay(flawed, finding.trail)
        assert state.scene == finding.scene
        if finding.kind == "stuck":
            assert is_stuck(flawed, state)
    assert report.shortest is not None and report.longest is not None
    assert len(report.shortest.numbers) <= len(report.longest.numbers)
    assert replay(flawed, report.longest).scene == "main.exit"
    assert sum(report.endings.values()) == 80 - sum(f.count for f in stuck)


def test_random_is_reproducible_by_seed(flawed: Story) -> None:
    a = explore_random(flawed, runs=10, seed=11)
    b = explore_random(flawed, runs=10, seed=11)
    assert [f.trail for f in a.findings] == [f.trail for f in b.findings]
    assert a.endings == b.endings


def test_random_coverage_gaps_are_notes_not_failures() -> None:
    story = load_story(STORIES / "diamonds")
    report = explore_random(story, runs=1, seed=0)
    assert report.unreached_scenes  # one walk cannot see both sides of every diamond
    assert report.status == 0


def test_inert_and_constant_variables(flawed: Story) -> None:
    inert = explore_exhaustive(flawed).inert_variables
    assert set(inert) == {"lamp", "colour"}
    assert "start value" in inert["colour"]
    assert "no condition the player sees depends on" in inert["lamp"]


def test_a_variable_that_changes_choices_is_not_inert() -> None:
    story = load_story(STORIES / "lighthouse")
    assert "signalled" not in explore_exhaustive(story).inert_variables


def test_exhaustive_deduplicates_states() -> None:
    story = load_story(STORIES / "diamonds")
    report = explore_exhaustive(story)
    # 1,024 paths through ten diamonds, but 31 scenes with `steps` reset on each join:
    # the right-hand scenes are the only ones where steps == 1, so 31 distinct states.
    assert report.runs == 31
    assert report.complete
    assert report.endings == {"end": 1}
    assert report.status == 0


def test_exhaustive_respects_its_bound_and_says_so() -> None:
    story = load_story(STORIES / "loop")  # an unbounded counter: the states never repeat
    report = explore_exhaustive(story, max_states=50)
    assert report.runs == 50
    assert not report.complete
    assert "INCOMPLETE" in format_report(story, report)


def test_turns_put_the_step_in_the_state() -> None:
    story = load_story(STORIES / "loop")
    assert story.uses_turns
    first = engine.start(story, "walker")
    key = engine.state_key(story, first)
    assert key[-1] == 0  # the step is part of the key when turns() is read


def test_trail_of_gives_the_numbers_shown(flawed: Story) -> None:
    state = engine.start(flawed, "clerk", 4)
    state = engine.choose(flawed, state, "wait")
    state = engine.choose(flawed, state, "go-down-to-the-cellar")
    trail = trail_of(flawed, state)
    # "open the vault" is hidden at the corridor, so the cellar is option 2, not 3
    assert trail == Trail("clerk", 4, (3, 2), "main.cellar")
    assert trail.command(Path("my story")) == (
        "exilegame --plain --scenes 'my story' --role clerk --seed 4 --choices 3,2"
    )


def test_role_filter_leaves_other_roles_scenes_alone(flawed: Story) -> None:
    report = explore_exhaustive(flawed, roles=["clerk"])
    assert report.roles == ["clerk"]
    assert "main.guardroom" not in report.unreached_scenes  # it is the guard's
    assert {f.kind for f in report.findings} == {"stuck", "wrong-role"}


def test_cli_exit_statuses_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli_main(["explore", str(STORIES / "flawed"), "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "main.yaml:56:3: problem: stuck at 'main.cellar' as guard" in out
    assert "replay: exilegame --plain --scenes" in out
    assert cli_main(["explore", str(STORIES / "diamonds")]) == 0
    capsys.readouterr()
    assert cli_main(["explore", str(STORIES / "flawed"), "--json", "--random", "5"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "random" and data["status"] == 1
    assert any(m["replay"] for m in data["messages"])
    assert cli_main(["explore", str(tmp_path)]) == 2  # no story.yaml: a load error
    assert cli_main(["explore", str(STORIES / "flawed"), "--role", "nobody"]) == 2


def test_cli_replay_command_reproduces_the_stuck_run(
    flawed: Story, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The printed replay line, run as printed, stops at the stuck scene."""
    report = explore_exhaustive(flawed)
    stuck = next(f for f in report.findings if f.kind == "stuck")
    argv = stuck.trail.command(STORIES / "flawed").split()[1:]
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    assert cli_main(argv) == 0
    assert "The cellar." in capsys.readouterr().out


@pytest.mark.slow
def test_exploring_one_role_ignores_the_other_roles_content(three_phases: Path) -> None:
    """Per role, the shipped story (its first three phases: the whole game's search is a
    slow test, test_shipped.py) reaches every scene and choice written for that role.
    Marked slow (CI runs it): a check of the story's content, some 7 CPU-seconds; the role
    filter itself is tested above on a small story."""
    from exilegame.authoring.explore import explore_exhaustive
    from exilegame.format.load import load_story

    story = load_story(three_phases)
    for role in story.roles:
        report = explore_exhaustive(story, roles=[role], measure=False)
        assert report.complete and not report.findings
        assert report.unreached_scenes == [] and report.never_available == []
        assert report.scenes_total < len(story.scenes)  # the other role's scenes left out


def test_an_unreached_ending_is_reported_at_its_own_line(flawed: Story) -> None:
    from exilegame.authoring.explore.report import messages

    report = explore_exhaustive(flawed)
    [message] = [m for m in messages(flawed, report) if "ending 'blue'" in m.text]
    lines = (STORIES / "flawed" / "story.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "- id: blue")
    column = lines[line - 1].index("blue") + 1
    assert message.where == f"{STORIES / 'flawed' / 'story.yaml'}:{line}:{column}"
