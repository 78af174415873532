"""The indicators app in layers that point one way (issue 10).

A pure engine (no Django import, tested and benchmarked alone) under a Django shell:
every module of the package is parsed with `ast`, imports at module level AND inside
functions, and the import graph is checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from decroche.indicators.bindings import BINDINGS, LATER_BINDINGS
from decroche.indicators.sources import GRAINS, PENDING_SOURCES, SOURCES, STOCK_SOURCES

PACKAGE = "decroche.indicators"
ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT.parent.parent

# The pure engine: formula, catalogue, periods, folding, engine (and what they read).
PURE = {
    f"{PACKAGE}.{name}"
    for name in ("formula", "sources", "catalogue", "periods", "folding", "engine", "charts")
}
# Pure modules of the apps below that the pure engine may use.
PURE_ELSEWHERE = {"decroche.core.calendar"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    """Every module of the indicators package but its tests."""
    return {
        module_name(path): path
        for path in sorted(ROOT.rglob("*.py"))
        if "tests" not in path.relative_to(ROOT).parts
    }


def imports_of(name: str, path: Path, known: set[str]) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function, line) for every import of the module; for
    `from X import y`, X.y when it is a module of the package, else X."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join([*base, child.module] if child.module else base)
                else:
                    target = child.module or ""
                for alias in child.names:
                    candidate = f"{target}.{alias.name}"
                    module = candidate if candidate in known else target
                    found.append((module, in_function, child.lineno))
            visit(child, inside)

    visit(tree, False)
    return found


MODULES = package_modules()
KNOWN = set(MODULES)
IMPORTS = {name: imports_of(name, path, KNOWN) for name, path in MODULES.items()}


def test_the_pure_modules_exist():
    assert PURE <= KNOWN


def test_no_import_cycle_between_indicators_modules():
    graph = {
        name: {target for target, _inside, _line in imports if target in KNOWN and target != name}
        for name, imports in IMPORTS.items()
    }
    cycles = []
    state: dict[str, str] = {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                walk(target, [*trail, target])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert cycles == []


@pytest.mark.parametrize("name", sorted(PURE))
def test_pure_modules_import_no_django(name):
    wrong = [
        f"{target} (line {line})"
        for target, _inside, line in IMPORTS[name]
        if target.split(".")[0] == "django"
        or (target.startswith("decroche") and target not in PURE | PURE_ELSEWHERE)
    ]
    assert wrong == []


@pytest.mark.parametrize("name", sorted(PURE_ELSEWHERE))
def test_pure_modules_of_other_apps_import_nothing_of_decroche_nor_django(name):
    path = SRC.joinpath(*name.split(".")).with_suffix(".py")
    wrong = [
        target
        for target, _inside, _line in imports_of(name, path, set())
        if target.split(".")[0] in {"django", "decroche"}
    ]
    assert wrong == []


def test_no_function_local_import_of_indicators_modules():
    """Imports inside functions would hide a circle; only `apps.py` defers its imports
    until the app registry is ready (Django's own rule)."""
    local = [
        f"{name} imports {target} (line {line})"
        for name, imports in IMPORTS.items()
        if name != f"{PACKAGE}.apps"
        for target, inside, line in imports
        if inside and target.startswith(PACKAGE)
    ]
    assert local == []


def test_the_pure_sources_agree_with_their_table_bindings():
    """The engine knows sources, grains and stocks by name only; the Django bindings map
    the same names onto tables."""
    assert set(BINDINGS) == set(SOURCES) - PENDING_SOURCES
    assert set(LATER_BINDINGS) <= PENDING_SOURCES  # bound by the apps above (quality)
    assert {name for name, b in BINDINGS.items() if b.stock_open_field} == STOCK_SOURCES
    assert {g for b in BINDINGS.values() for g in b.grains} | {"channel"} == set(GRAINS)
