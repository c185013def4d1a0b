"""Full runs by keyboard, title to epilogue, for every role, on the fixture and shipped stories."""

from __future__ import annotations

import pytest
from tui_helpers import SHIPPED, MakeApp, burst, play_to_end, settle

from exilegame import engine
from exilegame.format.load import load_story
from exilegame.play.tui.screens.epilogue import EpilogueScreen
from exilegame.play.tui.screens.game import GameScreen
from exilegame.play.tui.screens.role import RoleScreen
from exilegame.play.tui.screens.title import TitleScreen
from exilegame.story import Story


@pytest.fixture(scope="module")
def shipped_story() -> Story:
    return load_story(SHIPPED)  # a broken shipped story fails these tests, never skips them


async def start_as(pilot: object, app: object, number: int) -> None:
    await pilot.press("n")  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(app.screen, RoleScreen)  # type: ignore[attr-defined]
    await pilot.press(str(number))  # type: ignore[attr-defined]
    await settle(pilot)


@pytest.mark.slow
@pytest.mark.parametrize("number", [1, 2])
async def test_fixture_run_to_epilogue(make_app: MakeApp, number: int) -> None:
    """Title to epilogue and on to a run as the other role, as each role. Marked slow (CI
    runs them): the everyday run's full keyboard run of the shipped story presses the same
    keys on the same screens and checks the same epilogue."""
    app = make_app(seed=5)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await start_as(pilot, app, number)
        assert isinstance(app.screen, GameScreen)
        role = list(app.story.roles)[number - 1]
        assert app.session.run.role == role
        await play_to_end(pilot, app)
        state = app.session.run
        assert engine.status(app.story, state) is engine.Status.GAME_END
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert engine.ending(app.story, state).title in text
        assert "Died at Coyoacán in 1940." in text  # a fate of someone met
        # the explored record has the ending
        assert app.session.record.read().endings
        await pilot.press("enter")  # first offer: play again as the other role
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.run.role == list(app.story.roles)[2 - number]
        assert app.session.run.step == 0


@pytest.mark.long
@pytest.mark.parametrize("role", ["secretary", pytest.param("bodyguard", marks=pytest.mark.slow)])
async def test_shipped_run_to_epilogue(make_app: MakeApp, shipped_story: Story, role: str) -> None:
    """A full keyboard run of the shipped story, title to epilogue and on to a run as the
    other role. The everyday run keeps one (some 100 screens: the suite's longest test); the
    other role's runs in CI."""
    roles = list(shipped_story.roles)
    assert role in roles and len(roles) == 2
    app = make_app(shipped_story, seed=1929)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await start_as(pilot, app, roles.index(role) + 1)
        assert isinstance(app.screen, GameScreen) and app.session.run.role == role
        await play_to_end(pilot, app)
        assert isinstance(app.screen, EpilogueScreen)
        state = app.session.run
        assert state.step > 3
        assert engine.status(app.story, state) is engine.Status.GAME_END
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert engine.ending(app.story, state).title in text
        assert app.session.record.read().endings  # the explored record has the ending
        await pilot.press("enter")  # first offer: play again as the other role
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.run.role != role and app.session.run.step == 0


async def test_typewriter_completes_on_any_key(make_app: MakeApp) -> None:
    """Any key shows the whole text at once; a digit then chooses, but not while typing."""
    from exilegame.play.tui.settings import Settings
    from exilegame.play.tui.widgets.prose import Prose

    app = make_app(role="secretary", seed=1, settings=Settings(typewriter=True, speed="slow"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        prose = app.screen.query_one(Prose)
        assert prose.revealing
        await pilot.press("x")
        await settle(pilot)
        assert not prose.revealing
        assert str(prose.render()) == prose.full_text
        await pilot.press("1")  # now a digit chooses
        await settle(pilot)
        assert app.session.run.step == 1
        while not isinstance(app.screen, GameScreen):  # the choice's note
            await pilot.press("enter")
            await settle(pilot)
        prose = app.screen.query_one(Prose)
        assert prose.revealing  # the next scene is typed out too
        burst(app, "1")  # a digit while the text is typed only finishes it
        await settle(pilot)
        assert app.session.run.step == 1 and not prose.revealing


async def test_locked_choice_is_marked_in_words_and_cannot_be_taken(make_app: MakeApp) -> None:
    from exilegame.play.tui.widgets.choice_list import LOCKED, ChoiceList

    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        choices = app.screen.query_one(ChoiceList)
        locked = [o for o in choices.offered if not o.enabled]
        assert locked and LOCKED in str(choices.get_option_at_index(locked[0].number - 1).prompt)
        await pilot.press(str(locked[0].number))
        await settle(pilot)
        assert app.session.run.step == 0


async def test_arrows_and_enter_choose(make_app: MakeApp) -> None:
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.session.run.trail == ("island.quay:walk-the-wall-of-the",)


async def test_resize_mid_scene(make_app: MakeApp) -> None:
    app = make_app(role="bodyguard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert app.screen.has_class("-wide")
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert app.session.run.step == 1
