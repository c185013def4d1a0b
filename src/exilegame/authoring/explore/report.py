"""The explorer's report: what a search found, as data, as located messages, and as text.

`Report` is what both searches return (its `to_dict` is the `--json` form); `messages` turns
it into one located line per problem or note; `format_report` is the text the command prints.
"""

from __future__ import annotations

import shlex
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from exilegame import engine
from exilegame.errors import Where
from exilegame.story import Story

INCOMPLETE = 3  # the exit status of an exhaustive search that stopped at its bound

__all__ = ["INCOMPLETE", "Finding", "Message", "Report", "Trail", "format_report", "messages"]


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


@dataclass
class Finding:
    """A problem met in play (stuck, wrong role, endless), with how often and a shortest run."""

    kind: str  # "stuck", "wrong-role", "endless", "author-error"
    scene: str
    role: str
    count: int
    trail: Trail
    detail: str = ""  # for "author-error": what failed (AuthorError's message, with file:line)
    at: str = ""  # for "author-error": file:line:column of the choice or scene it is in


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
    peak_mb: float = 0.0  # the process's peak resident memory at the end, in MB
    shown_states: int = 0  # exhaustive: states told apart by what is shown, for the measures
    shown_max_states: int = 0  # exhaustive: the bound on those (random: max_states)
    states_per_s: float = 0.0  # exhaustive: states searched (both searches) per second
    cpu_s: float = 0.0  # exhaustive: the processor time it took (elapsed counts waits too)
    scenes_total: int = 0
    unreached_scenes: list[str] = field(default_factory=list)
    choices_total: int = 0
    untaken_choices: list[str] = field(default_factory=list)
    never_available: list[str] = field(default_factory=list)
    endings: dict[str, int] = field(default_factory=dict)
    unreached_endings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    inert_variables: dict[str, str] = field(default_factory=dict)
    choices_measured: bool = False  # False when the state graph was cut at the bound
    inconsequential_choices: list[str] = field(default_factory=list)
    lone_choices: list[str] = field(default_factory=list)  # never beside another option
    undetermined_choices: list[str] = field(default_factory=list)  # graph too large, no proof
    saturation: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    shortest: Trail | None = None
    longest: Trail | None = None

    @property
    def status(self) -> int:
        """The command's exit status: 1 when play can get stuck or content cannot be
        reached; else 3 when an exhaustive search stopped at its bound (nothing is proven);
        else 0."""
        if self.findings:
            return 1
        if self.mode == "exhaustive" and not self.complete:
            return INCOMPLETE
        if self.mode == "exhaustive" and (
            self.unreached_scenes or self.never_available or self.unreached_endings
        ):
            return 1
        return 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status
        return data


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
    gap = "problem" if report.complete and not random_mode else "note"
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
        out.append(Message(_at(choice.where, story), text, gap))
    for key in report.undetermined_choices if random_mode else ():
        choice = engine.choice_at(story, key)
        out.append(
            Message(
                _at(choice.where if choice else None, story),
                f"choice '{key}' may change nothing the player sees later: no run found a "
                "difference, and the state graph is too large to be sure",
                "note",
            )
        )
    lone = set(report.lone_choices)
    for key in report.inconsequential_choices:
        if key in lone:
            continue  # not a decision: counted in the summary, not a note each
        choice = engine.choice_at(story, key)
        out.append(
            Message(
                _at(choice.where if choice else None, story),
                f"choice '{key}' changes nothing the player sees later: wherever it is "
                "offered, every other option leads to the same paragraphs, choices, "
                "outcome texts and ending",
                "note",
            )
        )
    ending_at = {ending.id: ending.where for ending in story.endings}
    for ending_id in report.unreached_endings:
        out.append(
            Message(_at(ending_at.get(ending_id), story), f"ending '{ending_id}' {verb}", gap)
        )
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
        elif f.kind == "author-error":
            text = f"as {f.role} at '{f.scene}': {f.detail}; play leaves the state unchanged"
        else:
            text = f"a run as {f.role} did not end within {len(f.trail.numbers)} choices"
        at = f.at or _at(scene.where, story)
        out.append(Message(at, f"{text} ({times})", replay=f.trail.command(folder)))
    return out


def format_report(story: Story, report: Report, folder: Path | None = None) -> str:
    """The report as text: a summary, then one located line per problem or note."""
    roles = ", ".join(report.roles)
    if report.mode == "random":
        lines = [
            f"{report.title}: {report.runs:,} random runs ({roles}), seed {report.seed}, "
            f"in {report.elapsed:.2f} s (peak memory {report.peak_mb:,.0f} MB)"
        ]
    else:
        rate = report.states_per_s
        shown = ""
        if report.shown_states:
            why = "for" if report.choices_measured else "the bound: too few for"
            shown = (
                f" (then {report.shown_states:,} told apart by what is shown, {why} the measures)"
            )
        bound = (
            "complete"
            if report.complete
            else (
                f"INCOMPLETE: stopped at the bound of {report.max_states:,} states "
                "(raise --max-states); what was not reached may still be reachable"
            )
        )
        lines = [
            f"{report.title}: exhaustive search ({roles}), {report.runs:,} states{shown} in "
            f"{report.elapsed:.2f} s ({rate:,.0f} states/s, {report.cpu_s:.2f} s of processor "
            f"time, peak memory {report.peak_mb:,.0f} MB); {bound}"
        ]
    reached = report.scenes_total - len(report.unreached_scenes)
    taken = report.choices_total - len(report.untaken_choices)
    lines.append(f"scenes reached: {reached}/{report.scenes_total}")
    lines.append(f"choices taken: {taken}/{report.choices_total}")
    what = "run" if report.mode == "random" else "end state"
    endings = [f"{e} ({n:,} {what}{'s' * (n != 1)})" for e, n in report.endings.items()]
    lines.append(f"endings reached: {', '.join(endings) or 'none'}")
    same = len(report.inconsequential_choices)
    lone = f"({len(report.lone_choices)} of them the only option where offered)"
    if report.choices_measured:
        lines.append(f"inconsequential choices: {same}/{report.choices_total} {lone}")
    else:
        lines.append(
            f"inconsequential choices: at least {same}/{report.choices_total} {lone}, and "
            f"{len(report.undetermined_choices)} undetermined: the state graph is larger "
            f"than {report.shown_max_states or report.max_states:,} states (raise "
            "--max-states), so only choices with "
            "the same target and effect as every option beside them are counted, and "
            "random runs looked for proof that the others matter"
        )
    for name, by_phase in report.saturation.items():
        shares = ", ".join(
            f"{phase} {at['min']:.0%} at min, {at['max']:.0%} at max"
            for phase, at in by_phase.items()
        )
        lines.append(f"gauge '{name}' at the end of each phase: {shares}")
    for label, trail in (("shortest", report.shortest), ("longest", report.longest)):
        if trail is not None:
            lines.append(f"{label} run: {len(trail.numbers)} choices: {trail.command(folder)}")
    found = messages(story, report, folder)
    for m in found:
        lines.append(f"{m.where}: {m.severity}: {m.text}")
        if m.replay:
            lines.append(f"    replay: {m.replay}")
    problems = sum(m.severity == "problem" for m in found)
    last = f"{problems} problem{'s' * (problems != 1)} found" if problems else ""
    if report.mode == "exhaustive" and not report.complete:
        last = (last + "; " if last else "") + (
            f"INCOMPLETE: the search stopped at {report.max_states:,} states, so what it "
            "did not see is not checked (raise --max-states)"
        )
    lines.append(last or "no problems found")
    return "\n".join(lines)
