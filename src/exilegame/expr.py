"""The condition and effect language: parse with `ast`, check against a whitelist, compile once.

A condition (`if:`) is one expression that must be a flag; an effect (`do:`) is one or more
assignments to declared variables. The text is parsed by Python's own parser, every node is
checked against a small whitelist and typed against the declared variables, and only then is
the *checked tree*, with names rewritten to lookups, compiled into a function. Unchecked text
is never evaluated, and the compiled code runs with no builtins.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from exilegame.errors import ExprError

Value = int | bool | str

INT, BOOL, STR = "number", "flag", "text"
_TYPE_OF = {bool: BOOL, int: INT, str: STR}

FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    # name: (argument types, result type); "scene" is a string literal naming a scene
    "visited": (("scene",), BOOL),
    "visits": (("scene",), INT),
    "turns": ((), INT),
    "chance": ((INT,), BOOL),
    "min": ((INT, INT), INT),
    "max": ((INT, INT), INT),
}
_CONSTANTS = {"true": True, "false": False, "True": True, "False": False}
_COMPARE_OPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_ORDER_OPS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_ARITH_OPS = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv)


def type_name(value: Value) -> str:
    """The language's name for the type of a start value."""
    return _TYPE_OF[type(value)]


@dataclass(frozen=True)
class Scope:
    """What an expression may name: declared variables with their types, roles and scenes."""

    variables: Mapping[str, str]  # name -> INT / BOOL / STR
    bounds: Mapping[str, tuple[int | None, int | None]]
    roles: frozenset[str]
    scenes: frozenset[str]  # qualified "phase.scene"
    phase: str = ""  # the phase an expression appears in, to resolve "scene" to "phase.scene"

    def resolve_scene(self, ref: str) -> str | None:
        """`scene` or `phase.scene` to the qualified id, or None when there is no such scene."""
        qualified = ref if "." in ref else f"{self.phase}.{ref}"
        return qualified if qualified in self.scenes else None


@dataclass(frozen=True)
class Compiled:
    """A checked, compiled expression, with what it reads and writes (for the checker).

    Two are equal when they were compiled from the same text in the same place.
    """

    source: str
    function: Callable[..., Any] = field(compare=False)
    reads: frozenset[str] = field(compare=False)
    writes: frozenset[str] = field(compare=False)
    scenes: frozenset[str] = field(compare=False)  # scenes named in visited()/visits()
    uses_turns: bool = field(compare=False)
    for_roles: frozenset[str] | None = field(default=None, compare=False)  # `role` tests only
    kind: str = "if"  # "if" or "do"
    phase: str = ""  # the phase it was written in (relative scene names resolve there)
    site_base: int = 0  # where its chance() call sites are numbered from


def _nearest(name: str, options: Any) -> str:
    import difflib  # only when there is an error to suggest a fix for

    match = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return match[0] if match else ""


class _Checker:
    """Walks a parsed tree: rejects what is not whitelisted, infers types, rewrites names."""

    def __init__(self, scope: Scope, site_base: int) -> None:
        self.scope = scope
        self.reads: set[str] = set()
        self.scenes: set[str] = set()
        self.uses_turns = False
        self.site = site_base

    def fail(self, node: ast.AST, message: str, hint: str = "") -> ExprError:
        return ExprError(message, getattr(node, "col_offset", 0), hint, getattr(node, "lineno", 1))

    def expr(self, node: ast.expr) -> tuple[ast.expr, str]:
        """Return the rewritten node and its type."""
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise self.fail(node, f"{_describe(node)} is not allowed in expressions", _HINT)
        return method(node)

    def _Constant(self, node: ast.Constant) -> tuple[ast.expr, str]:
        value = node.value
        if isinstance(value, bool):
            return node, BOOL
        if isinstance(value, int):
            return node, INT
        if isinstance(value, str):
            return node, STR
        if isinstance(value, float):
            raise self.fail(node, "only whole numbers are allowed", "write 2, not 2.5")
        raise self.fail(node, f"the value {value!r} is not allowed in expressions", _HINT)

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
        raise self.fail(node, "this operator is not allowed", _HINT)

    def _BinOp(self, node: ast.BinOp) -> tuple[ast.expr, str]:
        if isinstance(node.op, ast.Div):
            raise self.fail(node, "`/` is not allowed", "use `//` for whole-number division")
        if not isinstance(node.op, _ARITH_OPS):
            raise self.fail(node, "this operator is not allowed", "use + - * or //")
        left, lkind = self.expr(node.left)
        right, rkind = self.expr(node.right)
        self.require(node.left, lkind, INT, "arithmetic")
        self.require(node.right, rkind, INT, "arithmetic")
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
            call = _call("_chance", [ast.Name("s", ast.Load()), ast.Constant(self.site), *args])
        elif name == "visited":
            call = ast.Compare(
                _call("_visits", [ast.Name("s", ast.Load()), *args]), [ast.Gt()], [ast.Constant(0)]
            )
        elif name == "visits":
            call = _call("_visits", [ast.Name("s", ast.Load()), *args])
        else:
            call = _call(f"_{name}", args)
        return ast.copy_location(call, node), result

    def require(self, node: ast.expr, kind: str, wanted: str, where: str) -> None:
        if kind != wanted:
            hint = ""
            if wanted == BOOL and kind == INT:
                hint = "compare it, e.g. `trust > 0`"
            raise self.fail(node, f"{where} needs {_article(wanted)}, not {_article(kind)}", hint)


