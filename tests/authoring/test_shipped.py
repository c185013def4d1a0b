"""The shipped story under the authoring tools: explore finds nothing stuck, graph draws it."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilegame.authoring.explore import explore_exhaustive
from exilegame.format.load import load_story
from exilegame.story import Story

SHIPPED = Path(__file__).resolve().parents[2] / "scenes"
WHOLE_GAME_STATES = 547_902  # the four-phase game's problem search (2,140,269 before the
# per-role plan): it completes at the default bound, MAX_STATES


@pytest.fixture(scope="module")
def shipped() -> Story:
    return load_story(SHIPPED)


@pytest.mark.slow
@pytest.mark.long  # CI's longest test: started first
def test_exhaustive_explore_of_the_shipped_story_is_clean(shipped: Story) -> None:
    """The whole game at the default bound, as the README and CI run it: 547,902 states,
    a few seconds and about 80 MB (-m slow or EXILEGAME_SLOW=1)."""
    report = explore_exhaustive(shipped, measure=False)
    assert report.complete, f"the search stopped at {report.runs} states"
    assert report.runs == WHOLE_GAME_STATES
    assert not report.findings, report.findings
    assert not report.unreached_scenes
    assert not report.never_available
    assert report.status == 0


@pytest.mark.slow
def test_exhaustive_explore_of_the_first_three_phases_is_clean(three_phases: Path) -> None:
    """Turkey, France and Norway, played to their end (the game cut after Norway): the
    search completes, and nothing in them is stuck, unreachable or never available. The
    endings are left out: they are written for the whole game. Marked slow (CI runs it),
    as is the search of the same phases role by role (test_explore.py)."""
    report = explore_exhaustive(load_story(three_phases), max_states=500_000, measure=False)
    assert report.complete, f"the search stopped at {report.runs} states"
    assert not report.findings, report.findings
    assert not report.unreached_scenes
    assert not report.never_available
