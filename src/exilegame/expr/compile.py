"""Compiling: checked trees become functions, all of a story's in one `compile` call.

The runtime the functions see is `_RUNTIME`: no builtins, only the helpers below.
"""

from __future__ import annotations

import ast
import sys
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from exilegame.errors import ExprError, ExprFault
from exilegame.expr.model import BOOL, INT, NUMBER_MAX, Compiled, Scope

if TYPE_CHECKING:
    from exilegame.expr.typecheck import Checker

# The parser and the checker (`parse`, `typecheck`) are imported by the first check, not with
# this module: a story from the cache checks nothing before its first expression is used.

__all__ = ["FACTS", "Compiler", "Facts", "facts"]


def _mix(seed: int, step: int, site: int) -> int:
    """A small deterministic hash (splitmix64) of seed, step and call site."""
    x = (seed * 0x9E3779B97F4A7C15 + step * 0xBF58476D1CE4E5B9 + site) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def _chance(state: Any, site: int, percent: int) -> bool:
    return _mix(state.seed, state.step, site) % 100 < percent


def _visits(state: Any, scene: str) -> int:
    count: int = state.visits.get(scene, 0)
    return count


def _div(left: int, right: int) -> int:
    """`left // right`, for a divisor that is not a constant (a constant 0 is refused)."""
    if right == 0:
        raise ExprFault("division by zero")
    return left // right


def _num(value: int, name: str) -> int:
    """A number about to be stored in the variable `name`, checked against the range."""
    if -NUMBER_MAX <= value <= NUMBER_MAX:
        return value
    digits = len(str(abs(value))) if value.bit_length() < 10_000 else "thousands of"
    raise ExprFault(
        f"'{name}' would be set to a number of {digits} digits, outside the range "
        f"-{NUMBER_MAX:_} to {NUMBER_MAX:_}"
    )


_RUNTIME: dict[str, Any] = {
    "__builtins__": {},
    "_chance": _chance,
    "_visits": _visits,
    "_div": _div,
    "_num": _num,
    "_min": min,
    "_max": max,
}


def _unbuilt(*_: Any) -> Any:
    raise RuntimeError("expression used before Compiler.finish()")


def _generate(pending: Sequence[tuple[ast.FunctionDef, Compiled | None]]) -> None:
    """Generate the functions of checked expressions, all in one `compile` call."""
    functions: list[ast.stmt] = []
    for index, (func, _) in enumerate(pending):
        func.name = f"_f{index}"
        functions.append(func)
    module = ast.fix_missing_locations(ast.Module(functions, []))
    namespace = dict(_RUNTIME)
    exec(compile(module, "<scene expressions>", "exec"), namespace)  # checked trees only
    for index, (_, compiled) in enumerate(pending):
        # taken out of the namespace they were made in (their globals): a function and
        # its globals would form a reference cycle, freed by the cyclic collector only,
        # and never once the story is frozen out of its reach (docs/design.md)
        function = namespace.pop(f"_f{index}")
        if compiled is not None:
            object.__setattr__(compiled, "function", function)


# What a check finds out about an expression besides its code (the fields of `Compiled` that
# the checker and the explorer read); the story cache stores them (`Compiler.adopt`).
FACTS = ("reads", "writes", "scenes", "uses_turns", "for_roles", "divides")
Facts = tuple[frozenset[str], frozenset[str], frozenset[str], bool, frozenset[str] | None, bool]


def facts(compiled: Compiled) -> Facts:
    """The `FACTS` of a checked expression, in that order."""
    return (
        compiled.reads,
        compiled.writes,
        compiled.scenes,
        compiled.uses_turns,
        compiled.for_roles,
        compiled.divides,
    )


