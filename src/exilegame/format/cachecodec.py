"""The story cache's contents: a checked story as plain data, and back, scenes on demand.

A cache body is a small *head* and one entry per block of scenes. The head is `marshal`ed once
and decoded at open: the story's fields (all but its scenes) as tagged tuples, its warnings,
the distinct expressions (kind, source text, phase, first `chance()` site, what their check
found), the file paths that locations name, the scene ids in file order, the block size and
where each block's entry lies. A scene is a flat tuple of its fields (a position packed in one
int, `story.packed`; a scene id as its number in the head's list); a block's entry is the tuple
of its scenes (`lazyscenes.BLOCK` of them, in file order), `marshal`ed on its own, and is
decoded the first time one of its scenes is asked for (`lazyscenes.LazyScenes`): a launch
touches the head only, whatever the story's size.

Decoding builds a fixed whitelist of model classes, nothing else. Expressions are stored as
their checked source text with the facts their check found (what they read and write...),
which come back as they are; the texts are checked again and compiled, exactly as the loader
does, when the first expression is used (`Compiler.adopt`, `Compiler.defer`); nothing in the
cache is ever executed. The file's checksum (`cache.unseal`) is checked before any of it is
unmarshalled.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import struct
from collections.abc import Callable, Mapping
from operator import attrgetter
from pathlib import Path
from types import MappingProxyType
from typing import Any

from exilegame.errors import Problem, Where
from exilegame.expr import Compiled, Compiler, Scope
from exilegame.expr.compile import Facts, facts
from exilegame.format import lazyscenes
from exilegame.format.lazyscenes import LazyScenes, SceneBuilder
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
    packed,
    unpacked,
)

__all__ = ["CLASSES", "SHAPE", "decode", "encode", "join", "split"]

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
    """What scene entries refer to by number: expressions, file paths and scene ids."""

    def __init__(self, scenes: Mapping[str, Scene]) -> None:
        self.exprs: dict[int, int] = {}  # id(Compiled) -> index (the story keeps them alive)
        self.expr_rows: list[tuple[str, str, str, int, Facts]] = []
        self.paths: dict[str, int] = {}
        self.scenes = {scene_id: i for i, scene_id in enumerate(scenes)}  # the head's order
        self.strings: dict[str, str] = {}  # each text to the one object written for it (_flat)

    def expr(self, compiled: Compiled) -> int:
        index = self.exprs.get(id(compiled))
        if index is None:
            index = self.exprs[id(compiled)] = len(self.expr_rows)
            # with what its check found: it is not checked again at load
            row = (
                compiled.kind,
                compiled.source,
                compiled.phase,
                compiled.site_base,
                facts(compiled),
            )
            self.expr_rows.append(row)
        return index

    def path(self, path: Path) -> int:
        return self.paths.setdefault(str(path), len(self.paths))


# -- scenes: flat tuples, one converter per field, chosen by the field's declared type ------

# how a field of Scene, Choice or Paragraph is stored, by its declared type; a field of any
# other type (one added to the model later) takes the generic tagged form: slower, as safe
_PLAIN = ("str", "int", "bool", "tuple[str, ...]")
_EXPR, _WHERE, _PARAGRAPHS, _CHOICES, _TAGGED, _SCENE = range(6)
# the fields that name a scene, stored as the scene's number in the head's list of ids: the
# decoded string is then the very one the scene is keyed by (a dict lookup matches it by
# identity, without comparing characters), and it costs no string of its own
_SCENE_IDS = {("Scene", "id"), ("Choice", "target")}
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
        (i, _SCENE if (cls.__name__, f.name) in _SCENE_IDS else _KINDS.get(str(f.type), _TAGGED))
        for i, f in enumerate(fields)
        if str(f.type) not in _PLAIN or (cls.__name__, f.name) in _SCENE_IDS
    ]
    return len(fields), plan


_PLANS: dict[type, tuple[int, list[tuple[int, int]]]] = {
    cls: _plan(cls) for cls in (Scene, Choice, Paragraph)
}
_GET = {cls: attrgetter(*_FIELDS[cls.__name__]) for cls in (Scene, Choice, Paragraph)}
_TEXTS: dict[type, list[int]] = {  # the fields of plain text, by position
    cls: [
        i
        for i, f in enumerate(dataclasses.fields(cls))
        if str(f.type) == "str" and (cls.__name__, f.name) not in _SCENE_IDS
    ]
    for cls in (Scene, Choice, Paragraph)
}


def _flat(cls: type, obj: Any, tables: _Tables) -> tuple[Any, ...]:
    """`obj` (a Scene, Choice or Paragraph) as a flat tuple of plain values."""
    if type(obj) is not cls:
        raise TypeError(f"cannot cache a {type(obj).__name__} as a {cls.__name__}")
    # Equal texts become one object (a phase, a date, a place, the words of a choice offered
    # in many scenes), which marshal writes once a block and refers back to: reading such a
    # text again costs a reference, and the scenes of a block share it in memory.
    one = tables.strings.setdefault
    values = list(_GET[cls](obj))
    for i in _TEXTS[cls]:
        values[i] = one(values[i], values[i])
    for i, kind in _PLANS[cls][1]:
        v = values[i]
        if kind == _TAGGED:
            values[i] = _encode(v, tables)
        elif v is None:
            continue
        elif kind == _EXPR:
            values[i] = tables.expr(v)
        elif kind == _SCENE:
            values[i] = tables.scenes.get(v, v)  # a number, or the text of an unknown id
        elif kind == _WHERE:
            values[i] = packed(tables.path(v.path), v.line, v.column)
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
    tables = _Tables(story.scenes)
    rows = [_flat(Scene, scene, tables) for scene in story.scenes.values()]
    block = lazyscenes.BLOCK
    entries = [marshal.dumps(tuple(rows[i : i + block])) for i in range(0, len(rows), block)]
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
        block,
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


class _Decoder(SceneBuilder):
    """Rebuilds a story from plain data; its expressions are checked again on first use."""

    def __init__(
        self,
        scope: Any,
        scenes: list[str],
        paths: list[str],
        exprs: Any,
        stale: Callable[[], None] | None = None,
    ) -> None:
        variables, roles = scope
        compiler = Compiler(
            Scope(
                MappingProxyType({n: kind for n, kind, _, _ in variables}),
                MappingProxyType({n: (low, high) for n, _, low, high in variables}),
                frozenset(roles),
                frozenset(scenes),
            )
        )
        super().__init__(
            [Path(p) for p in paths],
            [compiler.adopt(*row) for row in exprs],
            scenes,
        )
        compiler.defer(stale)  # checked again, and the code generated, when one is first used
        self.scenes: Mapping[str, Scene] = MappingProxyType({})

    def decode(self, obj: Any) -> Any:
        """Plain data back to the model: lists to tuples, tagged tuples to what they tag.

        A dispatch by `if`, not a table of lambdas: lambdas that refer to the decoder, held
        by the decoder, would be a reference cycle, and a loaded story is kept out of the
        cyclic collector's reach (a story dropped would never be freed)."""
        if isinstance(obj, list):
            return tuple(self.decode(x) for x in obj)
        if not isinstance(obj, tuple):
            return obj
        tag = obj[0]
        if tag == "c":
            return self.exprs[obj[1]]
        if tag == "m":
            return MappingProxyType({k: self.decode(v) for k, v in obj[1]})
        if tag == "f":
            return frozenset(obj[1])
        if tag == "p":
            return self.paths[obj[1]]
        if tag == "d":
            return CLASSES[obj[1]](*[self.decode(v) for v in obj[2]])
        if tag == "s":
            return self.scenes
        raise KeyError(tag)

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
            elif kind == _SCENE:
                vals[i] = self.scene_id(v)
            elif kind == _WHERE:
                if type(v) is not int or not 0 <= v < self.positions:
                    raise ValueError("a position out of range")
                vals[i] = unpacked(self.paths, v)
            elif kind == _PARAGRAPHS:
                vals[i] = tuple([self.build(Paragraph, x) for x in v])
            else:
                vals[i] = tuple([self.build(Choice, x) for x in v])
        return cls(*vals)

    def slow(self, values: Any) -> Scene:
        scene: Scene = self.build(Scene, values)
        return scene


