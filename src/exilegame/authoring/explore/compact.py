"""The problem search on compact states: each state is one int, each step a lookup.

`build_graph` keeps an engine State per state and calls the engine for every option of
every state: about 840 bytes and tens of µs a state. This search keeps per state one int
(packing.py) holding exactly what the control key keeps (slicing.py): a variable dead at
the scene as its start value, a merged number as the first value met in its interval, so
equal keys are equal ints. It asks the engine once per scene and *inputs*:

- at a scene, what is offered and what is counted (an ending, stuck, a wrong role) depends
  on the bits its choice and ending conditions read: one table per search, by those bits;
- a step by an option computes the bits its effect writes, the numbers its target merges
  between other thresholds and the target's visit count, from what the effect reads and
  writes and those numbers: one table per option; every other bit kept at the target
  passes on unchanged, so the next state is `(state & passed) | computed`.

The states, their order, the findings, their counts and their shortest runs are those of
`build_graph` with `control_key_for` (the tests compare them on every test story). A state
costs an int in a set and a list and a link to the state that first reached it (for the
shortest runs, replayed through the engine when a problem needs one). The tables are a
cache, emptied past CACHE_LIMIT entries (turns() makes every state's inputs new).

A story that divides by a variable is searched by `build_graph` (whether a division fails
depends on values the key drops), as is one whose values outgrow their fields.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from exilegame import engine
from exilegame.authoring.explore.meter import Progress
from exilegame.authoring.explore.packing import Layout, Unsupported
from exilegame.authoring.explore.roles import reads_role
from exilegame.authoring.explore.slicing import control_plan
from exilegame.authoring.explore.tally import Tally
from exilegame.engine import State, Status
from exilegame.errors import AuthorError, ExprFault
from exilegame.expr import Compiled, Value
from exilegame.story import Choice, Story

LABEL_BITS = 24  # a step's label in the link to the state before (see control_search)
CACHE_LIMIT = 500_000  # table entries kept before the tables are emptied (they refill)

__all__ = ["CACHE_LIMIT", "ControlGraph", "control_search"]


@dataclass
class ControlGraph:
    """What the compact problem search leaves: how many states, and whether it finished."""

    size: int
    complete: bool


class _Search:
    def __init__(self, story: Story, tally: Tally, seed: int) -> None:
        self.story = story
        self.tally = tally
        self.seed = seed
        self.layout = layout = Layout(story)
        plan, visits = control_plan(story)
        self.plan = plan
        self.kept_visits = [s for s in story.tracked_scenes if s in visits]
        # The value kept for a merged number: the first met in its interval, by (variable,
        # thresholds, interval), so that scenes with the same thresholds share it.
        self.reps: dict[tuple[int, tuple[int, ...], int], Value] = {}
        self.thresholds = {
            scene: {i: ks for i, ks in kept if ks is not None} for scene, kept in plan.items()
        }
        # Per scene and role: the bits kept whole there (role, whole variables, visit counts kept)
        # and the bits of the numbers merged there.
        self.whole: dict[tuple[str, str], int] = {}
        self.merged: dict[tuple[str, str], int] = {}
        visits_mask = 0
        for visited in self.kept_visits:
            visits_mask |= layout.visit_field(visited)
        for key, kept in plan.items():  # key: (scene, role)
            whole = layout.role_mask | visits_mask
            merged = 0
            for i, ks in kept:
                field = layout.var_field(layout.names[i])
                if ks is None:
                    whole |= field
                else:
                    merged |= field
            self.whole[key] = whole
            self.merged[key] = merged
        self.step_bits = (-1 << layout.step_offset) if layout.turns else 0
        self.inputs = [self._inputs(scene) for scene in layout.scenes]
        self.labels: list[str] = []
        self.edges: dict[tuple[str, str, str], Edge] = {}

    def _read_bits(self, compiled: Compiled | None) -> int:
        if compiled is None:
            return 0
        layout = self.layout
        bits = 0
        for name in compiled.reads | compiled.writes:
            bits |= layout.var_field(name)
        for scene in compiled.scenes:
            bits |= layout.visit_field(scene)
        if compiled.uses_turns:
            bits |= self.step_bits
        return bits

    def _inputs(self, scene_id: str) -> int:
        """The bits of a state at this scene that decide which options are offered and
        the events counted there (the role, what the choice and ending conditions read)."""
        story = self.story
        scene = story.scenes[scene_id]
        bits = self.layout.scene_mask | self.layout.role_mask | self.step_bits
        for choice in scene.choices:
            bits |= self._read_bits(choice.condition)
        if not scene.choices and (scene.ends_game or story.next_phase(scene.phase) is None):
            for ending in story.endings:
                bits |= self._read_bits(ending.condition)
        return bits

    def canonical(self, state: State) -> int:
        """The int of a state: what the control key keeps at its scene, as codes."""
        layout = self.layout
        scene = state.scene
        s = layout.scene_code[scene] | (layout.role_code[state.role] << layout.role_offset)
        values = list(state.vars.values())
        for i, ks in self.plan[scene, state.role]:
            value = values[i]
            if ks is not None:
                value = self.reps.setdefault((i, ks, bisect_right(ks, value)), value)
            s |= layout.code(i, value) << layout.var_offset[i]
        for visited in self.kept_visits:
            count = state.visits.get(visited, 0)
            if count >> layout.visit_width[visited]:
                raise Unsupported(f"the visits to '{visited}' pass {count:,}")
            s |= count << layout.visit_offset[visited]
        if layout.turns:
            s |= state.step << layout.step_offset
        return s

    def edge(self, scene_id: str, role: str, option: engine.Option) -> Edge:
        """The step by one option from one scene: the bits it passes on unchanged (kept
        whole at the target, not written by the effect, not the target's visit count), the
        bits the rest depends on (the role, what the effect reads and writes, the numbers
        the target merges, its visit count), and the table of the rest by those bits."""
        key = (scene_id, role, option.id)
        found = self.edges.get(key)
        if found is None:
            layout = self.layout
            scene = self.story.scenes[scene_id]
            if option.choice is not None:
                target, effect = option.choice.target, option.choice.effect
            else:
                nxt = self.story.next_phase(scene.phase)
                assert nxt is not None
                target, effect = nxt.start, None
            written = 0
            for name in effect.writes if effect is not None else ():
                written |= layout.var_field(name)
            # A number merged between the same thresholds here and there keeps its
            # value (the value met first in its interval, for those thresholds).
            same = 0
            for i, ks in self.plan[target, role]:
                if ks is not None and self.thresholds[scene_id, role].get(i) == ks:
                    same |= layout.var_field(layout.names[i])
            passed = (self.whole[target, role] | same) & ~layout.visit_field(target) & ~written
            depends = self.step_bits | self._read_bits(effect)
            if effect is not None and reads_role(effect):
                depends |= layout.role_mask
            depends |= (self.merged[target, role] & ~passed) | layout.visit_field(target)
            plan = self._step_plan(scene_id, role, option, passed, depends)
            if len(self.labels) >> LABEL_BITS:
                raise Unsupported(f"more than {len(self.labels):,} options")
            found = self.edges[key] = (len(self.labels), passed, depends, {}, plan)
            self.labels.append(option.id)
        return found

    def at(self, s: int) -> tuple[list[Edge], list[tuple[str, str | AuthorError | None]]]:
        """What happens in a state with the inputs of `s`: the options that can be taken
        (each with its Edge), and the events to count for every such state."""
        story, tally = self.story, self.tally
        state = self.layout.decode(s, self.seed)
        scene = story.scenes[state.scene]
        tally.scenes.add(state.scene)
        events: list[tuple[str, str | AuthorError | None]] = []
        if scene.role and scene.role != state.role:
            events.append(("wrong-role", None))
        options = engine.choices(story, state)
        enabled = [o for o in options if o.enabled]
        if not enabled:
            if engine.status(story, state) is Status.GAME_END:
                events.append(("ending", engine.ending(story, state).id))
            else:
                events.append(("stuck", None))
        for option in enabled:
            if option.choice is not None:
                tally.taken.add(option.choice.key)
        return [self.edge(state.scene, state.role, o) for o in enabled], events

    def _step_plan(
        self, scene_id: str, role: str, option: engine.Option, passed: int, depends: int
    ) -> _StepPlan:
        """What `after` needs for a step by `option`, worked out once."""
        layout, story = self.layout, self.story
        choice = option.choice
        effect = choice.effect if choice is not None else None
        if choice is not None:
            target = choice.target
        else:
            nxt = story.next_phase(story.scenes[scene_id].phase)
            assert nxt is not None
            target = nxt.start
        read = [
            (name, layout.var_offset[i], (1 << layout.var_width[i]) - 1, layout.values[i])
            for i, name in enumerate(layout.names)
            if depends & layout.var_field(name)
        ]
        out = [
            (i, layout.names[i], ks, layout.var_offset[i])
            for i, ks in self.plan[target, role]
            if not passed & layout.var_field(layout.names[i])
        ]
        visit = None
        if target in self.kept_visits:
            visit = (layout.visit_offset[target], story.tracked_scenes[target])
        return _StepPlan(target, choice, effect, read, out, visit, bool(effect and effect.scenes))

    def after(self, s: int, plan: _StepPlan) -> int | AuthorError:
        """The bits a step computes from a state `s` (or the error it meets): what
        `engine.choose` does, on the variables the step depends on only."""
        layout = self.layout
        values = {name: table[(s >> offset) & mask] for name, offset, mask, table in plan.read}
        visits: dict[str, int] = {}
        if plan.reads_visits or plan.visit is not None:
            for visited, offset in layout.visit_offset.items():
                count = (s >> offset) & ((1 << layout.visit_width[visited]) - 1)
                if count:
                    visits[visited] = count
        step = s >> layout.step_offset if layout.turns else 0
        effect, choice = plan.effect, plan.choice
        if effect is not None:
            assert choice is not None
            role = layout.roles[(s & layout.role_mask) >> layout.role_offset]
            scene_id = layout.scenes[s & layout.scene_mask]
            here = State(role, self.seed, scene_id, values, visits, step)
            try:
                effect.function(values, here)
            except ExprFault as fault:  # as engine.choose: the choice is not taken
                return AuthorError(fault.reason, effect.source, choice.where, choice.key)
        target = plan.target
        bits = layout.scene_code[target]
        reps, code = self.reps, layout.code
        for i, name, ks, offset in plan.out:
            value = values[name]
            if ks is not None:
                value = reps.setdefault((i, ks, bisect_right(ks, value)), value)
            bits |= code(i, value) << offset
        if plan.visit is not None:
            offset, limit = plan.visit
            count = visits.get(target, 0)
            if limit is None or count < limit:  # as engine._arrive
                count += 1
            if count >> layout.visit_width[target]:
                raise Unsupported(f"the visits to '{target}' pass {count:,}")
            bits |= count << offset
        if layout.turns:
            bits |= (step + 1) << layout.step_offset
        return bits


@dataclass(frozen=True, slots=True)
class _StepPlan:
    target: str
    choice: Choice | None
    effect: Compiled | None
    read: list[tuple[str, int, int, list[Value]]]  # name, offset, mask, values by code
    out: list[tuple[int, str, tuple[int, ...] | None, int]]  # index, name, thresholds, offset
    visit: tuple[int, int | None] | None  # the target's kept count: offset, cap
    reads_visits: bool


Edge = tuple[int, int, int, dict[int, int], "_StepPlan"]  # label, passed, depends, table, plan


def control_search(
    story: Story,
    roles: list[str],
    seed: int,
    max_states: int,
    tally: Tally,
    progress: TextIO | None = None,
) -> ControlGraph:
    """Every distinct reachable state under the control key (up to `max_states`), breadth
    first, counting into `tally` what `build_graph` counts. Raises Unsupported when a
    variable takes more values than its field holds (then use `build_graph`)."""
    search = _Search(story, tally, seed)
    layout = search.layout
    queue: list[int] = []
    seen: set[int] = set()
    links = array("q")  # per state: the state before << LABEL_BITS | the option's label
    for role in roles:
        s = search.canonical(engine.start(story, role, seed))
        if s not in seen:
            seen.add(s)
            queue.append(s)
            links.append(-1)
    memo: dict[int, Any] = {}  # by the inputs at a scene (scene bits included)
    errors: list[AuthorError] = []  # a step's table holds -1 - i for the error i
    cached = 0  # entries added to the tables since they were last emptied
    inputs = search.inputs
    scene_mask = layout.scene_mask
    bar = Progress(max_states, "states", progress)
    complete = True
    count = len(queue)

    def state_of(index: int) -> State:
        """The engine State a player reaches by the first run to state `index`."""
        keys: list[str] = []
        while links[index] >= 0:
            before, number = divmod(links[index], 1 << LABEL_BITS)
            scene = layout.scenes[queue[before] & scene_mask]
            keys.append(f"{scene}:{search.labels[number]}")
            index = before
        keys.reverse()
        role = layout.roles[(queue[index] & layout.role_mask) >> layout.role_offset]
        return engine.replay(story, role, seed, keys)

    def find(kind: str, index: int, error: AuthorError | None) -> None:
        _find(tally, kind, index, error, queue[index], layout, state_of)

    try:
        for head, s in enumerate(queue):  # the queue grows as it is read: breadth first
            key = s & inputs[s & scene_mask]
            entry = memo.get(key)
            if entry is None:
                entry = memo[key] = search.at(s)
                cached += 1
            edges, events = entry
            if events:
                for kind, what in events:
                    if kind == "ending":
                        assert isinstance(what, str)
                        tally.endings[what] = tally.endings.get(what, 0) + 1
                    else:
                        find(kind, head, what if isinstance(what, AuthorError) else None)
            for number, passed, depends, table, plan in edges:
                computed = table.get(s & depends)
                if computed is None:
                    found = search.after(s, plan)
                    if isinstance(found, AuthorError):
                        errors.append(found)
                        found = -len(errors)
                    computed = table[s & depends] = found
                    cached += 1
                if computed < 0:
                    find("author-error", head, errors[-1 - computed])
                    continue
                n = (s & passed) | computed
                if n in seen:
                    continue
                if count >= max_states:
                    complete = False
                    continue
                seen.add(n)
                queue.append(n)
                links.append(head << LABEL_BITS | number)
                count += 1
            if not head & 1023:
                bar.update(count)
                if cached > CACHE_LIMIT:  # inputs that never repeat (turns() in a loop)
                    memo.clear()
                    for edge in search.edges.values():
                        edge[3].clear()
                    cached = 0
    finally:
        bar.close()
    return ControlGraph(count, complete)


def _find(
    tally: Tally,
    kind: str,
    index: int,
    error: AuthorError | None,
    s: int,
    layout: Layout,
    state_of: Callable[[int], State],
) -> None:
    """Count a finding at state `index`; replay its run only the first time (breadth-first
    order meets the shortest run first, so later ones never replace it)."""
    where = error.where if error else None
    at = f"{where.path}:{where.line}:{where.column}" if where else ""
    scene = layout.scenes[s & layout.scene_mask]
    role = layout.roles[(s & layout.role_mask) >> layout.role_offset]
    known = tally.findings.get((kind, at or scene, error.source if error else role))
    if known is not None:
        known.count += 1
    else:
        tally.find(kind, state_of(index), error)
