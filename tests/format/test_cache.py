"""The story cache: a warm load gives exactly the story a cold load gives, or nothing."""

from __future__ import annotations

import copy
import gc
import marshal
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from exilegame import engine
from exilegame import story as story_module
from exilegame._files import shipped_scenes
from exilegame.errors import ExprFault, Where
from exilegame.expr import Compiled
from exilegame.expr.compile import FACTS, facts
from exilegame.format import cache, cachecodec, lazyscenes
from exilegame.format.lazyscenes import LazyScenes
from exilegame.format.load import load_story, load_with_problems
from exilegame.story import Scene
from story_texts import PHASE_ONE

WriteStory = Callable[..., Path]


def cold_and_warm(folder: Path):  # type: ignore[no-untyped-def]
    cold = load_with_problems(folder, use_cache=False)
    first = load_with_problems(folder)  # writes the cache (on a background thread)
    warm = load_with_problems(folder)  # waits for that write, then reads it
    assert first == cold
    assert isinstance(gc.get_referents(warm[0].scenes)[0], LazyScenes)  # from the cache
    return cold, warm


def slot_of(folder: Path) -> Path:
    """The folder's cache file, once this process's writes are done."""
    cache.wait()
    [slot] = cache.cache_dir().glob("*.marshal")
    return slot


def no_reload() -> Mapping[str, Scene]:
    raise AssertionError("a scene entry did not decode")


def test_warm_load_equals_cold_load_for_the_shipped_story() -> None:
    (cold, cold_problems), (warm, warm_problems) = cold_and_warm(shipped_scenes())
    assert cold is not None and warm is not None
    assert warm == cold and warm is not cold
    assert warm_problems == cold_problems
    trail = []
    state = engine.start(warm, "secretary", 4)
    while options := [o for o in engine.choices(warm, state) if o.enabled]:
        state = engine.choose(warm, state, options[-1].id)
        trail.append(state.choice)
    assert engine.replay(cold, "secretary", 4, trail) == state


def test_cache_file_is_used_and_invalidated_by_any_edit(write_story: WriteStory) -> None:
    folder = write_story()
    load_story(folder)
    slot_of(folder)
    one = folder / "one.yaml"
    one.write_text(one.read_text().replace("A knock at the gate.", "A louder knock."))
    story = load_story(folder)
    assert engine.text(story, engine.start(story, "guard", 1)) == ["A louder knock."]
    slot_of(folder)  # one file per folder


def test_warnings_come_back_from_the_cache(write_story: WriteStory) -> None:
    folder = write_story(three_yaml=PHASE_ONE)
    (_, cold), (_, warm) = cold_and_warm(folder)
    assert [p.message for p in warm] == [p.message for p in cold]
    assert warm[0].path == folder / "three.yaml"


def test_story_with_errors_is_not_cached(write_story: WriteStory) -> None:
    folder = write_story(one_yaml=PHASE_ONE.replace("go: hall", "go: hal", 1))
    story, problems = load_with_problems(folder)
    assert story is None and problems
    cache.wait()
    assert list(cache.cache_dir().glob("*.marshal")) == []


@pytest.mark.parametrize("content", [b"", b"garbage", marshal.dumps((1, "key"))])
def test_damaged_cache_is_ignored(write_story: WriteStory, content: bytes) -> None:
    folder = write_story()
    expected = load_story(folder)
    slot = slot_of(folder)
    slot.write_bytes(content)
    assert load_story(folder) == expected


def forge(folder: Path, change: Callable[[list[Any], bytes], bytes | None]) -> None:
    """Rewrite the folder's cache file: `change` edits the head in place and may return
    other scene entries; the checksum is made to match, as a forger would."""
    slot = slot_of(folder)
    body = cache.unseal(slot.read_bytes())
    assert body is not None
    head, entries = cachecodec.split(body)
    head = list(head)
    new_entries = change(head, bytes(entries))
    if new_entries is None:
        new_entries = bytes(entries)
    slot.write_bytes(cache.seal(cachecodec.join(tuple(head), new_entries)))


def forge_title(folder: Path, title: object) -> None:
    """Rewrite the cached story so that its title is `title`, an encoded value."""

    def change(head: list[Any], entries: bytes) -> None:
        tag, name, fields = head[4]
        assert (tag, name) == ("d", "Story")
        fields[1] = title  # Story.title

    forge(folder, change)


