"""The title screen: the story's name, what it is, and the main menu."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from exilegame.story import format_date

if TYPE_CHECKING:
    from exilegame.play.tui.app import ExileApp

ORNAMENT = "─── ✦ ───"


class TitleScreen(Screen[None]):
    """The first screen; its menu calls the app's actions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "menu('new')", "New game"),
        Binding("c", "menu('continue')", "Continue"),
        Binding("o", "menu('load')", "Load"),
        Binding("e", "menu('explored')", "Explored"),
        Binding("q", "menu('quit')", "Quit"),
    ]

    @property
    def exile(self) -> ExileApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(id="title-name")
            yield Static(id="title-sub")
            yield Static(ORNAMENT, id="title-ornament")
            yield Static(id="title-about")
            with Center():
                yield OptionList(id="title-menu")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_menu()

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def refresh_menu(self) -> None:
        """Redraw from the current story and saves (Continue comes and goes with them)."""
        story = self.exile.story
        self.query_one("#title-name", Static).update(Text(story.title.upper()))
        self.query_one("#title-sub", Static).update(Text(story.subtitle))
        roles = " or ".join(r.name.lower() for r in story.roles.values())
        phases = len(story.phases)
        # Only a story with a bibliography sets its choices beside the record.
        history = "; every choice is set beside what really happened" if story.sources else ""
        about = f"A story in {phases} part{'s' if phases != 1 else ''}. You play {roles}{history}."
        self.query_one("#title-about", Static).update(Text(about))
        menu = self.query_one("#title-menu", OptionList)
        options = [Option("New game", id="new")]
        latest = self.exile.session.latest()
        if latest is not None:
            place = latest.place.split(" (")[0]
            where = ", ".join(
                x for x in (place, format_date(latest.date) if latest.date else "") if x
            )
            options.append(Option(Text.assemble("Continue  ", (where, "dim")), id="continue"))
        options += [
            Option("Load a saved game", id="load"),
            Option("Explored paths", id="explored"),
            Option("Help and settings", id="help"),
            Option("Quit", id="quit"),
        ]
        menu.set_options(options)
        menu.highlighted = 1 if latest is not None else 0
        menu.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "menu" and parameters == ("continue",):
            return self.exile.session.latest() is not None
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.action_menu(event.option.id)

    def action_menu(self, item: str) -> None:
        app = self.exile
        if item == "new":
            app.new_game()
        elif item == "continue":
            app.continue_game()
        elif item == "load":
            app.action_load()
        elif item == "explored":
            app.action_explored()
        elif item == "help":
            app.action_help()
        elif item == "quit":
            app.exit()
