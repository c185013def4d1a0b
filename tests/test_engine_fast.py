"""The engine's hot path gives exactly what its plain definitions give.

`choose` builds States with `state.successor` and `choices` builds Options the same way
(docs/design.md, "The engine's hot path"); `load_story` takes the story out of the cyclic
collector's scans. Here: the objects built the fast way are ordinary, frozen, equal to the
ones the dataclasses build, and survive JSON and pickle; random walks over every test story
and the shipped one agree step by step with a reference engine written the plain way; and a
loaded story holds no reference cycle, so freezing it never keeps a dropped one alive.
"""

from __future__ import annotations

import dataclasses
import gc
import pickle
import random
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType

import pytest

from exilegame import engine
from exilegame._files import shipped_scenes
from exilegame.engine import Option, State
from exilegame.errors import AuthorError, ChoiceUnavailable, ExprFault
from exilegame.format.load import load_story, load_with_problems
from exilegame.state import successor
from exilegame.story import CONTINUE, Story

STORIES = Path(__file__).parent / "stories"
PLAYABLE = sorted(p.name for p in STORIES.iterdir() if (p / "story.yaml").is_file())

FAULTS = """\
title: Faults
roles:
  guard: {name: Guard}
state:
  coins: {start: 0, min: 0, max: 5}
  big: {start: 999999999999990}
phases: [one]
places:
  house: {name: House}
"""
FAULTS_PHASE = """\
phase: one
title: One
scenes:
  gate:
    date: 1929
    place: house
    text:
      - Always.
      - {if: 10 // coins > 2, text: Only with coins.}
      - {if: visits("gate") > 2, text: Again and again.}
    choices:
      - {text: Earn, do: coins += 1, go: gate}
      - {text: Spend, if: 10 // coins > 3, show_locked: true, go: gate, do: coins -= 1}
      - {text: Overflow, do: big += 100, go: gate}
      - {text: Leave, if: visited("gate"), go: end}
  end:
    date: 1930
    place: house
    text: The end.
outcome:
  history: H.
"""


# -- a reference engine, written as the plain definitions read ---------------------------


def ref_holds(condition: object, state: State) -> bool:
    if condition is None:
        return True
    try:
        return bool(condition.function(state.vars, state))  # type: ignore[attr-defined]
    except ExprFault:
        return False


def ref_text(story: Story, state: State) -> list[str]:
    return [
        p.text for p in story.scenes[state.scene].text if p.text and ref_holds(p.condition, state)
    ]


def ref_choices(story: Story, state: State) -> list[Option]:
    scene = story.scenes[state.scene]
    if not scene.choices:
        nxt = None if scene.ends_game else story.next_phase(scene.phase)
        return [] if nxt is None else [Option(CONTINUE, f"Go on: {nxt.title}", True, 1, None)]
    options: list[Option] = []
    for choice in scene.choices:
        ok = ref_holds(choice.condition, state)
        if ok or choice.show_locked:
            options.append(Option(choice.id, choice.text, ok, len(options) + 1, choice))
    return options


def ref_choose(story: Story, state: State, choice_id: str) -> State:
    scene = story.scenes[state.scene]
    if not scene.choices:
        nxt = None if scene.ends_game else story.next_phase(scene.phase)
        if choice_id != CONTINUE or nxt is None:
            raise ChoiceUnavailable(choice_id)
        target, vars_, key = nxt.start, state.vars, f"{scene.id}:{CONTINUE}"
    else:
        choice = scene.choice(choice_id)
        if choice is None or not ref_holds(choice.condition, state):
            raise ChoiceUnavailable(choice_id)
        vars_ = state.vars
        if choice.effect is not None:
            changed = dict(state.vars)
            try:
                choice.effect.function(changed, state)
            except ExprFault as fault:
                raise AuthorError(fault.reason, choice.effect.source, choice.where) from None
            vars_ = MappingProxyType(changed)
        target, key = choice.target, choice.key
    visits = state.visits
    if target in story.tracked_scenes:
        count, limit = visits.get(target, 0), story.tracked_scenes[target]
        if limit is None or count < limit:
            visits = MappingProxyType({**visits, target: count + 1})
    return State(state.role, state.seed, target, vars_, visits, state.step + 1, key, state)


def outcome(step: Callable[[], State]) -> State | str:
    """The State a step makes, or the kind of error it raises."""
    try:
        return step()
    except (ChoiceUnavailable, AuthorError) as exc:
        return type(exc).__name__


def walks(story: Story, seed: int, count: int, limit: int = 60) -> Iterator[State]:
    """Every state of `count` random walks (all roles), each at most `limit` steps long."""
    rng = random.Random(seed)
    for index in range(count):
        role = list(story.roles)[index % len(story.roles)]
        state = engine.start(story, role, seed + index)
        for _ in range(limit):
            yield state
            options = [o for o in engine.choices(story, state) if o.enabled]
            if not options:
                break
            try:
                state = engine.choose(story, state, rng.choice(options).id)
            except AuthorError:
                break


