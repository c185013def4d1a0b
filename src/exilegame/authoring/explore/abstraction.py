"""States that play the same, merged before they are explored: a number between the same
thresholds.

A story's numbers are mostly gauges: changed by constants (`trust += 1`), clamped to
`min:`/`max:`, and read by comparisons with constants (`trust >= 9`). Then, at a given
scene, two values of a gauge that every comparison still to come (on any path from that
scene, through the effects on the way) puts on the same side play identically, and the
explorer keeps one state for both. For each scene and each such number this module works
out the *breakpoints* k (values below k and from k up are told apart):

    B(scene) = thresholds read at the scene (paragraphs, choices; at an end, the outcome
               texts, endings and epilogue)
             + for each choice, B(target) pulled back through its effect
               (`x += d` moves k to k - d; `x = c` forgets them all; a breakpoint at or
               below `min:` or above `max:` tells nothing and is dropped)

iterated to a fixed point. A number that only grows never goes below its start (nor one that
only shrinks above it), which bounds it as `min:`/`max:` would. A number used any other way
(in arithmetic, compared with a variable, changed by a variable) is kept whole, as is one
whose breakpoints would not stay few (an unbounded counter in a loop), and one an effect
reads (`loud = cheer >= 1`: it is kept whole wherever it may still matter). The merge is exact:
every condition gives the same result in merged states, now and after any sequence of
choices, so the explorer's findings and measures are those of the full state space, with
fewer states.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from exilegame.authoring.explore.roles import may_offer
from exilegame.engine import State
from exilegame.expr import INT, Compiled
from exilegame.expr.thresholds import OPAQUE, usage
from exilegame.story import Story

__all__ = ["breakpoints", "state_key_for"]

MAX_BREAKPOINTS = 64  # beyond this many at one scene, a number is kept whole


def _reads_at(story: Story, scene_id: str) -> list[Compiled]:
    scene = story.scenes[scene_id]
    found = [p.condition for p in scene.text if p.condition is not None]
    found += [c.condition for c in scene.choices if c.condition is not None]
    if not scene.choices:
        found += [
            v.condition for v in story.phase_of(scene_id).outcome.yours if v.condition is not None
        ]
        if scene.ends_game or story.next_phase(scene.phase) is None:
            for ending in story.endings:
                if ending.condition is not None:
                    found.append(ending.condition)
                found += [p.condition for p in ending.text if p.condition is not None]
            found += [p.condition for p in story.epilogue if p.condition is not None]
    return found


def _reachable_bounds(
    story: Story, name: str, edges: list[tuple[str, str, list[tuple[str, str, int]]]]
) -> tuple[int | None, int | None]:
    """The declared `min:`/`max:`, tightened for a number that only ever grows (or only
    shrinks): it never goes below its start and the values it is set to (or above)."""
    var = story.variables[name]
    low, high = var.min, var.max
    changes = [(op, amount) for _, _, a in edges for target, op, amount in a if target == name]
    start = var.start
    assert isinstance(start, int)
    sets = [amount for op, amount in changes if op == "set"]
    if all(amount >= 0 for op, amount in changes if op == "add"):
        floor = min([start, *sets])
        low = floor if low is None else max(low, floor)
    if all(amount <= 0 for op, amount in changes if op == "add"):
        ceiling = max([start, *sets])
        high = ceiling if high is None else min(high, ceiling)
    return low, high


def breakpoints(
    story: Story,
    reads_at: Callable[[Story, str], list[Compiled]] | None = None,
    role: str | None = None,
) -> dict[str, dict[str, tuple[int, ...]]]:
    """For each number that can be merged, its breakpoints at each scene. `reads_at` gives
    the conditions read at a scene (by default every one: shown text as well as control).
    With a `role`, for that role's states only: the choices that cannot be offered to it
    (`if: role == "other"`) are left out, with what they read and do."""
    reads_at = reads_at or _reads_at
    numbers = {n for n, v in story.variables.items() if v.kind == INT}
    reads: dict[str, dict[str, set[int]]] = {}
    for scene_id in story.scenes:
        here: dict[str, set[int]] = {}
        for compiled in reads_at(story, scene_id):
            for name, found in usage(compiled).variables.items():
                if found is OPAQUE:
                    numbers.discard(name)
                else:
                    here.setdefault(name, set()).update(found)
        reads[scene_id] = here
    edges: list[tuple[str, str, list[tuple[str, str, int]]]] = []  # (from, to, assignments)
    for scene in story.scenes.values():
        for choice in scene.choices:
            if not may_offer(choice, role):
                continue
            assignments = []
            if choice.effect is not None:
                used = usage(choice.effect)
                for name in used.variables:  # read by an effect (`loud = cheer >= 1`)
                    numbers.discard(name)  # its thresholds there are not followed: whole
                assignments = used.assignments
                for name, op, _ in assignments:
                    if op == "opaque":
                        numbers.discard(name)
            edges.append((scene.id, choice.target, assignments))
        if not scene.choices and not scene.ends_game:
            nxt = story.next_phase(scene.phase)
            if nxt is not None:
                edges.append((scene.id, nxt.start, []))
    bounds = {n: _reachable_bounds(story, n, edges) for n in numbers}

    def inside(name: str, k: int) -> bool:
        low, high = bounds[name]
        return (low is None or k > low) and (high is None or k <= high)

    table: dict[str, dict[str, set[int]]] = {
        name: {s: {k for k in reads[s].get(name, ()) if inside(name, k)} for s in story.scenes}
        for name in numbers
    }
    changed = True
    while changed and table:
        changed = False
        for source, target, assignments in edges:
            for name in list(table):
                pulled = set(table[name][target])
                for assigned, op, amount in reversed(assignments):
                    if assigned != name:
                        continue
                    if op == "set":
                        pulled = set()
                    else:
                        pulled = {k - amount for k in pulled if inside(name, k)}
                pulled = {k for k in pulled if inside(name, k)}
                mine = table[name][source]
                if not pulled <= mine:
                    mine |= pulled
                    changed = True
                    if len(mine) > MAX_BREAKPOINTS:
                        del table[name]  # kept whole
    return {
        name: {s: tuple(sorted(ks)) for s, ks in by_scene.items()}
        for name, by_scene in table.items()
    }


def state_key_for(story: Story) -> Callable[[Story, State], tuple[Any, ...]]:
    """A drop-in for `engine.state_key` that merges numbers between the same breakpoints."""
    merged = breakpoints(story)
    if not merged:
        from exilegame.engine import state_key

        return state_key
    names = list(story.variables)
    plan = {
        scene: [(names.index(name), merged[name][scene]) for name in merged]
        for scene in story.scenes
    }
    turns = story.uses_turns

    def key(story: Story, state: State) -> tuple[Any, ...]:
        values = list(state.vars.values())
        for index, ks in plan[state.scene]:
            values[index] = bisect_right(ks, values[index])
        found: tuple[Any, ...] = (
            state.role,
            state.scene,
            tuple(values),
            tuple(sorted(state.visits.items())),
        )
        if turns:
            found += (state.seed, state.step)
        return found

    return key
