"""Frozen records: the classes `@dataclass(frozen=True, slots=True)` makes, made faster.

The story model is a dozen frozen classes that every launch of the game defines. On Python
3.11 the dataclass decorator compiles each method it writes on its own, seven `exec` calls
a class, and rebuilds the class for its slots: defining the model took a noticeable part of
the game's start-up. `record` writes the same methods as one source text, compiles it once
per class, and builds the class with its slots the first time. The result behaves as the
dataclass did: the same `__init__` signature (defaults, `field(default_factory=...)`), `repr`,
equality and hashing over the compared fields, frozen (assigning raises
`dataclasses.FrozenInstanceError`), `__match_args__`, and copy and pickle support.

Type checkers read a record as a frozen dataclass (PEP 681's `dataclass_transform`), and a
record describes its fields as a dataclass does (`__dataclass_fields__`), so that
`dataclasses.fields`, `replace`, `asdict` and `is_dataclass` work on it.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

__all__ = ["draft", "record"]

T = TypeVar("T", bound=type)
_MISSING = dataclasses.MISSING


class _Factory:
    """The default shown in a signature for a field made by its `default_factory`."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


@overload
def record(cls: T, /) -> T: ...
@overload
def record(*, slots: bool = True) -> Callable[[T], T]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: T | None = None, /, *, slots: bool = True) -> T | Callable[[T], T]:
    """Make `cls` a frozen record of its annotated fields (with `__slots__` unless
    `slots=False`, for a class whose objects need a `__dict__` or weak references)."""
    if cls is None:
        return lambda c: _build(c, slots)
    return _build(cls, slots)


def _field(cls: type, name: str, kind: Any) -> dataclasses.Field[Any]:
    """The dataclasses.Field describing one field, as @dataclass would have made it."""
    value = cls.__dict__.get(name, _MISSING)
    spec: dataclasses.Field[Any] = (
        value if isinstance(value, dataclasses.Field) else dataclasses.field(default=value)
    )
    spec.name = name
    spec.type = kind
    spec._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
    return spec


def _build(cls: T, slots: bool) -> T:
    annotations: dict[str, Any] = inspect.get_annotations(cls)
    names = [n for n, kind in annotations.items() if not str(kind).startswith("ClassVar")]
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    params, body, compared, shown = [], [], [], []
    for name in names:
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, dataclasses.Field) else None
        default = spec.default if spec is not None else value
        factory = spec.default_factory if spec is not None else _MISSING
        if spec is None or spec.compare:
            compared.append(name)
        if spec is None or spec.repr:
            shown.append(name)
        if factory is not _MISSING:
            namespace[f"_factory_{name}"] = factory
            params.append(f"{name}=_FACTORY")
            body.append(f"    if {name} is _FACTORY: {name} = _factory_{name}()")
        elif default is not _MISSING:
            namespace[f"_default_{name}"] = default
            params.append(f"{name}=_default_{name}")
        elif params and params[-1].count("="):
            raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one with")
        else:
            params.append(name)
        body.append(f"    _set_{name}(self, {name})")

    members = {k: v for k, v in cls.__dict__.items() if k not in names}
    members.pop("__dict__", None)
    members.pop("__weakref__", None)
    members["__qualname__"] = cls.__qualname__
    if slots:
        members["__slots__"] = tuple(names)
    built: T = type(cls)(cls.__name__, cls.__bases__, members)
    for name in names:  # the slot's own setter, or the instance dictionary's
        slot = built.__dict__.get(name)
        if slot is not None:
            namespace[f"_set_{name}"] = slot.__set__
        else:
            namespace[f"_set_{name}"] = _dict_setter(name)

    source = "\n".join(
        [f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):"]
        + (body or ["    pass"])
    )
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), namespace)
    setters = tuple(namespace[f"_set_{n}"] for n in names)
    namespace["__init__"].__annotations__ = {n: annotations[n] for n in names} | {"return": None}
    methods: dict[str, Any] = {
        "__init__": namespace["__init__"],
        **({} if "__eq__" in cls.__dict__ else _compare_methods(compared)),
        **({} if "__repr__" in cls.__dict__ else {"__repr__": _repr_method(shown)}),
        "__setattr__": _frozen_setattr,
        "__delattr__": _frozen_delattr,
        "__match_args__": tuple(names),
        # as a dataclass describes itself, so that dataclasses.fields, replace, asdict and
        # is_dataclass work on records as they did
        "__dataclass_fields__": {name: _field(cls, name, annotations[name]) for name in names},
    }
    if slots:
        get_all = attrgetter(*names) if len(names) > 1 else None
        methods["__getstate__"] = _getstate_method(names, get_all)
        methods["__setstate__"] = _setstate_method(setters)
    for attribute, value in methods.items():
        if callable(value) and value not in (_frozen_setattr, _frozen_delattr):  # shared
            value.__qualname__ = f"{cls.__qualname__}.{attribute}"
        type.__setattr__(built, attribute, value)
    return built


def draft(cls: type) -> type:
    """A plain class with the slots of the frozen (record or dataclass) class `cls`, in the
    same order, for building its objects where speed matters: fill a draft by ordinary
    attribute stores, then give it the class `cls` (`obj.__class__ = cls`, which Python
    allows between classes of the same layout). The object is never seen as a `cls` before
    it is complete, and never changes after; a frozen class's `__init__` is several times
    slower, as it stores each field through a call. The draft has the bases of `cls`, so
    that slots a base adds (story._Located's) are laid out alike."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    return type(f"_Draft{cls.__name__}", cls.__bases__, {"__slots__": names})


def _compare_methods(compared: list[str]) -> dict[str, Callable[..., Any]]:
    """__eq__ and __hash__ over the compared fields, as a tuple of them (as dataclasses do)."""
    get = attrgetter(*compared) if len(compared) > 1 else None
    first = compared[0] if len(compared) == 1 else None

    def values(obj: Any) -> tuple[Any, ...]:
        if get is not None:
            got: tuple[Any, ...] = get(obj)
            return got
        return (getattr(obj, first),) if first is not None else ()

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    def __hash__(self: Any) -> int:
        return hash(values(self))

    return {"__eq__": __eq__, "__hash__": __hash__}


def _repr_method(shown: list[str]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({inner})"

    return __repr__


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate_method(names: list[str], get_all: Any) -> Callable[[Any], list[Any]]:
    def __getstate__(self: Any) -> list[Any]:
        if get_all is None:
            return [getattr(self, name) for name in names]
        return list(get_all(self))

    return __getstate__


def _setstate_method(setters: tuple[Callable[[Any, Any], None], ...]) -> Callable[..., None]:
    def __setstate__(self: Any, state: list[Any]) -> None:
        for setter, value in zip(setters, state, strict=True):
            setter(self, value)

    return __setstate__


def _dict_setter(name: str) -> Callable[[Any, Any], None]:
    def set_field(obj: Any, value: Any) -> None:
        obj.__dict__[name] = value

    return set_field
