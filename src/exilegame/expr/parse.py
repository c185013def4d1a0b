"""Parsing: expression text to a Python syntax tree, with hints for the usual slips."""

from __future__ import annotations

import ast
import re

from exilegame.errors import ExprError

__all__ = ["parse"]

_C_LOGIC = re.compile(r"&&|\|\||!(?!=)")  # C's and, or, not (but not `!=`)
_LONE_EQUALS = re.compile(r"(?<![=!<>+\-*/])=(?!=)")  # `=` that is not part of == != <= >=


def parse(source: str, mode: str) -> ast.AST:
    text = source.strip()
    if not text:
        raise ExprError("the expression is empty", 0, "write a condition such as `trust > 2`")
    try:
        return ast.parse(text, mode=mode)
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
