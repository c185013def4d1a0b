"""What an id is, and the ids the format makes for authors (default choice ids, story ids).

An id starts with a letter or a digit and goes on with letters, digits, `-` and `_`, where
a letter is a letter of any alphabet (`débarcadère`, `пристань`, `港`) with its combining
marks, and a digit is a decimal digit. Nothing else: no spaces, dots, colons or slashes,
which the format uses to join ids (`phase.scene`, `phase.scene:choice`).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["choice_slug", "is_id", "suggest_id"]

# Each character of a text as a class: w (letter or digit), m (a combining mark),
# - and _ as themselves, and a space for anything else. Rules on ids are regexes on these.
_ID = re.compile(r"w[wm_-]*")
_WORD = re.compile(r"w[wm]*(?:-w[wm]*)*")  # "well-known" is one word


def _classes(text: str) -> str:
    out = []
    for c in text:
        if c.isalpha() or c.isdecimal():
            out.append("w")
        elif c in "-_":
            out.append(c)
        elif unicodedata.category(c).startswith("M"):
            out.append("m")
        else:
            out.append(" ")
    return "".join(out)


def is_id(text: str) -> bool:
    """Whether `text` is an id, as a whole (a trailing newline is not part of an id)."""
    return _ID.fullmatch(_classes(text)) is not None


def _words(text: str) -> list[str]:
    return [text[m.start() : m.end()] for m in _WORD.finditer(_classes(text))]


def suggest_id(text: str, fallback: str = "name") -> str:
    """An id close to `text`: what is not allowed becomes one hyphen (`Harbour Town` ->
    `Harbour-Town`), and it starts with a letter or digit."""
    kept = "".join(c if k != " " else " " for c, k in zip(text, _classes(text), strict=True))
    suggestion = re.sub(r" +", "-", kept.strip()).lstrip("-_")
    return suggestion if is_id(suggestion) else fallback


def choice_slug(text: str) -> str:
    """The default id of a choice: its first five words, lower-cased, joined by hyphens.

    A word is letters and digits, with their marks, and hyphens inside it ("well-known" is
    one word); anything else (spaces, apostrophes, punctuation) separates words.
    """
    return "-".join(w.lower() for w in _words(text)[:5]) or "choice"
