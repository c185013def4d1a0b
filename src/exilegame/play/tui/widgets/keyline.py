"""The title screen's key footer: Textual's footer as the player sees it, drawn by one widget.

Textual's `Footer` is a container that builds one `FooterKey` widget per key, and only once
the screen has published its bindings, a frame after the first: the title first appeared
with an empty footer, and composing, styling and laying out the keys then took a third of
the time the whole title took to draw. `KeyLine` draws the same line (the keys of the
screen's shown bindings, one per action, with Textual's footer colours, padding, hover
highlight, dimmed disabled keys and a pointer over keys) as the text of one widget, from
the first frame, and redraws it when the bindings change; a click on a key presses it, as
Textual's does. Binding groups, binding tooltips and the command palette's key are not
drawn: the title has none of them.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyLine(Widget, can_focus=False):
    """One line of keys, as Textual's `Footer` draws them (not compact)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-line--key",
        "key-line--description",
        "key-line--hover",
        "key-line--disabled",
    }
    # Textual's Footer and FooterKey rules, for one widget: the key and the description
    # parts, a key under the pointer, a disabled key.
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .key-line--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-line--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-line--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .key-line--disabled {
            text-style: dim;
        }
        &.-over-key {
            pointer: pointer;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        # where each drawn key is: (first column, end column, key, enabled)
        self._spans: list[tuple[int, int, str, bool]] = []
        self._hover: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Text:
        """The shown bindings of the screen, the first key of each action, in order."""
        key_style = self.get_component_rich_style("key-line--key")
        description_style = self.get_component_rich_style("key-line--description")
        hover_style = self.get_component_rich_style("key-line--hover")
        dim = self.get_component_rich_style("key-line--disabled", partial=True)
        dim_if = {True: Style(), False: dim}
        line = Text(no_wrap=True, overflow="crop")
        spans: list[tuple[int, int, str, bool]] = []
        actions: set[str] = set()
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            display = self.app.get_key_display(binding)
            if binding.description:
                item = Text.assemble(
                    (f" {display} ", key_style), (f"{binding.description} ", description_style)
                )
            else:
                item = Text.assemble((display, key_style))
            hovered = self._hover == len(spans)
            item.stylize_before((hover_style if hovered else self.rich_style) + dim_if[enabled])
            if hovered:  # the parts' backgrounds are see-through: the highlight shows under
                item.stylize(Style(bgcolor=hover_style.bgcolor))
            start = line.cell_len
            line.append_text(item)
            spans.append((start, line.cell_len, binding.key, enabled))
        self._spans = spans
        return line

    def _key_at(self, x: int) -> int | None:
        for index, (start, end, _, _) in enumerate(self._spans):
            if start <= x < end:
                return index
        return None

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            self._hover = index
            self.set_class(index is not None, "-over-key")
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._key_at(event.x)
        if index is None:
            return
        _, _, key, enabled = self._spans[index]
        if enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
