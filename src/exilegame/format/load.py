"""Read a scenes folder into a checked, immutable Story, reporting every error at once.

`load_story(folder)` returns the Story or raises LoadError holding every Problem found, each
with file, line, column and a hint. Loading never stops at the first error: a broken file is
skipped and the rest are still read, so an author sees the whole list in one go.

The work is split by job: `shapes` reads values by kind, `refs` checks cross-references,
`scenes` reads phase files' scenes and choices, `manifest` reads story.yaml's declarations
and finds the phase files, `build` runs them in order; this module tries the story cache
first and imports `build` only when the cache has no copy of the files.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path

from exilegame.errors import LoadError, Problem
from exilegame.format import cache
from exilegame.format.files import read_folder
from exilegame.story import Scene, Story, long_lived

__all__ = ["load_story", "load_with_problems"]


def load_story(folder: str | Path) -> Story:
    """Load and check a scenes folder; raise LoadError with every problem if it has errors."""
    story, problems = load_with_problems(folder, frozen=True)
    errors = [p for p in problems if p.severity == "error"]
    if errors or story is None:
        raise LoadError(errors)
    return long_lived(story)


def load_with_problems(
    folder: str | Path, use_cache: bool = True, *, frozen: bool = False
) -> tuple[Story | None, list[Problem]]:
    """Load a scenes folder; return the Story (None if it has errors) and every problem.

    A story that loaded cleanly before, from the very same files, comes from the cache; with
    `frozen` (the caller makes the story `long_lived`, as `load_story` does), the scenes it
    decodes later are frozen with it, in batches (see lazyscenes.LazyScenes).
    """
    folder = Path(folder)
    files: dict[Path, bytes] = {}
    refused: dict[Path, Problem] = {}
    key = ""
    if folder.is_dir():
        files, refused = read_folder(folder)  # first: only regular files, of bounded size
        if use_cache and cache.enabled() and not refused:
            key = cache.files_key(folder, files)
            cached = cache.read(folder, key, lambda: _reload_scenes(folder, key), frozen)
            if cached is not None:
                return cached
    story, problems = _parse(folder, files, refused)
    if story is not None and key:
        cache.write(folder, key, story, problems)
    return story, problems


def _parse(
    folder: Path, files: dict[Path, bytes], refused: dict[Path, Problem]
) -> tuple[Story | None, list[Problem]]:
    """Parse and check the files read from a folder: the Story (None if it has errors) and
    every problem."""
    from exilegame.format.build import Loader  # the parser and checks: only on a cache miss

    loader = Loader(folder, files, refused)
    # A large story makes hundreds of thousands of small objects, none of them cyclic garbage;
    # the cyclic collector would rescan them again and again (it doubled load times).
    collecting = gc.isenabled()
    gc.disable()
    try:
        story = loader.load()
    finally:
        if collecting:
            gc.enable()
    # a mistake in a merged (`<<: *name`) mapping is met once per merge: report it once
    problems = sorted(dict.fromkeys(loader.problems), key=lambda p: p.sort_key)
    if story is None or any(p.severity == "error" for p in problems):
        return None, problems
    return story, problems


def _reload_scenes(folder: Path, key: str) -> Mapping[str, Scene]:
    """The scenes of the story a cache file was written for, loaded the slow way: for the
    cache, should one of its entries fail to decode. The cache file is removed; a folder
    whose files changed since is an error, as its scenes would not match the rest."""
    cache.discard(folder)
    files, refused = read_folder(folder)
    story, problems = _parse(folder, files, refused)  # the very bytes the key is checked on
    if refused or story is None or cache.files_key(folder, files) != key:
        changed = Problem(
            folder,
            0,
            0,
            "the story cache was damaged and the scene files have changed since the story "
            "was loaded",
            "start the game again",
        )
        raise LoadError([changed, *(p for p in problems if p.severity == "error")])
    return story.scenes
