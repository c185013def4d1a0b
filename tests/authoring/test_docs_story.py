"""A story written from docs/ alone passes every check, with no false notes."""

from __future__ import annotations

from pathlib import Path

from exilegame.authoring.check import run_check
from exilegame.authoring.explore import explore_exhaustive, explore_random, messages

STORY = Path(__file__).resolve().parents[1] / "stories" / "nighttrain"


def test_the_docs_story_passes_check_strict_and_explore_without_notes() -> None:
    story, problems = run_check(STORY)
    assert story is not None
    assert problems == [], [p.format() for p in problems]
    report = explore_exhaustive(story)
    assert report.complete and report.status == 0
    assert messages(story, report) == []  # no note at all: every variable and choice matters
    assert set(report.endings) == {e.id for e in story.endings}
    assert (
        report.inconsequential_choices
        == report.lone_choices
        == ["border.waiting:go-back-to-the-desk"]
    )
    randomly = explore_random(story, 100, seed=11)
    assert randomly.status == 0 and set(randomly.saturation) == {"nerve"}
