"""A run as a document to keep and discuss: Markdown or one standalone HTML page.

    export(story, state, "html")  -> str   the run so far, as the player read it
    read_header(text)             -> RunHeader   what a document says about its run
    replay_document(story, text)  -> State       the exact State the document was written at

A document holds, in order: the role and seed, whose view the role gives, each scene's text
as it showed in that run, each choice taken with its note and sources, each finished phase's
outcome (what really happened, what you did, the questions for discussion), the ending and
the epilogue when the run is over, and a bibliography of the sources met.

Its first lines are an HTML comment holding the run as JSON (story id, fingerprint, role,
seed, trail); it is invisible in rendered Markdown and in a browser, and the same in both
formats, so `exilegame --replay FILE` reads either. Pure functions: no I/O here.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from exilegame import engine
from exilegame.errors import EngineError, ReplayError
from exilegame.story import CONTINUE, Choice, Phase, Story, format_date

Format = Literal["markdown", "html"]
HEADER_KIND = "exilegame-run"
HEADER_FORMAT = 1
_HEADER_RE = re.compile(r"<!--\s*exilegame-run\s*\n(.*?)\n\s*-->", re.DOTALL)
# C0 and C1 control characters other than newline and tab: never written, never echoed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class ExportError(EngineError):
    """A document is not an exported run, is damaged, or does not replay on this story."""


@dataclass(frozen=True, slots=True)
class RunHeader:
    """What a document records about its run: enough to rebuild it exactly."""

    story: str
    fingerprint: str
    role: str
    seed: int
    trail: tuple[str, ...]

    def to_json(self) -> str:
        data = {
            "kind": HEADER_KIND,
            "format": HEADER_FORMAT,
            "story": self.story,
            "fingerprint": self.fingerprint,
            "role": self.role,
            "seed": self.seed,
            "trail": list(self.trail),
        }
        text = json.dumps(data, ensure_ascii=False, indent=1)
        # Inside an HTML comment "--" and "<" must not appear; JSON escapes keep the value.
        return text.replace("--", "-\\u002d").replace("<", "\\u003c")


def format_for(filename: str) -> Format:
    """The format a file name asks for: `.html` or `.htm` is HTML, anything else Markdown."""
    return "html" if filename.lower().endswith((".html", ".htm")) else "markdown"


def header_of(story: Story, state: engine.State) -> RunHeader:
    return RunHeader(story.id, story.fingerprint, state.role, state.seed, state.trail)


def export(story: Story, state: engine.State, fmt: Format) -> str:
    """The run up to `state` as a Markdown or HTML document."""
    run = _Run.of(story, state)
    return _markdown(run) if fmt == "markdown" else _html(run)


def read_header(text: str) -> RunHeader:
    """The run a document records; ExportError (one line) for anything else."""
    match = _HEADER_RE.search(text)
    if match is None:
        raise ExportError("this file is not an exported run (it has no exilegame-run header)")
    try:
        data = json.loads(match.group(1))
    except ValueError:
        raise ExportError("the run's header is damaged (its JSON does not parse)") from None
    if not isinstance(data, dict) or data.get("kind") != HEADER_KIND:
        raise ExportError("the run's header is damaged (it is not an exilegame run)")
    if data.get("format") != HEADER_FORMAT:
        version = clean(str(data.get("format")))[:20]
        raise ExportError(f"the run was written in an unknown format ({version})")
    story, fingerprint, role = data.get("story"), data.get("fingerprint", ""), data.get("role")
    seed, trail = data.get("seed"), data.get("trail")
    if (
        not isinstance(story, str)
        or not isinstance(fingerprint, str)
        or not isinstance(role, str)
        or not isinstance(seed, int)
        or isinstance(seed, bool)
        or not isinstance(trail, list)
        or not all(isinstance(key, str) for key in trail)
    ):
        raise ExportError("the run's header is damaged (a field is missing or of the wrong type)")
    return RunHeader(story, fingerprint, role, seed, tuple(trail))


def replay_document(story: Story, text: str) -> engine.State:
    """The exact State a document was exported at, rebuilt by replaying its trail."""
    header = read_header(text)
    if header.story != story.id:
        raise ExportError(
            f"this run is of the story '{clean(header.story)[:80]}', not '{story.id}' "
            "(play it with --scenes and that story's folder)"
        )
    if header.role not in story.roles:
        raise ExportError(f"this story has no role '{clean(header.role)[:40]}'")
    try:
        return engine.replay(story, header.role, header.seed, header.trail)
    except ReplayError as exc:
        edited = " (the story has changed since)" if header.fingerprint != story.fingerprint else ""
        raise ExportError(f"the run no longer replays{edited}: {clean(str(exc))}") from None


def clean(text: str) -> str:
    """Text with control characters removed, safe to write to a file or a terminal."""
    return _CONTROL_RE.sub("", text)


# -- the run, walked once; both formats render the same items ------------------------------


@dataclass(frozen=True, slots=True)
class _PhaseStart:
    phase: Phase


@dataclass(frozen=True, slots=True)
class _Scene:
    heading: str
    paragraphs: list[str]


@dataclass(frozen=True, slots=True)
class _Chosen:
    choice: Choice


@dataclass(frozen=True, slots=True)
class _PhaseEnd:
    phase: Phase
    history: str
    yours: list[str]
    questions: tuple[str, ...]


_Item = _PhaseStart | _Scene | _Chosen | _PhaseEnd


@dataclass(frozen=True, slots=True)
class _Run:
    story: Story
    state: engine.State
    items: list[_Item]

    @staticmethod
    def of(story: Story, state: engine.State) -> _Run:
        return _Run(story, state, list(_walk(story, state)))

    @property
    def over(self) -> bool:
        return engine.status(self.story, self.state) is engine.Status.GAME_END

    @property
    def title(self) -> str:
        return clean(self.story.title)

    @property
    def role_name(self) -> str:
        return clean(self.story.roles[self.state.role].name)

    @property
    def perspective(self) -> str:
        return clean(self.story.roles[self.state.role].perspective)

    def made(self) -> int:
        return sum(1 for key in self.state.trail if not key.endswith(f":{CONTINUE}"))

    def citations(self, choice: Choice) -> list[str]:
        return [clean(self.story.sources[key].citation()) for key in choice.sources]


def _walk(story: Story, state: engine.State) -> Iterator[_Item]:
    steps = list(state.history())
    steps.reverse()
    phase_id = ""
    for index, step in enumerate(steps):
        scene = story.scenes[step.scene]
        if scene.phase != phase_id:
            phase_id = scene.phase
            yield _PhaseStart(story.phase_of(step.scene))
        place = story.places.get(scene.place)
        where = place.name if place else scene.place
        title = f"{scene.title}. " if scene.title else ""
        yield _Scene(
            clean(f"{title}{format_date(scene.date)}, {where}"),
            [clean(p) for p in engine.text(story, step)],
        )
        if not scene.choices:
            phase = story.phase_of(step.scene)
            yield _PhaseEnd(
                phase,
                clean(phase.outcome.history),
                [clean(t) for t in engine.outcome_texts(story, step, phase.id)],
                tuple(clean(q) for q in phase.outcome.questions),
            )
        if index + 1 < len(steps):
            choice = engine.choice_at(story, steps[index + 1].choice)
            if choice is not None:
                yield _Chosen(choice)


def _phase_heading(phase: Phase) -> str:
    return clean(f"{phase.title}, {phase.span}" if phase.span else phase.title)


def _summary(run: _Run) -> str:
    made = run.made()
    choices = "one choice" if made == 1 else f"{made} choices"
    where = "to the end" if run.over else "and stopped before the end"
    return f"Played as {run.role_name}, seed {run.state.seed}: {choices}, {where}."


# -- Markdown -------------------------------------------------------------------------------

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


def _markdown(run: _Run) -> str:
    story = run.story
    out = [f"<!-- {HEADER_KIND}", header_of(story, run.state).to_json(), "-->", ""]
    out += [f"# {_md(run.title)}: a run", "", _md(_summary(run)), ""]
    out += [
        f"Story `{story.id}`. To play on from where this run stopped: "
        "`exilegame --replay FILE` (or `exilegame --plain --replay FILE`).",
        "",
    ]
    if run.perspective:
        out += ["## Whose view is this?", "", _md(run.perspective), ""]
    for item in run.items:
        if isinstance(item, _PhaseStart):
            out += [f"## {_md(_phase_heading(item.phase))}", ""]
            if item.phase.intro:
                out += _paragraphs_md(item.phase.intro)
        elif isinstance(item, _Scene):
            out += [f"### {_md(item.heading)}", ""]
            for paragraph in item.paragraphs:
                out += _paragraphs_md(paragraph)
        elif isinstance(item, _Chosen):
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


def _ending_md(run: _Run) -> list[str]:
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


# -- HTML -----------------------------------------------------------------------------------

_CSS = """
body { font: 1.05rem/1.55 Georgia, "Times New Roman", serif; max-width: 44rem;
  margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }
