"""The story cache's contents: a checked story as plain data, and back, scenes on demand.

A cache body is a small *head* and one entry per scene. The head is `marshal`ed once and
decoded at open: the story's fields (all but its scenes) as tagged tuples, its warnings, the
distinct expressions (kind, source text, phase, first `chance()` site), the file paths that
locations name, the scene ids in file order and where each scene's entry lies. A scene's entry
is a flat tuple of its fields, `marshal`ed on its own, and is decoded the first time the scene
is asked for (`LazyScenes`): a launch touches the head only, whatever the story's size.

Decoding builds a fixed whitelist of model classes, nothing else. Expressions are stored as
their checked source text and compiled again, each distinct text once per load, exactly as
the loader compiles them; nothing in the cache is ever executed. The file's checksum
(`cache.unseal`) is checked before any of it is unmarshalled.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import struct
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

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

__all__ = ["CLASSES", "SHAPE", "LazyScenes", "decode", "encode", "join", "split"]

CLASSES: dict[str, type] = {
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
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in CLASSES.items()}
# The model's shape (field names and their declared types) is part of every key, so that a
# change to the model can never be read back from a cache written before it.
SHAPE = repr(
    [
        (name, [(f.name, str(f.type)) for f in dataclasses.fields(cls)])
        for name, cls in sorted(CLASSES.items())
    ]
)
_LENGTH = struct.Struct("<Q")  # the head's length, before the head


class _Tables:
    """What scene entries refer to by number: expressions and file paths."""

    def __init__(self) -> None:
        self.exprs: dict[int, int] = {}  # id(Compiled) -> index
        self.expr_rows: list[tuple[str, str, str, int]] = []
        self.keep: list[Compiled] = []  # the ids above stay valid while encoding
        self.paths: dict[str, int] = {}

    def expr(self, compiled: Compiled) -> int:
        index = self.exprs.get(id(compiled))
        if index is None:
            index = self.exprs[id(compiled)] = len(self.expr_rows)
            row = (compiled.kind, compiled.source, compiled.phase, compiled.site_base)
            self.expr_rows.append(row)
            self.keep.append(compiled)
        return index

    def path(self, path: Path) -> int:
        return self.paths.setdefault(str(path), len(self.paths))


# -- scenes: flat tuples, one converter per field, chosen by the field's declared type ------

# how a field of Scene, Choice or Paragraph is stored, by its declared type; a field of any
# other type (one added to the model later) takes the generic tagged form: slower, as safe
_PLAIN = ("str", "int", "bool", "tuple[str, ...]")
_EXPR, _WHERE, _PARAGRAPHS, _CHOICES, _TAGGED = range(5)
_KINDS = {
    "Compiled | None": _EXPR,
    "Where | None": _WHERE,
    "tuple[Paragraph, ...]": _PARAGRAPHS,
    "tuple[Choice, ...]": _CHOICES,
}


def _plan(cls: type) -> tuple[int, list[tuple[int, int]]]:
    """The number of fields of `cls`, and (position, kind) of those not stored as they are."""
    fields = dataclasses.fields(cls)
    plan = [
        (i, _KINDS.get(str(f.type), _TAGGED))
        for i, f in enumerate(fields)
        if str(f.type) not in _PLAIN
    ]
    return len(fields), plan


_PLANS: dict[type, tuple[int, list[tuple[int, int]]]] = {
    cls: _plan(cls) for cls in (Scene, Choice, Paragraph)
}


def _flat(cls: type, obj: Any, tables: _Tables) -> tuple[Any, ...]:
    """`obj` (a Scene, Choice or Paragraph) as a flat tuple of plain values."""
    if type(obj) is not cls:
        raise TypeError(f"cannot cache a {type(obj).__name__} as a {cls.__name__}")
    values = [getattr(obj, name) for name in _FIELDS[cls.__name__]]
    for i, kind in _PLANS[cls][1]:
        v = values[i]
        if kind == _TAGGED:
            values[i] = _encode(v, tables)
        elif v is None:
            continue
        elif kind == _EXPR:
            values[i] = tables.expr(v)
        elif kind == _WHERE:
            values[i] = (tables.path(v.path), v.line, v.column)
        elif kind == _PARAGRAPHS:
            values[i] = tuple([_flat(Paragraph, x, tables) for x in v])
        else:
            values[i] = tuple([_flat(Choice, x, tables) for x in v])
    return tuple(values)


# -- everything else: tagged tuples --------------------------------------------------------


def _encode(obj: Any, tables: _Tables) -> Any:
    """Plain data for marshal: tagged tuples for our types, lists for tuples."""
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, Compiled):
        return ("c", tables.expr(obj))
    if isinstance(obj, tuple | list):
        return [_encode(x, tables) for x in obj]
    if isinstance(obj, MappingProxyType | dict):
        return ("m", [(k, _encode(v, tables)) for k, v in obj.items()])
    if isinstance(obj, frozenset):
        return ("f", sorted(obj))
    if isinstance(obj, Path):
        return ("p", tables.path(obj))
    name = type(obj).__name__
    if name in CLASSES and isinstance(obj, CLASSES[name]):
        return ("d", name, [_encode(getattr(obj, f), tables) for f in _FIELDS[name]])
    raise TypeError(f"cannot cache a {name}")


def encode(key: str, story: Story, problems: list[Problem]) -> bytes:
    """A cache body for `story` (checked, loaded from files whose key is `key`)."""
    tables = _Tables()
    entries = [marshal.dumps(_flat(Scene, scene, tables)) for scene in story.scenes.values()]
    fields = [
        ("s",) if name == "scenes" else _encode(getattr(story, name), tables)
        for name in _FIELDS["Story"]
    ]
    offsets = [0]
    for entry in entries:
        offsets.append(offsets[-1] + len(entry))
    scope = (
        [(n, v.kind, v.min, v.max) for n, v in story.variables.items()],
        list(story.roles),
    )
    warnings = [_encode(p, tables) for p in problems]
    head = (
        key,
        scope,
        list(tables.paths),  # every table is complete now
        tables.expr_rows,
        ("d", "Story", fields),
        warnings,
        list(story.scenes),
        offsets,
    )
    return join(head, b"".join(entries))


def join(head: tuple[Any, ...], entries: bytes) -> bytes:
    """A cache body: the head's length, the head, then the scenes' entries."""
    packed = marshal.dumps(head)
    return _LENGTH.pack(len(packed)) + packed + entries


def split(body: memoryview | bytes) -> tuple[Any, memoryview]:
    """The unmarshalled head of a cache body and a view of its scenes' entries."""
    view = memoryview(body)
    (length,) = _LENGTH.unpack_from(view)
    start = _LENGTH.size + length
    return marshal.loads(view[_LENGTH.size : start]), view[start:]


