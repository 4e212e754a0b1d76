"""Every import in the UI resolves, including those inside functions (run only when a button is pressed).

Pages import lazily to keep start-up short and circles out; a name that moved (``get_workspace`` went
from ``ui.sync.session`` to ``ui.sync.workspaces``) then fails only when a person clicks, and the page guard turns
it into a generic message. This test reads every ``from X import name`` in app.py, app_pages/ and ui/.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")])


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = path.parent.relative_to(ROOT).parts
    base = ".".join(package[: len(package) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def unresolved(path: Path) -> list[str]:
    missing = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        module_name = _absolute(path, node)
        if module_name.split(".")[0] not in ("cx_core", "ui", "app_pages"):
            continue
        module = importlib.import_module(module_name)
        for alias in node.names:
            if alias.name == "*" or hasattr(module, alias.name):
                continue
            try:
                importlib.import_module(f"{module_name}.{alias.name}")
            except ImportError:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {module_name}.{alias.name}")
    return missing


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_import_resolves(path):
    assert unresolved(path) == []
