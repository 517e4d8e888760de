"""Imports follow the data's one-way flow (README "Layout"): no stage imports one above it.

Read from the source with `ast`, so a lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "somec_graph"

# The top-level modules below every stage: they import only each other.
FOUNDATION = frozenset({"audit", "config", "days", "errors", "lazy", "output", "progress", "resources", "roles", "rows", "vocab"})
# Written down once: what each stage may import besides itself and the foundation. Ingest writes the graph,
# analysis reads it, neither knows the other; access knows users, not the graph. Every other module
# (app, report, cli, bench ...) is a front: it may import anything, and no stage imports it.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "foundation": frozenset(),
    "store": frozenset(),
    "ingest": frozenset({"store"}),
    "analysis": frozenset({"store"}),
    "access": frozenset(),
    "workqueue": frozenset({"store", "analysis"}),
}


def layer(parts: tuple[str, ...]) -> str:
    """The layer of module `somec_graph.<parts>`: its stage, "foundation", or "front"."""
    if not parts:
        return "front"  # the package itself
    if parts[0] in MAY_IMPORT and parts[0] != "foundation":
        return parts[0]
    return "foundation" if parts[0] in FOUNDATION else "front"


def imported(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """(line, module parts below somec_graph) of every somec_graph module `path` imports."""
    package = path.relative_to(PACKAGE).parts[:-1]  # what `from . import` means, for a module or an __init__
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ["somec_graph", *package[: len(package) - node.level + 1]] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            # `from . import audit` imports a module; `from .store import Store` a name of one
            names = [module + [alias.name] for alias in node.names] if not node.module else [module]
        else:
            continue
        found += [(node.lineno, tuple(name[1:])) for name in names if name[0] == "somec_graph" and len(name) > 1]
    return found


def test_the_layers_are_the_packages() -> None:
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert set(MAY_IMPORT) - {"foundation"} <= stages
    assert all((PACKAGE / f"{name}.py").is_file() for name in FOUNDATION)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_layer_above_its_own(path: Path) -> None:
    own = layer(path.relative_to(PACKAGE).with_suffix("").parts)
    if own == "front":
        return
    allowed = {own, "foundation", *MAY_IMPORT[own]}
    wrong = [f"line {line}: somec_graph.{'.'.join(parts)} ({layer(parts)})"
             for line, parts in imported(path) if layer(parts) not in allowed]
    assert not wrong, f"{own} may import only {sorted(allowed)}; {path.name} imports " + "; ".join(wrong)


def test_the_check_sees_relative_imports() -> None:
    """The reader resolves `from ..x import y` and `from . import y` as Python does."""
    parts = {p for _, p in imported(PACKAGE / "ingest" / "erase.py")}
    assert {("audit",), ("store",), ("errors",)} <= parts
    assert {p for _, p in imported(PACKAGE / "workqueue" / "alerts.py")} >= {("workqueue", "queue"), ("audit",)}