class _Decoder:
    """Rebuilds a story from plain data, compiling its expressions again."""

    def __init__(self, scope: Any, scenes: list[str], paths: list[str], exprs: Any) -> None:
        variables, roles = scope
        compiler = Compiler(
            Scope(
                MappingProxyType({n: kind for n, kind, _, _ in variables}),
                MappingProxyType({n: (low, high) for n, _, low, high in variables}),
                frozenset(roles),
                frozenset(scenes),
            )
        )
        self.paths = [Path(p) for p in paths]
        self.exprs = [compiler.restore(kind, src, phase, site) for kind, src, phase, site in exprs]
        compiler.finish()
        self.scenes: Mapping[str, Scene] = MappingProxyType({})
        self.tags: dict[str, Callable[[Any], Any]] = {
            "c": lambda d: self.exprs[d[1]],
            "m": lambda d: MappingProxyType({k: self.decode(v) for k, v in d[1]}),
            "f": lambda d: frozenset(d[1]),
            "p": lambda d: self.paths[d[1]],
            "d": lambda d: CLASSES[d[1]](*[self.decode(v) for v in d[2]]),
            "s": lambda d: self.scenes,
        }

    def decode(self, obj: Any) -> Any:
        if isinstance(obj, list):
            return tuple(self.decode(x) for x in obj)
        if isinstance(obj, tuple):
            return self.tags[obj[0]](obj)
        return obj

    def build(self, cls: type, values: tuple[Any, ...]) -> Any:
        """A Scene, Choice or Paragraph from its flat tuple."""
        size, plan = _PLANS[cls]
        if type(values) is not tuple or len(values) != size:
            raise ValueError(f"a {cls.__name__} entry of the wrong shape")
        vals = list(values)
        for i, kind in plan:
            v = vals[i]
            if kind == _TAGGED:
                vals[i] = self.decode(v)
            elif v is None:
                continue
            elif kind == _EXPR:
                vals[i] = self.exprs[v]
            elif kind == _WHERE:
                vals[i] = Where(self.paths[v[0]], v[1], v[2])
            elif kind == _PARAGRAPHS:
                vals[i] = tuple([self.build(Paragraph, x) for x in v])
            else:
                vals[i] = tuple([self.build(Choice, x) for x in v])
        return cls(*vals)


