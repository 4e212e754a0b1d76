"""Scores for each need and for rational vs emotional needs, overall or by a dimension.

A need's score for one response is the average of that response's ratings of the need's drivers,
put on a 1-5 scale; the need's score for a group is the mean over responses. Working per response
(not per rating) keeps the intervals honest: the ratings one person gives are not independent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..clustered import CLUSTER_KEY
from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N
from ..schema import DIMENSIONS, NEEDS
from ..sql import checked_column, run
from ..stats import Z95, ClusterSums, design_effect, mean_from_moments
from ..workspace import Workspace
from .catalogue import CatalogueInput, catalogue_sql, normalise_catalogue
from .key_drivers import TOP2_SQL, SelectedRatings, _cluster_sums, top2_threshold

CATEGORIES: tuple[str, ...] = ("rational", "emotional")

NEED_COLUMNS: tuple[str, ...] = (
    "group",
    "kind",
    "item",
    "category",
    "n",
    "mean",
    "mean_ci_low",
    "mean_ci_high",
    "top2",
    "top2_ci_low",
    "top2_ci_high",
    "small_sample",
)

_SQL = """
WITH sel AS (SELECT response_id, {group} AS grp, {cluster} AS c FROM facts {where}),
rated AS (
    SELECT sel.grp, sel.c, ratings.response_id, cat.need, cat.category,
           1 + 4 * (ratings.score - cat.lo) / (cat.hi - cat.lo) AS score5,
           CASE WHEN ratings.score >= {top2} THEN 100.0 ELSE 0.0 END AS top2
    FROM ratings
    JOIN sel ON ratings.response_id = sel.response_id
    JOIN {catalogue} ON ratings.driver = cat.driver
    WHERE ratings.score IS NOT NULL
),
per_response AS (
    SELECT grp, c, response_id, 'need' AS kind, need AS item, avg(score5) AS s, avg(top2) AS t
    FROM rated GROUP BY grp, c, response_id, need
    UNION ALL
    SELECT grp, c, response_id, 'category' AS kind, category AS item, avg(score5) AS s, avg(top2) AS t
    FROM rated WHERE category IN ('rational', 'emotional') GROUP BY grp, c, response_id, category
),
per_account AS (
    SELECT grp, kind, item, c, count(*) AS n, sum(s) AS s_sum, sum(s * s) AS s_sq, sum(t) AS t_sum,
           sum(t * t) AS t_sq
    FROM per_response GROUP BY grp, kind, item, c
)
SELECT grp, kind, item, sum(n) AS n, sum(s_sum) AS s_sum, sum(s_sq) AS s_sq, sum(t_sum) AS t_sum,
       sum(t_sq) AS t_sq, count(*) AS k, sum(s_sum * s_sum) AS s_cy2, sum(n * s_sum) AS s_cny,
       sum(t_sum * t_sum) AS t_cy2, sum(n * t_sum) AS t_cny, sum(n * n) AS cn2
