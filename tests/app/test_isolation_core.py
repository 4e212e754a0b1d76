"""Core-level isolation: what one session loads is not reachable from another session's database,
and nothing uploaded is kept in module-level state shared by every session of the server.
"""

from __future__ import annotations
import __future__

import ast
import importlib
import pkgutil
import types
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench.synthetic import synthetic_frames
from cx_core import LoadedData, Workspace, load_inputs, overview

ROOT = Path(__file__).resolve().parents[2]


def _marked_files(marker: str, seed: int, n: int) -> tuple[bytes, bytes]:
    survey, crm = synthetic_frames(n, 20, seed=seed)
    for frame in (survey, crm):
        frame["Account ID"] = frame["Account ID"].str.replace("ACC-", f"{marker}-", regex=False)
    survey["Response ID"] = marker + survey["Response ID"]
    return survey.to_csv(index=False).encode(), crm.to_csv(index=False).encode()


@pytest.fixture()
def two_workspaces():
    a = Workspace.from_loaded(load_inputs(*_interleave(_marked_files("ALPHA", 1, 200))))
    b = Workspace.from_loaded(load_inputs(*_interleave(_marked_files("BRAVO", 2, 300))))
    yield a, b
    a.close()
    b.close()


def _interleave(files: tuple[bytes, bytes]) -> tuple[bytes, str, bytes, str]:
    return files[0], "survey.csv", files[1], "crm.csv"


def _text_cells_containing(con: duckdb.DuckDBPyConnection, needle: str) -> int:
    """How many text cells of every table and view reachable from ``con`` contain ``needle``."""
    columns = con.execute(
        "SELECT database_name, schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE data_type = 'VARCHAR' AND NOT internal"
    ).fetchall()
    assert columns, "the workspace should have text columns to search"
    total = 0
    for database, schema, table, column in columns:
        name = ".".join('"' + part.replace('"', '""') + '"' for part in (database, schema, table))
        col = '"' + column.replace('"', '""') + '"'
        total += con.execute(f"SELECT count(*) FROM {name} WHERE contains({col}, $n)", {"n": needle}).fetchone()[0]
    return total


def test_each_workspace_reaches_only_its_own_rows(two_workspaces):
    a, b = two_workspaces
    assert a.response_count() == 200 and b.response_count() == 300
    assert _text_cells_containing(a.con, "ALPHA-") > 0 and _text_cells_containing(b.con, "BRAVO-") > 0
    assert _text_cells_containing(a.con, "BRAVO") == 0
    assert _text_cells_containing(b.con, "ALPHA") == 0
    for ws in (a, b):
        databases = {row[0] for row in ws.con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
        assert databases == {"memory", "system", "temp"}, databases


def test_closing_one_workspace_leaves_the_other_intact(two_workspaces):
    a, b = two_workspaces
    before = overview(b).to_dict()
    a.close()
    with pytest.raises(duckdb.Error):
        a.con.execute("SELECT 1")
    assert overview(b).to_dict() == before


def test_an_attached_database_is_empty_not_another_session(two_workspaces):
    a, _ = two_workspaces
    # ATTACH of an unnamed in-memory database is the only ATTACH the lock allows: it is a new,
    # empty database, never another connection's.
    a.con.execute("ATTACH ':memory:' AS probe")
    assert a.con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'probe'").fetchone()[0] == 0
    with pytest.raises(duckdb.Error):
        a.con.execute("ATTACH ':memory:memory' AS probe2")


def test_the_process_default_connection_holds_nothing(two_workspaces):
    default = duckdb.default_connection()
    assert default.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0] == 0


# --- module-level state ----------------------------------------------------------------------

_DATA_TYPES = (Workspace, LoadedData, pd.DataFrame, pd.Series, duckdb.DuckDBPyConnection)


def _holds_data(value, depth: int = 0) -> bool:
    if isinstance(value, _DATA_TYPES):
        return True
    if isinstance(value, (bytes, bytearray)) and len(value) > 1024:  # file contents, not a constant
        return True
    if depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
        return any(_holds_data(v, depth + 1) for v in value)
    if depth < 3 and isinstance(value, dict):
        return any(_holds_data(v, depth + 1) for v in value.values())
    return False


