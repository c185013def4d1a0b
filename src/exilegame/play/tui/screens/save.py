"""Saving to a named slot; overwriting an existing slot asks first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from exilegame import engine
from exilegame.saves import SlotInfo, slot_filename
from exilegame.story import Story, format_date


def slot_prompt(slot: SlotInfo) -> Text:
    """A slot as the save and load lists show it: name, then role, phase, place, date."""
    text = Text()
    text.append(slot.name, style="bold")
    if not slot.ok:
        text.append(f"\n  damaged: {slot.error}", style="italic")
        return text
    saved = slot.saved_at.replace("T", " ")[:16]
    details = " · ".join(
        x
        for x in (slot.role, slot.phase, slot.place, format_date(slot.date) if slot.date else "")
        if x
    )
    text.append(f"  {saved}", style="dim")
    text.append(f"\n  {details}, choice {slot.step}", style="dim")
    return text


class SaveScreen(ModalScreen[str | None]):
    """Dismisses with the slot name to save to (after confirming an overwrite), or None."""

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel"),
    ]

    def __init__(self, slots: list[SlotInfo], story: Story, state: engine.State) -> None:
        super().__init__()
        self.slots = slots
        scene = story.scenes[state.scene]
        place = story.places.get(scene.place)
        where = place.name.split(" (")[0] if place else scene.place
        self.suggestion = f"{where}, {format_date(scene.date)}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide"):
            yield Static("Save the game", classes="dialog-title")
            yield Static(
                "Type a name and press Enter, or pick a slot to overwrite.", classes="dialog-hint"
            )
            yield Input(value=self.suggestion, placeholder="name of the save", id="save-name")
            yield OptionList(
                *[Option(slot_prompt(s), id=s.name) for s in self.slots], id="save-slots"
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def on_mount(self) -> None:
        self.query_one("#save-slots", OptionList).display = bool(self.slots)
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save(event.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._save(event.option.id or "")

    def _save(self, name: str) -> None:
        from exilegame.play.tui.screens.confirm import ConfirmScreen

        name = name.strip()
        if not name:
            self.notify("Give the save a name.", severity="warning")
            return
        taken = {slot_filename(s.name) for s in self.slots} | {s.path.name for s in self.slots}
        if slot_filename(name) not in taken:
            if self.is_active:  # a second press, queued before the first closed it
                self.dismiss(name)
            return

        def answer(yes: bool | None) -> None:
            if yes and self.is_active:  # a second press, queued before the first closed it
                self.dismiss(name)

        self.app.push_screen(
            ConfirmScreen(f"Overwrite the save '{name}'?", yes="Overwrite", no="Cancel"), answer
        )

    def action_close(self) -> None:
        if self.is_active:  # a second press, queued before the first closed it
            self.dismiss(None)
