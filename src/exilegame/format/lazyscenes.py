"""The scenes of a story read from the cache: built fast, each the first time it is asked for.

`LazyScenes` is the mapping a story from the cache holds its scenes in (behind a
MappingProxyType): it decodes a scene's cache entry the first time the scene is asked for.
`SceneBuilder` turns an entry (a flat tuple, see `cachecodec`) into the scene's objects.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MemberDescriptorType
from typing import Any

from exilegame._record import draft
from exilegame.expr import Compiled
from exilegame.story import PER_PATH, Choice, Paragraph, Scene, _LazyWhere, _Located

__all__ = ["BLOCK", "FAST", "FREEZE_EVERY", "LazyScenes", "SceneBuilder"]

# A story kept out of the cyclic collector's scans (`story.long_lived`) has the scenes
# decoded later join it, in batches of this many scenes: see LazyScenes.
FREEZE_EVERY = 256
# Scenes are written and decoded this many at a time, in file order: see LazyScenes.
BLOCK = 32

# A scene is a handful of frozen objects, built the first time the scene is visited. For
# the classes a scene is made of, while they have exactly these fields, in slots, and no
# __post_init__, they are built as drafts (`_record.draft`: plain stores, then the class;
# the result is the same object, field for field); else `slow` calls the classes. The
# `where` of a scene and of its choices is left to be made when asked for (story._Located).
_LAYOUT = {
    Paragraph: ("text", "condition"),
    Choice: (
        "id",
        "key",
        "text",
        "target",
        "condition",
        "effect",
        "note",
        "sources",
        "show_locked",
        "documented",
        "where",
    ),
    Scene: (
        "id",
        "local_id",
        "phase",
        "date",
        "place",
        "text",
        "choices",
        "title",
        "people",
        "role",
        "ends_game",
        "where",
    ),
}
FAST = all(
    tuple(f.name for f in dataclasses.fields(cls)) == names
    and not hasattr(cls, "__post_init__")
    and all(
        isinstance(vars(cls).get(n), MemberDescriptorType)
        or (n == "where" and isinstance(vars(cls).get(n), _LazyWhere))
        for n in names
    )
    for cls, names in _LAYOUT.items()
) and all(cls.__bases__ == (_Located,) for cls in (Scene, Choice))


_DRAFT_PARAGRAPH, _DRAFT_CHOICE, _DRAFT_SCENE = (draft(cls) for cls in (Paragraph, Choice, Scene))


class SceneBuilder:
    """Builds a scene's objects from its cache entry, with these tables to resolve numbers."""

    def __init__(self, paths: list[Path], exprs: list[Compiled], ids: list[str]) -> None:
        self.paths = paths
        self.exprs = exprs
        self.ids = ids  # the story's scene ids, in file order: scenes and targets name them
        self.positions = len(paths) * PER_PATH  # packed positions lie in [0, positions)

    def scene_id(self, v: Any) -> str:
        """A scene id from an entry: a number in `ids`, or (an id not among them) its text."""
        if type(v) is int and v >= 0:
            return self.ids[v]
        if type(v) is str:
            return v
        raise ValueError("a scene id of the wrong shape")

    def slow(self, values: Any) -> Scene:
        """The scene built by calling the classes (when FAST is off)."""
        raise NotImplementedError

    def scene(self, values: Any) -> Scene:
        """A Scene from its flat tuple (see `_flat`).

        One function, its paragraphs, choices and places built in loops: a scene is decoded
        on its first visit, and a sweep of a large story decodes thousands, so calls and
        comprehensions (a new function object each, in Python 3.11) cost here."""
        if not FAST:
            return self.slow(values)
        if type(values) is not tuple or len(values) != 12:
            raise ValueError("a Scene entry of the wrong shape")
        paths, exprs, positions, ids = self.paths, self.exprs, self.positions, self.ids
        obj: Any = _DRAFT_SCENE()
        (scene_id, obj.local_id, obj.phase, obj.date, obj.place, texts, choices) = values[:7]
        obj.id = (
            ids[scene_id] if type(scene_id) is int and scene_id >= 0 else self.scene_id(scene_id)
        )
        (obj.title, obj.people, obj.role, obj.ends_game, where) = values[7:]
        made: list[Any] = []
        for v in texts:
            if type(v) is not tuple or len(v) != 2:
                raise ValueError("a Paragraph entry of the wrong shape")
            paragraph: Any = _DRAFT_PARAGRAPH()
            paragraph.text, condition = v
            paragraph.condition = None if condition is None else exprs[condition]
            paragraph.__class__ = Paragraph
            made.append(paragraph)
        obj.text = tuple(made)
        made = []
        for v in choices:
            if type(v) is not tuple or len(v) != 11:
                raise ValueError("a Choice entry of the wrong shape")
            choice: Any = _DRAFT_CHOICE()
            choice.id, choice.key, choice.text, target, condition, effect = v[:6]
            choice.target = (
                ids[target] if type(target) is int and target >= 0 else self.scene_id(target)
            )
            choice.note, choice.sources, choice.show_locked, choice.documented, at = v[6:]
            choice.condition = None if condition is None else exprs[condition]
            choice.effect = None if effect is None else exprs[effect]
            if at is None:
                choice.where = None
            elif type(at) is int and 0 <= at < positions:  # `where` made when asked for
                choice._paths = paths
                choice._at = at
            else:
                raise ValueError("a position out of range")
            choice.__class__ = Choice
            made.append(choice)
        obj.choices = tuple(made)
        if where is None:
            obj.where = None
        elif type(where) is int and 0 <= where < positions:
            obj._paths = paths
            obj._at = where
        else:
            raise ValueError("a position out of range")
        obj.__class__ = Scene
        scene: Scene = obj
        return scene


