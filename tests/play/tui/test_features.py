"""Rewind, branching from the log, save/load/continue, journal, map, explored paths, help."""

from __future__ import annotations

import json
from pathlib import Path

from tui_helpers import MakeApp, settle

from exilegame.play.tui.screens.confirm import ConfirmScreen
from exilegame.play.tui.screens.game import GameScreen
from exilegame.play.tui.screens.history import HistoryScreen
from exilegame.play.tui.screens.title import TitleScreen
from exilegame.saves import AUTOSAVE


async def new_run(pilot: object, *choices: str) -> None:
    await pilot.press("n", *choices)  # type: ignore[attr-defined]
    await settle(pilot)


async def close_notes(pilot: object, app: object) -> None:
    from exilegame.play.tui.screens.note import NoteScreen

    while isinstance(app.screen, NoteScreen):  # type: ignore[attr-defined]
        await pilot.press("enter")  # type: ignore[attr-defined]
        await settle(pilot)


async def test_rewind_is_repeatable_to_the_start(make_app: MakeApp) -> None:
    app = make_app(role="bodyguard", seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_run(pilot)
        for _ in range(2):
            await pilot.press("2")
            await settle(pilot)
            await close_notes(pilot, app)
        assert app.session.run.step == 2
        await pilot.press("u")
        await settle(pilot)
        assert app.session.run.step == 1
        await pilot.press("backspace")
        await settle(pilot)
        assert app.session.run.step == 0
        assert app.session.run.scene == app.story.start
        await pilot.press("u")  # nothing to undo: stays, says so
        await settle(pilot)
        assert app.session.run.step == 0
        assert isinstance(app.screen, GameScreen)


async def test_branch_from_the_history_log(make_app: MakeApp) -> None:
    from textual.widgets import OptionList

    app = make_app(role="bodyguard", seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_run(pilot)
        for _ in range(2):
            await pilot.press("1")
            await settle(pilot)
            await close_notes(pilot, app)
        assert app.session.run.step == 2
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        log = app.screen.query_one("#history-list", OptionList)
        assert log.highlighted == 1  # it opens on the latest choice
        await pilot.press("up", "enter")  # the first choice
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.run.step == 0
        await pilot.press("2")  # choose differently this time
        await settle(pilot)
        await close_notes(pilot, app)
        assert app.session.run.trail == ("island.quay:walk-the-wall-of-the",)


async def test_save_overwrite_load_and_continue(make_app: MakeApp, data_dir: Path) -> None:
    from textual.widgets import Input

    app = make_app(role="secretary", seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_run(pilot, "1")
        await close_notes(pilot, app)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one(Input).value = "Before the gate"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.store.exists("Before the gate")
        trail = app.session.run.trail
        await pilot.press("1")  # move on, then save again under the same name: asks first
        await settle(pilot)
        await close_notes(pilot, app)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one(Input).value = "Before the gate"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep the old one
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        loaded = app.session.store.load("Before the gate")
        assert loaded.state.trail == trail
        # load it back from the load screen
        await pilot.press("o")
        await settle(pilot)
        slots = app.session.store.slots()
        index = next(i for i, s in enumerate(slots) if s.name == "Before the gate")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # the choice made since is not saved
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.run.trail == trail
        await pilot.press("1")
        await settle(pilot)
        await close_notes(pilot, app)
        where = app.session.run.trail
        await pilot.press("q")  # quitting autosaves
        await settle(pilot)
    assert json.loads((data_dir / "saves" / "tui-fixture" / f"{AUTOSAVE}.json").read_text())[
        "trail"
    ] == list(where)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.run.trail == where


async def test_continue_is_hidden_without_saves(make_app: MakeApp) -> None:
    from exilegame.play.tui.widgets.menu import Menu

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        menu = app.screen.query_one("#title-menu", Menu)
        assert "continue" not in menu.option_ids
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)


async def test_damaged_save_is_shown_not_raised(make_app: MakeApp, data_dir: Path) -> None:
    from exilegame.play.tui.screens.load import LoadScreen
    from exilegame.play.tui.screens.message import MessageScreen

    folder = data_dir / "saves" / "tui-fixture"
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "stale.json").write_text(
        json.dumps(
            {
                "format": 1,
                "story": {"id": "tui-fixture"},
                "role": "bodyguard",
                "seed": 1,
                "trail": ["island.quay:no-such-choice"],
                "name": "stale",
                "saved_at": "2030-01-01T00:00:00",
            }
        ),
        encoding="utf-8",
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")  # the newest readable save no longer fits the story
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "no longer fits" in app.screen.body
        await pilot.press("escape")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        assert any(not s.ok for s in app.screen.slots)


async def test_journal_lists_what_was_met_and_searches(make_app: MakeApp) -> None:
    """Letters typed right after `j` are the search; Down goes to the list, and typing in the
    list goes back to the search."""
    from textual.widgets import Input, OptionList

    from exilegame.play.tui.screens.journal import JournalScreen

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_run(pilot, "1")
        await close_notes(pilot, app)
        await pilot.press("j", "n", "a", "t")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        kinds = {e.kind for e in app.screen.entries}
        assert kinds == {"People", "Places", "Sources"}
        assert "Marseille" not in {e.title for e in app.screen.entries}  # not yet visited
        assert app.screen.query_one(Input).value == "nat"
        assert [e.title for e in app.screen.shown] == ["Natalia"]
        listing = app.screen.query_one("#journal-list", OptionList)
        assert listing.option_count == 2  # heading + Natalia
        await pilot.press("down")
        await settle(pilot)
        assert listing.has_focus
        await pilot.press("v")  # typing in the list goes back to the search
        await settle(pilot)
        assert app.screen.query_one(Input).value == "natv"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)


async def test_map_marks_the_current_place(make_app: MakeApp) -> None:
    from exilegame.play.tui.screens.map import MapScreen
    from exilegame.play.tui.widgets.map_canvas import HERE, MapCanvas
    from exilegame.play.tui.widgets.timeline import Timeline

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_run(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MapScreen)
        drawn = str(app.screen.query_one(MapCanvas).render())
        assert HERE in drawn and "[Prinkipo]" in drawn
        assert "Marseille" in drawn
        line = str(app.screen.query_one(Timeline).render())
        assert "1929" in line and "5 March 1929" in line
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)


