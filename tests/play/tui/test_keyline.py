"""The title's key footer (KeyLine) looks and acts as Textual's Footer did: the same pixels,
at rest and under the pointer, the same keys as bindings come and go, a click presses a key."""

from __future__ import annotations

import re

import pytest
from textual.app import ComposeResult
from textual.widgets import Footer
from tui_helpers import MakeApp, settle

from exilegame.play.tui.app import ExileApp
from exilegame.play.tui.screens.load import LoadScreen
from exilegame.play.tui.screens.title import TitleScreen
from exilegame.play.tui.widgets.keyline import KeyLine


class TitleWithTextualFooter(TitleScreen):
    """The title screen as it was: Textual's own footer."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield Footer() if isinstance(widget, KeyLine) else widget


def same(shots: list[str]) -> list[str]:
    """Screenshots without the id made from how the lines were split into pieces (Textual's
    footer draws each key as a widget of its own): what is drawn, in which colours."""
    return [re.sub(r"terminal-\d+", "terminal", shot) for shot in shots]


async def screenshots(app: ExileApp, size: tuple[int, int], pointer: int | None) -> list[str]:
    """The screen at rest, then with the pointer over column `pointer` of the footer."""
    shots = []
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.pause(0.05)  # Textual's footer composes its keys a frame later
        await settle(pilot)
        shots.append(app.export_screenshot())
        if pointer is not None:
            await pilot.hover(offset=(pointer, size[1] - 1))
            await settle(pilot)
            shots.append(app.export_screenshot())
    return shots


@pytest.mark.parametrize(
    ("theme", "size"),
    [("exile-dark", (80, 24)), ("exile-light", (120, 40)), ("exile-dark", (42, 24))],  # cut
)
async def test_the_key_line_looks_as_textuals_footer(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, theme: str, size: tuple[int, int]
) -> None:
    from exilegame.play.tui.settings import Settings

    settings = Settings(typewriter=False, theme=theme)
    ours = await screenshots(make_app(settings=settings), size, pointer=14)
    monkeypatch.setattr(
        ExileApp, "get_default_screen", lambda app: TitleWithTextualFooter(app.session)
    )
    textuals = await screenshots(make_app(settings=settings), size, pointer=14)
    assert ours[0] != ours[1]  # the key under the pointer is highlighted...
    assert same(ours) == same(textuals)  # ...as Textual's footer highlights it


async def test_a_click_on_a_key_presses_it(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click(KeyLine, offset=(60, 0))  # beyond the last key: nothing
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await pilot.click(KeyLine, offset=(14, 0))  # " o Load "
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)


async def test_the_key_line_follows_the_bindings(make_app: MakeApp) -> None:
    """Continue (c) is shown only once there is a save to continue, as the menu shows it."""
    app = make_app(role="bodyguard", seed=1)

    def drawn() -> str:
        return "".join(str(app.screen.query_one(KeyLine).render()))

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert " n New game " in drawn() and "Continue" not in drawn()
        await pilot.press("n")  # a run: autosaved at its first choice
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        app.action_to_title()
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert " c Continue " in drawn()
