"""The header every exported run opens with: the run as JSON inside an HTML comment, so that
`exilegame --replay FILE` can rebuild it exactly; and `clean`, which keeps control characters
out of every document."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from exilegame import engine
from exilegame.errors import EngineError
from exilegame.story import Story

__all__ = ["HEADER_KIND", "ExportError", "RunHeader", "clean", "header_of", "read_header"]

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


def header_of(story: Story, state: engine.State) -> RunHeader:
    return RunHeader(story.id, story.fingerprint, state.role, state.seed, state.trail)


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


def clean(text: str) -> str:
    """Text with control characters removed, safe to write to a file or a terminal."""
    return _CONTROL_RE.sub("", text)
