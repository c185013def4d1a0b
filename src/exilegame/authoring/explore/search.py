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
from collections import deque
from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any, TextIO

from exilegame import engine
from exilegame.authoring.explore.analyses import inert_variables
from exilegame.authoring.explore.report import Finding, Report, Trail
from exilegame.engine import State, Status
from exilegame.story import Choice, Story

__all__ = ["applies", "explore_exhaustive", "explore_random", "trail_of"]


def trail_of(story: Story, state: State) -> Trail:
    """The option numbers a player would type to reach `state`, oldest first."""
    steps = list(state.history())
    steps.reverse()
    numbers = []
    for before, after in pairwise(steps):
        choice_id = after.choice.rpartition(":")[2]
        options = engine.choices(story, before)
        numbers.append(next(o.number for o in options if o.id == choice_id))
    return Trail(state.role, state.seed, tuple(numbers), state.scene)


class Progress:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, total: int, unit: str, out: TextIO | None) -> None:
        self.total = max(total, 1)
        self.unit = unit
        self.out = out
        self.began = time.perf_counter()
        self.shown = 0.0

    def update(self, done: int) -> None:
        if self.out is None:
            return
        now = time.perf_counter()
        if now - self.shown < 0.1:
            return
        self.shown = now
        filled = min(30, 30 * done // self.total)
        rate = done / max(now - self.began, 1e-9)
        self.out.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {done:,}/{self.total:,} "
            f"{self.unit} ({rate:,.0f}/s)"
        )
        self.out.flush()

    def close(self) -> None:
        if self.out is not None:
            self.out.write("\r" + " " * 78 + "\r")
            self.out.flush()


def applies(choice: Choice, roles: list[str]) -> bool:
    """Whether a choice could be offered to one of these roles (`role == ...` tests aside)."""
    condition = choice.condition
    return (
        condition is None or condition.for_roles is None or bool(condition.for_roles & set(roles))
    )


class _Tally:
    """What both searches count: scenes reached, choices taken, endings, findings."""

    def __init__(self, story: Story, roles: list[str]) -> None:
        self.story = story
        self.roles = roles
        self.scenes: set[str] = set()
        self.taken: set[str] = set()
        self.endings: dict[str, int] = {}
        self.findings: dict[tuple[str, str, str], Finding] = {}

    def find(self, kind: str, state: State) -> None:
        """Record a finding; keep the shortest run that shows it."""
        key = (kind, state.scene, state.role)
        known = self.findings.get(key)
        if known is None:
            self.findings[key] = Finding(
                kind, state.scene, state.role, 1, trail_of(self.story, state)
            )
            return
        known.count += 1
        if state.step < len(known.trail.numbers):
            known.trail = trail_of(self.story, state)

    def report(self, mode: str, seed: int, elapsed: float, runs: int) -> Report:
        story = self.story
        playable = [s for s in story.scenes.values() if not s.role or s.role in self.roles]
        choices = [(s, c) for s in playable for c in s.choices if applies(c, self.roles)]
        every_role = set(self.roles) == set(story.roles)  # else an ending may be another's
        return Report(
            mode=mode,
            title=story.title,
            roles=self.roles,
            seed=seed,
            elapsed=elapsed,
            runs=runs,
            scenes_total=len(playable),
            unreached_scenes=[s.id for s in playable if s.id not in self.scenes],
            choices_total=len(choices),
            untaken_choices=[c.key for s, c in choices if c.key not in self.taken],
            endings=dict(sorted(self.endings.items(), key=lambda kv: -kv[1])),
            unreached_endings=[
                e.id for e in story.endings if e.id not in self.endings and every_role
            ],
            findings=sorted(
                self.findings.values(), key=lambda f: (f.kind, len(f.trail.numbers), f.scene)
            ),
        )


