"""Where things live: the shipped scenes (installed or in a checkout) and the user's data."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_scenes() -> Path:
    """The game's own scenes folder: inside the installed package, else the checkout's."""
    installed = _PACKAGE / "scenes"
    if (installed / "story.yaml").is_file():
        return installed
    checkout = _PACKAGE.parent.parent / "scenes"
    return checkout


def data_dir() -> Path:
    """Where saves and the explored-paths record go: $EXILEGAME_DATA_DIR, else the platform's."""
    override = os.environ.get("EXILEGAME_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("exilegame", appauthor=False))
