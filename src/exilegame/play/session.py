"""The run being played, shared by the terminal interface and line mode (no Textual here).

The current State plus saving and the explored-paths record. Every rule of the game stays in
`exilegame.engine`; the players call these methods and redraw.

- The run is autosaved after every choice, on a background thread, without fsync: the write is
  atomic (a temporary file renamed into place), so a reader sees the old autosave or the new
  one, and the interface never waits for the disk. Leaving (quit, back to the title, a crash)
  writes the autosave once more, durably, on the calling thread.
- The explored-paths record is written at phase boundaries, before a rewind or a branch drops
  choices, and on leaving (each write is fsynced, so not at every choice).
"""

from __future__ import annotations

import threading
import traceback
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from exilegame._files import data_dir, write_atomic
from exilegame._version import __version__
from exilegame.errors import EngineError, SaveError
from exilegame.saves import AUTOSAVE, Loaded, SaveStore, SlotInfo
from exilegame.story import CONTINUE, Choice, Story

if TYPE_CHECKING:
    from exilegame import engine
    from exilegame.explored import ExploredRecord

# The engine and the explored-paths record are imported when a run starts or the record is
# first read, not with this module: the title screen needs neither (docs/design.md, start-up).


class _Autosaver:
    """Writes the newest state handed to it to the autosave slot, on its own thread.

    Only the newest pending state is written (a burst of choices costs one write). A lock
    orders every write, so a durable write made by `save_now` can never be overtaken by an
    older background one.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._pending: engine.State | None = None
        self._wake = threading.Condition()
        self._write = threading.Lock()
        self._busy = False
        self._closed = False
        self.error: str | None = None
        self._thread: threading.Thread | None = None

    def submit(self, state: engine.State) -> None:
        with self._wake:
            if self._closed:
                return
            self._pending = state
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="exilegame-autosave", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                if self._pending is None:
                    return
                state, self._pending = self._pending, None
                self._busy = True
            try:
                with self._write:
                    self._session.store.save(AUTOSAVE, state, durable=False)
            except SaveError as exc:
                self.error = str(exc)
            except Exception as exc:  # the thread must live on: say it, keep saving
                self.error = f"the autosave failed: {exc!r}"
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()

    def wait(self) -> None:
        """Return once nothing is pending or being written."""
        with self._wake:
            while self._pending is not None or self._busy:
                self._wake.wait(timeout=1.0)

    def save_now(self, state: engine.State) -> SlotInfo:
        """Write `state` durably on this thread; a pending background write is dropped."""
        with self._wake:
            self._pending = None
        with self._write:
            return self._session.store.save(AUTOSAVE, state)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._pending = None
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)


class Session:
    """One story and the run on it (if any)."""

    def __init__(self, story: Story, data_root: Path | None = None) -> None:
        self.data_root = data_root
        self.story = story
        self.store = SaveStore(story, data_root)
        self._record: ExploredRecord | None = None  # made on first use (`record`)
        self.state: engine.State | None = None
        self.last_note: Choice | None = None
        self.saved_trail: tuple[str, ...] | None = None  # the run's trail as last saved by name
        self._unrecorded = False  # moves not yet in the explored-paths record
        self._latest: SlotInfo | None = None
        self._latest_known = False
        self._has_save: bool | None = None
        self._autosaver = _Autosaver(self)
        self.crash_autosaved = False  # set by crash_report

    def set_story(self, story: Story) -> None:
        """Swap in a reloaded story (live reload); the caller replays the run onto it."""
        self._autosaver.wait()
        self.story = story
        self.store = SaveStore(story, self.data_root)
        self._record = None
        self._saves_changed()

    @property
    def record(self) -> ExploredRecord:
        """The story's explored-paths record."""
        if self._record is None:
            from exilegame.explored import ExploredRecord

            self._record = ExploredRecord(self.story, self.data_root)
        return self._record

    @property
    def run(self) -> engine.State:
        if self.state is None:
            raise EngineError("no game is in progress")
        return self.state

    @property
    def playing(self) -> bool:
        return self.state is not None

    @property
    def unsaved(self) -> bool:
        """True when the run has choices that no named save holds (the autosave aside)."""
        return (
            self.state is not None
            and self.state.step > 0
            and (self.saved_trail != self.state.trail)
        )

    def flush_record(self) -> None:
        """Write what this run has seen into the explored-paths record, if anything is new."""
        if self.state is not None and self._unrecorded:
            self.record.record(self.state)
        self._unrecorded = False

    def new_game(self, role: str, seed: int) -> engine.State:
        from exilegame import engine

        self.flush_record()
        self.state = engine.start(self.story, role, seed)
        self.last_note = None
        self.saved_trail = None
        self.record.record(self.state, new_run=True)
        return self.state

    def resume(self, state: engine.State) -> engine.State:
        self.flush_record()
        self.state = state
        self.last_note = None
        return state

    def choose(self, choice_id: str) -> engine.State:
        """Take a choice (EngineError if it cannot be taken here) and autosave."""
        from exilegame import engine

        before = self.run
        return self._advance(before, engine.choose(self.story, before, choice_id), choice_id)

    def choose_number(self, number: int) -> engine.State:
        """Take the choice shown as `number` (line mode); EngineError says why not."""
        from exilegame import engine

        before = self.run
        after = engine.choose_number(self.story, before, number)
        return self._advance(before, after, after.choice.rpartition(":")[2])

    def _advance(self, before: engine.State, state: engine.State, choice_id: str) -> engine.State:
        from exilegame import engine

        self.state = state
        chosen = (
            None if choice_id == CONTINUE else self.story.scenes[before.scene].choice(choice_id)
        )
        self.last_note = chosen if chosen is not None and chosen.note else None
        status = engine.status(self.story, state)
        self._unrecorded = True
        if choice_id == CONTINUE or status is not engine.Status.PLAYING:
            ending = (
                engine.ending(self.story, state).id if status is engine.Status.GAME_END else None
            )
            self.record.record(state, ending=ending)
            self._unrecorded = False
        self._autosaver.submit(state)
        self._saves_changed(has_save=True)
        return state

    def rewind(self, steps: int = 1) -> engine.State:
        from exilegame import engine

        self.flush_record()
        self.state = engine.rewind(self.run, steps)
        self.last_note = None
        self._autosaver.submit(self.state)
        return self.state

    def branch(self, step: int) -> engine.State:
        """Go back to just before choice number `step` (1-based), to choose again."""
        self.flush_record()
        self.state = self.run.at_step(step - 1)
        self.last_note = None
        self._autosaver.submit(self.state)
        return self.state

    def status(self) -> engine.Status:
        from exilegame import engine

        return engine.status(self.story, self.run)

    # -- saves -----------------------------------------------------------------------------

    def take_autosave_error(self) -> str | None:
        """The last background autosave failure, once (then cleared)."""
        error, self._autosaver.error = self._autosaver.error, None
        return error

    def save(self, name: str) -> SlotInfo:
        self._autosaver.wait()
        info = self.store.save(name, self.run)
        self.saved_trail = self.run.trail
        self._saves_changed(has_save=True)
        return info

    def autosave(self) -> SlotInfo | None:
        """Save to the autosave slot now, durably, if a run is in progress (SaveError
        propagates); also writes the explored record."""
        if self.state is None:
            return None
        self.flush_record()
        info = self._autosaver.save_now(self.state)
        self._saves_changed(has_save=True)
        return info

    def load(self, slot: SlotInfo) -> Loaded:
        self._autosaver.wait()
        loaded = self.store.load(slot.path)
        self.resume(loaded.state)
        self.saved_trail = loaded.state.trail
        return loaded

    def slots(self) -> list[SlotInfo]:
        self._autosaver.wait()
        return self.store.slots()

    def delete(self, slot: SlotInfo) -> None:
        self._autosaver.wait()
        self.store.delete(slot.path)
        self._saves_changed()

    def rename(self, slot: SlotInfo, name: str) -> SlotInfo:
        self._autosaver.wait()
        info = self.store.rename(slot.path, name)
        self._saves_changed()
        return info

    def latest(self) -> SlotInfo | None:
        """The most recent readable save, for Continue; read from disk only after a change."""
        if not self._latest_known:
            self._autosaver.wait()
            self._latest = self.store.latest()
            self._latest_known = True
            self._has_save = self._latest is not None
        return self._latest

    def data_problems(self) -> list[str]:
        """What is damaged among this story's data files, one message each, to show once.

        A damaged explored record is set aside (and so reported only once); damaged saves
        stay where they are and are listed, with the reason, in the load screen.
        """
        self.record.read()
        messages = [self.record.damaged] if self.record.damaged else []
        damaged = sum(not slot.ok for slot in self.slots())
        if damaged:
            messages.append(
                f"{damaged} save file{'s are' if damaged != 1 else ' is'} damaged and cannot "
                "be loaded; the load screen says why. Other saves are not affected."
            )
        return messages

    @property
    def has_save(self) -> bool:
        """Whether Continue has something to resume: read from disk once, then kept up to
        date by every save, delete and rename made through the session."""
        if self._has_save is None:
            self.latest()
        return bool(self._has_save)

    def _saves_changed(self, *, has_save: bool = False) -> None:
        self._latest_known = False
        self._has_save = True if has_save else None

    def export(self) -> tuple[Path, Path]:
        """Write the run so far as Markdown and as HTML under `exports/`; return both paths.

        The file names carry the story, role, seed and number of choices, so exporting the
        same moment twice rewrites the same files and different runs never clash. OSError
        propagates for the caller to report.
        """
        from exilegame.play.export import export

        state = self.run
        folder = (self.data_root or data_dir()) / "exports"
        stem = f"{self.story.id}-{state.role}-seed{state.seed}-step{state.step}"
        markdown, page = folder / f"{stem}.md", folder / f"{stem}.html"
        write_atomic(markdown, export(self.story, state, "markdown"))
        write_atomic(page, export(self.story, state, "html"))
        return markdown, page

    def close(self) -> None:
        """Finish: stop the background autosaver (callers autosave first if they want to)."""
        self.flush_record()
        self._autosaver.wait()
        self._autosaver.close()

    # -- crashes ---------------------------------------------------------------------------

    def crash_report(self, error: BaseException) -> Path:
        """Autosave (if possible) and write a crash report to the data folder; its path.

        Never raises for a failed autosave: the report says so instead."""
        saved = "no game was in progress"
        self.crash_autosaved = False
        if self.state is not None:
            try:
                self.autosave()
                saved = "the run was autosaved (Continue resumes it)"
                self.crash_autosaved = True
            except (SaveError, OSError) as exc:
                saved = f"the autosave failed: {exc}"
        state = self.state
        lines = [
            f"exilegame {__version__} crash report, {datetime.now().isoformat(timespec='seconds')}",
            f"story: {self.story.id} (fingerprint {self.story.fingerprint})",
            f"role: {state.role if state else '-'}",
            f"seed: {state.seed if state else '-'}",
            f"trail: {', '.join(state.trail) if state else '-'}",
            f"autosave: {saved}",
            "",
            "".join(traceback.format_exception(error)),
        ]
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = (self.data_root or data_dir()) / "crashes" / f"crash-{stamp}.txt"
        write_atomic(path, "\n".join(lines))
        return path
