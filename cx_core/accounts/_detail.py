"""One account for its account manager: answers over time by role, verbatims and their themes,
drivers vs the segment, and the next best actions.

Themes come from the themes engine (cx_core.themes) run over every comment of the workspace, not
just this account's: themes found in thousands of comments are steadier and named the same on
every account, and each of the account's comments is looked up by its response id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..errors import InvalidParameterError
from ..messages import t
from ..sql import run, run_rows
from ..themes import ThemeEngine, ThemeResult, comments_from_workspace, extract_themes
from ..workspace import Workspace
from ._actions import MAX_ACTIONS, MIN_DRIVER_GAP, need_action, need_label, theme_need
from ._cases import account_case_list
from ._health import account_health
from ._rules import DEFAULT_RULES, RiskRules, as_dates

DRIVER_WINDOW_DAYS = 365
THEME_WINDOW_DAYS = 90
"""Only comments of the last 90 days turn a theme into an action (older ones are shown, not acted on)."""
NON_PROMOTER_MAX = 8

THEME_COLUMNS = [
    "key",
    "label",
    "need",
    "count",
    "non_promoters",
    "recent_complaints",
    "mean_nps",
    "theme_nps",
    "complaint",
    "latest_day",
    "quote_id",
    "quote",
]
ACTION_COLUMNS = ["need", "need_label", "source", "evidence", "action"]


@dataclass(frozen=True)
class AccountView:
    """Everything the Account page shows about one account.

    - ``health``: the account's row of :func:`account_health` (a dict).
    - ``timeline``: one row per day and role: ``day, role, answers, mean_nps, detractors``.
    - ``verbatims``: every non-empty comment up to ``as_of``, newest first:
      ``response_id, day, role, nps, touchpoint, comment, themes`` (theme keys).
    - ``drivers``: per driver over the last :data:`DRIVER_WINDOW_DAYS` days: ``driver, label, need,
      account_mean, account_n, segment_mean, segment_n, gap`` (weakest relative to segment first).
    - ``themes``: the account's themes (:data:`THEME_COLUMNS`): ``count`` of its comments in the
      theme, how many from non-promoters, how many of those in the last :data:`THEME_WINDOW_DAYS`
      days (``recent_complaints``), its mean score, the theme's NPS over the whole data set,
      ``complaint`` (the theme is a complaint), and the newest comment as an example quote.
    - ``actions``: ``need, need_label, source ('driver'|'theme'|'driver+theme'), evidence, action``
      (texts in ``lang``).
    """

    health: dict
    timeline: pd.DataFrame
    verbatims: pd.DataFrame
    drivers: pd.DataFrame
    themes: pd.DataFrame
    actions: pd.DataFrame
    # support cases of the account (open and escalated first); empty without a cases file
    cases: pd.DataFrame | None = None


def dataset_themes(ws: Workspace) -> ThemeResult:
    """Offline themes of every comment in the workspace (no filters: more comments, steadier themes).

    Pages cache this by a hash of the comments; :func:`account_view` calls it when not given themes.
    """
    return extract_themes(comments_from_workspace(ws), ThemeEngine.OFFLINE)


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


def _verbatims(ws: Workspace, key: str, as_of: dt.date, themes: ThemeResult) -> pd.DataFrame:
    sql = """
    SELECT response_id, submitted_at::DATE AS day, respondent_role AS role, nps, touchpoint, comment
    FROM facts
    WHERE account_key = $key AND submitted_at < $end AND comment IS NOT NULL AND trim(comment) <> ''
    ORDER BY submitted_at DESC, response_id
    """
    frame = run(ws.con, sql, {"key": key, "end": _day_end(as_of)})
    frame["response_id"] = frame["response_id"].astype(str)
    frame["day"] = as_dates(frame["day"])
    frame["themes"] = [list(themes.assignments.get(rid, [])) for rid in frame["response_id"]]
    return frame


def _account_themes(verbatims: pd.DataFrame, themes: ThemeResult, as_of: dt.date) -> pd.DataFrame:
    """One row per theme of the data set that this account's comments belong to (see AccountView)."""
    recent_from = as_of - dt.timedelta(days=THEME_WINDOW_DAYS - 1)
    rows = []
    for theme in themes.themes:
        mine = verbatims[[theme.key in keys for keys in verbatims["themes"]]]
        if mine.empty:
            continue
        scores = mine["nps"].dropna()
        non_promoters = mine[mine["nps"] <= NON_PROMOTER_MAX]
        recent = non_promoters[non_promoters["day"] >= recent_from]
        # A theme is a complaint when its commenters across the data set are more detractors than
        # promoters; without scores, when this account's own comments are detractors.
        if theme.nps is not None:
            complaint = theme.nps < 0
        else:
            complaint = bool(len(scores)) and float(scores.mean()) <= 6
        example = (recent if complaint and len(recent) else mine).iloc[0]  # newest first
        rows.append(
            {
                "key": theme.key,
                "label": theme.label,
                "need": theme_need(theme.label, theme.keywords, theme.need),
                "count": len(mine),
                "non_promoters": len(non_promoters),
                "recent_complaints": len(recent) if complaint else 0,
                "mean_nps": round(float(scores.mean()), 2) if len(scores) else None,
                "theme_nps": theme.nps,
                "complaint": bool(complaint),
                "latest_day": mine["day"].iloc[0],
                "quote_id": str(example["response_id"]),
                "quote": str(example["comment"]),
            }
        )
    frame = pd.DataFrame(rows, columns=THEME_COLUMNS)
    if frame.empty:
        return frame
    return frame.sort_values(["recent_complaints", "count", "key"], ascending=[False, False, True]).reset_index(
        drop=True
    )


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


