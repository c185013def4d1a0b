"""The game starts, whatever state its data files are in: each damaged one is reported once,
on the title, and none stops the game (each of these once crashed every launch)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tui_helpers import MakeApp, settle

from exilegame.play.tui.screens.title import TitleScreen


async def test_the_game_starts_with_every_data_file_damaged(
    make_app: MakeApp, data_dir: Path
) -> None:
    saves = data_dir / "saves" / "tui-fixture"
    saves.mkdir(parents=True)
    summary = {"format": 2, "story": {"id": "tui-fixture"}, "role": "bodyguard", "seed": 1}
    (saves / "list.json").write_text(json.dumps({**summary, "trail": [], "summary": [1]}))
    (saves / "nan.json").write_text('{"format": 2, "summary": {"step": NaN}}')
    (saves / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (saves / ".deep.json.999999999.abc.tmp").write_text("{")  # a write killed long ago
    explored = data_dir / "explored"
    explored.mkdir(parents=True)
    (explored / "tui-fixture.json").write_text('{"format": 2, "scenes": "abc"}')
    (data_dir / "settings.json").write_text('{"speed": ["fast"]}')
    app = make_app(settings=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        shown = [n.message for n in app._notifications]
        assert len(shown) == 3, shown
        assert any("settings file settings.json is damaged" in m for m in shown)
        assert any("explored paths (tui-fixture.json) was damaged" in m for m in shown)
        assert any("3 save files are damaged" in m for m in shown)
    assert not list(saves.glob("*.tmp"))
    assert (explored / "tui-fixture.damaged.json").exists()


async def test_an_author_error_in_play_is_shown_and_play_goes_on(
    make_app: MakeApp, write_story: Callable[..., Path]
) -> None:
    """An effect dividing by zero once crashed play (ZeroDivisionError out of the engine); now
    the choice is not taken, the message is shown as written (`[/]` is not markup)."""
    from exilegame.format.load import load_story
    from exilegame.play.tui.screens.game import GameScreen
    from story_texts import MANIFEST, PHASE_ONE

    manifest = MANIFEST.replace(
        "trust: {start: 0, label: Trust, show: true, min: 0, max: 3}", 'trust: 0\n  mark: "x"'
    )
    one = PHASE_ONE.replace("do: trust += 1", 'do: mark = "[/]"; trust = 1 // trust', 1)
    story = load_story(write_story(story_yaml=manifest, one_yaml=one))
    app = make_app(story, role="guard", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        await pilot.press("1")  # "Open the gate": its effect divides by zero
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.run.scene == "one.gate" and app.session.run.step == 0
        [note] = [n for n in app._notifications if "division by zero" in n.message]
        assert note.message.startswith("one.yaml:12:") and "[/]" in note.message
        await pilot.press("2")  # the other choice still works
        await settle(pilot)
        assert app.session.run.scene == "one.hall"
