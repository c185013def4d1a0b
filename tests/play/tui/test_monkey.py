"""A seeded monkey: thousands of random keys, clicks and resizes across every screen.

Keys arrive in bursts, as fast typing and key repeat deliver them; resizes go down to 40×12 and
below it (where the game must say what size it needs). Afterwards: no exception, a run that
the engine replays to the very same state, and an autosave that loads back to it.
"""

from __future__ import annotations

import os
import random

import pytest
from tui_helpers import MakeApp, burst

from exilegame import engine
from exilegame.play.tui.screens.size import SizeScreen
from exilegame.saves import AUTOSAVE

SEED = int(os.environ.get("EXILEGAME_MONKEY_SEED", "20261123"))  # another seed: more ground
KEYS = [
    *"123456789",
    *["enter"] * 6,
    *["escape"] * 3,
    "space", "up", "down", "down", "pageup", "pagedown", "home", "end", "tab",
    "u", "backspace", "h", "s", "o", "j", "m", "e", "n", "i", "y", "d", "r", "b",
    "a", "z", "f1", "question_mark", "c",
]  # fmt: skip
SIZES = [
    (40, 12),
    (44, 14),
    (60, 20),
    (80, 24),
    (100, 30),
    (120, 40),
    (160, 48),
    (30, 10),
    (39, 24),
]


@pytest.mark.parametrize(
    ("steps", "least"),
    [
        # In the suite: some 350 keys, 15 clicks and 5 resizes (every screen is still
        # reached); the suite must stay fast, and a screen change costs Textual ~50 ms.
        pytest.param(130, (300, 10, 3), id="quick", marks=pytest.mark.long),
        # The full monkey (thousands of keys): `pytest -m slow` or EXILEGAME_SLOW=1.
        pytest.param(1000, (2500, 90, 25), id="full", marks=[pytest.mark.slow, pytest.mark.long]),
    ],
)
async def test_monkey(make_app: MakeApp, steps: int, least: tuple[int, int, int]) -> None:
    rng = random.Random(SEED)
    app = make_app(seed=11)
    quits = 0

    def no_exit(*args: object, **kwargs: object) -> None:
        nonlocal quits  # the monkey may pick Quit: count it, keep playing
        quits += 1

    app.exit = no_exit  # type: ignore[method-assign]
    counts = {"keys": 0, "clicks": 0, "resizes": 0}
    screens: set[str] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        for step in range(steps):
            roll = rng.random()
            if roll < 0.84:
                keys = [rng.choice(KEYS) for _ in range(rng.choice((1, 1, 2, 3, 5, 8)))]
                burst(app, *keys)
                counts["keys"] += len(keys)
            elif roll < 0.96:
                width, height = app.size
                await pilot.click(offset=(rng.randrange(width), rng.randrange(height)))
                counts["clicks"] += 1
            else:
                await pilot.resize_terminal(*rng.choice(SIZES))
                counts["resizes"] += 1
            await pilot.pause()
            screens.add(type(app.screen).__name__)
            assert app._exception is None, f"step {step}: {app._exception!r}"
            too_small = app.size.width < 40 or app.size.height < 12
            assert isinstance(app.screen, SizeScreen) == too_small, (step, app.size, app.screen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        session = app.session
        if session.playing:
            state = session.run
            replayed = engine.replay(app.story, state.role, state.seed, state.trail)
            assert replayed == state
            session.autosave()
            assert session.store.load(AUTOSAVE).state == state
    print(f"monkey: {counts}, {quits} quits asked, screens seen: {sorted(screens)}")
    assert counts["keys"] >= least[0]
    assert counts["clicks"] >= least[1] and counts["resizes"] >= least[2]
    assert {"TitleScreen", "GameScreen", "SizeScreen"} <= screens
    assert len(screens) >= 8
