"""The apps in layers that point one way, and no import circle between modules (issue 10;
docs/architecture.md).

Every module of the project (tests and migrations aside) is parsed with `ast`; imports at
module level and inside functions both count, so a function-local import that dodges a
circle is a circle. `apps.py` is left out of the circle check only: its `ready()` wires
signals and import kinds, which is Django's documented place for such imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]
PROJECT = SRC / "decroche"
# Lowest first: an app may import only from the apps before it (docs/architecture.md).
LAYERS = (
    "core",
    "jobs",
    "accounts",
    "organisation",
    "contacts",
    "indicators",
    "replies",
    "quality",
    "training",
    "wellbeing",
    "practice",
    "planning",
    "contract",
    "synthetic",
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PROJECT.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules `name` imports (for `from X import y`: X.y when it is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets.add(module)
            targets.update(f"{module}.{alias.name}" for alias in node.names)
    return {target for target in targets if target in MODULES and target != name}


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else None


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_app_has_its_place_in_the_layers():
    apps = {_app(name) for name in MODULES} - {None}
    assert apps <= set(LAYERS), f"apps missing from LAYERS: {sorted(apps - set(LAYERS))}"


def test_apps_import_only_from_the_layers_below_them():
    against = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        for target in targets
        if (source_app := _app(name))
        and (target_app := _app(target))
        and LAYERS.index(target_app) > LAYERS.index(source_app)
    )
    assert against == []


def test_no_import_circle_between_modules():
    graph = {
        name: {target for target in targets if not target.endswith(".apps")}
        for name, targets in GRAPH.items()
        if not name.endswith(".apps")
    }
    circles = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            # A package's __init__ importing its own modules is how it names what is public.
            if target.startswith(name + "."):
                continue
            if state.get(target) == 1:
                circles.append(" → ".join(path[path.index(target) :] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []
