"""Fixtures for the TUI tests: a private data dir, the fixture story, and an app factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame.load import load_story
from exilegame.story import Story
from exilegame.tui.app import ExileApp
from exilegame.tui.settings import Settings

FIXTURE = Path(__file__).resolve().parents[1] / "stories" / "tui"
SHIPPED = Path(__file__).resolve().parents[2] / "scenes"
QUIET = Settings(typewriter=False)

MakeApp = Callable[..., ExileApp]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own saves, explored record and settings; never the user's."""
    folder = tmp_path / "data"
    monkeypatch.setenv("EXILEGAME_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def fixture_story() -> Story:
    return load_story(FIXTURE)


@pytest.fixture
def make_app(fixture_story: Story, data_dir: Path) -> MakeApp:
    """Build an app on the fixture story (or another), typewriter off unless told otherwise."""

    def make(story: Story | None = None, **kwargs: object) -> ExileApp:
        kwargs.setdefault("settings", QUIET)
        kwargs.setdefault("data_root", data_dir)
        return ExileApp(story or fixture_story, **kwargs)  # type: ignore[arg-type]

    return make
