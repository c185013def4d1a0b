"""The expression language on its own: parser, type checker and compiler."""

from __future__ import annotations

from types import MappingProxyType, SimpleNamespace
from typing import Any

import pytest

from exilegame.expr import BOOL, INT, STR, Compiled, Compiler, ExprError, Scope
from exilegame.expr.parse import parse
from exilegame.expr.typecheck import roles_only

VARIABLES = {"trust": INT, "warned": BOOL, "papers": STR}
SCOPE = Scope(
    MappingProxyType(VARIABLES),
    MappingProxyType({"trust": (0, 5)}),
    frozenset({"guard", "secretary"}),
    frozenset({"one.gate", "one.hall", "two.road"}),
    "one",
)
STATE = SimpleNamespace(role="guard", step=3, seed=7, visits={"one.gate": 2})


def build(source: str, kind: str = "if") -> Compiled:
    compiler = Compiler(SCOPE)
    compiled = compiler.condition(source) if kind == "if" else compiler.effect(source)
    compiler.finish()
    return compiled


def run(source: str, kind: str = "if", **values: Any) -> Any:
    variables = {"trust": 2, "warned": False, "papers": "lost", **values}
    result = build(source, kind).function(variables, STATE)
    return variables if kind == "do" else result


def refusal(source: str, kind: str = "if") -> ExprError:
    with pytest.raises(ExprError) as caught:
        build(source, kind)
    return caught.value


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("trust > 1", True),
        ("trust >= 3 or warned", False),
        ("not warned and trust == 2", True),
        ('papers == "lost"', True),
        ('role == "guard"', True),
        ("0 < trust < 3", True),
        ("trust * 2 - 1 == 3", True),
        ("trust // 2 == 1", True),
        ("-trust < 0", True),
        ("visited('gate')", True),
        ("visits('one.gate') == 2 and not visited('two.road')", True),
        ("turns() == 3", True),
        ("min(trust, 1) == 1 and max(trust, 9) == 9", True),
        ("true", True),
        ("False", False),
    ],
)
def test_accepted_conditions(source: str, expected: bool) -> None:
    assert run(source) is expected


def test_effects_assign_and_clamp_to_bounds() -> None:
    assert run("trust += 10; warned = true", "do")["trust"] == 5
    assert run("trust -= 10", "do")["trust"] == 0
    assert run('papers = "safe"', "do")["papers"] == "safe"
    assert run("trust = trust * 2\nwarned = not warned", "do") == {
        "trust": 4,
        "warned": True,
        "papers": "lost",
    }


def test_chance_is_deterministic_per_seed_step_and_site() -> None:
    first = [run("chance(50)") for _ in range(5)]
    assert len(set(first)) == 1
    assert run("chance(100)") is True and run("chance(0)") is False


def test_what_an_expression_reads_and_writes_is_recorded() -> None:
    c = build("trust > 1 and visited('gate')")
    assert (c.reads, c.scenes, c.kind, c.phase) == ({"trust"}, {"one.gate"}, "if", "one")
    d = build("trust += 1; warned = true", "do")
    assert d.writes == {"trust", "warned"}
    assert build("turns() > 1").uses_turns


@pytest.mark.parametrize(
    ("source", "kind", "message", "offset", "hint"),
    [
        ("trust > 2.5", "if", "only whole numbers", 8, "write 2"),
        ("trsut > 1", "if", "unknown variable 'trsut'", 0, "did you mean 'trust'?"),
        ("trust.real", "if", "an attribute (a.b) is not allowed", 0, "use variables"),
        ("[1][0] == 1", "if", "indexing (a[b]) is not allowed", 0, ""),
        ("trust / 2 == 1", "if", "`/` is not allowed", 0, "use `//`"),
        ("trust in 3", "if", "only == != < <= > >= can compare", 0, "`in`"),
        ('trust == "x"', "if", "cannot compare a number with a text", 9, "same kind"),
        ("warned < true", "if", "only numbers can be ordered", 0, "use == or !="),
        ('role == "gard"', "if", "there is no role 'gard'", 8, 'did you mean "guard"?'),
        ("open('x')", "if", "the function 'open' is not allowed", 0, "the functions are"),
        ("visted('gate')", "if", "the function 'visted' is not allowed", 0, "visited()?"),
        ("visited(gate)", "if", "visited() needs a scene id in quotes", 8, ""),
        ("visited('nowhere')", "if", "there is no scene 'nowhere'", 8, '"phase.scene"'),
        ("chance(1, 2)", "if", "chance() takes 1 argument, not 2", 0, "write chance(number)"),
        ("trust", "if", "a condition must be a flag", 0, "compare it"),
        ("warned and trust", "if", "`and` / `or` needs a flag, not a number", 11, "compare it"),
        ("trust = 1", "if", "this does not parse", 6, "to compare, write `==`"),
        ("", "if", "the expression is empty", 0, "trust > 2"),
        ("trust > 1", "do", "an effect must assign a variable", 0, "conditions belong"),
        ("role = 'guard'", "do", "the role cannot be changed", 0, ""),
        ("truts += 1", "do", "unknown variable 'truts'", 0, "did you mean 'trust'?"),
        ("warned += 1", "do", "cannot add to or subtract from a flag", 0, "warned = ..."),
        ("trust *= 2", "do", "only += and -= are allowed", 0, "x = x * 2"),
        ("trust = true", "do", "'trust' is a number and cannot be set to a flag", 8, ""),
        ("a = b = 1", "do", "assign one variable at a time", 0, ""),
        ("import os", "do", "`Import` is not allowed in effects", 0, ""),
        ("trust += ", "do", "this does not parse", 8, "write assignments"),
    ],
)
def test_refused_forms_point_at_the_mistake(
    source: str, kind: str, message: str, offset: int, hint: str
) -> None:
    error = refusal(source, kind)
    assert message in error.message
    assert error.offset == offset, error
    assert hint in error.hint


def test_refusal_on_a_later_line_gives_that_line() -> None:
    error = refusal("trust += 1\nwarned = 3", "do")
    assert (error.line, error.offset) == (2, 9)


def test_parse_keeps_python_trees_for_the_checker() -> None:
    assert type(parse(" trust > 1 ", "eval")).__name__ == "Expression"
    assert type(parse("a = 1; b = 2", "exec")).__name__ == "Module"


def test_same_text_compiles_once_per_phase() -> None:
    compiler = Compiler(SCOPE)
    assert compiler.condition("trust > 1") is compiler.condition("trust > 1")
    compiler.with_phase("two")
    assert compiler.condition("trust > 1") is not compiler.compiled()[0]


def test_restore_recompiles_in_the_phase_it_was_written_in() -> None:
    compiler = Compiler(SCOPE)
    compiler.with_phase("two")
    c = compiler.restore("if", "visited('gate')", "one", 0)
    compiler.finish()
    assert c.scenes == {"one.gate"} and compiler.scope.phase == "two"


def test_roles_only_sees_conditions_made_of_role_tests() -> None:
    import ast

    roles = frozenset({"a", "b", "c"})

    def of(text: str) -> frozenset[str] | None:
        tree = ast.parse(text, mode="eval")
        assert isinstance(tree, ast.Expression)
        return roles_only(tree.body, roles)

    assert of('role == "a" or role == "b"') == {"a", "b"}
    assert of('not role == "a"') == {"b", "c"}
    assert of('"c" != role') == {"a", "b"}
    assert of('role == "a" and trust > 1') is None


def test_compiled_code_has_no_builtins() -> None:
    c = build("trust > 1")
    assert c.function.__globals__["__builtins__"] == {}