h1, h2, h3, h4 { font-family: system-ui, sans-serif; line-height: 1.25; }
h2 { border-bottom: 1px solid #888; padding-bottom: .2rem; margin-top: 2.5rem; }
.intro { font-style: italic; }
.choice { border-left: 4px solid #555; margin: 1rem 0; padding: .2rem 1rem; background: #f4f4f4; }
.outcome { border: 1px solid #888; padding: 0 1rem 1rem; margin: 1.5rem 0; }
.questions li { margin-bottom: .4rem; }
.invented, .stops { font-style: italic; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  .choice { background: none; }
  h2 { break-before: page; }
  header + section h2, h2.first { break-before: auto; }
  h3, h4 { break-after: avoid; }
  .outcome, .choice { break-inside: avoid; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 90%; }
}
"""


def _h(text: str) -> str:
    return html.escape(clean(text), quote=True)


def _ps(text: str, css: str = "") -> list[str]:
    """Prose as <p> elements, one per paragraph."""
    attr = f' class="{css}"' if css else ""
    return [f"<p{attr}>{_h(p)}</p>" for p in text.split("\n\n") if p]


def _html(run: _Run) -> str:
    story, state = run.story, run.state
    title = f"{run.title}: a run as {run.role_name}"
    out = [
        "<!DOCTYPE html>",
        f"<!-- {HEADER_KIND}",
        header_of(story, state).to_json(),
        "-->",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_h(run.title)}: a run</h1>",
        f"<p>{_h(_summary(run))}</p>",
        f"<p>Story <code>{_h(story.id)}</code>. To play on from where this run stopped: "
        "<code>exilegame --replay FILE</code> (or <code>exilegame --plain --replay FILE</code>)."
        "</p>",
        "</header>",
        "<main>",
    ]
    if run.perspective:
        out += [
            '<section aria-labelledby="perspective">',
            '<h2 id="perspective" class="first">Whose view is this?</h2>',
            f"<p>{_h(run.perspective)}</p>",
            "</section>",
        ]
    open_section = False
    for number, item in enumerate(run.items):
        if isinstance(item, _PhaseStart):
            if open_section:
                out.append("</section>")
            open_section = True
            anchor = f"phase-{number}"
            out += [
                f'<section aria-labelledby="{anchor}">',
                f'<h2 id="{anchor}">{_h(_phase_heading(item.phase))}</h2>',
            ]
            if item.phase.intro:
                out += _ps(item.phase.intro, "intro")
        elif isinstance(item, _Scene):
            out.append(f"<h3>{_h(item.heading)}</h3>")
            for paragraph in item.paragraphs:
                out += _ps(paragraph)
        elif isinstance(item, _Chosen):
            choice = item.choice
            out += [
                '<aside class="choice" aria-label="Your choice">',
                f"<p><strong>You chose:</strong> {_h(choice.text)}</p>",
            ]
            if choice.note:
                out.append(f"<p><strong>What really happened:</strong> {_h(choice.note)}</p>")
            for citation in run.citations(choice):
                out.append(f"<p><em>Source:</em> <cite>{_h(citation)}</cite></p>")
            if not choice.documented:
                out.append('<p class="invented">This choice is invented for the game.</p>')
            out.append("</aside>")
        else:
            out += [
                f'<div class="outcome" role="region" aria-label="End of {_h(item.phase.title)}">',
                f"<h3>End of {_h(item.phase.title)}</h3>",
            ]
            if item.history:
                out.append("<h4>What really happened</h4>")
                out += _ps(item.history)
            if item.yours:
                out.append("<h4>What you did</h4>")
                for text in item.yours:
                    out += _ps(text)
            if item.questions:
                out += ["<h4>For discussion</h4>", '<ol class="questions">']
                out += [f"<li>{_h(q)}</li>" for q in item.questions]
                out.append("</ol>")
            out.append("</div>")
    if open_section:
        out.append("</section>")
    if run.over:
        out += _ending_html(run)
    else:
        out.append('<p class="stops">The run stops here; it is not over.</p>')
    cited = engine.cited_sources(story, state)
    if cited:
        out += [
            '<section aria-labelledby="sources">',
            '<h2 id="sources">Sources met in this run</h2>',
            "<ul>",
        ]
        for key in cited:
            source = story.sources[key]
            entry = f"{_h(source.author)}, <cite>{_h(source.title)}</cite> ({_h(source.year)})"
            if source.url:
                entry += f'. <a href="{_h(source.url)}">{_h(source.url)}</a>'
            out.append(f"<li>{entry}</li>")
        out += ["</ul>", "</section>"]
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def _ending_html(run: _Run) -> list[str]:
    story, state = run.story, run.state
    reached = engine.ending(story, state)
    out = [
        '<section aria-labelledby="ending">',
        f'<h2 id="ending">The ending: {_h(reached.title)}</h2>',
    ]
    for paragraph in engine.ending_text(story, state):
        out += _ps(paragraph)
    epilogue = engine.epilogue_text(story, state)
    if epilogue:
        out.append("<h3>Epilogue</h3>")
        for paragraph in epilogue:
            out += _ps(paragraph)
    fates = engine.fates(story, state)
    if fates:
        out += ["<h3>What became of them</h3>", "<dl>"]
        for person in fates:
            dates = f" ({_h(person.dates)})" if person.dates else ""
            out += [f"<dt>{_h(person.name)}{dates}</dt>", f"<dd>{_h(person.fate)}</dd>"]
        out.append("</dl>")
    out.append("</section>")
    return out
