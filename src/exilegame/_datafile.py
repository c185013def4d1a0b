"""What every data file of the game shares: a version check in the manner of ink's saves, and
the checks of fields read back from disk (whole numbers in range, short texts with no
control characters)."""

from __future__ import annotations

from typing import Any

from exilegame.errors import visible

__all__ = ["MAX_KEY", "compatible", "short_text", "whole_count"]

MAX_KEY = 1_000  # characters in one trail key, scene or ending id
_MAX_TEXT = 1_000  # characters in a shown field (name, phase, place, date)
_MAX_INT = 2**63 - 1  # seeds, steps and counts are at most this


def compatible(data: dict[str, Any], current: int, oldest: int, what: str) -> None:
    """Raise ValueError unless a file of this format can be read by this version."""
    written = data.get("format")
    if not isinstance(written, int) or isinstance(written, bool):
        raise ValueError(f"no {what} format number")
    needs = data.get("compatible", written)
    if not isinstance(needs, int) or isinstance(needs, bool):
        raise ValueError(f"the {what}'s compatibility number is not a number")
    if written < oldest:
        raise ValueError(f"{what} format {written} is older than this version reads ({oldest})")
    if needs > current:
        raise ValueError(
            f"it was written by a newer exilegame ({what} format {written}); update exilegame"
        )


def short_text(value: object, what: str) -> str:
    """A short text read back from a data file, with no control characters; ValueError if not."""
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise ValueError(f"{what} is not a short text")
    if visible(value) != value:
        raise ValueError(f"{what} holds control characters")
    return value


def whole_count(value: object) -> bool:
    """Whether `value` is a whole number from 0 within range (not a flag, not a float)."""
    return type(value) is int and 0 <= value <= _MAX_INT
