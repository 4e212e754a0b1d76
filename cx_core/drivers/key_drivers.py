"""Key-driver analysis: which drivers move the outcome (importance) and how well we do (performance).

Importance is Johnson's relative weights (see :mod:`.relative_weights`) expressed as a share of R²,
with bootstrap 95% intervals. The per-response matrix (outcome plus one column per driver) is
pivoted from the long ``ratings`` table inside DuckDB in one pass per selection; only that numeric
matrix is fetched, and importance, performance (mean or top-2-box share, with intervals) and the
need scores of the page are all computed from it (:class:`SelectedRatings`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..clustered import CLUSTER_KEY
from ..errors import InvalidParameterError
from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N
from ..schema import DIMENSIONS, Driver
from ..sql import checked_column, quote_ident, run_rows
from ..stats import Z95, ClusterSums, design_effect, wilson_interval
from ..workspace import Workspace
from .catalogue import CatalogueInput, catalogue_sql, normalise_catalogue
from .relative_weights import MISSING_METHODS, bootstrap_shares, correlation, importance_shares

OUTCOMES: tuple[str, ...] = ("nps", "csat", "ces")
"""Core-score outcomes; any driver rating (its key) can be the outcome too."""
PERFORMANCE_MEASURES: tuple[str, ...] = ("mean", "top2")
SPLIT_METHODS: tuple[str, ...] = ("median", "mean")
QUADRANTS: tuple[str, ...] = ("fix_first", "keep_up", "maintain", "lower_priority")

# The lowest answer in the top-2 box of a catalogue row ``cat``: the top two points of its scale
# (the top tenth on a 0-100 scale), as cx_core.ingest.recognise.top2_threshold.
TOP2_SQL = "(CASE WHEN cat.hi - cat.lo > 10 THEN cat.hi - (cat.hi - cat.lo) / 10 ELSE cat.hi - 1 END)"

DEFAULT_RESAMPLES = 200
# Above this many responses the bootstrap uses proportionally fewer resamples (never fewer than
# MIN_RESAMPLES): the intervals are narrow there anyway, and the page must stay interactive.
LARGE_N = 20_000
MIN_RESAMPLES = 50
DEFAULT_SEED = 20261122
MIN_PER_DRIVER = 10  # fewer complete responses per driver than this: the ranking is not trusted
TOP_STABILITY = 0.8  # the top driver must stay first in this share of resamples


@dataclass(frozen=True)
class DriverImportance:
    """One driver's importance (share of R², %) and performance, and its quadrant."""

    key: str
    label: str
    need: str
    category: str
    importance: float | None
    importance_ci95: tuple[float, float] | None
    performance: float | None
    performance_ci95: tuple[float, float] | None
    performance_n: int
    quadrant: str | None
    rank: int | None

    def to_dict(self) -> dict:
        return {
            "driver": self.label,
            "key": self.key,
            "need": self.need,
            "category": self.category,
            "importance": self.importance,
            "importance_ci95": list(self.importance_ci95) if self.importance_ci95 else None,
            "performance": self.performance,
            "performance_ci95": list(self.performance_ci95) if self.performance_ci95 else None,
            "performance_n": self.performance_n,
            "quadrant": self.quadrant,
            "rank": self.rank,
        }


