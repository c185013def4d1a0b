"""fastyaml reads exactly what libyaml reads, node for node, or gives the file back to it.

Every comparison is between `fastyaml.compose` and yamlsrc's libyaml composer (`_compose`,
called directly: `parse_yaml` now tries the fast reader first): the same node types, values,
tags as written, implicit flags, styles, lines and columns, at every depth. Where libyaml
refuses a text, or finds a problem in it, the fast reader must give up. Where it gives up,
the test counts it, and the lists below say which texts it must read and which it must give
back, so that a reader giving up on everything, or on nothing, fails here.
"""

from __future__ import annotations

import datetime
import os
import re
import string
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exilegame.errors import Problem
from exilegame.format import fastyaml, yamlsrc
from exilegame.format.limits import MAX_DEPTH
from exilegame.format.nodes import MappingNode, Node, ScalarNode

ROOT = Path(__file__).resolve().parents[2]
# Per generated test: a third in the everyday run, all of them in CI (and with EXILEGAME_SLOW).
_FULL = bool(os.environ.get("CI") or os.environ.get("EXILEGAME_SLOW"))
EXAMPLES = {
    name: count if _FULL else count // 3
    for name, count in {"dumped": 200, "pieces": 500, "documents": 300}.items()
}
sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import write as write_synthetic  # noqa: E402

YAML_FILES = sorted(
    p
    for folder in ("scenes", "tests", "docs")
    for p in (ROOT / folder).rglob("*.yaml")
    if ".venv" not in p.parts
)
_YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
DOC_EXAMPLES = [
    block
    for doc in sorted((ROOT / "docs").glob("*.md"))
    for block in _YAML_BLOCK.findall(doc.read_text(encoding="utf-8"))
]


def tree(node: Node) -> Any:
    """Everything a node holds, as comparable data."""
    if isinstance(node, ScalarNode):
        kind = ("scalar", node.value, node._tag, node.implicit, node.style)
        return (*kind, node.line, node.column)
    if isinstance(node, MappingNode):
        pairs = [(tree(k), tree(v)) for k, v in node.value]
        return ("mapping", node.line, node.column, pairs)
    return ("list", node.line, node.column, [tree(v) for v in node.value])  # type: ignore[attr-defined]


def libyaml(text: str) -> Any:
    """libyaml's tree for `text`, or None where it refuses it or finds a problem."""
    problems: list[Problem] = []
    try:
        node = yamlsrc._compose(Path("t.yaml"), text, problems)
    except (yaml.YAMLError, RecursionError):
        return None
    return None if node is None or problems else tree(node)


