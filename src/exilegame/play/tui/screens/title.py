"""The title screen: the story's name, what it is, and the main menu."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static

from exilegame.play.session import Session
from exilegame.play.tui.results import MenuItem, MenuPicked
from exilegame.play.tui.widgets.keyline import KeyLine
from exilegame.play.tui.widgets.menu import Menu
from exilegame.story import format_date

ORNAMENT = "─── ✦ ───"


class TitleScreen(Screen[None]):
    """The first screen; its menu posts `MenuPicked` to the app."""

    # No size classes (-narrow, -short...): no rule of the title uses them, and setting them
    # restyled the whole screen as it first appeared.
    HORIZONTAL_BREAKPOINTS = []  # noqa: RUF012 (as Textual types it)
    VERTICAL_BREAKPOINTS = []  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "menu('new')", "New game"),
        Binding("c", "menu('continue')", "Continue"),
        Binding("o", "menu('load')", "Load"),
        Binding("e", "menu('explored')", "Explored"),
        Binding("q", "menu('quit')", "Quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(id="title-name")
            yield Static(id="title-sub")
            yield Static(ORNAMENT, id="title-ornament")
            yield Static(id="title-about")
            with Center():
                yield Menu(id="title-menu")
        yield KeyLine()

    def on_mount(self) -> None:
        self.refresh_menu()

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def refresh_menu(self) -> None:
        """Redraw from the current story and saves (Continue comes and goes with them)."""
        story = self.session.story
        self.query_one("#title-name", Static).update(Text(story.title.upper()))
        self.query_one("#title-sub", Static).update(Text(story.subtitle))
        roles = ", ".join(r.name for r in story.roles.values())
        phases = len(story.phases)
        # Only a story with a bibliography sets its choices beside the record.
        history = "; every choice is set beside what really happened" if story.sources else ""
        parts = f"{phases} part{'s' if phases != 1 else ''}"
        about = f"A story in {parts}. Roles: {roles}{history}."
        self.query_one("#title-about", Static).update(Text(about))
        options: list[tuple[str, str | Text]] = [("new", "New game")]
        latest = self.session.latest()
        if latest is not None:
            place = latest.place.split(" (")[0]
            where = ", ".join(
                x for x in (place, format_date(latest.date) if latest.date else "") if x
            )
            options.append(("continue", Text.assemble("Continue  ", (where, "dim"))))
        options += [
            ("load", "Load a saved game"),
            ("explored", "Explored paths"),
            ("help", "Help and settings"),
            ("quit", "Quit"),
        ]
        self.fill_menu(options, 1 if latest is not None else 0)
        self.refresh_bindings()

    def fill_menu(self, options: list[tuple[str, str | Text]], highlighted: int) -> None:
        """Give the menu its options (tests/play/tui/test_menu.py fills an OptionList here)."""
        menu = self.query_one("#title-menu", Menu)
        menu.set_options(options)
        menu.highlighted = highlighted
        menu.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "menu" and parameters == ("continue",):
            return self.session.has_save  # cached by the session: no disk read here
        return True

    def on_menu_selected(self, event: Menu.Selected) -> None:
        event.stop()
        self.action_menu(event.option_id)

    def action_menu(self, item: str) -> None:
        if self.is_active:  # keys queued while another screen opens are not for the menu
            self.post_message(MenuPicked(MenuItem(item)))
