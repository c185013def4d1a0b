"""Loading a saved game: every slot with its role, phase, place and date; damaged ones marked.

Saves can be deleted (`d`, after asking) and renamed (`r`) here.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from exilegame.errors import SaveError
from exilegame.play.session import Session
from exilegame.play.tui.results import LoadSlot
from exilegame.play.tui.screens.save import slot_prompt
from exilegame.saves import SlotInfo

NO_SAVES = "There are no saves yet. Press s while playing to save."


class LoadScreen(ModalScreen[LoadSlot | None]):
    """Dismisses with the slot to load, or None."""

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Cancel"),
        Binding("d,delete", "delete", "Delete"),
        Binding("r", "rename", "Rename"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.slots: list[SlotInfo] = session.slots()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide"):
            yield Static("Load a saved game", classes="dialog-title")
            yield Static(id="load-hint", classes="dialog-hint")
            yield OptionList(id="load-slots")

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#load-slots", OptionList).focus()

    def _fill(self, keep: int = 0) -> None:
        listing = self.query_one("#load-slots", OptionList)
        listing.set_options(
            Option(slot_prompt(s), id=str(i), disabled=not s.ok) for i, s in enumerate(self.slots)
        )
        listing.display = bool(self.slots)
        hint = "Enter: load · d: delete · r: rename · Escape: cancel"
        self.query_one("#load-hint", Static).update(hint if self.slots else NO_SAVES)
        if self.slots:
            # Damaged saves are listed (disabled) so that they can be seen and deleted.
            listing.highlighted = min(keep, len(self.slots) - 1)
        self.refresh_bindings()

    def _current(self) -> SlotInfo | None:
        listing = self.query_one("#load-slots", OptionList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.slots):
            return None
        return self.slots[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return False  # keys typed ahead of the first frame
        if action in ("delete", "rename"):
            return True if self.slots else None
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id or 0)
        if self.is_active and 0 <= index < len(self.slots) and self.slots[index].ok:
            self.dismiss(LoadSlot(self.slots[index]))

    def action_delete(self) -> None:
        from exilegame.play.tui.screens.confirm import ConfirmScreen

        slot = self._current()
        if slot is None:
            return
        index = self.slots.index(slot)

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.session.delete(slot)
            except SaveError as exc:
                self.notify(str(exc), severity="error")
                return
            self.slots = self.session.slots()
            self._fill(index)
            self.notify(f"Deleted '{slot.name}'.")

        self.app.push_screen(
            ConfirmScreen(
                f"Delete the save '{slot.name}'? This cannot be undone.", "Delete", "Keep"
            ),
            answer,
        )

    def action_rename(self) -> None:
        from exilegame.play.tui.screens.prompt import PromptScreen

        slot = self._current()
        if slot is None:
            return
        if not slot.ok:
            self.notify("A damaged save cannot be renamed; it can be deleted.", severity="warning")
            return

        def renamed(name: str | None) -> None:
            if name is None or not name.strip() or name.strip() == slot.name:
                return
            try:
                info = self.session.rename(slot, name)
            except SaveError as exc:
                self.notify(str(exc), severity="error")
                return
            self.slots = self.session.slots()
            self._fill(next((i for i, s in enumerate(self.slots) if s.path == info.path), 0))
            self.notify(f"Renamed to '{info.name}'.")

        self.app.push_screen(PromptScreen(f"A new name for '{slot.name}'", slot.name), renamed)

    def action_close(self) -> None:
        if self.is_active:
            self.dismiss(None)
