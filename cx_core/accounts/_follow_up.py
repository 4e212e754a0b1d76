"""The closed loop: whom to call, why and about what, with done/note state kept in the workspace.

State lives in the session's own DuckDB (table ``follow_up_notes``), so it disappears with the
session and is never shared. The workspace is locked down for file access, but creating and
writing tables inside it is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from ..errors import InvalidParameterError
from ..filters import NO_FILTERS, Filters
from ..messages import t
from ..roles import clean_role_weights, role_label
from ..shared_views import shared_view
from ..sql import run
from ..workspace import Workspace
from ._actions import account_action, comment_needs, need_action, reasons_text
from ._health import account_filters, account_health
from ._rules import DEFAULT_RULES, RiskRules, add_business_days

NOTES_TABLE = "follow_up_notes"
MAX_NOTE_CHARS = 2000

FOLLOW_UP_COLUMNS: tuple[str, ...] = (
    "item_id",
    "kind",
    "account_id",
    "account_name",
    "owner",
    "arr",
    "risk",
    "reason",
    "comment",
    "action",
    "due_date",
    "done",
    "note",
)


def _ensure_notes(ws: Workspace) -> None:
    ws.con.execute(
        f"CREATE TABLE IF NOT EXISTS {NOTES_TABLE} ("
        "item_id VARCHAR PRIMARY KEY, done BOOLEAN NOT NULL, note VARCHAR, updated_at TIMESTAMP)"
    )


def follow_up_state(ws: Workspace) -> pd.DataFrame:
    """Saved state: ``item_id, done, note, updated_at`` (empty before anything is saved)."""
    _ensure_notes(ws)
    return run(ws.con, f"SELECT item_id, done, note, updated_at FROM {NOTES_TABLE} ORDER BY item_id")


def save_follow_up(ws: Workspace, item_id: str, done: bool, note: str | None = None) -> None:
    """Mark one follow-up item done or open and set its note (replaces earlier state)."""
    save_follow_ups(ws, [(item_id, done, note)])


def save_follow_ups(ws: Workspace, changes: Iterable[tuple[str, bool, str | None]]) -> int:
    """Save several ``(item_id, done, note)`` changes at once; returns how many were saved."""
    _ensure_notes(ws)
    count = 0
    now = dt.datetime.now().replace(microsecond=0)
    for item_id, done, note in changes:
        if not isinstance(item_id, str) or not item_id:
            raise InvalidParameterError("error.follow_up_no_id")
        text = None if note is None or (isinstance(note, float) and note != note) else str(note)[:MAX_NOTE_CHARS]
        ws.con.execute(
            f"INSERT OR REPLACE INTO {NOTES_TABLE} VALUES ($item_id, $done, $note, $at)",
            {"item_id": item_id, "done": bool(done), "note": text or None, "at": now},
        )
        count += 1
    if count:
        ws.touch()  # views memoised on the previous notes are computed again
    return count


def _detractors(ws: Workspace, filters: Filters, as_of: dt.date, rules: RiskRules) -> pd.DataFrame:
    """Every 0-6 answer of the latest period with the need of its lowest-rated driver."""
    (latest_from, _), _ = rules.periods(as_of)
    params: dict = {
        "start": dt.datetime.combine(latest_from, dt.time.min),
        "end": dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min),
    }
    where = account_filters(filters).where(params, extra=["nps <= 6", "submitted_at >= $start", "submitted_at < $end"])
    sql = f"""
    WITH weakest AS (
        SELECT r.response_id, arg_min(d.need, r.score) AS need
        FROM ratings r JOIN drivers d ON d.key = r.driver
        WHERE r.score IS NOT NULL
        GROUP BY r.response_id
    )
    SELECT coalesce(f.response_id, 'row ' || f.source_row::VARCHAR) AS response_ref, f.account_key,
           f.account_id, coalesce(f.account_name, f.account_id) AS account_name, f.owner, f.arr,
           f.respondent_role AS role, f.nps, f.submitted_at::DATE AS day, f.comment, w.need AS weakest_need
    FROM facts f LEFT JOIN weakest w ON w.response_id = f.response_id
    {where}
    ORDER BY f.submitted_at, response_ref
    """
    return run(ws.con, sql, params)


def follow_up_list(
    ws: Workspace,
    as_of: dt.date,
    *,
    lang: str,
    filters: Filters = NO_FILTERS,
    weights: dict[str, float] | None = None,
    rules: RiskRules = DEFAULT_RULES,
    health: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every detractor of the latest period and every high-risk account (columns
    :data:`FOLLOW_UP_COLUMNS`), largest ARR first, with the saved done/note state.

    - kind ``account``: a high-risk account of :func:`account_health`; reason = its risk reasons;
      action = the action of its most urgent reason; due ``rules.account_due_days`` after ``as_of``.
    - kind ``detractor``: one 0-6 answer; action = from the comment's topic, else from the
      respondent's lowest-rated driver; due ``rules.detractor_due_business_days`` business days
      after ``as_of``.
    Needs a CRM file for accounts (without one, only detractors are listed).

    The items are shared by the sessions on the same saved data set (:mod:`cx_core.shared_views`);
    the done/note state is this session's, read on every call.
    """
    weights = clean_role_weights(weights)  # no weights and the default ones: one shared entry, the same items
    frame = shared_view(
        ws,
        "follow_up_items",
        (as_of, lang, filters, weights, rules, health),
        lambda: _follow_up_items(ws, as_of, lang, filters, weights, rules, health),
    )
    state = follow_up_state(ws).set_index("item_id")
    done, notes = state["done"].to_dict(), state["note"].to_dict()
    frame["done"] = [bool(done.get(i, False)) for i in frame["item_id"]]
    frame["note"] = [notes.get(i) for i in frame["item_id"]]
    frame["_arr"] = frame["arr"].astype("float64").fillna(-1.0)
    frame["_kind"] = (frame["kind"] != "account").astype(int)
    frame = frame.sort_values(["_arr", "_kind", "due_date", "item_id"], ascending=[False, True, True, True])
    return frame[list(FOLLOW_UP_COLUMNS)].reset_index(drop=True)