def decode(
    body: memoryview, key: str, reload: Callable[[], Mapping[str, Scene]]
) -> tuple[Story, list[Problem]] | None:
    """The story and warnings in a cache body written for `key`, else None.

    Scenes are decoded when first asked for; `reload` gives every scene the slow way, should
    an entry fail to decode (see LazyScenes)."""
    head, entries = split(body)
    if not (isinstance(head, tuple) and len(head) == 8 and head[0] == key):
        return None
    _, scope, paths, exprs, story, problems, scene_ids, offsets = head
    if len(offsets) != len(scene_ids) + 1 or offsets[-1] != len(entries):
        return None
    collecting = gc.isenabled()
    gc.disable()  # as in the loader: many small objects, no cyclic garbage
    try:
        decoder = _Decoder(scope, scene_ids, paths, exprs)
        scenes = LazyScenes(decoder, entries, scene_ids, offsets, reload)
        decoder.scenes = MappingProxyType(scenes)
        decoded = decoder.decode(story)
        found = [decoder.decode(p) for p in problems]
    finally:
        if collecting:
            gc.enable()
    if not isinstance(decoded, Story) or not all(isinstance(p, Problem) for p in found):
        raise TypeError("not a story")
    return decoded, found


class LazyScenes(dict[str, Scene]):
    """A story's scenes, each decoded from its cache entry the first time it is asked for.

    Held behind a MappingProxyType, it is a read-only Mapping like any other: `[id]`, `get`,
    `in`, `len`, iteration (in file order), `keys()`/`values()`/`items()` and equality all
    behave as for the plain mapping a cold load gives. A decoded scene is an ordinary dict
    entry, so looking it up again costs what a dict lookup costs (play asks for the same few
    scenes at every step). Whatever walks every scene (the checker, the explorer) decodes
    them all, once.

    The file's checksum was checked before any of it was read, so an entry that does not
    decode was forged with a valid checksum or written by a faulty encoder: then every scene
    is taken from `reload` (the folder loaded the slow way), never an exception in play.
    """

    def __init__(
        self,
        decoder: _Decoder,
        entries: memoryview,
        ids: list[str],
        offsets: list[int],
        reload: Callable[[], Mapping[str, Scene]],
    ) -> None:
        super().__init__()
        self._decoder: _Decoder | None = decoder
        self._entries: memoryview | None = entries
        self._order = {scene_id: i for i, scene_id in enumerate(ids)}
        self._offsets = offsets
        self._reload = reload
        self._lock = threading.Lock()

    def __missing__(self, key: str) -> Scene:
        index = self._order.get(key)
        if index is None:
            raise KeyError(key)
        with self._lock:
            if dict.__contains__(self, key):
                return dict.__getitem__(self, key)
            scene = self._decode(key, index)
            dict.__setitem__(self, key, scene)
            if dict.__len__(self) == len(self._order):
                self._complete()
            return scene

    def _decode(self, key: str, index: int) -> Scene:
        decoder, entries = self._decoder, self._entries
        assert decoder is not None and entries is not None
        try:
            entry = entries[self._offsets[index] : self._offsets[index + 1]]
            scene = decoder.build(Scene, marshal.loads(entry))
            if not isinstance(scene, Scene) or scene.id != key:
                raise ValueError("a scene entry names another scene")
            return scene
        except Exception:  # forged or miswritten: take every scene from the files instead
            return self._take_reloaded(key)

    def _take_reloaded(self, key: str) -> Scene:
        scenes = self._reload()
        if list(scenes) != list(self._order):
            raise ValueError("the reloaded story has other scenes")
        dict.clear(self)
        dict.update(self, scenes)
        self._complete()
        return scenes[key]

    def _complete(self) -> None:
        """Every scene is decoded: put them in file order, let go of the entries."""
        if list(dict.__iter__(self)) != list(self._order):
            ordered = {k: dict.__getitem__(self, k) for k in self._order}
            dict.clear(self)
            dict.update(self, ordered)
        self._decoder = self._entries = None

    def _all(self) -> None:
        if self._entries is not None:
            for key in self._order:
                if not dict.__contains__(self, key):
                    self.__missing__(key)

    def __contains__(self, key: object) -> bool:
        return key in self._order

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._order)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._order else default

    def keys(self) -> Any:
        self._all()
        return super().keys()

    def values(self) -> Any:
        self._all()
        return super().values()

    def items(self) -> Any:
        self._all()
        return super().items()

    def copy(self) -> dict[str, Scene]:
        self._all()
        return dict(super().items())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return len(self) == len(other) and all(
            k in other and self[k] == other[k] for k in self._order
        )

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def __or__(self, other: Any) -> Any:
        return self.copy() | other

    def __ror__(self, other: Any) -> Any:
        return other | self.copy()

    def __reduce__(self) -> Any:  # a copy or a pickle is a plain dict of every scene
        return (dict, (self.copy(),))

    def __repr__(self) -> str:
        return repr(self.copy())
