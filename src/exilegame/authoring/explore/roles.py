"""What a condition says in one role's states: its `role` tests decided, the rest kept.

The role never changes in a run, so in a role's states `role == "guard"` is a constant.
Put in, and the `and`/`or`/`not` around it simplified, a condition reads less:
`role == "clerk" and nerve >= 2` reads nothing for the guard (it is false) and
`jacson_doubted and (role == "secretary" or vigilance >= 9)` reads no gauge for the
secretary. The explorer plans each role's states on what its conditions read
(abstraction.py, slicing.py), so a threshold or a flag only another role's tests reach is
not kept in this role's states.

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


def for_role(condition: Compiled, role: str | None) -> Compiled | bool:
    """The condition as it reads in `role`'s states (None: any role, unchanged)."""
    if role is None or "role" not in condition.source:
        return condition
    tree = ast.parse(condition.source.strip(), mode="eval")
    decided = _decided(tree.body, role)
    if isinstance(decided, ast.Constant) and isinstance(decided.value, bool):
        return decided.value
    return dataclasses.replace(condition, source=ast.unparse(decided))


def may_offer(choice: Choice, role: str | None) -> bool:
    """Whether a choice can be offered to `role` (None: to some role): its `if:` is not
    false whatever else holds, once the role is known."""
    return choice.condition is None or for_role(choice.condition, role) is not False


def reads_role(compiled: Compiled) -> bool:
    """Whether an expression reads `role` (its value may differ between roles)."""
    mode = "eval" if compiled.kind == "if" else "exec"
    tree = ast.parse(compiled.source.strip(), mode=mode)
    return any(isinstance(n, ast.Name) and n.id == "role" for n in ast.walk(tree))
