"""yamlsrc reads YAML as PyYAML's safe loader does, or says where and why it cannot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from exilegame.errors import Problem
from exilegame.format.load import load_story
from exilegame.format.yamlsrc import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    describe,
    parse_yaml,
    scalar_value,
)

ROOT = Path(__file__).resolve().parents[2]
STORY_FILES = sorted(
    [*ROOT.glob("scenes/*.yaml"), *ROOT.glob("tests/stories/**/*.yaml")],
)
_YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
DOC_EXAMPLES = [
    (f"{doc.name}#{n}", block)
    for doc in sorted((ROOT / "docs").glob("*.md"))
    for n, block in enumerate(_YAML_BLOCK.findall(doc.read_text(encoding="utf-8")))
]


def plain(node: Node) -> Any:
    """A node tree as Python data, the way yaml.safe_load builds it."""
    if isinstance(node, MappingNode):
        return {plain(k): plain(v) for k, v in node.value}  # the last of a twice-written key
    if isinstance(node, SequenceNode):
        return [plain(v) for v in node.value]
    assert isinstance(node, ScalarNode)
    return scalar_value(node)


def parse(text: str) -> tuple[Node | None, list[Problem]]:
    problems: list[Problem] = []
    return parse_yaml(Path("t.yaml"), text.encode("utf-8"), problems), problems


def same_as_pyyaml(text: str) -> None:
    """The same data as yaml.safe_load, or a located problem where PyYAML fails too.

    A key written twice is the one deliberate difference: PyYAML keeps the last silently,
    yamlsrc reports it (and still keeps the last, as the data shows).
    """
    node, problems = parse(text)
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        assert node is None and problems and problems[0].line > 0, problems
        return
    assert [p for p in problems if "is defined twice" not in p.message] == [], problems
    assert node is not None
    assert plain(node) == expected


@pytest.mark.parametrize("path", STORY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_story_file_reads_as_pyyaml_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    if "\t" in text or not text.strip():
        pytest.skip("broken on purpose before YAML (tabs, empty): tested in test_load_errors")
    same_as_pyyaml(text)


@pytest.mark.parametrize(("name", "text"), DOC_EXAMPLES, ids=[n for n, _ in DOC_EXAMPLES])
def test_every_yaml_example_in_the_docs_reads_as_pyyaml_reads_it(name: str, text: str) -> None:
    same_as_pyyaml(text)


FEATURES = {
    "block mapping and list": "a: 1\nb:\n  - x\n  - y\nc: {d: [1, 2], e: f}\n",
    "flow styles": "{a: [1, {b: c}], 'd': \"e\"}\n",
    "plain, single and double quotes": "a: plain text\nb: 'it''s'\nc: \"tab\\tand \\u00e9\"\n",
    "literal block": "a: |\n  line one\n  line two\nb: next\n",
    "literal keep and strip": "a: |+\n  kept\n\nb: |-\n  stripped\nc: 1\n",
    "folded block": "a: >\n  folded\n  lines\n\n  para\nb: >-\n  x\n",
    "indented block indicator": "a: |2\n   three spaces\n",
    "multi-line plain": "a: one\n  two\n  three\nb: x\n",
    "multi-line quoted": "a: \"one\n  two\"\nb: 'three\n\n  four'\n",
    "anchors and aliases": "a: &x [1, 2]\nb: *x\nc: &s text\nd: *s\n",
    "merge key": "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n",
    "merge list, first wins": "a: &a {k: 1}\nb: &b {k: 2, j: 3}\nm: {<<: [*a, *b]}\n",
    "explicit key before merge": "base: &b {x: 1}\nm:\n  x: 2\n  <<: *b\n",
    "nested merge": "a: &a {k: 1}\nb: &b {<<: *a, j: 2}\nc: {<<: *b, i: 3}\n",
    "quoted << is a key": "a: {'<<': 1}\n",
    "scalars": "i: 12\nf: 1.5\nn: ~\nt: true\nd: 1929-02-12\ne: ''\nh: 0x1f\n",
    "comments": "# head\na: 1  # trailing\n# between\nb: 2\n",
    "document markers": "---\na: 1\n...\n",
    "explicit keys": "? a\n: 1\n? [b, c]\n: 2\n",
    "unicode": "ключ: débarcadère\n",
}


@pytest.mark.parametrize("text", FEATURES.values(), ids=list(FEATURES))
def test_yaml_features_read_as_pyyaml_reads_them(text: str) -> None:
    if text.startswith("? a"):  # a list as a key: PyYAML cannot hash it, we keep the node
        node, problems = parse(text)
        assert problems == [] and isinstance(node, MappingNode)
        assert isinstance(node.value[1][0], SequenceNode)
        return
    same_as_pyyaml(text)


UNSUPPORTED = {
    "two documents": ("a: 1\n---\nb: 2\n", 2, "a second YAML document"),
    "a value containing itself": ("a: &x\n  b: *x\n", 2, "inside the value it names"),
    "merge of a scalar": ("a:\n  <<: 3\n", 2, "`<<` merges a mapping"),
    "undefined alias": ("a: *nope\n", 1, "undefined alias"),
}


@pytest.mark.parametrize(("text", "line", "message"), UNSUPPORTED.values(), ids=list(UNSUPPORTED))
def test_what_is_not_supported_is_a_located_error(text: str, line: int, message: str) -> None:
    node, problems = parse(text)
    assert node is None
    assert [(p.line, message in p.message) for p in problems] == [(line, True)], problems


def test_merged_keys_keep_their_own_position_and_explicit_keys_win() -> None:
    node, _ = parse("base: &b\n  x: 1\n  y: 2\nm:\n  y: 3\n  <<: *b\n")
    assert isinstance(node, MappingNode)
    m = node.value[1][1]
    assert isinstance(m, MappingNode)
    keys = {k.value: (k.line + 1, v.value) for k, v in m.value if isinstance(k, ScalarNode)}
    assert keys == {"x": (2, "1"), "y": (5, "3")}  # x from the anchor, y written in m


def test_duplicate_explicit_keys_are_still_found_beside_a_merge() -> None:
    _, problems = parse("base: &b {x: 1}\nm:\n  <<: *b\n  y: 1\n  y: 2\n")
    assert [(p.line, p.column) for p in problems] == [(5, 3)]
    assert "'y' is defined twice (first on line 4)" in problems[0].message
    _, problems = parse("base: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n")
    assert problems == []  # overriding a merged key is what merge keys are for


def test_scalar_helpers() -> None:
    node, _ = parse("a: ~\nb: '~'\nc: 3\nd: [1]\ne: {}\nf: yes\ng: " + "x" * 40 + "\n")
    assert isinstance(node, MappingNode)
    values = {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}
    assert isinstance(values["a"], ScalarNode) and values["a"].is_null
    assert isinstance(values["b"], ScalarNode) and not values["b"].is_null
    assert describe(values["c"]) == "the number 3"
    assert describe(values["d"]) == "a list"
    assert describe(values["e"]) == "a mapping"
    assert describe(values["a"]) == "nothing (null)"
    assert describe(values["g"]) == "the text '" + "x" * 27 + "...'"


def test_bom_is_skipped_and_bad_bytes_are_located() -> None:
    problems: list[Problem] = []
    node = parse_yaml(Path("t.yaml"), "\ufeffa: 1\n".encode(), problems)
    assert node is not None and problems == []
    node = parse_yaml(Path("t.yaml"), b"a: 1\nb: caf\xe9\n", problems)
    assert node is None
    assert [(p.line, p.column) for p in problems] == [(2, 7)]


def test_anchors_share_content_in_a_story(tmp_path: Path) -> None:
    from story_texts import MANIFEST, PHASE_TWO

    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (folder / "two.yaml").write_text(PHASE_TWO, encoding="utf-8")
    (folder / "one.yaml").write_text(
        "phase: one\ntitle: One\nscenes:\n"
        "  gate: &scene\n    date: 1929\n    place: house\n    text: A knock.\n"
        "    choices:\n      - &go {text: Go on, go: two.road}\n"
        "  hall:\n    <<: *scene\n    text: The hall.\n"
        "    choices:\n      - {<<: *go, id: onward}\n"
        "outcome:\n  history: H.\n",
        encoding="utf-8",
    )
    story = load_story(folder)
    hall = story.scenes["one.hall"]
    assert hall.date == "1929" and hall.text[0].text == "The hall."
    assert [(c.id, c.target) for c in hall.choices] == [("onward", "two.road")]


def test_a_mistake_in_a_merged_mapping_is_reported_once(tmp_path: Path) -> None:
    from exilegame.format.load import load_with_problems
    from story_texts import MANIFEST, PHASE_TWO

    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (folder / "two.yaml").write_text(PHASE_TWO, encoding="utf-8")
    (folder / "one.yaml").write_text(
        "phase: one\ntitle: One\nscenes:\n"
        "  gate: &scene\n    date: 1929\n    place: hose\n    text: A knock.\n"
        "  hall: {<<: *scene}\n  yard: {<<: *scene}\n"
        "outcome:\n  history: H.\n",
        encoding="utf-8",
    )
    _, problems = load_with_problems(folder)
    assert [(p.line, p.message) for p in problems] == [(6, "the place 'hose' is not declared")]


# The pre-checks and the prose reflow have fast paths for the usual file and the usual text;
# each gives what the plain rule gives, on texts made of the characters that matter.
_TRICKY = " \n\r\t#ab\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _texts(count: int, longest: int) -> list[str]:
    import random

    rng = random.Random(16)
    sizes = [rng.randrange(longest) for _ in range(count)]
    return ["".join(rng.choice(_TRICKY) for _ in range(size)) for size in sizes]


def test_the_empty_file_check_is_the_plain_rule() -> None:
    from exilegame.format import yamlsrc

    def plain(text: str) -> bool:
        return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())

    for text in _texts(1500, 30):
        assert yamlsrc._empty(text) == plain(text), repr(text)
    for text in _texts(150, 30):
        for whole in (text * 300, "# c\n" * 1100 + text):  # past the head the check reads
            assert yamlsrc._empty(whole) == plain(whole), repr(text)
            assert yamlsrc._empty(whole) == plain(whole), repr(text)


def test_prose_reflow_is_the_plain_rule() -> None:
    from exilegame.format.shapes import normalise_prose

    def plain(text: str) -> str:
        paragraphs = re.split(r"\n\s*\n", text.strip())
        return "\n\n".join(" ".join(ln.strip() for ln in p.splitlines()) for p in paragraphs)

    for text in [*_texts(5000, 14), "  one line  ", "Déjà vu, пристань"]:
        assert normalise_prose(text) == plain(text), repr(text)