FROM per_account GROUP BY grp, kind, item
"""


def need_scores(
    ws: Workspace,
    catalogue: CatalogueInput,
    filters: Filters = NO_FILTERS,
    *,
    by: str | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> pd.DataFrame:
    """Mean (1-5) and top-2-box share of each need and of rational/emotional, with n and 95% CIs.

    ``by`` is ``None`` (one group, ``"all"``) or a dimension such as ``"segment"`` or
    ``"respondent_role"``. Rows: one per group and item; ``kind`` is ``"need"`` or ``"category"``.
    Groups with fewer than ``min_n`` responses are flagged ``small_sample``. The intervals are
    normal intervals over responses (each response counts once per need), widened by the design
    effect of responses clustered in accounts.
    """
    drivers = normalise_catalogue(catalogue)
    params: dict = {}
    group = "'all'" if by is None else f"CAST({checked_column(by, DIMENSIONS)} AS VARCHAR)"
    where = filters.where(params)
    sql = _SQL.format(
        group=group, where=where, catalogue=catalogue_sql(drivers, params), top2=TOP2_SQL, cluster=CLUSTER_KEY
    )
    frame = run(ws.con, sql, params)
    # answers from one account are not independent: each interval carries its design effect
    for m in ("s", "t"):
        frame[f"{m}_deff"] = [
            design_effect(
                ClusterSums(
                    int(r.n),
                    int(r.k),
                    float(r[f"{m}_sum"]),
                    float(r[f"{m}_sq"]),
                    float(r[f"{m}_cy2"]),
                    float(r[f"{m}_cny"]),
                    float(r.cn2),
                )
            )
            for _, r in frame.iterrows()
        ]
    return _need_rows(frame, drivers, min_n)


def need_scores_of(selected: SelectedRatings, *, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """:func:`need_scores` (``by=None``) of ratings already fetched with
    :func:`~cx_core.drivers.key_drivers.selected_ratings` for the same filters and catalogue.

    The same per-response averages as the SQL, on the fetched matrix: a response's score for a
    need is the mean of its ratings of the need's drivers (on 1-5), counted once per need.
    """
    drivers = list(selected.drivers)
    lo = np.array([float(d.scale_min) for d in drivers])
    hi = np.array([float(d.scale_max) for d in drivers])
    values = selected.values
    rated = np.isfinite(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        score5 = np.where(rated, 1 + 4 * (values - lo) / (hi - lo), 0.0)
    top2 = np.where(
        rated & (values >= np.array([top2_threshold(a, b) for a, b in zip(lo, hi, strict=True)])), 100.0, 0.0
    )
    items = [("need", need, [d.need == need for d in drivers]) for need in dict.fromkeys(d.need for d in drivers)]
    items += [
        ("category", category, [d.category == category for d in drivers])
        for category in dict.fromkeys(d.category for d in drivers)
        if category in CATEGORIES
    ]
    records = []
    for kind, item, members in items:
        member = np.array(members)
        count = rated[:, member].sum(axis=1)
        answered = count > 0
        s = score5[:, member].sum(axis=1)[answered] / count[answered]
        t = top2[:, member].sum(axis=1)[answered] / count[answered]
        # answers from one account are not independent: each interval carries its design effect
        codes = selected.clusters[answered] if selected.clusters is not None else None
        records.append(
            {
                "grp": "all",
                "kind": kind,
                "item": item,
                "n": int(answered.sum()),
                "s_sum": float(s.sum()),
                "s_sq": float((s * s).sum()),
                "t_sum": float(t.sum()),
                "t_sq": float((t * t).sum()),
                "s_deff": design_effect(_cluster_sums(s, codes)),
                "t_deff": design_effect(_cluster_sums(t, codes)),
            }
        )
    columns = ["grp", "kind", "item", "n", "s_sum", "s_sq", "t_sum", "t_sq", "s_deff", "t_deff"]
    frame = pd.DataFrame(records, columns=columns)
    return _need_rows(frame[frame["n"] > 0], drivers, min_n)


def _need_rows(frame: pd.DataFrame, drivers, min_n: int) -> pd.DataFrame:
    rows = []
    for _, r in frame.iterrows():
        s_deff = float(r["s_deff"]) if "s_deff" in r and pd.notna(r["s_deff"]) else 1.0
        t_deff = float(r["t_deff"]) if "t_deff" in r and pd.notna(r["t_deff"]) else 1.0
        mean = mean_from_moments(r["n"], r["s_sum"], r["s_sq"], design_effect=s_deff)
        top = mean_from_moments(r["n"], r["t_sum"], r["t_sq"], design_effect=t_deff)
        item = str(r["item"])
        rows.append(
            {
                "group": "all" if r["grp"] is None else str(r["grp"]),
                "kind": str(r["kind"]),
                "item": item,
                "category": item if r["kind"] == "category" else _category(drivers, item),
                "n": int(r["n"]),
                "mean": mean.score,
                "mean_ci_low": mean.ci95[0] if mean.ci95 else None,
                "mean_ci_high": mean.ci95[1] if mean.ci95 else None,
                "top2": round(top.score, 2) if top.score is not None else None,
                "top2_ci_low": _clip(top.score, top.se, -1),
                "top2_ci_high": _clip(top.score, top.se, 1),
                "small_sample": int(r["n"]) < min_n,
            }
        )
    result = pd.DataFrame(rows, columns=list(NEED_COLUMNS))
    order = {name: i for i, name in enumerate((*NEEDS, *CATEGORIES))}
    result["_order"] = result["item"].map(order)
    return (
        result.sort_values(["group", "kind", "_order"], ascending=[True, False, True])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def _category(drivers, need: str) -> str:
    return next((d.category for d in drivers if d.need == need), "other")


def _clip(score: float | None, se: float | None, sign: int) -> float | None:
    if score is None or se is None:
        return None
    return round(min(100.0, max(0.0, score + sign * Z95 * se)), 2)
