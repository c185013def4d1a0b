"""Scene prose with a typewriter reveal that any key completes."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

TICK = 1 / 30  # seconds between reveal steps: smooth enough, cheap enough


class Prose(Static):
    """The paragraphs of a scene, revealed a few characters at a time when the typewriter is on."""

    DEFAULT_CSS = """
    Prose { width: 1fr; height: auto; }
    """

    class Revealed(Message):
        """The whole text is now on screen (at once, or at the end of the reveal)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self._full = ""
        self._shown = 0
        self._step = 3
        self._timer: Timer | None = None

    @property
    def revealing(self) -> bool:
        """True while the typewriter is still running."""
        return self._timer is not None

    @property
    def full_text(self) -> str:
        return self._full

    def show(self, paragraphs: list[str], *, typewriter: bool, chars_per_second: int) -> None:
        """Replace the text; reveal it gradually or all at once."""
        self._stop()
        self._full = "\n\n".join(paragraphs)
        if not typewriter or not self._full:
            self._shown = len(self._full)
            self._render_text()
            self.post_message(self.Revealed())
            return
        self._shown = 0
        self._step = max(1, round(chars_per_second * TICK))
        self._render_text()
        self._timer = self.set_interval(TICK, self._advance)

    def finish(self) -> None:
        """Show everything now (the player pressed a key)."""
        if self._timer is None:
            return
        self._stop()
        self._shown = len(self._full)
        self._render_text()
        self.post_message(self.Revealed())

    def _advance(self) -> None:
        self._shown = min(len(self._full), self._shown + self._step)
        self._render_text()
        if self._shown >= len(self._full):
            self.finish()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _render_text(self) -> None:
        self.update(Text(self._full[: self._shown]))
