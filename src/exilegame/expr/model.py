"""The language's types and the two records it shares with the rest of the game.

`Scope` is what an expression may name (declared variables, roles, scenes); `Compiled` is a
checked expression with its function and what it reads and writes. Both are plain data, so
the story model and the cache can hold them without the parser or the checker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any

from exilegame._record import record

__all__ = [
    "BOOL",
    "FUNCTIONS",
    "INT",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "NUMBER_MAX",
    "STR",
    "Compiled",
    "Scope",
    "Value",
    "type_name",
]

# Numbers are whole numbers from -NUMBER_MAX to NUMBER_MAX: literals outside are refused when
# the story loads; a variable set outside in play is an author error (the choice is not taken).
NUMBER_MAX = 999_999_999_999_999
# The size of one expression: its text, its nesting and its parts (a sum of 50 terms nests 50).
MAX_LENGTH = 2_000  # characters
MAX_DEPTH = 50  # levels
MAX_NODES = 500  # parts (names, numbers, operators)

Value = int | bool | str

INT, BOOL, STR = "number", "flag", "text"
_TYPE_OF = {bool: BOOL, int: INT, str: STR}

FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    # name: (argument types, result type); "scene" is a string literal naming a scene
    "visited": (("scene",), BOOL),
    "visits": (("scene",), INT),
    "turns": ((), INT),
    "chance": ((INT,), BOOL),
    "min": ((INT, INT), INT),
    "max": ((INT, INT), INT),
}


def type_name(value: Value) -> str:
    """The language's name for the type of a start value."""
    return _TYPE_OF[type(value)]


@record(slots=False)
class Scope:
    """What an expression may name: declared variables with their types, roles and scenes."""

    variables: Mapping[str, str]  # name -> INT / BOOL / STR
    bounds: Mapping[str, tuple[int | None, int | None]]
    roles: frozenset[str]
    scenes: frozenset[str]  # qualified "phase.scene"
    phase: str = ""  # the phase an expression appears in, to resolve "scene" to "phase.scene"
    unread: frozenset[str] = frozenset()  # phases whose files could not be read

    def in_phase(self, phase: str) -> Scope:
        """The same scope, for expressions written in `phase`."""
        return Scope(self.variables, self.bounds, self.roles, self.scenes, phase, self.unread)

    def resolve_scene(self, ref: str) -> str | None:
        """`scene` or `phase.scene` to the qualified id, or None when there is no such scene.

        A scene of a phase whose file could not be read is taken on trust: that file's own
        error is the one to report, and a story with an error is never played.
        """
        qualified = ref if "." in ref else f"{self.phase}.{ref}"
        if qualified in self.scenes or qualified.split(".", 1)[0] in self.unread:
            return qualified
        return None


@record(slots=False)
class Compiled:
    """A checked, compiled expression, with what it reads and writes (for the checker).

    Two are equal when they were compiled from the same text in the same place.
    """

    source: str
    function: Callable[..., Any] = field(compare=False)
    reads: frozenset[str] = field(compare=False)
    writes: frozenset[str] = field(compare=False)
    scenes: frozenset[str] = field(compare=False)  # scenes named in visited()/visits()
    uses_turns: bool = field(compare=False)
    for_roles: frozenset[str] | None = field(default=None, compare=False)  # `role` tests only
    kind: str = "if"  # "if" or "do"
    phase: str = ""  # the phase it was written in (relative scene names resolve there)
    site_base: int = 0  # where its chance() call sites are numbered from
    divides: bool = field(default=False, compare=False)  # by a divisor that may be zero
