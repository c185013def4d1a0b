"""The condition and effect language: parse with `ast`, check against a whitelist, compile once.

A condition (`if:`) is one expression that must be a flag; an effect (`do:`) is one or more
assignments to declared variables. The text is parsed by Python's own parser (`parse`), every
node is checked against a small whitelist and typed against the declared variables
(`typecheck`), and only then is the *checked tree*, with names rewritten to lookups, compiled
into a function (`compile`). Unchecked text is never evaluated, and the compiled code runs
with no builtins. `model` holds the types the rest of the game shares.
"""

from __future__ import annotations

from exilegame.errors import ExprError
from exilegame.expr.compile import Compiler
from exilegame.expr.model import (
    BOOL,
    FUNCTIONS,
    INT,
    STR,
    Compiled,
    Scope,
    Value,
    type_name,
)

__all__ = [
    "BOOL",
    "FUNCTIONS",
    "INT",
    "STR",
    "Compiled",
    "Compiler",
    "ExprError",
    "Scope",
    "Value",
    "type_name",
]
