"""Scores for each need and for rational vs emotional needs, overall or by a dimension.

A need's score for one response is the average of that response's ratings of the need's drivers,
put on a 1-5 scale; the need's score for a group is the mean over responses. Working per response
(not per rating) keeps the intervals honest: the ratings one person gives are not independent.
"""

from __future__ import annotations

import pandas as pd

from ..clustered import CLUSTER_KEY
from ..errors import InvalidParameterError
from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N
from ..schema import DIMENSIONS, NEEDS, Driver
from ..sql import checked_column, run_rows
from ..stats import Z95, ClusterSums, design_effect, mean_from_moments
from ..workspace import Workspace
from .catalogue import CatalogueInput, normalise_catalogue, top2_threshold

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


def need_items(drivers: list[Driver]) -> list[tuple[str, str, list[int]]]:
    """``(kind, item, drivers)``: each need, then rational and emotional, with its drivers' positions."""
    items = [
        ("need", need, [j for j, d in enumerate(drivers) if d.need == need])
        for need in dict.fromkeys(d.need for d in drivers)
    ]
    return items + [
        ("category", category, [j for j, d in enumerate(drivers) if d.category == category])
        for category in dict.fromkeys(d.category for d in drivers)
        if category in CATEGORIES
    ]


def need_response_columns(drivers: list[Driver], columns: list[str], params: dict) -> list[str]:
    """One response's score of each of :func:`need_items` (``s0``, ``s1``...: the mean of its
    answers to the item's drivers on 1-5) and top-2 share (``t0``...: of 100 or 0), from the columns
    holding its rating of each driver (NULL when not rated). Scales and thresholds are parameters."""
    five, top = [], []
    for j, d in enumerate(drivers):
        lo, hi = float(d.scale_min), float(d.scale_max)
        params.update({f"nd_lo{j}": lo, f"nd_hi{j}": hi, f"nd_top{j}": top2_threshold(lo, hi)})
        five.append(f"coalesce(1 + 4 * ({columns[j]} - $nd_lo{j}) / ($nd_hi{j} - $nd_lo{j}), 0)")
        top.append(f"CASE WHEN {columns[j]} >= $nd_top{j} THEN 100.0 ELSE 0.0 END")
    out = []
    for m, (_kind, _item, chosen) in enumerate(need_items(drivers)):
        count = f"nullif({' + '.join(f'({columns[j]} IS NOT NULL)::INTEGER' for j in chosen)}, 0)"
        out.append(f"({' + '.join(five[j] for j in chosen)}) / {count} AS s{m}")
        out.append(f"({' + '.join(top[j] for j in chosen)}) / {count} AS t{m}")
    return out


def need_account_columns(drivers: list[Driver]) -> list[str]:
    """The sums of :func:`need_response_columns` per account (``n0, ss0, sq0, ts0, tq0``...)."""
    return [
        f"count(s{m}) AS n{m}, sum(s{m}) AS ss{m}, sum(s{m} * s{m}) AS sq{m}, sum(t{m}) AS ts{m}, sum(t{m} * t{m}) AS tq{m}"
        for m in range(len(need_items(drivers)))
    ]


def need_scores_of_sums(
    drivers: list[Driver],
    sums: list[tuple[ClusterSums, ClusterSums]],
    clustered: bool,
    *,
    min_n: int = DEFAULT_MIN_N,
) -> pd.DataFrame:
    """:func:`need_scores` (``by=None``) from the sums of each of :func:`need_items` (its score's and
    its top-2 share's, over responses and accounts); not ``clustered``: every response its own account."""
    records = []
    for (kind, item, _chosen), (score, top) in zip(need_items(drivers), sums, strict=True):
        if not score.n:
            continue
        records.append(
            {
                "grp": "all",
                "kind": kind,
                "item": item,
                "n": score.n,
                "s_sum": score.total,
                "s_sq": score.total_sq,
                "t_sum": top.total,
                "t_sq": top.total_sq,
                # answers from one account are not independent: each interval carries its design effect
                "s_deff": design_effect(score if clustered else None),
                "t_deff": design_effect(top if clustered else None),
            }
        )
    columns = ["grp", "kind", "item", "n", "s_sum", "s_sq", "t_sum", "t_sq", "s_deff", "t_deff"]
    return _need_rows(pd.DataFrame(records, columns=columns), drivers, min_n)