@dataclass(frozen=True)
class KeyDriverResult:
    """The key-driver analysis of one selection.

    ``drivers`` are ranked by importance (drivers that could not enter the model come last with
    ``importance`` None). ``warnings`` holds codes: ``too_few`` (no model), ``small_n`` (fewer
    than :data:`MIN_PER_DRIVER` complete responses per driver or fewer than ``min_n``),
    ``top_unstable`` (the top driver is first in fewer than 80% of the bootstrap resamples).
    """

    outcome: str
    performance_measure: str
    missing: str
    split_method: str
    responses: int  # responses in the selection with an outcome
    n_used: int  # listwise: complete responses; pairwise: the smallest pairwise n
    r_squared: float | None
    drivers: list[DriverImportance]
    importance_split: float | None
    performance_split: float | None
    resamples: int
    top_stability: float | None
    excluded: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    performance_scale: tuple[float, float] = (1.0, 5.0)  # the scale of "mean" performance

    @property
    def ranking_uncertain(self) -> bool:
        return bool(self.warnings)

    def to_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "performance_measure": self.performance_measure,
            "missing": self.missing,
            "split_method": self.split_method,
            "responses": self.responses,
            "n_used": self.n_used,
            "r_squared": self.r_squared,
            "importance_split": self.importance_split,
            "performance_split": self.performance_split,
            "resamples": self.resamples,
            "top_stability": self.top_stability,
            "ranking_uncertain": self.ranking_uncertain,
            "warnings": list(self.warnings),
            "excluded": list(self.excluded),
            "performance_scale": list(self.performance_scale),
            "drivers": [d.to_dict() for d in self.drivers],
        }


def _selection(filters: Filters, group: tuple[str, str] | None, params: dict) -> str:
    extra = []
    if group is not None:
        dimension, value = group
        column = checked_column(dimension, DIMENSIONS)
        params["kd_group"] = str(value)
        extra.append(f"CAST({column} AS VARCHAR) = $kd_group")
    return filters.where(params, extra=extra)


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


def driver_matrix(
    ws: Workspace,
    drivers: list[Driver],
    outcome: str,
    filters: Filters = NO_FILTERS,
    group: tuple[str, str] | None = None,
) -> np.ndarray:
    """One row per response with an outcome: driver scores (NaN when not rated), outcome last."""
    selected = selected_ratings(ws, drivers, outcome, filters, group)
    return _model_matrix(selected, list(drivers))


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


def top2_threshold(lo: float, hi: float) -> float:
    """The lowest answer in the top-2 box of a ``lo``-``hi`` scale (as :data:`TOP2_SQL`)."""
    return hi - (hi - lo) / 10 if hi - lo > 10 else hi - 1


def _one_scale(drivers: list[Driver]) -> bool:
    return len({(float(d.scale_min), float(d.scale_max)) for d in drivers}) == 1


def performance_scale_of(drivers: list[Driver]) -> tuple[float, float]:
    """The scale performance means are shown on: the drivers' own when they share one, else 1-5."""
    if drivers and _one_scale(drivers):
        return float(drivers[0].scale_min), float(drivers[0].scale_max)
    return 1.0, 5.0


def _quadrant(importance: float, performance: float, imp_split: float, perf_split: float) -> str:
    if importance >= imp_split:
        return "fix_first" if performance < perf_split else "keep_up"
    return "maintain" if performance >= perf_split else "lower_priority"


def key_drivers(
    ws: Workspace,
    catalogue: CatalogueInput,
    filters: Filters = NO_FILTERS,
    *,
    outcome: str = "nps",
    performance: str = "mean",
    group: tuple[str, str] | None = None,
    missing: str = "listwise",
    split: str = "median",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    min_n: int = DEFAULT_MIN_N,
) -> KeyDriverResult:
    """Importance (Johnson's relative weights, % of R², bootstrap 95% CI) and performance per driver.

    - ``outcome``: ``"nps"`` (the 0-10 likelihood to recommend), ``"csat"``, ``"ces"`` or the key of
      a driver rating (then left out of the drivers), e.g. an overall rating in a file without NPS.
    - ``performance``: ``"mean"`` (1-5) or ``"top2"`` (share of the two best answers, %).
    - ``group``: ``(dimension, value)`` to analyse one segment or role, on top of ``filters``.
    - ``missing``: ``"listwise"`` (only responses that rated every driver) or ``"pairwise"``
      (each correlation from the responses that answered both).
    - ``split``: quadrant lines at the ``"median"`` or ``"mean"`` importance and performance.
    - ``resamples``/``seed``: the bootstrap (fixed seed, so the same data gives the same intervals);
      above :data:`LARGE_N` responses proportionally fewer resamples are drawn (at least
      :data:`MIN_RESAMPLES`); the result's ``resamples`` says how many were used.
    """
    drivers = normalise_catalogue(catalogue)
    check_choices(drivers, outcome=outcome, performance=performance, missing=missing, split=split)
    selected = selected_ratings(ws, drivers, outcome, filters, group)
    return key_drivers_of(
        selected,
        outcome=outcome,
        performance=performance,
        missing=missing,
        split=split,
        resamples=resamples,
        seed=seed,
        min_n=min_n,
    )


