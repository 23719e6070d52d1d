"""The engine's packages form layers: each imports only from its own package and the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "factsite"
LAYERS = ("factsite", "core", "checks", "project", "site", "preview", "commands", "__main__")
"""Lowest first: `factsite` is the package's own `__init__` (its version), `__main__` the entry point."""


def module_name(path: Path) -> str:
    """Return the dotted name of a module file of the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the package's modules that a module imports, at any level of its code (deferred imports too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in known)
    return found - {name}


def layer(name: str) -> int:
    """Return the layer of a module: its package below factsite, or the package's root."""
    parts = name.split(".")
    return LAYERS.index(parts[1] if len(parts) > 1 else parts[0])


GRAPH = {name: imported(name, path, set(modules())) for name, path in modules().items()}


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_a_module_imports_only_its_own_layer_and_the_layers_below(name: str) -> None:
    upward = sorted(target for target in GRAPH[name] if layer(target) > layer(name))
    assert not upward, f"{name} ({LAYERS[layer(name)]}) imports from a higher layer: {', '.join(upward)}"


def test_no_two_modules_import_each_other_even_indirectly() -> None:
    def cycle_from(start: str) -> list[str] | None:
        path, seen = [start], {start}

        def visit(node: str) -> list[str] | None:
            for target in sorted(GRAPH[node]):
                if target == start:
                    return [*path, start]
                if target not in seen:
                    seen.add(target)
                    path.append(target)
                    found = visit(target)
                    if found:
                        return found
                    path.pop()
            return None

        return visit(start)

    cycles = [cycle for name in sorted(GRAPH) if (cycle := cycle_from(name))]
    assert not cycles, "import cycle: " + " -> ".join(cycles[0])


def test_every_package_of_the_engine_has_its_layer() -> None:
    packages = {path.parent.name for path in PACKAGE.rglob("__init__.py") if path.parent != PACKAGE}
    assert packages <= set(LAYERS), f"packages without a layer: {sorted(packages - set(LAYERS))}"


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("from ..site.render import PageRenderer\nfrom . import urls\n", encoding="utf-8")
    known = {"factsite.site.render", "factsite.core.urls", "factsite.core"}
    assert imported("factsite.core.sample", source, known) == {"factsite.site.render", "factsite.core.urls"}
    assert layer("factsite.site.render") > layer("factsite.core.sample")
