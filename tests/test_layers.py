"""The package's layers point one way, with no import cycles, and only the terminal
interface imports Textual or Rich.

Every module is found by walking the package (`pkgutil.walk_packages`) and read with `ast`,
so imports inside functions and under `if TYPE_CHECKING:` count as much as the ones at the
top: a cycle that only type checkers see is still a cycle in the design.
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import exilegame

# Bottom to top. A module may import its own layer and the layers below it, never above.
# `format` and `engine` are siblings on top of the model: neither may import the other.
LAYERS: list[tuple[str, ...]] = [
    (
        "exilegame._version",
        "exilegame._record",
        "exilegame._files",
        "exilegame.errors",
        "exilegame._datafile",
    ),
    ("exilegame.expr",),
    ("exilegame.story", "exilegame.state"),
    ("exilegame.format", "exilegame.engine"),
    ("exilegame.saves", "exilegame.explored"),
    ("exilegame.authoring",),
    ("exilegame.play",),
    ("exilegame.cli",),
    ("exilegame", "exilegame.__main__"),  # the public API and the entry point, on top
]
SIBLINGS_APART = [("exilegame.format", "exilegame.engine")]
UI_ONLY = ("textual", "rich")
UI_HOME = "exilegame.play.tui"


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name, with its file."""
    found = {"exilegame": Path(exilegame.__file__)}
    for info in pkgutil.walk_packages(exilegame.__path__, "exilegame."):
        spec = importlib.util.find_spec(info.name)
        assert spec is not None and spec.origin is not None, info.name
        found[info.name] = Path(spec.origin)
    return found


MODULES = modules()


def imports_of(name: str, path: Path) -> set[str]:
    """The absolute names of everything `name` imports, at any depth of its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            # `from exilegame.x import y` imports the module exilegame.x.y when there is one,
            # else the name y from exilegame.x itself
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in MODULES else base)
    return out


def internal_imports(name: str) -> set[str]:
    """The package's own modules that `name` imports (the package root only by name)."""
    return {m for m in imports_of(name, MODULES[name]) if m in MODULES and m != name}


def layer_of(name: str) -> int:
    best, rank = -1, -1
    for index, layer in enumerate(LAYERS):
        for prefix in layer:
            inside = name == prefix or name.startswith(prefix + ".")
            if inside and len(prefix) > best:
                best, rank = len(prefix), index
    assert rank >= 0, f"{name} is in no layer: add it to LAYERS"
    return rank


def test_every_module_is_found_and_placed() -> None:
    assert "exilegame.engine" in MODULES and "exilegame.play.tui.app" in MODULES
    for name in MODULES:
        layer_of(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_a_layer_above_its_own(name: str) -> None:
    mine = layer_of(name)
    above = {m: layer_of(m) for m in internal_imports(name) if layer_of(m) > mine}
    assert not above, f"{name} (layer {mine}) imports higher layers: {above}"


@pytest.mark.parametrize("a,b", SIBLINGS_APART)
def test_sibling_layers_stay_apart(a: str, b: str) -> None:
    def inside(m: str, prefix: str) -> bool:
        return m == prefix or m.startswith(prefix + ".")

    for name in MODULES:
        for x, y in ((a, b), (b, a)):
            if inside(name, x):
                bad = [m for m in internal_imports(name) if inside(m, y)]
                assert not bad, f"{name} imports {bad}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_terminal_interface_imports_textual_or_rich(name: str) -> None:
    if name == UI_HOME or name.startswith(UI_HOME + "."):
        return
    ui = sorted(m for m in imports_of(name, MODULES[name]) if m.split(".")[0] in UI_ONLY)
    assert not ui, f"{name} imports {ui}; only {UI_HOME} may"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, as a path that returns to its start, or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_no_import_cycles() -> None:
    graph = {name: internal_imports(name) - {"exilegame"} for name in MODULES}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_planted_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_layer_check_sees_a_planted_upward_import(tmp_path: Path) -> None:
    planted = tmp_path / "engine.py"
    planted.write_text("from exilegame.play.tui import app\nimport textual\n")
    found = imports_of("exilegame.engine", planted)
    assert "exilegame.play.tui.app" in found and "textual" in found
    assert layer_of("exilegame.play.tui.app") > layer_of("exilegame.engine")
