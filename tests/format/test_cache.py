"""The story cache: a warm load gives exactly the story a cold load gives, or nothing."""

from __future__ import annotations

import marshal
from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame import engine
from exilegame._files import shipped_scenes
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
    while options := engine.choices(warm, state):
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


def test_cache_builds_only_whitelisted_classes(write_story: WriteStory) -> None:
    folder = write_story()
    load_story(folder)
    [slot] = cache.cache_dir().glob("*.marshal")
    data = marshal.loads(slot.read_bytes())
    forged = (data[0], data[1], data[2], ("d", "Popen", [["sh", "-c", "true"]]), [])
    slot.write_bytes(marshal.dumps(forged))
    assert load_story(folder) is not None  # the forged entry was refused, the story reloaded


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
