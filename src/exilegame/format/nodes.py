"""The slim node tree a YAML file is read into: each value with where it starts.

Both readers build it: `yamlsrc` from libyaml's events, `fastyaml` from the lines of a file
in the plain subset scene files are written in. Tags are resolved lazily by PyYAML's own
resolver rules, and PyYAML itself is imported only when a tag or value is first asked for.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from exilegame.errors import Where

__all__ = [
    "BOOL_TAG",
    "IMPLICIT_FIRST",
    "INT_TAG",
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
INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# The first characters PyYAML's resolver has implicit rules for (the keys of
# Resolver.yaml_implicit_resolvers, a test checks): a plain scalar starting otherwise is text.
IMPLICIT_FIRST = frozenset("yYnNtTfFoO-+0123456789.<~=!&*")
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
_BOOL_WORDS = frozenset(w for word in _BOOLS for w in (word, word.title(), word.upper()))
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")  # an int in any YAML, read as Python reads it


def _resolve(value: str, implicit: bool) -> str | None:
    """The tag PyYAML's resolver gives an untagged scalar, where that needs no PyYAML:
    text, null, the flag words and decimal integers (each tried as PyYAML tries them, by
    first character); None for anything else."""
    if not implicit:
        return STR_TAG
    if not value:
        return NULL_TAG
    if value[0] not in IMPLICIT_FIRST:
        return STR_TAG
    if value in _NULLS:
        return NULL_TAG
    if value in _BOOL_WORDS:
        return BOOL_TAG
    if _DECIMAL.fullmatch(value):
        return INT_TAG
    return None


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
            tag = _resolve(self.value, self.implicit)
            if tag is None:
                yaml, _, _, resolver = pyyaml()
                tag = resolver.resolve(yaml.ScalarNode, self.value, (self.implicit, False))
            self._tag = tag
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
    if tag == NULL_TAG:  # PyYAML's constructors, where they need no PyYAML
        return None
    if tag == BOOL_TAG and node.value in _BOOL_WORDS:
        return _BOOLS[node.value.lower()]
    if tag == INT_TAG and _DECIMAL.fullmatch(node.value):
        return int(node.value)
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