def decode(
    body: memoryview,
    key: str,
    reload: Callable[[], Mapping[str, Scene]],
    stale: Callable[[], None] | None = None,
    frozen: bool = False,
) -> tuple[Story, list[Problem]] | None:
    """The story and warnings in a cache body written for `key`, else None.

    Scenes are decoded when first asked for; `reload` gives every scene the slow way, should
    an entry fail to decode, and `frozen` freezes them in batches (see LazyScenes).
    Expressions are checked again when the first of them is used; `stale` is called if that
    check disagrees with the cache (see `Compiler.defer`)."""
    head, entries = split(body)
    if not (isinstance(head, tuple) and len(head) == 9 and head[0] == key):
        return None
    _, scope, paths, exprs, story, problems, scene_ids, block, offsets = head
    if not (type(block) is int and block > 0):
        return None
    if len(offsets) != -(-len(scene_ids) // block) + 1 or offsets[-1] != len(entries):
        return None
    collecting = gc.isenabled()
    gc.disable()  # as in the loader: many small objects, no cyclic garbage
    try:
        decoder = _Decoder(scope, scene_ids, paths, exprs, stale)
        scenes = LazyScenes(decoder, entries, scene_ids, block, offsets, reload, frozen)
        decoder.scenes = MappingProxyType(scenes)
        decoded = decoder.decode(story)
        found = [decoder.decode(p) for p in problems]
        decoder.scenes = MappingProxyType({})  # the scenes hold the decoder: no cycle back
    finally:
        if collecting:
            gc.enable()
    if not isinstance(decoded, Story) or not all(isinstance(p, Problem) for p in found):
        raise TypeError("not a story")
    return decoded, found
