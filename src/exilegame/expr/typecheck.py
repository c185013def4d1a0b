"""Type checking: walk a parsed tree, refuse what is not whitelisted, infer every type.

`Checker` checks one expression against a `Scope` and rewrites it on the way: names become
lookups in the state's variables, function calls become calls of the runtime helpers. Every
refusal is an ExprError with the column of the offending part and a hint.
"""

from __future__ import annotations

import ast
from typing import Any

from exilegame.errors import ExprError
from exilegame.expr.model import BOOL, FUNCTIONS, INT, NUMBER_MAX, STR, Scope

__all__ = ["HINT", "Checker", "describe", "make_call", "roles_only"]

_CONSTANTS = {"true": True, "false": False, "True": True, "False": False}
_COMPARE_OPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_ORDER_OPS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_ARITH_OPS = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv)


def _nearest(name: str, options: Any) -> str:
    import difflib  # only when there is an error to suggest a fix for

    match = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return match[0] if match else ""


class Checker:
    """Walks a parsed tree: rejects what is not whitelisted, infers types, rewrites names."""

    def __init__(self, scope: Scope, site_base: int) -> None:
        self.scope = scope
        self.reads: set[str] = set()
        self.scenes: set[str] = set()
        self.uses_turns = False
        self.divides = False  # by a divisor that is not a constant
        self.site = site_base

    def fail(self, node: ast.AST, message: str, hint: str = "") -> ExprError:
        return ExprError(message, getattr(node, "col_offset", 0), hint, getattr(node, "lineno", 1))

    def expr(self, node: ast.expr) -> tuple[ast.expr, str]:
        """Return the rewritten node and its type."""
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise self.fail(node, f"{describe(node)} is not allowed in expressions", HINT)
        checked: tuple[ast.expr, str] = method(node)
        return checked

    def _Constant(self, node: ast.Constant) -> tuple[ast.expr, str]:
        value = node.value
        if isinstance(value, bool):
            return node, BOOL
        if isinstance(value, int):
            if not -NUMBER_MAX <= value <= NUMBER_MAX:
                raise self.fail(
                    node,
                    "this number is out of range",
                    f"numbers go from -{NUMBER_MAX:_} to {NUMBER_MAX:_}",
                )
            return node, INT
        if isinstance(value, str):
            return node, STR
        if isinstance(value, float):
            raise self.fail(node, "only whole numbers are allowed", "write 2, not 2.5")
        raise self.fail(node, f"the value {value!r} is not allowed in expressions", HINT)

    def _Name(self, node: ast.Name) -> tuple[ast.expr, str]:
        name = node.id
        if name in _CONSTANTS:
            return ast.copy_location(ast.Constant(_CONSTANTS[name]), node), BOOL
        if name == "role":
            return ast.copy_location(_attr("s", "role"), node), STR
        kind = self.scope.variables.get(name)
        if kind is None:
            near = _nearest(name, [*self.scope.variables, "role"])
            hint = (
                f"did you mean '{near}'?"
                if near
                else "declare it under `state:` in story.yaml, with its starting value"
            )
            raise self.fail(node, f"unknown variable '{name}'", hint)
        self.reads.add(name)
        lookup = ast.Subscript(ast.Name("v", ast.Load()), ast.Constant(name), ast.Load())
        return ast.copy_location(lookup, node), kind

    def _BoolOp(self, node: ast.BoolOp) -> tuple[ast.expr, str]:
        values = []
        for operand in node.values:
            new, kind = self.expr(operand)
            self.require(operand, kind, BOOL, "`and` / `or`")
            values.append(new)
        return ast.copy_location(ast.BoolOp(node.op, values), node), BOOL

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[ast.expr, str]:
        operand, kind = self.expr(node.operand)
        if isinstance(node.op, ast.Not):
            self.require(node.operand, kind, BOOL, "`not`")
            return ast.copy_location(ast.UnaryOp(node.op, operand), node), BOOL
        if isinstance(node.op, ast.USub | ast.UAdd):
            self.require(node.operand, kind, INT, "a minus sign")
            return ast.copy_location(ast.UnaryOp(node.op, operand), node), INT
        raise self.fail(node, "this operator is not allowed", HINT)

    def _BinOp(self, node: ast.BinOp) -> tuple[ast.expr, str]:
        if isinstance(node.op, ast.Div):
            raise self.fail(node, "`/` is not allowed", "use `//` for whole-number division")
        if not isinstance(node.op, _ARITH_OPS):
            raise self.fail(node, "this operator is not allowed", "use + - * or //")
        left, lkind = self.expr(node.left)
        right, rkind = self.expr(node.right)
        self.require(node.left, lkind, INT, "arithmetic")
        self.require(node.right, rkind, INT, "arithmetic")
        if isinstance(node.op, ast.FloorDiv):
            divisor = constant_value(node.right)
            if divisor == 0:
                raise self.fail(node.right, "division by zero", "divide by a number other than 0")
            if divisor is None:  # checked when it runs: zero there is an author error
                self.divides = True
                return ast.copy_location(make_call("_div", [left, right]), node), INT
        return ast.copy_location(ast.BinOp(left, node.op, right), node), INT

    def _Compare(self, node: ast.Compare) -> tuple[ast.expr, str]:
        left, lkind = self.expr(node.left)
        parts = [(node.left, left, lkind)]
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            if not isinstance(op, _COMPARE_OPS):
                raise self.fail(
                    node, "only == != < <= > >= can compare", "`in` and `is` are not allowed"
                )
            new, kind = self.expr(comparator)
            parts.append((comparator, new, kind))
        for (lnode, _, lkind), op, (rnode, _, rkind) in zip(
            parts, node.ops, parts[1:], strict=False
        ):
            if lkind != rkind:
                raise self.fail(
                    rnode,
                    f"cannot compare {_article(lkind)} with {_article(rkind)}",
                    "both sides of a comparison must be of the same kind",
                )
            if isinstance(op, _ORDER_OPS) and lkind != INT:
                raise self.fail(node, f"only numbers can be ordered, not {lkind}s", "use == or !=")
            self.check_role_literal(lnode, rnode)
            self.check_role_literal(rnode, lnode)
        new_node = ast.Compare(parts[0][1], node.ops, [p[1] for p in parts[1:]])
        return ast.copy_location(new_node, node), BOOL

    def check_role_literal(self, name_node: ast.expr, other: ast.expr) -> None:
        if (
            isinstance(name_node, ast.Name)
            and name_node.id == "role"
            and isinstance(other, ast.Constant)
            and isinstance(other.value, str)
            and other.value not in self.scope.roles
        ):
            roles = ", ".join(sorted(self.scope.roles)) or "none declared"
            near = _nearest(other.value, self.scope.roles)
            hint = f'did you mean "{near}"?' if near else f"the roles are: {roles}"
            raise self.fail(other, f"there is no role '{other.value}'", hint)

    def _Call(self, node: ast.Call) -> tuple[ast.expr, str]:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else ""
            near = _nearest(name, FUNCTIONS) if name else ""
            allowed = ", ".join(f"{f}()" for f in FUNCTIONS)
            hint = f"did you mean {near}()?" if near else f"the functions are: {allowed}"
            what = f"the function '{name}'" if name else "this call"
            raise self.fail(node, f"{what} is not allowed", hint)
        name = node.func.id
        params, result = FUNCTIONS[name]
        if node.keywords:
            raise self.fail(node, f"{name}() takes no named arguments")
        if len(node.args) != len(params):
            raise self.fail(
                node,
                f"{name}() takes {len(params)} argument{'s' if len(params) != 1 else ''}, "
                f"not {len(node.args)}",
                f"write {name}({', '.join(params)})",
            )
        args: list[ast.expr] = []
        for arg, param in zip(node.args, params, strict=True):
            if param == "scene":
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    raise self.fail(
                        arg, f"{name}() needs a scene id in quotes", f'write {name}("phase.scene")'
                    )
                qualified = self.scope.resolve_scene(arg.value)
                if qualified is None:
                    near = _nearest(arg.value, self.scope.scenes)
                    hint = f'did you mean "{near}"?' if near else 'write it as "phase.scene"'
                    raise self.fail(arg, f"there is no scene '{arg.value}'", hint)
                self.scenes.add(qualified)
                args.append(ast.Constant(qualified))
            else:
                new, kind = self.expr(arg)
                self.require(arg, kind, param, f"{name}()")
                args.append(new)
        if name == "turns":
            self.uses_turns = True
            call: ast.expr = _attr("s", "step")
        elif name == "chance":
            self.uses_turns = True
            self.site += 1
            call = make_call("_chance", [ast.Name("s", ast.Load()), ast.Constant(self.site), *args])
        elif name == "visited":
            call = ast.Compare(
                make_call("_visits", [ast.Name("s", ast.Load()), *args]),
                [ast.Gt()],
                [ast.Constant(0)],
            )
        elif name == "visits":
            call = make_call("_visits", [ast.Name("s", ast.Load()), *args])
        else:
            call = make_call(f"_{name}", args)
        return ast.copy_location(call, node), result

    def require(self, node: ast.expr, kind: str, wanted: str, where: str) -> None:
        if kind != wanted:
            hint = ""
            if wanted == BOOL and kind == INT:
                hint = "compare it, e.g. `trust > 0`"
            raise self.fail(node, f"{where} needs {_article(wanted)}, not {_article(kind)}", hint)

    def assignment(self, stmt: ast.stmt) -> tuple[str, ast.expr]:
        """Check one statement of an effect: the variable it sets and the checked new value."""
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1:
                raise self.fail(stmt, "assign one variable at a time", "write `a = 1; b = 1`")
            target_node, op = stmt.targets[0], None
        elif isinstance(stmt, ast.AugAssign):
            target_node, op = stmt.target, stmt.op
        elif isinstance(stmt, ast.Expr):
            raise self.fail(
                stmt,
                "an effect must assign a variable",
                "write `name = value`, `name += 1` or `name -= 1`; conditions belong under `if:`",
            )
        else:
            raise self.fail(stmt, f"{describe(stmt)} is not allowed in effects", HINT)
        if not isinstance(target_node, ast.Name):
            raise self.fail(target_node, "only a variable can be assigned", HINT)
        name = target_node.id
        if name == "role":
            raise self.fail(target_node, "the role cannot be changed", "")
        kind = self.scope.variables.get(name)
        if kind is None:
            near = _nearest(name, self.scope.variables)
            hint = (
                f"did you mean '{near}'?"
                if near
                else "declare it under `state:` in story.yaml, with its starting value"
            )
            raise self.fail(target_node, f"unknown variable '{name}'", hint)
        value, vkind = self.expr(stmt.value)
        if op is not None:
            if not isinstance(op, ast.Add | ast.Sub):
                raise self.fail(stmt, "only += and -= are allowed", "write `x = x * 2`")
            if kind != INT:
                raise self.fail(
                    target_node, f"cannot add to or subtract from a {kind}", f"write `{name} = ...`"
                )
            self.require(stmt.value, vkind, INT, "+= and -=")
            current = ast.Subscript(ast.Name("v", ast.Load()), ast.Constant(name), ast.Load())
            value = ast.BinOp(current, op, value)
        elif vkind != kind:
            raise self.fail(
                stmt.value,
                f"'{name}' is a {kind} and cannot be set to a {vkind}",
                "a variable keeps the type of its starting value",
            )
        return name, value


