"""The scene graph as Graphviz DOT or Mermaid, so authors can see their story's shape.

Phases are clusters (subgraphs), choices are edges labelled with their text, a choice with
an `if:` is dashed and carries its condition, the hand-over from a phase's last scene to the
next phase is a thick grey edge, role-only scenes are tinted, and scenes with no choices
(phase and game ends) have a double border. With an explored-paths record, what has been
played is drawn green and the rest faded.

Both writers escape every label: DOT inside double quotes (backslash, quote, newline), and
Mermaid with its `#code;` entities, so quotes, brackets and non-ASCII text are safe.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from exilegame.explored import Explored
from exilegame.story import CONTINUE, Scene, Story

__all__ = [
    "Edge",
    "dot_quote",
    "edges",
    "mermaid_text",
    "render_svg",
    "shorten",
    "to_dot",
    "to_mermaid",
]

ROLE_FILL = "#fff3c4"
SEEN_COLOUR = "#2e7d32"
SEEN_FILL = "#e3f4e1"
UNSEEN_COLOUR = "#9e9e9e"
LABEL_WIDTH = 32


@dataclass(frozen=True, slots=True)
class Edge:
    """One arrow of the graph: a choice, or the engine's hand-over to the next phase."""

    source: str
    target: str
    label: str
    key: str  # the trail key, to colour it from the explored record
    condition: str = ""  # the `if:` source, when the choice has one
    handover: bool = False


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    """Cut a label to `width` characters at a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return (cut or text[: width - 1]) + "…"


def edges(story: Story) -> list[Edge]:
    """Every choice and every phase hand-over, in file order."""
    out = []
    for scene in story.scenes.values():
        for choice in scene.choices:
            cond = choice.condition.source if choice.condition else ""
            out.append(Edge(scene.id, choice.target, choice.text, choice.key, cond))
        if not scene.choices and not scene.ends_game:
            nxt = story.next_phase(scene.phase)
            if nxt is not None:
                key = f"{scene.id}:{CONTINUE}"
                out.append(Edge(scene.id, nxt.start, f"on to {nxt.title}", key, "", True))
    return out


def _scene_lines(story: Story, scene: Scene) -> list[str]:
    lines = [scene.local_id]
    if scene.title:
        lines.append(shorten(scene.title))
    if scene.date:
        lines.append(scene.date)
    if scene.role:
        lines.append(f"({story.roles[scene.role].name} only)")
    if not scene.choices:
        ends_game = scene.ends_game or story.next_phase(scene.phase) is None
        lines.append("END OF GAME" if ends_game else "end of phase")
    return lines


def _phase_label(story: Story, index: int) -> str:
    phase = story.phases[index]
    return f"{phase.title} ({phase.span})" if phase.span else phase.title


# -- DOT -----------------------------------------------------------------------------------


def dot_quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as `\\n`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(story: Story, explored: Explored | None = None) -> str:
    """The graph in Graphviz DOT: `dot -Tsvg` renders it."""
    out = [
        f"digraph {dot_quote(story.id)} {{",
        f"  graph [label={dot_quote(story.title)}, labelloc=t, fontname=Helvetica, "
        "rankdir=TB, compound=true];",
        '  node [shape=box, style="rounded", fontname=Helvetica, fontsize=10];',
        "  edge [fontname=Helvetica, fontsize=9];",
        '  "__start__" [shape=circle, label="", width=0.2, style=filled, fillcolor=black];',
    ]
    for index, phase in enumerate(story.phases):
        out.append(f"  subgraph {dot_quote('cluster_' + phase.id)} {{")
        out.append(f"    label={dot_quote(_phase_label(story, index))};")
        out.append('    style="rounded"; color="#607d8b";')
        for scene_id in phase.scenes:
            scene = story.scenes[scene_id]
            attrs = [f"label={dot_quote(chr(10).join(_scene_lines(story, scene)))}"]
            styles = ["rounded"]
            fill = ""
            if scene.role:
                fill = ROLE_FILL
                attrs.append(f"tooltip={dot_quote('only for ' + story.roles[scene.role].name)}")
            if not scene.choices:
                attrs.append("peripheries=2")
            if explored is not None:
                if scene.id in explored.scenes:
                    attrs.append(f'color="{SEEN_COLOUR}"')
                    fill = fill or SEEN_FILL
                else:
                    styles.append("dashed")
                    attrs.append(f'color="{UNSEEN_COLOUR}", fontcolor="{UNSEEN_COLOUR}"')
            if fill:
                styles.append("filled")
                attrs.append(f'fillcolor="{fill}"')
            attrs.append(f'style="{",".join(styles)}"')
            out.append(f"    {dot_quote(scene.id)} [{', '.join(attrs)}];")
        out.append("  }")
    out.append(f"  {dot_quote('__start__')} -> {dot_quote(story.start)};")
    for edge in edges(story):
        label = shorten(edge.label)
        tooltip = edge.label
        if edge.condition:
            label += f"\nif {shorten(edge.condition)}"
            tooltip += f" (if {edge.condition})"
        attrs = [f"label={dot_quote(label)}", f"tooltip={dot_quote(tooltip)}"]
        if edge.condition:
            attrs.append("style=dashed")
        if edge.handover:
            attrs.append('penwidth=2.5, color="#607d8b", style=bold')
        if explored is not None:
            seen = edge.key in explored.choices
            attrs.append(
                f'color="{SEEN_COLOUR}", penwidth=2' if seen else f'color="{UNSEEN_COLOUR}"'
            )
        out.append(f"  {dot_quote(edge.source)} -> {dot_quote(edge.target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


# -- Mermaid -------------------------------------------------------------------------------

_MERMAID_ENTITIES = {
    '"': "#quot;",
    "#": "#35;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "|": "#124;",
    "&": "#amp;",
    "\\": "#92;",
}


def mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: special characters as `#code;` entities."""
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in " ".join(text.split()))


