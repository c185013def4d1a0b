"""The title's menu (widgets/menu.py, in place of an OptionList): its keys, the mouse, and the
highlight as the options change."""

from __future__ import annotations

from rich.text import Text
from tui_helpers import MakeApp, settle

from exilegame.play.tui.screens.load import LoadScreen
from exilegame.play.tui.screens.title import TitleScreen
from exilegame.play.tui.widgets.menu import Menu

NO_SAVE = ["new", "load", "explored", "help", "quit"]


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
