"""Layers of the planning app (issue 10; shared rules: arrows one way, no import circle, no
function-local import to dodge one): no cycle among planning's modules, and indicators,
which sits below planning, never imports it. Read from the source with ``ast``, so an
import inside a function counts as much as one at the top of a module."""

from __future__ import annotations

import ast
from pathlib import Path

import decroche.indicators
import decroche.planning

SKIPPED = {"migrations"}


def modules(package) -> dict[str, Path]:
    """Dotted name → file of every module of ``package`` (subpackages included)."""
    root = Path(package.__file__).parent
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if SKIPPED & set(parts):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((package.__name__, *parts))] = path
    return found


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules ``name`` imports, anywhere in its file (top level or inside a function)."""
    is_package = path.name == "__init__.py"
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # `from . import forecast` imports the module `forecast`; `from .forecast import
            # CALLS` the module `forecast` itself.
            submodules = {f"{module}.{alias.name}" for alias in node.names}
            out.update(submodules & known if submodules <= known else {module})
    return out


def import_graph(package) -> dict[str, set[str]]:
    found = modules(package)
    known = set(found)
    return {name: imported(name, path, known) & known for name, path in found.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (a list of modules, the first repeated last), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_function_local_cycle(tmp_path):
    # A two-module circle, one side hidden inside a function: the check must see it.
    graph = {"p.a": {"p.b"}, "p.b": {"p.a"}, "p.c": {"p.a"}}
    assert find_cycle(graph) == ["p.a", "p.b", "p.a"]
    assert find_cycle({"p.a": {"p.b"}, "p.b": set()}) is None
    source = tmp_path / "b.py"
    source.write_text("def later():\n    from .a import thing\n", encoding="utf-8")
    assert imported("p.b", source, {"p.a", "p.b"}) == {"p.a"}


def test_no_import_cycle_among_planning_modules():
    assert find_cycle(import_graph(decroche.planning)) is None


def test_schedules_package_imports_one_way():
    # types ← costs ← split, greedy ← solver: no module imports one listed after it.
    order = ["types", "costs", "split", "greedy", "solver"]
    graph = import_graph(decroche.planning)  # the walk reaches subpackages
    prefix = "decroche.planning.schedules."
    for position, name in enumerate(order):
        later = {prefix + other for other in order[position + 1 :]}
        if name == "split":
            later.discard(prefix + "greedy")  # split and greedy are siblings
        assert not graph[prefix + name] & later, name


def test_no_indicators_module_imports_planning():
    offenders = {
        name: sorted(m for m in imported(name, path, set()) if m.startswith("decroche.planning"))
        for name, path in modules(decroche.indicators).items()
    }
    assert {name: found for name, found in offenders.items() if found} == {}