def _no_cycle_collector(search: Callable[..., Report]) -> Callable[..., Report]:
    """Pause the cycle collector during a search: it makes millions of acyclic tuples and
    States, which reference counting frees, and the collector's rescans of them cost up to
    a third of the time on large stories."""

    @functools.wraps(search)
    def wrapper(*args: Any, **kwargs: Any) -> Report:
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
) -> Report:
    """`runs` random playthroughs per role, each picking uniformly among available options."""
    roles_ = _roles(story, roles)
    tally = _Tally(story, roles_)
    rng = random.Random(seed)
    bar = Progress(runs * len(roles_), "runs", progress)
    began = time.perf_counter()
    ends: list[State] = []
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
                option = rng.choice(options)
                if option.choice is not None:
                    tally.taken.add(option.choice.key)
                state = engine.choose(story, state, option.id)
            done += 1
            bar.update(done)
    bar.close()
    report = tally.report("random", seed, time.perf_counter() - began, done)
    if ends:
        report.shortest = trail_of(story, min(ends, key=lambda s: s.step))
        report.longest = trail_of(story, max(ends, key=lambda s: s.step))
    return report


@_no_cycle_collector
def explore_exhaustive(
    story: Story,
    max_states: int = 200_000,
    seed: int = 0,
    roles: Iterable[str] | None = None,
    progress: TextIO | None = None,
    variables: bool = True,
) -> Report:
    """Visit every distinct reachable state (up to `max_states`), breadth first.

    With `variables`, also find the variables whose value never makes a difference.
    """
    roles_ = _roles(story, roles)
    tally = _Tally(story, roles_)
    seen: set[tuple[Any, ...]] = set()
    queue: deque[tuple[State, tuple[Any, ...]]] = deque()
    records: list[tuple[tuple[Any, ...], Any, tuple[Any, ...]]] = []
    bar = Progress(max_states, "states", progress)
    began = time.perf_counter()
    complete = True
    for role in roles_:
        first = engine.start(story, role, seed)
        key = engine.state_key(story, first)
        if key not in seen:
            seen.add(key)
            queue.append((first, key))
    scenes = story.scenes
    conditional_text = {sid for sid, s in scenes.items() if any(p.condition for p in s.text)}
    choices, choose, state_key = engine.choices, engine.choose, engine.state_key
    taken, add_record, expanded = tally.taken, records.append, 0
    while queue:
        state, state_id = queue.popleft()
        scene = scenes[state.scene]
        tally.scenes.add(state.scene)
        if scene.role and scene.role != state.role:
            tally.find("wrong-role", state)
        options = choices(story, state)
        enabled = [o for o in options if o.enabled]
        seen_now: Any = (len(options), *(o.id for o in enabled))
        if not enabled:
            if engine.status(story, state) is Status.GAME_END:
                reached = engine.ending(story, state).id
                tally.endings[reached] = tally.endings.get(reached, 0) + 1
                yours = tuple(engine.outcome_texts(story, state, scene.phase))
                seen_now = (seen_now, reached, yours)
            else:
                tally.find("stuck", state)
        elif not scene.choices:  # the end of a phase: its outcome texts are shown
            seen_now = (seen_now, tuple(engine.outcome_texts(story, state, scene.phase)))
        if state.scene in conditional_text:
            seen_now = (seen_now, tuple(engine.text(story, state)))
        successors = []
        for option in enabled:
            if option.choice is not None:
                taken.add(option.choice.key)
            nxt = choose(story, state, option.id)
            key = state_key(story, nxt)
            successors.append(key[2])
            if key in seen:
                continue
            if len(seen) >= max_states:
                complete = False
                continue
            seen.add(key)
            queue.append((nxt, key))
        if variables:
            add_record((state_id, seen_now, tuple(successors)))
        expanded += 1
        if not expanded & 1023:
            bar.update(len(seen))
    bar.close()
    report = tally.report("exhaustive", seed, 0.0, len(seen))
    report.complete = complete
    report.max_states = max_states
    report.never_available = [
        c.key
        for sc in story.scenes.values()
        if sc.id in tally.scenes
        for c in sc.choices
        if c.key not in tally.taken and applies(c, tally.roles)
    ]
    if variables:
        report.inert_variables = inert_variables(story, records)
    report.elapsed = time.perf_counter() - began
    return report
