"""Reading only regular files of bounded size; atomic writes survive SIGKILL at any point;
the temporary files of killed writes are cleaned up at the next start."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from exilegame import engine
from exilegame._files import UnreadableFile, clean_stale, read_regular, write_atomic
from exilegame.format.load import load_story
from exilegame.saves import SaveStore
from exilegame.story import CONTINUE

WriteStory = Callable[..., Path]


def test_read_regular_reads_a_file_and_refuses_special_ones(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_bytes(b"12345")
    assert read_regular(plain, 5) == b"12345"
    with pytest.raises(UnreadableFile, match="over the limit of 4"):
        read_regular(plain, 4)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # no writer: an ordinary open() would block for ever
    with pytest.raises(UnreadableFile, match="named pipe"):
        read_regular(fifo, 100)
    with pytest.raises(UnreadableFile, match="a device"):
        read_regular(Path("/dev/zero"), 100)
    link = tmp_path / "link"
    link.symlink_to("/dev/zero")
    with pytest.raises(UnreadableFile, match="a device"):
        read_regular(link, 100)
    with pytest.raises(UnreadableFile, match="a folder"):
        read_regular(tmp_path, 100)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing", 100)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_clean_stale_removes_only_the_files_of_dead_writers(tmp_path: Path) -> None:
    dead = tmp_path / f".slot.json.{dead_pid()}.abc123.tmp"
    mine = tmp_path / f".slot.json.{os.getpid()}.abc123.tmp"
    alive = tmp_path / f".slot.json.{os.getppid()}.abc123.tmp"
    old_unknown = tmp_path / ".slot.json.xyz.tmp"
    new_unknown = tmp_path / ".other.json.tmp"
    other = tmp_path / "slot.json"
    for path in (dead, mine, alive, old_unknown, new_unknown, other):
        path.write_text("{}")
    os.utime(old_unknown, (time.time() - 7200, time.time() - 7200))
    assert clean_stale(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (mine, alive, new_unknown, other)
    )
    assert clean_stale(tmp_path / "missing") == 0


def test_write_atomic_names_its_temporary_file_after_its_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def spy(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", spy)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "slot.json", "{}")
    assert seen[0].startswith(f".slot.json.{os.getpid()}.") and seen[0].endswith(".tmp")
    assert list(tmp_path.iterdir()) == []


KILLS = 200
SLOTS = ("first", "second", "third")


def _writer(store: SaveStore, states: list[engine.State]) -> None:
    """The child: save every slot again and again until killed."""
    rng = random.Random(os.getpid())
    while True:
        store.save(rng.choice(SLOTS), rng.choice(states))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() to kill a writer cheaply")
def test_sigkill_during_saves_never_breaks_a_slot(write_story: WriteStory) -> None:
    story = load_story(write_story())
    start = engine.start(story, "guard", 3)
    gate = engine.choose(story, start, "open-the-gate")
    states = [start, gate, engine.choose(story, gate, CONTINUE)]
    trails = {state.trail for state in states}
    store = SaveStore(story)
    store.folder.mkdir(parents=True)
    rng = random.Random(14)
    left_behind = 0
    for _ in range(KILLS):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                _writer(store, states)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.0002, 0.005))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        for name in SLOTS:  # every slot is absent (never written yet), old or new: never broken
            path = store.path_of(name)
            if path.exists():
                data = json.loads(path.read_text(encoding="utf-8"))
                assert tuple(data["trail"]) in trails
        left_behind += sum(p.name.endswith(".tmp") for p in store.folder.iterdir())
        clean_stale_now = left_behind and rng.random() < 0.1
        if clean_stale_now:
            clean_stale(store.folder)
    assert left_behind, "no kill landed during a write: the test proved nothing"
    # The next start: the slot list cleans up, and every slot loads.
    slots = SaveStore(story).slots()
    assert not [p for p in store.folder.iterdir() if p.name.endswith(".tmp")]
    assert {s.name for s in slots} <= set(SLOTS) and all(s.ok for s in slots)
    for slot in slots:
        assert store.load(slot.path).state.trail in trails


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG lookup is Linux's")
@pytest.mark.parametrize(
    "env",
    [
        {},
        {"XDG_DATA_HOME": "/srv/data", "XDG_CACHE_HOME": "/srv/cache"},
        {"XDG_DATA_HOME": "  ", "XDG_CACHE_HOME": ""},
        {"HOME": "/home/someone-else"},
    ],
    ids=["defaults", "set", "blank", "other-home"],
)
def test_user_folders_are_where_platformdirs_puts_them(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    from exilegame._files import user_dir

    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert user_dir("data") == Path(platformdirs.user_data_dir("exilegame", appauthor=False))
    assert user_dir("cache") == Path(platformdirs.user_cache_dir("exilegame", appauthor=False))
