"""What the first screen costs: the app starts in its theme with one parse of its styles, and
a launch imports only what the title screen needs (docs/design.md, start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet
from tui_helpers import QUIET, MakeApp, settle

from exilegame.play.tui.app import ExileApp


@pytest.mark.parametrize("theme", ["exile-dark", "exile-light"])
async def test_the_app_starts_in_its_theme_with_one_parse_of_its_styles(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    """Setting `App.theme` before the app runs made Textual parse every rule twice before the
    first frame (its watcher re-parses into a copy whose parse cache is then dropped). The
    app starts in its theme without that, and looks as it does after switching to it."""
    reparses: list[Stylesheet] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparses.append(self)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = make_app(settings=QUIET.with_(theme=theme))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert reparses == []
        assert app.theme == theme and app.has_class(f"-theme-{theme}")
        dark = theme == "exile-dark"
        assert app.has_class("-dark-mode") is dark and app.has_class("-light-mode") is not dark
        at_start = app.export_screenshot()
        app.theme = "exile-light" if dark else "exile-dark"
        await settle(pilot)
        assert app.export_screenshot() != at_start
        app.theme = theme  # through Textual's watcher
        await settle(pilot)
        assert reparses  # the watcher's way: the whole stylesheet again
        assert app.export_screenshot() == at_start


# What a launch of `exilegame` from the story cache must not import before the title screen is
# drawn: the command-line parser (the launch has no arguments), JSON (no data file to read in a
# fresh data folder), the engine and its State (no run yet), the parser and checks of scene
# files and of expressions (the story comes from the cache; its expressions are checked on
# first use) and `secrets` (it loads OpenSSL's hashing library; it is needed for a new run).
NOT_BEFORE_THE_TITLE = (
    "argparse",
    "gettext",
    "json",
    "secrets",
    "yaml",
    "exilegame.engine",
    "exilegame.state",
    "exilegame.format.build",
    "exilegame.expr.parse",
    "exilegame.expr.typecheck",
)

LAUNCH = """
import gc, sys, textual.app
run, exit_ = textual.app.App.run, textual.app.App.exit
def headless(self, *args, **kwargs):
    kwargs["headless"] = True
    return run(self, *args, **kwargs)
collections = []
def at_exit(self, *args, **kwargs):
    print(len(collections), gc.isenabled())  # collections until the title was drawn
    return exit_(self, *args, **kwargs)
textual.app.App.run, textual.app.App.exit = headless, at_exit
from exilegame.cli import main
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
status = main([])
print(" ".join(sorted(sys.modules)), gc.isenabled())
sys.exit(status)
"""


def test_the_title_screen_imports_only_what_it_needs(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "EXILEGAME_DATA_DIR": str(tmp_path / "data"),
        "EXILEGAME_CACHE_DIR": str(tmp_path / "cache"),
        "EXILEGAME_EXIT_ON_FIRST_SCREEN": "1",
    }
    launch = [sys.executable, "-c", LAUNCH]
    for _ in range(2):  # the first launch parses the story and fills the cache
        done = subprocess.run(launch, capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
    at_title, modules = done.stdout.splitlines()
    loaded = set(modules.split())
    assert "exilegame.play.tui.screens.title" in loaded
    assert sorted(loaded.intersection(NOT_BEFORE_THE_TITLE)) == []
    # the cyclic collector is paused until the title is drawn, then resumed
    assert at_title == "0 True" and modules.endswith(" True")


async def test_the_app_resumes_a_paused_collector_once_the_title_is_drawn(
    make_app: MakeApp,
) -> None:
    import gc

    assert gc.isenabled()
    gc.disable()  # as the launch pauses it (cli.commands.play)
    try:
        app = make_app(resume_collector=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
        gc.disable()
        app = make_app()  # an app that was not told: the collector is not its business
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert not gc.isenabled()
    finally:
        gc.enable()


async def test_the_benchmark_launch_exits_once_the_title_is_drawn_whole(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """benchmarks/startup.py times a launch to its first screen: the app exits only once the
    title is complete, footer keys included (Textual's footer added them a frame after the
    first, after the benchmark's exit; the title's KeyLine draws them in the first)."""
    from exilegame.play.tui.app import EXIT_ON_FIRST_SCREEN
    from exilegame.play.tui.widgets.keyline import KeyLine
    from exilegame.play.tui.widgets.menu import Menu

    monkeypatch.setenv(EXIT_ON_FIRST_SCREEN, "1")
    app = make_app()
    seen: list[tuple[int, int]] = []
    exit_ = app.exit

    def exit_seen(*args: object, **kwargs: object) -> None:
        menu = app.screen.query_one("#title-menu", Menu)
        keys = app.screen.query_one(KeyLine)._spans  # as last drawn
        seen.append((len(keys), menu.option_count))
        exit_()

    monkeypatch.setattr(app, "exit", exit_seen)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            if seen:
                break
            await pilot.pause(0.01)
    assert seen and seen[0][0] >= 5 and seen[0][1] >= 5


async def test_the_title_takes_no_size_classes(make_app: MakeApp) -> None:
    """The size classes (-narrow, -short...) restyled every widget of the title as it first
    appeared, and none of its rules uses them: the title screen has none (should one of its
    rules need them, give TitleScreen its breakpoints back)."""
    from exilegame.play.tui import app as app_module

    sheet = (Path(app_module.__file__).parent / "app.tcss").read_text()
    classes = {name for _, name in ExileApp.HORIZONTAL_BREAKPOINTS + ExileApp.VERTICAL_BREAKPOINTS}
    assert not [name for name in classes if name in sheet]
    for size in [(80, 24), (160, 48), (60, 15)]:
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            assert not classes & set(app.screen.classes), size