def outcome(text: str) -> str:
    """ "fast" if the fast reader read `text` (then exactly as libyaml), "gave up" if not."""
    fast = fastyaml.compose(text)
    if fast is None:
        return "gave up"
    expected = libyaml(text)
    assert expected is not None, f"libyaml refuses or reports a problem in {text!r}"
    assert tree(fast) == expected, text
    return "fast"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_reads_the_same(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    outcome(text)


def test_every_yaml_example_in_the_docs_reads_the_same() -> None:
    assert Counter(outcome(text) for text in DOC_EXAMPLES)["fast"] >= len(DOC_EXAMPLES) // 2


def test_the_shipped_scenes_are_read_fast_where_they_keep_to_the_subset() -> None:
    for name in ("turkey", "france", "norway"):
        assert outcome((ROOT / "scenes" / f"{name}.yaml").read_text(encoding="utf-8")) == "fast"


@pytest.mark.parametrize("scenes", [1, 3, 40])
def test_synthetic_stories_are_read_fast_and_the_same(scenes: int, tmp_path: Path) -> None:
    folder = write_synthetic(scenes, tmp_path / "s")
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert outcome(text) == "fast"
        assert outcome(text.replace("\n", "\r\n")) == "fast"


# Texts the fast reader must read, exactly as libyaml does.
READ = {
    "plain key and values": "a: 1\nb: two words\nc: ~\nd: true\ne: 2024-01-31\nf: -1.5\n",
    "quoted": "a: 'it''s'\nb: \"say \\\"hi\\\" \\\\ \\/ \\n\\t\"\n'c d': x\n\"e\": ''\n",
    "comments after values": "a: b # c\nd: 'e' # f\ng: h#i\nj: k  #l\n# m\n  # n\n",
    "spaces around": "a:   value   \nb:    \nc:\n",
    "trailing colon in a key": "a:: b\nc:d: e\nurl: http://x.org/a#b\n",
    "empty values": "a:\nb:\n  -\n  - \n  -  # c\nc:\n",
    "lists": "- a\n- - b\n  - c\n- - - d\n-\n  e: f\n- g: h\n  i: j\n",
    "list under its key": "a:\n- x\n- y: z\n  w: v\nb: c\n",
    "nested": "a:\n  b:\n    c: d\n  e:\n    - f\n",
    "compact with extra spaces": "-   a: b\n    c: d\n-  - e\n   - f\n",
    "blocks": "a: |\n  one\n   two\n\n  three\nb: >\n  four\n  five\n\n  six\n   seven\n  eight\n",
    "chomping": "a: |-\n  x\n\n\nb: |+\n  y\n\n\nc: >-\n  z\nd: >+\n  w\n\n",
    "empty blocks": "a: |\nb: >+\n\n\nc: |-\nd: |\n",
    "block at the end": "a: |\n  x\n  y",
    "block with blank lines first": "a: >\n\n  \n  x\n",
    "block in a list": "- |\n  x\n- >-\n    y\n    z\n- k: |\n    w\n",
    "flow": "a: [x, y z, -1]\nb: {name: The guard, c: d}\nc: []\nd: {}\ne: [ x ,y ]\n",
    "unicode": "ключ: débarcadère « x »\nemoji: 🚀 launch\n'ü': ø\n",
    "columns after astral characters": "🚀 a: 🚀 b\nc:\n- 🚀: x\n  é: |\n    🚀\nd: [🚀, é]\n",
    "no-break spaces are text": "a: \xa0x\xa0\n",
    "empty entries then more": "a:\n-\nb: c\nd:\n-\n  e: f\n- g\n",
    "windows line ends": "a: b\r\nc:\r\n  - d\r\ne: |\r\n  f\r\n  g\r\n",
    "indented root": "  a: b\n  c: d\n",
    "no final newline": "a: b",
    "question mark and dash inside": "a: what?\nb: x - y\nc: -x\n-d: e\n",
    "special characters inside": "a: b, c [d] {e} & f * g ! h | i > j % k @ l ` m\n",
}

# Texts it must give back to libyaml (which reads them, or reports them).
GIVE_UP = {
    "anchor and alias": "a: &x b\nc: *x\n",
    "tag": "a: !!str 1\n",
    "local tag": "if: !flag\n",
    "merge": "a: {x: 1}\nb:\n  <<: {y: 2}\n",
    "directive": "%YAML 1.1\n---\na: b\n",
    "document start": "---\na: b\n",
    "document end": "a: b\n...\n",
    "explicit key": "? a\n: b\n",
    "multi-line plain": "a: one\n  two\n",
    "multi-line plain in a list": "- one\n  two\n",
    "multi-line single quotes": "a: 'one\n  two'\n",
    "multi-line double quotes": 'a: "one\n  two"\n',
    "escape not handled": 'a: "\\u00e9"\n',
    "control escape": 'a: "\\e[31m"\n',
    "indentation indicator": "a: |2\n   x\n",
    "tab": "a:\tb\n",
    "duplicate key": "a: 1\na: 2\n",
    "duplicate key in flow": "a: {b: 1, b: 2}\n",
    "mapping value in a value": "a: b: c\n",
    "value then a deeper line": "a: b\n  c: d\n",
    "odd indentation": "a:\n    b: c\n  d: e\n",
    "nested flow": "a: [b, [c]]\n",
    "quoted in flow": "a: [b, 'c']\n",
    "trailing comma in flow": "a: [b, c,]\n",
    "unclosed flow": "a: [b,\n  c]\n",
    "scalar root": "just text\n",
    "key on the next line": "a:\n  text\n",
    "second root": "a: b\n- c\n",
    "bad character": "a: b\u2028c\n",
    "bom inside": "a: b\ufeffc\n",
    "dash after a key": "a: - b\n",
    "too long a key": "k" * 300 + ": v\n",
    "too long a key in a flow mapping": "a: {" + "k" * 1100 + ": v}\n",
    "list item then a key": "- a\nb: c\n",
    "comment without a space": "a: 'b'#c\n",
    "too deep": "".join(" " * d + "a:\n" for d in range(MAX_DEPTH + 1)) + " " * 101 + "b: c\n",
}


@pytest.mark.parametrize("text", READ.values(), ids=list(READ))
def test_what_the_fast_reader_reads(text: str) -> None:
    assert outcome(text) == "fast"


@pytest.mark.parametrize("text", GIVE_UP.values(), ids=list(GIVE_UP))
def test_what_the_fast_reader_gives_back_to_libyaml(text: str) -> None:
    assert outcome(text) == "gave up"


def test_parse_yaml_reports_problems_through_libyaml_as_before() -> None:
    problems: list[Problem] = []
    assert yamlsrc.parse_yaml(Path("t.yaml"), b"a: 1\na: 2\n", problems) is None or problems
    assert [(p.line, "defined twice" in p.message) for p in problems] == [(2, True)]
    problems = []
    node = yamlsrc.parse_yaml(Path("t.yaml"), b"a: [b\n", problems)
    assert node is None and problems[0].line == 1


def test_plain_text_sees_every_character_the_checks_look_for() -> None:
    odd = [chr(c) for c in [*range(0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]
    odd += ["\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"]
    for char in odd:
        assert not fastyaml.plain_text(f"a: b{char}c\n".encode()), repr(char)
    assert fastyaml.plain_text("a: « débarcadère » ¡ ü 🚀\n".encode())
    assert fastyaml.plain_text(b"a: b\n")


# Generated texts: YAML as PyYAML writes it, in several styles, and lines put together at
# random from pieces that are often valid and often not.

_words = st.text(
    alphabet=st.sampled_from([*string.ascii_letters[:6], " ", "-", ":", "#", "'", '"', "é", "?"]),
    max_size=8,
)
_scalars = st.one_of(
    _words,
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 1, 1)),
    st.text(max_size=12),
)


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(_words, inner, max_size=4))


