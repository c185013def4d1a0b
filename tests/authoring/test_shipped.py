"""The shipped story under the authoring tools: explore finds nothing stuck, graph draws it."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilegame.authoring.explore import explore_exhaustive
from exilegame.format.load import load_story
from exilegame.story import Story

SHIPPED = Path(__file__).resolve().parents[2] / "scenes"


@pytest.fixture(scope="module")
def shipped() -> Story:
    return load_story(SHIPPED)


def test_exhaustive_explore_of_the_shipped_story_is_clean(shipped: Story) -> None:
    report = explore_exhaustive(shipped, max_states=500_000, measure=False)
    assert report.complete, f"the search stopped at {report.runs} states"
    assert not report.findings, report.findings
    assert not report.unreached_scenes
    assert not report.never_available
    assert report.status == 0
