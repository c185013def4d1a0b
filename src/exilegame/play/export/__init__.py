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

from typing import Literal

from exilegame import engine
from exilegame.errors import ReplayError
from exilegame.play.export import html, markdown
from exilegame.play.export.header import ExportError, RunHeader, clean, header_of, read_header
from exilegame.play.export.run import Run
from exilegame.story import Story

__all__ = [
    "ExportError",
    "Format",
    "RunHeader",
    "clean",
    "export",
    "format_for",
    "header_of",
    "read_header",
    "replay_document",
]

Format = Literal["markdown", "html"]


def format_for(filename: str) -> Format:
    """The format a file name asks for: `.html` or `.htm` is HTML, anything else Markdown."""
    return "html" if filename.lower().endswith((".html", ".htm")) else "markdown"


def export(story: Story, state: engine.State, fmt: Format) -> str:
    """The run up to `state` as a Markdown or HTML document."""
    run = Run.of(story, state)
    return markdown.render(run) if fmt == "markdown" else html.render(run)


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
