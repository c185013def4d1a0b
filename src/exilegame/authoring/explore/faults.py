"""Conditions that cannot be computed: a division by a variable that is zero.

Play reads such a condition as false (`engine.holds`); the explorer reports each one it
meets, saying where it is written, as the author's to fix.
"""

from __future__ import annotations

from exilegame.errors import AuthorError, ExprFault, Where
from exilegame.expr import Compiled
from exilegame.state import State
from exilegame.story import Story

__all__ = ["faults", "may_fault"]


def may_fault(story: Story) -> bool:
    """Whether any condition of the story divides by a variable (so `faults` can find one)."""
    conditions = [c.condition for s in story.scenes.values() for c in s.choices]
    conditions += [p.condition for s in story.scenes.values() for p in s.text]
    conditions += [v.condition for ph in story.phases for v in ph.outcome.yours]
    conditions += [e.condition for e in story.endings]
    return any(c is not None and c.divides for c in conditions)


def faults(story: Story, state: State) -> list[AuthorError]:
    """The conditions that cannot be computed in this state (a division by zero), each as an
    AuthorError saying where it is written. Play reads them as false; the explorer reports
    them. Only conditions that divide by a variable are tried, so this is cheap."""
    scene = story.scenes[state.scene]
    tried: list[tuple[Compiled | None, Where | None]] = [
        (c.condition, c.where) for c in scene.choices
    ]
    tried += [(p.condition, scene.where) for p in scene.text]
    if not scene.choices:
        phase = story.phases[story.phase_index[scene.phase]]
        tried += [(v.condition, scene.where) for v in phase.outcome.yours]
        tried += [(e.condition, None) for e in story.endings]
    found = []
    for condition, where in tried:
        if condition is None or not condition.divides:
            continue
        try:
            condition.function(state.vars, state)
        except ExprFault as fault:
            found.append(AuthorError(fault.reason, condition.source, where))
    return found
