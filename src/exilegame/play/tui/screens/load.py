"""Loading a saved game: every slot with its role, phase, place and date; damaged ones marked."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from exilegame.play.tui.results import LoadSlot
from exilegame.play.tui.screens.save import slot_prompt
from exilegame.saves import SlotInfo


class LoadScreen(ModalScreen[LoadSlot | None]):
    """Dismisses with the slot to load, or None."""

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Cancel"),
    ]

    def __init__(self, slots: list[SlotInfo]) -> None:
        super().__init__()
        self.slots = slots

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide"):
            yield Static("Load a saved game", classes="dialog-title")
            if not self.slots:
                yield Static(
                    "There are no saves yet. Press s while playing to save.", classes="dialog-hint"
                )
            yield OptionList(
                *[
                    Option(slot_prompt(s), id=str(i), disabled=not s.ok)
                    for i, s in enumerate(self.slots)
                ],
                id="load-slots",
            )

    def on_mount(self) -> None:
        self.query_one("#load-slots", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(LoadSlot(self.slots[int(event.option.id or 0)]))

    def action_close(self) -> None:
        self.dismiss(None)
