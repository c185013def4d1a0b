"""The record of explored paths: every scene, choice and ending seen across all runs of a story
on this machine, for the explored-paths view and `exilegame graph --explored`.

A damaged record is set aside (renamed `.damaged.json`), reported once, and started anew; it
never stops the game. Layout under the data directory: `explored/<story-id>.json`.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exilegame._datafile import MAX_KEY, compatible, whole_count
from exilegame._files import clean_stale, data_dir, parse_json, read_regular, write_atomic
from exilegame.story import Story

if TYPE_CHECKING:
    from exilegame import engine

__all__ = ["EXPLORED_FORMAT", "EXPLORED_OLDEST", "Explored", "ExploredRecord"]

EXPLORED_FORMAT = 2
EXPLORED_OLDEST = 1
EXPLORED_LIMIT = 16 << 20


@dataclass
class Explored:
    """What has been seen across all runs of a story on this machine."""

    scenes: set[str]
    choices: set[str]
    endings: dict[str, int]
    runs: int = 0

    def to_json(self) -> str:
        import json  # only to write: the title screen reads the record (docs/design.md)

        return json.dumps(
            {
                "format": EXPLORED_FORMAT,
                "compatible": EXPLORED_OLDEST,
                "scenes": sorted(self.scenes),
                "choices": sorted(self.choices),
                "endings": self.endings,
                "runs": self.runs,
            },
            indent=1,
        )


class ExploredRecord:
    """The persistent explored-paths record of one story; damaged files are set aside.

    `damaged` says, once a read found the file damaged, what was wrong and where the file
    was moved; the game goes on with an empty record and shows the message once.
    """

    def __init__(self, story: Story, root: Path | None = None) -> None:
        self.story = story
        self.path = (root or data_dir()) / "explored" / f"{story.id}.json"
        self.damaged = ""
        self._cleaned = False

    def read(self) -> Explored:
        if not self._cleaned:
            self._cleaned = True
            clean_stale(self.path.parent)
        try:
            raw = read_regular(self.path, EXPLORED_LIMIT)
        except FileNotFoundError:
            return Explored(set(), set(), {})
        except OSError as exc:
            return self._set_aside(exc.strerror or str(exc))
        try:
            return _checked_explored(parse_json(raw))
        except (ValueError, KeyError, TypeError) as exc:
            return self._set_aside(str(exc))

    def _set_aside(self, reason: str) -> Explored:
        """Keep a damaged record for inspection, report it, and start anew."""
        aside = self.path.with_suffix(".damaged.json")
        try:
            os.replace(self.path, aside)
            where = f"; it was moved to {aside}"
        except OSError:
            where = ""
        self.damaged = (
            f"The record of explored paths ({self.path.name}) was damaged ({reason}) and has "
            f"been started anew{where}."
        )
        return Explored(set(), set(), {})

    def record(
        self, state: engine.State, ending: str | None = None, new_run: bool = False
    ) -> Explored:
        """Add every scene and choice of `state`'s run (and its ending, if any) to the record."""
        explored = self.read()
        explored.scenes.update(s.scene for s in state.history())
        explored.choices.update(state.trail)
        if ending:
            explored.endings[ending] = explored.endings.get(ending, 0) + 1
        if new_run:
            explored.runs += 1
        # The record is a convenience: failing to write it must not interrupt play.
        with contextlib.suppress(OSError):
            write_atomic(self.path, explored.to_json())
        return explored


def _checked_explored(data: object) -> Explored:
    """An explored record with the types and ranges the game relies on; ValueError if not."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    compatible(data, EXPLORED_FORMAT, EXPLORED_OLDEST, "explored record")
    found: list[set[str]] = []
    for key in ("scenes", "choices"):
        items = data.get(key)
        if not isinstance(items, list) or not all(
            isinstance(i, str) and len(i) <= MAX_KEY for i in items
        ):
            raise ValueError(f"'{key}' is not a list of ids")
        found.append(set(items))
    endings = data.get("endings")
    if not isinstance(endings, dict) or not all(
        len(k) <= MAX_KEY and whole_count(v) for k, v in endings.items()
    ):
        raise ValueError("'endings' does not count each ending with a whole number")
    runs = data.get("runs", 0)
    if not whole_count(runs):
        raise ValueError("'runs' is not a whole number from 0")
    return Explored(found[0], found[1], dict(endings), runs)
