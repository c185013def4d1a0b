"""Damaged data files of every kind: saves, the explored record and settings.

Each damaged file is reported for itself and never stops the game: a save's slot carries an
error, the explored record is set aside and reported once, settings fall back to defaults.
`DAMAGED` lists hand-made damage; `mutations` adds every truncation and many byte flips of a
valid file, so that the suite reads a few thousand damaged files.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exilegame import engine
from exilegame.errors import SaveError
from exilegame.format.load import load_story
from exilegame.play.tui.settings import read_settings
from exilegame.saves import ExploredRecord, SaveStore
from exilegame.story import CONTINUE, Story

WriteStory = Callable[..., Path]

DEEP = b"[" * 100_000 + b"]" * 100_000
DAMAGED: dict[str, bytes] = {
    "empty": b"",
    "not json": b"{not json",
    "a list": b"[]",
    "a number": b"3",
    "not utf-8": b'{"format": 2, "name": "\xff\xfe"}',
    "deeply nested": DEEP,
    "deeply nested object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "infinity": b'{"format": Infinity}',
    "nan": b'{"format": NaN}',
    "a number of 5000 digits": b'{"format": ' + b"9" * 5000 + b"}",
    "format a flag": b'{"format": true}',
    "format text": b'{"format": "2"}',
}


def valid_save(story: Story) -> dict[str, object]:
    store = SaveStore(story)
    state = engine.choose(story, engine.start(story, "guard", 9), "open-the-gate")
    info = store.save("base", state)
    data = json.loads(info.path.read_text(encoding="utf-8"))
    info.path.unlink()
    return data


def save_variants(base: dict[str, object]) -> dict[str, bytes]:
    """A valid save with one field made wrong, each way the reader once trusted."""
    wrong: dict[str, object] = {
        "summary a list": {"summary": [1, 2]},
        "summary text": {"summary": "phase one"},
        "summary a number": {"summary": 7},
        "summary step infinite": {"summary": {"step": float("inf")}},
        "summary step nan": {"summary": {"step": float("nan")}},
        "summary step text": {"summary": {"step": "3"}},
        "summary step negative": {"summary": {"step": -1}},
        "summary step a flag": {"summary": {"step": True}},
        "summary phase a list": {"summary": {"phase": ["x"]}},
        "summary phase huge": {"summary": {"phase": "x" * 100_000}},
        "name a mapping": {"name": {"a": 1}},
        "saved_at a number": {"saved_at": 3},
        "role a number": {"role": 3},
        "seed a flag": {"seed": True},
        "seed a float": {"seed": 1.5},
        "seed negative": {"seed": -4},
        "seed huge": {"seed": 2**80},
        "trail text": {"trail": "open-the-gate"},
        "trail of numbers": {"trail": [1, 2]},
        "trail key huge": {"trail": ["x" * 5000]},
        "story a list": {"story": []},
        "fingerprint a number": {"story": {"id": "test-story", "fingerprint": 3}},
        "compatible text": {"compatible": "1"},
        "from the future": {"format": 99, "compatible": 99},
    }
    out = {}
    for name, change in wrong.items():
        data = dict(base)
        for key, value in change.items():  # type: ignore[attr-defined]
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}  # type: ignore[dict-item]
            else:
                data[key] = value
        out[name] = json.dumps(data, allow_nan=True).encode()
    return out


def mutations(valid: bytes, seed: int, flips: int) -> Iterator[bytes]:
    """Every truncation of `valid`, and `flips` copies with one byte changed at random."""
    for end in range(len(valid)):
        yield valid[:end]
    rng = random.Random(seed)
    for _ in range(flips):
        data = bytearray(valid)
        data[rng.randrange(len(data))] = rng.randrange(256)
        yield bytes(data)


def special_files(folder: Path, name: str) -> list[Path]:
    """A FIFO, a folder, a link to a device and an oversize sparse file, all named `name`-N."""
    made = []
    fifo = folder / f"{name}-fifo.json"
    os.mkfifo(fifo)
    made.append(fifo)
    directory = folder / f"{name}-folder.json"
    directory.mkdir()
    made.append(directory)
    device = folder / f"{name}-device.json"
    device.symlink_to("/dev/zero")
    made.append(device)
    huge = folder / f"{name}-huge.json"
    with huge.open("wb") as handle:
        handle.truncate(1 << 30)  # sparse: a gigabyte that takes no disk
    made.append(huge)
    return made


def assert_slots_survive(store: SaveStore) -> int:
    """The slot list, Continue and loading every slot never raise anything but SaveError."""
    slots = store.slots()
    store.latest()
    damaged = 0
    for slot in slots:
        if not slot.ok:
            damaged += 1
            assert slot.error
            continue
        try:
            store.load(slot.path)
        except SaveError:
            damaged += 1
    return damaged


def test_damaged_saves_are_reported_per_slot(write_story: WriteStory) -> None:
    story = load_story(write_story())
    store = SaveStore(story)
    base = valid_save(story)
    damaged = {**DAMAGED, **save_variants(base)}
    store.folder.mkdir(parents=True, exist_ok=True)
    for index, content in enumerate(damaged.values()):
        (store.folder / f"bad-{index}.json").write_bytes(content)
    specials = special_files(store.folder, "special")
    good = store.save("good", engine.start(story, "clerk", 1))
    assert assert_slots_survive(store) == len(damaged) + len(specials)
    latest = store.latest()
    assert latest is not None and latest.path == good.path
    errors = {s.path.name: s.error for s in store.slots() if not s.ok}
    assert "named pipe" in errors["special-fifo.json"]
    assert "a device" in errors["special-device.json"]
    assert "a folder" in errors["special-folder.json"]
    assert "over the limit" in errors["special-huge.json"]
    assert all("damaged" in e or "cannot be read" in e for e in errors.values())


def test_saves_truncated_and_flipped_never_crash(write_story: WriteStory) -> None:
    story = load_story(write_story())
    store = SaveStore(story)
    valid = json.dumps(valid_save(story)).encode()
    path = store.folder / "slot.json"
    count = 0
    for content in mutations(valid, seed=14, flips=150):
        path.write_bytes(content)
        assert_slots_survive(store)
        count += 1
    assert count == len(valid) + 150


def explored_of(story: Story) -> ExploredRecord:
    record = ExploredRecord(story)
    state = engine.choose(story, engine.start(story, "guard", 9), "open-the-gate")
    record.record(state, ending="quiet", new_run=True)
    return record


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_explored_record_is_set_aside_and_reported_once(
    write_story: WriteStory, name: str
) -> None:
    story = load_story(write_story())
    record = ExploredRecord(story)
    record.path.parent.mkdir(parents=True)
    record.path.write_bytes(DAMAGED[name])
    explored = record.read()
    assert (explored.scenes, explored.choices, explored.runs) == (set(), set(), 0)
    assert "damaged" in record.damaged
    assert not record.path.exists()
    assert record.path.with_suffix(".damaged.json").read_bytes() == DAMAGED[name]


def test_explored_record_wrong_types_truncations_and_flips(write_story: WriteStory) -> None:
    story = load_story(write_story())
    valid = explored_of(story).path.read_bytes()
    base = json.loads(valid)
    variants = [
        {**base, "scenes": "one.gate"},  # a string is iterable: once read as a set of letters
        {**base, "choices": [["nested"]]},
        {**base, "endings": {"quiet": -1}},
        {**base, "endings": {"quiet": 1.5}},
        {**base, "endings": ["quiet"]},
        {**base, "runs": "3"},
        {**base, "runs": True},
    ]
    contents = [json.dumps(v).encode() for v in variants]
    contents += list(mutations(valid, seed=41, flips=100))
    damaged = 0
    for content in contents:
        record = ExploredRecord(story)
        record.path.write_bytes(content)
        explored = record.read()
        assert all(isinstance(s, str) for s in explored.scenes | explored.choices)
        assert all(type(n) is int and n >= 0 for n in explored.endings.values())
        if record.damaged:
            damaged += 1
            assert not record.path.exists()
    record.record(engine.start(story, "guard", 1))  # and play goes on writing it
    assert record.read().runs == 0
    assert damaged >= len(variants) + len(valid)


def test_explored_record_special_files(write_story: WriteStory) -> None:
    story = load_story(write_story())
    record = ExploredRecord(story)
    record.path.parent.mkdir(parents=True)
    os.mkfifo(record.path)
    assert record.read().scenes == set()
    assert "named pipe" in record.damaged


# Settings have no format number: a file of other keys is read as the defaults, silently.
SETTINGS_DAMAGED = {k: v for k, v in DAMAGED.items() if not k.startswith("format")}


def settings_file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "settings" / "settings.json"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    "content",
    [
        *SETTINGS_DAMAGED.values(),
        b'{"speed": ["fast"]}',  # unhashable: once a TypeError at every launch
        b'{"theme": {"a": 1}}',
        b'{"typewriter": "yes"}',
        b'{"speed": "warp"}',
    ],
    ids=[*SETTINGS_DAMAGED, "speed a list", "theme a mapping", "typewriter text", "unknown speed"],
)
def test_damaged_settings_give_defaults_and_say_so(tmp_path: Path, content: bytes) -> None:
    settings, message = read_settings(settings_file(tmp_path, content))
    assert settings.speed in ("normal",) and settings.theme == "exile-dark"
    assert "damaged" in message


def test_settings_truncated_flipped_and_special(tmp_path: Path) -> None:
    valid = b'{"typewriter": false, "speed": "fast", "theme": "exile-light"}'
    path = settings_file(tmp_path, valid)
    assert read_settings(path)[0].speed == "fast"
    assert read_settings(path)[1] == ""
    for content in mutations(valid, seed=7, flips=100):
        path.write_bytes(content)
        settings, _ = read_settings(path)
        assert settings.speed in ("slow", "normal", "fast")
    path.unlink()
    os.mkfifo(path)
    settings, message = read_settings(path)
    assert "named pipe" in message


def test_a_fifo_in_the_saves_folder_does_not_hang_the_slot_list(write_story: WriteStory) -> None:
    story = load_story(write_story())
    store = SaveStore(story)
    store.folder.mkdir(parents=True)
    os.mkfifo(store.folder / "trap.json")
    (slot,) = store.slots()
    assert "named pipe" in slot.error


def test_explored_record_keeps_growing_after_reads(write_story: WriteStory) -> None:
    story = load_story(write_story())
    record = explored_of(story)
    state = engine.choose(story, engine.start(story, "guard", 9), "open-the-gate")
    state = engine.choose(story, state, CONTINUE)
    explored = record.record(state)
    assert explored.runs == 1 and explored.endings == {"quiet": 1}
    assert record.damaged == ""
