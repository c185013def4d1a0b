"""Keys typed ahead are not for the next screen.

A screen notes when it was shown (`ready_at`); keys stamped before that moment, plus a short
grace to see what appeared, are dropped. A burst of Enter or a double press therefore acts
once, on the screen the player was looking at. Textual stamps every event with `get_time()`
when the terminal's input is read.
"""

from __future__ import annotations

from textual import events
from textual._time import get_time  # the clock Textual stamps events with

GRACE = 0.3  # seconds; a double press is faster than this, reading is slower


class Grace:
    """The grace in seconds, shared by all screens (tests set 0 to press keys back to back)."""

    seconds = GRACE


def ready_from_now() -> float:
    return get_time() + Grace.seconds


def early(event: events.Key | events.MouseEvent, ready_at: float) -> bool:
    """True for input stamped before a screen was ready for it."""
    return event.time < ready_at
