"""Fixtures of the authoring tests: the shipped story cut after its third phase, which the
quick suite searches exhaustively (the whole game's search is marked slow: it runs in CI)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "scenes"


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
