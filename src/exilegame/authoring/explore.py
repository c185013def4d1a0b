"""Play a story automatically, so authors find stuck runs and dead content before players do.

Two searches, both driven by `engine.choices` / `engine.choose`, so they explore exactly what
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
import json
import random
import shlex
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, TextIO

from exilegame import engine
from exilegame.engine import State, Status
from exilegame.errors import Where
from exilegame.story import Choice, Story


@dataclass(frozen=True, slots=True)
class Trail:
    """A run an author can replay: role, seed and the option numbers typed, as shown."""

    role: str
    seed: int
    numbers: tuple[int, ...]
    scene: str  # where it ends

    def command(self, folder: Path | None = None) -> str:
        """The `exilegame --plain` line that plays this run."""
        parts = ["exilegame", "--plain"]
        if folder is not None:
            parts += ["--scenes", shlex.quote(str(folder))]
        parts += ["--role", shlex.quote(self.role), "--seed", str(self.seed)]
        if self.numbers:
            parts += ["--choices", ",".join(map(str, self.numbers))]
        return " ".join(parts)


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


@dataclass
class Finding:
    """A problem met in play (stuck, wrong role, endless), with how often and a shortest run."""

    kind: str  # "stuck", "wrong-role", "endless"
    scene: str
    role: str
    count: int
    trail: Trail


@dataclass
class Report:
    """Everything one exploration found; `status` is the command's exit status."""

    mode: str  # "random" or "exhaustive"
    title: str
    roles: list[str]
    seed: int
    elapsed: float = 0.0
    runs: int = 0  # random: playthroughs; exhaustive: distinct states
    complete: bool = True  # exhaustive: False when the bound was hit
    max_states: int = 0
    scenes_total: int = 0
    unreached_scenes: list[str] = field(default_factory=list)
    choices_total: int = 0
    untaken_choices: list[str] = field(default_factory=list)
    never_available: list[str] = field(default_factory=list)
    endings: dict[str, int] = field(default_factory=dict)
    unreached_endings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    inert_variables: dict[str, str] = field(default_factory=dict)
    shortest: Trail | None = None
    longest: Trail | None = None

    @property
    def status(self) -> int:
        """1 when play can get stuck or content cannot be reached, else 0."""
        if self.findings:
            return 1
        if self.mode == "exhaustive" and (
            self.unreached_scenes or self.never_available or self.unreached_endings
        ):
            return 1
        return 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status
        return data


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
    reached = tally.scenes
    report.never_available = [
        c.key
        for s in story.scenes.values()
        if s.id in reached
        for c in s.choices
        if c.key not in tally.taken and applies(c, tally.roles)
    ]
    if variables:
        report.inert_variables = inert_variables(story, records)
    report.elapsed = time.perf_counter() - began
    return report


def inert_variables(
    story: Story, records: list[tuple[tuple[Any, ...], Any, tuple[Any, ...]]]
) -> dict[str, str]:
    """Variables whose value never makes a difference to play, each with the reason.

    A variable is *constant* when it keeps its start value in every reachable state. It is
    *inert* when some reachable states differ only in it, and every two such states show the
    same options, paragraphs, outcome texts and ending, and lead to successors that again
    differ only in it: then, from either state, the player sees exactly the same game.
    """
    names = list(story.variables)
    out: dict[str, str] = {}
    columns = [set(column) for column in zip(*(key[2] for key, _, _ in records), strict=True)]
    for index, name in enumerate(names):
        values = columns[index] if columns else set()
        if len(values) <= 1:
            start = story.variables[name].start
            out[name] = f"it keeps its start value ({json.dumps(start)}) in every reachable state"
            continue
        groups: dict[tuple[Any, ...], tuple[Any, Any, Any]] = {}
        paired = differs = False
        for key, seen_now, successors in records:
            vars_ = key[2]
            group = (key[0], key[1], vars_[:index] + vars_[index + 1 :], key[3:])
            known = groups.setdefault(group, (vars_[index], seen_now, successors))
            if known[0] == vars_[index]:
                continue
            paired = True
            if known[1] != seen_now or _without(known[2], index) != _without(successors, index):
                differs = True
                break
        if paired and not differs:
            out[name] = (
                f"it takes {len(values)} values, but states that differ only in it always "
                "play the same"
            )
    return out


def _without(rows: tuple[tuple[Any, ...], ...], index: int) -> tuple[Any, ...]:
    return tuple(row[:index] + row[index + 1 :] for row in rows)


