"""Save slots and the record of explored paths, on disk: atomic, versioned, tied to a story.

A save holds the run's role, seed and trail of choices (not its variables): loading replays
the trail, so a save still loads after the story is edited, as long as its choices still
exist; when one does not, the SaveError says which. Each file is written to a temporary file
and renamed into place, so a crash never leaves half a save, and a corrupt file is reported
for that slot alone.

Layout under the data directory (see `paths.data_dir`):
    saves/<story-id>/<slot>.json
    explored/<story-id>.json
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from exilegame import engine
from exilegame._files import data_dir, write_atomic
from exilegame._version import __version__
from exilegame.errors import ReplayError, SaveError
from exilegame.story import Story

__all__ = [
    "AUTOSAVE",
    "EXPLORED_FORMAT",
    "EXPLORED_OLDEST",
    "SAVE_FORMAT",
    "SAVE_OLDEST",
    "Explored",
    "ExploredRecord",
    "Loaded",
    "SaveStore",
    "SlotInfo",
    "compatible",
    "slot_filename",
]

# Versions, as ink's saves have them: each file records the format it was written in and the
# oldest reader format that can still read it ("compatible"); a reader accepts a file when it
# knows that old a format (format >= *_OLDEST) and the file says this reader is new enough
# (compatible <= *_FORMAT). Format 2 of saves added "compatible" and "exilegame"; a save of
# format 1 has neither and reads as before.
SAVE_FORMAT = 2
SAVE_OLDEST = 1
EXPLORED_FORMAT = 2
EXPLORED_OLDEST = 1


def compatible(data: dict[str, Any], current: int, oldest: int, what: str) -> None:
    """Raise ValueError unless a file of this format can be read by this version."""
    written = data.get("format")
    if not isinstance(written, int) or isinstance(written, bool):
        raise ValueError(f"no {what} format number")
    needs = data.get("compatible", written)
    if not isinstance(needs, int) or isinstance(needs, bool):
        raise ValueError(f"the {what}'s compatibility number is not a number")
    if written < oldest:
        raise ValueError(f"{what} format {written} is older than this version reads ({oldest})")
    if needs > current:
        raise ValueError(
            f"it was written by a newer exilegame ({what} format {written}); update exilegame"
        )


AUTOSAVE = "autosave"
_SLOT_RE = re.compile(r"[^A-Za-z0-9_-]+")


def slot_filename(name: str) -> str:
    """A safe file name for a slot name typed by a player."""
    slug = _SLOT_RE.sub("-", name.strip()).strip("-").lower()
    return (slug or "save")[:60] + ".json"


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """What the load screen shows of a save; `error` is set when the file cannot be read."""

    name: str
    path: Path
    saved_at: str = ""  # ISO time
    role: str = ""
    phase: str = ""
    place: str = ""
    date: str = ""
    step: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True, slots=True)
class Loaded:
    """A save read back: the replayed state, and a notice if the story changed since."""

    state: engine.State
    info: SlotInfo
    notice: str = ""


class SaveStore:
    """The save slots of one story."""

    def __init__(self, story: Story, root: Path | None = None) -> None:
        self.story = story
        self.folder = (root or data_dir()) / "saves" / story.id

    def path_of(self, name: str) -> Path:
        return self.folder / slot_filename(name)

    def exists(self, name: str) -> bool:
        return self.path_of(name).is_file()

    def save(self, name: str, state: engine.State, *, durable: bool = True) -> SlotInfo:
        """Write the run to the slot `name`, replacing what was there (ask the player first).

        `durable=False` skips the fsync (see `write_atomic`), for the per-choice autosave."""
        story = self.story
        scene = story.scenes[state.scene]
        phase = story.phase_of(state.scene)
        place = story.places.get(scene.place)
        data = {
            "format": SAVE_FORMAT,
            "compatible": SAVE_OLDEST,
            "exilegame": __version__,
            "story": {"id": story.id, "title": story.title, "fingerprint": story.fingerprint},
            "name": name.strip() or "save",
            "saved_at": datetime.now().isoformat(timespec="seconds"),
            "role": state.role,
            "seed": state.seed,
            "trail": list(state.trail),
            "summary": {
                "phase": phase.title,
                "place": place.name if place else scene.place,
                "date": scene.date,
                "step": state.step,
            },
        }
        path = self.path_of(name)
        try:
            write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1), durable=durable)
        except OSError as exc:
            raise SaveError(f"could not write the save '{name}': {exc.strerror}") from None
        return self._info(path, data)

    def delete(self, path: Path) -> None:
        """Remove a save file (damaged ones included); SaveError if it cannot be removed."""
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise SaveError(f"could not delete the save {path.name}: {exc.strerror}") from None

    def rename(self, path: Path, new_name: str) -> SlotInfo:
        """Give a readable save a new name (and file): written atomically, then the old one
        removed. SaveError if the name is empty, already taken, or the file cannot be moved."""
        new_name = new_name.strip()
        if not new_name:
            raise SaveError("a save needs a name")
        target = self.path_of(new_name)
        data = self._read(path)
        if target.exists() and target != path:
            raise SaveError(f"there is already a save called '{new_name}'")
        data["name"] = new_name
        try:
            write_atomic(target, json.dumps(data, ensure_ascii=False, indent=1))
            if target != path:
                path.unlink(missing_ok=True)
        except OSError as exc:
            raise SaveError(f"could not rename the save: {exc.strerror}") from None
        return self._info(target, data)

    def slots(self) -> list[SlotInfo]:
        """Every save of this story, newest first; unreadable ones carry an `error`."""
        if not self.folder.is_dir():
            return []
        infos = []
        for path in self.folder.glob("*.json"):
            try:
                infos.append(self._info(path, self._read(path)))
            except SaveError as exc:
                infos.append(SlotInfo(path.stem, path, error=str(exc)))
        infos.sort(key=lambda i: (i.ok, i.saved_at), reverse=True)
        return infos

    def latest(self) -> SlotInfo | None:
        """The most recent readable save, for Continue."""
        readable = [i for i in self.slots() if i.ok]
        return readable[0] if readable else None

    def load(self, name_or_path: str | Path) -> Loaded:
        """Read a save and replay it on the story; SaveError says clearly what went wrong."""
        path = Path(name_or_path) if isinstance(name_or_path, Path) else self.path_of(name_or_path)
        data = self._read(path)
        info = self._info(path, data)
        story = self.story
        if data["role"] not in story.roles:
            raise SaveError(
                f"the save '{info.name}' is for the role '{data['role']}', which "
                "this story no longer has"
            )
        try:
            state = engine.replay(story, data["role"], data["seed"], data["trail"])
        except ReplayError as exc:
            raise SaveError(
                f"the save '{info.name}' no longer fits the story: at choice "
                f"{exc.step}, {exc.reason}. Start a new game, or load another "
                "save."
            ) from None
        notice = ""
        if data["story"].get("fingerprint") != story.fingerprint:
            notice = (
                f"The story has changed since '{info.name}' was saved; its "
                f"{len(data['trail'])} choices were replayed on the new version."
            )
        return Loaded(state, info, notice)

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SaveError(f"there is no save '{path.stem}'") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SaveError(f"the save file {path.name} cannot be read: {exc}") from None
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            compatible(data, SAVE_FORMAT, SAVE_OLDEST, "save")
            if not isinstance(data["trail"], list) or not all(
                isinstance(k, str) for k in data["trail"]
            ):
                raise ValueError("the trail is not a list of choices")
            if not isinstance(data["role"], str) or not isinstance(data["seed"], int):
                raise ValueError("role or seed missing")
            if not isinstance(data.get("story"), dict):
                raise ValueError("no story section")
        except (ValueError, KeyError, TypeError) as exc:
            raise SaveError(
                f"the save file {path.name} is damaged ({exc}); other saves are not affected"
            ) from None
        return data

    def _info(self, path: Path, data: dict[str, Any]) -> SlotInfo:
        summary = data.get("summary") or {}
        return SlotInfo(
            name=str(data.get("name") or path.stem),
            path=path,
            saved_at=str(data.get("saved_at", "")),
            role=str(data.get("role", "")),
            phase=str(summary.get("phase", "")),
            place=str(summary.get("place", "")),
            date=str(summary.get("date", "")),
            step=int(summary.get("step", 0) or 0),
        )


@dataclass
class Explored:
    """What has been seen across all runs of a story on this machine."""

    scenes: set[str]
    choices: set[str]
    endings: dict[str, int]
    runs: int = 0

    def to_json(self) -> str:
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
    """The persistent explored-paths record of one story; corrupt files are set aside."""

    def __init__(self, story: Story, root: Path | None = None) -> None:
        self.story = story
        self.path = (root or data_dir()) / "explored" / f"{story.id}.json"

    def read(self) -> Explored:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            compatible(data, EXPLORED_FORMAT, EXPLORED_OLDEST, "explored record")
            return Explored(
                set(data["scenes"]),
                set(data["choices"]),
                {str(k): int(v) for k, v in data["endings"].items()},
                int(data.get("runs", 0)),
            )
        except FileNotFoundError:
            return Explored(set(), set(), {})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # A damaged record must not stop play: keep it aside for inspection and start anew.
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_suffix(".damaged.json"))
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
