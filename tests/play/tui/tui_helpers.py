"""Helpers for the TUI tests, imported by name (a module called `conftest` would be ambiguous:
tests/conftest.py has that name too)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from exilegame.play.tui.app import ExileApp
from exilegame.play.tui.settings import Settings

FIXTURE = Path(__file__).resolve().parents[2] / "stories" / "tui"
SHIPPED = Path(__file__).resolve().parents[3] / "scenes"
QUIET = Settings(typewriter=False)

MakeApp = Callable[..., ExileApp]


async def settle(pilot: object) -> None:
    """Let pending messages and screen changes run (two pauses: callbacks post messages)."""
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def play_to_end(pilot: object, app: ExileApp, pick: int = 0, limit: int = 400) -> None:
    """From a scene, press keys as a player would until the epilogue, taking the `pick`-th
    available option each time (counting from the first; wraps round)."""
    from exilegame.play.tui.screens.epilogue import EpilogueScreen
    from exilegame.play.tui.screens.game import GameScreen
    from exilegame.play.tui.screens.note import NoteScreen
    from exilegame.play.tui.screens.outcome import OutcomeScreen
    from exilegame.play.tui.widgets.choice_list import ChoiceList

    for _ in range(limit):
        screen = app.screen
        if isinstance(screen, EpilogueScreen):
            return
        if isinstance(screen, (NoteScreen, OutcomeScreen)):
            await pilot.press("enter")  # type: ignore[attr-defined]
        elif isinstance(screen, GameScreen):
            offered = [o for o in screen.query_one(ChoiceList).offered if o.enabled]
            assert offered, f"stuck at {app.session.run.scene}"
            await pilot.press(str(offered[pick % len(offered)].number))  # type: ignore[attr-defined]
        else:
            raise AssertionError(f"unexpected screen {screen!r}")
        await settle(pilot)
    raise AssertionError("the run did not end")


CHARS = {"enter": "\r", "space": " ", "tab": "\t", "escape": "\x1b", "backspace": "\x7f"}


def burst(app: ExileApp, *keys: str) -> None:
    """Send keys as a terminal delivers a burst of typing: all at once, without waiting for
    the app to handle one before the next arrives."""
    from textual import events

    driver = app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else CHARS.get(key))
        event.set_sender(app)
        driver.send_message(event)
