"""What an id is, and the ids the format makes for authors (default choice ids, story ids).

An id starts with a letter or a digit and goes on with letters, digits, `-` and `_`, where
a letter is a letter of any alphabet (`débarcadère`, `пристань`, `港`) with its combining
marks, and a digit is a decimal digit. Nothing else: no spaces, dots, colons or slashes,
which the format uses to join ids (`phase.scene`, `phase.scene:choice`).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["choice_slug", "is_id", "suggest_id"]

# Each character of a text as a class: w (letter or digit), m (a combining mark),
# - and _ as themselves, and a space for anything else. Rules on ids are regexes on these.
_ID = re.compile(r"w[wm_-]*")
_WORD = re.compile(r"w[wm]*(?:-w[wm]*)*")  # "well-known" is one word
# The same rules on ASCII text, where letters and digits are [A-Za-z0-9] (most ids: fast).
_ASCII_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def _classes(text: str) -> str:
    import unicodedata  # only for text beyond ASCII: not on the start path

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
    if text.isascii():
        return _ASCII_ID.fullmatch(text) is not None
    return _ID.fullmatch(_classes(text)) is not None


def _words(text: str) -> list[str]:
    if text.isascii():
        return _ASCII_WORD.findall(text)
    return [text[m.start() : m.end()] for m in _WORD.finditer(_classes(text))]


def suggest_id(text: str, fallback: str = "name") -> str:
    """An id close to `text`: what is not allowed becomes one hyphen (`Harbour Town` ->
    `Harbour-Town`), and it starts with a letter or digit."""
    kept = "".join(c if k != " " else " " for c, k in zip(text, _classes(text), strict=True))
    suggestion = re.sub(r" +", "-", kept.strip()).lstrip("-_")
    return suggestion if is_id(suggestion) else fallback


@lru_cache(maxsize=4096)  # stories repeat choice texts ("Continue", "Wait")
def choice_slug(text: str) -> str:
    """The default id of a choice: its first five words, lower-cased, joined by hyphens.

    A word is letters and digits, with their marks, and hyphens inside it ("well-known" is
    one word); anything else (spaces, apostrophes, punctuation) separates words.
    """
    return "-".join(w.lower() for w in _words(text)[:5]) or "choice"
