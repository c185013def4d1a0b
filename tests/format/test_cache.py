"""The story cache: a warm load gives exactly the story a cold load gives, or nothing."""

from __future__ import annotations

import marshal
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame import engine
from exilegame import story as story_module
from exilegame._files import shipped_scenes
from exilegame.errors import Where
from exilegame.format import cache
from exilegame.format.load import load_story, load_with_problems
from story_texts import PHASE_ONE

WriteStory = Callable[..., Path]


def cold_and_warm(folder: Path):  # type: ignore[no-untyped-def]
    cold = load_with_problems(folder, use_cache=False)
    first = load_with_problems(folder)  # writes the cache
    warm = load_with_problems(folder)  # reads it
    assert first == cold
    return cold, warm


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
    assert len(list(cache.cache_dir().glob("*.marshal"))) == 1
    one = folder / "one.yaml"
    one.write_text(one.read_text().replace("A knock at the gate.", "A louder knock."))
    story = load_story(folder)
    assert engine.text(story, engine.start(story, "guard", 1)) == ["A louder knock."]
    assert len(list(cache.cache_dir().glob("*.marshal"))) == 1  # one file per folder


def test_warnings_come_back_from_the_cache(write_story: WriteStory) -> None:
    folder = write_story(three_yaml=PHASE_ONE)
    (_, cold), (_, warm) = cold_and_warm(folder)
    assert [p.message for p in warm] == [p.message for p in cold]
    assert warm[0].path == folder / "three.yaml"


def test_story_with_errors_is_not_cached(write_story: WriteStory) -> None:
    folder = write_story(one_yaml=PHASE_ONE.replace("go: hall", "go: hal", 1))
    story, problems = load_with_problems(folder)
    assert story is None and problems
    assert list(cache.cache_dir().glob("*.marshal")) == []


@pytest.mark.parametrize("content", [b"", b"garbage", marshal.dumps((1, "key"))])
def test_damaged_cache_is_ignored(write_story: WriteStory, content: bytes) -> None:
    folder = write_story()
    expected = load_story(folder)
    [slot] = cache.cache_dir().glob("*.marshal")
    slot.write_bytes(content)
    assert load_story(folder) == expected


def forge_title(folder: Path, title: object) -> None:
    """Rewrite the cached story so that its title is `title`, an encoded value."""
    [slot] = cache.cache_dir().glob("*.marshal")
    body = cache.unseal(slot.read_bytes())
    assert body is not None
    data = list(marshal.loads(body))
    tag, name, fields = data[3]
    assert (tag, name) == ("d", "Story")
    fields[1] = title  # Story.title
    slot.write_bytes(cache.seal(marshal.dumps(tuple(data))))


def cached(folder: Path) -> object:
    return cache.read(
        folder, cache.files_key(folder, {p: p.read_bytes() for p in folder.glob("*.yaml")})
    )


def test_cache_decoder_builds_whitelisted_classes_only(write_story: WriteStory) -> None:
    folder = write_story()
    expected = load_story(folder)
    # a whitelisted class in the forged place is built: the forgery itself works...
    forge_title(folder, ("d", "Where", [("p", "x.yaml"), 1, 2]))
    found = cached(folder)
    assert found is not None and isinstance(found[0].title, Where)  # type: ignore[index]
    # ...so each of these would be built too, were its name in the whitelist
    for name, args in [
        ("Popen", [[sys.executable, "-c", "pass"]]),
        ("system", ["true"]),
        ("eval", ["1"]),
        ("type", ["X", [], ("m", [])]),
        ("Path", ["/"]),
        ("MappingProxyType", [("m", [])]),
    ]:
        forge_title(folder, ("d", name, args))
        assert cached(folder) is None, name
        assert load_story(folder) == expected  # the forged cache is ignored, the files reread
    # and the whitelist holds the model's own classes, nothing else
    assert {c.__module__ for c in cache._CLASSES.values()} == {
        story_module.__name__,
        "exilegame.errors",
    }


@pytest.mark.parametrize(
    "forged",
    [
        ("c", "if", "__import__('os').system('true')", "", 0),  # not an expression we allow
        ("c", "do", "trust = ", "", 0),  # does not parse
        ("x", "unknown tag"),
        ("d",),
    ],
)
def test_forged_expressions_and_tags_are_a_miss(write_story: WriteStory, forged: object) -> None:
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
    [slot] = cache.cache_dir().glob("*.marshal")
    valid = slot.read_bytes()
    rng = random.Random(14)
    damaged = [valid[: rng.randrange(len(valid))] for _ in range(50)]
    for _ in range(250):
        data = bytearray(valid)
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        damaged.append(bytes(data))
    key = cache.files_key(folder, {p: p.read_bytes() for p in folder.glob("*.yaml")})
    assert cache.read(folder, key) is not None
    for content in damaged:
        slot.write_bytes(content)
        assert cache.read(folder, key) is None
    for content in damaged[::60]:  # and the load that follows a miss is the normal one
        slot.write_bytes(content)
        story, problems = load_with_problems(folder)
        assert story == expected and problems == []
        assert slot.read_bytes() == valid  # the miss wrote the cache anew


def test_any_exception_while_decoding_is_a_miss(
    write_story: WriteStory, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_story()
    expected = load_story(folder)

    def broken(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(cache._Decoder, "story_and_problems", broken)
    assert load_story(folder) == expected


def test_a_cache_slot_that_is_not_a_regular_file_is_a_miss(write_story: WriteStory) -> None:
    folder = write_story()
    expected = load_story(folder)
    [slot] = cache.cache_dir().glob("*.marshal")
    slot.unlink()
    os.mkfifo(slot)  # an ordinary read would block for ever
    assert load_story(folder) == expected
