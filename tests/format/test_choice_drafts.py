"""The scene reader builds choices as drafts (`_record.draft`): the very objects Choice(...)
makes, field for field, frozen; and calls Choice where the layout check says it must."""

from __future__ import annotations

import dataclasses
import re

import pytest

from exilegame._files import shipped_scenes
from exilegame.format import scenes
from exilegame.format.load import load_with_problems
from exilegame.story import Choice, Story


def _read() -> Story:
    story, problems = load_with_problems(shipped_scenes(), use_cache=False)
    assert story is not None, problems
    return story


def _choices(story: Story) -> list[Choice]:
    return [choice for scene in story.scenes.values() for choice in scene.choices]


def _shown(choice: Choice) -> str:
    """A choice's repr without addresses (of its compiled expressions' functions)."""
    return re.sub(r" at 0x[0-9a-f]+", "", repr(choice))


def test_drafted_choices_are_what_choice_makes() -> None:
    assert scenes._FAST
    choices = _choices(_read())
    assert choices
    for choice in choices:
        made = Choice(**{f.name: getattr(choice, f.name) for f in dataclasses.fields(Choice)})
        assert type(choice) is Choice
        assert (choice, repr(choice), choice.where) == (made, repr(made), made.where)
        assert hash(choice) == hash(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        choices[0].text = "changed"  # type: ignore[misc]


def test_choices_are_made_by_choice_when_the_layout_check_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drafted = [_shown(c) for c in _choices(_read())]
    monkeypatch.setattr(scenes, "_FAST", False)
    monkeypatch.setattr(scenes, "_DRAFT_CHOICE", None)  # not used: calling it would fail
    assert [_shown(c) for c in _choices(_read())] == drafted
