"""The title's menu (widgets/menu.py, in place of an OptionList): its keys, the mouse, and the
highlight as the options change."""

from __future__ import annotations

import re

import pytest
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from tui_helpers import MakeApp, settle

from exilegame.play.tui.app import ExileApp
from exilegame.play.tui.screens.load import LoadScreen
from exilegame.play.tui.screens.title import TitleScreen
from exilegame.play.tui.widgets.menu import Menu

NO_SAVE = ["new", "load", "explored", "help", "quit"]


class TitleWithOptionList(TitleScreen):
    """The title screen as it was: Textual's OptionList for its menu."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, Menu):
                yield OptionList(id="title-menu")
            else:
                yield widget

    def fill_menu(self, options: list[tuple[str, str | Text]], highlighted: int) -> None:
        menu = self.query_one("#title-menu", OptionList)
        menu.set_options([Option(label, id=option_id) for option_id, label in options])
        menu.highlighted = highlighted
        menu.focus()


async def screenshots(app: ExileApp, size: tuple[int, int]) -> list[str]:
    """The title at rest, with the pointer over the third option, then after Down and End;
    without the id made from how the lines were split into pieces."""
    shots = []
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        shots.append(app.export_screenshot())
        await pilot.hover("#title-menu", offset=(3, 2))
        await settle(pilot)
        shots.append(app.export_screenshot())
        for key in ["down", "end"]:
            await pilot.press(key)
            await settle(pilot)
            shots.append(app.export_screenshot())
    return [re.sub(r"terminal-\d+", "terminal", shot) for shot in shots]


@pytest.mark.parametrize(
    ("theme", "size", "saved"),
    [
        ("exile-dark", (80, 24), False),
        ("exile-light", (120, 40), True),  # Continue, its place and date dimmed
        ("exile-dark", (80, 24), True),
        ("exile-dark", (60, 15), False),  # cut
    ],
)
async def test_the_menu_looks_as_the_option_list_did(
    make_app: MakeApp,
    monkeypatch: pytest.MonkeyPatch,
    theme: str,
    size: tuple[int, int],
    saved: bool,
) -> None:
    from exilegame.play.tui.settings import Settings

    if saved:
        app = make_app(role="bodyguard", seed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n", "1", "enter")
            await settle(pilot)
            app.session.save("first")
    settings = Settings(typewriter=False, theme=theme)
    ours = await screenshots(make_app(settings=settings), size)
    assert ("Continue" in ours[0]) is saved
    monkeypatch.setattr(
        ExileApp, "get_default_screen", lambda app: TitleWithOptionList(app.session)
    )
    textuals = await screenshots(make_app(settings=settings), size)
    assert len(set(ours)) == len(ours)  # hover and keys each change the look...
    assert ours == textuals  # ...as they changed the OptionList's


def line_style(menu: Menu, y: int) -> tuple[object, ...]:
    """The look of the first cell drawn on line `y` (its colours and weight, not its meta)."""
    style = next(iter(menu.render_line(y))).style
    assert style is not None
    return (style.color, style.bgcolor, style.bold, style.reverse)


async def test_keys_move_the_highlight_and_enter_picks(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        menu = app.screen.query_one("#title-menu", Menu)
        assert app.focused is menu
        assert menu.option_ids == NO_SAVE and menu.highlighted_id == "new"
        moves = [
            ("down", "load"),
            ("down", "explored"),
            ("up", "load"),
            ("end", "quit"),
            ("down", "new"),  # wraps round, as the OptionList did
            ("up", "quit"),
            ("home", "new"),
            ("down", "load"),
        ]
        for key, expected in moves:
            await pilot.press(key)
            assert menu.highlighted_id == expected, key
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)


async def test_the_highlighted_line_is_drawn_apart(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        menu = app.screen.query_one("#title-menu", Menu)
        assert line_style(menu, 0) != line_style(menu, 1)
        assert line_style(menu, 1) == line_style(menu, 2)
        await pilot.press("down")
        assert line_style(menu, 1) != line_style(menu, 0) == line_style(menu, 2)


async def test_the_mouse_highlights_on_hover_and_picks_on_click(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        menu = app.screen.query_one("#title-menu", Menu)
        plain = line_style(menu, 2)
        await pilot.hover("#title-menu", offset=(3, 2))
        await settle(pilot)
        assert menu.hovered == 2 and menu.highlighted_id == "new"
        hovered = line_style(menu, 2)
        assert hovered != plain and hovered != line_style(menu, 0)
        await pilot.hover("#title-name")
        await settle(pilot)
        assert menu.hovered is None and line_style(menu, 2) == plain
        await pilot.click("#title-menu", offset=(3, 1))
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        assert menu.highlighted_id == "load"


async def test_the_highlight_stays_on_its_option_as_options_change(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        menu = app.screen.query_one("#title-menu", Menu)
        await pilot.press("down", "down")
        assert menu.highlighted_id == "explored"
        continue_ = ("continue", Text("Continue"))
        menu.set_options([("new", "N"), continue_, ("load", "L"), ("explored", "E")])
        assert menu.highlighted_id == "explored" and menu.highlighted == 3
        menu.set_options([("new", "New game"), ("quit", "Quit")])  # gone: stays in range
        assert menu.highlighted_id == "quit"
        await settle(pilot)
        assert menu.region.height == 2
        await pilot.press("up")
        assert menu.highlighted_id == "new"
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        screen.refresh_menu()  # back to the title's own options, highlight on the first
        assert menu.option_ids == NO_SAVE and menu.highlighted_id == "new"
        await settle(pilot)
        assert menu.region.height == len(NO_SAVE)  # laid out again for its options