def _actions(drivers: pd.DataFrame, themes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Needs of the weakest drivers (gap <= -MIN_DRIVER_GAP) and of recent complaint themes.

    A need backed by both a weak driver and a theme comes first, then weak drivers (largest gap
    first), then themes (most recent complaints first); at most :data:`MAX_ACTIONS`.
    """
    rows: dict[str, dict] = {}
    for d in drivers.itertuples():
        if d.account_n == 0 or pd.isna(d.gap) or d.gap > -MIN_DRIVER_GAP or d.need in rows:
            continue
        evidence = t(
            "accounts.evidence.driver",
            lang,
            label=d.label,
            account=f"{d.account_mean:.2f}",
            segment=f"{d.segment_mean:.2f}",
            n=int(d.account_n),
        )
        rows[d.need] = {"need": d.need, "driver": True, "theme": False, "evidence": [evidence], "order": len(rows)}
    for th in themes.itertuples():
        if not th.complaint or th.recent_complaints == 0:
            continue
        evidence = t(
            "accounts.evidence.theme", lang, label=th.label, count=int(th.recent_complaints), response_id=th.quote_id
        )
        row = rows.setdefault(
            th.need, {"need": th.need, "driver": False, "theme": False, "evidence": [], "order": len(rows)}
        )
        row["theme"] = True
        row["evidence"].append(evidence)
    ranked = sorted(rows.values(), key=lambda r: (not (r["driver"] and r["theme"]), not r["driver"], r["order"]))
    out = [
        {
            "need": r["need"],
            "need_label": need_label(r["need"], lang),
            "source": "+".join(s for s in ("driver", "theme") if r[s]),
            "evidence": " · ".join(r["evidence"]),
            "action": need_action(r["need"], lang),
        }
        for r in ranked[:MAX_ACTIONS]
    ]
    return pd.DataFrame(out, columns=ACTION_COLUMNS)


def account_view(
    ws: Workspace,
    account_key: str,
    as_of: dt.date,
    *,
    lang: str,
    weights: dict[str, float] | None = None,
    rules: RiskRules = DEFAULT_RULES,
    health: pd.DataFrame | None = None,
    driver_window_days: int = DRIVER_WINDOW_DAYS,
    themes: ThemeResult | None = None,
) -> AccountView:
    """The Account page's data for ``account_key``.

    Pass ``health`` to reuse a computed health table and ``themes`` to reuse the themes of the
    whole data set (:func:`dataset_themes`, or an LLM-named result of the same comments).
    """
    if health is None:
        health = account_health(ws, as_of, weights=weights, rules=rules)
    match = health[health["account_key"] == account_key]
    if match.empty:
        known = run_rows(ws.con, "SELECT count(*) FROM accounts WHERE account_key = $key", {"key": account_key})[0][0]
        if not known:
            raise InvalidParameterError("error.unknown_account")
        health = account_health(ws, as_of, weights=weights, rules=rules)
        match = health[health["account_key"] == account_key]
    row = match.iloc[0].to_dict()
    timeline = _timeline(ws, account_key, as_of)
    if themes is None:
        themes = dataset_themes(ws)
    verbatims = _verbatims(ws, account_key, as_of, themes)
    account_themes = _account_themes(verbatims, themes, as_of)
    drivers = _drivers(ws, account_key, row["segment"], as_of, driver_window_days)
    actions = _actions(drivers, account_themes, lang)
    return AccountView(
        row, timeline, verbatims, drivers, account_themes, actions, account_case_list(ws, account_key, as_of)
    )