def to_mermaid(story: Story, explored: Explored | None = None) -> str:
    """The graph as a Mermaid flowchart (renders in GitHub and GitLab Markdown)."""
    ids = {scene_id: f"s{n}" for n, scene_id in enumerate(story.scenes)}
    out = ["flowchart TD", "  start__((start))"]
    role_nodes: list[str] = []
    seen_nodes: list[str] = []
    unseen_nodes: list[str] = []
    for index, phase in enumerate(story.phases):
        out.append(f'  subgraph p{index}__ ["{mermaid_text(_phase_label(story, index))}"]')
        for scene_id in phase.scenes:
            scene = story.scenes[scene_id]
            label = "<br/>".join(mermaid_text(line) for line in _scene_lines(story, scene))
            shape = ('[["', '"]]') if not scene.choices else ('("', '")')
            out.append(f"    {ids[scene_id]}{shape[0]}{label}{shape[1]}")
            if scene.role:
                role_nodes.append(ids[scene_id])
            if explored is not None:
                (seen_nodes if scene_id in explored.scenes else unseen_nodes).append(ids[scene_id])
        out.append("  end")
    out.append(f"  start__ --> {ids[story.start]}")
    seen_links: list[str] = []
    unseen_links: list[str] = []
    for number, edge in enumerate(edges(story), start=1):
        label = mermaid_text(shorten(edge.label))
        if edge.condition:
            label += "<br/>if " + mermaid_text(shorten(edge.condition))
        arrow = "==>" if edge.handover else ("-.->" if edge.condition else "-->")
        out.append(f'  {ids[edge.source]} {arrow}|"{label}"| {ids[edge.target]}')
        if explored is not None:
            (seen_links if edge.key in explored.choices else unseen_links).append(str(number))
    out.append(f"  classDef role fill:{ROLE_FILL},stroke:#b08d00")
    if role_nodes:
        out.append(f"  class {','.join(role_nodes)} role")
    if explored is not None:
        out.append(f"  classDef seen stroke:{SEEN_COLOUR},stroke-width:2px")
        out.append(f"  classDef unseen stroke:{UNSEEN_COLOUR},color:{UNSEEN_COLOUR}")
        for name, nodes in (("seen", seen_nodes), ("unseen", unseen_nodes)):
            if nodes:
                out.append(f"  class {','.join(nodes)} {name}")
        for links, colour, width in (
            (seen_links, SEEN_COLOUR, 2),
            (unseen_links, UNSEEN_COLOUR, 1),
        ):
            if links:
                out.append(f"  linkStyle {','.join(links)} stroke:{colour},stroke-width:{width}px")
    return "\n".join(out) + "\n"


# -- the command ---------------------------------------------------------------------------


def render_svg(dot_source: str, target: Path) -> str:
    """Render with Graphviz's `dot`; return an error message, or "" on success."""
    dot = shutil.which("dot")
    if dot is None:
        return (
            "Graphviz's `dot` is not installed, so no SVG can be drawn. Install Graphviz "
            "(apt install graphviz, brew install graphviz, or https://graphviz.org/download/), "
            "or write DOT with `exilegame graph -o story.dot` and render it elsewhere."
        )
    done = subprocess.run(
        [dot, "-Tsvg", "-o", str(target)],
        input=dot_source.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return f"dot failed: {done.stderr.decode('utf-8', 'replace').strip()}"
    return ""