HINT = 'use variables, numbers, "text", true/false, comparisons, and/or/not, + - * //'


def _article(kind: str) -> str:
    return f"a {kind}"


def describe(node: ast.AST) -> str:
    names = {
        "Attribute": "an attribute (a.b)",
        "Subscript": "indexing (a[b])",
        "Lambda": "a lambda",
        "ListComp": "a comprehension",
        "GeneratorExp": "a comprehension",
        "List": "a list",
        "Dict": "a mapping",
        "Tuple": "a tuple",
        "IfExp": "an inline if",
        "NamedExpr": "`:=`",
        "JoinedStr": "an f-string",
        "Starred": "`*`",
        "Await": "`await`",
        "Set": "a set",
    }
    return names.get(type(node).__name__, f"`{type(node).__name__}`")


def _attr(obj: str, name: str) -> ast.expr:
    return ast.Attribute(ast.Name(obj, ast.Load()), name, ast.Load())


def make_call(func: str, args: list[ast.expr]) -> ast.expr:
    return ast.Call(ast.Name(func, ast.Load()), args, [])


def roles_only(node: ast.expr, roles: frozenset[str]) -> frozenset[str] | None:
    """The roles for which a condition made only of `role` tests holds; None if it reads more.

    Lets the checker see that `role == "a"` and `role == "b"` together cover every role.
    """
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = node.left, node.comparators[0]
        if isinstance(right, ast.Name) and right.id == "role":
            left, right = right, left
        if (
            isinstance(left, ast.Name)
            and left.id == "role"
            and isinstance(right, ast.Constant)
            and isinstance(right.value, str)
        ):
            if isinstance(node.ops[0], ast.Eq):
                return frozenset({right.value}) & roles
            if isinstance(node.ops[0], ast.NotEq):
                return roles - {right.value}
        return None
    if isinstance(node, ast.BoolOp):
        parts = [roles_only(v, roles) for v in node.values]
        if any(p is None for p in parts):
            return None
        combine = frozenset.union if isinstance(node.op, ast.Or) else frozenset.intersection
        return combine(*parts)  # type: ignore[arg-type]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = roles_only(node.operand, roles)
        return None if inner is None else roles - inner
    return None


def constant_value(node: ast.expr) -> int | None:
    """The value of a whole-number expression made of numbers only; None if it reads
    anything (or divides by zero itself: that is reported where it happens)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = constant_value(node.operand)
        if inner is None:
            return None
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, _ARITH_OPS):
        left, right = constant_value(node.left), constant_value(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return None if right == 0 else left // right
    return None
