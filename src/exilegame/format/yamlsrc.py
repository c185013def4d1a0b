"""Read one YAML file into a located node tree, reporting every problem instead of raising.

The loader needs line and column for every value, so files are *composed* (not loaded)
with PyYAML's safe C parser when available. Checks PyYAML would skip or crash on come first:
undecodable bytes, control characters, tab indentation, empty files; duplicate keys, merge
keys, explicit tags and the limits of `format.limits` are checked while composing, event by
event, so that a hostile file is stopped at a limit instead of parsed to the end.

The nodes themselves are in `nodes`; they are re-exported here for the readers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from exilegame.errors import Problem
from exilegame.format import fastyaml
from exilegame.format.limits import (
    COLLECTION_TAGS,
    CONTROL,
    MAX_DEPTH,
    MAX_NODES,
    depth_problem,
    raw_control_problems,
    size_problem,
    tag_problem,
    value_problem,
)
from exilegame.format.nodes import (
    MERGE_TAG,
    STR_TAG,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    describe,
    pyyaml,
    scalar_value,
    where,
)
from exilegame.format.syntax import syntax_problem

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


_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


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
    plain = fastyaml.plain_text(raw)  # no control character, tab, CR ...: a cheap first look
    controls = [] if plain else raw_control_problems(path, text)
    if controls:
        problems.extend(controls)
        return None
    tabs = list(_TAB_INDENT.finditer(text)) if not plain and "\t" in text else []
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
    if _empty(text):
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
    node = fastyaml.compose(text, plain)  # the plain subset scene files use, or None
    if node is not None:
        return node
    yaml = pyyaml()[0]
    try:
        return _compose(path, text, problems)
    except yaml.MarkedYAMLError as exc:
        problems.append(syntax_problem(path, exc, text))
        return None
    except yaml.YAMLError as exc:  # unmarked errors are rare; still never a traceback
        problems.append(Problem(path, 0, 0, f"YAML error: {exc}"))
        return None
    except (RecursionError, MemoryError):  # not reached within the limits; still located
        problems.append(Problem(path, 0, 0, "the file is too large or too deeply nested"))
        return None


def _empty(text: str) -> bool:
    """Whether every line is blank or a comment: a line with more in the first few thousand
    characters says no at once (a line cut short there starts as the whole line does)."""
    for line in text[:4096].splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return False
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


def _compose(path: Path, text: str, problems: list[Problem]) -> Node | None:
    """Build slim nodes from the safe parser's events, finding duplicate keys on the way.

    PyYAML's own composer makes two Mark objects per node and resolves every tag eagerly;
    doing it here is several times faster on large stories and keeps the same semantics.
    The limits (depth, values, control characters, tags) are checked here too: see the
    module's docstring. Returns None after adding a problem when a limit is passed.
    """
    yaml, loader, _, _ = pyyaml()
    anchors: dict[str, Node] = {}
    anchored: set[int] = set()  # ids of the nodes that have an anchor
    sizes: dict[int, int] = {}  # id(anchored node) -> values it stands for, itself included
    # open containers: [node, pending key or None, seen keys, parent key, merges, values inside]
    stack: list[Any] = []
    root: Node | None = None
    documents = 0
    total = 0  # values so far, aliases counted in full
    control = CONTROL.search  # the loop is hot: local names
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    max_nodes = MAX_NODES
    # What yaml.parse does, without a generator and a check_event call around each event:
    # the parser's own get_event gives None after the stream's end. (Its dispose() frees
    # nothing the reference count does not: the C parser's is empty.)
    get_event = loader(text).get_event
    while (event := get_event()) is not None:
        kind = type(event)
        node: Node
        size = 1
        if kind is scalar_event:
            mark = event.start_mark
            value, tag, style = event.value, event.tag, event.style
            node = ScalarNode(value, tag, event.implicit[0], style, mark.line, mark.column)
            # Raw control characters were refused before parsing: only a double-quoted
            # scalar can make one, from an escape such as "\e".
            if (
                tag is not None and tag != "!" and tag != STR_TAG and not _expression_tag(stack)
            ) or (style == '"' and control(value)):
                problem = value_problem(path, node.line, node.column, value, node.tag)
                if problem is not None:
                    problems.append(problem)
        elif kind is mapping_start or kind is sequence_start:
            mark = event.start_mark
            is_mapping = kind is mapping_start
            container: Node = (
                MappingNode([], mark.line, mark.column)
                if is_mapping
                else SequenceNode([], mark.line, mark.column)
            )
            if len(stack) >= MAX_DEPTH:
                problems.append(depth_problem(path, mark.line, mark.column))
                return None
            what = "mapping" if is_mapping else "list"
            if event.tag is not None and event.tag != "!" and event.tag != COLLECTION_TAGS[what]:
                problems.append(tag_problem(path, mark.line, mark.column, event.tag, f"a {what}"))
            if event.anchor:
                anchors[event.anchor] = container
                anchored.add(id(container))
            parent_key = ""
            if stack and isinstance(stack[-1][0], MappingNode) and stack[-1][1] is not None:
                key = stack[-1][1]
                parent_key = key.value if isinstance(key, ScalarNode) else ""
            stack.append([container, None, {}, parent_key, None, 0])
            continue
        elif kind is mapping_end or kind is sequence_end:
            node, _, _, _, merges, inside = stack.pop()
            size = inside + 1
            if merges is not None and isinstance(node, MappingNode):
                _merge(node, merges)
        elif kind is alias_event:
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
            size = sizes.get(id(node), 1)
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
        if kind is scalar_event and event.anchor:
            anchors[event.anchor] = node
            anchored.add(id(node))
        if anchored and kind is not alias_event and id(node) in anchored:
            sizes[id(node)] = size
        total += size
        if total > max_nodes:
            mark = event.start_mark
            problems.append(size_problem(path, mark.line, mark.column, bool(anchors)))
            return None
        if not stack:
            root = node
            continue
        top = stack[-1]
        top[5] += size
        parent = top[0]
        if parent.__class__ is SequenceNode:
            parent.value.append(node)
        elif top[1] is None:
            top[1] = node
        else:
            key = top[1]
            top[1] = None
            if key.__class__ is ScalarNode and key.value == "<<" and _is_merge_key(key):
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
            if key.__class__ is ScalarNode:
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


def _expression_tag(stack: list[Any]) -> bool:
    """Whether the scalar now read is the value of an `if:` or `do:` (whose tag the loader
    reports with its own hint: in `if: !flag`, YAML reads `!flag` as a tag)."""
    if not stack or not isinstance(stack[-1][0], MappingNode):
        return False
    key = stack[-1][1]
    return isinstance(key, ScalarNode) and key.value in ("if", "do")


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
