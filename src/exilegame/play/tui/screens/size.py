"""Shown instead of any screen while the window is smaller than the game can be laid out in."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 40, 12


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


def size_message(width: int, height: int) -> Text:
    return Text(
        f"The game needs a window of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is "
        f"{width}×{height}. Make it larger to go on (Ctrl+Q quits; the run is autosaved).",
        justify="center",
    )


class SizeScreen(Screen[None]):
    """Covers the game until the window is large enough; the app pops it then."""

    DEFAULT_CSS = """
    SizeScreen { align: center middle; }
    SizeScreen > Static { width: 100%; height: auto; content-align: center middle; }
    """

    def compose(self) -> ComposeResult:
        yield Static(size_message(*self.app.size), id="size-message")

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#size-message", Static).update(size_message(*event.size))
