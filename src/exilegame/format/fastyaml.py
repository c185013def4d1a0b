"""A fast reader for the plain part of YAML that scene files are written in.

libyaml, through PyYAML, makes a Python event object (with its marks) for every value before
`yamlsrc` turns it into a node: on a story of 10,000 scenes that was over half of a cold
load. Scene files use a small part of YAML, one line at a time, and this module reads that
part with a few regular expressions per line, into the very nodes libyaml's events give
(same values, styles, tags left to resolve, lines and columns):

- block mappings and lists, `- key: value` mappings and `- - x` lists opened in a list
  entry, and lists written at their key's own indentation;
- values on one line: plain, 'single' and "double" quoted (escapes \\\\ \\" \\/ \\n \\t
  only), and flow lists and mappings of plain words (`[a, b]`, `{name: The guard}`);
- `|` and `>` blocks, with `-` or `+` chomping;
- comments, blank lines, and Windows line ends.

It gives up on the whole file (`compose` returns None and `yamlsrc` parses it with libyaml,
unchanged) as soon as a line is anything else or anything it is not certain of: anchors,
aliases, tags, directives, document markers, `?` keys, values over several lines, other
escapes, indentation indicators, tabs and control characters, odd indentation, a key
written twice, `<<`, a simple key too long for libyaml, and every line YAML would refuse.
So problems are always found and worded by the libyaml path. `fastvalues` reads the quoted,
flow and block values; tests/format/test_fastyaml.py compares the two readers node by node
on every YAML file and on generated ones.
"""

from __future__ import annotations

import re
from typing import Any

from exilegame.format.fastvalues import SIMPLE_KEY, GiveUp, block, flow, quoted
from exilegame.format.limits import MAX_DEPTH, MAX_NODES
from exilegame.format.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["compose", "plain_text"]


