"""A run as one standalone HTML page: no external assets, semantic sections and headings for
screen readers, and a print stylesheet."""

from __future__ import annotations

import html

from exilegame import engine
from exilegame.play.export.header import HEADER_KIND, clean, header_of
from exilegame.play.export.run import Chosen, PhaseStart, Run, SceneRead, phase_heading, summary

__all__ = ["render"]

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


def render(run: Run) -> str:
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
        f"<p>{_h(summary(run))}</p>",
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
        if isinstance(item, PhaseStart):
            if open_section:
                out.append("</section>")
            open_section = True
            anchor = f"phase-{number}"
            out += [
                f'<section aria-labelledby="{anchor}">',
                f'<h2 id="{anchor}">{_h(phase_heading(item.phase))}</h2>',
            ]
            if item.phase.intro:
                out += _ps(item.phase.intro, "intro")
        elif isinstance(item, SceneRead):
            out.append(f"<h3>{_h(item.heading)}</h3>")
            for paragraph in item.paragraphs:
                out += _ps(paragraph)
        elif isinstance(item, Chosen):
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


def _ending_html(run: Run) -> list[str]:
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
