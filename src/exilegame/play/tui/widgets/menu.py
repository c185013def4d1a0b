"""A light menu: a few one-line options drawn by one widget, for the title screen.

Textual's OptionList (a scroll view with a line cache, option objects and a render cache)
cost the title about 25 ms of CPU to lay out and draw; this widget draws the same lines
itself. It looks like the OptionList did (same component classes and CSS variables, so both
themes match) and keeps its keys: Up/Down (wrapping), Home/End, Enter, mouse hover and click.
It does not scroll: it is for short menus that fit on the screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget


class Menu(Widget, can_focus=True):
    """Options given as (id, label) pairs; Enter or a click posts `Menu.Selected`."""

    DEFAULT_CSS = """
    Menu {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .option-list--option-highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .option-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .option-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .option-list--option-hover {
            background: $block-hover-background;
        }
    }
    """
    # The OptionList's names, so that its rules (and a theme's) style this menu alike.
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "option-list--option",
        "option-list--option-highlighted",
        "option-list--option-hover",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("home", "first", "First", show=False),
        Binding("up", "cursor_up", "Up", show=False),
    ]

    highlighted: reactive[int] = reactive(0)
    hovered: reactive[int | None] = reactive(None)

    class Selected(Message):
        """An option was picked (Enter, or a click)."""

        def __init__(self, menu: Menu, option_id: str) -> None:
            super().__init__()
            self.menu = menu
            self.option_id = option_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._options: list[tuple[str, Content]] = []

    @property
    def option_ids(self) -> list[str]:
        return [option_id for option_id, _ in self._options]

    @property
    def option_count(self) -> int:
        return len(self._options)

    @property
    def highlighted_id(self) -> str | None:
        return self._options[self.highlighted][0] if self._options else None

    def set_options(self, options: list[tuple[str, str | Text]]) -> None:
        """Replace the options; the highlight stays on the same option if it is still there."""
        keep = self.highlighted_id
        console = self.app.console
        self._options = [
            (
                i,
                Content.from_rich_text(label, console)
                if isinstance(label, Text)
                else Content(label),
            )
            for i, label in options
        ]
        ids = self.option_ids
        self.hovered = None
        self.highlighted = ids.index(keep) if keep in ids else self.highlighted
        self.refresh(layout=True)

    def validate_highlighted(self, highlighted: int) -> int:
        return max(0, min(highlighted, len(self._options) - 1))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((label.cell_length for _, label in self._options), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._options)

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        base = self.get_visual_style("option-list--option")
        if not 0 <= y < len(self._options):
            return Strip.blank(width, base.rich_style)
        if y == self.highlighted:
            style = self.get_visual_style("option-list--option", "option-list--option-highlighted")
        elif y == self.hovered:
            style = self.get_visual_style("option-list--option", "option-list--option-hover")
        else:
            style = base
        label = self._options[y][1]
        # Drawn as the OptionList drew an option (the label's cells, then the padding).
        strip = Visual.to_strips(self, label, width, None, style)[0]
        return strip.extend_cell_length(width, style.rich_style).apply_meta({"option": y})

    def _index_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or not 0 <= offset.y < len(self._options):
            return None
        return offset.y

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self.hovered = self._index_at(event)

    def _on_leave(self, _: events.Leave) -> None:
        self.hovered = None

    async def _on_click(self, event: events.Click) -> None:
        index = self._index_at(event)
        if index is not None:
            self.highlighted = index
            self.action_select()

    def watch_highlighted(self) -> None:
        self.refresh()

    def watch_hovered(self) -> None:
        self.refresh()

    def action_cursor_up(self) -> None:
        if self._options:
            self.highlighted = (self.highlighted - 1) % len(self._options)

    def action_cursor_down(self) -> None:
        if self._options:
            self.highlighted = (self.highlighted + 1) % len(self._options)

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self._options) - 1

    def action_select(self) -> None:
        if self._options:
            self.post_message(self.Selected(self, self._options[self.highlighted][0]))
