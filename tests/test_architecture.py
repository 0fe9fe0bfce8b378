"""The import contract of docs/architecture.md, read from the source with ``ast``.

Layers, lowest first: models -> readings of the data (time grid, country-case graph,
file reading) -> solver -> workflows -> output -> the faces (command line, web page).
Each layer imports only the layers its row allows; the independent checker imports
nothing of the solver, the time grid or the link graph, not even through another
module, and reads no rule through a scenario helper the solver uses; the package has
no import cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).parent.parent / "planner"

MODELS = "models"
READINGS = "readings"
CHECKER = "checker"
SOLVER = "solver"
WORKFLOWS = "workflows"
OUTPUT = "output"
FACES = "faces"

LAYER_OF: dict[str, str] = {
    "planner": MODELS,  # the package itself: when planner was imported (STARTED)
    "planner.models": MODELS,
    "planner.timegrid": READINGS,
    "planner.links": READINGS,
    "planner.loading": READINGS,
    "planner.calendar_text": READINGS,
    "planner.calendars": READINGS,
    "planner.requests": READINGS,
    "planner.check": CHECKER,
    "planner.solver": SOLVER,
    "planner.solve": WORKFLOWS,
    "planner.changes": WORKFLOWS,
    "planner.change": WORKFLOWS,
    "planner.whatif": WORKFLOWS,
    "planner.suggest": WORKFLOWS,
    "planner.explain": WORKFLOWS,
    "planner.generate": WORKFLOWS,
    "planner.budget": WORKFLOWS,
    "planner.exits": WORKFLOWS,
    "planner.output": OUTPUT,
    "planner.cli": FACES,
    "planner.serve": FACES,
    "planner.__main__": FACES,
}
"""Every module's layer, by the longest prefix of its name (docs/architecture.md)."""

ALLOWED: dict[str, set[str]] = {
    MODELS: {MODELS},
    READINGS: {MODELS, READINGS},
    CHECKER: {MODELS, CHECKER},
    SOLVER: {MODELS, READINGS, SOLVER},
    WORKFLOWS: {MODELS, READINGS, CHECKER, SOLVER, WORKFLOWS},
    OUTPUT: {MODELS, READINGS, OUTPUT},
    FACES: {MODELS, READINGS, CHECKER, SOLVER, WORKFLOWS, OUTPUT, FACES},
}
"""What each layer may import."""

EXCEPTIONS: dict[tuple[str, str], str] = {
    (CHECKER, "planner.loading"): "the checker reads plan files within the input limits",
    (CHECKER, "planner.calendar_text"): (
        "the checker reads calendar files within the input limits (size, structure, zone "
        "names, bounded recurrences); what their events mean it reads itself"
    ),
    (WORKFLOWS, "planner.output.schedule_json"): (
        "the plan file format: solve hands a plan to the checker as a file would show it, "
        "what-if writes and compares plan documents; it imports only models"
    ),
}
"""Imports one layer allows of another layer's module, each with its reason."""

CHECKER_NEVER = ("planner.solver", "planner.timegrid", "planner.links")
"""What the checker must not import, directly or through another module."""

RULE_HELPERS = {
    "window_of",
    "interpreters_needed",
    "interpreter_max_per_day",
    "interpreter_hours",
    "participant_timezone",
    "of",
}
"""Scenario helpers that read a rule for the solver: the checker reads the rule itself."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imported_names(name: str, path: Path) -> Iterator[str]:
    """Every ``planner`` module name an import in the file may refer to, wherever the
    import stands (in a function, under ``TYPE_CHECKING``)."""
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                stem = base[: len(base) - node.level + 1]
                module = ".".join(stem + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


@cache
def _graph() -> nx.DiGraph:
    """Modules of the package and the modules each imports."""
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for imported in _imported_names(name, path):
            target = imported
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith("planner") and target != name:
                graph.add_edge(name, target)
    return graph


def _layer(module: str) -> str:
    for prefix in sorted(LAYER_OF, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYER_OF[prefix]
    raise AssertionError(
        f"{module} has no layer: add it to LAYER_OF here and to docs/architecture.md"
    )


def test_every_module_has_a_layer() -> None:
    for module in _modules():
        _layer(module)


@pytest.mark.parametrize("layer", list(ALLOWED))
def test_each_layer_imports_only_what_its_row_allows(layer: str) -> None:
    broken = []
    for module, imported in _graph().edges:
        if _layer(module) != layer or _layer(imported) in ALLOWED[layer]:
            continue
        if any((layer, allowed) in EXCEPTIONS for allowed in (imported, *_parents(imported))):
            continue
        broken.append(f"{module} imports {imported} ({_layer(imported)})")
    assert broken == []


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(len(parts) - 1, 0, -1)]


def test_the_models_import_nothing_outside_the_models() -> None:
    graph = _graph()
    outside = [
        f"{module} imports {imported}"
        for module, imported in graph.edges
        if module.startswith("planner.models")
        and not imported.startswith("planner.models")
        and imported != "planner"
    ]
    assert outside == []


def test_output_imports_no_workflow_and_no_solver() -> None:
    graph = _graph()
    wrong = [
        f"{module} imports {imported}"
        for module, imported in graph.edges
        if _layer(module) == OUTPUT and _layer(imported) in (WORKFLOWS, SOLVER, FACES)
    ]
    assert wrong == []


def test_the_checker_reaches_nothing_of_the_solver_the_time_grid_or_the_links() -> None:
    graph = _graph()
    checker = [module for module in graph if _layer(module) == CHECKER]
    reached = set().union(*(nx.descendants(graph, module) for module in checker))
    assert sorted(m for m in reached if m.startswith(CHECKER_NEVER)) == []


def test_the_checker_reads_calendars_itself() -> None:
    """No checker module imports the loader's reading of calendars (``planner.calendars``):
    it reads the busy windows of every calendar itself (SPEC 2.7.5)."""
    graph = _graph()
    imported = [
        f"{module} imports {target}"
        for module, target in graph.edges
        if _layer(module) == CHECKER and target == "planner.calendars"
    ]
    assert imported == []


def test_the_checker_reads_no_rule_through_a_scenario_helper() -> None:
    used = []
    for module, path in _modules().items():
        if _layer(module) != CHECKER:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in RULE_HELPERS:
                used.append(f"{module}:{node.lineno} .{node.attr}")
    assert used == []


def test_no_import_cycle() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(_graph()) if len(c) > 1]
    assert cycles == []
