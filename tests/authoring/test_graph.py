"""`exilegame graph`: valid DOT and Mermaid, every scene and choice drawn, labels escaped."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from exilegame import engine
from exilegame.authoring import graph
from exilegame.cli import main as cli_main
from exilegame.explored import ExploredRecord
from exilegame.format.load import load_story
from exilegame.story import Story

ROOT = Path(__file__).resolve().parents[2]
STORIES = ROOT / "tests" / "stories"
FOLDERS = [ROOT / "scenes", STORIES / "escapes", STORIES / "flawed", STORIES / "lighthouse"]
HAS_DOT = shutil.which("dot") is not None

# -- a small DOT reader, enough to check structure -----------------------------------------

_DOT_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|->|[{}\[\];=,]|[A-Za-z0-9_.#-]+|\s+|.', re.S)


def dot_unquote(token: str) -> str:
    assert token.startswith('"') and token.endswith('"'), token
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), body)


def read_dot(text: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """Nodes (id -> attributes) and edges (source, target, attributes) of our DOT output.

    Checks on the way that every quoted string ends, braces balance, and nothing is left
    over that is not a token of DOT.
    """
    tokens = [t for t in _DOT_TOKEN.findall(text) if not t.isspace()]
    assert all(len(t) > 1 or t.isalnum() or t in "{}[];=,_" for t in tokens), tokens
    assert tokens.count("{") == tokens.count("}")
    nodes: dict[str, dict[str, str]] = {}
    edges = []
    for line in text.splitlines():  # our output has one statement a line
        line_tokens = [t for t in _DOT_TOKEN.findall(line) if not t.isspace()]
        if len(line_tokens) >= 3 and line_tokens[1] == "->":
            found = dict(_attr_pairs(line_tokens[3:]))
            edges.append((dot_unquote(line_tokens[0]), dot_unquote(line_tokens[2]), found))
        elif line_tokens and line_tokens[0].startswith('"') and len(line_tokens) > 1:
            nodes[dot_unquote(line_tokens[0])] = dict(_attr_pairs(line_tokens[1:]))
    return nodes, edges


def _attr_pairs(tokens: list[str]) -> list[tuple[str, str]]:
    inner = tokens[1 : tokens.index("]")] if tokens and tokens[0] == "[" else []
    pairs = []
    for k in range(0, len(inner), 4):
        key, eq, value = inner[k : k + 3]
        assert eq == "="
        pairs.append((key, dot_unquote(value) if value.startswith('"') else value))
    return pairs


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_dot_draws_every_scene_and_choice(folder: Path) -> None:
    story = load_story(folder)
    nodes, edges = read_dot(graph.to_dot(story))
    assert set(story.scenes) <= set(nodes)
    choices = [c for s in story.scenes.values() for c in s.choices]
    handovers = [e for e in graph.edges(story) if e.handover]
    assert len(edges) == len(choices) + len(handovers) + 1  # + the start arrow
    for source, target, _ in edges:
        assert source in nodes and target in nodes
    dashed = [e for e in edges if e[2].get("style") == "dashed"]
    assert len(dashed) == sum(c.condition is not None for c in choices)
    assert graph.to_dot(story).count("subgraph") == len(story.phases)
    for scene in story.scenes.values():
        label = nodes[scene.id]["label"]
        assert label.splitlines()[0] == scene.local_id
        if scene.role:
            assert "only)" in label and "filled" in nodes[scene.id]["style"]
        if not scene.choices:
            assert nodes[scene.id]["peripheries"] == "2"


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_dot_renders_with_graphviz(folder: Path) -> None:
    story = load_story(folder)
    done = subprocess.run(
        ["dot", "-Tsvg"], input=graph.to_dot(story).encode(), capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"<svg" in done.stdout
    assert not done.stderr.strip(), done.stderr.decode()  # no warnings either


def test_dot_labels_keep_quotes_backslashes_and_non_ascii() -> None:
    story = load_story(STORIES / "escapes")
    text = graph.to_dot(story)
    nodes, edges = read_dot(text)
    assert nodes["first.debut"]["label"].splitlines()[1].startswith('Say "hello" [to] {all}')
    assert "\\\\n not" in text  # a backslash in the title stays a backslash
    labels = [e[2]["label"] for e in edges if "label" in e[2]]
    assert "Straße → Ελλάδα → 日本" in labels
    tooltips = [e[2]["tooltip"] for e in edges if "tooltip" in e[2]]
    assert (
        'Pick "this" | that [or] <other> # one; `tick` & more (if n < 1 and role == "reader")'
        in (tooltips)
    )
    assert 'The \\"quoted\\" story \\\\ with [brackets]' in text


# -- Mermaid -------------------------------------------------------------------------------

_LABEL = r'"[^"]*"'
_MERMAID_LINES = {
    "header": re.compile(r"^flowchart TD$"),
    "start": re.compile(r"^  start__\(\(start\)\)$"),
    "subgraph": re.compile(rf"^  subgraph (p\d+__) \[{_LABEL}\]$"),
    "end": re.compile(r"^  end$"),
    "node": re.compile(rf"^    (s\d+)(?:\({_LABEL}\)|\[\[{_LABEL}\]\])$"),
    "edge": re.compile(rf"^  (start__|s\d+) (-->|-\.->|==>)(?:\|{_LABEL}\|)? (s\d+)$"),
    "classDef": re.compile(r"^  classDef \w+ [\w#:,.-]+$"),
    "class": re.compile(r"^  class (s\d+(?:,s\d+)*) \w+$"),
    "linkStyle": re.compile(r"^  linkStyle (\d+(?:,\d+)*) [\w#:,.-]+$"),
}


def read_mermaid(text: str) -> dict[str, list[re.Match[str]]]:
    """Every line classified; fails on a line that is none of the known statements."""
    found: dict[str, list[re.Match[str]]] = {kind: [] for kind in _MERMAID_LINES}
    depth = 0
    for line in text.splitlines():
        for kind, pattern in _MERMAID_LINES.items():
            match = pattern.match(line)
            if match:
                found[kind].append(match)
                depth += {"subgraph": 1, "end": -1}.get(kind, 0)
                assert depth in (0, 1), line
                break
        else:
            raise AssertionError(f"not a Mermaid statement we write: {line!r}")
    assert depth == 0
    return found


def mermaid_decode(label: str) -> str:
    entities = {v: k for k, v in graph._MERMAID_ENTITIES.items()}
    return re.sub(r"#\w+;", lambda m: entities.get(m.group(0), m.group(0)), label)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_mermaid_structure(folder: Path) -> None:
    story = load_story(folder)
    found = read_mermaid(graph.to_mermaid(story))
    declared = {m.group(1) for m in found["node"]} | {"start__"}
    assert len(found["node"]) == len(story.scenes)
    assert len(found["subgraph"]) == len(story.phases)
    links = found["edge"]
    for match in links:
        assert match.group(1) in declared and match.group(3) in declared
    conditional = sum(c.condition is not None for s in story.scenes.values() for c in s.choices)
    assert sum(m.group(2) == "-.->" for m in links) == conditional
    assert sum(m.group(2) == "==>" for m in links) == sum(e.handover for e in graph.edges(story))


def test_mermaid_labels_are_escaped() -> None:
    story = load_story(STORIES / "escapes")
    text = graph.to_mermaid(story)
    read_mermaid(text)  # no raw quote breaks a label
    assert '"Pick #quot;this#quot; #124; that [or]…<br/>if n #lt; 1 and role' in text
    assert "{all} #92;n not" in text
    assert "Straße → Ελλάδα → 日本" in text
    title = re.search(r'subgraph p0__ \["([^"]*)"\]', text)
    assert title is not None
    assert mermaid_decode(title.group(1)).startswith('Phase "one" {braces} | pipes # hash')


# -- explored colouring, SVG and the command -------------------------------------------------


def _play_once(story: Story) -> None:
    state = engine.start(story, "keeper", 1)
    state = engine.choose(story, state, "trim-the-wick-and-save")
    ExploredRecord(story).record(state, engine.ending(story, state).id, new_run=True)


def test_explored_record_colours_what_was_played() -> None:
    story = load_story(STORIES / "lighthouse")
    _play_once(story)
    explored = ExploredRecord(story).read()
    _, edges = read_dot(graph.to_dot(story, explored))
    colours = {(s, t, a["label"].split("\n")[0]): a["color"] for s, t, a in edges if "color" in a}
    assert colours[("night.storm", "night.dawn", "Trim the wick and save the oil")] == (
        graph.SEEN_COLOUR
    )
    assert colours[("night.storm", "night.dawn", "Fire the signal rocket")] == graph.UNSEEN_COLOUR
    found = read_mermaid(graph.to_mermaid(story, explored))
    assert found["linkStyle"]


def test_cli_writes_dot_mermaid_and_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(STORIES / "lighthouse")
    assert cli_main(["graph", folder]) == 0
    assert capsys.readouterr().out.startswith('digraph "lighthouse"')
    assert cli_main(["graph", folder, "--format", "mermaid", "-o", str(tmp_path / "g.mmd")]) == 0
    assert (tmp_path / "g.mmd").read_text(encoding="utf-8").startswith("flowchart TD")
    assert cli_main(["graph", folder, "--format", "mermaid", "--svg", str(tmp_path / "x")]) == 2
    if HAS_DOT:
        assert cli_main(["graph", folder, "--svg", str(tmp_path / "g.svg")]) == 0
        assert "<svg" in (tmp_path / "g.svg").read_text(encoding="utf-8")


def test_cli_svg_without_graphviz_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph.shutil, "which", lambda name: None)
    folder = str(STORIES / "lighthouse")
    assert cli_main(["graph", folder, "--svg", str(tmp_path / "g.svg")]) == 2
    assert "not installed" in capsys.readouterr().err
    assert not (tmp_path / "g.svg").exists()
