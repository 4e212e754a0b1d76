"""One account for its account manager: answers over time by role, verbatims, drivers vs the
segment, and the next best actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..errors import InvalidParameterError
from ..messages import t
from ..sql import run, run_rows
from ..workspace import Workspace
from ._actions import MAX_ACTIONS, MIN_DRIVER_GAP, comment_needs, need_action, need_label
from ._health import account_health
from ._rules import DEFAULT_RULES, RiskRules, as_dates

DRIVER_WINDOW_DAYS = 365


@dataclass(frozen=True)
class AccountView:
    """Everything the Account page shows about one account.

    - ``health``: the account's row of :func:`account_health` (a dict).
    - ``timeline``: one row per day and role: ``day, role, answers, mean_nps, detractors``.
    - ``verbatims``: every non-empty comment up to ``as_of``, newest first:
      ``day, role, nps, touchpoint, comment, topics`` (topics are need codes).
    - ``drivers``: per driver over the last :data:`DRIVER_WINDOW_DAYS` days: ``driver, label, need,
      account_mean, account_n, segment_mean, segment_n, gap`` (weakest relative to segment first).
    - ``actions``: ``need, source ('driver'|'comments'), evidence, action`` (texts in ``lang``).
    """

    health: dict
    timeline: pd.DataFrame
    verbatims: pd.DataFrame
    drivers: pd.DataFrame
    actions: pd.DataFrame


def account_options(health: pd.DataFrame) -> list[tuple[str, str]]:
    """(account_key, "Name (ID)") for a picker, in the health table's order (riskiest first)."""
    return [(r.account_key, f"{r.account_name} ({r.account_id})") for r in health.itertuples()]


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)


def _timeline(ws: Workspace, key: str, as_of: dt.date) -> pd.DataFrame:
    sql = """
    SELECT submitted_at::DATE AS day, respondent_role AS role, count(*)::BIGINT AS answers,
           round(avg(nps), 2) AS mean_nps, sum(is_detractor)::BIGINT AS detractors
    FROM facts WHERE account_key = $key AND submitted_at < $end
    GROUP BY 1, 2 ORDER BY 1, 2
    """
    frame = run(ws.con, sql, {"key": key, "end": _day_end(as_of)})
    frame["day"] = as_dates(frame["day"])
    return frame


def _verbatims(ws: Workspace, key: str, as_of: dt.date) -> pd.DataFrame:
    sql = """
    SELECT submitted_at::DATE AS day, respondent_role AS role, nps, touchpoint, comment
    FROM facts
    WHERE account_key = $key AND submitted_at < $end AND comment IS NOT NULL AND trim(comment) <> ''
    ORDER BY submitted_at DESC
    """
    frame = run(ws.con, sql, {"key": key, "end": _day_end(as_of)})
    frame["day"] = as_dates(frame["day"])
    frame["topics"] = [comment_needs(c) if n <= 8 else [] for c, n in zip(frame["comment"], frame["nps"], strict=True)]
    return frame


def _drivers(ws: Workspace, key: str, segment: str, as_of: dt.date, window_days: int) -> pd.DataFrame:
    params = {
        "key": key,
        "segment": segment,
        "start": dt.datetime.combine(as_of - dt.timedelta(days=window_days - 1), dt.time.min),
        "end": _day_end(as_of),
    }
    sql = """
    WITH scoped AS (
        SELECT f.account_key, r.driver, r.score
        FROM facts f JOIN ratings r ON r.response_id = f.response_id
        WHERE f.segment = $segment AND f.submitted_at >= $start AND f.submitted_at < $end
          AND r.score IS NOT NULL
    )
    SELECT d.key AS driver, d.label, d.need,
           avg(s.score) FILTER (WHERE s.account_key = $key) AS account_mean,
           count(s.score) FILTER (WHERE s.account_key = $key)::BIGINT AS account_n,
           avg(s.score) AS segment_mean, count(s.score)::BIGINT AS segment_n
    FROM drivers d JOIN scoped s ON s.driver = d.key
    GROUP BY d.key, d.label, d.need
    """
    frame = run(ws.con, sql, params)
    frame["gap"] = (frame["account_mean"] - frame["segment_mean"]).round(2)
    frame["account_mean"] = frame["account_mean"].round(2)
    frame["segment_mean"] = frame["segment_mean"].round(2)
    return frame.sort_values(["gap", "driver"], na_position="last").reset_index(drop=True)


def _actions(drivers: pd.DataFrame, verbatims: pd.DataFrame, as_of: dt.date, lang: str) -> pd.DataFrame:
    """Weakest drivers (gap <= -MIN_DRIVER_GAP) first, then complaint topics of the last 90 days."""
    rows: list[dict] = []
    seen: set[str] = set()
    for d in drivers.itertuples():
        if d.account_n == 0 or pd.isna(d.gap) or d.gap > -MIN_DRIVER_GAP or d.need in seen:
            continue
        seen.add(d.need)
        evidence = t(
            "accounts.evidence.driver",
            lang,
            label=d.label,
            account=f"{d.account_mean:.2f}",
            segment=f"{d.segment_mean:.2f}",
            n=int(d.account_n),
        )
        rows.append({"need": d.need, "source": "driver", "evidence": evidence})
    recent = verbatims[verbatims["day"] >= as_of - dt.timedelta(days=89)] if len(verbatims) else verbatims
    counts: dict[str, int] = {}
    for topics in recent.get("topics", []):
        for need in topics:
            counts[need] = counts.get(need, 0) + 1
    for need, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        evidence = t("accounts.evidence.comments", lang, count=count)
        if need in seen:
            for row in rows:
                if row["need"] == need:
                    row["evidence"] += " · " + evidence
            continue
        seen.add(need)
        rows.append({"need": need, "source": "comments", "evidence": evidence})
    rows = rows[:MAX_ACTIONS]
    for row in rows:
        row["need_label"] = need_label(row["need"], lang)
        row["action"] = need_action(row["need"], lang)
    return pd.DataFrame(rows, columns=["need", "need_label", "source", "evidence", "action"])


def account_view(
    ws: Workspace,
    account_key: str,
    as_of: dt.date,
    *,
    lang: str = "en",
    weights: dict[str, float] | None = None,
    rules: RiskRules = DEFAULT_RULES,
    health: pd.DataFrame | None = None,
    driver_window_days: int = DRIVER_WINDOW_DAYS,
) -> AccountView:
    """The Account page's data for ``account_key`` (pass ``health`` to reuse a computed table)."""
    if health is None:
        health = account_health(ws, as_of, weights=weights, rules=rules)
    match = health[health["account_key"] == account_key]
    if match.empty:
        known = run_rows(ws.con, "SELECT count(*) FROM accounts WHERE account_key = $key", {"key": account_key})[0][0]
        if not known:
            raise InvalidParameterError("This account is not in the loaded CRM file.")
        health = account_health(ws, as_of, weights=weights, rules=rules)
        match = health[health["account_key"] == account_key]
    row = match.iloc[0].to_dict()
    timeline = _timeline(ws, account_key, as_of)
    verbatims = _verbatims(ws, account_key, as_of)
    drivers = _drivers(ws, account_key, row["segment"], as_of, driver_window_days)
    actions = _actions(drivers, verbatims, as_of, lang)
    return AccountView(row, timeline, verbatims, drivers, actions)