class _Batch:
    """Expressions whose code is generated on the first call of any of them (`defer`).

    It keeps their texts, not their checked trees: the trees of a whole story are a few
    hundred kilobytes that the title screen would hold for nothing. The first call checks
    the texts again and generates every function in one `compile`. An expression adopted
    with the facts of an earlier check (`Compiler.adopt`) has them verified then: facts that
    differ are replaced by the check's and `on_stale` is called; a text that no longer checks
    gets a function that raises `ExprFault` (a condition that does not hold, an effect not
    taken, as for a division by zero) and `on_stale` is called. Code is only ever generated
    from texts checked here."""

    def __init__(
        self,
        scope: Scope,
        texts: list[tuple[Compiled, weakref.ref[Compiled]]],
        on_stale: Callable[[], None] | None,
    ) -> None:
        self.scope = scope
        self.pending = [(c.kind, c.source, c.phase, c.site_base, ref) for c, ref in texts]
        self.on_stale = on_stale
        self.lock = threading.Lock()

    def generate(self) -> None:
        with self.lock:
            if not self.pending:
                return
            compiler = Compiler(self.scope)
            made: list[tuple[Compiled, weakref.ref[Compiled]]] = []
            refused: list[tuple[str, weakref.ref[Compiled]]] = []
            for kind, source, phase, site, ref in self.pending:
                try:
                    made.append((compiler.restore(kind, source, phase, site), ref))
                except (ExprError, ValueError) as error:  # ValueError: a NUL in the text
                    refused.append((str(error), ref))
            compiler.finish()
            stale = bool(refused)
            for fresh, ref in made:
                compiled = ref()
                if compiled is None:
                    continue
                for name in FACTS:
                    if getattr(compiled, name) != getattr(fresh, name):
                        object.__setattr__(compiled, name, getattr(fresh, name))
                        stale = True
                object.__setattr__(compiled, "function", fresh.function)
            for reason, ref in refused:
                compiled = ref()
                if compiled is not None:
                    object.__setattr__(compiled, "function", _refused(reason))
            self.pending = []
        if stale and self.on_stale is not None:
            self.on_stale()

    def stand_in(self, ref: weakref.ref[Compiled]) -> Callable[..., Any]:
        def first_use(*args: Any) -> Any:
            self.generate()
            compiled = ref()
            assert compiled is not None  # it is being called
            return compiled.function(*args)

        return first_use


def _refused(reason: str) -> Callable[..., Any]:
    def refused(*_: Any) -> Any:
        raise ExprFault(f"this expression of the story cache does not check ({reason})")

    return refused


