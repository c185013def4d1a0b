"""Whole-story analysis beyond what loading needs: the warnings of `exilegame check`.

Loading already rejects what cannot be played (unknown targets, undeclared variables, bad
expressions). This module looks at the story as a graph and as a body of history:
unreachable scenes, possible dead ends, variables nobody reads, choices without a note or a
source. Reachability here ignores conditions (any choice might be taken); `exilegame explore`
finds what conditions make unreachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from exilegame.errors import Problem, Where
from exilegame.expr import Compiled
from exilegame.format.load import load_with_problems
from exilegame.story import Story

__all__ = ["analyse", "run_check"]


def _at(where: Where | None, fallback: Path) -> tuple[Path, int, int]:
    if where is None:
        return fallback, 0, 0
    return where.path, where.line, where.column


def analyse(story: Story) -> list[Problem]:
    """Warnings about a story that loaded without errors."""
    problems: list[Problem] = []

    def warn(where: Where | None, message: str, hint: str = "") -> None:
        path, line, column = _at(where, story.root / "story.yaml")
        problems.append(Problem(path, line, column, message, hint, "warning"))

    # Reachability over the graph, following every choice and every phase hand-over.
    reached: set[str] = set()
    frontier = [story.start]
    while frontier:
        scene_id = frontier.pop()
        if scene_id in reached:
            continue
        reached.add(scene_id)
        scene = story.scenes[scene_id]
        if scene.choices:
            frontier.extend(c.target for c in scene.choices)
        elif not scene.ends_game:
            nxt = story.next_phase(scene.phase)
            if nxt is not None:
                frontier.append(nxt.start)
    for scene in story.scenes.values():
        if scene.id not in reached:
            warn(
                scene.where,
                f"the scene '{scene.local_id}' can never be reached",
                f"add a choice with `go: {scene.local_id}` (or `go: {scene.id}` from "
                "another phase), or remove the scene",
            )

    # Possible dead ends: for some role, every choice has a condition that might not hold.
    all_roles = frozenset(story.roles)
    for scene in story.scenes.values():
        if not scene.choices:
            continue
        covered: frozenset[str] = frozenset()
        for choice in scene.choices:
            if choice.condition is None:
                covered = all_roles
                break
            if choice.condition.for_roles is not None:
                covered |= choice.condition.for_roles
        possible = frozenset({scene.role}) if scene.role else all_roles
        exposed = sorted(possible - covered)
        if exposed:
            who = "" if set(exposed) == all_roles else f" for {', '.join(exposed)}"
            warn(
                scene.where,
                f"every choice of '{scene.local_id}' has an `if:`{who}; if none "
                "holds the player is stuck",
                "add one choice without `if:`, or check with "
                "`exilegame explore` that one always holds",
            )

    # A locked choice needs a lock: `show_locked` without `if:` never shows anything.
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.show_locked and choice.condition is None:
                warn(
                    choice.where,
                    f"the choice '{choice.text}' has `show_locked: true` but no `if:`, "
                    "so it is never locked",
                    "add the `if:` that locks it, or remove `show_locked`",
                )

    # Variables: declared but never used, or set but never read.
    reads: set[str] = set()
    writes: set[str] = set()
    for compiled in _all_compiled(story):
        reads |= compiled.reads
        writes |= compiled.writes
    for name, var in story.variables.items():
        if name not in reads and name not in writes and not var.show:
            warn(
                var.where,
                f"the variable '{name}' is declared but never used",
                "remove it from `state:`, or use it in an `if:` or `do:`",
            )
        elif name not in reads and not var.show:
            warn(
                var.where,
                f"the variable '{name}' is set but never read, so it changes nothing",
                "read it in an `if:` (or show it with `show: true`)",
            )

    # Sourcing: with a bibliography, documented choices need a note and a source.
    if story.sources:
        for scene in story.scenes.values():
            for choice in scene.choices:
                if not choice.documented:
                    continue
                missing = [
                    what
                    for what, has in (("a note", choice.note), ("a source", choice.sources))
                    if not has
                ]
                if missing:
                    warn(
                        choice.where,
                        f"the choice '{choice.text}' has no "
                        f"{' and no '.join(m.split(' ', 1)[1] for m in missing)}",
                        "add `note:` (what really happened) and `source:` (a bibliography "
                        "key), or `documented: false` if the choice is invented",
                    )
    return problems


def _all_compiled(story: Story) -> Iterator[Compiled]:
    for scene in story.scenes.values():
        for paragraph in scene.text:
            if paragraph.condition:
                yield paragraph.condition
        for choice in scene.choices:
            if choice.condition:
                yield choice.condition
            if choice.effect:
                yield choice.effect
    for phase in story.phases:
        for variant in phase.outcome.yours:
            if variant.condition:
                yield variant.condition
    for ending in story.endings:
        if ending.condition:
            yield ending.condition
        for paragraph in ending.text:
            if paragraph.condition:
                yield paragraph.condition
    for paragraph in story.epilogue:
        if paragraph.condition:
            yield paragraph.condition


def run_check(folder: Path) -> tuple[Story | None, list[Problem]]:
    """Load and analyse; every problem, errors and warnings, in file order."""
    story, problems = load_with_problems(folder)
    if story is not None:
        problems = sorted(problems + analyse(story), key=lambda p: p.sort_key)
    return story, problems
