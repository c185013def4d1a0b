"""The Session shared by line mode and the TUI: autosave after every choice, saves, crashes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame import engine
from exilegame.errors import SaveError
from exilegame.format.load import load_story
from exilegame.play.session import Session
from exilegame.saves import AUTOSAVE

WriteStory = Callable[..., Path]


@pytest.fixture
def session(write_story: WriteStory, private_data_dir: Path) -> Session:
    return Session(load_story(write_story()), private_data_dir)


def autosaved(session: Session) -> list[str]:
    session._autosaver.wait()
    data = json.loads(session.store.path_of(AUTOSAVE).read_text(encoding="utf-8"))
    return list(data["trail"])


def test_every_choice_undo_and_branch_is_autosaved(session: Session) -> None:
    session.new_game("guard", 3)
    session.choose_number(2)
    assert autosaved(session) == list(session.run.trail)
    session.choose_number(1)
    assert autosaved(session) == list(session.run.trail) and len(session.run.trail) == 2
    session.rewind()
    assert len(autosaved(session)) == 1
    session.branch(1)
    assert autosaved(session) == []
    session.close()


def test_a_durable_autosave_is_never_overtaken_by_an_older_background_one(
    session: Session,
) -> None:
    session.new_game("guard", 3)
    for _ in range(3):
        session.choose_number(1)
        session.autosave()  # durable, on this thread, right behind a background write
        assert autosaved(session) == list(session.run.trail)
    session.close()


def test_unsaved_tracks_choices_no_named_save_holds(session: Session) -> None:
    session.new_game("guard", 3)
    assert not session.unsaved  # nothing chosen yet
    session.choose_number(1)
    assert session.unsaved
    session.save("mine")
    assert not session.unsaved
    session.choose_number(1)
    assert session.unsaved
    slot = next(s for s in session.slots() if s.name == "mine")
    session.load(slot)
    assert not session.unsaved
    session.close()


def test_rename_and_delete_keep_continue_up_to_date(session: Session) -> None:
    session.new_game("guard", 3)
    session.choose_number(1)
    info = session.save("first")
    renamed = session.rename(info, "Second")
    assert renamed.name == "Second" and not session.store.exists("first")
    with pytest.raises(SaveError, match="already a save"):
        session.rename(renamed, AUTOSAVE)
    for slot in session.slots():
        session.delete(slot)
    assert session.latest() is None and not session.has_save
    session.close()


def test_crash_report_autosaves_and_names_the_run(session: Session, private_data_dir: Path) -> None:
    session.new_game("guard", 3)
    session.choose_number(2)
    try:
        raise ValueError("boom")
    except ValueError as exc:
        path = session.crash_report(exc)
    text = path.read_text(encoding="utf-8")
    assert path.parent == private_data_dir / "crashes"
    assert "role: guard" in text and "seed: 3" in text and "ValueError: boom" in text
    assert session.run.trail[0] in text and "autosaved" in text
    assert autosaved(session) == list(session.run.trail)
    replayed = session.store.load(AUTOSAVE).state
    assert replayed == engine.replay(session.story, "guard", 3, session.run.trail)
    session.close()
