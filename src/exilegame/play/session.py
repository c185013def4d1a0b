"""The run being played, for the screens: the current State plus saving and the explored record.

No Textual here. Screens call these methods and redraw; every rule of the game stays in
`exilegame.engine`. The explored-paths record is written at phase boundaries, before a rewind
or a branch drops choices, and on quit (not at every choice: each write is fsynced, and a slow
disk would stall the interface). The run is autosaved at every phase boundary and on quit, so
Continue resumes exactly where play stopped.
"""

from __future__ import annotations

from pathlib import Path

from exilegame import engine
from exilegame.errors import EngineError
from exilegame.saves import AUTOSAVE, ExploredRecord, Loaded, SaveStore, SlotInfo
from exilegame.story import CONTINUE, Choice, Story


class Session:
    """One story and the run on it (if any); the screens share it through the app."""

    def __init__(self, story: Story, data_root: Path | None = None) -> None:
        self.data_root = data_root
        self.story = story
        self.store = SaveStore(story, data_root)
        self.record = ExploredRecord(story, data_root)
        self.state: engine.State | None = None
        self.last_note: Choice | None = None
        self._unrecorded = False  # moves not yet in the explored-paths record

    def set_story(self, story: Story) -> None:
        """Swap in a reloaded story (live reload); the caller replays the run onto it."""
        self.story = story
        self.store = SaveStore(story, self.data_root)
        self.record = ExploredRecord(story, self.data_root)

    @property
    def run(self) -> engine.State:
        if self.state is None:
            raise EngineError("no game is in progress")
        return self.state

    @property
    def playing(self) -> bool:
        return self.state is not None

    def flush_record(self) -> None:
        """Write what this run has seen into the explored-paths record, if anything is new."""
        if self.state is not None and self._unrecorded:
            self.record.record(self.state)
        self._unrecorded = False

    def new_game(self, role: str, seed: int) -> engine.State:
        self.flush_record()
        self.state = engine.start(self.story, role, seed)
        self.last_note = None
        self.record.record(self.state, new_run=True)
        return self.state

    def resume(self, state: engine.State) -> engine.State:
        self.flush_record()
        self.state = state
        self.last_note = None
        return state

    def choose(self, choice_id: str) -> engine.State:
        """Take a choice; note it for the "what really happened" panel; autosave at a phase end."""
        before = self.run
        state = engine.choose(self.story, before, choice_id)
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
            self.autosave()
        return state

    def rewind(self, steps: int = 1) -> engine.State:
        self.flush_record()
        self.state = engine.rewind(self.run, steps)
        self.last_note = None
        return self.state

    def branch(self, step: int) -> engine.State:
        """Go back to just before choice number `step` (1-based), to choose again."""
        self.flush_record()
        self.state = self.run.at_step(step - 1)
        self.last_note = None
        return self.state

    def status(self) -> engine.Status:
        return engine.status(self.story, self.run)

    def save(self, name: str) -> SlotInfo:
        return self.store.save(name, self.run)

    def autosave(self) -> SlotInfo | None:
        """Save to the autosave slot if a run is in progress (SaveError propagates)."""
        if self.state is None:
            return None
        self.flush_record()
        return self.store.save(AUTOSAVE, self.state)

    def load(self, slot: SlotInfo) -> Loaded:
        loaded = self.store.load(slot.path)
        self.resume(loaded.state)
        return loaded

    def latest(self) -> SlotInfo | None:
        return self.store.latest()
