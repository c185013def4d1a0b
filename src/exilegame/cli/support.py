"""Helpers shared by the commands: find the scenes folder, load it or report why not."""

from __future__ import annotations

import sys
from pathlib import Path

from exilegame._files import shipped_scenes
from exilegame.errors import LoadError
from exilegame.format.load import load_story
from exilegame.story import Story


def scenes_dir(given: Path | None) -> Path:
    """The folder a command should read: the one given, else the shipped story."""
    return given if given is not None else shipped_scenes()


def load_or_exit(given: Path | None) -> Story:
    """Load the story, or print every problem to stderr and exit with status 2."""
    folder = scenes_dir(given)
    try:
        return load_story(folder)
    except LoadError as exc:
        print(exc.report(), file=sys.stderr)
        raise SystemExit(2) from None
