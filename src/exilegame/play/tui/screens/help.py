"""Help and settings: every key, and the typewriter, text speed and theme."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import RadioButton, RadioSet, Static, Switch

from exilegame.play.tui.results import SettingsChanged
from exilegame.play.tui.settings import SPEEDS, THEMES, Settings

KEYS: tuple[tuple[str, str], ...] = (
    ("1–9", "take a choice (or ↑ ↓ and Enter; the mouse works too)"),
    ("any key", "show the rest of the text at once while it is being typed"),
    ("u, Backspace", "undo the last choice (again and again, to the start)"),
    ("h", "the history log: the whole run; pick a choice to branch from there"),
    ("n", "show again what really happened after your last choice"),
    ("s / o", "save to a named slot / load a saved game"),
    ("j", "journal: people, places and sources met so far (type to search)"),
    ("m", "map of the exile route and the timeline"),
    ("e", "explored paths across all your runs"),
    ("? or F1", "this help and the settings"),
    ("Escape", "close a window; in a scene, back to the title (autosaved)"),
    ("q", "quit (autosaved: Continue resumes exactly there)"),
)
THEME_NAMES = {"exile-dark": "Dark", "exile-light": "Light"}


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
                        yield Switch(value=self.settings.typewriter, id="typewriter")
                    with Vertical(classes="setting"):
                        yield Static("Text speed")
                        with RadioSet(id="speed"):
                            for speed in SPEEDS:
                                yield RadioButton(
                                    speed, value=speed == self.settings.speed, name=speed
                                )
                    with Vertical(classes="setting"):
                        yield Static("Theme")
                        with RadioSet(id="theme"):
                            for theme in THEMES:
                                yield RadioButton(
                                    THEME_NAMES.get(theme, theme),
                                    value=theme == self.settings.theme,
                                    name=theme,
                                )
                yield Static("Keys", classes="column-title")
                yield Static(keys_table(), id="help-keys")

    def on_mount(self) -> None:
        self.query_one(Switch).focus()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
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

    def action_close(self) -> None:
        self.dismiss(None)
