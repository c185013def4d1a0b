"""What the explorer measures beyond coverage: whether choices and variables make a difference.

    observable_classes       which states have the same observable future (bisimulation)
    inconsequential_choices  choices whose alternatives all lead to the same observable future
    inert_variables          variables whose value no condition the player sees depends on
    saturation               how often each shown gauge ends a phase at its min or max

Each is defined for authors in docs/testing-stories.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from exilegame import engine
from exilegame.engine import State
from exilegame.errors import ExprFault
from exilegame.expr import Compiled, Value
from exilegame.story import CONTINUE, Choice, Story

__all__ = [
    "inconsequential_choices",
    "inert_variables",
    "observable_classes",
    "same_effect_choices",
    "saturation",
    "unread_variables",
]


# -- choices -------------------------------------------------------------------------------


def observable_classes(
    obs: Sequence[int], succ: Sequence[tuple[tuple[str, int], ...]]
) -> list[int]:
    """Number the states so that two get the same number exactly when their observable
    futures are identical: they show the same now and, option by option, lead to states
    whose futures are identical again (the coarsest bisimulation of the labelled graph).

    States that cannot reach a cycle are numbered in one pass from the ends backwards (a
    state's number is that of its observation and its successors' numbers). The others,
    whose futures are endless, are refined by Moore's algorithm: start from the observation,
    split by the successors' classes, until no class splits.
    """
    n = len(obs)
    preds: list[list[int]] = [[] for _ in range(n)]
    pending = [len(edges) for edges in succ]
    for i, edges in enumerate(succ):
        for _, j in edges:
            preds[j].append(i)
    cls = [-1] * n
    table: dict[tuple[Any, ...], int] = {}
    ready = [i for i in range(n) if not pending[i]]
    while ready:
        i = ready.pop()
        signature = (obs[i], tuple((label, cls[j]) for label, j in succ[i]))
        cls[i] = table.setdefault(signature, len(table))
        for p in preds[i]:
            pending[p] -= 1
            if not pending[p]:
                ready.append(p)
    rest = [i for i in range(n) if cls[i] < 0]
    if not rest:
        return cls
    # Endless futures: classes numbered apart from the finite ones (never equal to them).
    part = {i: obs[i] for i in rest}
    count = len(set(part.values()))
    while True:
        refined: dict[tuple[Any, ...], int] = {}
        new = {
            i: refined.setdefault(
                (
                    part[i],
                    tuple((label, cls[j] if cls[j] >= 0 else -1 - part[j]) for label, j in succ[i]),
                ),
                len(refined),
            )
            for i in rest
        }
        part = new
        if len(refined) == count:
            break
        count = len(refined)
    base = len(table)
    for i in rest:
        cls[i] = base + part[i]
    return cls


def inconsequential_choices(
    story: Story,
    states: Sequence[State],
    obs: Sequence[int],
    succ: Sequence[tuple[tuple[str, int], ...]],
) -> tuple[list[str], list[str]]:
    """The authored choices that never change what the player sees later, and among them
    the *lone* ones, never offered beside another option that can be taken.

    A choice is inconsequential when, in every state where it can be taken, every option
    that can be taken there leads to a state with the same observable future as its own.
    Choices never taken are left out (the coverage lines report them).
    """
    cls = observable_classes(obs, succ)
    taken: dict[str, bool] = {}  # choice key -> ever beside another option
    matters: set[str] = set()
    for i, edges in enumerate(succ):
        if not edges:
            continue
        scene = states[i].scene
        keys = [f"{scene}:{label}" for label, _ in edges]
        if edges[0][0] == CONTINUE and not story.scenes[scene].choices:
            continue  # the engine's own hand-over to the next phase
        for key in keys:
            taken[key] = taken.get(key, False) or len(edges) > 1
        if len({cls[j] for _, j in edges}) > 1:
            matters.update(keys)
    order = {c.key: n for n, c in enumerate(c for s in story.scenes.values() for c in s.choices)}
    same = sorted((k for k in taken if k not in matters), key=order.__getitem__)
    return same, [k for k in same if not taken[k]]


def unread_variables(story: Story) -> set[str]:
    """Variables no condition reads, even through other variables (`a = b` makes `b` read
    when `a` is): whatever they hold, nothing the player sees changes (the side panel aside)."""
    read: set[str] = set()
    flows: list[tuple[frozenset[str], frozenset[str]]] = []
    for compiled in _every_expression(story):
        if compiled.kind == "if":
            read |= compiled.reads
        else:
            flows.append((compiled.reads, compiled.writes))
    grew = True
    while grew:
        grew = False
        for reads, writes in flows:
            if writes & read and not reads <= read:
                read |= reads
                grew = True
    return set(story.variables) - read


def _every_expression(story: Story) -> Iterator[Compiled]:
    for scene_id in story.scenes:
        conditions, effects = _readers(story, scene_id)
        yield from conditions
        for _, effect in effects:
            yield effect


def same_effect_choices(
    story: Story, roles: Sequence[str], taken: set[str]
) -> tuple[list[str], list[str]]:
    """The taken choices that lead where every other option that may be offered beside them
    leads, with the same effect on every variable some condition reads: certainly
    inconsequential, found without the state graph (a lower bound of the exact measure),
    and among them the lone ones (no other option may be offered beside them)."""
    unread = unread_variables(story)

    def consequence(choice: Choice) -> tuple[str, tuple[str, ...]]:
        if choice.effect is None:
            return choice.target, ()
        kept = [
            part.strip()
            for part in choice.effect.source.replace("\n", ";").split(";")
            if part.strip() and part.split("=")[0].strip(" +-") not in unread
        ]
        return choice.target, tuple(kept)

    def who(choice: Choice, scene_role: str) -> frozenset[str]:
        found = frozenset({scene_role}) if scene_role else frozenset(roles)
        cond = choice.condition
        if cond is not None and cond.for_roles is not None:
            found &= cond.for_roles
        return found & frozenset(roles)

    same: list[str] = []
    lone: list[str] = []
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.key not in taken:
                continue
            mine = who(choice, scene.role)
            if not mine:
                continue  # not offered to the roles explored
            beside = [d for d in scene.choices if d is not choice and who(d, scene.role) & mine]
            if all(consequence(d) == consequence(choice) for d in beside):
                same.append(choice.key)
                if not beside:
                    lone.append(choice.key)
    return same, lone


# -- variables ------------------------------------------------------------------------------


def _readers(
    story: Story, scene_id: str
) -> tuple[list[Compiled], list[tuple[Compiled | None, Compiled]]]:
    """The expressions read in a state at this scene: the conditions whose results decide
    what the player sees, and (condition or None, effect) for each choice's effect."""
    scene = story.scenes[scene_id]
    conditions = [p.condition for p in scene.text if p.condition is not None]
    conditions += [c.condition for c in scene.choices if c.condition is not None]
    effects: list[tuple[Compiled | None, Compiled]] = [
        (c.condition, c.effect) for c in scene.choices if c.effect is not None
    ]
    if not scene.choices:
        outcome = story.phase_of(scene.id).outcome.yours
        conditions += [v.condition for v in outcome if v.condition is not None]
        if scene.ends_game or story.next_phase(scene.phase) is None:
            for ending in story.endings:
                if ending.condition is not None:
                    conditions.append(ending.condition)
                conditions += [p.condition for p in ending.text if p.condition is not None]
            conditions += [p.condition for p in story.epilogue if p.condition is not None]
    return conditions, effects