def cached(folder: Path) -> object:
    key = cache.files_key(folder, {p: p.read_bytes() for p in folder.glob("*.yaml")})
    return cache.read(folder, key, no_reload)


def test_cache_decoder_builds_whitelisted_classes_only(write_story: WriteStory) -> None:
    folder = write_story()
    expected = load_story(folder)
    # a whitelisted class in the forged place is built: the forgery itself works...
    forge_title(folder, ("d", "Where", [("p", 0), 1, 2]))
    found = cached(folder)
    assert found is not None and isinstance(found[0].title, Where)  # type: ignore[index]
    # ...so each of these would be built too, were its name in the whitelist
    for name, args in [
        ("Popen", [[sys.executable, "-c", "pass"]]),
        ("system", ["true"]),
        ("eval", ["1"]),
        ("type", ["X", [], ("m", [])]),
        ("LazyScenes", [("m", [])]),
        ("Path", ["/"]),
        ("MappingProxyType", [("m", [])]),
    ]:
        forge_title(folder, ("d", name, args))
        assert cached(folder) is None, name
        assert load_story(folder) == expected  # the forged cache is ignored, the files reread
    # and the whitelist holds the model's own classes, nothing else
    assert {c.__module__ for c in cachecodec.CLASSES.values()} == {
        story_module.__name__,
        "exilegame.errors",
    }


@pytest.mark.parametrize(
    "row",
    [
        ("call", "trust > 1", "", 0),  # no such kind
        ("if", 7, "", 0),  # not a text
        ("if", "trust > 1", "", "0"),  # a site that is not a number
        ("if", "trust > 1", "", 0, "flag"),  # facts that are not facts
        ("if", "trust > 1"),  # too short
    ],
)
def test_malformed_expression_rows_are_a_miss(write_story: WriteStory, row: Any) -> None:
    folder = write_story()
    expected = load_story(folder)

    def change(head: list[Any], entries: bytes) -> None:
        first = head[3][0]
        head[3] = [row if len(row) != 4 else (*row, first[4]), *head[3][1:]]

    forge(folder, change)
    assert cached(folder) is None
    assert load_story(folder) == expected


def cached_expressions(story: Any) -> list[Compiled]:
    """Every expression of a story, in the order of its scenes and choices."""
    found: list[Compiled] = []
    for scene in story.scenes.values():
        found += [p.condition for p in scene.text if p.condition]
        for choice in scene.choices:
            found += [e for e in (choice.condition, choice.effect) if e is not None]
    return found


