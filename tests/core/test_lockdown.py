"""A session's database cannot touch the server's files, and crafted input cannot make it try.

After :meth:`Workspace.from_loaded`, the connection has external access off and its configuration
locked: every way DuckDB has to read, write, attach or load a file fails, and the lock cannot be
undone. Then files whose headers and values are SQL written to escape (``x'); COPY ... TO ...``,
``'/etc/passwd'``, ``read_text(...)``) are loaded and analysed with every core query, and the
test checks that nothing was created on disk and that the crafted text came back as plain data.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cx_core import Filters, Mapping, Workspace, load_inputs, nps_distribution, overview, scores_by_group
from cx_core.schema import DIMENSIONS
from cx_core.sql import checked_column, run_rows
from cx_core.summary import build_summary


def _forbidden_statements(target: Path) -> list[str]:
    return [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_csv_auto('/etc/hostname')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/passwd')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        f"SELECT * FROM read_parquet('{target}/in.parquet')",
        f"COPY (SELECT 1) TO '{target}/pwn.csv'",
        f"COPY responses TO '{target}/responses.parquet' (FORMAT parquet)",
        f"EXPORT DATABASE '{target}/export'",
        f"ATTACH '{target}/other.db' AS other",
        "ATTACH ':memory:cx_shared_between_sessions' AS shared",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET GLOBAL enable_external_access = true",
        "RESET enable_external_access",
        "PRAGMA enable_external_access = true",
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "SET allowed_directories = ['/']",
        "SET allowed_paths = ['/etc/passwd']",
        "SET temp_directory = '/tmp/cx-spill'",
        "SET autoinstall_known_extensions = true",
        "SET autoload_known_extensions = true",
        "SET memory_limit = '100GB'",
    ]


def _files_under(*directories: Path) -> set[Path]:
    return {p for d in directories for p in d.rglob("*")}


def test_locked_workspace_refuses_every_file_and_config_escape(ws, tmp_path):
    before = _files_under(tmp_path)
    for statement in _forbidden_statements(tmp_path):
        with pytest.raises(duckdb.Error):
            ws.con.execute(statement).fetchall()
    assert ws.con.execute("SELECT current_setting('enable_external_access')").fetchone()[0] is False
    assert ws.con.execute("SELECT current_setting('lock_configuration')").fetchone()[0] is True
    assert _files_under(tmp_path) == before
    # the database itself still works after all those refusals
    assert ws.response_count() > 0


# Headers and values written to break out of a quoted SQL string or identifier.
CRAFTED_HEADER = "x'); COPY (SELECT 1) TO '{target}/pwn.csv'; --"
CRAFTED_VALUES = [
    "'/etc/passwd'",
    "read_text('/etc/passwd')",
    "x'); COPY (SELECT 1) TO '{target}/pwn2.csv'; --",
    "\"); ATTACH '{target}/evil.db' AS evil; --",
    "'; INSTALL httpfs; LOAD httpfs; --",
    "$1; DROP TABLE responses; --",
]


def _crafted_files(target: Path) -> tuple[bytes, bytes]:
    n = 60
    values = [v.format(target=target) for v in CRAFTED_VALUES]
    survey = pd.DataFrame(
        {
            "Response ID": [f"R{i}" for i in range(n)],
            "Account ID": [f"A{i % 6}" for i in range(n)],
            "Role": [values[i % len(values)] for i in range(n)],
            "NPS": [i % 11 for i in range(n)],
            # a driver rating column whose header is the escape attempt
            CRAFTED_HEADER.format(target=target): [1 + i % 5 for i in range(n)],
            "Comment": [values[(i + 1) % len(values)] for i in range(n)],
            "Journey stage": [values[(i + 2) % len(values)] for i in range(n)],
        }
    )
    crm = pd.DataFrame(
        {
            "Account ID": [f"A{i}" for i in range(6)],
            "Segment": [values[i % len(values)] for i in range(6)],
            "Region": [values[(i + 3) % len(values)] for i in range(6)],
            CRAFTED_HEADER.format(target=target).replace("pwn", "pwn_crm"): ["x"] * 6,
        }
    )
    as_bytes = lambda frame: frame.to_csv(index=False).encode("utf-8")  # noqa: E731
    return as_bytes(survey), as_bytes(crm)


def test_crafted_headers_and_values_cannot_reach_the_file_system(tmp_path, monkeypatch):
    target = tmp_path / "target"
    target.mkdir()
    monkeypatch.chdir(tmp_path)  # anything written relative to the working directory lands here too
    before = _files_under(tmp_path)
    survey, crm = _crafted_files(target)
    header = CRAFTED_HEADER.format(target=target)
    # the mapping a person could confirm on the Data page: the crafted column as a driver rating
    survey_mapping = Mapping.from_dict(
        {
            "kind": "survey",
            "fields": {
                "response_id": "Response ID",
                "account_id": "Account ID",
                "respondent_role": "Role",
                "nps": "NPS",
                "comment": "Comment",
                "journey_stage": "Journey stage",
            },
            "drivers": [{"column": header}],
        }
    )
    crm_mapping = Mapping.from_dict(
        {"kind": "crm", "fields": {"account_id": "Account ID", "segment": "Segment", "region": "Region"}}
    )
    loaded = load_inputs(survey, "survey.csv", crm, "crm.csv", survey_mapping=survey_mapping, crm_mapping=crm_mapping)
    assert loaded.survey_report.rows_loaded == 60
    ws = Workspace.from_loaded(loaded)
    try:
        crafted = {v.format(target=target) for v in CRAFTED_VALUES}
        segments = {g.group for g in scores_by_group(ws, "segment")}
        assert segments == crafted, "crafted values must come back as plain data"
        for dimension in ("segment", "respondent_role", "region", "journey_stage"):
            column = checked_column(dimension, DIMENSIONS)
            for (value,) in run_rows(ws.con, f"SELECT DISTINCT {column} FROM facts WHERE {column} IS NOT NULL"):
                filters = Filters.make(**{dimension: [value]})
                overview(ws, filters)
                nps_distribution(ws, filters)
                for by in ("segment", "respondent_role", "region"):
                    scores_by_group(ws, by, filters)
        summary = build_summary(ws)
        assert summary  # the CLI's JSON document is built from the same workspace
        assert ws.con.execute("SELECT label FROM drivers").fetchone()[0] == header
        assert ws.con.execute("SELECT count(*) FROM ratings").fetchone()[0] == 60
        assert ws.response_count() == 60, "the responses table must survive 'DROP TABLE responses'"
    finally:
        ws.close()
    assert _files_under(tmp_path) == before, "a crafted input created a file"


def test_lock_cannot_be_lifted_through_a_new_cursor(ws, tmp_path):
    """A cursor of the locked connection shares its database and its locked configuration."""
    cursor = ws.con.cursor()
    with pytest.raises(duckdb.Error):
        cursor.execute("SET enable_external_access = true")
    with pytest.raises(duckdb.Error):
        cursor.execute(f"COPY (SELECT 1) TO '{tmp_path}/via-cursor.csv'")
    assert not list(tmp_path.iterdir())
    # a path passed as a parameter (as a crafted value would be) is refused the same way
    with pytest.raises(duckdb.Error):
        cursor.execute("SELECT * FROM read_text($p)", {"p": io.__file__})