def _sensitivity(
    compiled: Compiled,
    vars_: Mapping[str, Value],
    state: State,
    domains: Mapping[str, list[Value]],
) -> tuple[set[str], set[tuple[str, str]]]:
    """Which variables this expression's result depends on, here: for a condition, the
    variables whose other values would change its result; for an effect, the pairs
    (read, written) where another value of the read one changes what is written."""
    shown: set[str] = set()
    flows: set[tuple[str, str]] = set()
    if compiled.kind == "if":
        base = _result(compiled, vars_, state)
        for name in compiled.reads:
            for value in domains[name]:
                if (
                    value != vars_[name]
                    and _result(compiled, {**vars_, name: value}, state) != base
                ):
                    shown.add(name)
                    break
        return shown, flows
    after = _applied(compiled, vars_, state)
    for name in compiled.reads:
        for value in domains[name]:
            if value == vars_[name]:
                continue
            other = _applied(compiled, {**vars_, name: value}, state)
            for written in compiled.writes:
                if written != name and (
                    after is None or other is None or other[written] != after[written]
                ):
                    flows.add((name, written))
    return shown, flows


_FAULT = object()  # what an expression that cannot be computed (an author error) gives


def _result(compiled: Compiled, vars_: Mapping[str, Value], state: State) -> object:
    try:
        return compiled.function(vars_, state)
    except ExprFault:
        return _FAULT


