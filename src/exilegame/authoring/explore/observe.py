"""What the player sees in a state, and runs that show two choices lead to different games.

`observation` is what the measures compare. When the state graph is too large to measure
the inconsequential choices exactly, `witnessed_choices` looks for proof the other way: from
states the random runs met, it follows two options' successors with the same random choices
and stops at the first difference the player would see. A difference found proves that both
choices matter; none found proves nothing (the choice is left undetermined).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from exilegame import engine
from exilegame.engine import State, Status
from exilegame.story import Story

__all__ = ["observation", "witnessed_choices"]

StateKey = Callable[[Story, State], tuple[Any, ...]]


def observation(story: Story, state: State, options: list[engine.Option]) -> tuple[Any, ...]:
    """Everything the story shows in this state that the state decides: the scene, the
    paragraphs shown, the options offered or locked, and at an end the outcome texts, the
    ending, its paragraphs and the epilogue's (the side panel is left out)."""
    scene = story.scenes[state.scene]
    seen: tuple[Any, ...] = (state.scene, tuple((o.id, o.enabled) for o in options))
    if any(p.condition is not None for p in scene.text):
        seen += (tuple(engine.text(story, state)),)
    if not scene.choices:
        seen += (tuple(engine.outcome_texts(story, state, scene.phase)),)
        if engine.status(story, state) is Status.GAME_END:
            seen += (
                engine.ending(story, state).id,
                tuple(engine.ending_text(story, state)),
                tuple(engine.epilogue_text(story, state)),
            )
    return seen


def _differ(
    story: Story, a: State, b: State, key: StateKey, rng: random.Random, steps: int
) -> bool:
    """Whether one random run, the same choices taken from a and from b, shows a difference."""
    for _ in range(steps):
        if key(story, a) == key(story, b):
            return False
        options_a, options_b = engine.choices(story, a), engine.choices(story, b)
        if observation(story, a, options_a) != observation(story, b, options_b):
            return True
        enabled = [o.id for o in options_a if o.enabled]
        if not enabled:
            return False
        pick = rng.choice(enabled)
        a, b = engine.choose(story, a, pick), engine.choose(story, b, pick)
    return False


def witnessed_choices(
    story: Story,
    runs: Iterable[State],
    candidates: set[str],
    key: StateKey,
    seed: int,
    samples: int = 10,
    rollouts: int = 32,
    steps: int = 1000,
) -> set[str]:
    """The candidate choices shown to matter: at some state a random run met, the choice
    and another option lead, by the same later choices, to something the player sees
    differently. Each choice is tried at up to `samples` states, `rollouts` runs each."""
    rng = random.Random(seed)
    shown: set[str] = set()
    tried: dict[str, int] = {}
    for final in runs:
        for state in final.history():
            scene = story.scenes[state.scene]
            open_ = [
                c.key
                for c in scene.choices
                if c.key in candidates and c.key not in shown and tried.get(c.key, 0) < samples
            ]
            if not open_:
                continue
            enabled = [o for o in engine.choices(story, state) if o.enabled and o.choice]
            if len(enabled) < 2:
                continue
            after = {o.choice.key: engine.choose(story, state, o.id) for o in enabled if o.choice}
            for choice_key in open_:
                if choice_key not in after or choice_key in shown:
                    continue
                tried[choice_key] = tried.get(choice_key, 0) + 1
                mine = after[choice_key]
                for other_key, other in after.items():
                    if other_key == choice_key or key(story, other) == key(story, mine):
                        continue
                    if any(_differ(story, mine, other, key, rng, steps) for _ in range(rollouts)):
                        shown.update((choice_key, other_key))
                        break
    return shown & candidates
