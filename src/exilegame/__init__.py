"""exilegame: a YAML scene engine, and the terminal game of Trotsky's last exile built on it.

The public API, for programs that embed the engine or build tools around it (see docs/api.md):

    story = load_story("scenes")               # Story, immutable; LoadError lists every problem
    state = start(story, "secretary", seed=1)  # State, small and frozen
    for option in choices(story, state): ...   # what the player can pick now
    state = choose(story, state, option.id)    # a new State; the old one is untouched
    state = rewind(state)                      # instant: each State links to the one before
    state = replay(story, role, seed, trail)   # rebuild a run from its trail of choices

The layers, from the bottom up: errors and expressions; the story model; the format (scene
files to a Story) and the engine; saves; authoring tools; play (line mode, the terminal
interface); the command line. Nothing below `exilegame.play.tui` imports Textual.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from exilegame._version import __version__

if TYPE_CHECKING:
    from exilegame._files import shipped_scenes
    from exilegame.engine import (
        Option,
        State,
        Status,
        choices,
        choose,
        ending,
        replay,
        rewind,
        start,
        status,
        text,
    )
    from exilegame.errors import (
        AuthorError,
        ChoiceUnavailable,
        EngineError,
        ExilegameError,
        ExprError,
        LoadError,
        Problem,
        ReplayError,
        SaveError,
    )
    from exilegame.format.load import load_story
    from exilegame.story import Story

# Each public name and the module that defines it. They are imported when first used, not
# with the package: `exilegame` (the game) imports `exilegame.cli`, and through it this
# package, on every launch, and the game's first screen needs only part of the engine.
_HOMES = {
    "shipped_scenes": "exilegame._files",
    **dict.fromkeys(
        "Option State Status choices choose ending replay rewind start status text".split(),
        "exilegame.engine",
    ),
    **dict.fromkeys(
        "AuthorError ChoiceUnavailable EngineError ExilegameError ExprError LoadError Problem "
        "ReplayError SaveError".split(),
        "exilegame.errors",
    ),
    "load_story": "exilegame.format.load",
    "Story": "exilegame.story",
}


def __getattr__(name: str) -> Any:
    """The public name `name`, imported from its module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'exilegame' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "AuthorError",
    "ChoiceUnavailable",
    "EngineError",
    "ExilegameError",
    "ExprError",
    "LoadError",
    "Option",
    "Problem",
    "ReplayError",
    "SaveError",
    "State",
    "Status",
    "Story",
    "__version__",
    "choices",
    "choose",
    "ending",
    "load_story",
    "replay",
    "rewind",
    "shipped_scenes",
    "start",
    "status",
    "text",
]
