"""Expressions that once crashed or hung: deep nesting, division by zero, numbers that grow
without bound. Each is refused at load with its position, or is an author error in play that
leaves the state unchanged and that the explorer reports with file:line and the trail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame import engine
from exilegame.authoring.explore import explore_exhaustive, explore_random, messages
from exilegame.authoring.explore.faults import faults
from exilegame.errors import AuthorError, LoadError, Problem, ReplayError
from exilegame.expr.model import MAX_DEPTH, MAX_LENGTH, MAX_NODES, NUMBER_MAX
from exilegame.format.load import load_story
from exilegame.saves import SaveStore
from exilegame.story import CONTINUE
from story_texts import MANIFEST, PHASE_ONE

WriteStory = Callable[..., Path]


def load_errors(folder: Path) -> list[Problem]:
    with pytest.raises(LoadError) as caught:
        load_story(folder)
    return caught.value.problems


def with_effect(effect: str) -> str:
    return PHASE_ONE.replace("do: trust += 1", f"do: {effect}", 1)


def with_condition(condition: str) -> str:
    return PHASE_ONE.replace('if: role == "guard"', f"if: {condition}", 1)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("not " * 300 + "warned", f"nested more than {MAX_DEPTH} levels"),
        ("-" * 1990 + "trust > 0", f"nested more than {MAX_DEPTH} levels"),  # RecursionError
        ("+".join(["1"] * 990) + " > trust", f"nested more than {MAX_DEPTH} levels"),  # too
        (" + ".join(["trust"] * 200) + " > 0", f"nested more than {MAX_DEPTH} levels"),
        ("(" * 250 + "warned" + ")" * 250, "too many nested parentheses"),
        ("trust > " + "9" * (MAX_LENGTH + 1), f"longer than {MAX_LENGTH:,} characters"),
        ("trust" + " < 1" * (MAX_NODES // 2), f"more than {MAX_NODES} parts"),
        ("trust > 9999999999999999", "this number is out of range"),
        ("trust // 0 > 1", "division by zero"),
        ("trust // (3 - 3) > 1", "division by zero"),
    ],
    ids=[
        "not-chain",
        "minus-chain",
        "sum-of-ones",
        "long-sum",
        "parens",
        "long",
        "many-parts",
        "big",
        "zero",
        "zero-sum",
    ],
)
def test_hostile_conditions_are_located_errors(
    write_story: WriteStory, condition: str, message: str
) -> None:
    problems = load_errors(write_story(one_yaml=with_condition(condition)))
    assert len(problems) == 1, [p.format() for p in problems]
    p = problems[0]
    assert (p.path.name, p.line) == ("one.yaml", 18)
    assert message in p.message


def test_start_values_and_bounds_are_in_range(write_story: WriteStory) -> None:
    start = MANIFEST.replace("start: 0,", f"start: {NUMBER_MAX + 1},")
    problems = load_errors(write_story("start", story_yaml=start))
    assert any(
        (p.line, p.column) == (7, 18) and "'trust' is out of range" in p.message for p in problems
    )
    bound = MANIFEST.replace("max: 3", f"max: {-NUMBER_MAX - 1}")
    problems = load_errors(write_story("bound", story_yaml=bound))
    assert any(p.line == 7 and "out of range" in p.message for p in problems)


def test_division_by_zero_in_an_effect_leaves_the_state_unchanged(
    write_story: WriteStory,
) -> None:
    manifest = MANIFEST.replace(
        "trust: {start: 0, label: Trust, show: true, min: 0, max: 3}", "trust: 0"
    )
    story = load_story(
        write_story(story_yaml=manifest, one_yaml=with_effect("trust = 1 // (trust - trust)"))
    )
    state = engine.start(story, "guard", 1)
    with pytest.raises(AuthorError) as caught:
        engine.choose(story, state, "open-the-gate")
    error = caught.value
    assert error.reason == "division by zero" and error.key == "one.gate:open-the-gate"
    assert error.where is not None and (error.where.path.name, error.where.line) == ("one.yaml", 12)
    assert (
        str(error)
        == "one.yaml:12: `trust = 1 // (trust - trust)` cannot be computed: division by zero"
    )
    assert engine.choose(story, state, "keep-it-shut").scene == "one.hall"  # play goes on


def growing(write_story: WriteStory) -> Path:
    """A loop that squares a number each time round: it once grew to gigabytes."""
    manifest = MANIFEST.replace(
        "trust: {start: 0, label: Trust, show: true, min: 0, max: 3}",
        "trust: {start: 2, label: Trust, show: true}",
    )
    loop = PHASE_ONE.replace(
        "do: trust += 1\n        go: hall", "do: trust = trust * trust\n        go: gate"
    )
    return write_story(story_yaml=manifest, one_yaml=loop)


def test_a_number_out_of_range_is_an_author_error(write_story: WriteStory) -> None:
    story = load_story(growing(write_story))
    state = engine.start(story, "guard", 1)
    for _ in range(5):  # 2, 4, 16, 256, 65536, 4294967296
        state = engine.choose(story, state, "open-the-gate")
    assert state.vars["trust"] == 2**32
    with pytest.raises(AuthorError, match="'trust' would be set to a number of 20 digits"):
        engine.choose(story, state, "open-the-gate")
    assert state.vars["trust"] == 2**32


def test_the_explorer_reports_author_errors_with_file_line_and_trail(
    write_story: WriteStory,
) -> None:
    folder = growing(write_story)
    story = load_story(folder)
    for report in (explore_exhaustive(story, 10_000), explore_random(story, 20, max_steps=50)):
        [finding] = [f for f in report.findings if f.kind == "author-error"]
        assert finding.at.endswith("one.yaml:12:9")
        assert "would be set to a number of 20 digits" in finding.detail
        state = engine.start(story, finding.trail.role, finding.trail.seed)
        for number in finding.trail.numbers:
            state = engine.choose_number(story, state, number)
        with pytest.raises(AuthorError):  # the trail leads to the failing choice
            engine.choose(story, state, "open-the-gate")
        assert report.status == 1
        texts = [m for m in messages(story, report, folder) if "cannot be computed" in m.text]
        assert texts and texts[0].where.endswith("one.yaml:12:9") and texts[0].replay


def test_a_condition_that_divides_by_zero_is_false_and_reported(write_story: WriteStory) -> None:
    folder = write_story(one_yaml=with_condition("10 // trust > 1"))
    story = load_story(folder)
    state = engine.start(story, "guard", 1)  # trust is 0
    options = engine.choices(story, state)
    assert [o.id for o in options] == ["open-the-gate"]
    [error] = faults(story, state)
    assert error.reason == "division by zero" and error.where is not None
    report = explore_exhaustive(story, 10_000)
    assert [f.kind for f in report.findings] == ["author-error"]


def test_a_save_whose_replay_fails_is_a_replay_error(write_story: WriteStory) -> None:
    story = load_story(growing(write_story))
    state = engine.start(story, "guard", 1)
    for _ in range(5):
        state = engine.choose(story, state, "open-the-gate")
    trail = [*state.trail, "one.gate:open-the-gate"]
    with pytest.raises(ReplayError, match="cannot be computed"):
        engine.replay(story, "guard", 1, trail)
    assert SaveStore(story).save("slot", state).ok
    assert CONTINUE  # the story module is importable alongside (no cycle)