_data = st.recursive(_scalars, _nested, max_leaves=12)
_dump_options = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([False, None, True]),
        "width": st.sampled_from([20, 80, 1000]),
        "indent": st.sampled_from([2, 3, 4]),
        "allow_unicode": st.booleans(),
        "default_style": st.sampled_from([None, None, "'", '"', "|"]),
    }
)


def test_yaml_dumped_in_any_style_reads_the_same() -> None:
    seen: Counter[str] = Counter()

    @settings(derandomize=True, max_examples=EXAMPLES["dumped"], deadline=None)
    @given(_data, _dump_options)
    def dumped(data: Any, options: dict[str, Any]) -> None:
        seen[outcome(yaml.safe_dump({"root": data}, **options))] += 1

    dumped()
    assert seen["fast"] and seen["gave up"], seen


_KEYS = ["a", "b c", "key", "'q'", '"d"', "a:b", "it's", "-x", "<<", "...", "?x", "x#y", "ü"]
_VALUES = [
    *["word", "two words", "a: b", "a #c", "a#b", "'it''s'", "'x", '"x\\"y"', '"\\e"', '"\\n"'],
    *["~", "1.5", "2020-01-01", "-1", "- x", "-", "&a x", "*a", "!t x", "[a, b]", "{a: b}"],
    *["[a, [b]]", "{a: }", "[]", "[a,]", "|", ">-", "|+", "|2", "> # c", "%x", "@x", ",x", ":x"],
    *["? x", "x:", "x::", "value   ", "'a' b", "# c", "x # c: d", " lead", "|-", ">", ">+"],
    *["{" + "k" * 1100 + ": v}", "[" + "k" * 1100 + "]", "'" + "k" * 1100 + "'"],
]
_KINDS = [
    "key",
    "key",
    "dash",
    "dash key",
    "dash dash",
    "text",
    "text",
    "comment",
    "blank",
    "spaces",
]
_line = st.tuples(
    st.sampled_from([0, 0, 1, 2, 2, 3, 4, 4, 6]),
    st.sampled_from(_KINDS),
    st.sampled_from(_KEYS),
    st.sampled_from(_VALUES),
    st.sampled_from(["", "", " ", "  # c"]),
)


def _piece(indent: int, kind: str, key: str, value: str, tail: str) -> str:
    value = "" if value.startswith("#") else value
    body = {
        "key": f"{key}: {value}",
        "dash": f"- {value}",
        "dash key": f"- {key}: {value}",
        "dash dash": f"- - {value}",
        "text": value,
        "comment": "# note",
        "blank": "",
        "spaces": "",
    }[kind]
    return " " * indent + body + (tail if body else "") if body or kind == "spaces" else ""


