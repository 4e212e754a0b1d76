"""Views of a theme result: table, theme x segment/role, impact on NPS, trend by quarter.

Comments are read from the workspace with the shared filters (parameterised SQL); the views are
small aggregates (one row per theme and group), never raw rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from ..filters import NO_FILTERS, Filters
from ..sql import run
from ..stats import (
    Z95,
    ClusterSums,
    clustered_share_difference,
    clusters_of,
    group_design_effect,
    holm_adjust,
    intraclass_correlation,
    nps_cluster_sums,
    nps_difference_test,
    nps_from_counts,
    share_cluster_sums,
)
from ..workspace import Workspace
from ._types import CommentRecord, ThemeResult


def comments_from_workspace(
    ws: Workspace, filters: Filters = NO_FILTERS, question: str | None = None
) -> list[CommentRecord]:
    """The non-empty answers to open questions of the filtered responses, with NPS, segment, role, date.

    ``question`` (the column of one open question, see ``questions_summary``) keeps that question's
    answers, one record per response. Without it every open question counts: a response that
    answered several is one record whose text joins its answers (``answers`` keeps each with its
    question), so a response id stays one comment for the theme engines.
    """
    params: dict = {}
    where = filters.where(params)
    extra = ""
    if question is not None:
        params["cm_question"] = str(question)
        extra = 'AND a."column" = $cm_question '
    frame = run(
        ws.con,
        "SELECT a.response_id, a.question, a.text, f.nps, f.segment, f.respondent_role, f.submitted_at, "
        "f.account_key FROM answers a JOIN (SELECT response_id, nps, segment, respondent_role, submitted_at, "
        "account_key "
        f"FROM facts {where}) f ON f.response_id = a.response_id "
        f"WHERE trim(a.text) <> '' {extra}ORDER BY a.response_id",
        params,
    )
    if frame.empty and question is None:
        return _comment_column_records(ws, filters)  # a workspace saved before open questions were kept
    grouped: dict[str, list] = {}
    for rid, asked, text, nps, segment, role, when, account in frame.itertuples(index=False, name=None):
        grouped.setdefault(str(rid), []).append((str(asked), str(text), nps, segment, role, when, account))
    records = []
    for rid, parts in grouped.items():
        _, _, nps, segment, role, when, account = parts[0]
        questions = {p[0] for p in parts}
        records.append(
            CommentRecord(
                response_id=rid,
                text="\n".join(p[1] for p in parts),
                nps=None if pd.isna(nps) else float(nps),
                segment=None if pd.isna(segment) else str(segment),
                role=None if pd.isna(role) else str(role),
                submitted_at=None if pd.isna(when) else pd.Timestamp(when).to_pydatetime(),
                question=parts[0][0] if len(questions) == 1 else None,
                answers=tuple((p[0], p[1]) for p in parts),
                account=None if pd.isna(account) else str(account),
            )
        )
    return records


def _comment_column_records(ws: Workspace, filters: Filters) -> list[CommentRecord]:
    params: dict = {}
    where = filters.where(params, extra=["comment IS NOT NULL", "trim(comment) <> ''"])
    frame = run(
        ws.con,
        f"SELECT response_id, comment, nps, segment, respondent_role, submitted_at, account_key FROM facts {where} "
        "ORDER BY response_id",
        params,
    )
    records = []
    for rid, text, nps, segment, role, when, account in frame.itertuples(index=False, name=None):
        records.append(
            CommentRecord(
                response_id=str(rid),
                text=str(text),
                nps=None if pd.isna(nps) else float(nps),
                segment=None if pd.isna(segment) else str(segment),
                role=None if pd.isna(role) else str(role),
                submitted_at=None if pd.isna(when) else pd.Timestamp(when).to_pydatetime(),
                account=None if pd.isna(account) else str(account),
            )
        )
    return records


def with_questions(result: ThemeResult, comments: list[CommentRecord]) -> ThemeResult:
    """The result with each quote's ``question`` set: the open question whose answer holds the quote."""
    by_id = {c.response_id: c for c in comments}

    def question_of(quote) -> str | None:
        record = by_id.get(quote.response_id)
        if record is None:
            return None
        if record.question is not None or not record.answers:
            return record.question
        needle = (quote.excerpt or quote.text or "").strip()
        for asked, text in record.answers:
            if needle and needle in text:
                return asked
        return record.answers[0][0] if len(record.answers) == 1 else None

    for theme in result.themes:
        theme.quotes = [replace(q, question=question_of(q)) for q in theme.quotes]
    return result


