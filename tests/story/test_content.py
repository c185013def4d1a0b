"""The shipped story meets the numbers its issue sets, per phase and per role."""

from __future__ import annotations

import re

import pytest

from exilegame._files import shipped_scenes
from exilegame.format.load import load_story
from exilegame.story import Scene, Story

STORY: Story = load_story(shipped_scenes())
PHASES = [phase.id for phase in STORY.phases]
ROLES = ["bodyguard", "secretary"]
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|lorem|ipsum|placeholder|coming soon)\b", re.I)


def words(text: str) -> int:
    return len(text.split())


def scenes_of(phase: str) -> list[Scene]:
    return [s for s in STORY.scenes.values() if s.phase == phase]


def count(phase: str, role: str) -> dict[str, int]:
    """The figures the issue names, for one phase as one role plays it."""
    mine = [s for s in scenes_of(phase) if s.role in ("", role)]
    documented = [
        c for s in scenes_of(phase) for c in s.choices if c.documented and c.note and c.sources
    ]
    return {
        "scenes": len(mine),
        "role_only": sum(s.role == role for s in mine),
        "words": sum(words(p.text) for s in mine for p in s.text),
        "events": len({c.note for c in documented}),
        "outcome_variants": len(STORY.phases[STORY.phase_index[phase]].outcome.yours),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phase", PHASES)
def test_phase_meets_the_numbers(phase: str, role: str) -> None:
    figures = count(phase, role)
    assert len(scenes_of(phase)) >= 10
    assert figures["role_only"] >= 3, figures
    assert figures["events"] >= 8, figures
    assert figures["outcome_variants"] >= 3, figures
    assert figures["words"] >= 120 * figures["scenes"], figures


@pytest.mark.parametrize("phase", PHASES)
def test_every_scene_is_finished_prose_of_the_right_length(phase: str) -> None:
    for scene in scenes_of(phase):
        always = sum(words(p.text) for p in scene.text if p.condition is None)
        total = sum(words(p.text) for p in scene.text)
        assert always >= 120 and total <= 350, (scene.id, always, total)
        assert scene.date and scene.place, scene.id
        for paragraph in scene.text:
            assert not PLACEHOLDER.search(paragraph.text), scene.id


def test_every_documented_choice_has_a_note_and_a_known_source() -> None:
    for scene in STORY.scenes.values():
        for choice in scene.choices:
            if choice.documented:
                assert choice.note and choice.sources, choice.key
            for key in choice.sources:
                source = STORY.sources[key]
                assert source.author and source.title and source.year, key


def test_journal_material_is_complete() -> None:
    for person in STORY.people.values():
        assert person.entry and person.fate, person.id
    for place in STORY.places.values():
        assert place.entry and place.coords, place.id
    route = {
        "alma-ata",
        "constantinople",
        "prinkipo",
        "marseille",
        "barbizon",
        "domene",
        "oslo",
        "honefoss",
        "tampico",
        "coyoacan",
    }
    assert route <= set(STORY.places), route - set(STORY.places)


def test_outcome_history_is_substantial() -> None:
    for phase in STORY.phases:
        assert words(phase.outcome.history) >= 120, phase.id


def shown_to(role: str, condition: object) -> bool:
    """Whether a paragraph or variant with this condition can show to this role."""
    source = getattr(condition, "source", "")
    other = [r for r in ROLES if r != role]
    return not any(f'role == "{r}"' in source for r in other)


@pytest.mark.parametrize("role", ROLES)
def test_the_last_phase_meets_its_own_numbers(role: str) -> None:
    """Issue 12: Mexico, the climax, is bigger than the other phases."""
    figures = count("mexico", role)
    assert len(scenes_of("mexico")) >= 16
    assert figures["role_only"] >= 3, figures
    assert figures["events"] >= 12, figures
    mexico = STORY.phases[STORY.phase_index["mexico"]]
    assert words(mexico.outcome.history) >= 250
    mine = [v for v in mexico.outcome.yours if shown_to(role, v.condition)]
    assert len(mine) >= 5 + 1, len(mine)  # five written for the role, and the closing line
    assert any(s.role == "" and not s.choices for s in scenes_of("mexico"))


def test_endings_speak_to_each_role_and_the_epilogue_is_written() -> None:
    """Every ending has an opening for each role and falls back on a last ending for all."""
    assert STORY.endings[-1].condition is None
    for ending in STORY.endings:
        for role in ROLES:
            openings = [
                p for p in ending.text if p.condition and f'role == "{role}"' in p.condition.source
            ]
            assert openings, (ending.id, role)
    assert sum(words(p.text) for p in STORY.epilogue) >= 250
    for key in (
        "mercader",
        "caridad",
        "eitingon",
        "grigulevich",
        "siqueiros",
        "ageloff",
        "seva",
        "sedova",
    ):
        assert STORY.people[key].fate, key


@pytest.mark.parametrize("role", ROLES)
def test_every_ending_tells_at_least_150_words_of_this_run(role: str) -> None:
    """Random runs of each role: the ending reached, assembled from its conditional
    paragraphs, is at least 150 words, and no paragraph written for the other role shows."""
    import random

    from exilegame import engine

    other = [r for r in ROLES if r != role]
    rng = random.Random(10)
    reached = set()
    for seed in range(300):
        state = engine.start(STORY, role, seed)
        while options := [o for o in engine.choices(STORY, state) if o.enabled]:
            state = engine.choose(STORY, state, rng.choice(options).id)
        ending = engine.ending(STORY, state)
        reached.add(ending.id)
        shown = engine.ending_text(STORY, state)
        assert sum(words(p) for p in shown) >= 150, (role, ending.id, state.trail)
        for paragraph in ending.text:
            if paragraph.condition is not None and paragraph.text in shown:
                for name in other:
                    assert f'role == "{name}"' not in paragraph.condition.source, ending.id
    assert len(reached) >= 3, reached
