"""Read one YAML file into a located node tree, reporting every problem instead of raising.

The loader needs line and column for every value, so files are *composed* (not loaded)
with PyYAML's safe C parser when available. Checks PyYAML would skip or crash on come first:
undecodable bytes, tab indentation, empty files; duplicate keys are found while walking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)

STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a file, 1-based, for messages."""

    path: Path
    line: int
    column: int


def where(path: Path, node: Node) -> Where:
    """The 1-based position where `node` starts."""
    return Where(path, node.start_mark.line + 1, node.start_mark.column + 1)


def read_yaml(path: Path, problems: list[Problem]) -> Node | None:
    """Compose `path` into a node tree, or add problems and return None."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(path, 0, 0, f"cannot read the file: {exc.strerror}"))
        return None
    return parse_yaml(path, raw, problems)


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
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
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
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(path, exc))
        return None
    except yaml.YAMLError as exc:  # unmarked errors are rare; still never a traceback
        problems.append(Problem(path, 0, 0, f"YAML error: {exc}"))
        return None
    if node is None:
        problems.append(Problem(path, 1, 1, "the file holds no YAML document"))
        return None
    _find_duplicate_keys(path, node, problems)
    return node


def _syntax_problem(path: Path, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    column = mark.column + 1 if mark else 0
    problem = (exc.problem or "syntax error").strip()
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = 'a value that contains ": " must be quoted, or written as a block with `|`'
    elif "could not find expected ':'" in problem:
        hint = "each line of a mapping is `key: value`; quote values that span lines"
    elif "found character '%'" in problem or "found character '`'" in problem:
        hint = "quote a value that starts with a special character"
    elif "expected <block end>" in problem or "did not find expected key" in problem:
        hint = "check the indentation: keys of one mapping must line up"
    elif "found undefined alias" in problem:
        hint = "define the anchor (&name) before using it (*name)"
    context = f" ({exc.context})" if exc.context else ""
    return Problem(path, line, column, f"YAML syntax: {problem}{context}", hint)


def _find_duplicate_keys(path: Path, root: Node, problems: list[Problem]) -> None:
    stack: list[tuple[Node, str]] = [(root, "")]
    while stack:
        node, parent_key = stack.pop()
        if isinstance(node, MappingNode):
            seen: dict[Any, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        first = seen[key.value].start_mark.line + 1
                        what = "scene" if parent_key == "scenes" else "key"
                        problems.append(
                            Problem(
                                path,
                                key.start_mark.line + 1,
                                key.start_mark.column + 1,
                                f"the {what} '{key.value}' is defined twice "
                                f"(first on line {first})",
                                "rename or remove one of them: YAML would silently keep "
                                "only the last",
                            )
                        )
                    else:
                        seen[key.value] = key
                name = key.value if isinstance(key, ScalarNode) else ""
                stack.append((value, name))
        elif isinstance(node, SequenceNode):
            stack.extend((item, "") for item in node.value)


def scalar_value(node: ScalarNode) -> Any:
    """The Python value of a scalar node, as YAML's safe schema reads it."""
    if node.tag == STR_TAG:
        return node.value
    construct = _constructor.yaml_constructors.get(node.tag)
    if construct is None:  # an explicit tag such as !!python/object: never built, shown as text
        return node.value
    return construct(_constructor, node)


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