class Compiler:
    """Compiles expressions for one story; identical texts are compiled once."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._cache: dict[tuple[str, str, str], Compiled] = {}
        self._sites = 0
        self._pending: list[tuple[ast.FunctionDef, Compiled]] = []
        self._adopted: list[Compiled] = []

    def with_phase(self, phase: str) -> None:
        self.scope = self.scope.in_phase(phase)

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
            self.scope = scope.in_phase(phase)
            try:
                build = self._condition if kind == "if" else self._effect
                self._cache[key] = build(source, site_base)
            finally:
                self.scope = scope
        return self._cache[key]

    def adopt(
        self,
        kind: str,
        source: str,
        phase: str,
        site_base: int,
        facts: Facts,
    ) -> Compiled:
        """An expression this story checked before, with what that check found (`FACTS`,
        in that order), taken on trust until the code is generated: `defer` checks it then.

        This is how the story cache brings expressions back: checking each one again as it
        loads was most of a launch's load (`restore` does, and generates its code)."""
        reads, writes, scenes, uses_turns, for_roles, divides = facts
        if kind not in ("if", "do") or not (type(source) is str and type(phase) is str):
            raise ValueError(f"not an expression: {kind!r} {source!r}")
        if type(site_base) is not int or type(uses_turns) is not bool or type(divides) is not bool:
            raise ValueError(f"not an expression: {kind!r} {source!r}")
        compiled = Compiled(
            source,
            _unbuilt,
            frozenset(reads),
            frozenset(writes),
            frozenset(scenes),
            uses_turns,
            None if for_roles is None else frozenset(for_roles),
            kind,
            phase,
            site_base,
            divides,
        )
        self._adopted.append(compiled)
        return compiled

    def compiled(self) -> list[Compiled]:
        """Everything compiled so far."""
        return list(self._cache.values())

    def finish(self) -> None:
        """Turn every checked expression into a function, all in one `compile` call.

        Checking happens expression by expression, so that errors point at their own
        column; generating code for a whole story at once is several times faster than a
        `compile` per expression (it was most of the time a cached story took to load).
        """
        if self._pending:
            _generate(self._pending)
            self._pending = []

    def defer(self, on_stale: Callable[[], None] | None = None) -> None:
        """Leave the code of the pending and adopted expressions to be generated when one is
        first used.

        A story read from the cache needs none of its expressions to show its title screen:
        until then each function is a stand-in that checks them all again and generates
        their code (in one `compile` call, as `finish` does), then calls the real function,
        which replaced it. `on_stale` is called if that check finds an adopted expression's
        facts wrong or its text refused (see `_Batch`). The stand-ins hold their expressions
        weakly, so that a story dropped unplayed leaves no reference cycle behind (a loaded
        story is kept out of the cyclic collector).
        """
        everything = [compiled for _, compiled in self._pending] + self._adopted
        texts = [(compiled, weakref.ref(compiled)) for compiled in everything]
        batch = _Batch(self.scope, texts, on_stale)
        for compiled, ref in texts:
            object.__setattr__(compiled, "function", batch.stand_in(ref))
        self._pending = []
        self._adopted = []

    def _condition(self, source: str, site_base: int) -> Compiled:
        from exilegame.expr.parse import parse
        from exilegame.expr.typecheck import Checker, roles_only

        tree = parse(source, "eval")
        assert isinstance(tree, ast.Expression)
        checker = Checker(self.scope, site_base)
        body, kind = checker.expr(tree.body)
        self._sites = max(self._sites, checker.site)
        if kind != BOOL:
            hint = "compare it, e.g. `trust > 0`" if kind == INT else 'e.g. `papers == "safe"`'
            raise ExprError(f"a condition must be a flag (true or false), not a {kind}", 0, hint)
        roles = roles_only(tree.body, self.scope.roles)
        return self._defer("if", source, site_base, [ast.Return(body)], checker, roles=roles)

    def _effect(self, source: str, site_base: int) -> Compiled:
        from exilegame.expr.parse import parse
        from exilegame.expr.typecheck import Checker, make_call

        tree = parse(source, "exec")
        assert isinstance(tree, ast.Module)
        checker = Checker(self.scope, site_base)
        statements: list[ast.stmt] = []
        writes: set[str] = set()
        for stmt in tree.body:
            target, value = checker.assignment(stmt)
            writes.add(target)
            low, high = self.scope.bounds.get(target, (None, None))
            if low is not None:
                value = make_call("_max", [value, ast.Constant(low)])
            if high is not None:
                value = make_call("_min", [value, ast.Constant(high)])
            if self.scope.variables.get(target) == INT and (low is None or high is None):
                value = make_call("_num", [value, ast.Constant(target)])
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
        checker: Checker,
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
            checker.divides,
        )
        self._pending.append((_function(body), compiled))
        return compiled


# Python 3.12 added type parameters to functions; a tree without them does not compile there.
_TYPE_PARAMS: dict[str, Any] = {"type_params": []} if sys.version_info >= (3, 12) else {}


def _function(body: list[ast.stmt]) -> ast.FunctionDef:
    """`def _f(v, s): <body>`: v is the state's variables, s the State (for role, step...)."""
    return ast.FunctionDef(
        name="_f",
        args=_args("v", "s"),
        body=body,
        decorator_list=[],
        returns=None,
        **_TYPE_PARAMS,
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
