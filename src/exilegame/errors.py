"""The one exception tree of exilegame, and the located `Problem` the loader reports.

ExilegameError
├── LoadError        a scenes folder could not be loaded (carries every Problem)
├── ExprError        an expression is not valid (the loader turns it into a Problem)
├── ExprFault        a checked expression failed while running (division by zero, a number
│                    out of range): raised by compiled functions, caught by the engine
├── EngineError      a call the engine cannot honour in the current state
│   ├── ChoiceUnavailable   the choice does not exist or its condition is false
│   ├── ReplayError         a trail of choices no longer replays on this story
│   └── AuthorError         a choice's effect failed (an ExprFault): the state is unchanged
└── SaveError        a save file is missing, corrupt or no longer fits the story
"""

from __future__ import annotations

import re
from pathlib import Path

from exilegame._record import record

# Control characters (C0, DEL, C1): never written raw to a terminal in a message.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`, `\\n`), so that text
    quoted from a scene file, a path or a data file cannot drive the terminal it is shown on."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


__all__ = [
    "ChoiceUnavailable",
    "EngineError",
    "ExilegameError",
    "ExprError",
    "LoadError",
    "Problem",
    "ReplayError",
    "SaveError",
    "Where",
]


@record
class Where:
    """A place in a scene file, 1-based, for messages."""

    path: Path
    line: int
    column: int


@record
class Problem:
    """One error or warning found in a scene file, with where it is and what to do instead."""

    path: Path
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when the problem concerns the whole line or file
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def format(self, root: Path | None = None) -> str:
        """`path:line:col: severity: message (hint)`, paths shown relative to `root`."""
        path = self.path
        if root is not None:
            try:
                path = self.path.relative_to(root)
            except ValueError:
                path = self.path
        where = visible(str(path))
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {visible(self.message)}"
        if self.hint:
            text += f"\n    hint: {visible(self.hint)}"
        return text

    @property
    def sort_key(self) -> tuple[str, int, int]:
        return (str(self.path), self.line, self.column)


class ExilegameError(Exception):
    """Base of every error exilegame raises on purpose."""


class LoadError(ExilegameError):
    """The scenes folder has errors; `problems` holds all of them, in file order."""

    def __init__(self, problems: list[Problem], root: Path | None = None) -> None:
        self.problems = sorted(problems, key=lambda p: p.sort_key)
        self.root = root
        count = len(self.problems)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the scene files")

    def report(self) -> str:
        """Every problem, one per line, then a count."""
        lines = [p.format(self.root) for p in self.problems]
        lines.append(str(self))
        return "\n".join(lines)


class ExprError(ExilegameError):
    """An expression is not valid; `offset` is the 0-based column within the expression."""

    def __init__(self, message: str, offset: int = 0, hint: str = "", line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint
        self.line = line


class EngineError(ExilegameError):
    """The engine was asked for something the current state does not allow."""


class ChoiceUnavailable(EngineError):
    """The chosen id is not among the choices available in this state."""


class ReplayError(EngineError):
    """A trail of choices no longer replays: says at which step and why."""

    def __init__(self, step: int, key: str, reason: str) -> None:
        self.step = step
        self.key = key
        self.reason = reason
        super().__init__(f"step {step}: {reason}")


class SaveError(ExilegameError):
    """A save could not be read, written or replayed; the message says what to do."""


class ExprFault(ExilegameError):
    """A checked expression could not be computed: division by zero, or a number outside
    the range numbers may take. Raised while playing; the engine turns it into AuthorError
    (for an effect) or a false condition."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthorError(EngineError):
    """An expression failed in play: a mistake only the story's author can fix.

    Raised by `engine.choose` when a choice's effect fails: the choice is not taken and the
    state is unchanged, so the player can take another. `authoring.explore.faults` lists
    conditions that fail (play reads them as false). `where` is the choice's (or scene's)
    place in its file, `source` the expression's text, `reason` what failed, `key` the
    choice's trail key.
    """

    def __init__(self, reason: str, source: str, where: Where | None, key: str = "") -> None:
        self.reason = reason
        self.source = source
        self.where = where
        self.key = key
        at = f"{where.path.name}:{where.line}: " if where else ""
        super().__init__(f"{at}`{visible(source)}` cannot be computed: {reason}")
