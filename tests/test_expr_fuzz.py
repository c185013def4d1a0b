"""An expression fuzzer: texts generated from the language's grammar and from Python's, hostile
forms included. The checker refuses (with ExprError) everything outside the whitelist, and
nothing it accepts can crash or hang play: run on any state, an accepted condition gives a
flag and an accepted effect sets declared variables to values of their type, or either
raises ExprFault (an author error the engine turns into a message), never anything else.
"""

from __future__ import annotations

import ast
from types import MappingProxyType, SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exilegame.errors import ExprError, ExprFault
from exilegame.expr import BOOL, INT, STR, Compiler, Scope
from exilegame.expr.model import MAX_LENGTH, NUMBER_MAX

VARIABLES = {"trust": INT, "money": INT, "warned": BOOL, "papers": STR}
SCOPE = Scope(
    MappingProxyType(VARIABLES),
    MappingProxyType({"trust": (0, 5)}),
    frozenset({"guard", "secretary"}),
    frozenset({"one.gate", "one.hall"}),
    "one",
)
# What a checked expression's tree may hold: anything else must have been refused.
ALLOWED = {
    ast.Expression, ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.Name, ast.Load,
    ast.Store, ast.Constant, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub,
    ast.UAdd, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Compare, ast.Eq,
    ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Call,
}  # fmt: skip
CALLS = {"visited", "visits", "turns", "chance", "min", "max"}
SETTINGS = settings(
    derandomize=True,
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

names = st.sampled_from(
    [*VARIABLES, "role", "true", "false", "unknown", "__import__", "__builtins__", "v", "s",
     "_chance", "_div", "open", "exec", "eval", "self", "None"]
)  # fmt: skip
numbers = st.one_of(
    st.integers(-10, 10),
    st.sampled_from([0, NUMBER_MAX, NUMBER_MAX + 1, -NUMBER_MAX, 10**40]),
).map(str)
strings = st.sampled_from(['"guard"', '"secretary"', '"one.gate"', '"hall"', "'x'", '""'])
odd_atoms = st.sampled_from(
    ["2.5", "1e9", "1j", "None", "...", "b'x'", "[1]", "{}", "(1, 2)", "{1}", "x.y",
     "a[0]", "lambda: 1", "f'{trust}'", "(x := 1)", "*a", "[i for i in s]", "await x",
     "__import__('os').system('true')", "().__class__", "yield", "0b101", "0x_", "1_0"]
)  # fmt: skip
calls = st.builds(
    lambda f, args: f"{f}({', '.join(args)})",
    st.sampled_from([*CALLS, "print", "getattr", "len"]),
    st.lists(st.one_of(names, numbers, strings), max_size=3),
)
atoms = st.one_of(names, numbers, strings, calls, odd_atoms)
binary = st.sampled_from(
    ["+", "-", "*", "//", "/", "%", "**", "<<", "@", "&", "|", "^", "and", "or", "==", "!=",
     "<", "<=", ">", ">=", "in", "not in", "is", "is not", "&&", "||"]
)  # fmt: skip
unary = st.sampled_from(["not ", "-", "+", "~", "!", "not not "])


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda a, op, b: f"{a} {op} {b}", children, binary, children),
        st.builds(lambda op, a: f"{op}{a}", unary, children),
        children.map(lambda a: f"({a})"),
        st.builds(lambda a, b, c: f"{a} if {b} else {c}", children, children, children),
    )


expressions = st.recursive(atoms, _combine, max_leaves=25)

# The language's own grammar, typed, so that many texts are accepted and run.
int_atoms = st.one_of(
    st.sampled_from(
        ["trust", "money", "turns()", 'visits("gate")', "0", "1", "7", str(NUMBER_MAX)]
    ),
    st.integers(-100, 100).map(str),
)


def _int_ops(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(
            lambda a, op, b: f"({a} {op} {b})", children, st.sampled_from("+-*/"), children
        ).map(lambda t: t.replace(" / ", " // ")),
        st.builds(
            lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(["min", "max"]), children, children
        ),
        children.map(lambda a: f"-{a}"),
    )


int_exprs = st.recursive(int_atoms, _int_ops, max_leaves=12)
flag_atoms = st.one_of(
    st.sampled_from(["warned", "true", 'role == "guard"', 'papers != "lost"', 'visited("hall")']),
    st.builds(lambda n: f"chance({n})", st.integers(0, 100)),
    st.builds(
        lambda a, op, b: f"{a} {op} {b}",
        int_exprs,
        st.sampled_from(["<", "<=", "==", "!=", ">", ">="]),
        int_exprs,
    ),
)
flag_exprs = st.recursive(
    flag_atoms,
    lambda c: st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", c, st.sampled_from(["and", "or"]), c),
        c.map(lambda a: f"not {a}"),
    ),
    max_leaves=8,
)
deep = st.builds(
    lambda op, n, core: op * n + core,
    st.sampled_from(["not ", "-", "(", "+", "not -"]),
    st.integers(40, 700),
    st.sampled_from(["warned", "trust", "trust > 1"]),
)
long_sums = st.builds(lambda n, term: " + ".join([term] * n) + " > 0", st.integers(1, 400),
                      st.sampled_from(["trust", "1", "money * money"]))  # fmt: skip
