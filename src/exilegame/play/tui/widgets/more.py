"""A visible "more below" mark under a scrolling text, shown only while some of it is hidden."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Static

MORE_BELOW = "▼ more below · PgDn"
MORE_ABOVE = "▲ PgUp"


class MoreBelow(Static):
    """Watches a scrolling container (by id, in the same screen) and says when text is hidden."""

    DEFAULT_CSS = """
    MoreBelow { height: 1; width: 100%; text-align: right; color: $accent; padding: 0 2; }
    """

    def __init__(self, target: str, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.target = target
        self.mark = ""

    def on_mount(self) -> None:
        scroller = self.screen.query_one(f"#{self.target}", Widget)
        self.watch(scroller, "scroll_y", self.update_mark, init=False)
        self.watch(scroller, "virtual_size", self.update_mark, init=False)
        self.set_interval(0.25, self.update_mark)  # a resize changes what fits, too
        self.call_after_refresh(self.update_mark)

    def update_mark(self) -> None:
        """Show the mark when part of the text is below the fold (or above it)."""
        try:
            scroller = self.screen.query_one(f"#{self.target}", Widget)
        except NoMatches:
            return
        below = scroller.max_scroll_y > 0 and scroller.scroll_y < scroller.max_scroll_y
        above = scroller.scroll_y > 0
        mark = MORE_BELOW if below else MORE_ABOVE if above else ""
        if mark != self.mark:
            self.mark = mark
            self.update(mark)


# PageUp/PageDown/Home/End scroll a screen's text even while a list (the choices, a menu)
# has the focus: screens add these bindings and implement `action_scroll_text`.
SCROLL_BINDINGS: list[BindingType] = [
    Binding("pageup", "scroll_text('page_up')", "Scroll up", show=False, priority=True),
    Binding("pagedown", "scroll_text('page_down')", "Scroll down", show=False, priority=True),
    Binding("home", "scroll_text('home')", "Top", show=False, priority=True),
    Binding("end", "scroll_text('end')", "Bottom", show=False, priority=True),
]


def scroll_text(scroller: Widget, where: str) -> None:
    """Scroll `scroller` a page up or down, or to its top or bottom, at once."""
    if where == "page_up":
        scroller.scroll_page_up(animate=False)
    elif where == "page_down":
        scroller.scroll_page_down(animate=False)
    elif where == "home":
        scroller.scroll_home(animate=False)
    elif where == "end":
        scroller.scroll_end(animate=False)
