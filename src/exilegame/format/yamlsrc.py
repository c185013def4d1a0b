"""Read one YAML file into a located node tree, reporting every problem instead of raising.

The loader needs line and column for every value, so files are *composed* (not loaded)
with PyYAML's safe C parser when available. Checks PyYAML would skip or crash on come first:
undecodable bytes, tab indentation, empty files; duplicate keys are found while walking.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exilegame.errors import Problem, Where
from exilegame.format.syntax import syntax_problem

if TYPE_CHECKING:
    pass

__all__ = [
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "describe",
    "parse_yaml",
    "scalar_value",
    "where",
]


@cache
def _yaml() -> tuple[Any, type, Any, Any]:
    """PyYAML and its safe parts, imported on first use: a story read from the cache, and
    everything that only plays one, never needs them (it saves a quarter of start-up)."""
    import yaml

    loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml, loader, yaml.constructor.SafeConstructor(), yaml.resolver.Resolver()


_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)

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
            yaml, _, _, resolver = _yaml()
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


def parse_yaml(path: Path, raw: bytes, problems: list[Problem]) -> Node | None:
    """Compose the bytes of `path` into a node tree, or add problems and return None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                path,
                line,
                column,
                f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be read)",
                "save the file as UTF-8 in your editor",
            )
        )
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    tabs = list(_TAB_INDENT.finditer(text))
    if tabs:
        for match in tabs:
            line = text.count("\n", 0, match.start()) + 1
            column = match.end() - match.start()
            problems.append(
                Problem(
                    path,
                    line,
                    column,
                    "a tab is used for indentation",
                    "indent with spaces only (two per level is usual)",
                )
            )
        return None
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        problems.append(
            Problem(
                path,
                1,
                1,
                "the file is empty",
                "a phase file starts with `phase: <id>`; see docs/scene-format.md",
            )
        )
        return None
    yaml = _yaml()[0]
    try:
        return _compose(path, text, problems)
    except yaml.MarkedYAMLError as exc:
        problems.append(syntax_problem(path, exc, text))
        return None
    except yaml.YAMLError as exc:  # unmarked errors are rare; still never a traceback
        problems.append(Problem(path, 0, 0, f"YAML error: {exc}"))
        return None


def _compose(path: Path, text: str, problems: list[Problem]) -> Node | None:
    """Build slim nodes from the safe parser's events, finding duplicate keys on the way.

    PyYAML's own composer makes two Mark objects per node and resolves every tag eagerly;
    doing it here is several times faster on large stories and keeps the same semantics.
    """
    yaml, loader, _, _ = _yaml()
    anchors: dict[str, Node] = {}
    stack: list[Any] = []  # open containers: [node, pending key or None, seen keys, parent key]
    root: Node | None = None
    documents = 0
    for event in yaml.parse(text, Loader=loader):
        kind = type(event)
        node: Node
        if kind is yaml.ScalarEvent:
            mark = event.start_mark
            node = ScalarNode(
                event.value, event.tag, event.implicit[0], event.style, mark.line, mark.column
            )
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            mark = event.start_mark
            container: Node = (
                MappingNode([], mark.line, mark.column)
                if kind is yaml.MappingStartEvent
                else SequenceNode([], mark.line, mark.column)
            )
            if event.anchor:
                anchors[event.anchor] = container
            parent_key = ""
            if stack and isinstance(stack[-1][0], MappingNode) and stack[-1][1] is not None:
                key = stack[-1][1]
                parent_key = key.value if isinstance(key, ScalarNode) else ""
            stack.append([container, None, {}, parent_key, None])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            node, _, _, _, merges = stack.pop()
            if merges is not None and isinstance(node, MappingNode):
                _merge(node, merges)
        elif kind is yaml.AliasEvent:
            if event.anchor not in anchors:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                )
            node = anchors[event.anchor]
            if any(entry[0] is node for entry in stack):
                mark = event.start_mark
                problems.append(
                    Problem(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        f"the alias *{event.anchor} is inside the value it names",
                        "a value cannot contain itself: copy the part you need instead",
                    )
                )
                return None
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                problems.append(
                    Problem(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        "a second YAML document starts here",
                        "a scene file holds one document: remove the `---` line",
                    )
                )
                return None
            continue
        else:
            continue
        if kind is yaml.ScalarEvent and event.anchor:
            anchors[event.anchor] = node
        if not stack:
            root = node
            continue
        top = stack[-1]
        parent = top[0]
        if isinstance(parent, SequenceNode):
            parent.value.append(node)
        elif top[1] is None:
            top[1] = node
        else:
            key = top[1]
            top[1] = None
            if _is_merge_key(key):
                sources = _merge_sources(node)
                if sources is None:
                    problems.append(
                        Problem(
                            path,
                            node.line + 1,
                            node.column + 1,
                            f"`<<` merges a mapping or a list of mappings, not {describe(node)}",
                            "write `<<: *name` where `&name` marks a mapping",
                        )
                    )
                    return None
                top[4] = (top[4] or []) + sources
                continue
            if isinstance(key, ScalarNode):
                seen = top[2]
                if key.value in seen:
                    what = "scene" if top[3] == "scenes" else "key"
                    problems.append(
                        Problem(
                            path,
                            key.line + 1,
                            key.column + 1,
                            f"the {what} '{key.value}' is defined twice "
                            f"(first on line {seen[key.value] + 1})",
                            "rename or remove one of them: YAML would silently keep only the last",
                        )
                    )
                else:
                    seen[key.value] = key.line
            parent.value.append((key, node))
    if root is None:
        problems.append(Problem(path, 1, 1, "the file holds no YAML document"))
    return root


def _is_merge_key(key: Node) -> bool:
    """`<<` written plain (or tagged !!merge): YAML's merge key."""
    return isinstance(key, ScalarNode) and key.value == "<<" and key.tag == MERGE_TAG


def _merge_sources(value: Node) -> list[MappingNode] | None:
    """The mappings a `<<` value merges, first one first; None if it is not mappings."""
    if isinstance(value, MappingNode):
        return [value]
    if isinstance(value, SequenceNode) and all(isinstance(v, MappingNode) for v in value.value):
        return [v for v in value.value if isinstance(v, MappingNode)]
    return None


def _merge(node: MappingNode, sources: list[MappingNode]) -> None:
    """Merge keys as YAML (and PyYAML) do: keys written in the mapping win over merged ones,
    and of the merged mappings the first listed wins; keys keep the order PyYAML gives them.
    A merged key keeps its own position, in the mapping it was written in."""
    pairs = [pair for source in reversed(sources) for pair in source.value] + node.value
    order: list[object] = []
    winner: dict[object, tuple[Node, Node]] = {}
    for key, value in pairs:
        name: object = key.value if isinstance(key, ScalarNode) else id(key)
        if name not in winner:
            order.append(name)
        winner[name] = (key, value)
    node.value = [winner[name] for name in order]


def scalar_value(node: ScalarNode) -> Any:
    """The Python value of a scalar node, as YAML's safe schema reads it."""
    tag = node.tag
    if tag == STR_TAG:
        return node.value
    yaml, _, constructor, _ = _yaml()
    construct = constructor.yaml_constructors.get(tag)
    if construct is None:  # an explicit tag such as !!python/object: never built, shown as text
        return node.value
    try:
        return construct(constructor, yaml.ScalarNode(tag, node.value))
    except (ValueError, OverflowError, yaml.YAMLError):  # e.g. a timestamp of 30 February
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
