"""Support cases and tickets: the third, optional input, and telling them apart from account tables.

Salesforce Case, HubSpot ticket, Dynamics incident and Zendesk ticket exports are recognised by
their headers. Each case needs an account id (the same ids as the CRM's); the rest is optional:
status, closed and escalated flags, priority, reason, created date.

A case or ticket export is often given as the CRM file by mistake: :func:`account_table_problem`
recognises a table whose account ids repeat (many rows per account) so it is not loaded as
accounts with most rows rejected as duplicates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from ..errors import MappingError
from .notices import NOT_AN_ACCOUNT_TABLE, InputWarning
from .parse import RawTable, Rejection
from .values import clean_text, clean_texts, empty_mask, map_unique, normalise_account_key, parse_bools, parse_dates

CASE_FIELDS: tuple[str, ...] = (
    "case_id",
    "account_id",
    "status",
    "is_closed",
    "is_escalated",
    "priority",
    "reason",
    "created_at",
    "subject",
)
CASE_COLUMNS: tuple[str, ...] = (
    "case_id",
    "account_id",
    "account_key",
    "status",
    "is_open",
    "is_escalated",
    "priority",
    "reason",
    "created_at",
    "subject",
    "source_row",
)
CASE_WINDOW_DAYS = 90
"""Escalated cases of the last this many days (up to ``as_of``) are an account health reason."""

# Normalised headers (lower case, "_", "-", "." as spaces) of each field, exports of
# Salesforce (Case), HubSpot (tickets), Dynamics 365 (incident) and Zendesk (tickets).
_CASE_HEADERS: dict[str, tuple[str, ...]] = {
    "case_id": (
        "casenumber",
        "case number",
        "ticket id",
        "ticketnumber",
        "ticket number",
        "incidentid",
        "id",
        "case id",
    ),
    "account_id": (
        "accountid",
        "account id",
        "account",
        "associated company id",
        "associated company",
        "company id",
        "customerid",
        "customer id",
        "organization",
        "organization id",
        "organisation",
        "取引先id",
        "取引先",
        "顧客id",
    ),
    "status": ("status", "ticket status", "pipeline stage", "statuscode", "state", "ステータス", "状況"),
    "is_closed": ("isclosed", "is closed", "closed"),
    "is_escalated": ("isescalated", "is escalated", "escalated", "エスカレーション"),
    "priority": ("priority", "prioritycode", "ticket priority", "優先度"),
    "reason": ("reason", "category", "type", "casetypecode", "case reason", "problem type", "理由", "種別", "カテゴリ"),
    "created_at": (
        "createddate",
        "created date",
        "create date",
        "created at",
        "createdon",
        "created",
        "作成日",
        "受付日",
    ),
    "subject": ("subject", "ticket name", "title", "件名"),
}
# Headers only a case/ticket export has (not an account table).
_CASE_ONLY = frozenset(
    {
        "casenumber",
        "case number",
        "isescalated",
        "isclosed",
        "ticket id",
        "ticket status",
        "ticket name",
        "incidentid",
        "ticketnumber",
        "priority",
        "closeddate",
        "subject",
    }
)
_CLOSED_STATUS = re.compile(r"clos|resolv|solved|cancel|done|完了|解決|クローズ|終了", re.IGNORECASE)
_ESCALATED_STATUS = re.compile(r"escalat|エスカレ", re.IGNORECASE)


def _normalise(header: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", str(header).strip().lower()).strip()


@dataclass
class CaseMapping:
    """Case field -> source column (or None)."""

    fields: dict[str, str | None]

    def to_dict(self) -> dict:
        return {"kind": "cases", "fields": dict(self.fields)}


def looks_like_cases(table: RawTable) -> bool:
    """True when the headers are those of a case or ticket export."""
    headers = {_normalise(c) for c in table.frame.columns}
    return len(headers & _CASE_ONLY) >= 2


def suggest_case_mapping(table: RawTable) -> CaseMapping:
    """Map case fields by header (exact names first, in the order of :data:`_CASE_HEADERS`)."""
    by_header = {_normalise(c): c for c in reversed(list(table.frame.columns))}
    fields: dict[str, str | None] = dict.fromkeys(CASE_FIELDS)
    used: set[str] = set()
    for name in CASE_FIELDS:
        for header in _CASE_HEADERS[name]:
            column = by_header.get(header)
            if column is not None and column not in used:
                fields[name] = column
                used.add(column)
                break
    return CaseMapping(fields)


@dataclass
class CaseData:
    """Validated support cases, one row each (columns :data:`CASE_COLUMNS`)."""

    cases: pd.DataFrame
    mapping: CaseMapping
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected_index: list[int] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)


def validate_cases(table: RawTable, mapping: CaseMapping | None = None) -> CaseData:
    """Build the cases table; a case without an account id is rejected with its reason."""
    mapping = mapping or suggest_case_mapping(table)
    if not mapping.fields.get("account_id"):
        raise MappingError("error.cases_no_account")
    frame = table.frame
    rows = pd.Series(table.row_numbers, index=frame.index, dtype="int64")
    notes = list(table.notes)

    def column(name: str) -> pd.Series | None:
        source = mapping.fields.get(name)
        return frame[source] if source else None

    out = pd.DataFrame(index=frame.index)
    case_id = column("case_id")
    out["case_id"] = clean_texts(case_id) if case_id is not None else None
    missing = out["case_id"].isna()
    out.loc[missing, "case_id"] = "row-" + rows[missing].astype(str)
    account = column("account_id")
    out["account_id"] = clean_texts(account)
    out["account_key"] = map_unique(account, lambda v: normalise_account_key(clean_text(v)))
    for name in ("status", "priority", "reason", "subject"):
        source = column(name)
        out[name] = clean_texts(source) if source is not None else None
    status = out["status"].fillna("")
    closed_flag = column("is_closed")
    closed = parse_bools(closed_flag) if closed_flag is not None else pd.Series(None, index=frame.index, dtype=object)
    by_status = status.map(lambda s: bool(_CLOSED_STATUS.search(s)))
    out["is_open"] = ~closed.where(closed.notna(), by_status).astype(bool)
    escalated_flag = column("is_escalated")
    escalated = (
        parse_bools(escalated_flag) if escalated_flag is not None else pd.Series(None, index=frame.index, dtype=object)
    )
    by_escalated_status = status.map(lambda s: bool(_ESCALATED_STATUS.search(s)))
    out["is_escalated"] = escalated.fillna(False).astype(bool) | by_escalated_status
    created = column("created_at")
    out["created_at"] = parse_dates(created) if created is not None else pd.NaT
    if created is not None:
        bad = int((out["created_at"].isna() & ~empty_mask(created)).sum())
        if bad:
            notes.append(f"{bad} case date(s) could not be read and were left empty.")
    out["source_row"] = rows
    drop = out["account_key"].isna()
    rejected = [Rejection(int(r), "case has no account id", "case_id_missing") for r in rows[drop]]
    cases = out.loc[~drop, list(CASE_COLUMNS)].reset_index(drop=True)
    cases["created_at"] = pd.to_datetime(cases["created_at"], errors="coerce")
    for name in CASE_COLUMNS:
        if name not in ("is_open", "is_escalated", "created_at", "source_row"):
            cases[name] = cases[name].astype(object)
    all_rejected = sorted(table.rejected + rejected, key=lambda r: r.row)
    return CaseData(cases, mapping, all_rejected, notes, list(frame.index[drop]))


def account_table_problem(table: RawTable, account_column: str | None) -> InputWarning | None:
    """The ``not_an_account_table`` warning when ``table`` is not one row per account.

    Two signs, either is enough: the headers are those of a case or ticket export (CaseNumber,
    IsEscalated, Ticket ID, Priority, Subject...), or the account ids repeat (more than a fifth of
    the filled rows repeat an id already seen: the file lists events, one row each). A few
    duplicates in a real account table are rejected row by row instead.
    """
    cases_like = looks_like_cases(table)
    # the case export's own account column (AccountId) says more than a mapped "Id" (the case id)
    column = suggest_case_mapping(table).fields.get("account_id") if cases_like else None
    column = column or account_column
    if not column or column not in table.frame.columns:
        return None
    keys = map_unique(table.frame[column], lambda v: normalise_account_key(clean_text(v))).dropna()
    repeats = int(keys.duplicated().sum())
    if not cases_like and (len(keys) < 5 or repeats <= max(2, 0.2 * len(keys))):
        return None
    counts = keys.value_counts()
    return InputWarning(
        NOT_AN_ACCOUNT_TABLE,
        {"rows": int(len(keys)), "ids": int((counts > 1).sum()), "looks_like": "cases" if cases_like else "other"},
        (column,),
    )


def case_summary(cases: pd.DataFrame, as_of: dt.date, window_days: int = CASE_WINDOW_DAYS) -> pd.DataFrame:
    """Per account key: cases in total, open, escalated in the ``window_days`` days up to
    ``as_of``, and the top three reasons of its cases (most frequent first, ties by name)."""
    columns = ["account_key", "cases_total", "cases_open", "cases_escalated", "case_reasons"]
    if cases.empty:
        return pd.DataFrame(columns=columns)
    start = pd.Timestamp(as_of - dt.timedelta(days=window_days - 1))
    end = pd.Timestamp(as_of + dt.timedelta(days=1))
    created = pd.to_datetime(cases["created_at"], errors="coerce")
    # a case without a date counts as recent when it is still open (it is not closed yet)
    recent = ((created >= start) & (created < end)) | (created.isna() & cases["is_open"])
    frame = cases.assign(_escalated_recent=cases["is_escalated"] & recent)
    grouped = frame.groupby("account_key", sort=True)
    out = pd.DataFrame(
        {
            "cases_total": grouped.size(),
            "cases_open": grouped["is_open"].sum(),
            "cases_escalated": grouped["_escalated_recent"].sum(),
        }
    )

    def top(reasons: pd.Series) -> list[str]:
        counts = reasons.dropna().value_counts()
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [name for name, _n in ordered[:3]]

    out["case_reasons"] = grouped["reason"].apply(top)
    out = out.reset_index()
    for name in ("cases_total", "cases_open", "cases_escalated"):
        out[name] = out[name].astype("int64")
    return out[columns]
