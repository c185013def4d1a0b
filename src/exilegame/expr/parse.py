"""Parsing: expression text to a Python syntax tree, with hints for the usual slips."""

from __future__ import annotations

import ast

from exilegame.errors import ExprError

__all__ = ["parse"]


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
        if "=" in text and mode == "eval" and "==" not in text:
            hint = "to compare, write `==`; effects belong under `do:`"
        elif mode == "eval" and any(w in text for w in ("&&", "||", "!")):
            hint = "write `and`, `or`, `not`"
            offset = min(i for i in (text.find("&&"), text.find("||"), text.find("!")) if i >= 0)
        elif mode == "exec":
            hint = 'write assignments such as `trust += 1; papers = "safe"`'
        raise ExprError(message, offset, hint, exc.lineno or 1) from None
