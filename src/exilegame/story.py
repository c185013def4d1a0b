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
from typing import Any

from exilegame._record import record
from exilegame.errors import Where
from exilegame.expr import Compiled, Value

__all__ = [
    "CONTINUE",
    "PER_PATH",
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
    "packed",
    "unpacked",
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


# A position packed in one int (see `packed`): the path's number in a table, line, column.
_LINES = 1 << 32
_COLUMNS = 1 << 24
PER_PATH = _LINES * _COLUMNS  # the packed positions in one path: [i * PER_PATH, (i+1) * ...)


def packed(path_index: int, line: int, column: int) -> int:
    """A position as one int, for the story cache; ValueError if a number is out of range."""
    if not (0 <= line < _LINES and 0 <= column < _COLUMNS and path_index >= 0):
        raise ValueError(f"cannot pack the position {path_index}:{line}:{column}")
    return (path_index * _LINES + line) * _COLUMNS + column


def unpacked(paths: list[Path], at: int) -> Where:
    """The Where an int from `packed` stands for, its path looked up in `paths`."""
    rest, column = divmod(at, _COLUMNS)
    path_index, line = divmod(rest, _LINES)
    return Where(paths[path_index], line, column)


class _Located:
    """The base of Scene and Choice: where one decoded from the story cache was written.

    The cache decodes a scene on its first visit, and a sweep of a large story decodes
    thousands: a `Where` for the scene and for each choice was a third of the objects made,
    and of the cyclic collector's work. So a decoded scene or choice leaves its `where` slot
    unset and keeps, in two slots of its own, the story's table of file paths and its
    position packed in one int (`packed`); asking for `where` (only messages do) then
    builds the very Where the loader gives, each time (`_LazyWhere`). A scene or choice made
    by its class has `where` set. Nothing changes after construction either way.
    """

    __slots__ = ("_at", "_paths")


class _LazyWhere:
    """The `where` attribute of Scene and Choice: the slot's value, or, for a scene or choice
    from the cache that left it unset, the Where its packed position stands for.

    A descriptor for this one attribute, and not `__getattr__`: a class with `__getattr__`
    reads every attribute the slow way (Python 3.11 specializes attribute reads only for
    classes without it), and play reads scenes' and choices' fields at every step."""

    def __init__(self, slot: Any) -> None:
        self.slot = slot  # the slot's own member descriptor

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if obj is None:
            return self
        try:
            return self.slot.__get__(obj, cls)
        except AttributeError:
            return unpacked(obj._paths, obj._at)

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)  # the frozen classes' own __setattr__ stops a user

    def __delete__(self, obj: Any) -> None:
        self.slot.__delete__(obj)


@record
class Paragraph:
    """A paragraph of scene prose, shown only when its condition (if any) holds."""

    text: str
    condition: Compiled | None = None


@record
class Choice(_Located):
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
class Scene(_Located):
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


for _cls in (Scene, Choice):
    type.__setattr__(_cls, "where", _LazyWhere(_cls.__dict__["where"]))


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
