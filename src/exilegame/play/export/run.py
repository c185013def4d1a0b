"""A run walked once, as the items both document formats render: phase starts, scenes as the
player read them, the choices taken, and each finished phase's outcome."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from exilegame import engine
from exilegame.play.export.header import clean
from exilegame.story import CONTINUE, Choice, Phase, Story, format_date

__all__ = [
    "Chosen",
    "Item",
    "PhaseEnd",
    "PhaseStart",
    "Run",
    "SceneRead",
    "phase_heading",
    "summary",
]


@dataclass(frozen=True, slots=True)
class PhaseStart:
    phase: Phase


@dataclass(frozen=True, slots=True)
class SceneRead:
    heading: str
    paragraphs: list[str]


@dataclass(frozen=True, slots=True)
class Chosen:
    choice: Choice


@dataclass(frozen=True, slots=True)
class PhaseEnd:
    phase: Phase
    history: str
    yours: list[str]
    questions: tuple[str, ...]


Item = PhaseStart | SceneRead | Chosen | PhaseEnd


@dataclass(frozen=True, slots=True)
class Run:
    story: Story
    state: engine.State
    items: list[Item]

    @staticmethod
    def of(story: Story, state: engine.State) -> Run:
        return Run(story, state, list(walk(story, state)))

    @property
    def over(self) -> bool:
        return engine.status(self.story, self.state) is engine.Status.GAME_END

    @property
    def title(self) -> str:
        return clean(self.story.title)

    @property
    def role_name(self) -> str:
        return clean(self.story.roles[self.state.role].name)

    @property
    def perspective(self) -> str:
        return clean(self.story.roles[self.state.role].perspective)

    def made(self) -> int:
        return sum(1 for key in self.state.trail if not key.endswith(f":{CONTINUE}"))

    def citations(self, choice: Choice) -> list[str]:
        return [clean(self.story.sources[key].citation()) for key in choice.sources]


def walk(story: Story, state: engine.State) -> Iterator[Item]:
    steps = list(state.history())
    steps.reverse()
    phase_id = ""
    for index, step in enumerate(steps):
        scene = story.scenes[step.scene]
        if scene.phase != phase_id:
            phase_id = scene.phase
            yield PhaseStart(story.phase_of(step.scene))
        place = story.places.get(scene.place)
        where = place.name if place else scene.place
        title = f"{scene.title}. " if scene.title else ""
        yield SceneRead(
            clean(f"{title}{format_date(scene.date)}, {where}"),
            [clean(p) for p in engine.text(story, step)],
        )
        if not scene.choices:
            phase = story.phase_of(step.scene)
            yield PhaseEnd(
                phase,
                clean(phase.outcome.history),
                [clean(t) for t in engine.outcome_texts(story, step, phase.id)],
                tuple(clean(q) for q in phase.outcome.questions),
            )
        if index + 1 < len(steps):
            choice = engine.choice_at(story, steps[index + 1].choice)
            if choice is not None:
                yield Chosen(choice)


def phase_heading(phase: Phase) -> str:
    return clean(f"{phase.title}, {phase.span}" if phase.span else phase.title)


def summary(run: Run) -> str:
    made = run.made()
    choices = "one choice" if made == 1 else f"{made} choices"
    where = "to the end" if run.over else "and stopped before the end"
    return f"Played as {run.role_name}, seed {run.state.seed}: {choices}, {where}."