def check_choices(
    drivers: list[Driver],
    *,
    outcome: str = "nps",
    performance: str = "mean",
    missing: str = "listwise",
    split: str = "median",
) -> None:
    """Raise :class:`InvalidParameterError` for a choice :func:`key_drivers` does not offer."""
    if outcome not in OUTCOMES and outcome not in {d.key for d in drivers}:
        # any score or any driver rating can be explained (every metric is optional)
        choices = ", ".join([*OUTCOMES, *(d.key for d in drivers)])
        raise InvalidParameterError("error.not_a_choice", value=str(outcome)[:40], choices=choices[:200])
    for value, allowed in (
        (performance, PERFORMANCE_MEASURES),
        (missing, MISSING_METHODS),
        (split, SPLIT_METHODS),
    ):
        if value not in allowed:
            raise InvalidParameterError("error.not_a_choice", value=str(value)[:40], choices=", ".join(allowed))
    if not [d for d in drivers if d.key != outcome]:  # the outcome is never its own driver
        raise InvalidParameterError("error.no_driver_ratings")


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


def top_driver_by_group(
    ws: Workspace,
    catalogue: CatalogueInput,
    dimension: str,
    filters: Filters = NO_FILTERS,
    *,
    outcome: str = "nps",
    resamples: int = DEFAULT_RESAMPLES,
    min_n: int = DEFAULT_MIN_N,
) -> dict[str, KeyDriverResult]:
    """The key-driver analysis for each value of ``dimension`` (e.g. each role)."""
    column = checked_column(dimension, DIMENSIONS)
    params: dict = {}
    where = filters.where(params, extra=[f"{column} IS NOT NULL"])
    values = [
        str(r[0])
        for r in run_rows(ws.con, f"SELECT DISTINCT CAST({column} AS VARCHAR) FROM facts {where} ORDER BY 1", params)
    ]
    return {
        value: key_drivers(
            ws, catalogue, filters, outcome=outcome, group=(dimension, value), resamples=resamples, min_n=min_n
        )
        for value in values
    }


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


def driver_scores(
    ws: Workspace, catalogue: CatalogueInput, filters: Filters = NO_FILTERS
) -> dict[str, tuple[int, float | None, float | None]]:
    """Driver key -> (n, mean on the driver's own scale, top-2-box share %) for the selection."""
    drivers = normalise_catalogue(catalogue)
    if not drivers:
        return {}
    params: dict = {}
    where = filters.where(params)
    sql = (
        "SELECT r.driver, count(*) AS n, avg(r.score) AS mean, "
        f"100.0 * avg(CASE WHEN r.score >= {TOP2_SQL} THEN 1 ELSE 0 END) AS top "
        f"FROM ratings r JOIN (SELECT response_id FROM facts {where}) s ON r.response_id = s.response_id "
        f"JOIN {catalogue_sql(drivers, params)} ON r.driver = cat.driver "
        "WHERE r.score IS NOT NULL GROUP BY r.driver"
    )
    return {
        key: (
            int(n),
            round(float(mean), 3) if mean is not None else None,
            round(float(top), 2) if top is not None else None,
        )
        for key, n, mean, top in run_rows(ws.con, sql, params)
    }
