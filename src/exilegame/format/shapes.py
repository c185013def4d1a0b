"""Checking the shape of YAML values: the generic half of the loader.

`ShapeReader` reads files and turns located YAML nodes into plain values (text, ids, flags,
numbers, dates, coordinates, compiled expressions), checking each against what the format
expects and recording a Problem with file, line, column and hint for anything else. Each
kind of spec.KINDS names its reader here (or, for references, in `refs`); `fields` reads a
whole record by its spec. The story-specific half, which knows what a scene or a choice is,
is `scenes` and `manifest`; `load` runs them. Just over 400 lines: one reader per kind, kept
together so that every kind's check and message can be read in one place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from exilegame._files import read_regular
from exilegame.errors import Problem
from exilegame.expr import Compiled, Compiler, ExprError, Scope
from exilegame.expr.model import NUMBER_MAX
from exilegame.format import spec
from exilegame.format.files import FILE_LIMIT
from exilegame.format.ids import is_id, suggest_id
from exilegame.format.yamlsrc import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    describe,
    parse_yaml,
    scalar_value,
)

__all__ = ["DATE_RE", "ShapeReader", "nearest", "normalise_prose", "yaml11_meaning"]

_YAML11_TRUE = frozenset({"yes", "on", "y"})
_YAML11_BOOLS = _YAML11_TRUE | {"no", "off", "n"}
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


_WHAT: dict[str, str] = {}  # a field's key as messages name it, "`key:`", made once per key


def normalise_prose(text: str) -> str:
    """Reflow hard-wrapped prose: blank lines separate paragraphs, single newlines are spaces."""
    if text.isascii():  # the usual case: one line, found by a few scans in C
        one_line = not (
            "\n" in text or "\r" in text or "\x0b" in text or "\x0c" in text or "\x1c" in text
        ) and not ("\x1d" in text or "\x1e" in text)  # (what str.splitlines splits on)
    else:
        one_line = text.isprintable()  # a line break is never printable
    if one_line:
        return text.strip()
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def yaml11_meaning(node: Node) -> str | None:
    """ "true" or "false" for `yes`, `no`, `on`, `off`, `y`, `n` (any case) written plain:
    YAML 1.1 (and PyYAML) read some of these as flags, YAML 1.2 and editors as text, so the
    format takes none of them as a flag. None for anything else."""
    if not (isinstance(node, ScalarNode) and node.implicit):
        return None
    word = node.value.lower()
    if word not in _YAML11_BOOLS:
        return None
    return "true" if word in _YAML11_TRUE else "false"


def nearest(name: str, options: Iterable[str]) -> str:
    import difflib  # only when there is an error to suggest a fix for

    match = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return match[0] if match else ""


class ShapeReader:
    """Reads files and checks values, collecting every problem instead of stopping."""

    def __init__(
        self, files: dict[Path, bytes] | None = None, refused: dict[Path, Problem] | None = None
    ) -> None:
        self.files = files or {}  # the folder's files, read up front (format.files)
        self.refused = refused or {}  # files not read (special, too large), each reported
        self.problems: list[Problem] = []
        self.raw: dict[Path, bytes] = {}  # to find indentation when an expression is wrong
        self.digest = hashlib.sha256()  # of every file read, in order: the story's fingerprint
        self.compiler = Compiler(Scope({}, {}, frozenset(), frozenset()))

    # -- reporting ---------------------------------------------------------------------

    def error(self, path: Path, node: Node | None, message: str, hint: str = "") -> None:
        line, column = (node.line + 1, node.column + 1) if node else (0, 0)
        self.problems.append(Problem(path, line, column, message, hint))

    def warn(self, path: Path, node: Node | None, message: str, hint: str = "") -> None:
        line, column = (node.line + 1, node.column + 1) if node else (0, 0)
        self.problems.append(Problem(path, line, column, message, hint, "warning"))

    # -- reading files -----------------------------------------------------------------

    def read(self, path: Path) -> Node | None:
        raw = self.files.get(path)
        if raw is None:
            if path in self.refused:  # reported already
                return None
            try:
                raw = read_regular(path, FILE_LIMIT)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                self.problems.append(Problem(path, 0, 0, f"cannot read the file: {reason}"))
                return None
        self.digest.update(path.name.encode() + b"\0")
        self.digest.update(raw)  # not concatenated: no copy of a large file
        self.digest.update(b"\0")
        self.raw[path] = raw
        return parse_yaml(path, raw, self.problems)

    # -- generic shape checks ----------------------------------------------------------

    def record(self, path: Path, node: Node, name: str, what: str) -> dict[str, Node] | None:
        """Check a mapping against spec.RECORDS[name]; return its values by key."""
        if not isinstance(node, MappingNode):
            keys = ", ".join(f.name for f in spec.RECORDS[name] if f.required)
            self.error(
                path,
                node,
                f"{what} should be a mapping, not {describe(node)}",
                f"write it as `key: value` lines (needs: {keys})" if keys else "",
            )
            return None
        fields = spec.fields_of(name)
        values: dict[str, Node] = {}
        suggested: set[str] = set()
        for key, value in node.value:
            if key.__class__ is not ScalarNode:
                self.error(path, key, f"a key in {what} must be a plain word")
                continue
            if key.value not in fields:
                near = nearest(key.value, fields)
                suggested.add(near)
                hint = f"did you mean '{near}'?" if near else "the keys are: " + ", ".join(fields)
                self.error(path, key, f"unknown key '{key.value}' in {what}", hint)
                continue
            values[key.value] = value
        for f in spec.required_of(name):
            if f.name not in values and f.name not in suggested:
                self.error(
                    path, node, f"{what} has no '{f.name}'", f"add `{f.name}:` ({f.doc.lower()})"
                )
        return values

    def fields(
        self, path: Path, values: dict[str, Node], name: str, skip: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """Every key present in a checked record, read by its kind's reader (spec.KINDS).

        Keys of nested records (`map:`, `list:`, `record:`) and keys in `skip` are left to
        the caller.
        """
        out: dict[str, Any] = {}
        readers = spec.readers_of(name)
        kind = type(self)  # its functions, called with self: no bound method per value
        for key, node in values.items():
            reader = readers.get(key)
            if reader is not None and key not in skip:
                what = _WHAT.get(key) or _WHAT.setdefault(key, f"`{key}:`")
                out[key] = getattr(kind, reader)(self, path, node, what)
        return out

    def mapping(self, path: Path, node: Node, what: str) -> list[tuple[str, Node, Node]]:
        """The (key, key node, value node) of a mapping keyed by ids."""
        if not isinstance(node, MappingNode):
            self.error(
                path,
                node,
                f"{what} should be a mapping, not {describe(node)}",
                "write one `id: ...` entry per line",
            )
            return []
        items = []
        for key, value in node.value:
            name = self.ident(path, key, what)
            if name is not None:
                items.append((name, key, value))
        return items

    def sequence(self, path: Path, node: Node, what: str) -> list[Node]:
        if isinstance(node, SequenceNode):
            return list(node.value)
        self.error(
            path,
            node,
            f"{what} should be a list, not {describe(node)}",
            "write each item on its own line starting with `- `",
        )
        return []

    def string(self, path: Path, node: Node | None, what: str, default: str = "") -> str:
        if node is None:
            return default
        if isinstance(node, ScalarNode) and not node.is_null:
            return node.value
        self.error(
            path,
            node,
            f"{what} should be text, not {describe(node)}",
            "write the text after the colon; quote it if it contains `: `",
        )
        return default

    def prose(self, path: Path, node: Node | None, what: str) -> str:
        return normalise_prose(self.string(path, node, what))

    def texts(self, path: Path, node: Node | None, what: str) -> tuple[str, ...]:
        """A list of prose items (e.g. an outcome's discussion questions)."""
        if node is None:
            return ()
        return tuple(self.prose(path, item, what) for item in self.sequence(path, node, what))

    def ident(self, path: Path, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or node.is_null:
            self.error(path, node, f"{what} should be an id, not {describe(node)}")
            return None
        if not is_id(node.value):
            self.error(
                path,
                node,
                f"'{node.value}' is not a valid id in {what}",
                "an id is letters (of any alphabet) and digits, then also - and _, "
                f"e.g. '{suggest_id(node.value)}'",
            )
            return None
        return node.value

    def flag(self, path: Path, node: Node | None, what: str, default: bool = False) -> bool:
        if node is None:
            return default
        if self.yaml11_bool(path, node, what):
            return default
        value = scalar_value(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool):
            return value
        self.error(path, node, f"{what} should be true or false, not {describe(node)}")
        return default

    def yaml11_bool(self, path: Path, node: Node, what: str) -> bool:
        """Refuse a YAML 1.1 flag word where a flag is expected, saying which to write."""
        meant = yaml11_meaning(node)
        if meant is None:
            return False
        word = node.value if isinstance(node, ScalarNode) else ""
        self.error(
            path,
            node,
            f"{what} should be true or false, not `{word}`",
            f"write `{meant}`: `{word}` means {meant} only in old YAML (1.1); editors and "
            "YAML 1.2 read it as text",
        )
        return True

    def integer(self, path: Path, node: Node | None, what: str) -> int | None:
        if node is None:
            return None
        value = scalar_value(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value if self.in_range(path, node, value, what) else None
        self.error(path, node, f"{what} should be a whole number, not {describe(node)}")
        return None

    def in_range(self, path: Path, node: Node, value: int, what: str) -> bool:
        """Whether a number is within the range numbers take; reports it if not."""
        if -NUMBER_MAX <= value <= NUMBER_MAX:
            return True
        self.error(
            path,
            node,
            f"{what} is out of range",
            f"numbers go from -{NUMBER_MAX:_} to {NUMBER_MAX:_}",
        )
        return False

    def ids(self, path: Path, node: Node | None, what: str) -> list[tuple[str, Node]]:
        if node is None:
            return []
        node_list: list[Node]
        if isinstance(node, ScalarNode):
            node_list = [node]
        elif isinstance(node, SequenceNode):
            node_list = list(node.value)
        else:
            self.error(
                path,
                node,
                f"{what} should be a list of ids, not {describe(node)}",
                "write [a, b] or one `- a` per line",
            )
            return []
        out: list[tuple[str, Node]] = []
        for item in node_list:
            value = self.ident(path, item, what)
            if value is not None:
                out.append((value, item))
        return out

    # -- expressions -------------------------------------------------------------------

    def condition(self, path: Path, node: Node | None, what: str = "`if:`") -> Compiled | None:
        return self.compile(path, node, "if")

    def effect(self, path: Path, node: Node | None, what: str = "`do:`") -> Compiled | None:
        return self.compile(path, node, "do")

    def compile(self, path: Path, node: Node | None, kind: str) -> Compiled | None:
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or node.is_null:
            self.error(
                path,
                node,
                f"`{kind}:` should be an expression, not {describe(node)}",
                "e.g. `trust > 2`" if kind == "if" else "e.g. `trust += 1`",
            )
            return None
        tag = node.local_tag
        if tag is not None:
            self.error(
                path,
                node,
                f"`{kind}:` starts with `{tag}`, which YAML reads as a tag, not as the expression",
                f"in YAML `!` starts a tag: write `{kind}: not {tag[1:]}`"
                if kind == "if" and tag[1:].isidentifier()
                else f'in YAML `!` starts a tag: quote the whole expression, `{kind}: "..."`',
            )
            return None
        meant = yaml11_meaning(node)
        if kind == "if" and meant is not None:
            self.error(
                path,
                node,
                f"`if: {node.value}` is not a condition",
                f"write `if: {meant}`: `{node.value}` is a flag only in old YAML 1.1",
            )
            return None
        try:
            if kind == "if":
                return self.compiler.condition(node.value)
            return self.compiler.effect(node.value)
        except ExprError as exc:
            line, column = self._expr_position(path, node, exc)
            self.problems.append(Problem(path, line, column, exc.message, exc.hint))
            return None

    def _expr_position(self, path: Path, node: ScalarNode, exc: ExprError) -> tuple[int, int]:
        start_line, start_col = node.line + 1, node.column + 1
        if node.style in ("|", ">"):
            line = start_line + exc.line
            text = self.raw.get(path, b"").decode("utf-8", "replace").splitlines()
            indent = 0
            if 0 < line <= len(text):
                indent = len(text[line - 1]) - len(text[line - 1].lstrip(" "))
            return line, indent + exc.offset + 1
        if exc.line > 1:
            return start_line, start_col
        quote = 1 if node.style in ("'", '"') else 0
        leading = len(node.value) - len(node.value.lstrip())
        return start_line, start_col + quote + leading + exc.offset

    def coords(self, path: Path, node: Node, what: str = "`coords:`") -> tuple[float, float] | None:
        values = []
        if isinstance(node, SequenceNode) and len(node.value) == 2:
            for item in node.value:
                v = scalar_value(item) if isinstance(item, ScalarNode) else None
                if isinstance(v, int | float) and not isinstance(v, bool):
                    values.append(float(v))
        if len(values) == 2 and -90 <= values[0] <= 90 and -180 <= values[1] <= 180:
            return (values[0], values[1])
        self.error(
            path,
            node,
            "`coords:` should be [latitude, longitude] in degrees",
            "e.g. `coords: [40.86, 29.12]` (north and east are positive)",
        )
        return None

    def date(self, path: Path, node: Node | None, what: str = "`date:`") -> str:
        if node is None:
            return ""
        text = node.value if isinstance(node, ScalarNode) else ""
        match = DATE_RE.match(text)
        if match:
            month = int(match.group(2) or 1)
            day = int(match.group(3) or 1)
            if 1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]:
                return text
        self.error(
            path,
            node,
            f"the date should be YYYY-MM-DD, YYYY-MM or YYYY, not {describe(node)}",
            "e.g. `date: 1929-02-12`, or `date: 1931-03` when the day is not known",
        )
        return ""
