"""The two searches: random playthroughs and an exhaustive breadth-first search of states.

Both, both driven by `engine.choices` / `engine.choose`, so they explore exactly what
players get:

    explore_random(story, runs, seed)       N random playthroughs per role
    explore_exhaustive(story, max_states)   breadth-first over every distinct state

A state is identified by `engine.state_key` (role, scene, variables, tracked visit counts,
and the step when the story reads turns() or chance()). Breadth-first order means the first
time a state is met it is met by a shortest trail, and each State already links to the state
before it, so the reported trails are shortest without separate parent pointers.
"""

from __future__ import annotations

import functools
import gc
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar

from exilegame import engine
from exilegame.authoring.explore import compact, packing, slicing
from exilegame.authoring.explore.abstraction import state_key_for
from exilegame.authoring.explore.analyses import (
    inconsequential_choices,
    inert_variables,
    same_effect_choices,
    saturation,
)
from exilegame.authoring.explore.meter import Progress, peak_memory_mb
from exilegame.authoring.explore.observe import observation, witnessed_choices
from exilegame.authoring.explore.report import Report
from exilegame.authoring.explore.slicing import control_key_for
from exilegame.authoring.explore.tally import Tally, applies, trail_of
from exilegame.engine import State, Status
from exilegame.errors import AuthorError
from exilegame.story import Story

__all__ = [
    "MAX_STATES",
    "MEASURE_STATES",
    "RANDOM_MEASURE_STATES",
    "StateGraph",
    "applies",
    "build_graph",
    "explore_exhaustive",
    "explore_random",
    "trail_of",
]


MAX_STATES = 3_000_000  # the exhaustive search's default bound (compact states: ~100 B each)
MEASURE_STATES = 200_000  # its default bound on the graph of what is shown (~1 KB a state)
RANDOM_MEASURE_STATES = 20_000  # random mode's bound on the graph it measures choices on

R = TypeVar("R")


