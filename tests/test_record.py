"""`record` makes what `@dataclass(frozen=True, slots=True)` made, class by class."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from dataclasses import field
from functools import cached_property
from typing import Any

import pytest

from exilegame import story as story_module
from exilegame._record import record
from exilegame.errors import Problem, Where


def shapes() -> tuple[type, type]:
    """The same class body made twice: by `record` and by the dataclass decorator."""

    def body() -> type:
        class Sample:
            """A sample."""

            name: str
            count: int = 0
            tags: tuple[str, ...] = ()
            notes: dict[str, int] = field(default_factory=dict, compare=False)
            hidden: object = field(default=None, repr=False)

            def label(self) -> str:
                return f"{self.name}:{self.count}"

        return Sample

    return record(body()), dataclasses.dataclass(frozen=True, slots=True)(body())


Made, Reference = shapes()


@record
class Point:  # at module level, where pickle can find it by name
    x: int
    y: int = 0
    notes: dict[str, int] = field(default_factory=dict, compare=False)


def test_the_constructor_is_the_dataclass_constructor() -> None:
    assert str(inspect.signature(Made)) == str(inspect.signature(Reference))
    for args, kwargs in [(("a",), {}), (("a", 2, ("x",)), {"hidden": 5}), ((), {"name": "n"})]:
        made, reference = Made(*args, **kwargs), Reference(*args, **kwargs)
        assert repr(made) == repr(reference)
        assert made.label() == reference.label()
    with pytest.raises(TypeError):
        Made()
    with pytest.raises(TypeError):
        Made("a", 1, (), {}, None, "one too many")


def test_equality_and_hash_follow_the_compared_fields() -> None:
    one, same, other = Made("a", 1), Made("a", 1, notes={"x": 1}), Made("a", 2)
    assert one == same and hash(one) == hash(same)  # notes are not compared
    assert one != other
    assert one != Reference("a", 1)  # another class is never equal
    assert (one == "a") is False
    assert Made("a").notes is not Made("a").notes  # each gets its own from the factory


def test_a_record_is_frozen_and_has_no_dict() -> None:
    made = Made("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.count  # type: ignore[misc]
    assert not hasattr(made, "__dict__")
    assert Made.__slots__ == ("name", "count", "tags", "notes", "hidden")
    assert Made.__match_args__ == Reference.__match_args__


def test_copies_and_pickles_are_equal() -> None:
    made = Point(3, 4, {"k": 1})
    for twin in (copy.copy(made), copy.deepcopy(made), pickle.loads(pickle.dumps(made))):
        assert twin == made and twin.notes == {"k": 1}
        assert twin is not made
    assert copy.copy(Made("a", 1)) == Made("a", 1)


def test_a_class_keeps_its_own_equality_and_representation() -> None:
    @record
    class Named:
        name: str
        weight: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Named) and other.name == self.name

        def __hash__(self) -> int:
            return hash(self.name)

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert Named("a", 1) == Named("a", 2)
    assert repr(Named("a", 1)) == "<a>"


def test_without_slots_a_cached_property_works() -> None:
    @record(slots=False)
    class Lazy:
        value: int

        @cached_property
        def double(self) -> int:
            return self.value * 2

    lazy = Lazy(21)
    assert lazy.double == 42 and lazy.double == 42
    with pytest.raises(dataclasses.FrozenInstanceError):
        lazy.value = 1  # type: ignore[misc]


def test_a_field_without_default_cannot_follow_one_with() -> None:
    with pytest.raises(TypeError, match="'late' without a default"):

        @record
        class Wrong:
            early: int = 0
            late: int  # type: ignore[misc]


def test_the_model_classes_are_records_with_their_declared_fields() -> None:
    classes: list[Any] = [Where, Problem]
    classes += [
        getattr(story_module, n)
        for n in story_module.__all__
        if isinstance(getattr(story_module, n), type)
    ]
    for cls in classes:
        declared = inspect.get_annotations(cls)
        assert dataclasses.is_dataclass(cls), cls
        assert [(f.name, f.type) for f in dataclasses.fields(cls)] == list(declared.items())


def test_dataclass_helpers_work_on_records() -> None:
    made, reference = Made("a", 2, notes={"k": 1}), Reference("a", 2, notes={"k": 1})
    assert dataclasses.asdict(made) == dataclasses.asdict(reference)
    assert dataclasses.replace(made, count=5) == Made("a", 5)
    assert dataclasses.replace(made, count=5).notes == {"k": 1}
    assert [
        (f.name, f.type, f.default, f.default_factory, f.compare, f.repr)
        for f in dataclasses.fields(made)
    ] == [
        (f.name, f.type, f.default, f.default_factory, f.compare, f.repr)
        for f in dataclasses.fields(reference)
    ]
