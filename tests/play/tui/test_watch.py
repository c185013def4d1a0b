"""Live reload: watch.py on its own (no Textual), and the app keeping the player's place."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tui_helpers import FIXTURE, MakeApp, settle

from exilegame import engine
from exilegame.authoring.watch import Watcher, replay_longest, stamp
from exilegame.format.load import load_story


@pytest.fixture
def scenes(tmp_path: Path) -> Path:
    folder = tmp_path / "scenes"
    shutil.copytree(FIXTURE, folder)
    return folder


def touch_edit(path: Path, old: str, new: str) -> None:
    """Edit a file and make sure its mtime moves even on coarse-clock filesystems."""
    before = path.stat().st_mtime_ns
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_watch_module_does_not_import_textual() -> None:
    code = "import sys, exilegame.authoring.watch; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_poll_reports_nothing_until_a_file_changes(scenes: Path) -> None:
    watcher = Watcher(scenes)
    assert watcher.poll() is None
    touch_edit(scenes / "island.yaml", "with the trunks and the dogs", "with the trunks")
    reload = watcher.poll()
    assert reload is not None and reload.story is not None
    assert "with the trunks." in reload.story.scenes["island.quay"].text[0].text
    assert watcher.poll() is None


def test_poll_returns_the_load_error_and_keeps_watching(scenes: Path) -> None:
    watcher = Watcher(scenes)
    touch_edit(
        scenes / "island.yaml",
        "go: gate\n        note: The trunks",
        "go: nowhere\n        note: The trunks",
    )
    reload = watcher.poll()
    assert reload is not None and reload.story is None and reload.error is not None
    assert "island.yaml" in reload.error.report()
    touch_edit(scenes / "island.yaml", "go: nowhere", "go: gate")
    fixed = watcher.poll()
    assert fixed is not None and fixed.story is not None


def test_new_and_removed_files_change_the_stamp(scenes: Path) -> None:
    first = stamp(scenes)
    (scenes / "extra.yaml").write_text("x: 1\n", encoding="utf-8")
    assert stamp(scenes) != first
    assert stamp(scenes / "missing") == ()


def test_replay_longest_keeps_a_whole_trail(scenes: Path) -> None:
    story = load_story(scenes)
    trail = ("island.quay:carry-the-trunks-up-yourself", "island.gate:let-him-in")
    replayed = replay_longest(story, "bodyguard", 1, trail)
    assert replayed.state.trail == trail and replayed.dropped == 0 and replayed.notice == ""


def test_replay_longest_falls_back_to_the_valid_prefix(scenes: Path) -> None:
    story = load_story(scenes)
    trail = ("island.quay:carry-the-trunks-up-yourself", "island.gate:no-longer-there")
    replayed = replay_longest(story, "bodyguard", 1, trail)
    assert replayed.state.trail == trail[:1]
    assert replayed.dropped == 1
    assert "choice 2" in replayed.notice and "rewound to choice 1" in replayed.notice


def test_replay_longest_raises_when_the_role_is_gone(scenes: Path) -> None:
    story = load_story(scenes)
    with pytest.raises(engine.EngineError):
        replay_longest(story, "cook", 1, ())


async def test_app_reloads_and_keeps_the_place(make_app: MakeApp, scenes: Path) -> None:
    """In a scene, and on the title (which stays where the player is)."""
    from exilegame.play.tui.screens.title import TitleScreen
    from exilegame.play.tui.widgets.prose import Prose

    app = make_app(load_story(scenes), role="bodyguard", seed=1, watch=scenes)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1")
        await settle(pilot)
        await pilot.press("enter")  # the note
        await settle(pilot)
        assert app.session.run.scene == "island.gate"
        touch_edit(scenes / "island.yaml", "waits at the gate", "waits in the rain at the gate")
        app.poll_watch()
        await settle(pilot)
        assert app.session.run.scene == "island.gate"
        assert "in the rain" in app.screen.query_one(Prose).full_text
        await pilot.press("escape")  # back to the title, the run kept
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        touch_edit(scenes / "island.yaml", "in the rain", "in the snow")
        app.poll_watch()
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)  # a reload on the title keeps the title
        assert app.session.run.scene == "island.gate"
        assert "in the snow" in app.story.scenes["island.gate"].text[0].text


@pytest.mark.slow  # replay_longest is tested above; the app's reload, in the test before
async def test_app_rewinds_when_the_edit_removes_a_taken_choice(
    make_app: MakeApp, scenes: Path
) -> None:
    app = make_app(load_story(scenes), role="bodyguard", seed=1, watch=scenes)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1")
        await settle(pilot)
        await pilot.press("enter", "1")  # note, then "Let him in"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.run.step == 2
        touch_edit(scenes / "island.yaml", "- text: Let him in", "- text: Open the gate")
        app.poll_watch()
        await settle(pilot)
        assert app.session.run.step == 1
        assert app.session.run.scene == "island.gate"


async def test_app_shows_load_errors_and_keeps_playing(make_app: MakeApp, scenes: Path) -> None:
    from exilegame.play.tui.screens.game import GameScreen
    from exilegame.play.tui.screens.message import MessageScreen

    app = make_app(load_story(scenes), role="bodyguard", seed=1, watch=scenes)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        touch_edit(scenes / "coast.yaml", "place: barbizon", "place: atlantis")
        app.poll_watch()
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "coast.yaml" in app.screen.body and "atlantis" in app.screen.body
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.session.run.scene == "island.gate"


def test_bad_scenes_exit_2_before_the_app_starts(
    scenes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from exilegame.cli import main

    touch_edit(scenes / "coast.yaml", "place: barbizon", "place: atlantis")
    assert main(["--scenes", str(scenes)]) == 2
    err = capsys.readouterr().err
    assert "coast.yaml" in err and "atlantis" in err


def test_unknown_role_exits_2(scenes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from exilegame.cli import main

    assert main(["--scenes", str(scenes), "--role", "cook"]) == 2
    assert "no role 'cook'" in capsys.readouterr().err
