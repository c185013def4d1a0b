"""Visit counts are stored only as far as the expressions can tell them apart: a loop
through a scene `visited()` asks about no longer makes the states endless, and play is
exactly what it would be with full counts."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from exilegame import engine
from exilegame.authoring.explore import explore_exhaustive
from exilegame.expr import Compiler, Scope
from exilegame.expr.thresholds import visit_limits
from exilegame.format.load import load_story
from exilegame.story import Story

STORIES = Path(__file__).resolve().parents[1] / "stories"


@pytest.fixture(scope="module")
def rounds() -> Story:
    return load_story(STORIES / "rounds")


def _limits(*conditions: str) -> dict[str, int | None]:
    scope = Scope(
        MappingProxyType({"n": "number"}),
        MappingProxyType({"n": (None, None)}),
        frozenset({"r"}),
        frozenset({"p.a", "p.b"}),
        "p",
    )
    compiler = Compiler(scope)
    compiled = [compiler.condition(c) for c in conditions]
    compiler.finish()
    return visit_limits(compiled)


@pytest.mark.parametrize(
    ("condition", "limit"),
    [
        ('visited("a")', 1),
        ('not visited("p.a")', 1),
        ('visits("a") >= 3', 3),
        ('visits("a") > 3', 4),
        ('visits("a") == 2', 3),
        ('3 <= visits("a")', 3),
        ('2 < visits("a")', 3),
        ('visits("a") < 2 and n > 0', 2),
        ('visits("a") + 1 > 2', None),
        ('visits("a") >= n', None),
        ('max(visits("a"), 1) > 1', None),
    ],
)
def test_the_largest_count_an_expression_tells_apart(condition: str, limit: int | None) -> None:
    assert _limits(condition) == {"p.a": limit}


def test_the_largest_over_all_expressions_and_unbounded_wins() -> None:
    assert _limits('visited("a")', 'visits("a") >= 4') == {"p.a": 4}
    assert _limits('visits("a") * 2 > 1', 'visits("a") >= 4') == {"p.a": None}
    assert _limits('visited("a") and visits("b") > 1') == {"p.a": 1, "p.b": 2}


def test_a_loop_through_asked_about_scenes_has_finite_states(rounds: Story) -> None:
    assert dict(rounds.tracked_scenes) == {"cafe.back": 1, "cafe.terrace": 3, "cafe.counter": 5}
    report = explore_exhaustive(rounds, max_states=5_000)
    assert report.complete  # with full counts every lap is a new state
    assert report.status == 0
    assert set(report.endings) == {"rich", "poor"}


def test_counts_stop_at_their_limit(rounds: Story) -> None:
    state = engine.start(rounds, "waiter")
    for _ in range(6):
        state = engine.choose(rounds, state, "clear-the-back-room")
        state = engine.choose(rounds, state, "come-back-out")
    assert state.visits["cafe.back"] == 1
    assert state.visits["cafe.counter"] == 5


def _seen(story: Story, state: engine.State) -> tuple[Any, ...]:
    options = engine.choices(story, state)
    seen: tuple[Any, ...] = (
        state.scene,
        tuple(engine.text(story, state)),
        tuple((o.id, o.text, o.enabled) for o in options),
        engine.status(story, state),
        tuple(sorted(state.vars.items())),
    )
    if engine.status(story, state) is engine.Status.GAME_END:
        seen += (engine.ending(story, state).id, tuple(engine.ending_text(story, state)))
    return seen


def test_play_is_identical_with_full_counts(rounds: Story) -> None:
    """Every step of 300 random runs shows the same with stored limits and with full counts."""
    full = dataclasses.replace(
        rounds, tracked_scenes=MappingProxyType(dict.fromkeys(rounds.tracked_scenes))
    )
    rng = random.Random(5)
    for _ in range(300):
        a = engine.start(rounds, "waiter")
        b = engine.start(full, "waiter")
        for _ in range(40):
            assert _seen(rounds, a) == _seen(full, b)
            options = [o.id for o in engine.choices(rounds, a) if o.enabled]
            if not options:
                break
            pick = rng.choice(options)
            a, b = engine.choose(rounds, a, pick), engine.choose(full, b, pick)
        assert b.visits.get("cafe.counter", 0) >= a.visits.get("cafe.counter", 0)