def _applied(
    compiled: Compiled, vars_: Mapping[str, Value], state: State
) -> dict[str, Value] | None:
    out = dict(vars_)
    try:
        compiled.function(out, state)
    except ExprFault:
        return None
    return out


def inert_variables(story: Story, states: Sequence[State]) -> dict[str, str]:
    """Variables whose value never makes a difference to play, each with the reason.

    A variable is *constant* when it keeps its start value in every reachable state. It is
    *inert* when it takes several values but, in every reachable state, no condition that
    decides what the player sees (a paragraph, a choice, an outcome text, the ending) would
    give another result with another of those values, and no effect that can be taken would
    write another value into a variable that is not itself inert. The test is made at every
    state where each condition is read, so it does not depend on which other states happen
    to exist.
    """
    names = list(story.variables)
    values: dict[str, set[Value]] = {name: set() for name in names}
    for state in states:
        for name, value in state.vars.items():
            values[name].add(value)
    domains = {name: sorted(found, key=repr) for name, found in values.items()}
    shown: set[str] = set()
    flows: set[tuple[str, str]] = set()
    memo: dict[tuple[Any, ...], tuple[set[str], set[tuple[str, str]]]] = {}
    readers = {sid: _readers(story, sid) for sid in story.scenes}
    inputs = {
        id(c): (tuple(sorted(c.reads)), tuple(sorted(c.scenes)), c.uses_turns)
        for conditions, effects in readers.values()
        for c in [*conditions, *(e for _, e in effects)]
    }

    def check(compiled: Compiled, state: State) -> None:
        reads, scenes, turns = inputs[id(compiled)]
        vars_, visits = state.vars, state.visits
        key = (
            id(compiled),
            state.role,
            tuple([vars_[name] for name in reads]),
            (state.seed, state.step) if turns else (),
            tuple([visits.get(s, 0) for s in scenes]),
        )
        found = memo.get(key)
        if found is None:
            found = memo[key] = _sensitivity(compiled, vars_, state, domains)
            shown.update(found[0])
            flows.update(found[1])

    for state in states:
        conditions, effects = readers[state.scene]
        for compiled in conditions:
            check(compiled, state)
        for guard, effect in effects:
            if engine.holds(guard, state):
                check(effect, state)
    relevant = set(shown)
    grew = True
    while grew:
        grew = False
        for read, written in flows:
            if written in relevant and read not in relevant:
                relevant.add(read)
                grew = True
    out: dict[str, str] = {}
    for name in names:
        if len(values[name]) <= 1:
            start = story.variables[name].start
            out[name] = f"it keeps its start value ({json.dumps(start)}) in every reachable state"
        elif name not in relevant:
            out[name] = (
                f"it takes {len(values[name])} values, but no condition the player sees "
                "depends on which"
            )
    return out


# -- gauges ---------------------------------------------------------------------------------


def saturation(story: Story, finals: Sequence[State]) -> dict[str, dict[str, dict[str, float]]]:
    """For each number the player is shown that has a `min:` and a `max:`, the share of the
    runs that finished each phase with it at its minimum and at its maximum."""
    gauges = [
        v for v in story.variables.values() if v.show and v.min is not None and v.max is not None
    ]
    if not gauges:
        return {}
    counts: dict[str, dict[str, list[int]]] = {v.name: {} for v in gauges}
    finished: dict[str, int] = {}
    for final in finals:
        for phase, state in engine.phase_ends(story, final):
            finished[phase.id] = finished.get(phase.id, 0) + 1
            for var in gauges:
                at = counts[var.name].setdefault(phase.id, [0, 0])
                value = state.vars[var.name]
                at[0] += value == var.min
                at[1] += value == var.max
    return {
        name: {
            phase.id: {"min": by_phase[phase.id][0] / n, "max": by_phase[phase.id][1] / n}
            for phase in story.phases
            if (n := finished.get(phase.id, 0)) and phase.id in by_phase
        }
        for name, by_phase in counts.items()
    }