def test_lines_put_together_at_random_read_the_same_or_go_back() -> None:
    seen: Counter[str] = Counter()

    @settings(
        derandomize=True,
        max_examples=EXAMPLES["pieces"],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.lists(_line, min_size=1, max_size=10), st.sampled_from(["\n", "\r\n", ""]))
    def pieces(lines: list[tuple[int, str, str, str, str]], end: str) -> None:
        joined = (end or "\n").join(_piece(*line) for line in lines)
        seen[outcome(joined + end)] += 1

    pieces()
    assert seen["fast"] and seen["gave up"], seen


# Documents built the way scene files are written, in every form the fast reader takes, with
# comments and blank lines anywhere, and sometimes a line moved left or right.
_PLAIN = ["word", "two words", "x-y", "1.5", "~", "null", "2020-01-01", "a#b", "q?", "-1"]
_PLAIN += ["é «x»", "a, b [c]", "it's", "url: x".replace(": ", ":")]
_BLOCK_LINES = ["", " ", "   ", "text", " more", "  deeper", "# not a comment", "- no list"]


@st.composite
def _value(draw: st.DrawFn, col: int, depth: int, keyed: bool) -> tuple[str, list[str]]:
    """A value for an entry of a collection at `col`: what follows `key:` or `-` on its
    line, and the lines below it."""
    kinds = ["plain", "plain", "quoted", "flow", "block", "empty"]
    kinds += ["map", "seq"] if depth < 4 else []
    kind = draw(st.sampled_from(kinds))
    if kind == "plain":
        return draw(st.sampled_from(_PLAIN)) + draw(st.sampled_from(["", "  ", " # c"])), []
    if kind == "quoted":
        return draw(st.sampled_from(["'a b'", "'it''s'", "''", '"x"', '"a\\"b\\\\c\\n"'])), []
    if kind == "flow":
        return draw(st.sampled_from(["[a, b]", "[ x ]", "[]", "{a: b, c: d e}", "{}"])), []
    if kind == "empty":
        return draw(st.sampled_from(["", " # c"])), []
    if kind == "block":
        header = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+"]))
        inner = col + draw(st.integers(0, 3))
        lines = draw(st.lists(st.sampled_from(_BLOCK_LINES), max_size=5))
        return header, [(" " * inner + line if line.strip() else line) for line in lines]
    inner = col + draw(st.integers(0 if keyed and kind == "seq" else 1, 3))
    return "", draw(_collection(inner, depth + 1, kind))


@st.composite
def _collection(draw: st.DrawFn, col: int, depth: int, kind: str) -> list[str]:
    lines: list[str] = []
    keys = draw(st.lists(st.sampled_from(["a", "b", "c d", "'e'", "ключ", "f"]), unique=True))
    for key in keys[: draw(st.integers(1, 3))] if keys else ["a"]:
        if kind == "map":
            inline, below = draw(_value(col, depth, True))
            lines.append(" " * col + f"{key}:" + (f" {inline}" if inline else ""))
        else:
            gap = draw(st.integers(1, 3))
            nested = draw(st.sampled_from(["value", "map", "seq"])) if depth < 4 else "value"
            if nested == "value":
                inline, below = draw(_value(col, depth, False))
                lines.append(" " * col + "-" + (" " * gap + inline if inline else ""))
            else:  # `- key: value` or `- - x`: the nested collection starts on the dash's line
                below = draw(_collection(col + 1 + gap, depth + 1, nested))
                lines.append(" " * col + "-" + " " * gap + below[0].lstrip(" "))
                below = below[1:]
        lines += below
    return lines


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines = draw(_collection(draw(st.integers(0, 2)), 0, draw(st.sampled_from(["map", "seq"]))))
    for _ in range(draw(st.integers(0, 3))):  # comments and blank lines anywhere
        extra = " " * draw(st.integers(0, 6)) + draw(st.sampled_from(["# c", "", "#"]))
        lines.insert(draw(st.integers(0, len(lines))), extra)
    if draw(st.integers(0, 3)) == 0:  # a line moved
        at = draw(st.integers(0, len(lines) - 1))
        shift = draw(st.sampled_from([-2, -1, 1, 2]))
        lines[at] = " " * max(0, len(lines[at]) - len(lines[at].lstrip(" ")) + shift) + (
            lines[at].lstrip(" ")
        )
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\n  "]))


def test_documents_written_as_scene_files_are_read_the_same() -> None:
    seen: Counter[str] = Counter()

    @settings(
        derandomize=True,
        max_examples=EXAMPLES["documents"],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_documents())
    def documents(text: str) -> None:
        seen[outcome(text)] += 1

    documents()
    assert seen["fast"] > seen["gave up"] > 0, seen
