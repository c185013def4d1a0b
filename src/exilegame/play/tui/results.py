"""What screens tell the app: typed dismiss results and messages, shared by both.

Screens never import the app; the app imports screens. Whatever goes upward is defined here:
a screen dismisses with one of these values or posts one of these messages, and the app (or
the screen that opened it) acts on it.
"""

from __future__ import annotations

from enum import Enum

from textual.message import Message

from exilegame._record import record
from exilegame.play.tui.settings import Settings
from exilegame.saves import SlotInfo


class MenuItem(Enum):
    """The title menu's entries."""

    NEW = "new"
    CONTINUE = "continue"
    LOAD = "load"
    EXPLORED = "explored"
    HELP = "help"
    QUIT = "quit"


@record
class RolePicked:
    """The role screen's result: who to play, with the seed shown there."""

    role: str
    seed: int


@record
class PlayAgain:
    """An epilogue result: start a new run as `role`."""

    role: str


class EpilogueAction(Enum):
    """The epilogue's other results."""

    BRANCH = "branch"
    TITLE = "title"
    QUIT = "quit"


EpilogueResult = PlayAgain | EpilogueAction


@record
class LoadSlot:
    """The load screen's result: load this save."""

    slot: SlotInfo


class MenuPicked(Message):
    """The player picked an entry of the title menu."""

    def __init__(self, item: MenuItem) -> None:
        super().__init__()
        self.item = item


class StartRun(Message):
    """Start a new run as `role` (None: ask, or use the role given on the command line)."""

    def __init__(self, role: str | None = None) -> None:
        super().__init__()
        self.role = role


class SettingsChanged(Message):
    """The player changed a setting; the app applies and saves it."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
