"""States that are the same for *control*, merged for the problem search.

The exhaustive search answers control questions: which scenes, choices and endings can be
reached, where play gets stuck, which role lands in whose scene. Only three kinds of
expression decide them: choice `if:` conditions (what is offered), ending `if:` conditions
(which ending is reached), and the effects that feed them. Paragraph, outcome-variant,
ending-text and epilogue conditions only decide what is *shown*, never where play can go.

So, at each scene, a variable is *live* for control when some control condition may read
it before it is overwritten:

    live(scene) = variables read by the control conditions at the scene
                + for each way on (a choice, or the "continue" into the next phase),
                  live(target) pulled back through its effect: `x = e` with x live
                  makes x dead and e's variables live; `x += e` keeps x live and adds
                  e's variables; an assignment to a dead variable reads nothing

iterated to a fixed point. A dead variable is dropped from the state key; a number that
abstraction.py can merge between thresholds is merged between the thresholds of control
conditions only; a visit count no control expression or effect reads is dropped. Merged
states offer the same choices, move the same way and end the same way after any sequence
of choices, so the problems found are exactly those of the full state space. Measures
that need what the player sees (inconsequential choices, inert variables) are taken on
the full graph instead (search.py).
"""

from __future__ import annotations

import ast
import functools
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from exilegame.authoring.explore.abstraction import breakpoints
from exilegame.authoring.explore.roles import for_role, may_offer
from exilegame.engine import State
from exilegame.expr import Compiled
from exilegame.expr.thresholds import usage
from exilegame.story import Story

__all__ = ["Plan", "control_key_for", "control_plan", "control_reads_at", "live_variables"]


def control_reads_at(story: Story, scene_id: str, role: str | None = None) -> list[Compiled]:
    """The conditions at a scene that decide where play can go (not what is shown); with
    a `role`, as they read in that role's states (roles.py: a test of the role decided,
    a condition it makes constant left out)."""
    scene = story.scenes[scene_id]
    found = [c.condition for c in scene.choices if c.condition is not None]
    if not scene.choices and (scene.ends_game or story.next_phase(scene.phase) is None):
        found += [e.condition for e in story.endings if e.condition is not None]
    if role is None:
        return found
    decided = [for_role(c, role) for c in found]
    return [c for c in decided if not isinstance(c, bool)]


def _names(node: ast.AST, variables: set[str]) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in variables}


def _pull_back(live: set[str], effect: Compiled | None, variables: set[str]) -> set[str]:
    """The variables live before an effect, given those live after it."""
    if effect is None:
        return set(live)
    before = set(live)
    for stmt in reversed(ast.parse(effect.source.strip(), mode="exec").body):
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) else getattr(stmt, "target", None)
        if not isinstance(target, ast.Name) or len(getattr(stmt, "targets", [target])) != 1:
            before |= _names(stmt, variables)  # not a plain assignment: keep all it reads
            continue
        if target.id not in before:
            continue  # feeds nothing control reads
        if isinstance(stmt, ast.Assign):
            before.discard(target.id)
        value = getattr(stmt, "value", None)
        if value is not None:
            before |= _names(value, variables)
    return before


def live_variables(story: Story, role: str | None = None) -> dict[str, set[str]]:
    """For each scene, the variables some control condition may read from there on (with
    a `role`, in that role's states: the choices it cannot be offered left out)."""
    variables = set(story.variables)
    live = {
        s: set().union(
            *(
                _names(ast.parse(c.source.strip(), mode="eval"), variables)
                for c in control_reads_at(story, s, role)
            )
        )
        for s in story.scenes
    }
    edges: list[tuple[str, str, Compiled | None]] = []
    for scene in story.scenes.values():
        edges += [(scene.id, c.target, c.effect) for c in scene.choices if may_offer(c, role)]
        if not scene.choices and not scene.ends_game:
            nxt = story.next_phase(scene.phase)
            if nxt is not None:
                edges.append((scene.id, nxt.start, None))
    changed = True
    while changed:
        changed = False
        for source, target, effect in edges:
            pulled = _pull_back(live[target], effect, variables)
            if not pulled <= live[source]:
                live[source] |= pulled
                changed = True
    return live


def _control_visits(story: Story) -> set[str]:
    """The scenes whose visit counts some control condition or some effect reads."""
    found: set[str] = set()
    for scene_id in story.scenes:
        for compiled in control_reads_at(story, scene_id):
            found |= set(usage(compiled).visits)
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.effect is not None:
                found |= set(usage(choice.effect).visits)
    return found


Plan = dict[tuple[str, str], list[tuple[int, tuple[int, ...] | None]]]


def control_plan(story: Story) -> tuple[Plan, set[str]]:
    """What the control key keeps: per scene and role, (index, thresholds) for each number
    merged between thresholds and (index, None) for each variable kept whole (a variable
    left out is dead there); and the scenes whose visit counts are kept.

    Each role's states are planned on its own: a choice that cannot be offered to the
    role (`if: role == "other"`) leaves out what it reads and the thresholds its effect
    pulls back, so a gauge traded only in the other role's choices merges more."""
    names = list(story.variables)
    plan: Plan = {}
    for role in story.roles:
        merged = breakpoints(story, functools.partial(control_reads_at, role=role), role)
        live = live_variables(story, role)
        for scene in story.scenes:
            plan[scene, role] = [
                (i, merged[name][scene] if name in merged else None)
                for i, name in enumerate(names)
                if name in live[scene] or (name in merged and merged[name][scene])
            ]
    return plan, _control_visits(story)


def control_key_for(story: Story) -> Callable[[Story, State], tuple[Any, ...]]:
    """A state key under which states that are the same for control are one state."""
    plan, visits = control_plan(story)
    turns = story.uses_turns

    def key(story: Story, state: State) -> tuple[Any, ...]:
        values = tuple(state.vars.values())
        kept = tuple(
            values[i] if ks is None else bisect_right(ks, values[i])
            for i, ks in plan[state.scene, state.role]
        )
        found: tuple[Any, ...] = (
            state.role,
            state.scene,
            kept,
            tuple(sorted((s, n) for s, n in state.visits.items() if s in visits)),
        )
        if turns:
            found += (state.seed, state.step)
        return found

    return key
