"""The slim node tree a YAML file is read into: each value with where it starts.

Both readers build it: `yamlsrc` from libyaml's events, `fastyaml` from the lines of a file
in the plain subset scene files are written in. Tags are resolved lazily by PyYAML's own
resolver rules, and PyYAML itself is imported only when a tag or value is first asked for.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from exilegame.errors import Where

__all__ = [
    "MERGE_TAG",
    "NULL_TAG",
    "STR_TAG",
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "describe",
    "pyyaml",
    "scalar_value",
    "where",
]


@cache
def pyyaml() -> tuple[Any, type, Any, Any]:
    """PyYAML and its safe parts, imported on first use: a story read from the cache, and
    everything that only plays one, never needs them (it saves a quarter of start-up)."""
    import yaml

    loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml, loader, yaml.constructor.SafeConstructor(), yaml.resolver.Resolver()


STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class Node:
    """A composed YAML value with where it starts (0-based line and column, as PyYAML)."""

    __slots__ = ("column", "line")

    line: int
    column: int


class ScalarNode(Node):
    """A scalar as written: its text, quoting style and (lazily resolved) YAML tag."""

    __slots__ = ("_tag", "implicit", "style", "value")

    def __init__(
        self, value: str, tag: str | None, implicit: bool, style: str | None, line: int, column: int
    ) -> None:
        self.value = value
        self._tag = tag
        self.implicit = implicit
        self.style = style
        self.line = line
        self.column = column

    @property
    def is_null(self) -> bool:
        """Whether YAML reads this scalar as null (`~`, `null` or nothing), cheaply."""
        if self._tag is not None and self._tag != "!":
            return self._tag == NULL_TAG
        return self.implicit and self.value in _NULLS

    @property
    def local_tag(self) -> str | None:
        """A tag written in the file such as `!flag` (YAML reads `if: !flag` so), else None."""
        tag = self._tag
        if tag is None or tag == "!" or tag.startswith("tag:yaml.org,2002:"):
            return None
        return tag

    @property
    def tag(self) -> str:
        """The resolved tag, by the same rules as PyYAML's safe loader."""
        if self._tag is None or self._tag == "!":
            yaml, _, _, resolver = pyyaml()
            self._tag = resolver.resolve(yaml.ScalarNode, self.value, (self.implicit, False))
        return self._tag


class MappingNode(Node):
    """A mapping: its (key node, value node) pairs in file order."""

    __slots__ = ("value",)

    def __init__(self, value: list[tuple[Node, Node]], line: int, column: int) -> None:
        self.value = value
        self.line = line
        self.column = column


class SequenceNode(Node):
    """A list of nodes."""

    __slots__ = ("value",)

    def __init__(self, value: list[Node], line: int, column: int) -> None:
        self.value = value
        self.line = line
        self.column = column


def where(path: Path, node: Node) -> Where:
    """The 1-based position where `node` starts."""
    return Where(path, node.line + 1, node.column + 1)


def scalar_value(node: ScalarNode) -> Any:
    """The Python value of a scalar node, as YAML's safe schema reads it."""
    tag = node.tag
    if tag == STR_TAG:
        return node.value
    yaml, _, constructor, _ = pyyaml()
    construct = constructor.yaml_constructors.get(tag)
    if construct is None:  # an explicit tag such as !!python/object: never built, shown as text
        return node.value
    try:
        return construct(constructor, yaml.ScalarNode(tag, node.value))
    except Exception:  # e.g. a timestamp of 30 February; explicit tags were checked already
        return node.value


def describe(node: Node) -> str:
    """What kind of YAML value a node is, for messages ("a list", "the number 3")."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    value = scalar_value(node)  # type: ignore[arg-type]
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the flag {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the text '{shown}'"
    return f"a {type(value).__name__}"
