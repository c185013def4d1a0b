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

import argparse
import json
import random
import shlex
import sys
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, TextIO

from . import engine
from .engine import State, Status
from .story import Story
from .yamlsrc import Where


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
        choices = [(s, c) for s in playable for c in s.choices]
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
            unreached_endings=[e.id for e in story.endings if e.id not in self.endings],
            findings=sorted(
                self.findings.values(), key=lambda f: (f.kind, len(f.trail.numbers), f.scene)
            ),
        )


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


def explore_exhaustive(
    story: Story,
    max_states: int = 200_000,
    seed: int = 0,
    roles: Iterable[str] | None = None,
    progress: TextIO | None = None,
    variables: bool = True,
) -> Report:
    """Visit every distinct reachable state (up to `max_states`), breadth first."""
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
    report = tally.report("exhaustive", seed, time.perf_counter() - began, len(seen))
    report.complete = complete
    report.max_states = max_states
    reached = tally.scenes
    report.never_available = [
        c.key
        for s in story.scenes.values()
        if s.id in reached
        for c in s.choices
        if c.key not in tally.taken
    ]
    if variables:
        report.inert_variables = inert_variables(story, records)
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
    for index, name in enumerate(names):
        values = {key[2][index] for key, _, _ in records}
        if len(values) <= 1:
            start = story.variables[name].start
            out[name] = f"it keeps its start value ({json.dumps(start)}) in every reachable state"
            continue
        groups: dict[tuple[Any, ...], tuple[Any, Any, Any]] = {}
        paired = False
        differs = False
        for key, seen_now, successors in records:
            vars_ = key[2]
            group = (key[0], key[1], vars_[:index] + vars_[index + 1 :], key[3:])
            rest = tuple(s[:index] + s[index + 1 :] for s in successors)
            known = groups.get(group)
            if known is None:
                groups[group] = (vars_[index], seen_now, rest)
            elif known[0] != vars_[index]:
                paired = True
                if known[1] != seen_now or known[2] != rest:
                    differs = True
                    break
        if paired and not differs:
            out[name] = (
                f"it takes {len(values)} values, but states that differ only in it always "
                "play the same"
            )
    return out


# -- the command ---------------------------------------------------------------------------


def _where(where: Where | None, root: Path) -> str:
    if where is None:
        return str(root / "story.yaml")
    return f"{where.path}:{where.line}:{where.column}"


def format_report(story: Story, report: Report, folder: Path | None) -> str:
    """The report as text: a summary, then one located line per problem."""
    lines: list[str] = []
    rate = report.runs / report.elapsed if report.elapsed else 0.0
    if report.mode == "random":
        lines.append(
            f"{report.title}: {report.runs:,} random runs ({', '.join(report.roles)}), "
            f"seed {report.seed}, in {report.elapsed:.2f} s"
        )
    else:
        bound = (
            "complete"
            if report.complete
            else (
                f"INCOMPLETE: stopped at the bound of {report.max_states:,} states "
                "(raise --max-states); what was not reached may still be reachable"
            )
        )
        lines.append(
            f"{report.title}: exhaustive search ({', '.join(report.roles)}), "
            f"{report.runs:,} states in {report.elapsed:.2f} s ({rate:,.0f} states/s); {bound}"
        )
    reached = report.scenes_total - len(report.unreached_scenes)
    taken = report.choices_total - len(report.untaken_choices)
    lines.append(f"scenes reached: {reached}/{report.scenes_total}")
    lines.append(f"choices taken: {taken}/{report.choices_total}")
    what = "run" if report.mode == "random" else "end state"
    endings = (
        ", ".join(f"{e} ({n:,} {what}{'s' * (n != 1)})" for e, n in report.endings.items())
        or "none"
    )
    lines.append(f"endings reached: {endings}")
    for label, trail in (("shortest", report.shortest), ("longest", report.longest)):
        if trail is not None:
            lines.append(f"{label} run: {len(trail.numbers)} choices: {trail.command(folder)}")
    for name, reason in report.inert_variables.items():
        var = story.variables[name]
        shown = " (the player sees it in the side panel)" if var.show else ""
        lines.append(f"{_where(var.where, story.root)}: note: variable '{name}': {reason}{shown}")
    problems: list[str] = []
    verb = "is never reached" if report.complete else "was not reached within the bound"
    if report.mode == "random":
        verb = f"was not reached in {report.runs:,} runs"
    for scene_id in report.unreached_scenes:
        problems.append(
            f"{_where(story.scenes[scene_id].where, story.root)}: scene '{scene_id}' {verb}"
        )
    for key in report.never_available:
        scene_id, _, choice_id = key.rpartition(":")
        choice = story.scenes[scene_id].choice(choice_id)
        assert choice is not None and choice.condition is not None
        problems.append(
            f"{_where(choice.where, story.root)}: choice '{key}' is never available: "
            f"`if: {choice.condition.source}` is false in every state "
            f"{'reached' if report.complete else 'reached within the bound'}"
        )
    manifest = story.root / "story.yaml"
    for ending_id in report.unreached_endings:
        problems.append(f"{manifest}: ending '{ending_id}' {verb}")
    if report.mode == "random":
        for key in report.untaken_choices:
            scene_id, _, choice_id = key.rpartition(":")
            choice = story.scenes[scene_id].choice(choice_id)
            where = _where(choice.where if choice else None, story.root)
            problems.append(f"{where}: choice '{key}' was not taken in {report.runs:,} runs")
    for finding in report.findings:
        scene = story.scenes[finding.scene]
        times = f"{finding.count:,} {'run' if report.mode == 'random' else 'state'}"
        times += "s" if finding.count != 1 else ""
        if finding.kind == "stuck":
            text = (
                f"stuck at '{finding.scene}' as {finding.role}: no choice is available "
                f"and it is not an ending ({times})"
            )
        elif finding.kind == "wrong-role":
            text = (
                f"the scene '{finding.scene}' is for the role {scene.role} but "
                f"{finding.role} reaches it ({times})"
            )
        else:
            text = (
                f"a run as {finding.role} did not end within {len(finding.trail.numbers)} choices"
            )
        problems.append(
            f"{_where(scene.where, story.root)}: {text}\n    replay: "
            f"{finding.trail.command(folder)}"
        )
    lines.extend(problems)
    lines.append("no problems found" if report.status == 0 else f"{len(problems)} problem(s) found")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    """`exilegame explore [DIR] [--random N | --exhaustive] ...`."""
    from .cli_support import load_or_exit

    story = load_or_exit(args.dir)
    roles = args.role or None
    for role in roles or ():
        if role not in story.roles:
            print(
                f"exilegame explore: there is no role '{role}'; the roles are: "
                f"{', '.join(story.roles)}",
                file=sys.stderr,
            )
            return 2
    show = sys.stderr if sys.stderr.isatty() and not args.no_progress else None
    if args.random is not None:
        if args.random < 1:
            print("exilegame explore: --random needs at least 1 run", file=sys.stderr)
            return 2
        report = explore_random(
            story, args.random, args.seed, roles, getattr(args, "max_steps", 1000), show
        )
    else:
        report = explore_exhaustive(story, args.max_states, args.seed, roles, show)
    if args.json:
        print(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(format_report(story, report, args.dir))
    return report.status
