"""A dialog that shows a message or an error report, scrollable, dismissed with any close key."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from exilegame.play.tui.widgets.more import SCROLL_BINDINGS, scroll_text


class MessageScreen(ModalScreen[None]):
    """For errors shown in the app instead of a traceback (bad saves, bad scene files)."""

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close"),
        *SCROLL_BINDINGS,
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -message"):
            yield Static(Text(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="message-body"):
                yield Static(Text(self.body))
            yield Button("Close", variant="primary", id="close")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.is_active:  # a second press, queued before the first closed it
            self.dismiss(None)

    def action_scroll_text(self, where: str) -> None:
        scroll_text(self.query_one("#message-body"), where)

    def action_close(self) -> None:
        if self.is_active:  # a second press, queued before the first closed it
            self.dismiss(None)
