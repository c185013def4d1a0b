"""Live reload for authors: notice edited scene files, reload them, keep the player's place.

No Textual here: the TUI polls `Watcher.poll()` on a timer and shows what it returns. A
reload that fails keeps the old story (the caller decides how to show the LoadError); a
reload that succeeds replays the player's trail on the new story, falling back to the
longest prefix that still replays when an edit removed or moved a choice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from exilegame import engine
from exilegame.errors import LoadError, ReplayError
from exilegame.format.load import load_story
from exilegame.story import Story

__all__ = ["Reload", "Replayed", "Stamp", "Watcher", "replay_longest", "stamp"]

Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Reload:
    """The result of one reload: the new story, or the LoadError that prevented it."""

    story: Story | None
    error: LoadError | None = None


@dataclass(frozen=True, slots=True)
class Replayed:
    """A run moved onto a reloaded story: the state, and how many choices were dropped."""

    state: engine.State
    dropped: int = 0
    error: ReplayError | None = None

    @property
    def notice(self) -> str:
        """What to tell the player when the run could not be kept whole ("" when it was)."""
        if self.error is None:
            return ""
        kept = self.state.step
        return (
            f"The edit no longer fits your run at choice {self.error.step} "
            f"({self.error.reason}); rewound to choice {kept}, dropping {self.dropped}."
        )


def stamp(folder: Path) -> Stamp:
    """What identifies the folder's current YAML contents cheaply: names, mtimes, sizes."""
    entries = []
    try:
        paths = sorted(folder.glob("*.yaml"))
    except OSError:
        return ()
    for path in paths:
        try:
            info = path.stat()
        except OSError:  # removed between glob and stat: the next poll sees it gone
            continue
        entries.append((path.name, info.st_mtime_ns, info.st_size))
    return tuple(entries)


class Watcher:
    """Polls a scenes folder; `poll()` returns a Reload when the YAML files have changed."""

    def __init__(self, folder: Path, loader: Callable[[Path], Story] = load_story) -> None:
        self.folder = folder
        self.loader = loader
        self._stamp = stamp(folder)

    def changed(self) -> bool:
        """Whether any *.yaml file was added, removed or modified since the last call."""
        now = stamp(self.folder)
        if now == self._stamp:
            return False
        self._stamp = now
        return True

    def poll(self) -> Reload | None:
        """None when nothing changed; else the reloaded story or the error that stopped it."""
        if not self.changed():
            return None
        try:
            return Reload(self.loader(self.folder))
        except LoadError as exc:
            if exc.root is None:
                exc.root = self.folder
            return Reload(None, exc)


def replay_longest(story: Story, role: str, seed: int, trail: Sequence[str]) -> Replayed:
    """Replay `trail` on `story`; on a ReplayError keep the longest prefix that replays.

    Raises EngineError (from `engine.start`) only when the role itself no longer exists.
    """
    try:
        return Replayed(engine.replay(story, role, seed, trail))
    except ReplayError as exc:
        kept = exc.step - 1  # steps before the failing one replayed; the prefix is valid
        state = engine.replay(story, role, seed, trail[:kept])
        return Replayed(state, len(trail) - kept, exc)
