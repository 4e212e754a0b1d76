"""The layering rules that keep pages thin, checked on the source text.

Pages and Streamlit helpers hold no SQL and no chart library (charts are Vega-Lite dicts from
``cx_core.report.charts``); every session key shared between pages is spelled once, in ``ui/sync/state.py``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cx_core.messages import dimension_label, t
from ui.sync import state

ROOT = Path(__file__).resolve().parents[2]
EDGE_FILES = sorted([*ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "app.py"])
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b\s.*\b(FROM|INTO|TABLE|SET|VIEW)\b", re.S)


def _strings(path: Path) -> list[str]:
    """Every string constant of a module except docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # parts of f-strings are text (a file name "cx_workspace.cxw"), never a whole key
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings | in_fstrings
    ]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


_NOT_YET_CONVERTED: set[str] = set()


def test_the_edge_files_are_found():
    assert len(EDGE_FILES) >= 15


@pytest.mark.parametrize("path", EDGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sql_and_no_chart_library_in_pages_and_ui(path: Path):
    if path.name in _NOT_YET_CONVERTED:
        pytest.xfail("page not yet converted to sections")
    imports = _imports(path)
    assert not {m for m in imports if m == "altair" or m.startswith("altair.")}, "charts come from cx_core.report"
    assert "cx_core.sql" not in imports, "SQL lives in cx_core"
    assert "duckdb" not in imports
    assert not [s for s in _strings(path) if SQL.search(s)], "SQL text belongs in cx_core"


@pytest.mark.parametrize("path", EDGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shared_session_keys_are_spelled_only_in_ui_state(path: Path):
    if path.name == "state.py":
        return
    spelled = set(_strings(path)) & set(state.SHARED_KEYS)
    assert not spelled, f"use ui.sync.state constants instead of {sorted(spelled)}"


def test_the_sql_check_sees_sql():
    assert SQL.search("SELECT a FROM facts")
    assert not SQL.search("Select the rows you want from the table")


def test_no_raw_message_key_reaches_the_screen():
    assert t("no_such_area.follow_up_soon", lang="en") == "Follow up soon"
    assert "." not in t("segments.no_such_message", "ja")


def test_extra_dimensions_show_their_own_name():
    assert dimension_label("Product line", "en") == "Product line"
    assert dimension_label("respondent_role", "ja") == "役割"


def test_core_errors_are_codes_worded_at_the_edge():
    from cx_core import Filters, InvalidParameterError
    from cx_core.errors import error_text

    with pytest.raises(InvalidParameterError) as caught:
        Filters.make(**{"comment": ["x"]})
    error = caught.value
    assert (error.code, error.key, error.values) == ("invalid_parameter", "error.not_filterable", {"name": "comment"})
    assert "comment" in error_text(error, "ja") and "絞り込み" in error_text(error, "ja")
    assert str(error) == error_text(error, "en")  # the CLI's English line
