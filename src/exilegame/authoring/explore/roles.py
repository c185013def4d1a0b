"""What a condition says in one role's states: its `role` tests decided, the rest kept.

The role never changes in a run, so in a role's states `role == "guard"` is a constant.
Put in, and the `and`/`or`/`not` around it simplified, a condition reads less:
`role == "clerk" and nerve >= 2` reads nothing for the guard (it is false) and
`jacson_doubted and (role == "secretary" or vigilance >= 9)` reads no gauge for the
secretary. A part of an `or` that implies another part is dropped too:
`archive >= 6 or archive >= 9 and saved_history` reads as `archive >= 6`. The explorer
plans each role's states on what its conditions read (abstraction.py, slicing.py), so a
threshold or a flag only another role's tests (or no test at all) reach is not kept in
this role's states.

    for_role(condition, role)   the condition as it reads for `role`: True, False, or a
                                Compiled whose source is the simplified expression
    may_offer(choice, role)     False when the choice's condition is false for `role`
    reads_role(compiled)        whether an expression reads `role` at all

The Compiled returned is read (by `expr.thresholds.usage` and the liveness walk), never
run: its function is the original's, which gives the same result in that role's states.
"""

from __future__ import annotations

import ast
import dataclasses
import functools

from exilegame.expr import Compiled
from exilegame.story import Choice

__all__ = ["for_role", "may_offer", "reads_role"]


def _decided(node: ast.expr, role: str) -> ast.expr:
    """`node` with each `role == "x"` / `role != "x"` replaced by its value for `role`, and
    `and`, `or` and `not` over constants simplified (conditions are typed: flags only)."""
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, op, right = node.left, node.ops[0], node.comparators[0]
        if isinstance(right, ast.Name) and right.id == "role":
            left, right = right, left
        if (
            isinstance(left, ast.Name)
            and left.id == "role"
            and isinstance(right, ast.Constant)
            and isinstance(right.value, str)
            and isinstance(op, ast.Eq | ast.NotEq)
        ):
            return ast.Constant((right.value == role) == isinstance(op, ast.Eq))
        return node
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _decided(node.operand, role)
        if isinstance(inner, ast.Constant) and isinstance(inner.value, bool):
            return ast.Constant(not inner.value)
        return ast.UnaryOp(ast.Not(), inner)
    if isinstance(node, ast.BoolOp):
        absorbing = isinstance(node.op, ast.Or)  # True absorbs `or`, False absorbs `and`
        kept: list[ast.expr] = []
        for value in node.values:
            part = _decided(value, role)
            if isinstance(part, ast.Constant) and isinstance(part.value, bool):
                if part.value is absorbing:
                    return ast.Constant(absorbing)
                continue  # the neutral one: drop it
            kept.append(part)
        if not kept:
            return ast.Constant(not absorbing)
        return kept[0] if len(kept) == 1 else ast.BoolOp(node.op, kept)
    return node


def _bound(node: ast.expr) -> tuple[str, str, int] | None:
    """`x >= 3`, `x > 2`, `4 <= x`... as (x, ">=", 3); `x <= 3`, `x < 4`... as (x, "<=", 3)."""
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return None
    left, op, right = node.left, node.ops[0], node.comparators[0]
    flip = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}
    if isinstance(left, ast.Constant) and isinstance(right, ast.Name):
        left, right, op = right, left, flip.get(type(op), type(op))()
    if not (
        isinstance(left, ast.Name) and isinstance(right, ast.Constant) and type(right.value) is int
    ):
        return None
    c = right.value
    shift = {ast.GtE: (">=", 0), ast.Gt: (">=", 1), ast.LtE: ("<=", 0), ast.Lt: ("<=", -1)}
    if type(op) not in shift:
        return None
    sense, by = shift[type(op)]
    return left.id, sense, c + by


def _implies(a: ast.expr, b: ast.expr) -> bool:
    """Whether `a` implies `b`, for the cases the shipped endings meet: the same test,
    or two bounds on one number (`x >= 9` implies `x >= 6`)."""
    if ast.dump(a) == ast.dump(b):
        return True
    bound_a, bound_b = _bound(a), _bound(b)
    if bound_a is None or bound_b is None or bound_a[:2] != bound_b[:2]:
        return False
    return bound_a[2] >= bound_b[2] if bound_a[1] == ">=" else bound_a[2] <= bound_b[2]


def _absorbed(node: ast.expr) -> ast.expr:
    """`a or (b and c)` as `a` when `b` implies `a`: a part of an `or` that implies another
    part still kept adds nothing (inside out; of two that imply each other the last stays)."""
    if not isinstance(node, ast.BoolOp):
        return node
    values = [_absorbed(v) for v in node.values]
    if isinstance(node.op, ast.Or):
        dropped: set[int] = set()
        for i, value in enumerate(values):
            is_and = isinstance(value, ast.BoolOp) and isinstance(value.op, ast.And)
            parts = value.values if isinstance(value, ast.BoolOp) and is_and else [value]
            others = [w for j, w in enumerate(values) if j != i and j not in dropped]
            if any(_implies(part, other) for part in parts for other in others):
                dropped.add(i)
        values = [v for i, v in enumerate(values) if i not in dropped]
    return values[0] if len(values) == 1 else ast.BoolOp(node.op, values)


@functools.lru_cache(maxsize=4096)
def for_role(condition: Compiled, role: str | None) -> Compiled | bool:
    """The condition as it reads in `role`'s states (None: any role, unchanged)."""
    if role is None or ("role" not in condition.source and " or " not in condition.source):
        return condition  # nothing to decide or to drop
    tree = ast.parse(condition.source.strip(), mode="eval")
    decided = _absorbed(_decided(tree.body, role))
    if isinstance(decided, ast.Constant) and isinstance(decided.value, bool):
        return decided.value
    source = ast.unparse(decided)
    return (
        condition
        if source == condition.source.strip()
        else dataclasses.replace(condition, source=source)
    )


def may_offer(choice: Choice, role: str | None) -> bool:
    """Whether a choice can be offered to `role` (None: to some role): its `if:` is not
    false whatever else holds, once the role is known."""
    return choice.condition is None or for_role(choice.condition, role) is not False


def reads_role(compiled: Compiled) -> bool:
    """Whether an expression reads `role` (its value may differ between roles)."""
    mode = "eval" if compiled.kind == "if" else "exec"
    tree = ast.parse(compiled.source.strip(), mode=mode)
    return any(isinstance(n, ast.Name) and n.id == "role" for n in ast.walk(tree))