# -- the command ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    """One located line of the report: a problem (counts for the exit status) or a note."""

    where: str  # file:line:column
    text: str
    severity: str = "problem"  # or "note"
    replay: str = ""  # the command that reproduces it


def _at(where: Where | None, story: Story) -> str:
    if where is None:
        return str(story.root / "story.yaml")
    return f"{where.path}:{where.line}:{where.column}"


def messages(story: Story, report: Report, folder: Path | None = None) -> list[Message]:
    """Every problem and note of a report, each at the line of the file it is about."""
    random_mode = report.mode == "random"
    gap = "problem" if not random_mode else "note"
    verb = "is never reached" if report.complete else "was not reached within the bound"
    if random_mode:
        verb = f"was not reached in {report.runs:,} runs"
    out = [
        Message(
            _at(story.variables[name].where, story),
            f"variable '{name}': {reason}"
            + (" (the player sees it in the side panel)" if story.variables[name].show else ""),
            "note",
        )
        for name, reason in report.inert_variables.items()
    ]
    for scene_id in report.unreached_scenes:
        out.append(
            Message(_at(story.scenes[scene_id].where, story), f"scene '{scene_id}' {verb}", gap)
        )
    for key in report.never_available:
        choice = engine.choice_at(story, key)
        assert choice is not None and choice.condition is not None
        within = "" if report.complete else " within the bound"
        text = (
            f"choice '{key}' is never available: `if: {choice.condition.source}` "
            f"is false in every state reached{within}"
        )
        out.append(Message(_at(choice.where, story), text))
    for ending_id in report.unreached_endings:
        out.append(Message(_at(None, story), f"ending '{ending_id}' {verb}", gap))
    if random_mode:
        for key in report.untaken_choices:
            choice = engine.choice_at(story, key)
            where = _at(choice.where if choice else None, story)
            out.append(Message(where, f"choice '{key}' was not taken in {report.runs:,} runs", gap))
    for f in report.findings:
        scene = story.scenes[f.scene]
        times = f"{f.count:,} {'run' if random_mode else 'state'}{'s' * (f.count != 1)}"
        if f.kind == "stuck":
            text = (
                f"stuck at '{f.scene}' as {f.role}: no choice is available and it is not an ending"
            )
        elif f.kind == "wrong-role":
            text = f"the scene '{f.scene}' is for the role {scene.role} but {f.role} reaches it"
        else:
            text = f"a run as {f.role} did not end within {len(f.trail.numbers)} choices"
        out.append(
            Message(_at(scene.where, story), f"{text} ({times})", replay=f.trail.command(folder))
        )
    return out


def format_report(story: Story, report: Report, folder: Path | None = None) -> str:
    """The report as text: a summary, then one located line per problem or note."""
    roles = ", ".join(report.roles)
    if report.mode == "random":
        lines = [
            f"{report.title}: {report.runs:,} random runs ({roles}), seed {report.seed}, "
            f"in {report.elapsed:.2f} s"
        ]
    else:
        rate = report.runs / report.elapsed if report.elapsed else 0.0
        bound = (
            "complete"
            if report.complete
            else (
                f"INCOMPLETE: stopped at the bound of {report.max_states:,} states "
                "(raise --max-states); what was not reached may still be reachable"
            )
        )
        lines = [
            f"{report.title}: exhaustive search ({roles}), {report.runs:,} states in "
            f"{report.elapsed:.2f} s ({rate:,.0f} states/s); {bound}"
        ]
    reached = report.scenes_total - len(report.unreached_scenes)
    taken = report.choices_total - len(report.untaken_choices)
    lines.append(f"scenes reached: {reached}/{report.scenes_total}")
    lines.append(f"choices taken: {taken}/{report.choices_total}")
    what = "run" if report.mode == "random" else "end state"
    endings = [f"{e} ({n:,} {what}{'s' * (n != 1)})" for e, n in report.endings.items()]
    lines.append(f"endings reached: {', '.join(endings) or 'none'}")
    for label, trail in (("shortest", report.shortest), ("longest", report.longest)):
        if trail is not None:
            lines.append(f"{label} run: {len(trail.numbers)} choices: {trail.command(folder)}")
    found = messages(story, report, folder)
    for m in found:
        lines.append(f"{m.where}: {m.severity}: {m.text}")
        if m.replay:
            lines.append(f"    replay: {m.replay}")
    problems = sum(m.severity == "problem" for m in found)
    lines.append(
        f"{problems} problem{'s' * (problems != 1)} found" if problems else "no problems found"
    )
    return "\n".join(lines)