conditions = st.one_of(flag_exprs, flag_exprs, expressions, deep, long_sums)
effects = st.one_of(
    st.builds(
        lambda target, op, value: f"{target} {op} {value}",
        st.sampled_from(["trust", "money"]),
        st.sampled_from(["=", "+=", "-="]),
        int_exprs,
    ),
    st.builds(lambda value: f"warned = {value}", flag_exprs),
    st.sampled_from(  # forms that fault on some states: growth, division by a variable
        [
            "money = money * money * 10",
            "money = 7 // (money - money)",
            "money -= 999999999999999",
            "trust = 5 // money",
            "money = money * 1000000",
        ]
    ),
    st.builds(
        lambda target, op, value: f"{target} {op} {value}",
        st.sampled_from([*VARIABLES, "role", "unknown", "v", "x.y", "a[0]"]),
        st.sampled_from(["=", "+=", "-=", "*=", "//=", ":=", "=="]),
        expressions,
    ),
    st.lists(
        st.builds(
            lambda t, e: f"{t} = {e}", st.sampled_from(["trust", "money", "warned"]), expressions
        ),
        min_size=1,
        max_size=4,
    ).map("; ".join),
)
states = st.fixed_dictionaries(
    {
        "trust": st.integers(0, 5),
        "money": st.one_of(st.integers(-3, 3), st.sampled_from([NUMBER_MAX, -NUMBER_MAX, 0])),
        "warned": st.booleans(),
        "papers": st.sampled_from(["", "lost", "guard"]),
    }
)
runs = st.builds(
    lambda role, step, seed: SimpleNamespace(
        role=role, step=step, seed=seed, visits={"one.gate": step % 3}
    ),
    st.sampled_from(["guard", "secretary"]),
    st.integers(0, 50),
    st.integers(0, 2**32),
)

COUNTS = {"conditions": 0, "effects": 0, "accepted": 0, "faults": 0}


def _compile(source: str, kind: str) -> Any:
    compiler = Compiler(SCOPE)
    try:
        compiled = compiler.condition(source) if kind == "if" else compiler.effect(source)
    except ExprError as exc:
        assert exc.message and exc.offset >= 0 and exc.line >= 1
        return None
    compiler.finish()
    return compiled


def _whitelisted(source: str, kind: str) -> None:
    tree = ast.parse(source.strip(), mode="eval" if kind == "if" else "exec")
    for node in ast.walk(tree):
        assert type(node) in ALLOWED, (source, type(node).__name__)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in CALLS, source
        if isinstance(node, ast.Name):
            assert not node.id.startswith("_"), source
        if isinstance(node, ast.Constant):
            assert type(node.value) in (int, str, bool), source
            if type(node.value) is int:
                assert abs(node.value) <= NUMBER_MAX, source


def _run(compiled: Any, values: dict[str, Any], run: Any, kind: str) -> None:
    try:
        result = compiled.function(values, run)
    except ExprFault:
        COUNTS["faults"] += 1
        return
    if kind == "if":
        assert type(result) is bool
        return
    for name, value in values.items():
        expected = {INT: int, BOOL: bool, STR: str}[VARIABLES[name]]
        assert type(value) is expected, (name, value)
        if expected is int:
            assert abs(value) <= NUMBER_MAX
            if name == "trust":
                assert 0 <= value <= 5


@SETTINGS
@given(conditions, states, runs)
def test_conditions_are_refused_or_safe(source: str, values: dict[str, Any], run: Any) -> None:
    COUNTS["conditions"] += 1
    compiled = _compile(source, "if")
    if compiled is None:
        return
    COUNTS["accepted"] += 1
    assert len(source.strip()) <= MAX_LENGTH
    _whitelisted(source, "if")
    _run(compiled, dict(values), run, "if")


@SETTINGS
@given(effects, states, runs)
def test_effects_are_refused_or_safe(source: str, values: dict[str, Any], run: Any) -> None:
    COUNTS["effects"] += 1
    compiled = _compile(source, "do")
    if compiled is None:
        return
    COUNTS["accepted"] += 1
    _whitelisted(source, "do")
    _run(compiled, dict(values), run, "do")


def test_the_fuzzer_reached_both_sides() -> None:
    """The fuzzers above made accepted expressions, refused ones and faults (run after them)."""
    # The counts are this process's: a fuzzer that ran elsewhere (another worker, or not at
    # all when this test runs alone) is run here.
    if COUNTS["conditions"] == 0:
        test_conditions_are_refused_or_safe()
    if COUNTS["effects"] == 0:
        test_effects_are_refused_or_safe()
    total = COUNTS["conditions"] + COUNTS["effects"]
    assert total >= 500
    assert 100 <= COUNTS["accepted"] < total  # both sides reached
    assert COUNTS["faults"] > 0
