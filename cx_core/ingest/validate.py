"""Typed canonical tables from a parsed file and its mapping; every rejected row keeps its reason."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import MappingError
from ..roles import normalise_role
from ..schema import SCALES, Driver, make_driver
from .mapping import Mapping
from .parse import RawTable, Rejection
from .values import is_empty, normalise_account_key, parse_bool, parse_dates, parse_number, parse_score

RESPONSE_COLUMNS = (
    "response_id",
    "account_id",
    "account_key",
    "respondent_role",
    "role_label",
    "submitted_at",
    "nps",
    "csat",
    "ces",
    "comment",
    "journey_stage",
    "touchpoint",
    "survey_type",
    "source_row",
)
ACCOUNT_COLUMNS = (
    "account_id",
    "account_key",
    "account_name",
    "segment",
    "industry",
    "region",
    "arr",
    "renewal_date",
    "churned",
    "owner",
)


@dataclass
class SurveyData:
    """Validated survey responses (one row each) and driver ratings (long form)."""

    responses: pd.DataFrame
    ratings: pd.DataFrame  # response_id, driver, score
    drivers: list[Driver]
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class CrmData:
    """Validated CRM accounts, one row per account id."""

    accounts: pd.DataFrame
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _text(series: pd.Series) -> pd.Series:
    return series.map(lambda v: None if is_empty(v) else " ".join(str(v).split()))


def _column(table: RawTable, mapping: Mapping, name: str) -> pd.Series | None:
    column = mapping.fields.get(name)
    return table.frame[column] if column else None


def validate_survey(table: RawTable, mapping: Mapping) -> SurveyData:
    """Build the canonical responses table; reject rows without a valid 0-10 NPS and duplicates."""
    mapping.check_against(list(table.frame.columns))
    if not mapping.fields.get("nps"):
        raise MappingError("Choose which column holds the 0-10 'likelihood to recommend' (NPS) answer.")
    frame = table.frame
    n = len(frame)
    rows = pd.Series(table.row_numbers, index=frame.index, dtype="int64")
    reasons = pd.Series([None] * n, index=frame.index, dtype=object)

    def reject(mask: pd.Series, reason) -> None:
        mask = mask & reasons.isna()
        if mask.any():
            reasons[mask] = reason if isinstance(reason, str) else reason[mask]

    out = pd.DataFrame(index=frame.index)
    rid = _column(table, mapping, "response_id")
    out["response_id"] = _text(rid) if rid is not None else None
    missing_id = out["response_id"].isna()
    out.loc[missing_id, "response_id"] = "row-" + rows[missing_id].astype(str)
    acc = _column(table, mapping, "account_id")
    out["account_id"] = _text(acc) if acc is not None else None
    out["account_key"] = out["account_id"].map(normalise_account_key)
    role = _column(table, mapping, "respondent_role")
    out["role_label"] = _text(role) if role is not None else None
    out["respondent_role"] = out["role_label"].map(normalise_role)
    when = _column(table, mapping, "submitted_at")
    out["submitted_at"] = parse_dates(when) if when is not None else pd.NaT
    if when is not None:
        bad_dates = int((out["submitted_at"].isna() & ~when.map(is_empty)).sum())
        if bad_dates:
            table.notes.append(f"{bad_dates} response date(s) could not be read and were left empty.")
    for score in ("nps", "csat", "ces"):
        source = _column(table, mapping, score)
        if source is None:
            out[score] = None
            continue
        parsed = source.map(parse_score)
        lo, hi = SCALES[score]
        label = score.upper()
        unreadable = parsed.isna() & ~source.map(is_empty)
        reject(unreadable, source.map(lambda v, s=label: f"{s} value {str(v)[:40]!r} is not a number"))
        bad = parsed.notna() & ((parsed < lo) | (parsed > hi) | (parsed % 1 != 0))
        reject(bad, parsed.map(lambda v, s=label, a=lo, b=hi: f"{s} {v:g} is outside {a}-{b}" if v == v else ""))
        out[score] = parsed
    reject(out["nps"].isna(), "NPS answer is missing")
    for name in ("comment", "journey_stage", "touchpoint", "survey_type"):
        source = _column(table, mapping, name)
        out[name] = _text(source) if source is not None else None
    out["source_row"] = rows
    duplicated = out["response_id"].duplicated(keep="first") & reasons.isna()
    reject(duplicated, out["response_id"].map(lambda v: f"duplicate response id {str(v)[:40]!r}"))

    drivers: list[Driver] = []
    long_parts = []
    for d in mapping.drivers:
        driver = make_driver(d["label"], need=d.get("need"))
        drivers.append(driver)
        parsed = frame[d["column"]].map(parse_score)
        part = pd.DataFrame({"response_id": out["response_id"], "driver": driver.key, "score": parsed})
        long_parts.append(part)

    keep = reasons.isna()
    rejected = [Rejection(int(r), str(reason)) for r, reason in zip(rows[~keep], reasons[~keep], strict=False)]
    responses = out.loc[keep, list(RESPONSE_COLUMNS)].reset_index(drop=True)
    responses["nps"] = responses["nps"].astype("int64")
    for score in ("csat", "ces"):
        responses[score] = pd.to_numeric(responses[score], errors="coerce").astype("float64")
    if long_parts:
        ratings = pd.concat(long_parts)
        ratings = ratings.loc[keep.reindex(ratings.index).to_numpy() & ratings["score"].notna().to_numpy()]
        ratings = ratings.reset_index(drop=True)
        ratings["score"] = ratings["score"].astype("float64")
    else:
        ratings = pd.DataFrame(
            {
                "response_id": pd.Series(dtype=object),
                "driver": pd.Series(dtype=object),
                "score": pd.Series(dtype="float64"),
            }
        )
    return SurveyData(responses, ratings, drivers, table.rejected + rejected, list(table.notes))


def validate_crm(table: RawTable, mapping: Mapping) -> CrmData:
    """Build the canonical accounts table; reject rows without an account id and duplicates."""
    mapping.check_against(list(table.frame.columns))
    if not mapping.fields.get("account_id"):
        raise MappingError("Choose which CRM column holds the account id.")
    frame = table.frame
    rows = pd.Series(table.row_numbers, index=frame.index, dtype="int64")
    out = pd.DataFrame(index=frame.index)
    out["account_id"] = _text(frame[mapping.fields["account_id"]])
    out["account_key"] = out["account_id"].map(normalise_account_key)
    for name in ("account_name", "segment", "industry", "region", "owner"):
        source = _column(table, mapping, name)
        out[name] = _text(source) if source is not None else None
    arr = _column(table, mapping, "arr")
    out["arr"] = arr.map(parse_number).astype("float64") if arr is not None else float("nan")
    renewal = _column(table, mapping, "renewal_date")
    out["renewal_date"] = parse_dates(renewal).dt.date if renewal is not None else None
    churned = _column(table, mapping, "churned")
    out["churned"] = churned.map(parse_bool) if churned is not None else None
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    reasons[out["account_key"].isna()] = "account id is missing"
    dup = out["account_key"].duplicated(keep="first") & reasons.isna()
    reasons[dup] = out.loc[dup, "account_id"].map(lambda v: f"duplicate account id {str(v)[:40]!r}")
    keep = reasons.isna()
    rejected = [Rejection(int(r), str(x)) for r, x in zip(rows[~keep], reasons[~keep], strict=False)]
    accounts = out.loc[keep, list(ACCOUNT_COLUMNS)].reset_index(drop=True)
    return CrmData(accounts, table.rejected + rejected, list(table.notes))
