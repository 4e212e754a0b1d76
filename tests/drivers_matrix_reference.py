"""The key drivers as they were computed before issue 25, from a fetched response x driver matrix.

A snapshot of cx_core/drivers/key_drivers.py and needs.py at f86c8bc (``selected_ratings``,
``key_drivers_of``, ``driver_scores_of``, ``need_scores_of`` and their helpers, unchanged but for
the imports), kept so tests/core/test_drivers_in_sql.py can compare the aggregates computed in
DuckDB with the numbers the matrix gave.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cx_core.clustered import CLUSTER_KEY
from cx_core.drivers.key_drivers import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    LARGE_N,
    MIN_PER_DRIVER,
    MIN_RESAMPLES,
    OUTCOMES,
    TOP_STABILITY,
    DriverImportance,
    KeyDriverResult,
    _one_scale,
    _quadrant,
    _selection,
    check_choices,
    performance_scale_of,
    top2_threshold,
)
from cx_core.drivers.needs import CATEGORIES, _need_rows
from cx_core.drivers.relative_weights import bootstrap_shares, correlation, importance_shares
from cx_core.filters import NO_FILTERS, Filters
from cx_core.metrics import DEFAULT_MIN_N
from cx_core.schema import Driver
from cx_core.sql import quote_ident
from cx_core.stats import Z95, ClusterSums, design_effect, wilson_interval
from cx_core.workspace import Workspace


@dataclass(frozen=True)
class SelectedRatings:
    """Every response of a selection, fetched once: its rating of each driver and its outcome.

    ``values[i, j]`` is response ``i``'s rating of ``drivers[j]`` (NaN when not rated), ``outcome[i]``
    its outcome (NaN when it has none); rows are ordered by response id. Key drivers, performance
    and need scores of the selection are all computed from this one matrix, so the ``ratings``
    table is read once per selection instead of once per figure.
    """

    drivers: tuple[Driver, ...]
    values: np.ndarray
    outcome: np.ndarray
    clusters: np.ndarray | None = None  # an account code per row (None: no account id, rows independent)

    def column(self, key: str) -> np.ndarray:
        return self.values[:, [d.key for d in self.drivers].index(key)]


def selected_ratings(
    ws: Workspace,
    drivers: list[Driver],
    outcome: str | None,
    filters: Filters = NO_FILTERS,
    group: tuple[str, str] | None = None,
) -> SelectedRatings:
    """The :class:`SelectedRatings` of ``filters`` (and ``group``): one pass over ``ratings`` in DuckDB.

    The long ``ratings`` table is pivoted with one conditional aggregate per driver; the driver keys
    are parameters and the column aliases are generated (``x0``, ``x1``...). ``outcome`` is a core
    score (``nps``, ``csat``, ``ces``), the key of a driver rating, or None (no outcome column).
    """
    params: dict = {}
    where = _selection(filters, group, params)
    pivoted = []  # one conditional aggregate per driver (and the outcome when it is a driver rating)
    for i, d in enumerate(drivers):
        params[f"kd_d{i}"] = d.key
        pivoted.append(f"max(score) FILTER (WHERE driver = $kd_d{i}) AS x{i}")
    columns = [f"piv.x{i}" for i in range(len(drivers))]
    cluster = f"{CLUSTER_KEY} AS c"
    if outcome in OUTCOMES:
        selection = (
            f"SELECT DISTINCT response_id, CAST({quote_ident(outcome)} AS DOUBLE) AS y, {cluster} FROM facts {where}"
        )
        columns.append("s.y")
    else:
        selection = f"SELECT DISTINCT response_id, {cluster} FROM facts {where}"
        if outcome is not None:  # a driver rating as the outcome (e.g. an overall rating, no NPS/CSAT)
            params["kd_y"] = str(outcome)
            pivoted.append("max(score) FILTER (WHERE driver = $kd_y) AS y")
            columns.append("piv.y")
    if not columns:
        columns.append("1 AS y")  # no driver and no outcome: only the number of rows matters
    # the account codes numbered in the order of the keys (np.unique's order: DuckDB compares text
    # byte by byte, which is code point order), so the bootstrap draws the same accounts
    columns.append("dense_rank() OVER (ORDER BY s.c) - 1 AS c")
    # Ratings are aggregated per response before the join (100k responses instead of 1M ratings to
    # join); with filters, only the selected responses' ratings are read (a semi-join).
    restrict = "WHERE response_id IN (SELECT response_id FROM s)" if where else ""
    sql = (
        f"WITH s AS ({selection}), "
        f"piv AS (SELECT response_id{''.join(', ' + p for p in pivoted)} FROM ratings {restrict} GROUP BY response_id) "
        f"SELECT {', '.join(columns)} FROM s LEFT JOIN piv ON piv.response_id = s.response_id "
        "ORDER BY s.response_id"
    )
    arrays = ws.con.execute(sql, params).fetchnumpy()
    rows = len(next(iter(arrays.values()))) if arrays else 0
    # filled column by column, each fetched column released once copied: at 5M responses every
    # extra copy of the matrix is 40 MB a driver
    values = np.empty((rows, len(drivers)))
    for i in range(len(drivers)):
        values[:, i] = np.ma.filled(np.ma.asarray(arrays.pop(f"x{i}"), dtype=float), np.nan)
    if outcome is None:
        y_values = np.full(rows, np.nan)
    else:
        y_values = np.ma.filled(np.ma.asarray(arrays["y"], dtype=float), np.nan) if rows else np.empty(0)
    codes = np.asarray(arrays["c"], dtype=np.int64) if rows else None
    clustered = codes is not None and int(codes.max()) + 1 < rows
    return SelectedRatings(tuple(drivers), values.reshape(rows, len(drivers)), y_values, codes if clustered else None)


def _model_matrix(selected: SelectedRatings, drivers: list[Driver]) -> np.ndarray:
    """The responses with an outcome: the ratings of ``drivers`` (a subset of the selection's), outcome last."""
    keys = [d.key for d in selected.drivers]
    has_outcome = np.isfinite(selected.outcome)
    matrix = np.empty((int(has_outcome.sum()), len(drivers) + 1))  # one copy, only of the rows kept
    for j, d in enumerate(drivers):
        matrix[:, j] = selected.values[has_outcome, keys.index(d.key)]
    matrix[:, -1] = selected.outcome[has_outcome]
    return matrix


def _performance(
    selected: SelectedRatings, drivers: list[Driver], measure: str
) -> dict[str, tuple[float | None, tuple[float, float] | None, int]]:
    """Mean (with its normal 95% interval) or top-2-box share (Wilson interval) of each rated driver."""
    one_scale = _one_scale(drivers)
    out: dict = {}
    for d in drivers:
        scores = selected.column(d.key)
        rated = np.isfinite(scores)
        scores = scores[rated]
        n = len(scores)
        if n == 0:
            continue
        codes = selected.clusters[rated] if selected.clusters is not None else None
        lo, hi = float(d.scale_min), float(d.scale_max)
        if measure == "mean":
            # one shared scale: means on that scale ("Mean (0-10)"); mixed scales: each put on 1-5
            value = scores if one_scale else 1 + 4 * (scores - lo) / (hi - lo)
            mean = float(value.sum()) / n
            var = max((float((value**2).sum()) - n * mean * mean) / (n - 1), 0.0) if n > 1 else None
            deff = design_effect(_cluster_sums(value, codes))
            half = Z95 * (deff * var / n) ** 0.5 if var is not None else None
            ci = (round(mean - half, 3), round(mean + half, 3)) if half is not None else None
            out[d.key] = (round(mean, 3), ci, n)
        else:
            is_top = (scores >= top2_threshold(lo, hi)).astype(float)
            top = int(is_top.sum())
            deff = design_effect(_cluster_sums(is_top, codes))
            out[d.key] = (round(100 * top / n, 2), wilson_interval(top, n, deff), n)
    return out


def _cluster_sums(values: np.ndarray, codes: np.ndarray | None) -> ClusterSums | None:
    """The per-account sums of one driver's answers (None when the answers are independent).

    ``codes`` are the selection's account numbers (0, 1, 2... from :func:`selected_ratings`), so
    they index the sums directly; an account without an answer here adds nothing to any sum and is
    not counted (sorting a million codes once per driver cost seconds at that size)."""
    if codes is None or not len(values):
        return None
    sizes = np.bincount(codes).astype(float)
    totals = np.bincount(codes, weights=values)
    return ClusterSums(
        len(values),
        int(np.count_nonzero(sizes)),
        float(values.sum()),
        float((values * values).sum()),
        float((totals * totals).sum()),
        float((sizes * totals).sum()),
        float((sizes * sizes).sum()),
    )


def key_drivers_of(
    selected: SelectedRatings,
    *,
    outcome: str = "nps",
    performance: str = "mean",
    missing: str = "listwise",
    split: str = "median",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    min_n: int = DEFAULT_MIN_N,
) -> KeyDriverResult:
    """:func:`key_drivers` of ratings already fetched with :func:`selected_ratings` (same ``outcome``)."""
    check_choices(list(selected.drivers), outcome=outcome, performance=performance, missing=missing, split=split)
    drivers = [d for d in selected.drivers if d.key != outcome]
    matrix = _model_matrix(selected, drivers)
    responses = len(matrix)
    perf = _performance(selected, drivers, performance)

    # Drivers without ratings or without variation in this selection cannot enter the model.
    usable = []
    excluded = []
    for i in range(len(drivers)):
        column = matrix[:, i] if responses else np.array([])
        values = column[np.isfinite(column)]
        (usable if len(values) >= 3 and np.ptp(values) > 0 else excluded).append(i)
    y = matrix[:, -1] if responses else np.array([])
    warnings: list[str] = []
    shares = np.full(len(drivers), np.nan)
    ci = [None] * len(drivers)
    r_squared = None
    n_used = 0
    stability = None
    kept = 0
    if usable and responses >= 3 and np.ptp(y) > 0:
        model = matrix[:, [*usable, matrix.shape[1] - 1]]
        corr, n_used = correlation(model, missing)
        if np.isfinite(corr).all() and n_used >= len(usable) + 2:
            point, r2 = importance_shares(corr)
            if np.isfinite(point).all():
                r_squared = round(r2, 4)
                shares[usable] = point
                effective = min(resamples, max(MIN_RESAMPLES, resamples * LARGE_N // max(len(model), 1)))
                clusters = selected.clusters[np.isfinite(selected.outcome)] if selected.clusters is not None else None
                boot = bootstrap_shares(model, missing, effective, seed, clusters)
                kept = len(boot)
                if kept:
                    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
                    for j, i in enumerate(usable):
                        ci[i] = (round(float(low[j]), 2), round(float(high[j]), 2))
                    stability = round(float(np.mean(boot.argmax(axis=1) == int(np.argmax(point)))), 3)
    if r_squared is None:
        warnings.append("too_few")
    else:
        if n_used < max(MIN_PER_DRIVER * len(usable), min_n):
            warnings.append("small_n")
        if stability is not None and stability < TOP_STABILITY:
            warnings.append("top_unstable")

    modelled = [i for i in usable if np.isfinite(shares[i])]
    perf_values = [perf[drivers[i].key][0] for i in modelled if perf.get(drivers[i].key, (None,))[0] is not None]
    imp_values = [float(shares[i]) for i in modelled]
    centre = np.median if split == "median" else np.mean
    imp_split = round(float(centre(imp_values)), 2) if imp_values else None
    perf_split = round(float(centre(perf_values)), 3) if perf_values else None

    order = sorted(range(len(drivers)), key=lambda i: (not np.isfinite(shares[i]), -np.nan_to_num(shares[i])))
    items = []
    for rank, i in enumerate(order, start=1):
        d = drivers[i]
        value, perf_ci, perf_n = perf.get(d.key, (None, None, 0))
        importance = round(float(shares[i]), 2) if np.isfinite(shares[i]) else None
        quadrant = (
            _quadrant(importance, value, imp_split, perf_split)
            if importance is not None and value is not None and imp_split is not None and perf_split is not None
            else None
        )
        items.append(
            DriverImportance(
                key=d.key,
                label=d.label,
                need=d.need,
                category=d.category,
                importance=importance,
                importance_ci95=ci[i],
                performance=value,
                performance_ci95=perf_ci,
                performance_n=perf_n,
                quadrant=quadrant,
                rank=rank if importance is not None else None,
            )
        )
    return KeyDriverResult(
        outcome=outcome,
        performance_measure=performance,
        missing=missing,
        split_method=split,
        responses=responses,
        n_used=int(n_used),
        r_squared=r_squared,
        drivers=items,
        importance_split=imp_split,
        performance_split=perf_split,
        resamples=kept,
        top_stability=stability,
        excluded=[drivers[i].label for i in excluded],
        warnings=warnings,
        performance_scale=performance_scale_of(drivers),
    )


def driver_scores_of(selected: SelectedRatings) -> dict[str, tuple[int, float | None, float | None]]:
    """:func:`driver_scores` of ratings already fetched with :func:`selected_ratings` (no other read)."""
    out: dict[str, tuple[int, float | None, float | None]] = {}
    for d in selected.drivers:
        scores = selected.column(d.key)
        scores = scores[np.isfinite(scores)]
        n = len(scores)
        if n == 0:  # as the query: a driver nobody rated in the selection has no row
            continue
        top = int((scores >= top2_threshold(float(d.scale_min), float(d.scale_max))).sum())
        # the query's arithmetic: avg(score), and 100.0 * avg(1 or 0)
        out[d.key] = (n, round(float(scores.sum()) / n, 3), round(100.0 * (top / n), 2))
    return out


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
