"""The values the fast YAML reader (`fastyaml`) takes on one line, read as libyaml reads them:
quoted scalars closed on their line, flow lists and mappings of plain words, and `|` and `>`
blocks (which go on over the lines below). Each raises GiveUp where its text leaves what it
is certain of, and `fastyaml` gives the whole file back to libyaml.
"""

from __future__ import annotations

import re
from typing import Any

from exilegame.format.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["SIMPLE_KEY", "GiveUp", "block", "flow", "quoted"]

# libyaml wants a key's `:` within 1,024 bytes of its start: characters, at most 4 bytes each
SIMPLE_KEY = 250


class GiveUp(Exception):
    """The text leaves the subset the fast reader is certain of: libyaml reads it instead."""


_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "n": "\n", "t": "\t"}
_HEADER = re.compile(r"([|>])([-+]?)(?: +#.*| *)$")
# a word in a flow list or mapping, and the spaces after it
_WORD = re.compile(r"((?:[^ ,\[\]{}#&*!|>'\"%@?:`-]|-(?=[^ ,\[\]{}#:'\"]))[^,\[\]{}#:'\"]*) *")
_FLOW_COLON = re.compile(r": +")
_SPACES = re.compile(" *")
_TAIL = re.compile(r"(?: +#.*| *)$")  # what may follow a value on its line


def quoted(line: str, col: int) -> tuple[str, str, int]:
    """A quoted scalar closed on its line: its value, its style and the column after it."""
    if line[col] == "'":
        found = _SINGLE.match(line, col)
        if found is None:
            raise GiveUp
        return found.group(1).replace("''", "'"), "'", found.end()
    found = _DOUBLE.match(line, col)
    if found is None:
        raise GiveUp
    text = found.group(1)
    if "\\" in text:
        text = _ESCAPE.sub(_unescape, text)
    return text, '"', found.end()


def _unescape(escape: re.Match[str]) -> str:
    replaced = _ESCAPES.get(escape.group(1))
    if replaced is None:
        raise GiveUp
    return replaced


def flow(line: str, i: int, col: int) -> Node:
    """A flow list or mapping of plain words, closed on its line."""
    is_list = line[col] == "["
    node: Any = SequenceNode([], i, col) if is_list else MappingNode([], i, col)
    close = "]" if is_list else "}"
    seen: set[str] = set()
    at = _SPACES.match(line, col + 1).end()  # type: ignore[union-attr]
    if line[at : at + 1] != close:
        while True:
            word = _WORD.match(line, at)
            if word is None:
                raise GiveUp
            item = ScalarNode(word.group(1).rstrip(" "), None, True, "", i, at)
            at = word.end()
            if is_list:
                node.value.append(item)
            else:
                colon = _FLOW_COLON.match(line, at)
                value = _WORD.match(line, colon.end()) if colon is not None else None
                long = at - item.column > SIMPLE_KEY  # libyaml wants the `:` near its key
                if value is None or long or item.value in seen or item.value == "<<":
                    raise GiveUp
                seen.add(item.value)
                text = value.group(1).rstrip(" ")
                node.value.append((item, ScalarNode(text, None, True, "", i, value.start())))
                at = value.end()
            if line[at : at + 1] != ",":
                break
            at = _SPACES.match(line, at + 1).end()  # type: ignore[union-attr]
    if line[at : at + 1] != close or _TAIL.match(line, at + 1) is None:
        raise GiveUp
    read: Node = node
    return read


def block(lines: list[str], i: int, col: int, parent: int) -> tuple[Node, int]:
    """A `|` or `>` block at `col` of line i, read as libyaml's scan_block_scalar reads it
    (inside a collection at column `parent`), and the index of the line after it."""
    header = _HEADER.match(lines[i], col)
    if header is None:
        raise GiveUp  # an indentation indicator, or a mistake
    literal = header.group(1) == "|"
    chomp = header.group(2)
    last = len(lines) - 1  # the one line with no line break after it
    pieces: list[str] = []
    breaks = 0
    leading_break = ""
    leading_blank = False
    j = i + 1
    # blank lines before the first line of text; the widest of them sets the indentation
    widest = 0
    column = 0
    at_end = j > last
    while not at_end:
        here = lines[j]
        column = len(here) - len(here.lstrip(" "))
        widest = max(widest, column)
        if column < len(here):
            break
        if j == last:
            at_end = True
            break
        breaks += 1
        j += 1
    indent = max(widest, parent + 1, 1)
    while column == indent and not at_end:
        text = lines[j][indent:]
        trailing_blank = text[0] == " "
        if not literal and leading_break and not leading_blank and not trailing_blank:
            if not breaks:
                pieces.append(" ")  # a line break folded into a space
        else:
            pieces.append(leading_break)
        leading_break = ""
        if breaks:
            pieces.append("\n" * breaks)
            breaks = 0
        leading_blank = trailing_blank
        pieces.append(text)
        if j == last:
            j += 1
            at_end = True
            break
        leading_break = "\n"
        j += 1
        while True:  # the line breaks after it, up to the next line of text
            here = lines[j]
            column = min(len(here) - len(here.lstrip(" ")), indent)
            if column < len(here):
                break
            if j == last:
                at_end = True
                break
            breaks += 1
            j += 1
    if chomp != "-":
        pieces.append(leading_break)
    if chomp == "+":
        pieces.append("\n" * breaks)
    return ScalarNode("".join(pieces), None, False, header.group(1), i, col), j
