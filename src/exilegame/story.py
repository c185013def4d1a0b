"""The typed, immutable story model that the loader builds and everything else reads.

Content never changes during play: every class here is frozen, and collections are tuples or
read-only mappings. Scenes and choices remember where they were written (`Where`) so that the
checker and the explorer can point authors at the right line.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path

from exilegame._record import record
from exilegame.errors import Where
from exilegame.expr import Compiled, Value

__all__ = [
    "CONTINUE",
    "Choice",
    "Ending",
    "Outcome",
    "Paragraph",
    "Person",
    "Phase",
    "Place",
    "Role",
    "Scene",
    "Source",
    "Story",
    "Variable",
    "Variant",
    "format_date",
    "long_lived",
]

CONTINUE = "continue"  # the engine's own choice id at the end of a phase
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(iso: str) -> str:
    """`1929-02-12` -> `12 February 1929`; `1931-03` -> `March 1931`; `1931` stays."""
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return iso


@record
class Source:
    """One bibliography entry, cited by its key in choice notes."""

    key: str
    author: str
    title: str
    year: str
    url: str = ""
    note: str = ""

    def citation(self) -> str:
        """`Author, Title (year)` for display."""
        return f"{self.author}, {self.title} ({self.year})"


@record
class Person:
    """Someone the journal can describe, with what became of them."""

    id: str
    name: str
    entry: str
    dates: str = ""
    fate: str = ""


@record
class Place:
    """A place scenes happen in; `coords` (latitude, longitude) put it on the map."""

    id: str
    name: str
    country: str = ""
    entry: str = ""
    coords: tuple[float, float] | None = None


@record
class Role:
    """Who the player can be."""

    id: str
    name: str
    blurb: str = ""
    perspective: str = ""  # whose view this is, for the debrief of an exported run


@record
class Variable:
    """A declared piece of game state with its starting value and how the player sees it."""

    name: str
    start: Value
    kind: str  # expr.INT / BOOL / STR
    label: str
    show: bool = False
    min: int | None = None
    max: int | None = None
    where: Where | None = field(default=None, compare=False)


@record
class Paragraph:
    """A paragraph of scene prose, shown only when its condition (if any) holds."""

    text: str
    condition: Compiled | None = None


@record
class Choice:
    """A choice point as written: what it says, when it is offered, what it does, where it goes."""

    id: str
    key: str  # "phase.scene:id", as recorded in trails
    text: str
    target: str  # qualified scene id
    condition: Compiled | None = None
    effect: Compiled | None = None
    note: str = ""
    sources: tuple[str, ...] = ()
    show_locked: bool = False
    documented: bool = True
    where: Where | None = field(default=None, compare=False)


@record
class Scene:
    """One scene: date, place, prose and choices. No choices means the phase ends here."""

    id: str  # qualified "phase.scene"
    local_id: str
    phase: str
    date: str  # ISO, possibly partial: 1929-02-12, 1929-02, 1929
    place: str
    text: tuple[Paragraph, ...]
    choices: tuple[Choice, ...] = ()
    title: str = ""
    people: tuple[str, ...] = ()
    role: str = ""
    ends_game: bool = False
    where: Where | None = field(default=None, compare=False)

    def choice(self, choice_id: str) -> Choice | None:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None


@record
class Variant:
    """One of the "what you did" texts set beside a phase's history."""

    text: str
    condition: Compiled | None = None


@record
class Outcome:
    """A phase's historical outcome summary."""

    history: str
    yours: tuple[Variant, ...] = ()
    questions: tuple[str, ...] = ()  # discussion questions for a class


@record
class Phase:
    """A stretch of the story in one file, ending in an outcome summary."""

    id: str
    title: str
    start: str  # qualified scene id
    scenes: tuple[str, ...]  # qualified ids in file order
    outcome: Outcome
    span: str = ""
    intro: str = ""
    path: Path | None = field(default=None, compare=False)


@record
class Ending:
    """A way the game can end; the first whose condition holds is reached."""

    id: str
    title: str
    text: tuple[Paragraph, ...]
    condition: Compiled | None = None
    where: Where | None = field(default=None, compare=False)  # None: the default ending


@record(slots=False)
class Story:
    """A whole loaded, checked story. Immutable; shared by every state played on it."""

    id: str
    title: str
    subtitle: str
    start: str
    roles: Mapping[str, Role]
    variables: Mapping[str, Variable]
    phases: tuple[Phase, ...]
    scenes: Mapping[str, Scene]
    sources: Mapping[str, Source]
    people: Mapping[str, Person]
    places: Mapping[str, Place]
    endings: tuple[Ending, ...]
    epilogue: tuple[Paragraph, ...]
    root: Path
    fingerprint: str
    # scenes some expression asks visited()/visits() about, each with the largest visit
    # count the expressions can tell apart (None: every count matters); see expr/thresholds.py
    tracked_scenes: Mapping[str, int | None]
    uses_turns: bool  # some expression reads turns() or chance(): states differ by step
    phase_index: Mapping[str, int] = field(default_factory=dict)

    def phase_of(self, scene_id: str) -> Phase:
        return self.phases[self.phase_index[self.scenes[scene_id].phase]]

    def next_phase(self, phase_id: str) -> Phase | None:
        index = self.phase_index[phase_id] + 1
        return self.phases[index] if index < len(self.phases) else None

    @property
    def start_values(self) -> dict[str, Value]:
        return {name: var.start for name, var in self.variables.items()}


def long_lived(story: Story) -> Story:
    """Take `story`, with every object alive now, out of the cyclic garbage collector's
    scans (`gc.freeze`), and return it. `load_story` calls this for the story it returns.

    A story is hundreds of thousands of small objects that live as long as play does and
    hold no reference cycle; the collector rescanned them all at each full collection while
    playing (a third of the play time of a 10,000-scene story). Frozen objects are still
    freed by reference counting once nothing refers to them, as a dropped story is; only
    reference cycles that are garbage at the moment of freezing stay for good
    (docs/design.md, "The engine's hot path").
    """
    gc.freeze()
    return story
