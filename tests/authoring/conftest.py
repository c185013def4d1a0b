"""Slow authoring tests (the whole shipped game's exhaustive search) run only when asked
for, as the TUI's slow tests do: `pytest -m slow` or EXILEGAME_SLOW=1."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "scenes"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long tests, run with -m slow or EXILEGAME_SLOW=1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("EXILEGAME_SLOW") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or EXILEGAME_SLOW=1")
    for item in items:
        if "slow" in item.keywords and "authoring" in str(item.path):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def three_phases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped game cut after Norway (Turkey, France, Norway), in a scratch folder: its
    exhaustive search fits a test's time; the whole game's is a slow test."""
    folder = tmp_path_factory.mktemp("three-phases")
    for name in ("story", "turkey", "france", "norway"):
        shutil.copy(SHIPPED / f"{name}.yaml", folder)
    story_yaml = folder / "story.yaml"
    source = story_yaml.read_text(encoding="utf-8")
    cut, count = re.subn(
        r"(?m)^phases: \[turkey, france, norway\b.*\]$", "phases: [turkey, france, norway]", source
    )
    assert count == 1, "story.yaml's phases: line changed; update this fixture"
    story_yaml.write_text(cut, encoding="utf-8")
    return folder
