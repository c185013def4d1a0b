"""Which values of a number the story's expressions can tell apart.

Reads a checked expression's source again (with `ast`, never evaluated) and records, for each
variable and each visit count, how it is used:

- compared with a whole number (`trust >= 9`, `visits("cafe") < 3`, `visited("cafe")`): a
  *threshold* k, meaning the expression can tell values below k from values k and above;
- changed by a constant (`trust += 1`) or set to one (`papers = 3`) in an effect;
- anything else (arithmetic, compared with another variable, passed to min/max, copied into
  another variable): *opaque*, every value may matter.

The engine stores a visit count only up to the largest threshold any expression compares it
with (`Story.tracked_scenes`), and the explorer merges states whose numbers lie between the
same thresholds (authoring/explore/abstraction.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

from exilegame.expr.model import Compiled

__all__ = ["OPAQUE", "Usage", "usage", "visit_limits"]

OPAQUE = None  # a use whose values cannot be summarised by thresholds

_FLIP = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}


@dataclass
class Usage:
    """How one expression uses numbers: thresholds per variable and per visited scene (None
    when opaque), and for an effect, its assignments in order as (target, op, amount)
    where op is "add" (amount added), "set" (a constant) or "opaque"."""

    variables: dict[str, set[int] | None] = field(default_factory=dict)
    visits: dict[str, set[int] | None] = field(default_factory=dict)
    assignments: list[tuple[str, str, int]] = field(default_factory=list)


def _constant(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _constant(node.operand)
        if inner is not None:
            return -inner if isinstance(node.op, ast.USub) else inner
    return None


def _thresholds(op: ast.cmpop, constant: int) -> set[int]:
    """The thresholds `x <op> constant` tells apart (k: below k versus k and above)."""
    if isinstance(op, ast.GtE | ast.Lt):
        return {constant}
    if isinstance(op, ast.Gt | ast.LtE):
        return {constant + 1}
    return {constant, constant + 1}  # == and !=


class _Walker:
    def __init__(self, phase: str) -> None:
        self.phase = phase
        self.found = Usage()

    def scene(self, node: ast.Call) -> str:
        arg = node.args[0]
        assert isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ref = arg.value
        return ref if "." in ref else f"{self.phase}.{ref}"

    def note(self, table: dict[str, set[int] | None], name: str, found: set[int] | None) -> None:
        if name in table and table[name] is OPAQUE:
            return
        if found is OPAQUE:
            table[name] = OPAQUE
        else:
            current = table.setdefault(name, set())
            assert current is not None
            current |= found

    def operand(self, node: ast.expr, thresholds: set[int] | None) -> bool:
        """Record `node` as compared with thresholds; False when it is not a plain
        variable or visit count (then it is walked as any other expression)."""
        if isinstance(node, ast.Name) and node.id not in ("role", "true", "false", "True", "False"):
            self.note(self.found.variables, node.id, thresholds)
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "visits"
        ):
            self.note(self.found.visits, self.scene(node), thresholds)
            return True
        return False

    def walk(self, node: ast.AST) -> None:
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            handled: set[int] = set()
            for index, op in enumerate(node.ops):
                left, right = parts[index], parts[index + 1]
                if isinstance(op, ast.Is | ast.IsNot | ast.In | ast.NotIn):
                    continue
                value = _constant(right)
                if value is not None and self.operand(left, _thresholds(op, value)):
                    handled.add(index)
                    continue
                value = _constant(left)
                flipped = _FLIP.get(type(op), type(op))()
                if value is not None and self.operand(right, _thresholds(flipped, value)):
                    handled.add(index + 1)
            for index, part in enumerate(parts):
                if index not in handled:
                    self.walk(part)
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "visited":
                self.note(self.found.visits, self.scene(node), {1})
                return
            if node.func.id == "visits":
                self.note(self.found.visits, self.scene(node), OPAQUE)
                return
        if isinstance(node, ast.Name):
            self.operand(node, OPAQUE)  # a number used in arithmetic, or a flag or text
            return
        for child in ast.iter_child_nodes(node):
            self.walk(child)

    def statement(self, stmt: ast.stmt) -> None:
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) else getattr(stmt, "target", None)
        value: ast.expr | None = getattr(stmt, "value", None)
        if not isinstance(target, ast.Name) or value is None:
            return
        amount = _constant(value)
        if isinstance(stmt, ast.AugAssign) and amount is not None:
            sign = -1 if isinstance(stmt.op, ast.Sub) else 1
            self.found.assignments.append((target.id, "add", sign * amount))
        elif isinstance(stmt, ast.Assign) and amount is not None:
            self.found.assignments.append((target.id, "set", amount))
        else:
            self.found.assignments.append((target.id, "opaque", 0))
            if isinstance(stmt, ast.AugAssign):
                self.note(self.found.variables, target.id, OPAQUE)
            self.walk(value)


def usage(compiled: Compiled) -> Usage:
    """How a checked condition or effect uses numbers."""
    walker = _Walker(compiled.phase)
    if compiled.kind == "if":
        walker.walk(ast.parse(compiled.source.strip(), mode="eval"))
    else:
        for stmt in ast.parse(compiled.source.strip(), mode="exec").body:
            walker.statement(stmt)
    return walker.found


def visit_limits(expressions: Iterable[Compiled]) -> dict[str, int | None]:
    """For each scene some expression asks about, the largest visit count any expression
    can tell from a larger one (`visited` needs 1, `visits("x") >= 3` needs 3), or None
    when a count is used in arithmetic or compared with a variable, so every count
    matters."""
    limits: dict[str, int | None] = {}
    for compiled in expressions:
        if not compiled.scenes:
            continue
        for scene, thresholds in usage(compiled).visits.items():
            if scene in limits and limits[scene] is None:
                continue
            if thresholds is OPAQUE:
                limits[scene] = None
            else:
                limits[scene] = max(limits.get(scene) or 1, *thresholds)
    return limits
