"""The account health table: one row per CRM account, with its risk level and the reasons."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ..errors import CXError
from ..filters import NO_FILTERS, Filters
from ..roles import clean_role_weights
from ..shared_views import shared_view
from ..sql import run
from ..weighting import weighted_account_nps
from ..workspace import Workspace
from ._cases import account_cases
from ._rules import DEFAULT_RULES, REASONS, RiskRules, as_dates, risk_level

# Account-level dimensions of the sidebar filters. Role, touchpoint and the date range are not
# applied: roles answered/missing and both periods are defined relative to ``as_of``.
ACCOUNT_DIMENSIONS: tuple[str, ...] = ("segment", "industry", "region", "owner")

HEALTH_COLUMNS: tuple[str, ...] = (
    "account_key",
    "account_id",
    "account_name",
    "segment",
    "owner",
    "arr",
    "renewal_date",
    "days_to_renewal",
    "churned",
    "respondents",
    "responses_total",
    "roles_responded",
    "roles_missing",
    "weighted_nps",
    "weighted_nps_previous",
    "nps_change",
    "detractors",
    "detractor_roles",
    "last_response",
    "latest_comments",
    "risk",
    "reasons",
    # support cases (empty without a cases file): see _cases.CASE_HEALTH_COLUMNS
    "cases_total",
    "cases_open",
    "cases_escalated",
    "case_reasons",
)


class NoCrmError(CXError):
    """Account views need a CRM file; pages check ``ws.has_crm`` first and say what to load."""

    code = "no_crm"


def account_filters(filters: Filters) -> Filters:
    """Only the account-level dimensions of ``filters`` (see :data:`ACCOUNT_DIMENSIONS`)."""
    return Filters.make(**{d: list(filters.selected(d)) for d in ACCOUNT_DIMENSIONS})


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)


def _per_account(ws: Workspace, filters: Filters, as_of: dt.date, rules: RiskRules) -> pd.DataFrame:
    """CRM fields plus counts, detractor roles and latest comments, computed in DuckDB."""
    (latest_from, _), _ = rules.periods(as_of)
    params: dict = {
        "as_of": as_of,
        "latest_from": dt.datetime.combine(latest_from, dt.time.min),
        "as_of_end": _day_end(as_of),
    }
    key_roles = [f"$key_role_{i}" for i in range(len(rules.key_roles))]
    for i, role in enumerate(rules.key_roles):
        params[f"key_role_{i}"] = role
    where = filters.where(params)
    sql = f"""
    WITH acc AS (
        SELECT account_key, account_id, coalesce(account_name, account_id) AS account_name,
               coalesce(segment, '(not set)') AS segment, coalesce(industry, '(not set)') AS industry,
               coalesce(region, '(not set)') AS region, coalesce(owner, '(not set)') AS owner,
               arr, renewal_date, coalesce(churned, false) AS churned
        FROM accounts
    ),
    chosen AS (SELECT * FROM acc {where}),
    resp AS (
        SELECT account_key, respondent_role, submitted_at, nps, comment,
               submitted_at >= $latest_from AS in_latest
        FROM responses
        WHERE account_key IS NOT NULL AND submitted_at < $as_of_end
    ),
    counts AS (
        SELECT account_key,
               count(*) FILTER (WHERE in_latest) AS respondents,
               count(*) AS responses_total,
               count(*) FILTER (WHERE in_latest AND nps <= 6) AS detractors,
               list_sort(list(DISTINCT respondent_role) FILTER (
                   WHERE in_latest AND nps <= 6 AND respondent_role IN ({", ".join(key_roles) or "NULL"})
               )) AS detractor_roles,
               max(submitted_at)::DATE AS last_response
        FROM resp GROUP BY account_key
    ),
    comments AS (
        SELECT account_key,
               string_agg(strftime(submitted_at, '%Y-%m-%d') || ': ' || comment, ' | '
                          ORDER BY submitted_at DESC) AS latest_comments
        FROM (
            SELECT *, row_number() OVER (PARTITION BY account_key ORDER BY submitted_at DESC) AS rn
            FROM resp WHERE comment IS NOT NULL AND trim(comment) <> ''
        ) WHERE rn <= 2
        GROUP BY account_key
    )
    SELECT c.account_key, c.account_id, c.account_name, c.segment, c.owner, c.arr, c.renewal_date,
           date_diff('day', $as_of::DATE, c.renewal_date) AS days_to_renewal, c.churned,
           coalesce(n.respondents, 0)::BIGINT AS respondents,
           coalesce(n.responses_total, 0)::BIGINT AS responses_total,
           coalesce(n.detractors, 0)::BIGINT AS detractors,
           coalesce(n.detractor_roles, []::VARCHAR[]) AS detractor_roles,
           n.last_response, m.latest_comments
    FROM chosen c
    LEFT JOIN counts n ON c.account_key = n.account_key
    LEFT JOIN comments m ON c.account_key = m.account_key
    ORDER BY c.account_key
    """
    return run(ws.con, sql, params)


def _nan_to_none(value):
    if value is None:
        return None
    try:
        return None if math.isnan(value) else float(value)
    except TypeError:
        return value


def account_health(
    ws: Workspace,
    as_of: dt.date,
    filters: Filters = NO_FILTERS,
    weights: dict[str, float] | None = None,
    rules: RiskRules = DEFAULT_RULES,
) -> pd.DataFrame:
    """One row per CRM account (columns :data:`HEALTH_COLUMNS`), riskiest and largest first.

    - ``weighted_nps`` is the role-weighted NPS (:func:`cx_core.weighting.weighted_account_nps`)
      of the latest period (the ``rules.period_days`` days up to ``as_of``); ``weighted_nps_previous``
      is the same for the period before; ``nps_change`` is their difference.
    - ``respondents``, ``roles_responded``, ``roles_missing`` (key roles that did not answer),
      ``detractors`` and ``detractor_roles`` (key roles with a 0-6 answer) are for the latest period.
    - ``reasons`` are codes of :data:`REASONS`; ``risk`` is :func:`risk_level` of them.

    Only responses up to ``as_of`` count. Requires a CRM file (raises :class:`NoCrmError`).
    Shared by the sessions on the same saved data set (:mod:`cx_core.shared_views`).
    """
    if not ws.has_crm:
        raise NoCrmError("error.no_crm")
    weights = clean_role_weights(weights)  # no weights and the default ones: one shared entry, the same numbers
    return shared_view(
        ws,
        "account_health",
        (as_of, filters, weights, rules),
        lambda: _account_health(ws, as_of, filters, weights, rules),
    )


def _account_health(
    ws: Workspace, as_of: dt.date, filters: Filters, weights: dict[str, float] | None, rules: RiskRules
) -> pd.DataFrame:
    chosen = account_filters(filters)
    base = _per_account(ws, chosen, as_of, rules)
    latest, previous = rules.periods(as_of)
    now = weighted_account_nps(ws, Filters(latest[0], latest[1]), weights)
    before = weighted_account_nps(ws, Filters(previous[0], previous[1]), weights)
    now = now.set_index("account_key")
    before = before.set_index("account_key")
    frame = base.copy()
    frame["renewal_date"] = as_dates(frame["renewal_date"])
    frame["last_response"] = as_dates(frame["last_response"])
    frame["days_to_renewal"] = frame["days_to_renewal"].map(lambda v: None if pd.isna(v) else int(v))
    frame["weighted_nps"] = frame["account_key"].map(now["weighted_nps"]).map(_nan_to_none)
    frame["weighted_nps_previous"] = frame["account_key"].map(before["weighted_nps"]).map(_nan_to_none)
    responded = now["roles_responded"].to_dict()
    frame["roles_responded"] = frame["account_key"].map(lambda k: list(responded.get(k, [])))
    frame["roles_missing"] = frame["roles_responded"].map(lambda got: [r for r in rules.key_roles if r not in got])
    frame["nps_change"] = [
        None if a is None or b is None else round(a - b, 2)
        for a, b in zip(frame["weighted_nps"], frame["weighted_nps_previous"], strict=True)
    ]
    frame["weighted_nps"] = frame["weighted_nps"].map(lambda v: None if v is None else round(v, 2))
    frame["weighted_nps_previous"] = frame["weighted_nps_previous"].map(lambda v: None if v is None else round(v, 2))
    frame["detractor_roles"] = frame["detractor_roles"].map(lambda v: [str(x) for x in v])
    support = account_cases(ws, as_of).set_index("account_key")
    for name in ("cases_total", "cases_open", "cases_escalated"):
        frame[name] = frame["account_key"].map(support[name]).fillna(0).astype("int64")
    reasons_by_key = support["case_reasons"].to_dict()
    frame["case_reasons"] = frame["account_key"].map(lambda k: list(reasons_by_key.get(k, [])))
    frame["reasons"] = [_reasons(row, rules) for row in frame.to_dict("records")]
    frame["risk"] = frame["reasons"].map(risk_level)
    order = {"high": 0, "medium": 1, "low": 2}
    frame["_order"] = frame["risk"].map(order)
    frame["_arr"] = frame["arr"].fillna(0.0)
    frame = frame.sort_values(["_order", "_arr", "account_key"], ascending=[True, False, True])
    return frame[list(HEALTH_COLUMNS)].reset_index(drop=True)


def _reasons(row: dict, rules: RiskRules) -> list[str]:
    found = set()
    if bool(row["churned"]):
        found.add("churned")
    if row["detractor_roles"] is not None and len(row["detractor_roles"]) > 0:
        found.add("detractor_decision_maker")
    days = row["days_to_renewal"]
    if days is not None and not pd.isna(days) and 0 <= days <= rules.renewal_days:
        found.add("renewal_soon")
    change = row["nps_change"]
    if change is not None and change < -rules.nps_drop:
        found.add("nps_drop")
    nps = row["weighted_nps"]
    if nps is not None and nps < rules.negative_nps:
        found.add("negative_nps")
    if rules.key_roles and len(row["roles_missing"]) == len(rules.key_roles):
        found.add("key_roles_silent")
    if row.get("cases_escalated", 0) > 0:
        found.add("escalated_cases")
    return [code for code in REASONS if code in found]


def risk_summary(health: pd.DataFrame) -> dict:
    """Counts and ARR by risk level: ``{"high": {"accounts": n, "arr": x}, ...}``."""
    result = {}
    for level in ("high", "medium", "low"):
        part = health[health["risk"] == level]
        result[level] = {"accounts": int(len(part)), "arr": float(part["arr"].fillna(0).sum())}
    return result
