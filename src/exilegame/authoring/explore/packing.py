"""How the compact problem search (compact.py) packs a state into one int.

Bit fields, lowest first: the scene, the role, a code per variable (its values numbered as
they are met, the start value first: a flag takes 1 bit, a number with `min:` and `max:`
the bits its range needs, anything else OPEN_WIDTH), a field per scene whose visits are
counted (up to its cap), and the step on top when the story reads turns() or chance().

    Layout        the fields, the codes of the values, and `decode` back to an engine State
    supports      whether a story can be searched on packed states at all
    Unsupported   raised when values outgrow their field (the search starts again on
                  engine States)
"""

from __future__ import annotations

from types import MappingProxyType

from exilegame.engine import State
from exilegame.expr import BOOL, Compiled, Value
from exilegame.story import Story

__all__ = ["OPEN_WIDTH", "Layout", "Unsupported", "supports"]

OPEN_WIDTH = 24  # bits for a variable without both `min:` and `max:`, or a count without a cap


class Unsupported(Exception):
    """The story cannot be searched on compact states (see the module docstring)."""


def _width(count: int) -> int:
    """Bits to hold the codes 0 .. count - 1."""
    return max(1, (count - 1).bit_length())


def _expressions(story: Story) -> list[Compiled]:
    found: list[Compiled] = []
    for scene in story.scenes.values():
        found += [p.condition for p in scene.text if p.condition is not None]
        for choice in scene.choices:
            found += [e for e in (choice.condition, choice.effect) if e is not None]
    for phase in story.phases:
        found += [v.condition for v in phase.outcome.yours if v.condition is not None]
    for ending in story.endings:
        found += [ending.condition] if ending.condition is not None else []
        found += [p.condition for p in ending.text if p.condition is not None]
    found += [p.condition for p in story.epilogue if p.condition is not None]
    return found


def supports(story: Story) -> bool:
    """Whether the compact search applies: no expression divides by a variable."""
    return not any(c.divides for c in _expressions(story))


class Layout:
    """Where each part of a state lives in its int, and the codes of the values."""

    def __init__(self, story: Story) -> None:
        self.scenes = list(story.scenes)
        self.scene_code = {s: i for i, s in enumerate(self.scenes)}
        self.scene_mask = (1 << _width(len(self.scenes))) - 1
        offset = _width(len(self.scenes))
        self.roles = list(story.roles)
        self.role_code = {r: i for i, r in enumerate(self.roles)}
        self.role_offset = offset
        self.role_mask = ((1 << _width(len(self.roles))) - 1) << offset
        offset += _width(len(self.roles))
        self.names = list(story.variables)
        self.var_offset: list[int] = []
        self.var_width: list[int] = []
        self.values: list[list[Value]] = []  # code -> value, per variable
        self.codes: list[dict[Value, int]] = []  # value -> code, per variable
        for name in self.names:
            var = story.variables[name]
            if var.kind == BOOL:
                width = 1
            elif var.min is not None and var.max is not None:
                width = _width(var.max - var.min + 1)
            else:
                width = OPEN_WIDTH
            self.var_offset.append(offset)
            self.var_width.append(width)
            self.values.append([var.start])
            self.codes.append({var.start: 0})
            offset += width
        self.visit_offset: dict[str, int] = {}
        self.visit_width: dict[str, int] = {}
        for scene, limit in story.tracked_scenes.items():
            width = OPEN_WIDTH if limit is None else _width(limit + 1)
            self.visit_offset[scene] = offset
            self.visit_width[scene] = width
            offset += width
        self.step_offset = offset
        self.turns = story.uses_turns

    def var_field(self, name: str) -> int:
        i = self.names.index(name)
        return ((1 << self.var_width[i]) - 1) << self.var_offset[i]

    def visit_field(self, scene: str) -> int:
        if scene not in self.visit_offset:
            return 0
        return ((1 << self.visit_width[scene]) - 1) << self.visit_offset[scene]

    def code(self, i: int, value: Value) -> int:
        codes = self.codes[i]
        found = codes.get(value)
        if found is None:
            found = codes[value] = len(codes)
            if found >> self.var_width[i]:
                raise Unsupported(f"'{self.names[i]}' takes more than {found:,} values")
            self.values[i].append(value)
        return found

    def decode(self, s: int, seed: int) -> State:
        """An engine State with the values `s` holds (no history)."""
        values = {
            name: self.values[i][(s >> self.var_offset[i]) & ((1 << self.var_width[i]) - 1)]
            for i, name in enumerate(self.names)
        }
        visits = {}
        for scene, offset in self.visit_offset.items():
            count = (s >> offset) & ((1 << self.visit_width[scene]) - 1)
            if count:
                visits[scene] = count
        return State(
            self.roles[(s & self.role_mask) >> self.role_offset],
            seed,
            self.scenes[s & self.scene_mask],
            MappingProxyType(values),
            MappingProxyType(visits),
            s >> self.step_offset if self.turns else 0,
        )