def test_a_load_from_the_cache_checks_no_expression(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facts a check found (what an expression reads, writes...) come from the cache as
    they were; checking every expression again was most of a launch's load."""
    from exilegame.expr import parse as expr_parse

    folder = write_story()
    cold, _ = load_with_problems(folder, use_cache=False)
    load_with_problems(folder)
    cache.wait()

    def no_check(*_: object) -> None:
        raise AssertionError("an expression was checked at load")

    with monkeypatch.context() as patched:
        patched.setattr(expr_parse, "parse", no_check)
        warm, _ = load_with_problems(folder)
        assert warm is not None and cold is not None
        warm_exprs = cached_expressions(warm)  # decodes every scene, still no check
    cold_exprs = cached_expressions(cold)
    assert [c.source for c in warm_exprs] == [c.source for c in cold_exprs]
    assert [facts(c) for c in warm_exprs] == [facts(c) for c in cold_exprs]
    assert all(c.function.__name__ == "first_use" for c in warm_exprs)


def test_expression_facts_of_the_shipped_story_come_back_from_the_cache() -> None:
    cold, _ = load_with_problems(shipped_scenes(), use_cache=False)
    load_with_problems(shipped_scenes())
    warm, _ = load_with_problems(shipped_scenes())
    cold_exprs, warm_exprs = cached_expressions(cold), cached_expressions(warm)
    assert len(warm_exprs) > 100
    assert [facts(c) for c in warm_exprs] == [facts(c) for c in cold_exprs]
    assert warm is not None and cold is not None and warm.uses_turns == cold.uses_turns


def forge_expression(folder: Path, source: str | None = None, **changed: object) -> str:
    """Rewrite the first cached expression: its text and some of its facts; its old text."""
    old: list[str] = []

    def change(head: list[Any], entries: bytes) -> None:
        kind, text, phase, site, found = head[3][0]
        old.append(text)
        found = tuple(changed.get(name, value) for name, value in zip(FACTS, found, strict=True))
        head[3] = [(kind, source or text, phase, site, found), *head[3][1:]]

    forge(folder, change)
    return old[0]


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').remove(MARKER)",  # not an expression we allow
        "trust = ",  # does not parse
        "trust",  # a number, not a flag or an assignment
        "trust > 1\0",  # a NUL byte
    ],
)
def test_a_forged_expression_is_refused_at_first_use(write_story: WriteStory, source: str) -> None:
    """An expression text that does not check, forged into the cache with a matching
    checksum, is found when the story's expressions are first used: no code is made from it,
    it acts as an expression that cannot be computed (its condition does not hold, its effect
    is not taken), the others work, and the cache file is removed, so that the next launch
    reads the files."""
    folder = write_story()
    marker = folder / "marker"
    marker.write_text("")
    expected = load_story(folder)
    slot = slot_of(folder)
    forge_expression(folder, source.replace("MARKER", repr(str(marker))))
    found = cached(folder)
    assert found is not None  # the forgery is not seen at load...
    story = found[0]  # type: ignore[index]
    forged, *others = cached_expressions(story)
    assert slot.exists()
    with pytest.raises(ExprFault, match="does not check"):
        forged.function({"trust": 3, "warned": False}, None)  # ...but at first use
    assert marker.exists() and not slot.exists()
    assert all(c.function.__name__ != "first_use" for c in others)
    assert load_story(folder) == expected


def test_forged_facts_are_corrected_at_first_use(write_story: WriteStory) -> None:
    folder = write_story()
    cold = load_story(folder)
    slot = slot_of(folder)
    forge_expression(folder, reads=frozenset({"nothing"}), divides=True)
    story = cached(folder)[0]  # type: ignore[index]
    first = cached_expressions(story)[0]
    truth = cached_expressions(cold)[0]
    assert (first.reads, first.divides) == ({"nothing"}, True)  # as the cache said
    engine.choices(story, engine.start(story, "guard", 1))  # the first use
    assert facts(first) == facts(truth) and not slot.exists()


@pytest.mark.parametrize("forged", [("x", "unknown tag"), ("d",), ("c", 10_000), ("p", -99)])
def test_forged_tags_are_a_miss(write_story: WriteStory, forged: object) -> None:
    folder = write_story()
    expected = load_story(folder)
    forge_title(folder, forged)
    assert cached(folder) is None
    assert load_story(folder) == expected


def test_chance_sites_survive_the_cache(write_story: WriteStory) -> None:
    text = PHASE_ONE.replace('if: role == "guard"', "if: chance(50) and chance(30)")
    folder = write_story(one_yaml=text)
    (cold, _), (warm, _) = cold_and_warm(folder)
    assert cold is not None and warm is not None
    for seed in range(30):
        a = [o.id for o in engine.choices(cold, engine.start(cold, "guard", seed))]
        b = [o.id for o in engine.choices(warm, engine.start(warm, "guard", seed))]
        assert a == b


