"""Support cases in the account view: counts, open and escalated cases and their top reasons.

B2B churn follows service issues as much as survey scores, so an account with escalated cases in
the last :data:`~cx_core.ingest.cases.CASE_WINDOW_DAYS` days gets the ``escalated_cases`` health
reason. Cases come from the optional third input (``load_inputs(..., cases=...)``, the CLI's
``--cases``, the Data page's uploader) and live in the workspace's ``cases`` table.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..ingest import InputReport
from ..ingest.cases import CASE_WINDOW_DAYS, CaseData, case_summary
from ..sql import run, run_rows
from ..workspace import Workspace

CASE_HEALTH_COLUMNS: tuple[str, ...] = ("cases_total", "cases_open", "cases_escalated", "case_reasons")


def has_cases(ws: Workspace) -> bool:
    """True when the workspace holds a support cases table."""
    rows = run_rows(ws.con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'cases'")
    return bool(rows[0][0])


def attach_cases(ws: Workspace, cases: CaseData, report: InputReport) -> None:
    """Add (or replace) the support cases of a loaded workspace, with their input report."""
    ws.con.register("_cases", cases.cases)
    try:
        ws.con.execute("CREATE OR REPLACE TABLE cases AS SELECT * FROM _cases")
    finally:
        ws.con.unregister("_cases")
    ws.reports = [r for r in ws.reports if r.kind != "cases"] + [report]
    if ws.loaded is not None:
        ws.loaded.cases, ws.loaded.cases_report = cases, report


def account_cases(ws: Workspace, as_of: dt.date, window_days: int = CASE_WINDOW_DAYS) -> pd.DataFrame:
    """Per account key: ``cases_total, cases_open, cases_escalated`` (escalated in the last
    ``window_days`` days up to ``as_of``) and ``case_reasons`` (top three)."""
    if not has_cases(ws):
        return case_summary(pd.DataFrame(), as_of, window_days)
    cases = run(ws.con, "SELECT * FROM cases WHERE created_at IS NULL OR created_at < $end", {"end": _day_end(as_of)})
    return case_summary(cases, as_of, window_days)


def account_case_list(ws: Workspace, account_key: str, as_of: dt.date) -> pd.DataFrame:
    """The account's cases up to ``as_of``, open and escalated first, newest first."""
    columns = ["case_id", "created_at", "status", "priority", "reason", "subject", "is_open", "is_escalated"]
    if not has_cases(ws):
        return pd.DataFrame(columns=columns)
    sql = f"""
        SELECT {", ".join(columns)} FROM cases
        WHERE account_key = $key AND (created_at IS NULL OR created_at < $end)
        ORDER BY is_escalated DESC, is_open DESC, created_at DESC NULLS LAST, case_id
    """
    return run(ws.con, sql, {"key": account_key, "end": _day_end(as_of)})


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
