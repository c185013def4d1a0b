"""Shared fixtures: small stories written to a temporary folder, and a private data dir."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from story_texts import MANIFEST, PHASE_ONE, PHASE_TWO


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


BROWSER_TESTS = "EXILEGAME_BROWSER_TESTS"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser test takes several seconds: it runs in CI, or when asked for."""
    if os.environ.get("CI") or os.environ.get(BROWSER_TESTS):
        return
    skip = pytest.mark.skip(reason=f"browser test: runs in CI, or with {BROWSER_TESTS}=1")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture
def write_story(tmp_path: Path) -> Callable[..., Path]:
    """Write a story folder; files default to a small valid two-phase story."""

    def write(name: str = "story", **files: str) -> Path:
        contents = {"story.yaml": MANIFEST, "one.yaml": PHASE_ONE, "two.yaml": PHASE_TWO}
        for key, text in files.items():
            contents[key.replace("_yaml", ".yaml")] = text
        return _write(tmp_path / name, contents)

    return write


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own saves and cache folders: never the real user's."""
    folder = tmp_path / "data"
    monkeypatch.setenv("EXILEGAME_DATA_DIR", str(folder))
    monkeypatch.setenv("EXILEGAME_CACHE_DIR", str(tmp_path / "cache"))
    return folder
