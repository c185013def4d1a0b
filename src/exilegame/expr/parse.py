"""Parsing: expression text to a Python syntax tree, with hints for the usual slips."""

from __future__ import annotations

import ast
import re

from exilegame.errors import ExprError
from exilegame.expr.model import MAX_DEPTH, MAX_LENGTH, MAX_NODES

__all__ = ["parse"]

_C_LOGIC = re.compile(r"&&|\|\||!(?!=)")  # C's and, or, not (but not `!=`)
_LONE_EQUALS = re.compile(r"(?<![=!<>+\-*/])=(?!=)")  # `=` that is not part of == != <= >=


def parse(source: str, mode: str) -> ast.AST:
    text = source.strip()
    if not text:
        raise ExprError("the expression is empty", 0, "write a condition such as `trust > 2`")
    if len(text) > MAX_LENGTH:
        raise ExprError(
            f"the expression is longer than {MAX_LENGTH:,} characters",
            0,
            "split it: set a variable in one choice and test it in another",
        )
    try:
        tree = ast.parse(text, mode=mode)
    except (RecursionError, MemoryError):
        raise ExprError(
            "the expression is nested too deeply to read", 0, "write it with fewer levels"
        ) from None
    except SyntaxError as exc:
        offset = max((exc.offset or 1) - 1, 0)
        message = (exc.msg or "syntax error").replace("invalid syntax", "this does not parse")
        hint = ""
        logic = _C_LOGIC.search(text)
        lone = _LONE_EQUALS.search(text)
        if logic:
            hint = "write `and`, `or`, `not` instead of `&&`, `||`, `!`"
            offset = logic.start()
        elif lone and mode == "eval":
            hint = "to compare, write `==`; effects belong under `do:`"
            offset = lone.start()
        elif mode == "exec":
            hint = 'write assignments such as `trust += 1; papers = "safe"`'
        raise ExprError(message, offset, hint, exc.lineno or 1) from None
    _check_size(tree)
    return tree


def _check_size(tree: ast.AST) -> None:
    """Refuse a tree deeper than MAX_DEPTH or larger than MAX_NODES, at the part that is.

    Walked with a list, not recursion, so that the check itself cannot overflow the stack
    (`not not ... x` and long sums once raised RecursionError in the checker)."""
    todo: list[tuple[ast.AST, int]] = [(tree, 0)]
    count = 0
    while todo:
        node, depth = todo.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            big = depth > MAX_DEPTH
            raise ExprError(
                f"the expression is nested more than {MAX_DEPTH} levels deep here"
                if big
                else f"the expression has more than {MAX_NODES} parts",
                getattr(node, "col_offset", 0),
                "split it: set a variable in one choice and test it in another",
                getattr(node, "lineno", 1),
            )
        todo.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
