"""Saves: named slots, atomic writes, corrupt files, and stories edited after saving."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame import engine, saves
from exilegame.errors import SaveError
from exilegame.explored import ExploredRecord
from exilegame.format.load import load_story
from exilegame.saves import SaveStore
from exilegame.story import CONTINUE, Story

WriteStory = Callable[..., Path]


def played(story: Story) -> engine.State:
    state = engine.start(story, "guard", 9)
    for choice in ("open-the-gate", CONTINUE):
        state = engine.choose(story, state, choice)
    return state


def test_save_and_load_round_trip(write_story: WriteStory, private_data_dir: Path) -> None:
    story = load_story(write_story())
    store = SaveStore(story)
    state = played(story)
    info = store.save("Before the road", state)
    assert info.path == private_data_dir / "saves" / "test-story" / "before-the-road.json"
    assert (info.name, info.role, info.phase, info.place, info.date, info.step) == (
        "Before the road",
        "guard",
        "Two",
        "The House",
        "1930",
        2,
    )
    loaded = store.load("Before the road")
    assert loaded.state == state
    assert loaded.notice == ""
    assert [s.name for s in store.slots()] == ["Before the road"]
    assert store.latest() is not None and store.latest().name == "Before the road"


def test_save_is_atomic_and_leaves_no_temporary_files(write_story: WriteStory) -> None:
    story = load_story(write_story())
    store = SaveStore(story)
    store.save("slot", played(story))
    store.save("slot", engine.start(story, "clerk", 1))  # overwrite
    assert sorted(p.name for p in store.folder.iterdir()) == ["slot.json"]
    assert store.load("slot").state.role == "clerk"


def test_failed_write_keeps_the_old_save(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = load_story(write_story())
    store = SaveStore(story)
    store.save("slot", played(story))

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(SaveError, match="could not write the save 'slot'"):
        store.save("slot", engine.start(story, "clerk", 1))
    monkeypatch.undo()
    assert store.load("slot").state.role == "guard"
    assert sorted(p.name for p in store.folder.iterdir()) == ["slot.json"]


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[]",
        b'{"format": 1}',
        b"\xff\xfe garbage",
        b"",
        b'{"format": 99, "role": "guard", "seed": 1, "trail": [], "story": {}}',
        b'{"format": 1, "role": "guard", "seed": 1, "trail": [3], "story": {}}',
    ],
)
def test_corrupt_save_is_reported_and_harms_nothing(
    write_story: WriteStory, content: bytes
) -> None:
    story = load_story(write_story())
    store = SaveStore(story)
    store.save("good", played(story))
    store.folder.joinpath("bad.json").write_bytes(content)
    slots = store.slots()
    assert [(s.name, s.ok) for s in slots] == [("good", True), ("bad", False)]
    assert "bad.json" in slots[1].error
    with pytest.raises(SaveError, match=r"bad\.json"):
        store.load("bad")
    assert store.load("good").state == played(story)
    assert store.latest().name == "good"


def test_missing_save(write_story: WriteStory) -> None:
    store = SaveStore(load_story(write_story()))
    assert store.slots() == [] and store.latest() is None
    with pytest.raises(SaveError, match="there is no save 'nothing'"):
        store.load("nothing")


def test_story_edited_after_saving_still_loads_when_trail_replays(
    write_story: WriteStory,
) -> None:
    folder = write_story()
    story = load_story(folder)
    state = played(story)
    SaveStore(story).save("slot", state)
    one = folder / "one.yaml"
    one.write_text(one.read_text().replace("A knock at the gate.", "A louder knock."))
    edited = load_story(folder)
    assert edited.fingerprint != story.fingerprint
    loaded = SaveStore(edited).load("slot")
    assert loaded.state.trail == state.trail
    assert "has changed since 'slot' was saved" in loaded.notice
    assert "2 choices were replayed" in loaded.notice


def test_story_edited_so_a_choice_is_gone_says_which(write_story: WriteStory) -> None:
    folder = write_story()
    story = load_story(folder)
    SaveStore(story).save("slot", played(story))
    one = folder / "one.yaml"
    one.write_text(one.read_text().replace("Open the gate", "Unbar the gate"))
    with pytest.raises(SaveError) as caught:
        SaveStore(load_story(folder)).load("slot")
    message = str(caught.value)
    assert "at choice 1, the choice 'open-the-gate' in 'one.gate' no longer exists" in message
    assert "load another save" in message


def test_save_for_a_removed_role(write_story: WriteStory) -> None:
    folder = write_story()
    story = load_story(folder)
    store = SaveStore(story)
    store.save("slot", played(story))
    data = json.loads(store.path_of("slot").read_text())
    data["role"] = "cook"
    store.path_of("slot").write_text(json.dumps(data))
    with pytest.raises(SaveError, match="role 'cook'"):
        store.load("slot")


def test_slot_names_are_made_safe() -> None:
    assert saves.slot_filename("../../etc/passwd") == "etc-passwd.json"
    assert saves.slot_filename("   ") == "save.json"
    assert saves.slot_filename("Prinkipo, after the fire!") == "prinkipo-after-the-fire.json"


def test_explored_record_accumulates_across_runs(write_story: WriteStory) -> None:
    story = load_story(write_story())
    record = ExploredRecord(story)
    first = played(story)
    record.record(first, new_run=True)
    end = engine.choose(story, first, "walk-on")
    record.record(end, ending=engine.ending(story, end).id)
    other = engine.choose(story, engine.start(story, "guard", 2), "keep-it-shut")
    explored = record.record(other, new_run=True)
    assert explored.scenes == {"one.gate", "one.hall", "two.road", "two.inn"}
    assert explored.choices == {
        "one.gate:open-the-gate",
        "one.hall:continue",
        "two.road:walk-on",
        "one.gate:keep-it-shut",
    }
    assert explored.endings == {"trusted": 1} and explored.runs == 2
    assert ExploredRecord(story).read() == explored


def test_damaged_explored_record_is_set_aside(write_story: WriteStory) -> None:
    story = load_story(write_story())
    record = ExploredRecord(story)
    record.path.parent.mkdir(parents=True)
    record.path.write_text("{broken")
    assert record.read().scenes == set()
    assert record.path.with_suffix(".damaged.json").read_text() == "{broken"
    record.record(played(story))
    assert "one.gate" in record.read().scenes


def test_a_save_in_the_previous_format_still_loads(write_story: WriteStory) -> None:
    """Format 1 had no "compatible" or "exilegame" keys; this version still reads it."""
    story = load_story(write_story())
    state = played(story)
    store = SaveStore(story)
    old = {
        "format": 1,
        "story": {"id": story.id, "title": story.title, "fingerprint": story.fingerprint},
        "name": "old",
        "saved_at": "2026-01-01T10:00:00",
        "role": state.role,
        "seed": state.seed,
        "trail": list(state.trail),
        "summary": {"phase": "One", "place": "The hall", "date": "1930", "step": state.step},
    }
    store.folder.mkdir(parents=True)
    (store.folder / "old.json").write_text(json.dumps(old), encoding="utf-8")
    assert store.load("old").state == state
    assert [s.name for s in store.slots() if s.ok] == ["old"]


def test_newer_formats_load_when_they_say_this_reader_is_enough(write_story: WriteStory) -> None:
    story = load_story(write_story())
    store = SaveStore(story)
    info = store.save("slot", played(story))
    data = json.loads(info.path.read_text(encoding="utf-8"))
    assert (data["format"], data["compatible"]) == (saves.SAVE_FORMAT, saves.SAVE_OLDEST)
    data.update(format=saves.SAVE_FORMAT + 1, extra="a key this reader does not know")
    info.path.write_text(json.dumps(data), encoding="utf-8")
    assert store.load("slot").state == played(story)
    data["compatible"] = saves.SAVE_FORMAT + 1
    info.path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SaveError, match="written by a newer exilegame"):
        store.load("slot")