_HINT = 'use variables, numbers, "text", true/false, comparisons, and/or/not, + - * //'


def _article(kind: str) -> str:
    return f"a {kind}"


def _describe(node: ast.AST) -> str:
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


def _call(func: str, args: list[ast.expr]) -> ast.expr:
    return ast.Call(ast.Name(func, ast.Load()), args, [])


def _parse(source: str, mode: str) -> ast.AST:
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


def _mix(seed: int, step: int, site: int) -> int:
    """A small deterministic hash (splitmix64) of seed, step and call site."""
    x = (seed * 0x9E3779B97F4A7C15 + step * 0xBF58476D1CE4E5B9 + site) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def _chance(state: Any, site: int, percent: int) -> bool:
    return _mix(state.seed, state.step, site) % 100 < percent


def _visits(state: Any, scene: str) -> int:
    return state.visits.get(scene, 0)


_RUNTIME: dict[str, Any] = {
    "__builtins__": {},
    "_chance": _chance,
    "_visits": _visits,
    "_min": min,
    "_max": max,
}


def _unbuilt(*_: Any) -> Any:
    raise RuntimeError("expression used before Compiler.finish()")


class Compiler:
    """Compiles expressions for one story; identical texts are compiled once."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._cache: dict[tuple[str, str, str], Compiled] = {}
        self._sites = 0
        self._pending: list[tuple[ast.FunctionDef, Compiled]] = []

    def with_phase(self, phase: str) -> None:
        self.scope = Scope(
            self.scope.variables, self.scope.bounds, self.scope.roles, self.scope.scenes, phase
        )

    def condition(self, source: str) -> Compiled:
        """Compile an `if:`; raises ExprError pointing at the offending column."""
        key = ("if", source, self.scope.phase)
        if key not in self._cache:
            self._cache[key] = self._condition(source, self._sites)
        return self._cache[key]

    def effect(self, source: str) -> Compiled:
        """Compile a `do:`; raises ExprError pointing at the offending column."""
        key = ("do", source, self.scope.phase)
        if key not in self._cache:
            self._cache[key] = self._effect(source, self._sites)
        return self._cache[key]

    def restore(self, kind: str, source: str, phase: str, site_base: int) -> Compiled:
        """Recompile an expression this story compiled before, exactly as it was then."""
        key = (kind, source, phase)
        if key not in self._cache:
            scope = self.scope
            self.scope = Scope(scope.variables, scope.bounds, scope.roles, scope.scenes, phase)
            try:
                build = self._condition if kind == "if" else self._effect
                self._cache[key] = build(source, site_base)
            finally:
                self.scope = scope
        return self._cache[key]

    def compiled(self) -> list[Compiled]:
        """Everything compiled so far."""
        return list(self._cache.values())

    def finish(self) -> None:
        """Turn every checked expression into a function, all in one `compile` call.

        Checking happens expression by expression, so that errors point at their own
        column; generating code for a whole story at once is several times faster than a
        `compile` per expression (it was most of the time a cached story took to load).
        """
        if not self._pending:
            return
        functions = []
        for index, (func, _) in enumerate(self._pending):
            func.name = f"_f{index}"
            functions.append(func)
        module = ast.fix_missing_locations(ast.Module(functions, []))
        namespace = dict(_RUNTIME)
        exec(compile(module, "<scene expressions>", "exec"), namespace)  # checked trees only
        for index, (_, compiled) in enumerate(self._pending):
            object.__setattr__(compiled, "function", namespace[f"_f{index}"])
        self._pending = []

    def _condition(self, source: str, site_base: int) -> Compiled:
        tree = _parse(source, "eval")
        assert isinstance(tree, ast.Expression)
        checker = _Checker(self.scope, site_base)
        body, kind = checker.expr(tree.body)
        self._sites = max(self._sites, checker.site)
        if kind != BOOL:
            hint = "compare it, e.g. `trust > 0`" if kind == INT else 'e.g. `papers == "safe"`'
            raise ExprError(f"a condition must be a flag (true or false), not a {kind}", 0, hint)
        roles = _roles_only(tree.body, self.scope.roles)
        return self._defer("if", source, site_base, [ast.Return(body)], checker, roles=roles)

    def _effect(self, source: str, site_base: int) -> Compiled:
        tree = _parse(source, "exec")
        assert isinstance(tree, ast.Module)
        checker = _Checker(self.scope, site_base)
        statements: list[ast.stmt] = []
        writes: set[str] = set()
        for stmt in tree.body:
            target, value = self._assignment(stmt, checker)
            writes.add(target)
            low, high = self.scope.bounds.get(target, (None, None))
            if low is not None:
                value = _call("_max", [value, ast.Constant(low)])
            if high is not None:
                value = _call("_min", [value, ast.Constant(high)])
            store = ast.Subscript(ast.Name("v", ast.Load()), ast.Constant(target), ast.Store())
            statements.append(ast.Assign([store], value))
        self._sites = max(self._sites, checker.site)
        return self._defer("do", source, site_base, statements, checker, writes=writes)

    def _defer(
        self,
        kind: str,
        source: str,
        site_base: int,
        body: list[ast.stmt],
        checker: _Checker,
        writes: set[str] | None = None,
        roles: frozenset[str] | None = None,
    ) -> Compiled:
        """A checked expression whose function `finish` will build with all the others."""
        compiled = Compiled(
            source,
            _unbuilt,
            frozenset(checker.reads),
            frozenset(writes or ()),
            frozenset(checker.scenes),
            checker.uses_turns,
            roles,
            kind,
            self.scope.phase,
            site_base,
        )
        self._pending.append((_function(body), compiled))
        return compiled

    def _assignment(self, stmt: ast.stmt, checker: _Checker) -> tuple[str, ast.expr]:
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1:
                raise checker.fail(stmt, "assign one variable at a time", "write `a = 1; b = 1`")
            target_node, op = stmt.targets[0], None
        elif isinstance(stmt, ast.AugAssign):
            target_node, op = stmt.target, stmt.op
        elif isinstance(stmt, ast.Expr):
            raise checker.fail(
                stmt,
                "an effect must assign a variable",
                "write `name = value`, `name += 1` or `name -= 1`; conditions belong under `if:`",
            )
        else:
            raise checker.fail(stmt, f"{_describe(stmt)} is not allowed in effects", _HINT)
        if not isinstance(target_node, ast.Name):
            raise checker.fail(target_node, "only a variable can be assigned", _HINT)
        name = target_node.id
        if name == "role":
            raise checker.fail(target_node, "the role cannot be changed", "")
        kind = self.scope.variables.get(name)
        if kind is None:
            near = _nearest(name, self.scope.variables)
            hint = (
                f"did you mean '{near}'?"
                if near
                else "declare it under `state:` in story.yaml, with its starting value"
            )
            raise checker.fail(target_node, f"unknown variable '{name}'", hint)
        value, vkind = checker.expr(stmt.value)
        if op is not None:
            if not isinstance(op, ast.Add | ast.Sub):
                raise checker.fail(stmt, "only += and -= are allowed", "write `x = x * 2`")
            if kind != INT:
                raise checker.fail(
                    target_node, f"cannot add to or subtract from a {kind}", f"write `{name} = ...`"
                )
            checker.require(stmt.value, vkind, INT, "+= and -=")
            current = ast.Subscript(ast.Name("v", ast.Load()), ast.Constant(name), ast.Load())
            value = ast.BinOp(current, op, value)
        elif vkind != kind:
            raise checker.fail(
                stmt.value,
                f"'{name}' is a {kind} and cannot be set to a {vkind}",
                "a variable keeps the type of its starting value",
            )
        return name, value


def _function(body: list[ast.stmt]) -> ast.FunctionDef:
    """`def _f(v, s): <body>`: v is the state's variables, s the State (for role, step...)."""
    return ast.FunctionDef(
        name="_f",
        args=_args("v", "s"),
        body=body,
        decorator_list=[],
        returns=None,
        type_params=[],
    )


def _args(*names: str) -> ast.arguments:
    return ast.arguments(
        posonlyargs=[],
        args=[ast.arg(n) for n in names],
        vararg=None,
        kwonlyargs=[],
        kw_defaults=[],
        kwarg=None,
        defaults=[],
    )


def _roles_only(node: ast.expr, roles: frozenset[str]) -> frozenset[str] | None:
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
        parts = [_roles_only(v, roles) for v in node.values]
        if any(p is None for p in parts):
            return None
        combine = frozenset.union if isinstance(node.op, ast.Or) else frozenset.intersection
        return combine(*parts)  # type: ignore[arg-type]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _roles_only(node.operand, roles)
        return None if inner is None else roles - inner
    return None
