"""Exporting a run from the game (x on the epilogue and in the history log), and --replay."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import MakeApp, play_to_end, settle

from exilegame import engine
from exilegame.play.export import replay_document
from exilegame.play.tui.screens.epilogue import EpilogueScreen
from exilegame.play.tui.screens.game import GameScreen
from exilegame.play.tui.screens.history import HistoryScreen
from exilegame.story import Story


def first_run(story: Story, role: str, seed: int) -> engine.State:
    state = engine.start(story, role, seed)
    while options := [o for o in engine.choices(story, state) if o.enabled]:
        state = engine.choose(story, state, options[0].id)
    return state


def notices(app: object) -> str:
    return " ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]


async def test_replayed_run_opens_where_it_stopped(make_app: MakeApp, fixture_story: Story) -> None:
    whole = first_run(fixture_story, "secretary", 8)
    midway = whole.at_step(2)
    app = make_app(resume=midway)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.run == midway


async def test_x_on_the_epilogue_writes_both_formats(
    make_app: MakeApp, fixture_story: Story, data_dir: Path
) -> None:
    whole = first_run(fixture_story, "bodyguard", 4)
    app = make_app(resume=whole.at_step(whole.step - 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await play_to_end(pilot, app)
        assert isinstance(app.screen, EpilogueScreen)
        await pilot.press("x")
        await settle(pilot)
        state = app.session.run
        files = sorted((data_dir / "exports").iterdir())
        assert [f.suffix for f in files] == [".html", ".md"]
        for file in files:
            assert file.stem == f"tui-fixture-bodyguard-seed4-step{state.step}"
            assert replay_document(fixture_story, file.read_text()) == state
        assert str(files[0]) in notices(app)
        assert isinstance(app.screen, EpilogueScreen)  # still there, to read on


async def test_x_in_the_history_log_exports_the_run_so_far(
    make_app: MakeApp, fixture_story: Story, data_dir: Path
) -> None:
    midway = first_run(fixture_story, "secretary", 2).at_step(2)
    app = make_app(resume=midway)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("x")
        await settle(pilot)
        page = data_dir / "exports" / "tui-fixture-secretary-seed2-step2.html"
        assert replay_document(fixture_story, page.read_text()) == midway
        assert "The run stops here" in page.read_text()
        assert "Run exported" in " ".join(
            str(n.title)
            for n in app._notifications  # type: ignore[attr-defined]
        )


async def test_a_failed_export_is_reported_in_the_app(
    make_app: MakeApp, fixture_story: Story, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "exports").write_text("a file where the folder should be")
    app = make_app(resume=engine.start(fixture_story, "secretary", 2))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_export_run()
        await settle(pilot)
        assert "Export failed" in notices(app)
