"""Fail when a package imports itself in a circle (``make lint``; default: ``ui``).

A circle (``ui.widgets.export -> ui.sync.session -> ui.sync.workspaces -> ui.widgets.presenter -> ui.widgets.export`` was the last
one) makes a module's behaviour depend on which page imported what first, and hides which layer
owns what. Imports inside functions count: they only postpone the circle. import-linter checks
the layers of the core; this checks that a package has none at all.

    python tools/check_import_cycles.py [package ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp


def cycles(package: str) -> list[tuple[str, ...]]:
    """Every import chain that leads from a module of ``package`` back to itself (one per pair)."""
    graph = grimp.build_graph(package)
    found = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported.startswith(package) and graph.chain_exists(importer=imported, imported=importer):
                back = graph.find_shortest_chain(importer=imported, imported=importer) or ()
                found.append((importer, *back))
    return found


def main(packages: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    failed = False
    for package in packages:
        for chain in cycles(package):
            failed = True
            print(f"import circle in {package}: " + " -> ".join(chain))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["ui"]))
