"""Fixtures for the TUI tests: a private data dir, the fixture story, and an app factory."""

from __future__ import annotations

from pathlib import Path

import pytest
import textual._wait
from tui_helpers import FIXTURE, QUIET, MakeApp

from exilegame.format.load import load_story
from exilegame.play.tui.app import ExileApp
from exilegame.story import Story

# A pilot's pause waits until the app is idle: it sleeps in slices and stops after a slice in
# which the process used under a twentieth of it. Textual's slices are 20 ms, so every pause
# and key press waits at least 20 ms even when the app finished long before; the suite makes
# thousands of them. 5 ms slices ask the same question (idle for 95% of a slice) four times
# sooner. Pauses with an explicit delay are unchanged.
textual._wait.SLEEP_GRANULARITY = 0.005
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


@pytest.fixture
def data_dir(private_data_dir: Path) -> Path:
    """The test's own saves, explored record and settings (tests/conftest.py sets it up)."""
    return private_data_dir


@pytest.fixture(scope="session")
def fixture_story() -> Story:
    return load_story(FIXTURE)


@pytest.fixture
def make_app(fixture_story: Story, data_dir: Path) -> MakeApp:
    """Build an app on the fixture story (or another), typewriter off unless told otherwise,
    keys taken back to back (no grace after a new screen) unless `input_grace` is given."""

    def make(story: Story | None = None, **kwargs: object) -> ExileApp:
        kwargs.setdefault("settings", QUIET)
        kwargs.setdefault("input_grace", 0.0)
        kwargs.setdefault("data_root", data_dir)
        return ExileApp(story or fixture_story, **kwargs)  # type: ignore[arg-type]

    return make
