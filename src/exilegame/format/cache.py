"""A cache of checked stories, like Python's `.pyc` files: parse a story once, load it fast.

Parsing YAML is most of the cost of loading a large story (PyYAML's parser sets the floor),
so a story that loaded without errors is written to the user's cache folder, keyed by the
bytes of every YAML file in its folder and by this module's format. The next load of the
same files reads the cache instead. Any change to any file, a different exilegame version
or a damaged cache file simply means a normal load.

The cache holds data only: `marshal`ed tuples of strings and numbers, decoded into a fixed
whitelist of model classes (`cachecodec`). Expressions are stored as their checked source
text, with what their check found, and are checked and compiled again, exactly as the loader
does, when the first of them is used; nothing in the cache is ever executed. One file per
story folder, so the cache cannot grow without bound. A launch from the cache decodes a small
head only; each scene is decoded the first time it is asked for.

The file is a magic number, the SHA-256 of the rest, then the rest: a file whose bytes do not
match their checksum (a flipped bit, a truncated write) is never unmarshalled, and the whole
file is checked when it is opened, so damage is a miss up front, never a surprise in play.
Any exception at all while reading or decoding is a cache miss, never an error.

Writing happens on a background thread (`write`), so that the first launch of a story does
not wait for it: the file is written atomically (a reader sees the old file or the new one),
a later `read` of the same folder in the same process waits for a pending write, and at exit
the process waits for it (`atexit`; Ctrl-C there abandons it quietly). A write that is
interrupted leaves only a temporary file, which the next write removes.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from exilegame._files import clean_stale, read_regular, user_dir, write_atomic
from exilegame._version import __version__
from exilegame.errors import Problem
from exilegame.format import cachecodec
from exilegame.story import Scene, Story

__all__ = [
    "FORMAT",
    "cache_dir",
    "discard",
    "enabled",
    "files_key",
    "read",
    "seal",
    "unseal",
    "wait",
    "write",
]

FORMAT = 4
MAGIC = b"exilegame-cache\0"
LIMIT = 512 << 20  # bytes: a cache file larger than this is not read
_HEAD = len(MAGIC) + 32
_writers: dict[Path, threading.Thread] = {}  # slot -> its pending background write
_writers_lock = threading.Lock()


def cache_dir() -> Path:
    """$EXILEGAME_CACHE_DIR, else the platform's cache folder for exilegame."""
    override = os.environ.get("EXILEGAME_CACHE_DIR")
    if override:
        return Path(override)
    return user_dir("cache") / "stories"


def enabled() -> bool:
    """The cache can be turned off with EXILEGAME_NO_CACHE=1 (for measuring cold loads)."""
    return os.environ.get("EXILEGAME_NO_CACHE", "") in ("", "0")


def files_key(folder: Path, files: dict[Path, bytes]) -> str:
    """The key of a story's current contents, for this version of exilegame."""
    head = f"{FORMAT}\0{__version__}\0{cachecodec.SHAPE}\0{folder}\0"
    digest = hashlib.sha256(head.encode())
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0")
        digest.update(files[path])  # no copy of a large file's bytes
        digest.update(b"\0")
    return digest.hexdigest()


def _slot(folder: Path) -> Path:
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"{name}.marshal"


def read(
    folder: Path, key: str, reload: Callable[[], Mapping[str, Scene]], frozen: bool = False
) -> tuple[Story, list[Problem]] | None:
    """The cached story and load warnings for these exact files, or None.

    `reload` gives the story's scenes loaded the slow way; it is called only if a scene's
    entry fails to decode when it is first asked for; with `frozen`, decoded scenes join a
    long-lived story out of the collector's scans (see lazyscenes.LazyScenes)."""
    try:
        slot = _slot(folder)
        wait(slot)
        body = unseal(read_regular(slot, LIMIT))
        if body is None:
            return None
        return cachecodec.decode(body, key, reload, lambda: discard(folder), frozen)
    except Exception:  # a damaged or foreign cache file: ignore it, the normal load follows
        return None


def write(folder: Path, key: str, story: Story, problems: list[Problem]) -> None:
    """Store a checked story, on a background thread; failing to is harmless (the next
    load just parses again)."""
    try:
        slot = _slot(folder)
    except (OSError, RuntimeError, ValueError):
        return
    with _writers_lock:
        earlier = _writers.get(slot)  # a write of this folder still under way: after it
        thread = threading.Thread(
            target=_write,
            args=(slot, key, story, problems, earlier),
            name="exilegame-cache-write",
            daemon=True,  # waited for at exit by `_finish_at_exit`, which Ctrl-C may cut short
        )
        _writers[slot] = thread
        thread.start()


def _write(
    slot: Path, key: str, story: Story, problems: list[Problem], earlier: threading.Thread | None
) -> None:
    try:
        body = cachecodec.encode(key, story, problems)
        if earlier is not None:
            earlier.join()  # so that the newest story is the one left in the file
        clean_stale(slot.parent)
        write_atomic(slot, seal(body))
    except Exception:  # a cache that cannot be written is only a slower next load
        return
    finally:
        with _writers_lock:
            if _writers.get(slot) is threading.current_thread():
                del _writers[slot]


@atexit.register
def _finish_at_exit() -> None:
    """Finish pending writes before the process ends; an interrupt abandons them, without
    the traceback that joining a non-daemon thread would print."""
    with contextlib.suppress(KeyboardInterrupt):
        wait()


def wait(slot: Path | None = None) -> None:
    """Wait for this process's pending cache writes (of one slot, or all of them)."""
    with _writers_lock:
        pending = [t for s, t in _writers.items() if slot is None or s == slot]
    for thread in pending:
        if thread is not threading.current_thread():
            thread.join()


def discard(folder: Path) -> None:
    """Remove a folder's cache file, if there is one (a damaged entry was found in it)."""
    with contextlib.suppress(OSError, RuntimeError, ValueError):
        slot = _slot(folder)
        wait(slot)
        slot.unlink(missing_ok=True)


def seal(body: bytes) -> bytes:
    """The bytes of a cache file holding `body`: magic number, checksum, body."""
    return MAGIC + hashlib.sha256(body).digest() + body


def unseal(raw: bytes) -> memoryview | None:
    """The body of a cache file (a view, not a copy), or None if it is not one or its
    checksum does not match."""
    if len(raw) < _HEAD or not raw.startswith(MAGIC):
        return None
    body = memoryview(raw)[_HEAD:]
    return body if hashlib.sha256(body).digest() == raw[len(MAGIC) : _HEAD] else None
