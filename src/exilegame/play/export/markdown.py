"""A run as Markdown: the same words as the game showed, escaped so nothing renders as
emphasis, a list or a link by accident."""

from __future__ import annotations

import re

from exilegame import engine
from exilegame.play.export.header import HEADER_KIND, clean, header_of
from exilegame.play.export.run import Chosen, PhaseStart, Run, SceneRead, phase_heading, summary

__all__ = ["render"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)(#|>|[-+](?=\s))")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s)")


def _md(text: str) -> str:
    """Prose as Markdown that renders as the same words (no accidental emphasis or lists)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", clean(text))
    lines = [
        _MD_ORDERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\1\\\2", line))
        for line in escaped.split("\n")
    ]
    return "\n".join(lines)


def render(run: Run) -> str:
    story = run.story
    out = [f"<!-- {HEADER_KIND}", header_of(story, run.state).to_json(), "-->", ""]
    out += [f"# {_md(run.title)}: a run", "", _md(summary(run)), ""]
    out += [
        f"Story `{story.id}`. To play on from where this run stopped: "
        "`exilegame --replay FILE` (or `exilegame --plain --replay FILE`).",
        "",
    ]
    if run.perspective:
        out += ["## Whose view is this?", "", _md(run.perspective), ""]
    for item in run.items:
        if isinstance(item, PhaseStart):
            out += [f"## {_md(phase_heading(item.phase))}", ""]
            if item.phase.intro:
                out += _paragraphs_md(item.phase.intro)
        elif isinstance(item, SceneRead):
            out += [f"### {_md(item.heading)}", ""]
            for paragraph in item.paragraphs:
                out += _paragraphs_md(paragraph)
        elif isinstance(item, Chosen):
            out += [f"> **You chose:** {_md(item.choice.text)}"]
            if item.choice.note:
                out += [">", f"> **What really happened:** {_md(item.choice.note)}"]
            for citation in run.citations(item.choice):
                out += [">", f"> *Source:* {_md(citation)}"]
            if not item.choice.documented:
                out += [">", "> *This choice is invented for the game.*"]
            out.append("")
        else:
            out += [f"### End of {_md(clean(item.phase.title))}", ""]
            if item.history:
                out += ["#### What really happened", "", *_paragraphs_md(item.history)]
            if item.yours:
                out += ["#### What you did", ""]
                for text in item.yours:
                    out += _paragraphs_md(text)
            if item.questions:
                out += ["#### For discussion", ""]
                out += [f"{n}. {_md(q)}" for n, q in enumerate(item.questions, 1)]
                out.append("")
    if run.over:
        out += _ending_md(run)
    else:
        out += ["---", "", "*The run stops here; it is not over.*", ""]
    cited = engine.cited_sources(story, run.state)
    if cited:
        out += ["## Sources met in this run", ""]
        for key in cited:
            source = story.sources[key]
            line = f"- {_md(source.author)}, *{_md(source.title)}* ({_md(source.year)})"
            if source.url:
                line += f". <{clean(source.url).replace('>', '%3E')}>"
            out.append(line)
        out.append("")
    return "\n".join(out)


def _paragraphs_md(text: str) -> list[str]:
    out = []
    for paragraph in text.split("\n\n"):
        out += [_md(paragraph), ""]
    return out


def _ending_md(run: Run) -> list[str]:
    story, state = run.story, run.state
    reached = engine.ending(story, state)
    out = [f"## The ending: {_md(clean(reached.title))}", ""]
    for paragraph in engine.ending_text(story, state):
        out += _paragraphs_md(paragraph)
    epilogue = engine.epilogue_text(story, state)
    if epilogue:
        out += ["## Epilogue", ""]
        for paragraph in epilogue:
            out += _paragraphs_md(paragraph)
    fates = engine.fates(story, state)
    if fates:
        out += ["### What became of them", ""]
        for person in fates:
            dates = f" ({_md(person.dates)})" if person.dates else ""
            out.append(f"- **{_md(person.name)}**{dates}: {_md(person.fate)}")
        out.append("")
    return out
