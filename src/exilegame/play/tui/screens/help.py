"""Help and settings: every key, and the typewriter, text speed and theme."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import RadioButton, RadioSet, Static, Switch

from exilegame.play.tui.results import SettingsChanged
from exilegame.play.tui.settings import SPEEDS, THEMES, Settings
from exilegame.play.tui.widgets.more import SCROLL_BINDINGS, scroll_text

KEYS: tuple[tuple[str, str], ...] = (
    ("1–9", "take a choice (or ↑ ↓ and Enter; the mouse works too)"),
    ("any key", "show the rest of the text at once while it is being typed"),
    ("PgUp PgDn Home End", "scroll the text (the choices keep the focus); the wheel too"),
    ("u, Backspace", "undo the last choice (again and again, to the start)"),
    ("h", "the history log: the whole run; pick a choice to branch from there"),
    ("n", "show again what really happened after your last choice"),
    ("s / o", "save to a named slot / load a saved game"),
    ("j", "journal: people, places and sources met so far (type to search)"),
    ("m", "map of the exile route and the timeline"),
    ("e", "explored paths across all your runs"),
    ("i", "show or hide the side panel (folded away in a narrow window)"),
    ("d / r", "in the load window: delete / rename the save"),
    ("? or F1", "this help and the settings"),
    ("Escape", "close a window; in a scene, back to the title (autosaved)"),
    ("q", "quit (autosaved: Continue resumes exactly there)"),
)
THEME_NAMES = {"exile-dark": "Dark", "exile-light": "Light"}
ON, OFF = "On", "Off"


class MarkedRadio(RadioButton):
    """A radio button whose state shows in its shape (● picked, ○ not), not only its colour:
    under NO_COLOR the picked one must still be told apart."""

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        side_style = Style(foreground=button_style.background, background=self.background_colors[1])
        return Content.assemble(
            (self.BUTTON_LEFT, side_style),
            ("●" if self.value else "○", button_style),
            (self.BUTTON_RIGHT, side_style),
        )


def keys_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, meaning in KEYS:
        table.add_row(key, meaning)
    return table


class HelpScreen(ModalScreen[None]):
    """Changes apply at once (posted to the app as `SettingsChanged`)."""

    CSS_PATH = "dialogs.tcss"  # shared by every dialog; parsed when one is first shown
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", "Close"),
        *SCROLL_BINDINGS,
    ]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -full"):
            yield Static("Help", classes="dialog-title")
            yield Static(
                "Tab moves between settings; Space or Enter changes one; Escape closes.",
                classes="dialog-hint",
            )
            with VerticalScroll(id="help-body"):
                with Horizontal(id="help-settings"):
                    with Vertical(classes="setting"):
                        yield Static("Typewriter")
                        with Horizontal():
                            yield Switch(value=self.settings.typewriter, id="typewriter")
                            yield Static(
                                ON if self.settings.typewriter else OFF, id="typewriter-state"
                            )
                    with Vertical(classes="setting"):
                        yield Static("Text speed")
                        with RadioSet(id="speed"):
                            for speed in SPEEDS:
                                yield MarkedRadio(
                                    speed, value=speed == self.settings.speed, name=speed
                                )
                    with Vertical(classes="setting"):
                        yield Static("Theme")
                        with RadioSet(id="theme"):
                            for theme in THEMES:
                                yield MarkedRadio(
                                    THEME_NAMES.get(theme, theme),
                                    value=theme == self.settings.theme,
                                    name=theme,
                                )
                yield Static("Keys", classes="column-title")
                yield Static(keys_table(), id="help-keys")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys typed ahead of the first frame wait for nothing

    def on_mount(self) -> None:
        self.query_one(Switch).focus()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.query_one("#typewriter-state", Static).update(ON if event.value else OFF)
        self._change(typewriter=event.value)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        name = event.pressed.name or ""
        if event.radio_set.id == "speed":
            self._change(speed=name)
        elif event.radio_set.id == "theme":
            self._change(theme=name)

    def _change(self, **changes: object) -> None:
        self.settings = self.settings.with_(**changes)
        self.post_message(SettingsChanged(self.settings))

    def action_scroll_text(self, where: str) -> None:
        scroll_text(self.query_one("#help-body"), where)

    def action_close(self) -> None:
        if self.is_active:  # a second press, queued before the first closed it
            self.dismiss(None)
