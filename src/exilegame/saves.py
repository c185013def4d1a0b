"""Save slots and the record of explored paths, on disk: atomic, versioned, tied to a story.

A save holds the run's role, seed and trail of choices (not its variables): loading replays
the trail, so a save still loads after the story is edited, as long as its choices still
exist; when one does not, the SaveError says which. Each file is written to a temporary file
and renamed into place, so a crash never leaves half a save; the temporary files of writes
that were killed are removed when the folder is next listed. Every file is read defensively
(a regular file, of bounded size, whose every field has the right type and range): a damaged
save is reported for that slot alone, and a damaged explored record is set aside and reported
once (`ExploredRecord.damaged`); neither ever stops the game.

Layout under the data directory (see `paths.data_dir`):
    saves/<story-id>/<slot>.json
    explored/<story-id>.json
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exilegame._datafile import MAX_KEY, compatible, short_text, whole_count
from exilegame._files import clean_stale, data_dir, parse_json, read_regular, write_atomic
from exilegame._record import record
from exilegame._version import __version__
from exilegame.errors import ReplayError, SaveError, visible
from exilegame.story import Story

if TYPE_CHECKING:
    from exilegame import engine

# json and the engine are imported when a save is written or loaded: the title screen only
# lists the saves (docs/design.md, start-up).

__all__ = [
    "AUTOSAVE",
    "SAVE_FORMAT",
    "SAVE_OLDEST",
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

SAVE_LIMIT = 4 << 20  # bytes: a save of 10,000 choices is under 1 MB
_MAX_TRAIL = 100_000  # choices in one save


AUTOSAVE = "autosave"
_SLOT_RE = re.compile(r"[^A-Za-z0-9_-]+")


def slot_filename(name: str) -> str:
    """A safe file name for a slot name typed by a player."""
    slug = _SLOT_RE.sub("-", name.strip()).strip("-").lower()
    return (slug or "save")[:60] + ".json"


@record
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


@record
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
        import json

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
            raise SaveError(
                f"could not delete the save {visible(path.name)}: {exc.strerror}"
            ) from None

    def rename(self, path: Path, new_name: str) -> SlotInfo:
        """Give a readable save a new name (and file): written atomically, then the old one
        removed. SaveError if the name is empty, already taken, or the file cannot be moved."""
        import json

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
        clean_stale(self.folder)
        infos = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                infos.append(self._info(path, self._read(path)))
            except SaveError as exc:
                infos.append(SlotInfo(visible(path.stem), path, error=str(exc)))
        infos.sort(key=lambda i: (i.ok, i.saved_at), reverse=True)
        return infos

    def latest(self) -> SlotInfo | None:
        """The most recent readable save, for Continue."""
        readable = [i for i in self.slots() if i.ok]
        return readable[0] if readable else None

    def load(self, name_or_path: str | Path) -> Loaded:
        """Read a save and replay it on the story; SaveError says clearly what went wrong."""
        from exilegame import engine

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
        """The checked contents of a save file; SaveError if it is missing or damaged."""
        try:
            raw = read_regular(path, SAVE_LIMIT)
        except FileNotFoundError:
            raise SaveError(f"there is no save '{visible(path.stem)}'") from None
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise SaveError(
                f"the save file {visible(path.name)} cannot be read: {reason}"
            ) from None
        try:
            return _checked_save(parse_json(raw))
        except (ValueError, KeyError, TypeError) as exc:
            raise SaveError(
                f"the save file {visible(path.name)} is damaged ({exc}); "
                "other saves are not affected"
            ) from None

    def _info(self, path: Path, data: dict[str, Any]) -> SlotInfo:
        summary = data["summary"]
        return SlotInfo(
            name=data["name"] or path.stem,
            path=path,
            saved_at=data["saved_at"],
            role=data["role"],
            phase=summary["phase"],
            place=summary["place"],
            date=summary["date"],
            step=summary["step"],
        )


def _checked_save(data: object) -> dict[str, Any]:
    """The save's fields with the types and ranges the game relies on; ValueError if not."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    compatible(data, SAVE_FORMAT, SAVE_OLDEST, "save")
    trail = data.get("trail")
    if not isinstance(trail, list) or not all(
        isinstance(k, str) and len(k) <= MAX_KEY for k in trail
    ):
        raise ValueError("the trail is not a list of choices")
    if len(trail) > _MAX_TRAIL:
        raise ValueError(f"the trail is longer than {_MAX_TRAIL:,} choices")
    role, seed = data.get("role"), data.get("seed")
    if not isinstance(role, str) or len(role) > MAX_KEY:
        raise ValueError("no role")
    if not whole_count(seed):
        raise ValueError("the seed is not a whole number from 0")
    story = data.get("story")
    if not isinstance(story, dict):
        raise ValueError("no story section")
    if not isinstance(story.get("fingerprint", ""), str):
        raise ValueError("the story's fingerprint is not text")
    summary = data.get("summary", {})
    if not isinstance(summary, dict):
        raise ValueError("the summary is not a mapping")
    shown = {key: short_text(summary.get(key, ""), f"the summary's {key}") for key in _SUMMARY}
    step = summary.get("step", 0)
    if not whole_count(step):
        raise ValueError("the summary's step is not a whole number from 0")
    return {
        **data,
        "name": short_text(data.get("name", ""), "the name"),
        "saved_at": short_text(data.get("saved_at", ""), "the time saved"),
        "summary": {**shown, "step": step},
    }


_SUMMARY = ("phase", "place", "date")
