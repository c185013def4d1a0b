"""What both searches count as they go: scenes reached, choices taken, endings, findings.

Tally            the counts, and `find` for a finding with its shortest run
trail_of         the option numbers a player types to reach a state
applies          whether a choice may be offered to one of the roles explored
"""

from __future__ import annotations

from itertools import pairwise

from exilegame import engine
from exilegame.authoring.explore.faults import faults, may_fault
from exilegame.authoring.explore.report import Finding, Report, Trail
from exilegame.engine import State
from exilegame.errors import AuthorError
from exilegame.story import Choice, Story

__all__ = ["Tally", "applies", "trail_of"]


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


def applies(choice: Choice, roles: list[str]) -> bool:
    """Whether a choice could be offered to one of these roles (`role == ...` tests aside)."""
    condition = choice.condition
    return (
        condition is None or condition.for_roles is None or bool(condition.for_roles & set(roles))
    )


class Tally:
    """What both searches count: scenes reached, choices taken, endings, findings."""

    def __init__(self, story: Story, roles: list[str]) -> None:
        self.story = story
        self.roles = roles
        self.scenes: set[str] = set()
        self.taken: set[str] = set()
        self.endings: dict[str, int] = {}
        self.findings: dict[tuple[str, str, str], Finding] = {}
        self.divides = may_fault(story)

    def find(self, kind: str, state: State, error: AuthorError | None = None) -> None:
        """Record a finding (for "author-error", the `error`); keep the shortest run."""
        where = error.where if error else None
        at = f"{where.path}:{where.line}:{where.column}" if where else ""
        key = (kind, at or state.scene, error.source if error else state.role)
        known = self.findings.get(key)
        if known is None:
            trail = trail_of(self.story, state)
            detail = str(error) if error else ""
            self.findings[key] = Finding(kind, state.scene, state.role, 1, trail, detail, at)
            return
        known.count += 1
        if state.step < len(known.trail.numbers):
            known.trail = trail_of(self.story, state)

    def faults(self, state: State) -> None:
        """Record the conditions that cannot be computed in `state` (if the story divides)."""
        if self.divides:
            for error in faults(self.story, state):
                self.find("author-error", state, error)

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