def _follow_up_items(
    ws: Workspace,
    as_of: dt.date,
    lang: str,
    filters: Filters,
    weights: dict[str, float] | None,
    rules: RiskRules,
    health: pd.DataFrame | None,
) -> pd.DataFrame:
    """The follow-up items of :func:`follow_up_list` before the saved done/note state is laid over."""
    rows: list[dict] = []
    risk_by_key: dict[str, str] = {}
    if ws.has_crm:
        if health is None:
            health = account_health(ws, as_of, filters, weights, rules)
        risk_by_key = dict(zip(health["account_key"], health["risk"], strict=True))
        account_due = as_of + dt.timedelta(days=rules.account_due_days)
        for acc in health[health["risk"] == "high"].to_dict("records"):
            rows.append(
                {
                    "item_id": f"account:{acc['account_key']}",
                    "kind": "account",
                    "account_id": acc["account_id"],
                    "account_name": acc["account_name"],
                    "owner": acc["owner"],
                    "arr": acc["arr"],
                    "risk": "high",
                    "reason": reasons_text(acc["reasons"], lang, rules),
                    "comment": acc["latest_comments"],
                    "action": account_action(acc["reasons"], lang),
                    "due_date": account_due,
                }
            )
    detractor_due = add_business_days(as_of, rules.detractor_due_business_days)
    for d in _detractors(ws, filters, as_of, rules).to_dict("records"):
        needs = comment_needs(d["comment"])
        need = needs[0] if needs else (d["weakest_need"] or "other")
        day = pd.Timestamp(d["day"]).date()
        rows.append(
            {
                "item_id": f"response:{d['response_ref']}",
                "kind": "detractor",
                "account_id": d["account_id"],
                "account_name": d["account_name"],
                "owner": d["owner"],
                "arr": d["arr"],
                "risk": risk_by_key.get(d["account_key"]),
                "reason": t(
                    "follow_up.detractor_reason", lang, role=role_label(d["role"], lang), score=d["nps"], date=day
                ),
                "comment": d["comment"],
                "action": need_action(need, lang),
                "due_date": detractor_due,
            }
        )
    return pd.DataFrame(rows, columns=[c for c in FOLLOW_UP_COLUMNS if c not in ("done", "note")])