def check_agrees(story: Story, seed: int, count: int) -> int:
    checked = 0
    for state in walks(story, seed, count):
        assert engine.text(story, state) == ref_text(story, state)
        options = engine.choices(story, state)
        assert options == ref_choices(story, state)
        scene = story.scenes[state.scene]
        tried = {o.id for o in options} | {c.id for c in scene.choices} | {CONTINUE, "no-such"}
        for choice_id in sorted(tried):
            fast = outcome(lambda: engine.choose(story, state, choice_id))  # noqa: B023
            plain = outcome(lambda: ref_choose(story, state, choice_id))  # noqa: B023
            assert fast == plain, (state.scene, choice_id)
            if isinstance(fast, State) and isinstance(plain, State):
                assert fast.to_json() == plain.to_json()
        checked += 1
    return checked


@pytest.mark.parametrize("name", PLAYABLE)
def test_walks_agree_with_the_plain_engine(name: str) -> None:
    story, _ = load_with_problems(STORIES / name)
    if story is None:
        pytest.skip(f"{name} is a story with errors, for the checker's tests")
    assert check_agrees(story, seed=len(name), count=12) > 12


def test_walks_of_the_shipped_story_agree_with_the_plain_engine() -> None:
    story = load_story(shipped_scenes())
    assert check_agrees(story, seed=5, count=3) > 30


def test_faults_locked_choices_and_visits_agree(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text(FAULTS, encoding="utf-8")
    (tmp_path / "one.yaml").write_text(FAULTS_PHASE, encoding="utf-8")
    story = load_story(tmp_path)
    state = engine.start(story, "guard")
    locked = engine.choices(story, state)[1]  # 10 // coins with no coins: not computable
    assert (locked.id, locked.enabled) == ("spend", False)
    with pytest.raises(ChoiceUnavailable):
        engine.choose(story, state, "spend")
    with pytest.raises(AuthorError):
        engine.choose(story, state, "overflow")
    assert check_agrees(story, seed=1, count=20) > 20


# -- States and Options built the fast way are ordinary ones ----------------------------


def test_a_successor_is_the_state_the_dataclass_builds() -> None:
    vars_ = MappingProxyType({"trust": 2})
    visits = MappingProxyType({"one.gate": 1})
    first = State("guard", 7, "one.gate", vars_, visits)
    fast = successor(first, "one.hall", vars_, visits, "one.gate:open")
    plain = State("guard", 7, "one.hall", vars_, visits, 1, "one.gate:open", first)
    assert type(fast) is State
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    for f in dataclasses.fields(State):
        assert getattr(fast, f.name) is getattr(plain, f.name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.scene = "one.gate"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del fast.step  # type: ignore[misc]
    assert State.from_json(fast.to_json()) == fast and fast.to_json() == plain.to_json()
    for built in (fast, plain):  # neither pickles: a read-only mapping does not (saves use JSON)
        with pytest.raises(TypeError, match="mappingproxy"):
            pickle.dumps(built)
    assert fast.trail == ("one.gate:open",) and fast.at_step(0) is first


def test_options_are_the_ones_the_dataclass_builds(write_story: Callable[..., Path]) -> None:
    story = load_story(write_story())
    state = engine.start(story, "guard", 1)
    options = engine.choices(story, state)
    assert options
    for option in options:
        plain = Option(option.id, option.text, option.enabled, option.number, option.choice)
        assert type(option) is Option
        assert option == plain and hash(option) == hash(plain) and repr(option) == repr(plain)
        with pytest.raises(dataclasses.FrozenInstanceError):
            option.enabled = False  # type: ignore[misc]


# -- the story is taken out of the cyclic collector's scans, and never leaks ------------


def test_a_loaded_story_is_out_of_the_collectors_scans(write_story: Callable[..., Path]) -> None:
    story = load_story(write_story())
    scanned = gc.get_objects()  # every generation the collector scans; frozen ones are not
    assert gc.get_freeze_count() > 0
    assert not any(o is story or o is story.scenes for o in scanned)


def test_a_dropped_story_is_freed_without_the_cyclic_collector(
    write_story: Callable[..., Path],
) -> None:
    """A frozen object is only ever freed by reference counting: the story, and the
    functions its expressions compiled to, must hold no reference cycle."""
    folder = write_story()
    collecting = gc.isenabled()
    gc.disable()
    try:
        story, _ = load_with_problems(folder, use_cache=False)
        assert story is not None
        functions = [
            c.condition.function
            for s in story.scenes.values()
            for c in s.choices
            if c.condition is not None
        ]
        assert functions
        alive = [weakref.ref(story), *(weakref.ref(f) for f in functions)]
        del story, functions
        assert [ref() for ref in alive] == [None] * len(alive)
    finally:
        if collecting:
            gc.enable()
