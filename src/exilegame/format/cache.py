"""A cache of checked stories, like Python's `.pyc` files: parse a story once, load it fast.

Parsing YAML is most of the cost of loading a large story (PyYAML's parser sets the floor),
so a story that loaded without errors is written to the user's cache folder, keyed by the
bytes of every YAML file in its folder and by this module's format. The next load of the
same files reads the cache instead. Any change to any file, a different exilegame version
or a damaged cache file simply means a normal load.

The cache holds data only: `marshal`ed tuples of strings and numbers, decoded into a fixed
whitelist of model classes. Expressions are stored as their checked source text and
compiled again, exactly as the loader compiles them; nothing in the cache is ever executed.
One file per story folder, so the cache cannot grow without bound.

The file is a magic number, the SHA-256 of the marshalled bytes, then those bytes: a file
whose bytes do not match their checksum (a flipped bit, a truncated write) is never
unmarshalled. Any exception at all while reading or decoding is a cache miss, never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from exilegame._files import clean_stale, read_regular, write_atomic
from exilegame._version import __version__
from exilegame.errors import Problem, Where
from exilegame.expr import Compiled, Compiler, Scope
from exilegame.story import (
    Choice,
    Ending,
    Outcome,
    Paragraph,
    Person,
    Phase,
    Place,
    Role,
    Scene,
    Source,
    Story,
    Variable,
    Variant,
)

__all__ = ["FORMAT", "cache_dir", "enabled", "files_key", "read", "seal", "unseal", "write"]

FORMAT = 2
MAGIC = b"exilegame-cache\0"
LIMIT = 512 << 20  # bytes: a cache file larger than this is not read
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Story,
        Phase,
        Scene,
        Choice,
        Paragraph,
        Variant,
        Outcome,
        Ending,
        Role,
        Variable,
        Source,
        Person,
        Place,
        Where,
        Problem,
    )
}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _CLASSES.items()}
# The model's shape (field names and their declared types) is part of every key, so that a
# change to the model can never be read back from a cache written before it.
_SHAPE = repr(
    [
        (name, [(f.name, str(f.type)) for f in dataclasses.fields(cls)])
        for name, cls in sorted(_CLASSES.items())
    ]
)


def cache_dir() -> Path:
    """$EXILEGAME_CACHE_DIR, else the platform's cache folder for exilegame."""
    override = os.environ.get("EXILEGAME_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("exilegame", appauthor=False)) / "stories"


def enabled() -> bool:
    """The cache can be turned off with EXILEGAME_NO_CACHE=1 (for measuring cold loads)."""
    return os.environ.get("EXILEGAME_NO_CACHE", "") in ("", "0")


def files_key(folder: Path, files: dict[Path, bytes]) -> str:
    """The key of a story's current contents, for this version of exilegame."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{_SHAPE}\0{folder}\0".encode())
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0" + files[path] + b"\0")
    return digest.hexdigest()


def _slot(folder: Path) -> Path:
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"{name}.marshal"


def read(folder: Path, key: str) -> tuple[Story, list[Problem]] | None:
    """The cached story and load warnings for these exact files, or None."""
    try:
        body = unseal(read_regular(_slot(folder), LIMIT))
        if body is None:
            return None
        data = marshal.loads(body)
        if not (isinstance(data, tuple) and data[0] == FORMAT and data[1] == key):
            return None
        return _Decoder(data[2]).story_and_problems(data[3], data[4])
    except Exception:  # a damaged or foreign cache file: ignore it, the normal load follows
        return None


def write(folder: Path, key: str, story: Story, problems: list[Problem]) -> None:
    """Store a checked story; failing to is harmless (the next load just parses again)."""
    scope = (
        [(n, v.kind, v.min, v.max) for n, v in story.variables.items()],
        list(story.roles),
        sorted(story.scenes),
    )
    payload = (FORMAT, key, scope, _encode(story), [_encode(p) for p in problems])
    slot = _slot(folder)
    clean_stale(slot.parent)
    with contextlib.suppress(OSError, ValueError):
        write_atomic(slot, seal(marshal.dumps(payload)))


def seal(body: bytes) -> bytes:
    """The bytes of a cache file holding `body`: magic number, checksum, body."""
    return MAGIC + hashlib.sha256(body).digest() + body


def unseal(raw: bytes) -> bytes | None:
    """The body of a cache file, or None if it is not one or its checksum does not match."""
    head = len(MAGIC) + 32
    if len(raw) < head or not raw.startswith(MAGIC):
        return None
    body = raw[head:]
    return body if hashlib.sha256(body).digest() == raw[len(MAGIC) : head] else None


def _encode(obj: Any) -> Any:
    """Plain data for marshal: tagged tuples for our types, lists for tuples."""
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, Compiled):
        return ("c", obj.kind, obj.source, obj.phase, obj.site_base)
    if isinstance(obj, tuple | list):
        return [_encode(x) for x in obj]
    if isinstance(obj, MappingProxyType | dict):
        return ("m", [(k, _encode(v)) for k, v in obj.items()])
    if isinstance(obj, frozenset):
        return ("f", sorted(obj))
    if isinstance(obj, Path):
        return ("p", str(obj))
    name = type(obj).__name__
    if name in _CLASSES and isinstance(obj, _CLASSES[name]):
        return ("d", name, [_encode(getattr(obj, f)) for f in _FIELDS[name]])
    raise TypeError(f"cannot cache a {name}")


class _Decoder:
    """Rebuilds a story from plain data, compiling its expressions again."""

    def __init__(self, scope: Any) -> None:
        variables, roles, scenes = scope
        self.compiler = Compiler(
            Scope(
                MappingProxyType({n: kind for n, kind, _, _ in variables}),
                MappingProxyType({n: (low, high) for n, _, low, high in variables}),
                frozenset(roles),
                frozenset(scenes),
            )
        )
        self.paths: dict[str, Path] = {}  # every location names one of a few files
        self.tags: dict[str, Callable[[Any], Any]] = {
            "c": lambda d: self.compiler.restore(d[1], d[2], d[3], d[4]),
            "m": lambda d: MappingProxyType({k: self.decode(v) for k, v in d[1]}),
            "f": lambda d: frozenset(d[1]),
            "p": lambda d: self.paths.get(d[1]) or self.paths.setdefault(d[1], Path(d[1])),
            "d": lambda d: _CLASSES[d[1]](*[self.decode(v) for v in d[2]]),
        }

    def decode(self, obj: Any) -> Any:
        if isinstance(obj, list):
            return tuple(self.decode(x) for x in obj)
        if isinstance(obj, tuple):
            return self.tags[obj[0]](obj)
        return obj

    def story_and_problems(self, story: Any, problems: Any) -> tuple[Story, list[Problem]]:
        collecting = gc.isenabled()
        gc.disable()  # as in the loader: many small objects, no cyclic garbage
        try:
            decoded = self.decode(story)
            found = [self.decode(p) for p in problems]
            self.compiler.finish()
        finally:
            if collecting:
                gc.enable()
        if not isinstance(decoded, Story):
            raise TypeError("not a story")
        return decoded, found