def _need_sql(drivers: list[Driver], group: str, where: str, params: dict) -> str:
    """The query of the need scores per group: the ratings pivoted (one row per response, one
    conditional aggregate per driver, keys as parameters), each response's :func:`need_response_columns`,
    summed per group and account, then per group with the per-account sums of the design effects."""
    pivoted = []
    for j, d in enumerate(drivers):
        params[f"nd_k{j}"] = d.key
        pivoted.append(f"max(score) FILTER (WHERE driver = $nd_k{j}) AS x{j}")
    per_response = need_response_columns(drivers, [f"piv.x{j}" for j in range(len(drivers))], params)
    per_group = [
        f"sum(n{m}), sum(ss{m}), sum(sq{m}), sum(ts{m}), sum(tq{m}), count(*) FILTER (WHERE n{m} > 0), "
        f"sum(ss{m} * ss{m}), sum(n{m} * ss{m}), sum(ts{m} * ts{m}), sum(n{m} * ts{m}), sum(n{m} * n{m})"
        for m in range(len(need_items(drivers)))
    ]
    keys = ", ".join(f"$nd_k{j}" for j in range(len(drivers)))
    restrict = " AND response_id IN (SELECT response_id FROM sel)" if where else ""
    return (
        f"WITH sel AS (SELECT response_id, {group} AS grp, {CLUSTER_KEY} AS c FROM facts {where}), "
        f"piv AS (SELECT response_id, {', '.join(pivoted)} FROM ratings WHERE driver IN ({keys}){restrict} "
        "GROUP BY response_id), "
        f"per_response AS (SELECT sel.grp, sel.c, {', '.join(per_response)} "
        "FROM sel JOIN piv ON piv.response_id = sel.response_id), "
        f"per_account AS (SELECT grp, c, {', '.join(need_account_columns(drivers))} FROM per_response GROUP BY grp, c) "
        f"SELECT grp, {', '.join(per_group)} FROM per_account GROUP BY grp"
    )


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
    if not drivers:
        raise InvalidParameterError("error.catalogue_empty")
    params: dict = {}
    group = "'all'" if by is None else f"CAST({checked_column(by, DIMENSIONS)} AS VARCHAR)"
    sql = _need_sql(drivers, group, filters.where(params), params)
    items = need_items(drivers)
    records = []
    for grp, *sums in run_rows(ws.con, sql, params):
        for m, (kind, item, _chosen) in enumerate(items):
            n, s_sum, s_sq, t_sum, t_sq, k, s_cy2, s_cny, t_cy2, t_cny, cn2 = sums[11 * m : 11 * (m + 1)]
            if not n:
                continue
            record = {"grp": grp, "kind": kind, "item": item, "n": int(n)}
            # answers from one account are not independent: each interval carries its design effect
            for name, total, total_sq, cy2, cny in (("s", s_sum, s_sq, s_cy2, s_cny), ("t", t_sum, t_sq, t_cy2, t_cny)):
                sums_of = ClusterSums(int(n), int(k), float(total), float(total_sq), float(cy2), float(cny), float(cn2))
                record |= {
                    f"{name}_sum": float(total),
                    f"{name}_sq": float(total_sq),
                    f"{name}_deff": design_effect(sums_of),
                }
            records.append(record)
    columns = ["grp", "kind", "item", "n", "s_sum", "s_deff", "s_sq", "t_sum", "t_deff", "t_sq"]
    return _need_rows(pd.DataFrame(records, columns=columns), drivers, min_n)


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