def crm_names(ws: Workspace) -> list[str]:
    """Account names known from the CRM (to redact before text leaves the machine)."""
    if not ws.has_crm:
        return []
    frame = run(ws.con, "SELECT DISTINCT account_name FROM accounts WHERE account_name IS NOT NULL")
    return [str(v) for v in frame["account_name"]]


def topic_split(result: ThemeResult) -> dict[str, dict[str, int]]:
    """Comments per side ("praise", "complaint", "request", "neutral") of each topic split by polarity."""
    split: dict[str, dict[str, int]] = {}
    for theme in result.themes:
        if theme.topic and not theme.general:
            sides = split.setdefault(theme.topic, {"praise": 0, "complaint": 0, "neutral": 0, "request": 0})
            sides[theme.side or "neutral"] += theme.count
    return split


_TABLE_COLUMNS = [
    "key",
    "label",
    "topic",
    "side",
    "general",
    "count",
    "share",
    "mean_nps",
    "detractor_share",
    "nps",
    "topic_praise",
    "topic_complaint",
    "topic_neutral",
    "topic_request",
    "support",
    "need",
    "description",
    "action",
    "source",
]


def theme_table(result: ThemeResult) -> pd.DataFrame:
    """One row per theme: key, label, topic and side, count, share, mean NPS, detractor share, NPS,
    the comments of each side of its topic (``topic_praise``/``topic_complaint``/``topic_neutral``/
    ``topic_request``),
    ``support`` (share of an offline name's mentions that use its words; None for general groups and
    LLM names), need, description, action, source."""
    split = topic_split(result)
    rows = []
    for t in result.themes:
        sides = split.get(t.topic, {}) if not t.general else {}
        rows.append(
            {
                "key": t.key,
                "label": t.label,
                "topic": t.topic,
                "side": t.side,
                "general": t.general,
                "count": t.count,
                "share": t.share,
                "mean_nps": t.mean_nps,
                "detractor_share": t.detractor_share,
                "nps": t.nps,
                "topic_praise": sides.get("praise", t.count if t.side == "praise" else 0),
                "topic_complaint": sides.get("complaint", t.count if t.side == "complaint" else 0),
                "topic_neutral": sides.get("neutral", t.count if t.side == "neutral" else 0),
                "topic_request": sides.get("request", t.count if t.side == "request" else 0),
                "support": None if t.general or t.source != "offline" else t.support,
                "need": t.need,
                "description": t.description,
                "action": t.action,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows, columns=_TABLE_COLUMNS)


def _frames(result: ThemeResult, comments: list[CommentRecord]) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = set(result.assignments)
    base = pd.DataFrame(
        [
            {
                "response_id": c.response_id,
                "nps": c.nps,
                "segment": c.segment or "(not set)",
                "role": c.role or "(not set)",
                "submitted_at": c.submitted_at,
                # a comment without an account is an account of its own
                "account": c.account if c.account is not None else "\x01" + c.response_id,
            }
            for c in comments
            if c.response_id in ids
        ],
        columns=["response_id", "nps", "segment", "role", "submitted_at", "account"],
    )
    pairs = pd.DataFrame(
        [(rid, key) for rid, keys in result.assignments.items() for key in keys], columns=["response_id", "key"]
    )
    return base, pairs


def _labels(result: ThemeResult) -> dict[str, str]:
    return {t.key: t.label for t in result.themes}


def theme_by_dimension(result: ThemeResult, comments: list[CommentRecord], dimension: str) -> pd.DataFrame:
    """Theme x ``segment`` or ``role``: count, the group's comments (n) and the share of them."""
    if dimension not in ("segment", "role"):
        raise ValueError("dimension must be 'segment' or 'role'")
    base, pairs = _frames(result, comments)
    cols = ["key", "label", "group", "count", "n", "share"]
    if base.empty or pairs.empty:
        return pd.DataFrame(columns=cols)
    n = base.groupby(dimension).size().rename("n")
    merged = pairs.merge(base[["response_id", dimension]], on="response_id")
    counts = merged.groupby(["key", dimension]).size().rename("count").reset_index()
    counts = counts.merge(n, left_on=dimension, right_index=True)
    counts["share"] = (counts["count"] / counts["n"]).round(4)
    counts["label"] = counts["key"].map(_labels(result))
    counts = counts.rename(columns={dimension: "group"})
    order = {t.key: i for i, t in enumerate(result.themes)}
    counts["_o"] = counts["key"].map(order)
    return counts.sort_values(["_o", "group"])[cols].reset_index(drop=True)


def _account_sums(part: pd.DataFrame) -> tuple[list[int], ClusterSums]:
    """(promoters, passives, detractors) of the comments with an NPS, and their per-account sums."""
    part = part.dropna(subset=["nps"])
    values = part["nps"]
    counts = pd.DataFrame(
        {
            "p": (values >= 9).astype(int),
            "a": ((values >= 7) & (values < 9)).astype(int),
            "d": (values <= 6).astype(int),
        }
    )
    per_account = counts.groupby(part["account"].to_numpy()).sum()
    sums = nps_cluster_sums([(int(p), int(a), int(d)) for p, a, d in per_account.to_numpy()])
    return [int(counts[c].sum()) for c in ("p", "a", "d")], sums


def _nps_result(part: pd.DataFrame, pooled_icc: float = 0.0):
    """NPS of a set of comments with its design effect over their accounts."""
    (promoters, passives, detractors), sums = _account_sums(part)
    return nps_from_counts(promoters, passives, detractors, group_design_effect(sums, pooled_icc), clusters_of(sums))


_IMPACT_COLUMNS = [
    "key",
    "label",
    "n_with",
    "nps_with",
    "n_without",
    "nps_without",
    "difference",
    "difference_low",
    "difference_high",
    "p_adjusted",
]


def _pooled_icc(base: pd.DataFrame) -> float:
    return intraclass_correlation(_account_sums(base)[1])


def theme_impact(result: ThemeResult, comments: list[CommentRecord]) -> pd.DataFrame:
    """NPS of comments with vs without each theme (with both n), and the difference in points.

    ``difference_low``/``difference_high`` bound the difference's 95 % interval (two independent
    groups, each with its design effect over accounts: comments of one account are not independent);
    ``p_adjusted`` is its two-sided p-value, Holm-adjusted over all themes, since reading
    the largest of many differences is itself a multiple comparison.
    """
    base, pairs = _frames(result, comments)
    rows, p_values = [], []
    pooled = _pooled_icc(base)
    for theme in result.themes:
        has = base["response_id"].isin(set(pairs.loc[pairs["key"] == theme.key, "response_id"]))
        with_, without = _nps_result(base.loc[has], pooled), _nps_result(base.loc[~has], pooled)
        difference, p = nps_difference_test(with_, without)
        half = None
        if difference is not None and with_.se is not None and without.se is not None:
            half = Z95 * (with_.se**2 + without.se**2) ** 0.5
        rows.append(
            {
                "key": theme.key,
                "label": theme.label,
                "n_with": with_.n,
                "nps_with": None if with_.score is None else round(with_.score, 1),
                "n_without": without.n,
                "nps_without": None if without.score is None else round(without.score, 1),
                "difference": None if difference is None else round(difference, 1),
                "difference_low": None if half is None else round(difference - half, 1),
                "difference_high": None if half is None else round(difference + half, 1),
            }
        )
        p_values.append(p)
    for row, adjusted in zip(rows, holm_adjust(p_values), strict=True):
        row["p_adjusted"] = None if adjusted is None else round(adjusted, 4)
    return pd.DataFrame(rows, columns=_IMPACT_COLUMNS)


def theme_trend(result: ThemeResult, comments: list[CommentRecord]) -> pd.DataFrame:
    """Per theme and quarter: count, comments that quarter (n) and share."""
    base, pairs = _frames(result, comments)
    cols = ["key", "label", "quarter", "count", "n", "share"]
    base = base.dropna(subset=["submitted_at"])
    if base.empty or pairs.empty:
        return pd.DataFrame(columns=cols)
    stamps = pd.to_datetime(base["submitted_at"])
    base = base.assign(quarter=stamps.dt.year.astype(str) + "-Q" + stamps.dt.quarter.astype(str))
    n = base.groupby("quarter").size().rename("n")
    merged = pairs.merge(base[["response_id", "quarter"]], on="response_id")
    counts = merged.groupby(["key", "quarter"]).size().rename("count").reset_index()
    counts = counts.merge(n, left_on="quarter", right_index=True)
    counts["share"] = (counts["count"] / counts["n"]).round(4)
    counts["label"] = counts["key"].map(_labels(result))
    return counts.sort_values(["key", "quarter"])[cols].reset_index(drop=True)


_PERIOD_SHARE_COLUMNS = ["key", "label", "count_a", "n_a", "share_a", "count_b", "n_b", "share_b"]
_PERIOD_SHARE_COLUMNS += ["difference", "p_value", "p_adjusted", "design_effect_a", "design_effect_b"]


def theme_period_shares(
    result: ThemeResult,
    comments: list[CommentRecord],
    a: tuple[dt.date, dt.date],
    b: tuple[dt.date, dt.date],
) -> pd.DataFrame:
    """Each theme's share of the comments of period ``a`` and of period ``b`` (from, to; both days
    included), the difference in points (a minus b) and its test with comments clustered in
    accounts (:func:`cx_core.stats.clustered_share_difference`, the selection's intraclass
    correlation of each theme as the floor), Holm-adjusted over the themes in ``p_adjusted``."""
    base, pairs = _frames(result, comments)
    base = base.dropna(subset=["submitted_at"])
    if base.empty:
        return pd.DataFrame(columns=_PERIOD_SHARE_COLUMNS)
    days = pd.to_datetime(base["submitted_at"]).dt.date
    base = base.assign(
        in_a=((days >= a[0]) & (days <= a[1])).astype(int), in_b=((days >= b[0]) & (days <= b[1])).astype(int)
    )
    base = base[(base["in_a"] + base["in_b"]) > 0]
    # comments per account and period, and per theme the mentions per account and period: one pass
    sizes = base.groupby("account")[["in_a", "in_b"]].sum()
    sizes["in_ab"] = sizes["in_a"] + sizes["in_b"]
    mentions = (
        pairs.drop_duplicates()
        .merge(base[["response_id", "account", "in_a", "in_b"]], on="response_id")
        .groupby(["key", "account"])[["in_a", "in_b"]]
        .sum()
    )
    rows, p_values = [], []
    for theme in result.themes:
        yes = mentions.loc[theme.key] if theme.key in mentions.index.get_level_values(0) else None
        if yes is not None:
            per = sizes.join(yes.rename(columns={"in_a": "in_a_yes", "in_b": "in_b_yes"})).fillna(0)
        else:
            per = sizes.assign(in_a_yes=0, in_b_yes=0)
        per = per.assign(in_ab_yes=per["in_a_yes"] + per["in_b_yes"])

        def side(column: str, per=per) -> list[tuple[int, int]]:
            return list(zip(per[column].astype(int), per[f"{column}_yes"].astype(int), strict=True))

        pooled = intraclass_correlation(share_cluster_sums(side("in_ab")))
        diff, p, deff_a, deff_b = clustered_share_difference(side("in_a"), side("in_b"), pooled)
        count_a, n_a = int(per["in_a_yes"].sum()), int(per["in_a"].sum())
        count_b, n_b = int(per["in_b_yes"].sum()), int(per["in_b"].sum())
        rows.append(
            {
                "key": theme.key,
                "label": theme.label,
                "count_a": count_a,
                "n_a": n_a,
                "share_a": round(count_a / n_a, 4) if n_a else None,
                "count_b": count_b,
                "n_b": n_b,
                "share_b": round(count_b / n_b, 4) if n_b else None,
                "difference": diff,
                "p_value": p,
                "design_effect_a": round(deff_a, 3),
                "design_effect_b": round(deff_b, 3),
            }
        )
        p_values.append(p)
    for row, adjusted in zip(rows, holm_adjust(p_values), strict=True):
        row["p_adjusted"] = adjusted
    return pd.DataFrame(rows, columns=_PERIOD_SHARE_COLUMNS)