def _quietly(search: Callable[..., R]) -> Callable[..., R]:
    """Pause the cycle collector during a search: it makes millions of acyclic tuples and
    States, which reference counting frees, and the collector's rescans of them cost up to
    a third of the time on large stories."""

    @functools.wraps(search)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return search(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper


def _roles(story: Story, roles: Iterable[str] | None) -> list[str]:
    return list(roles) if roles else list(story.roles)


def explore_random(
    story: Story,
    runs: int,
    seed: int = 0,
    roles: Iterable[str] | None = None,
    max_steps: int = 1000,
    progress: TextIO | None = None,
    max_states: int = RANDOM_MEASURE_STATES,
) -> Report:
    """`runs` random playthroughs per role, each picking uniformly among available options.

    Which choices are inconsequential is measured on the exhaustive graph (for `seed` as
    the game seed), when it has at most `max_states` states; else it is left unmeasured.
    """
    roles_ = _roles(story, roles)
    tally = Tally(story, roles_)
    rng = random.Random(seed)
    bar = Progress(runs * len(roles_), "runs", progress)
    began = time.perf_counter()
    ends: list[State] = []
    finals: list[State] = []
    done = 0
    for role in roles_:
        for _ in range(runs):
            state = engine.start(story, role, rng.randrange(1_000_000))
            while True:
                scene = story.scenes[state.scene]
                tally.scenes.add(state.scene)
                if scene.role and scene.role != role:
                    tally.find("wrong-role", state)
                options = [o for o in engine.choices(story, state) if o.enabled]
                if not options:
                    if engine.status(story, state) is Status.GAME_END:
                        reached = engine.ending(story, state).id
                        tally.endings[reached] = tally.endings.get(reached, 0) + 1
                        ends.append(state)
                    else:
                        tally.find("stuck", state)
                    break
                if state.step >= max_steps:
                    tally.find("endless", state)
                    break
                tally.faults(state)
                option = rng.choice(options)
                if option.choice is not None:
                    tally.taken.add(option.choice.key)
                try:
                    state = engine.choose(story, state, option.id)
                except AuthorError as error:  # play keeps the state: so does the run
                    tally.find("author-error", state, error)
                    break
            finals.append(state)
            done += 1
            bar.update(done)
    bar.close()
    report = tally.report("random", seed, 0.0, done)
    if ends:
        report.shortest = trail_of(story, min(ends, key=lambda s: s.step))
        report.longest = trail_of(story, max(ends, key=lambda s: s.step))
    report.saturation = saturation(story, finals)
    report.max_states = max_states
    graph = _quietly(build_graph)(story, roles_, seed, max_states, None, progress)
    _measure_choices(story, graph, report, tally.taken, finals, seed)
    report.elapsed = time.perf_counter() - began
    report.peak_mb = peak_memory_mb()
    return report


@dataclass
class StateGraph:
    """The states an exhaustive search met, by index, with what the player sees in each.

    `obs[i]` numbers what state i shows (its scene, paragraphs, options offered or locked,
    outcome texts and ending); `succ[i]` lists (option id, successor index) for each option
    that can be taken, with -1 for a successor left out at the bound.
    """

    states: list[State] = field(default_factory=list)
    obs: list[int] = field(default_factory=list)
    succ: list[tuple[tuple[str, int], ...]] = field(default_factory=list)
    complete: bool = True


def build_graph(
    story: Story,
    roles: list[str],
    seed: int,
    max_states: int,
    tally: Tally | None = None,
    progress: TextIO | None = None,
    key_for: Callable[[Story], Callable[[Story, State], tuple[Any, ...]]] | None = None,
    observe: bool = True,
) -> StateGraph:
    """Every distinct reachable state (up to `max_states`), breadth first, as a graph.

    States are told apart by the key `key_for` makes: by default what the player sees from
    there on (abstraction.py); `control_key_for` merges states that differ only in what is
    shown (slicing.py), which is enough for the problems. Without `observe`, `obs` and
    `succ` are left empty (the problems need only the states)."""
    graph = StateGraph()
    states, obs, succ = graph.states, graph.obs, graph.succ
    index: dict[tuple[Any, ...], int] = {}
    observed: dict[tuple[Any, ...], int] = {}
    state_key = (key_for or state_key_for)(story)
    for role in roles:
        first = engine.start(story, role, seed)
        key = state_key(story, first)
        if key not in index:
            index[key] = len(states)
            states.append(first)
    bar = Progress(max_states, "states", progress)
    scenes = story.scenes
    choices, choose = engine.choices, engine.choose
    head = 0
    while head < len(states):  # `states` is the breadth-first queue too
        state = states[head]
        head += 1
        options = choices(story, state)
        enabled = [o for o in options if o.enabled]
        if observe:
            seen = observation(story, state, options)
            obs.append(observed.setdefault(seen, len(observed)))
        if tally is not None:
            scene = scenes[state.scene]
            tally.scenes.add(state.scene)
            if scene.role and scene.role != state.role:
                tally.find("wrong-role", state)
            if not enabled:
                if engine.status(story, state) is Status.GAME_END:
                    reached = engine.ending(story, state).id
                    tally.endings[reached] = tally.endings.get(reached, 0) + 1
                else:
                    tally.find("stuck", state)
        edges = []
        if tally is not None:
            tally.faults(state)
        for option in enabled:
            if tally is not None and option.choice is not None:
                tally.taken.add(option.choice.key)
            try:
                nxt = choose(story, state, option.id)
            except AuthorError as error:  # the choice cannot be taken here: no edge
                if tally is not None:
                    tally.find("author-error", state, error)
                continue
            key = state_key(story, nxt)
            known = index.get(key)
            if known is None:
                if len(states) >= max_states:
                    graph.complete = False
                    known = -1
                else:
                    known = index[key] = len(states)
                    states.append(nxt)
            edges.append((option.id, known))
        if observe:
            succ.append(tuple(edges))
        if not head & 1023:
            bar.update(len(states))
    bar.close()
    return graph


@dataclass
class _Problems:
    size: int
    complete: bool
    tally: Tally
    bound: int  # the bound the search ran under


def _problem_search(
    story: Story,
    roles: list[str],
    seed: int,
    max_states: int,
    engine_states: int,
    tally: Tally,
    progress: TextIO | None,
) -> _Problems:
    """The problem search: on compact states (compact.py) where it applies, else (a story
    that divides by a variable, or a control key other than slicing's) on engine States,
    of about 1 KB each, so at most `engine_states` of them."""
    if control_key_for is slicing.control_key_for and packing.supports(story):
        try:
            found = compact.control_search(story, roles, seed, max_states, tally, progress)
            return _Problems(found.size, found.complete, tally, max_states)
        except packing.Unsupported:
            tally = Tally(story, roles)  # start again, counting from nothing
    bound = min(max_states, engine_states)
    graph = build_graph(story, roles, seed, bound, tally, progress, control_key_for, observe=False)
    return _Problems(len(graph.states), graph.complete, tally, bound)


@_quietly
def explore_exhaustive(
    story: Story,
    max_states: int = MAX_STATES,
    seed: int = 0,
    roles: Iterable[str] | None = None,
    progress: TextIO | None = None,
    measure: bool = True,
    shown_states: int | None = None,
) -> Report:
    """Visit every distinct reachable state (up to `max_states`), breadth first.

    The problems are found on states that differ in what can happen (slicing.py), which
    is exact for them and far smaller than the states that differ in what is shown; on
    compact states (compact.py) they cost some 100 bytes each. With `measure`, the
    variables whose value never makes a difference and the choices that change nothing
    the player sees later are then measured on the full graph of what is shown, when it
    has at most `shown_states` states (default: `max_states`, at most MEASURE_STATES, as
    its states are engine States of about 1 KB each); else `choices_measured` is False.
    """
    roles_ = _roles(story, roles)
    tally = Tally(story, roles_)
    began, cpu = time.perf_counter(), time.process_time()
    shown_bound = min(max_states, MEASURE_STATES) if shown_states is None else shown_states
    graph = _problem_search(story, roles_, seed, max_states, shown_bound, tally, progress)
    tally = graph.tally
    report = tally.report("exhaustive", seed, 0.0, graph.size)
    report.complete = graph.complete
    report.max_states = graph.bound
    report.shown_max_states = shown_bound
    report.never_available = [
        c.key
        for sc in story.scenes.values()
        if sc.id in tally.scenes
        for c in sc.choices
        if c.key not in tally.taken and applies(c, tally.roles)
    ]
    if measure:
        # What is shown needs the full graph; it has at least as many states as the
        # control graph, so when that one is incomplete or larger than the bound it is
        # not tried.
        shown = StateGraph(complete=False)
        if graph.complete and graph.size <= shown_bound:
            del graph  # free the control graph's states before the larger search
            shown = build_graph(story, roles_, seed, shown_bound, None, progress)
            report.shown_states = len(shown.states)
        if shown.complete:  # a partial graph would prove nothing about them
            report.inert_variables = inert_variables(story, shown.states)
        _measure_choices(story, shown, report, tally.taken)
    report.elapsed = time.perf_counter() - began
    report.cpu_s = time.process_time() - cpu
    searched = report.runs + report.shown_states
    report.states_per_s = searched / report.elapsed if report.elapsed else 0.0
    report.peak_mb = peak_memory_mb()
    return report


def _measure_choices(
    story: Story,
    graph: StateGraph,
    report: Report,
    taken: set[str],
    runs: Iterable[State] = (),
    seed: int = 0,
) -> None:
    """Fill in the inconsequential choices: exactly when the graph holds every state. Else
    count only the certain ones (same target and effect as every option beside them), look
    in the random runs for proof that the others matter, and list those left undetermined."""
    report.choices_measured = graph.complete
    if graph.complete:
        found = inconsequential_choices(story, graph.states, graph.obs, graph.succ)
        report.inconsequential_choices, report.lone_choices = found
        return
    every = [c.key for s in story.scenes.values() for c in s.choices]
    same, lone = same_effect_choices(story, report.roles, taken)
    report.inconsequential_choices, report.lone_choices = same, lone
    open_ = taken - set(same)
    shown = witnessed_choices(story, runs, open_, state_key_for(story), seed)
    report.undetermined_choices = [k for k in every if k in open_ - shown]
