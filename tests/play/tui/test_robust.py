"""The game under real hands (issue 13): crashes, input races, small windows, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tui_helpers import MakeApp, burst, settle

from exilegame.play.tui.screens.confirm import ConfirmScreen
from exilegame.play.tui.screens.game import GameScreen
from exilegame.play.tui.screens.note import NoteScreen
from exilegame.play.tui.screens.size import SizeScreen
from exilegame.play.tui.screens.title import TitleScreen
from exilegame.play.tui.widgets.choice_list import ChoiceList
from exilegame.saves import AUTOSAVE


def toasts(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def wait_saved(app: object) -> None:
    app.session._autosaver.wait()  # type: ignore[attr-defined]


# -- crashes -------------------------------------------------------------------------------


async def test_burst_of_enter_on_the_title_starts_one_run(make_app: MakeApp) -> None:
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, *["enter"] * 20)
        await settle(pilot)
        assert [type(s) for s in app.screen_stack] == [TitleScreen, GameScreen]
        assert app.session.run.step == 0  # none of the 20 Enters chose in the scene
        assert app.session.record.read().runs == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.record.read().runs == 2


@pytest.mark.slow  # the journal's search and keys: test_features.py and the windows test
async def test_journal_search_filtered_to_nothing_mid_highlight(make_app: MakeApp) -> None:
    from textual.widgets import Input

    from exilegame.play.tui.screens.journal import JournalScreen

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1", "enter", "j")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        await pilot.press("down")  # to the list
        burst(app, "down", "down", "z")  # highlights in flight, then a search for nothing
        app.screen.query_one(Input).value = "zzzz"
        await settle(pilot)
        assert app.screen.shown == []
        app.screen.query_one(Input).value = ""
        burst(app, "down", "up", "down")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)


@pytest.mark.parametrize("width", [32, 40, pytest.param(41, marks=pytest.mark.slow)])
async def test_narrow_window_starts_a_game_or_says_what_it_needs(
    make_app: MakeApp, width: int
) -> None:
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(width, 16)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        if width < 40:
            assert isinstance(app.screen, SizeScreen)
            assert "at least 40×12" in str(app.screen.query_one("#size-message").render())
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        await pilot.press("2")
        await settle(pilot)
        assert app.session.run.step == 1


async def test_size_message_then_the_game_goes_on(make_app: MakeApp) -> None:
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1", "enter")
        await settle(pilot)
        await pilot.resize_terminal(30, 12)
        await settle(pilot)
        assert isinstance(app.screen, SizeScreen)
        text = str(app.screen.query_one("#size-message").render())
        assert "40×12" in text and "30×12" in text
        await pilot.press("1", "u", "h")  # nothing reaches the game underneath
        await settle(pilot)
        assert app.session.run.step == 1 and isinstance(app.screen, SizeScreen)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        await pilot.press("1")
        await settle(pilot)
        assert app.session.run.step == 2


async def test_unexpected_error_autosaves_reports_and_exits_non_zero(
    make_app: MakeApp, data_dir: Path
) -> None:
    app = make_app(role="bodyguard", seed=9)

    def broken() -> None:
        raise RuntimeError("a bug in the map")

    with pytest.raises(RuntimeError, match="a bug in the map"):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n", "1", "enter")
            await settle(pilot)
            app.screen.action_map = broken  # type: ignore[method-assign]
            await pilot.press("m")
            await settle(pilot)
    assert app.return_code == 1
    reports = list((data_dir / "crashes").glob("crash-*.txt"))
    assert len(reports) == 1 and app.crash_report == reports[0]
    report = reports[0].read_text()
    for needle in (
        "exilegame 0.1.0",
        "fingerprint",
        "role: bodyguard",
        "seed: 9",
        "island.quay:carry-the-trunks-up-yourself",
        "RuntimeError: a bug in the map",
    ):
        assert needle in report
    assert str(reports[0]) in app.exit_message and "Continue" in app.exit_message
    assert "\n" not in app.exit_message
    saved = json.loads((data_dir / "saves" / "tui-fixture" / f"{AUTOSAVE}.json").read_text())
    assert saved["trail"] == ["island.quay:carry-the-trunks-up-yourself"]


# -- input at any speed ----------------------------------------------------------------------


async def test_a_burst_of_digits_takes_one_choice_and_leaks_no_ids(make_app: MakeApp) -> None:
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        burst(app, "2", "2", "2", "2", "2")
        await settle(pilot)
        assert app.session.run.step == 1
        while isinstance(app.screen, NoteScreen):
            await pilot.press("enter")
            await settle(pilot)
        burst(app, *["enter"] * 8, *["1"] * 8)
        await settle(pilot)
        assert app.session.run.step == 2
        assert not any("has no choice" in t or "island." in t for t in toasts(app))


async def test_enter_after_a_note_does_not_also_choose(make_app: MakeApp) -> None:
    app = make_app(role="bodyguard", seed=1, input_grace=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause(0.4)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.pause(0.4)
        burst(app, "enter", "enter")  # a double press: closes the note, no more
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.run.step == 1
        await pilot.pause(0.4)  # once the scene has been seen, Enter chooses
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.run.step == 2


async def test_a_choice_from_options_no_longer_shown_is_ignored(make_app: MakeApp) -> None:
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        choices = app.screen.query_one(ChoiceList)
        stale = ChoiceList.Chosen("carry-the-trunks-up-yourself", choices.generation - 1)
        choices.post_message(stale)
        await settle(pilot)
        assert app.session.run.step == 0 and not toasts(app)


# -- every line reachable -------------------------------------------------------------------


async def test_page_keys_scroll_the_prose_while_the_choices_keep_focus(make_app: MakeApp) -> None:
    from exilegame.play.tui.widgets.more import MORE_BELOW

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        scroller = app.screen.query_one("#prose-scroll")
        assert scroller.max_scroll_y > 0
        await pilot.pause(0.3)
        assert str(app.screen.query_one("#prose-more").render()) == MORE_BELOW
        await pilot.press("end")
        await settle(pilot)
        assert scroller.scroll_y == scroller.max_scroll_y
        assert app.screen.query_one(ChoiceList).has_focus
        await pilot.press("home")
        await settle(pilot)
        assert scroller.scroll_y == 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert scroller.scroll_y > 0
        assert app.session.run.step == 0


async def test_phase_end_outcome_and_epilogue_read_well_and_to_the_end(make_app: MakeApp) -> None:
    """One run to the epilogue: the phase end's label, then the outcome and the epilogue
    each read to their last line by keyboard; the epilogue explains its marks."""
    app = make_app(role="bodyguard", seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1", "enter", "1", "enter")
        await settle(pilot)
        label = str(app.screen.query_one(ChoiceList).get_option_at_index(0).prompt)
        assert "The island: how it ended" in label and "How The" not in label
        # the phase's outcome; then the next phase, its one choice, its note, its end
        to_next = {"outcome": ["enter"], "epilogue": ["enter", "1", "enter", "enter", "enter"]}
        for screen, keys in to_next.items():
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            body = app.screen.query_one(f"#{screen}-body")
            await pilot.press("end")
            await settle(pilot)
            assert body.scroll_y == body.max_scroll_y, screen
            last = body.children[-1]
            assert last.region.bottom <= body.content_region.bottom, screen  # on screen
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "▸ as it really happened" in text and "✎ invented for the game" in text


# -- any size ------------------------------------------------------------------------------


async def test_side_panel_folds_below_100_columns_and_i_shows_it(make_app: MakeApp) -> None:
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        side = app.screen.query_one("#side")
        assert not side.display or side.region.width == 0
        prose = app.screen.query_one("#prose-scroll")
        assert prose.region.width >= 76
        await pilot.press("i")
        await settle(pilot)
        assert side.region.width > 0
        await pilot.press("i")
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert side.region.width > 0


@pytest.mark.slow  # four sizes of the map; test_features.py opens it in the everyday run
async def test_map_always_names_the_current_place(make_app: MakeApp) -> None:
    from exilegame.play.tui.widgets.map_canvas import MapCanvas

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("n", "m")
        await settle(pilot)
        for size in ((40, 12), (44, 14), (60, 20), (160, 48)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            canvas = app.screen.query_one(MapCanvas)
            drawn = str(canvas.render())
            width = canvas.content_size.width
            assert "[Prinkipo]" in drawn or "[Prin"[: width - 1] in drawn, size


# -- nothing lost --------------------------------------------------------------------------


async def test_autosave_after_every_choice(make_app: MakeApp, data_dir: Path) -> None:
    app = make_app(role="bodyguard", seed=1)
    path = data_dir / "saves" / "tui-fixture" / f"{AUTOSAVE}.json"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "2", "enter")
        await settle(pilot)
        await wait_saved(app)
        assert json.loads(path.read_text())["trail"] == list(app.session.run.trail)
        await pilot.press("1", "enter")
        await settle(pilot)
        await wait_saved(app)
        assert json.loads(path.read_text())["trail"] == list(app.session.run.trail)
        await pilot.press("u")
        await settle(pilot)
        await wait_saved(app)
        assert len(json.loads(path.read_text())["trail"]) == 1


@pytest.mark.slow  # the everyday run loads over unsaved progress in test_features.py
async def test_loading_over_unsaved_progress_asks_first(make_app: MakeApp) -> None:
    from exilegame.play.tui.screens.load import LoadScreen

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1", "enter")
        await settle(pilot)
        app.session.save("first")
        await pilot.press("1", "enter")  # a choice not in any named save
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        names = [s.name for s in app.screen.slots]
        for _ in range(names.index("first")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep playing
        await settle(pilot)
        assert app.session.run.step == 2
        await pilot.press("o")
        await settle(pilot)
        for _ in range(names.index("first")):
            await pilot.press("down")
        await pilot.press("enter", "y")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen) and app.session.run.step == 1
        await pilot.press("o")  # nothing unsaved now: loads without asking
        await settle(pilot)
        for _ in range(names.index("first")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)


async def test_delete_and_rename_saves_in_the_load_screen(make_app: MakeApp) -> None:
    from textual.widgets import Input

    from exilegame.play.tui.screens.load import LoadScreen

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        app.session.save("keep me")
        await pilot.press("escape")  # to the title (autosaves)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        names = [s.name for s in app.screen.slots]
        assert set(names) == {"keep me", AUTOSAVE}
        for _ in range(names.index("keep me")):
            await pilot.press("down")
        await pilot.press("r")
        await settle(pilot)
        app.screen.query_one(Input).value = "Kept"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        assert {s.name for s in app.screen.slots} == {"Kept", AUTOSAVE}
        assert not app.session.store.exists("keep me") and app.session.store.exists("Kept")
        names = [s.name for s in app.screen.slots]
        await pilot.press("home")
        for _ in range(names.index(AUTOSAVE)):
            await pilot.press("down")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert [s.name for s in app.screen.slots] == ["Kept"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert app.session.latest() is not None and app.session.latest().name == "Kept"


async def test_a_damaged_save_is_listed_and_can_be_deleted(
    make_app: MakeApp, data_dir: Path
) -> None:
    from exilegame.play.tui.screens.load import LoadScreen

    folder = data_dir / "saves" / "tui-fixture"
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        assert "damaged" in str(app.screen.query_one("#load-slots").get_option_at_index(0).prompt)
        await pilot.press("enter")  # cannot be loaded
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        await pilot.press("d", "y")
        await settle(pilot)
        assert app.screen.slots == []
        await pilot.press("escape", "n")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)


async def test_title_does_not_read_the_saves_on_every_binding_check(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reads = 0
        real = app.session.store.slots

        def counting() -> list[object]:
            nonlocal reads
            reads += 1
            return real()  # type: ignore[return-value]

        app.session.store.slots = counting  # type: ignore[method-assign]
        for _ in range(50):
            app.screen.check_action("menu", ("continue",))
            app.screen.refresh_bindings()
        await settle(pilot)
        assert reads == 0


# -- journal, and the smaller points -------------------------------------------------------------


async def test_j_then_typing_at_once_searches_the_journal(make_app: MakeApp) -> None:
    from textual.widgets import Input

    from exilegame.play.tui.screens.journal import JournalScreen

    app = make_app(role="bodyguard", seed=1, input_grace=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause(0.4)
        burst(app, "j", "n", "a", "t", "a", "l")  # as fast as a terminal delivers them
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert app.screen.query_one(Input).value == "natal"
        assert [e.title for e in app.screen.shown] == ["Natalia"]
        assert app.session.last_note is None  # the `n` went to the search, not the game


# Each window with the keys that once reached it before it was built, and an action they must
# not trigger until it is.
WINDOWS = [
    ("journal", ["down", "down", "enter", "pagedown", "a"], "focus_list"),  # the monkey's find
    ("app.load", ["d", "r", "end", "enter"], "delete"),
    ("history", ["enter", "y"], "close"),
    ("save", ["enter", "home"], "close"),
    ("app.help", ["tab", "space", "pagedown"], "scroll_text"),
    ("map", ["pagedown", "m"], "close"),
]


async def test_keys_reaching_a_window_still_being_built(make_app: MakeApp) -> None:
    """Every window in turn, in one run (each opened from the scene, closed before the next);
    first, keys typed right after the key that opens a window never reach the game."""
    from exilegame.play.tui.screens.map import MapScreen

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1", "enter")
        await settle(pilot)
        burst(app, "m", "1", "2", "u")
        await settle(pilot)
        assert isinstance(app.screen, MapScreen)
        assert app.session.run.step == 1
        await pilot.press("escape")
        await settle(pilot)
        for action, keys, gated in WINDOWS:
            assert isinstance(app.screen, GameScreen), action
            await app.screen.run_action(action)  # pushed, not yet mounted
            assert not app.screen.is_mounted, action
            assert not app.screen.check_action(gated, ()), action  # keys act once it is built
            burst(app, *keys)
            await settle(pilot)
            assert app._exception is None, action
            assert app.session.run.step == 1, action
            for _ in range(3):  # back to the scene for the next window
                if isinstance(app.screen, GameScreen):
                    break
                await pilot.press("escape")
                await settle(pilot)


async def test_a_burst_of_enter_on_the_role_screen_picks_once(make_app: MakeApp) -> None:
    from exilegame.play.tui.screens.role import RoleScreen

    app = make_app(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RoleScreen)
        # Each Enter selects before the first dismissal has closed the screen (the full
        # monkey's second find: the second dismissal popped the title).
        role_screen = app.screen
        role_screen.query_one("#role-list").action_select()
        role_screen.query_one("#role-list").action_select()
        burst(app, *["enter"] * 6)
        await settle(pilot)
        assert app._exception is None
        assert [type(s).__name__ for s in app.screen_stack] == ["TitleScreen", "GameScreen"]
        assert app.session.run.step == 0