class LazyScenes(dict[str, Scene]):
    """A story's scenes, each decoded from its cache entry the first time it is asked for,
    with the scenes written next to it.

    Held behind a MappingProxyType, it is a read-only Mapping like any other: `[id]`, `get`,
    `in`, `len`, iteration (in file order), `keys()`/`values()`/`items()` and equality all
    behave as for the plain mapping a cold load gives. A decoded scene is an ordinary dict
    entry, so looking it up again costs what a dict lookup costs (play asks for the same few
    scenes at every step). Whatever walks every scene (the checker, the explorer) decodes
    them all, once.

    A scene is decoded with the others of its block (BLOCK scenes, in file order, one
    `marshal`ed entry), together: choices mostly lead to scenes written nearby, and a block
    read at once, into objects made one after the other, costs much less than its scenes
    decoded one at a time between steps of play (a fifth of the play time of walks that sweep
    a 10,000-scene story). A block is a fraction of a millisecond: a player never waits on
    one.

    With `frozen` (a story `load_story` made long-lived, see `story.long_lived`), every
    FREEZE_EVERY scenes decoded are taken out of the cyclic collector's scans as the rest of
    the story was (`gc.freeze`): they live as long as it does and hold no cycle, and left in
    the collector's generations each one was rescanned by several collections (a sixth of the
    time of walks that sweep a 10,000-scene story). A freeze also takes whatever else is alive
    at that moment out of the scans, for good; in batches, a story must have had hundreds of
    its scenes visited before the first one (docs/design.md, "The engine's hot path").

    The file's checksum was checked before any of it was read, so an entry that does not
    decode was forged with a valid checksum or written by a faulty encoder: then every scene
    is taken from `reload` (the folder loaded the slow way), never an exception in play.
    """

    def __init__(
        self,
        decoder: SceneBuilder,
        entries: memoryview,
        ids: list[str],
        block: int,
        offsets: list[int],
        reload: Callable[[], Mapping[str, Scene]],
        frozen: bool = False,
    ) -> None:
        super().__init__()
        self._decoder: SceneBuilder | None = decoder
        self._entries: memoryview | None = entries
        self._ids = ids
        self._block = block  # scenes a block's entry holds (BLOCK when it was written)
        self._order = {scene_id: i for i, scene_id in enumerate(ids)}
        self._offsets = offsets
        self._reload = reload
        self._lock = threading.Lock()
        self._frozen = frozen
        self._unfrozen = 0  # scenes decoded since the last freeze

    def __missing__(self, key: str) -> Scene:
        index = self._order.get(key)
        if index is None:
            raise KeyError(key)
        with self._lock:
            if not dict.__contains__(self, key):  # else another thread decoded it meanwhile
                self._decode_block(index)
            scene: Scene = dict.__getitem__(self, key)
            return scene

    def _decode_block(self, index: int) -> None:
        """Decode the block of scenes (in file order) that scene `index` is one of."""
        decoder, entries, offsets, ids = self._decoder, self._entries, self._offsets, self._ids
        assert decoder is not None and entries is not None
        block = self._block
        number = index // block
        start = number * block
        decoded = 0
        try:
            rows = marshal.loads(entries[offsets[number] : offsets[number + 1]])
            if type(rows) is not tuple or len(rows) != min(block, len(ids) - start):
                raise ValueError("a block entry of the wrong shape")
            scene_of = decoder.scene
            for scene_id, row in zip(ids[start : start + block], rows, strict=True):
                if dict.__contains__(self, scene_id):
                    continue
                scene = scene_of(row)
                if not isinstance(scene, Scene) or scene.id != scene_id:
                    raise ValueError("a scene entry names another scene")
                dict.__setitem__(self, scene.id, scene)  # the very string targets hold
                decoded += 1
        except Exception:  # forged or miswritten: take every scene from the files instead
            self._take_reloaded()
            return
        if self._frozen:
            self._unfrozen += decoded
            if self._unfrozen >= FREEZE_EVERY:
                self._unfrozen = 0
                gc.freeze()
        if dict.__len__(self) == len(ids):
            self._complete()

    def _take_reloaded(self) -> None:
        scenes = self._reload()
        if list(scenes) != self._ids:
            raise ValueError("the reloaded story has other scenes")
        dict.clear(self)
        dict.update(self, scenes)
        self._complete()

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
