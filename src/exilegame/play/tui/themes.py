"""The two period themes: ink on paper (light) and paper on ink (dark)."""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="exile-dark",
    primary="#c9a86a",
    secondary="#8c6f47",
    accent="#d0704f",
    warning="#d19a3c",
    error="#d0604a",
    success="#8fae78",
    foreground="#e8dcc4",
    background="#1b1712",
    surface="#241e17",
    panel="#30281e",
    dark=True,
)

LIGHT = Theme(
    name="exile-light",
    primary="#7a4a22",
    secondary="#5c4a36",
    accent="#9b2f1f",
    warning="#8a5a00",
    error="#9b2f1f",
    success="#3f6b2f",
    foreground="#2b2118",
    background="#f4ecd8",
    surface="#ece2c9",
    panel="#e0d2b2",
    dark=False,
)

THEMES = (DARK, LIGHT)
