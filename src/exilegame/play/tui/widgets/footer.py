"""Textual's key footer, built without restyling each key twice.

Textual's Footer rebuilds its keys whenever the bindings change (every new screen, every
new scene), and each new key starts "compact" until its binding to the footer's own
`compact` setting turns that off: two style updates per key per rebuild, about a fifth of
the time a new screen takes. Here each key starts with the footer's setting, so the binding
changes nothing. What is drawn is exactly Textual's footer.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """Textual's footer; its keys start with the footer's own `compact` setting."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget
