"""Fixtures for the TUI tests: a private data dir, the fixture story, and an app factory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tui_helpers import FIXTURE, QUIET, MakeApp

from exilegame.format.load import load_story
from exilegame.play.tui.app import ExileApp
from exilegame.story import Story


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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long tests, run with -m slow or EXILEGAME_SLOW=1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow tests run only when asked for (`-m slow`, or EXILEGAME_SLOW=1)."""
    if os.environ.get("EXILEGAME_SLOW") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or EXILEGAME_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
