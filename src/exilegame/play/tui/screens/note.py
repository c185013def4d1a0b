""" "What really happened": the note a story gives for a choice, with its sources."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from exilegame.play.tui.keys import early, ready_from_now
from exilegame.play.tui.widgets.more import SCROLL_BINDINGS, MoreBelow, scroll_text
from exilegame.story import Choice, Story


def note_text(story: Story, choice: Choice) -> Text:
    """The note, then each cited source as `Author, Title (year)` with its address."""
    text = Text(choice.note)
    cited = [story.sources[k] for k in choice.sources if k in story.sources]
    if cited:
        text.append("\n\nSources", style="bold")
        for source in cited:
            text.append("\n• ")
            text.append(source.citation(), style="italic")
            if source.url:
                text.append(f"\n  {source.url}", style="dim")
    return text


class NoteScreen(ModalScreen[None]):
    """Shown after a choice that has a note; Enter, Escape or space returns to the scene."""

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,space,n", "close", "Back to the story"),
        *SCROLL_BINDINGS,
    ]

    def __init__(self, story: Story, choice: Choice) -> None:
        super().__init__()
        self.story = story
        self.choice = choice
        self._ready_at = ready_from_now()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -note"):
            yield Static("What really happened", classes="dialog-title")
            yield Static(Text(f"You chose: {self.choice.text}", style="dim italic"))
            with VerticalScroll(classes="dialog-body", id="note-body"):
                yield Static(note_text(self.story, self.choice), id="note-text")
            yield MoreBelow("note-body", id="note-more")
            yield Static("Enter: back to the story", classes="dialog-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def on_mount(self) -> None:
        self._ready_at = ready_from_now()

    def on_key(self, event: events.Key) -> None:
        if early(event, self._ready_at):
            event.stop()  # the choice's own key, pressed twice: the note stays to be read
            event.prevent_default()

    def on_click(self, event: events.Click) -> None:
        if not early(event, self._ready_at):
            self.action_close()

    def action_close(self) -> None:
        if self.is_active:
            self.dismiss(None)

    def action_scroll_text(self, where: str) -> None:
        scroll_text(self.query_one("#note-body"), where)
