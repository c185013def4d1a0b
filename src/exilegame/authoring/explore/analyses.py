"""What the explorer measures beyond coverage, from the states an exhaustive search met."""

from __future__ import annotations

import json
from typing import Any

from exilegame.story import Story

__all__ = ["inert_variables"]


def inert_variables(
    story: Story, records: list[tuple[tuple[Any, ...], Any, tuple[Any, ...]]]
) -> dict[str, str]:
    """Variables whose value never makes a difference to play, each with the reason.

    A variable is *constant* when it keeps its start value in every reachable state. It is
    *inert* when some reachable states differ only in it, and every two such states show the
    same options, paragraphs, outcome texts and ending, and lead to successors that again
    differ only in it: then, from either state, the player sees exactly the same game.
    """
    names = list(story.variables)
    out: dict[str, str] = {}
    columns = [set(column) for column in zip(*(key[2] for key, _, _ in records), strict=True)]
    for index, name in enumerate(names):
        values = columns[index] if columns else set()
        if len(values) <= 1:
            start = story.variables[name].start
            out[name] = f"it keeps its start value ({json.dumps(start)}) in every reachable state"
            continue
        groups: dict[tuple[Any, ...], tuple[Any, Any, Any]] = {}
        paired = differs = False
        for key, seen_now, successors in records:
            vars_ = key[2]
            group = (key[0], key[1], vars_[:index] + vars_[index + 1 :], key[3:])
            known = groups.setdefault(group, (vars_[index], seen_now, successors))
            if known[0] == vars_[index]:
                continue
            paired = True
            if known[1] != seen_now or _without(known[2], index) != _without(successors, index):
                differs = True
                break
        if paired and not differs:
            out[name] = (
                f"it takes {len(values)} values, but states that differ only in it always "
                "play the same"
            )
    return out


def _without(rows: tuple[tuple[Any, ...], ...], index: int) -> tuple[Any, ...]:
    return tuple(row[:index] + row[index + 1 :] for row in rows)
