"""No import cycle inside src/s400lab, counting imports inside functions too (a delayed import
only hides a cycle, as checks.py <-> validation.py did in v1)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "s400lab"


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_graph(pkg: Path = PKG) -> dict[str, set[str]]:
    """Module -> the s400lab modules it imports (anywhere in the file), packages' __init__ excluded
    as targets when a submodule is named (``from s400lab.data.table import Table`` -> data.table)."""
    modules = {_module_name(p): p for p in pkg.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_pkg = path.name == "__init__.py"
        package = name if is_pkg else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for t in targets:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t != name and t.startswith("s400lab"):
                    deps.add(t)
        graph[name] = deps
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return [*stack[stack.index(m) :], m]
            if m not in state and (c := visit(m)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (c := visit(n)):
            return c
    return None


def test_finder_sees_a_delayed_import_cycle():
    g = {"s400lab.a": {"s400lab.b"}, "s400lab.b": {"s400lab.a"}, "s400lab.c": set()}
    assert find_cycle(g) == ["s400lab.a", "s400lab.b", "s400lab.a"]
    assert find_cycle({"s400lab.a": {"s400lab.b"}, "s400lab.b": set()}) is None


def test_no_import_cycle_in_src():
    graph = import_graph()
    # Package __init__ modules re-export their submodules: an edge from a submodule to its own
    # package's __init__ would be a cycle by construction, so imports of "s400lab.x" from inside
    # s400lab.x.* count as imports of the submodule actually named.
    for name, deps in graph.items():
        graph[name] = {d for d in deps if not (name.startswith(d + ".") and d != "s400lab")}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])