# Characters libyaml reads in a way this reader does not: ASCII controls but newline (tab and
# carriage return too), C1 controls, Unicode line breaks, BOM, non-characters, surrogates.
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_ODD_ASCII = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])
_ODD_UTF8 = (b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")

# Each line, as the usual one: (`- `) `key: word` or `key:`, plain, with no `#` or `:` in the
# key or the word (nor `<`, `.`, `-` first in the key: `<<`, `...`, `-x`; no space before its
# colon). Other lines give no key. (Possessive: nothing to try again once a part is read.)
_USUAL = re.compile(
    r"( *+)(?:(- +)?([^ #'\"\[\]{}&*!|>%@?:,`.<\n-][^:#\n]*+)(?<! ):"
    r"(?:( +)([^ #'\"\[\]{}&*!|>%@?:,`\n-][^:#\n]*+))?\n|[^\n]*+\n)"
)
# Where a plain scalar ends on its line: a `: ` or a final `:` (a key), or a comment.
_STOP = re.compile(r": |:$| #")
_COLON = re.compile(r" *:( +|$)")
_TAIL = re.compile(r"(?: +#.*| *)$")  # what may follow a value on its line
_SPACES = re.compile(" *")
_SPECIAL = frozenset("-?:,[]{}#&*!|>'\"%@`")  # what a plain value does not start with


def plain_text(raw: bytes) -> bool:
    """Whether UTF-8 bytes hold none of the characters `compose` would check for (tabs,
    control characters, carriage returns, BOM ...), found without a pass in Python."""
    if len(raw.translate(None, _ODD_ASCII)) != len(raw):
        return False
    if raw.isascii():
        return True
    return not any(seq in raw for seq in _ODD_UTF8) and _C1_UTF8.search(raw) is None


def compose(text: str, plain: bool = False) -> Node | None:
    """The node tree libyaml gives for `text`, or None where the text leaves this reader's
    subset. `plain`: the text is known to pass `plain_text` (checked here otherwise)."""
    if not plain:
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        if _ODD.search(text):
            return None
    try:
        return _Reader(text.split("\n")).read(text)
    except GiveUp:
        return None


class _Reader:
    """One file's lines read into nodes. `read` takes the usual lines (`key: word` and
    `- key: word` where the indentation is the open collection's) in a few operations each
    and hands every other line to `line`, which raises GiveUp where they leave the subset."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        # open block collections, innermost last: (column, node, keys seen or None for a
        # list, whether it is a list written at its key's own indentation)
        self.stack: list[tuple[int, Any, dict[str, int] | None, bool]] = []
        self.root: Node | None = None
        self.count = 0  # values read, roughly (for MAX_NODES)
        # a key or `-` with nothing after it: (its collection's column, line, column, the
        # collection, the key or None)
        self.pending: tuple[int, int, int, Any, ScalarNode | None] | None = None

    def read(self, text: str) -> Node:
        """The root node of `text` (whose lines are self.lines)."""
        stack = self.stack
        top: Any = None  # the innermost open collection, its column, keys and kind
        top_col, seen, keyless = -1, None, False
        pending = None
        after = 0  # the first line not read yet (a block reads several)
        # one row a line (a file's last line is usually empty, and needs none: no copy then)
        rows = _USUAL.findall(text if text.endswith("\n") else text + "\n")
        for i, (spaces, dash, key, space, word) in enumerate(rows):
            if key and i >= after and len(key) <= 200:  # a usual line, not in a block
                col = len(spaces)
                if pending is not None:  # what the last `key:` or `-` holds
                    owner, at_line, at_column, container, held = pending
                    pending = None
                    if col > owner or (dash and col == owner and held is not None):
                        if len(stack) >= MAX_DEPTH - 2:
                            raise GiveUp
                        new: Any = SequenceNode([], i, col) if dash else MappingNode([], i, col)
                        container.value.append(new if held is None else (held, new))
                        top_col, top, seen, keyless = col, new, None if dash else {}, col == owner
                        stack.append((top_col, top, seen, keyless))
                    else:
                        empty = ScalarNode("", None, True, "", at_line, at_column)
                        container.value.append(empty if held is None else (held, empty))
                if col < top_col or (keyless and col == top_col and not dash):
                    while len(stack) > 1 and (
                        col < top_col or (keyless and col == top_col and not dash)
                    ):
                        stack.pop()
                        top_col, top, seen, keyless = stack[-1]
                if col == top_col:
                    if not dash:
                        if seen is not None and key not in seen:
                            seen[key] = i
                            node = ScalarNode(key, None, True, "", i, col)
                            if word:
                                at = col + len(key) + 1 + len(space)
                                value = ScalarNode(word.rstrip(" "), None, True, "", i, at)
                                top.value.append((node, value))
                            else:  # `key:`, its value below
                                pending = (col, i, col + len(key) + 1, top, node)
                            continue
                    elif word and seen is None and len(stack) < MAX_DEPTH - 2:
                        at = col + len(dash)
                        node = ScalarNode(key, None, True, "", i, at)
                        value = ScalarNode(
                            word.rstrip(" "), None, True, "", i, at + len(key) + 1 + len(space)
                        )
                        new = MappingNode([(node, value)], i, at)
                        top.value.append(new)
                        top_col, top, seen, keyless = at, new, {key: i}, False
                        stack.append((top_col, top, seen, keyless))
                        continue
            if i < after:
                continue
            self.pending = pending
            after = self.line(i, self.lines[i])
            pending = self.pending
            if stack:
                top_col, top, seen, keyless = stack[-1]
        self.pending = pending
        if self.pending is not None:
            _, at_line, at_column, container, key = self.pending
            empty = ScalarNode("", None, True, "", at_line, at_column)
            container.value.append(empty if key is None else (key, empty))
        # at most three values a usual line, and self.count for the others
        if self.root is None or self.count + 3 * len(rows) > MAX_NODES // 2:
            raise GiveUp
        return self.root

    def line(self, i: int, line: str) -> int:
        """Read line i, any line; the index of the next line to read."""
        body = line.lstrip(" ")
        if not body or body[0] == "#":
            return i + 1
        col = len(line) - len(body)
        if col == 0 and body.startswith(("---", "...", "%")):
            raise GiveUp
        dash = body[0] == "-" and (len(body) == 1 or body[1] == " ")
        stack = self.stack
        if self.pending is not None:
            owner, at_line, at_column, container, key = self.pending
            self.pending = None
            if col > owner or (col == owner and dash and key is not None):
                new: Any = SequenceNode([], i, col) if dash else MappingNode([], i, col)
                container.value.append(new if key is None else (key, new))
                self.push(col, new, dash, col == owner)
            else:
                empty = ScalarNode("", None, True, "", at_line, at_column)
                container.value.append(empty if key is None else (key, empty))
                self.count += 1
        while stack and (stack[-1][0] > col or (stack[-1][3] and stack[-1][0] == col and not dash)):
            stack.pop()
        if not stack:
            if self.root is not None:
                raise GiveUp
            self.root = SequenceNode([], i, col) if dash else MappingNode([], i, col)
            self.push(col, self.root, dash, False)
        top_col, node, seen, _ = stack[-1]
        if top_col != col:
            raise GiveUp
        keyed: tuple[str, str | None, int, int] | None = None
        value: Any
        while seen is None:  # a list entry: `-`, then a value, a list or a mapping
            if not dash:
                raise GiveUp
            start = _SPACES.match(line, col + 1).end()  # type: ignore[union-attr]
            if start == len(line) or line[start] == "#":
                self.pending = (col, i, col + 1, node, None)
                return i + 1
            dash = line[start] == "-" and line[start + 1 : start + 2] in ("", " ")
            if not dash:
                keyed = _key(line, start)
                if keyed is None:
                    value, after = _value(self.lines, i, start, col)
                    node.value.append(value)
                    self.count += 1 if value.__class__ is ScalarNode else 1 + len(value.value)
                    return after
            new = SequenceNode([], i, start) if dash else MappingNode([], i, start)
            node.value.append(new)
            self.push(start, new, dash, False)
            node, col, seen = new, start, stack[-1][2]
        # a mapping entry: `key: value`
        if dash:
            raise GiveUp
        if keyed is None:
            keyed = _key(line, col)
            if keyed is None:
                raise GiveUp
        text, style, after_colon, start = keyed
        if start - col > SIMPLE_KEY or text in seen or text == "<<":
            raise GiveUp
        seen[text] = i
        key = ScalarNode(text, None, style is None, style or "", i, col)
        self.count += 2
        if start == len(line) or line[start] == "#":
            self.pending = (col, i, after_colon, node, key)
            return i + 1
        value, after = _value(self.lines, i, start, col)
        if value.__class__ is not ScalarNode:
            self.count += len(value.value)
        node.value.append((key, value))
        return after

    def push(self, col: int, node: Any, is_list: bool, keyless: bool) -> None:
        """Open a block collection."""
        if len(self.stack) >= MAX_DEPTH - 2:
            raise GiveUp
        self.stack.append((col, node, None if is_list else {}, keyless))
        self.count += 1


def _key(line: str, col: int) -> tuple[str, str | None, int, int] | None:
    """The key starting at `col` if the line is `key: ...` there: its text, its quote style
    (None if plain), the column after its `:` and the column of the value; None if not."""
    first = line[col]
    if first == "'" or first == '"':
        text, style, end = quoted(line, col)
        colon = _COLON.match(line, end)
        if colon is None:
            return None
        return text, style, colon.start(1), colon.end()
    if first in _SPECIAL and not (first == "-" and line[col + 1 : col + 2] not in ("", " ")):
        return None
    stop = _STOP.search(line, col)
    if stop is None or stop.group()[0] != ":":
        return None
    after = stop.start() + 1
    start = _SPACES.match(line, after).end()  # type: ignore[union-attr]
    return line[col : stop.start()].rstrip(" "), None, after, start


def _value(lines: list[str], i: int, col: int, parent: int) -> tuple[Node, int]:
    """The value written at `col` of line i (of a collection at column `parent`), and the
    index of the line after it."""
    line = lines[i]
    first = line[col]
    if first == "'" or first == '"':
        text, style, end = quoted(line, col)
        if _TAIL.match(line, end) is None:
            raise GiveUp
        return ScalarNode(text, None, False, style, i, col), i + 1
    if first == "[" or first == "{":
        return flow(line, i, col), i + 1
    if first == "|" or first == ">":
        return block(lines, i, col, parent)
    if first in _SPECIAL and not (first == "-" and line[col + 1 : col + 2] not in ("", " ")):
        raise GiveUp
    stop = _STOP.search(line, col)
    if stop is None:
        text = line[col:].rstrip(" ")
    elif stop.group() == " #":
        text = line[col : stop.start()].rstrip(" ")
    else:
        raise GiveUp  # `a: b: c`: YAML's "mapping values are not allowed here"
    return ScalarNode(text, None, True, "", i, col), i + 1