def _project_modules() -> list[types.ModuleType]:
    import cx_core
    import ui

    modules = []
    for package in (cx_core, ui):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name != "cx_core.__main__":
                modules.append(importlib.import_module(info.name))
    return modules + [cx_core, ui]


def test_no_module_keeps_uploaded_data_after_a_session_ran():
    """Run the app (it loads data into its session), then inspect every project module's globals."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert at.session_state["cx_workspace"].response_count() > 0  # the session did load data
    offenders = [
        f"{module.__name__}.{name}"
        for module in _project_modules()
        for name, value in vars(module).items()
        if not name.startswith("__") and _holds_data(value)
    ]
    assert offenders == []


def test_ui_session_module_has_no_mutable_state():
    import ui.sync.session

    constants = (str, int, float, bool, type(None))

    def harmless(value) -> bool:
        if isinstance(value, (types.ModuleType, type, __future__._Feature)) or callable(value):
            return True
        if isinstance(value, (tuple, frozenset)):
            return all(isinstance(v, constants) for v in value)
        return isinstance(value, constants)

    state = {
        name: type(value).__name__
        for name, value in vars(ui.sync.session).items()
        if not name.startswith("__") and not harmless(value)
    }
    assert state == {}


def test_no_shared_cache_of_uploads_in_the_source():
    """st.cache_resource and st.experimental_singleton are shared by every session: never used."""
    shared = {"cache_resource", "experimental_singleton", "singleton"}
    sources = [ROOT / "app.py", *ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/**/*.py"), *ROOT.glob("cx_core/**/*.py")]
    offenders = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            used = (isinstance(node, ast.Attribute) and node.attr in shared) or (
                isinstance(node, ast.ImportFrom) and any(alias.name in shared for alias in node.names)
            )
            if used:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_cached_parsing_gives_each_session_its_own_copy():
    """Parsing is cached by content hash; each caller gets a private copy it may change freely."""
    import ui.sync.session

    files = _marked_files("ALPHA", 3, 50)
    first = ui.sync.session.load_data(files[0], "survey.csv", files[1], "crm.csv")
    second = ui.sync.session.load_data(files[0], "survey.csv", files[1], "crm.csv")
    assert first is not second
    assert first.survey.responses is not second.survey.responses
    first.survey.responses.loc[0, "comment"] = "changed by session one"
    first.survey_mapping.fields["nps"] = None
    third = ui.sync.session.load_data(files[0], "survey.csv", files[1], "crm.csv")
    assert third.survey.responses.loc[0, "comment"] != "changed by session one"
    assert third.survey_mapping.fields["nps"] is not None
    other = ui.sync.session.load_data(*_marked_files("BRAVO", 3, 50)[:1], "survey.csv")
    assert other.survey.responses["account_id"].str.startswith("BRAVO-").all()


def test_one_workspace_is_safe_to_query_from_two_threads_at_once(ws):
    """Streamlit can overlap two script runs of one session; each must get its own, right answers.

    With one shared DuckDB connection object this failed ("connection is busy") or returned another
    query's rows; the browser e2e flow hit it as a page crash after a page switch.
    """
    import threading

    from cx_core import nps_distribution, scores_by_group

    expected = (overview(ws).to_dict(), [g.to_dict() for g in scores_by_group(ws, "segment")])
    expected_dist = nps_distribution(ws)["count"].tolist()
    problems: list[str] = []

    def hammer(kind: int) -> None:
        for _ in range(25):
            try:
                if kind % 2:
                    got = (overview(ws).to_dict(), [g.to_dict() for g in scores_by_group(ws, "segment")])
                    if got != expected:
                        problems.append("wrong overview")
                elif nps_distribution(ws)["count"].tolist() != expected_dist:
                    problems.append("wrong distribution")
            except Exception as error:  # noqa: BLE001 - every failure is collected and reported
                problems.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=hammer, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