async def test_explored_paths_record_the_runs(make_app: MakeApp) -> None:
    from textual.widgets import Tree

    from exilegame.play.tui.screens.explored import ExploredScreen

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_run(pilot, "1")
        await close_notes(pilot, app)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExploredScreen)
        assert "island.gate" in app.screen.explored.scenes
        assert "island.quay:carry-the-trunks-up-yourself" in app.screen.explored.choices
        labels = [str(n.label) for n in app.screen.query_one(Tree).root.children[0].children]
        assert any("a scene not yet seen" in label for label in labels)
        await pilot.press("escape")
        await pilot.press("u")  # a rewind keeps what was seen in the record
        await settle(pilot)
        assert "island.gate" in app.session.record.read().scenes


async def test_help_changes_and_persists_settings(make_app: MakeApp, data_dir: Path) -> None:
    """The settings also show their state in words and shapes, not only in colour."""
    from textual.widgets import Switch

    from exilegame.play.tui.screens.help import HelpScreen, MarkedRadio
    from exilegame.play.tui.settings import load_settings, settings_path

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one(Switch).has_focus
        state = app.screen.query_one("#typewriter-state")
        assert str(state.render()) == "Off"
        await pilot.press("space")  # typewriter on
        await settle(pilot)
        assert app.settings.typewriter is True
        assert str(state.render()) == "On"
        marks = {r.name: str(r._button) for r in app.screen.query(MarkedRadio)}
        assert marks["normal"].strip("▐▌ ") == "●" and marks["slow"].strip("▐▌ ") == "○"
        await pilot.press("tab", "tab")  # speed, then theme
        await pilot.press("down", "enter")  # the light theme
        await settle(pilot)
        assert app.theme == "exile-light"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
    saved = load_settings(settings_path(data_dir))
    assert saved.typewriter is True and saved.theme == "exile-light"


async def test_title_claims_history_only_for_a_story_with_sources(make_app: MakeApp) -> None:
    from textual.widgets import Static

    from exilegame.format.load import load_story

    stories = Path(__file__).resolve().parents[2] / "stories"
    for folder, claims in (("tui", True), ("diamonds", False)):
        app = make_app(load_story(stories / folder))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            about = str(app.screen.query_one("#title-about", Static).render())
            assert ("really happened" in about) is claims, (folder, about)
            # the story's own role names, as its author wrote them (issue 15.9)
            assert all(role.name in about for role in app.story.roles.values()), about