#: Columns a search of the follow-up list looks in: who, whom, why and what was written.
FOLLOW_UP_SEARCHED = ("account_name", "account_id", "owner", "reason", "comment", "action", "note")


def find_follow_ups(
    items: pd.DataFrame, *, query: str = "", owners: tuple[str, ...] = (), include_done: bool = True
) -> pd.DataFrame:
    """The items of a follow-up list a person looks for: every word of ``query`` found (case
    ignored) in the account, owner, reason, comment, action or note; owned by one of ``owners`` (all
    when empty); done items left out unless ``include_done``. Order kept, index renumbered.

    >>> import pandas as pd
    >>> items = pd.DataFrame({"account_name": ["Acme", "Nippon 1"], "account_id": ["A1", "N1"],
    ...     "owner": ["Ito", "Sato"], "reason": ["Renewal soon", "Detractor"], "comment": [None, "遅い"],
    ...     "action": ["Call", "Call"], "note": [None, None], "done": [False, True]})
    >>> find_follow_ups(items, query="nippon 遅い")["account_id"].tolist()
    ['N1']
    >>> find_follow_ups(items, include_done=False)["account_id"].tolist()
    ['A1']
    """
    keep = pd.Series(True, index=items.index)
    if owners:
        keep &= items["owner"].isin(owners)
    if not include_done:
        keep &= ~items["done"].astype(bool)
    words = str(query).casefold().split()
    if words:
        columns = [c for c in FOLLOW_UP_SEARCHED if c in items.columns]
        text = items[columns].astype(object).where(items[columns].notna(), "").astype(str).agg(" ".join, axis=1)
        text = text.str.casefold()
        for word in words:
            keep &= text.str.contains(word, regex=False)
    return items[keep].reset_index(drop=True)


def follow_up_totals(items: pd.DataFrame) -> dict:
    """Counts of the list: items, open items, at-risk accounts and their ARR (the ARR at risk)."""
    accounts = items[items["kind"] == "account"]
    return {
        "items": int(len(items)),
        "open": int((~items["done"].astype(bool)).sum()),
        "detractors": int((items["kind"] == "detractor").sum()),
        "accounts_at_risk": int(len(accounts)),
        "arr_at_risk": float(accounts["arr"].astype("float64").fillna(0).sum()),
    }


def accounts_summary(
    ws: Workspace,
    as_of: dt.date,
    filters: Filters = NO_FILTERS,
    weights: dict[str, float] | None = None,
    rules: RiskRules = DEFAULT_RULES,
) -> dict:
    """The summary keys of the CLI: ``as_of``, ``accounts``, ``account_outcomes``, ``follow_up``."""
    from ._outcomes import cx_outcomes

    health = account_health(ws, as_of, filters, weights, rules)
    outcomes = cx_outcomes(health)
    items = follow_up_list(ws, as_of, lang="en", filters=filters, weights=weights, rules=rules, health=health)

    def plain(value):
        if value is None or (isinstance(value, float) and value != value):
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    accounts = [
        {
            "account_id": row["account_id"],
            "account_name": row["account_name"],
            "owner": row["owner"],
            "arr": plain(row["arr"]),
            "renewal_date": plain(row["renewal_date"]),
            "weighted_nps": plain(row["weighted_nps"]),
            "nps_change": plain(row["nps_change"]),
            "respondents": int(row["respondents"]),
            "roles_responded": list(row["roles_responded"]),
            "roles_missing": list(row["roles_missing"]),
            "detractors": int(row["detractors"]),
            "risk": row["risk"],
            "reasons": list(row["reasons"]),
            # support cases (0 and [] without a cases file)
            "cases_total": int(row["cases_total"]),
            "cases_open": int(row["cases_open"]),
            "cases_escalated": int(row["cases_escalated"]),
            "case_reasons": list(row["case_reasons"]),
        }
        for row in health.to_dict("records")
    ]
    follow_up = [{k: plain(v) for k, v in row.items()} for row in items.to_dict("records")]
    return {
        "as_of": as_of.isoformat(),
        "account_rules": rules.to_dict(),
        "accounts": accounts,
        "account_outcomes": outcomes.to_dict() | {"follow_up_totals": follow_up_totals(items)},
        "follow_up": follow_up,
    }