def test_cache_can_be_turned_off(write_story: WriteStory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXILEGAME_NO_CACHE", "1")
    load_story(write_story())
    assert not cache.cache_dir().exists()


def test_every_flipped_byte_or_truncation_of_the_cache_is_a_miss(write_story: WriteStory) -> None:
    """Before the checksum, a flipped byte failed every later load or changed a text."""
    folder = write_story()
    expected, _ = load_with_problems(folder, use_cache=False)
    load_story(folder)
    slot = slot_of(folder)
    valid = slot.read_bytes()
    rng = random.Random(14)
    damaged = [valid[: rng.randrange(len(valid))] for _ in range(50)]
    for _ in range(250):
        data = bytearray(valid)
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        damaged.append(bytes(data))
    assert cached(folder) is not None
    for content in damaged:
        slot.write_bytes(content)
        assert cached(folder) is None
    for content in damaged[::60]:  # and the load that follows a miss is the normal one
        slot.write_bytes(content)
        story, problems = load_with_problems(folder)
        assert story == expected and problems == []
        assert slot_of(folder).read_bytes() == valid  # the miss wrote the cache anew


def test_any_exception_while_decoding_is_a_miss(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_story()
    expected = load_story(folder)

    def broken(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(cachecodec, "decode", broken)
    assert load_story(folder) == expected


def test_a_cache_slot_that_is_not_a_regular_file_is_a_miss(write_story: WriteStory) -> None:
    folder = write_story()
    expected = load_story(folder)
    slot = slot_of(folder)
    slot.unlink()
    os.mkfifo(slot)  # an ordinary read would block for ever
    assert load_story(folder) == expected


# -- scenes decoded on demand ---------------------------------------------------------------


def test_lazily_decoded_scenes_behave_as_the_cold_mapping(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazyscenes, "BLOCK", 1)  # one scene at a time (see the next test)
    (cold, _), (warm, _) = cold_and_warm(write_story())
    assert cold is not None and warm is not None
    lazy = gc.get_referents(warm.scenes)[0]
    ids = list(cold.scenes)
    assert len(ids) > 2 and dict.__len__(lazy) == 0  # nothing decoded at open
    # one scene asked for, out of order: decoded alone, equal to the cold one
    assert warm.scenes[ids[-1]] == cold.scenes[ids[-1]]
    assert warm.scenes[ids[-1]] is warm.scenes[ids[-1]]  # decoded once
    assert dict.__len__(lazy) == 1
    # and the mapping answers for every scene all the same, in file order
    assert list(warm.scenes) == ids and len(warm.scenes) == len(ids)
    assert ids[0] in warm.scenes and "one.nowhere" not in warm.scenes and 3 not in warm.scenes
    assert warm.scenes.get(ids[1]) == cold.scenes[ids[1]]
    assert warm.scenes.get("one.nowhere") is None and warm.scenes.get("x", 5) == 5
    with pytest.raises(KeyError):
        warm.scenes["one.nowhere"]
    assert list(reversed(warm.scenes)) == ids[::-1]
    assert warm.scenes == cold.scenes and cold.scenes == warm.scenes
    assert not warm.scenes.__ne__(cold.scenes)
    assert warm.scenes != {**cold.scenes, ids[0]: cold.scenes[ids[1]]}
    assert list(warm.scenes.keys()) == ids
    assert list(warm.scenes.values()) == list(cold.scenes.values())
    assert list(warm.scenes.items()) == list(cold.scenes.items())
    assert dict(warm.scenes) == dict(cold.scenes) and list(dict(warm.scenes)) == ids
    assert warm.scenes.copy() == dict(cold.scenes)
    assert list(warm.scenes | {}) == ids
    assert repr(warm.scenes).startswith("mappingproxy({'one.gate': Scene(id='one.gate'")
    assert copy.deepcopy(lazy) == cold.scenes and type(copy.copy(lazy)) is dict
    assert list(dict.__iter__(lazy)) == ids  # every scene decoded: in file order
    with pytest.raises(TypeError):
        warm.scenes[ids[0]] = cold.scenes[ids[0]]  # type: ignore[index]
    with pytest.raises(TypeError):
        hash(lazy)


def test_a_scene_is_decoded_with_the_others_of_its_block(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scenes are decoded BLOCK at a time, in file order: the block of the scene asked for,
    and only it; each is the cold one, keyed by the string its targets hold."""
    monkeypatch.setattr(lazyscenes, "BLOCK", 2)
    (cold, _), (warm, _) = cold_and_warm(write_story())
    assert cold is not None and warm is not None
    lazy = gc.get_referents(warm.scenes)[0]
    ids = list(cold.scenes)
    assert len(ids) >= 4
    assert warm.scenes[ids[3]] == cold.scenes[ids[3]]
    assert sorted(dict.keys(lazy)) == sorted(ids[2:4])
    assert warm.scenes[ids[2]] is dict.__getitem__(lazy, ids[2])
    assert warm.scenes[ids[0]] == cold.scenes[ids[0]]
    assert sorted(dict.keys(lazy)) == sorted(ids[:4])
    assert list(warm.scenes.values()) == list(cold.scenes.values())
    assert list(dict.__iter__(lazy)) == ids  # complete: in file order


def test_the_checker_and_the_explorer_read_every_scene_from_the_cache(
    write_story: WriteStory,
) -> None:
    from exilegame.authoring.check import analyse
    from exilegame.authoring.explore.search import explore_exhaustive

    (cold, _), (warm, _) = cold_and_warm(write_story())
    assert cold is not None and warm is not None
    assert analyse(warm) == analyse(cold)
    found = [explore_exhaustive(story).to_dict() for story in (warm, cold)]
    for report in found:
        for timing in ("elapsed", "cpu_s", "states_per_s", "peak_mb"):
            report.pop(timing, None)
    assert found[0] == found[1]


def scene_rows(folder: Path) -> list[Any]:
    """The scenes' flat tuples in the folder's cache file, in file order."""
    body = cache.unseal(slot_of(folder).read_bytes())
    assert body is not None
    head, entries = cachecodec.split(body)
    offsets = head[8]
    return [
        row
        for number in range(len(offsets) - 1)
        for row in marshal.loads(entries[offsets[number] : offsets[number + 1]])
    ]


def forge_scene(folder: Path, index: int, entry: bytes) -> None:
    """Put the scene `entry` (marshalled) in place of the index-th scene in its block of the
    folder's cache file; an `entry` that does not unmarshal replaces the whole block."""

    def change(head: list[Any], entries: bytes) -> bytes:
        block, offsets = head[7], head[8]
        number = index // block
        old = entries[offsets[number] : offsets[number + 1]]
        try:
            row = marshal.loads(entry)
        except (EOFError, ValueError):
            new = entry
        else:
            rows = list(marshal.loads(old))
            rows[index % block] = row
            new = marshal.dumps(tuple(rows))
        shift = len(new) - len(old)
        head[8] = offsets[: number + 1] + [o + shift for o in offsets[number + 1 :]]
        return entries[: offsets[number]] + new + entries[offsets[number + 1] :]

    forge(folder, change)


@pytest.mark.parametrize(
    "entry",
    [
        b"",  # does not unmarshal
        marshal.dumps(("Popen", ["true"])),  # of the wrong shape
        marshal.dumps(tuple(range(12))),  # right length, wrong values
        marshal.dumps(("two.street",) + (None,) * 11),  # another scene's id
    ],
)
def test_a_scene_entry_that_does_not_decode_is_read_from_the_files(
    write_story: WriteStory, entry: bytes
) -> None:
    """The file's checksum is checked at open, so only a forger (or a faulty encoder) can
    make an entry that does not decode: the scenes then come from the files, in play."""
    folder = write_story()
    expected = load_story(folder)
    forge_scene(folder, 0, entry)
    story = load_story(folder)
    assert isinstance(gc.get_referents(story.scenes)[0], LazyScenes)  # the head was fine
    first = next(iter(expected.scenes))
    assert story.scenes[first] == expected.scenes[first]
    assert story.scenes == expected.scenes and story == expected
    assert list(cache.cache_dir().glob("*.marshal")) == []  # the damaged file is gone


def _position(values: tuple[Any, ...], at: object) -> tuple[Any, ...]:
    return (*values[:11], at)


def _first_target(values: tuple[Any, ...], target: object) -> tuple[Any, ...]:
    first = values[6][0]
    return (*values[:6], ((*first[:3], target, *first[4:]), *values[6][1:]), *values[7:])


@pytest.mark.parametrize(
    "forged",
    [
        lambda v: _position(v, -1),  # a position out of range
        lambda v: _position(v, 10**30),  # beyond the table of paths
        lambda v: _position(v, (0, 1, 1)),  # of the wrong shape
        lambda v: _first_target(v, 999),  # a scene number out of range
        lambda v: _first_target(v, -1),  # a negative one
        lambda v: _first_target(v, 1.5),  # neither a number nor an id
    ],
)
def test_a_forged_position_or_scene_number_is_read_from_the_files(
    write_story: WriteStory, forged: Callable[[tuple[Any, ...]], tuple[Any, ...]]
) -> None:
    """Positions (packed in one int) and scene ids (numbers in the head's list) are checked
    when the scene is decoded, not when a message first asks for a `where`."""
    folder = write_story()
    expected = load_story(folder)
    forge_scene(folder, 0, marshal.dumps(forged(scene_rows(folder)[0])))
    story = load_story(folder)
    first = next(iter(expected.scenes))
    assert story.scenes[first] == expected.scenes[first]
    assert story.scenes[first].where == expected.scenes[first].where
    assert list(cache.cache_dir().glob("*.marshal")) == []  # the damaged file is gone


def test_decoded_scenes_share_their_ids_and_repeated_strings(write_story: WriteStory) -> None:
    """A target is the very string its scene is keyed by (a lookup matches it by identity),
    equal texts of the scenes of a block are one object, and `where` is made when asked
    for, equal to the loader's, and survives copies, pickles and `replace`."""
    import dataclasses

    (cold, _), (warm, _) = cold_and_warm(write_story())
    assert cold is not None and warm is not None
    scenes = list(warm.scenes.values())
    lazy = gc.get_referents(warm.scenes)[0]
    keys = {k: k for k in dict.keys(lazy)}
    for scene in scenes:
        assert keys[scene.id] is scene.id
        for choice in scene.choices:
            assert choice.target is warm.scenes[choice.target].id
    housed = [s for s in scenes if s.place == "house"]
    assert len(housed) > 2 and all(s.place is housed[0].place for s in housed)
    for scene, made in zip(scenes, cold.scenes.values(), strict=True):
        assert not any(isinstance(o, Where) for o in gc.get_referents(scene))  # not yet made
        assert scene.where == made.where and scene.where is not None
        for choice, was in zip(scene.choices, made.choices, strict=True):
            assert choice.where == was.where and choice.where is not None
            assert choice.__getstate__()[-1] == was.where  # what a pickle holds
            assert copy.copy(choice).where == was.where
            assert dataclasses.replace(choice, note="x").where == was.where
            assert repr(choice).endswith(f"where={was.where!r})")
        with pytest.raises(dataclasses.FrozenInstanceError):
            scene.where = made.where


@pytest.mark.parametrize("block", [0, -1, "32", 1])
def test_a_forged_block_size_is_a_miss(write_story: WriteStory, block: object) -> None:
    """The head says how many scenes a block's entry holds; a size that does not fit the
    entries is a miss at open (the files are parsed), never a surprise in play."""
    folder = write_story()
    load_story(folder)

    def change(head: list[Any], entries: bytes) -> None:
        head[7] = block

    forge(folder, change)
    assert cached(folder) is None


def test_a_block_of_the_wrong_length_is_read_from_the_files(write_story: WriteStory) -> None:
    folder = write_story()
    expected = load_story(folder)

    def change(head: list[Any], entries: bytes) -> bytes:
        shorter = marshal.dumps(marshal.loads(entries)[:-1])
        head[8] = [0, len(shorter)]
        return shorter

    forge(folder, change)
    story = load_story(folder)
    assert isinstance(gc.get_referents(story.scenes)[0], LazyScenes)  # the head was fine
    assert story.scenes == expected.scenes


def test_a_damaged_entry_after_the_files_changed_is_a_load_error(
    write_story: WriteStory,
) -> None:
    from exilegame.errors import LoadError

    folder = write_story()
    load_story(folder)
    forge_scene(folder, 0, b"")
    story = load_story(folder)
    one = folder / "one.yaml"
    one.write_text(one.read_text().replace("A knock at the gate.", "A louder knock."))
    with pytest.raises(LoadError) as caught:
        story.scenes[next(iter(story.scenes))]
    assert "changed since the story was loaded" in caught.value.problems[0].message


def test_the_shipped_story_decodes_without_reading_the_files() -> None:
    """Every field of the model has a form in the cache (no entry falls back to a reload)."""
    folder = shipped_scenes()
    cold, _ = load_with_problems(folder, use_cache=False)
    load_with_problems(folder)
    cache.wait()
    warm = cached(folder)  # its reload raises
    assert warm is not None and cold is not None
    assert warm[0].scenes == cold.scenes  # type: ignore[index]


# -- the write, on a background thread ------------------------------------------------------


def test_a_load_waits_for_the_pending_write_of_its_folder(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    folder = write_story()
    encode = cachecodec.encode
    started = threading.Event()

    def slow(*args: Any) -> bytes:
        started.set()
        time.sleep(0.3)
        return encode(*args)

    monkeypatch.setattr(cachecodec, "encode", slow)
    first = load_story(folder)
    assert started.wait(5)
    assert list(cache.cache_dir().glob("*.marshal")) == []  # still being written
    second = load_story(folder)  # a hit: it waited rather than parse again
    assert isinstance(gc.get_referents(second.scenes)[0], LazyScenes)
    assert second == first


def test_a_write_that_fails_is_harmless(write_story: WriteStory, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    folder = write_story()
    expected, _ = load_with_problems(folder, use_cache=False)
    assert load_story(folder) == expected
    cache.wait()
    assert load_story(folder) == expected


def test_the_process_finishes_a_pending_write_when_it_exits(
    write_story: WriteStory, tmp_path: Path
) -> None:
    """A first launch that ends at once (`exilegame check`, a quit on the title screen)
    leaves a complete cache file, never a half-written one."""
    folder = write_story()
    program = textwrap.dedent(
        f"""
        import sys
        from exilegame.format import cachecodec
        from exilegame.format.load import load_story
        encode = cachecodec.encode
        def slow(*args):
            import time
            time.sleep(0.3)
            return encode(*args)
        cachecodec.encode = slow
        load_story({str(folder)!r})
        sys.exit(0)
        """
    )
    env = {**os.environ, "EXILEGAME_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-c", program], check=True, env=env, timeout=60)
    assert cached(folder) is not None
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [slot_of(folder).name]


def test_the_newest_of_two_pending_writes_is_the_one_kept(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writes of one folder under way at once: the later one is left in the file."""
    import threading
    import time

    folder = write_story()
    old, _ = load_with_problems(folder, use_cache=False)
    one = folder / "one.yaml"
    one.write_text(one.read_text().replace("A knock at the gate.", "A louder knock."))
    new, _ = load_with_problems(folder, use_cache=False)
    assert old is not None and new is not None
    encode = cachecodec.encode
    delays = iter([0.4, 0.0])

    def uneven(*args: Any) -> bytes:
        time.sleep(next(delays))
        return encode(*args)

    monkeypatch.setattr(cachecodec, "encode", uneven)
    cache.write(folder, "old key", old, [])  # the slow one
    key = cache.files_key(folder, {p: p.read_bytes() for p in folder.glob("*.yaml")})
    cache.write(folder, key, new, [])
    cache.wait()
    for thread in threading.enumerate():  # every write has ended: the slow one too
        if thread.name == "exilegame-cache-write":
            thread.join()
    again = cached(folder)
    assert again is not None and again[0] == new  # type: ignore[index]


def test_a_load_served_by_the_cache_imports_no_parser(tmp_path: Path) -> None:
    """A launch from the cache needs neither the YAML reader nor the checks: `build` and what
    it imports stay out of the process (they cost start-up time for nothing)."""
    probe = (
        "import sys\n"
        "from exilegame.format import cache\n"
        "from exilegame.format.load import load_with_problems\n"
        "story, _ = load_with_problems(sys.argv[1])\n"
        "cache.wait()\n"
        "print(sorted(m for m in sys.modules if m == 'yaml' or m.startswith("
        "('exilegame.format.build', 'exilegame.format.yamlsrc', 'exilegame.format.manifest'))))\n"
    )
    env = {**os.environ, "EXILEGAME_CACHE_DIR": str(tmp_path / "cache")}
    run = [sys.executable, "-c", probe, str(shipped_scenes())]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    assert "exilegame.format.build" in first  # nothing cached yet: parsed
    second = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    assert second.strip() == "[]"


def test_scenes_are_built_fast_and_the_same_as_by_their_classes() -> None:
    """A scene from the cache has its slots set directly (`lazyscenes.FAST`), which gives
    the same objects as calling the classes. FAST is off, and the classes are called, once
    a class a scene is made of changes its fields: then update `lazyscenes._LAYOUT` and the
    builders beside it, or this test fails."""
    assert lazyscenes.FAST
    folder = shipped_scenes()
    cold, _ = load_with_problems(folder, use_cache=False)
    assert cold is not None
    load_with_problems(folder)
    body = cache.unseal(slot_of(folder).read_bytes())
    assert body is not None
    head, _ = cachecodec.split(body)
    decoder = cachecodec._Decoder(head[1], head[6], head[2], head[3])
    for values, scene in zip(scene_rows(folder), cold.scenes.values(), strict=True):
        fast, slow = decoder.scene(values), decoder.build(Scene, values)
        assert fast == slow == scene
        assert fast.where == slow.where == scene.where  # not compared by ==
        assert [c.where for c in fast.choices] == [c.where for c in scene.choices]
        assert [(p.text, p.condition and p.condition.source) for p in fast.text] == [
            (p.text, p.condition and p.condition.source) for p in scene.text
        ]


def test_expressions_from_the_cache_are_generated_on_first_use(
    write_story: WriteStory,
) -> None:
    """A launch from the cache compiles no expression code until one is used; the first use
    generates all of them, and they give the same answers as a story parsed from its files."""
    (cold, _), (warm, _) = cold_and_warm(write_story())
    assert cold is not None and warm is not None
    scene = warm.scenes[warm.start]
    conditions = [c.condition for s in warm.scenes.values() for c in s.choices if c.condition]
    assert conditions
    assert all(c.function.__name__ == "first_use" for c in conditions)
    walk = engine.start(warm, next(iter(warm.roles)), 1)
    assert [o.id for o in engine.choices(warm, walk)] == [
        o.id for o in engine.choices(cold, engine.start(cold, next(iter(cold.roles)), 1))
    ]
    assert not any(c.function.__name__ == "first_use" for c in conditions)
    assert scene is warm.scenes[warm.start]


def test_a_story_dropped_unplayed_leaves_no_cycle(write_story: WriteStory) -> None:
    """The stand-ins of expressions not yet generated hold them weakly: with the cyclic
    collector off, dropping a story from the cache frees it (a loaded story is frozen out of
    the collector's reach, so a cycle would be kept for good)."""
    import weakref

    folder = write_story()
    load_with_problems(folder)
    cache.wait()
    collecting = gc.isenabled()
    gc.disable()
    try:
        warm, _ = load_with_problems(folder)
        assert warm is not None
        for scene in warm.scenes.values():  # decode every scene, with its expressions
            assert scene.id
        gone = weakref.ref(
            next(c for s in warm.scenes.values() for c in s.choices if c.condition).condition
        )  # type: ignore[arg-type]
        del warm, scene
        assert gone() is None
    finally:
        if collecting:
            gc.enable()


def test_scenes_decoded_for_a_long_lived_story_are_frozen_in_batches(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`load_story` keeps its story out of the cyclic collector's scans; scenes decoded
    later from the cache join it every FREEZE_EVERY scenes. A story from
    `load_with_problems` (nobody made it long-lived) is never frozen by its scenes."""
    monkeypatch.setattr(lazyscenes, "FREEZE_EVERY", 2)
    monkeypatch.setattr(lazyscenes, "BLOCK", 1)  # as the cache is written
    folder = write_story()
    load_with_problems(folder)  # writes the cache
    cache.wait()
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    plain, _ = load_with_problems(folder)
    assert plain is not None
    assert [s.id for s in plain.scenes.values()] and not frozen
    story = load_story(folder)
    assert isinstance(gc.get_referents(story.scenes)[0], LazyScenes)
    frozen.clear()  # the freeze of load_story itself
    ids = list(story.scenes)
    assert len(ids) >= 4
    story.scenes[ids[0]]
    assert not frozen
    story.scenes[ids[0]]  # a scene decoded already is not counted again
    assert not frozen
    story.scenes[ids[1]]
    assert len(frozen) == 1
    story.scenes[ids[2]]
    story.scenes[ids[3]]
    assert len(frozen) == 2


def test_a_long_lived_story_from_the_cache_leaves_its_scenes_out_of_the_scans(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_story()
    load_with_problems(folder)
    cache.wait()
    monkeypatch.setattr(lazyscenes, "FREEZE_EVERY", 1)
    story = load_story(folder)
    scene = story.scenes[story.start]
    scanned = {id(o) for o in gc.get_objects()}
    assert id(scene) not in scanned and id(scene.choices) not in scanned
    assert not any(id(c) in scanned for c in scene.choices)
