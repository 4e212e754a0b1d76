"""Key-driver analysis: which drivers move the outcome (importance) and how well we do (performance).

Importance is Johnson's relative weights (see :mod:`.relative_weights`) expressed as a share of R²,
with bootstrap 95% intervals. Everything is aggregated inside DuckDB and no response-by-driver
matrix is fetched: per driver its n, sums and top-2 count with their per-account sums
(:func:`selection_sums`: performance, driver scores, which drivers can enter the model), then the
model's sums and cross-products per account (the point estimate from their totals, the account
bootstrap from the accounts' sums), so memory grows with accounts x drivers², not responses x
drivers. Only a selection without accounts (whose bootstrap draws single responses) fetches the
model's rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..clustered import CLUSTER_KEY
from ..errors import InvalidParameterError
from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N
from ..schema import DIMENSIONS, Driver
from ..sql import checked_column, quote_ident, run_rows
from ..stats import Z95, ClusterSums, design_effect, wilson_interval
from ..workspace import Workspace
from .catalogue import CatalogueInput, catalogue_sql, normalise_catalogue, top2_threshold
from .needs import need_account_columns, need_items, need_response_columns, need_scores_of_sums
from .relative_weights import (
    MISSING_METHODS,
    RESAMPLE_BLOCK,
    bootstrap_shares,
    bootstrap_shares_of_accounts,
    corr_from_moments,
    correlation,
    importance_shares,
    pairwise_corr_from_moments,
)

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
class DriverSums:
    """One driver's answers in a selection, summed in DuckDB with their per-account sums.

    ``own`` sums the scores on the driver's scale, ``five`` the scores put on 1-5 and ``top2`` the
    answers in the top-2 box (1 or 0); ``n_model`` answers are of responses with an outcome, from
    ``low`` to ``high`` (None when there are none).
    """

    own: ClusterSums
    five: ClusterSums
    top2: ClusterSums
    n_model: int
    low: float | None
    high: float | None


@dataclass(frozen=True)
class SelectionSums:
    """What the key drivers, performance and driver scores of one selection need, summed in DuckDB.

    ``rows`` responses are selected; ``clustered`` when an account holds two of them (else every
    answer is independent: design effects of 1 and a bootstrap of single responses). ``responses``
    of them have an outcome, in ``accounts`` accounts, ranging ``y_low``-``y_high``. ``per_driver``
    holds each rated driver's sums (a driver nobody rated in the selection has none). The model's
    own sums (cross-products per account) are read by :func:`key_drivers_of` once it knows which
    drivers can enter the model.
    """

    drivers: tuple[Driver, ...]
    outcome: str | None
    filters: Filters
    group: tuple[str, str] | None
    rows: int
    clustered: bool
    responses: int
    accounts: int
    y_low: float | None
    y_high: float | None
    per_driver: dict[str, DriverSums]
    needs: pd.DataFrame | None = None  # the need scores, when asked for
    model: tuple[list[str], _Model] | None = None  # the listwise model of these drivers, when summed along


def _selection_cte(outcome: str | None, filters: Filters, group: tuple[str, str] | None, params: dict) -> str:
    """The CTE ``sel(response_id, y, c)``: each selected response, its outcome (NULL when it has
    none) and its account (:data:`CLUSTER_KEY`). ``outcome`` is a core score, a driver's key or None."""
    where = _selection(filters, group, params)
    cluster = f"{CLUSTER_KEY} AS c"
    if outcome in OUTCOMES:
        return f"sel AS (SELECT DISTINCT response_id, CAST({quote_ident(outcome)} AS DOUBLE) AS y, {cluster} FROM facts {where})"
    if outcome is None:
        return f"sel AS (SELECT DISTINCT response_id, CAST(NULL AS DOUBLE) AS y, {cluster} FROM facts {where})"
    params["kd_y"] = str(outcome)  # a driver rating as the outcome (e.g. an overall rating, no NPS/CSAT)
    return (
        f"sel0 AS (SELECT DISTINCT response_id, {cluster} FROM facts {where}), "
        "sel AS (SELECT sel0.response_id, o.y, sel0.c FROM sel0 LEFT JOIN "
        "(SELECT response_id, max(score) AS y FROM ratings WHERE driver = $kd_y GROUP BY response_id) o "
        "ON o.response_id = sel0.response_id)"
    )


def _pivot_cte(keys: list[str], filters: Filters, group: tuple[str, str] | None, params: dict) -> str:
    """The CTE ``piv(response_id, x0, x1...)``: each response's rating of each of ``keys`` (NULL when
    not rated), the long ratings pivoted with one conditional aggregate per driver (the keys are
    parameters, the aliases generated); with filters, only the selected responses' ratings (a semi-join)."""
    pivoted = []
    for i, key in enumerate(keys):
        params[f"kd_d{i}"] = key
        pivoted.append(f"max(score) FILTER (WHERE driver = $kd_d{i}) AS x{i}")
    wanted = ", ".join(f"$kd_d{i}" for i in range(len(keys)))
    restrict = " AND response_id IN (SELECT response_id FROM sel)" if _selection(filters, group, {}) else ""
    return (
        f"piv AS (SELECT response_id, {', '.join(pivoted)} FROM ratings WHERE driver IN ({wanted}){restrict} "
        "GROUP BY response_id)"
    )


FETCH_VECTORS = 64  # rows of the per-account sums read at a time: 64 vectors of 2,048


def selection_sums(
    ws: Workspace,
    drivers: list[Driver],
    outcome: str | None,
    filters: Filters = NO_FILTERS,
    group: tuple[str, str] | None = None,
    *,
    needs: bool = False,
    min_n: int = DEFAULT_MIN_N,
) -> SelectionSums:
    """The :class:`SelectionSums` of ``filters`` (and ``group``); with ``needs``, the need scores too.

    ``outcome`` is a core score (``nps``, ``csat``, ``ces``), the key of a driver rating, or None.
    One count of the selection (no ratings read), then one pass over the ratings: pivoted per
    response and summed per account (each driver's n, sum, sum of squares, top-2 count; each need's;
    and the model's sums and cross-products over the responses that rated every driver), read a
    few thousand accounts at a time. Nothing of size responses x drivers is fetched.
    """
    params: dict = {}
    selection = _selection_cte(outcome, filters, group, params)
    rows, accounts, responses, model_accounts, y_low, y_high = run_rows(
        ws.con,
        f"WITH {selection} SELECT count(*), count(DISTINCT c), count(y), "
        "count(DISTINCT c) FILTER (WHERE y IS NOT NULL), min(y), max(y) FROM sel",
        params,
    )[0]
    clustered = int(accounts) < int(rows)
    keys = [d.key for d in drivers]
    candidates = [j for j, d in enumerate(drivers) if d.key != outcome] if outcome is not None else []
    k = len(candidates) + 1
    # the model's account sums (listwise, every driver usable: the usual case) come with this pass
    # when the bootstrap would use them (see _model)
    with_model = (
        clustered and bool(candidates) and int(model_accounts) * (k + k * (k + 1) // 2) <= RESAMPLE_BLOCK * responses
    )
    per_driver: dict[str, DriverSums] = {}
    need_frame = None
    model = None
    if drivers:
        params = {}
        selection = _selection_cte(outcome, filters, group, params)
        pivot = _pivot_cte(keys, filters, group, params)
        columns = [f"piv.x{j}" for j in range(len(drivers))]
        per_response = [f"{c} AS x{j}" for j, c in enumerate(columns)]
        if needs:
            per_response += need_response_columns(list(drivers), columns, params)
        if with_model:
            complete = " AND ".join(["sel.y IS NOT NULL", *(f"piv.x{j} IS NOT NULL" for j in candidates)])
            model_columns = [*(f"x{j}" for j in candidates), "sel.y"]
            per_response += [f"CASE WHEN {complete} THEN {c} END AS m{i}" for i, c in enumerate(model_columns)]
        per_account = []
        for j, d in enumerate(drivers):
            params[f"kd_top{j}"] = top2_threshold(float(d.scale_min), float(d.scale_max))
            per_account.append(
                f"count(x{j}) AS dn{j}, sum(x{j}) AS ds{j}, sum(x{j} * x{j}) AS dq{j}, "
                f"count(*) FILTER (WHERE x{j} >= $kd_top{j}) AS dt{j}, count(x{j}) FILTER (WHERE y IS NOT NULL) AS dy{j}, "
                f"min(x{j}) FILTER (WHERE y IS NOT NULL) AS dlo{j}, max(x{j}) FILTER (WHERE y IS NOT NULL) AS dhi{j}"
            )
        if needs:
            per_account += need_account_columns(list(drivers))
        upper = list(zip(*np.triu_indices(k), strict=True))
        if with_model:
            per_account.append("count(m0) AS mn")
            per_account += [f"sum(m{i}) AS ma{i}" for i in range(k)]
            per_account += [f"sum(m{i} * m{j}) AS mb{t}" for t, (i, j) in enumerate(upper)]
        sql = (
            f"WITH {selection}, {pivot}, "
            f"r AS (SELECT sel.response_id, sel.c, sel.y, {', '.join(per_response)} "
            "FROM sel LEFT JOIN piv ON piv.response_id = sel.response_id) "
            f"SELECT {', '.join(per_account)} FROM r" + (" GROUP BY c ORDER BY c" if clustered else "")
            # accounts in the order of their keys (np.unique's: the bootstrap numbers them so)
        )
        totals = _Totals()
        items = len(need_items(list(drivers))) if needs else 0
        result = ws.con.execute(sql, params)
        while len(chunk := result.fetch_df_chunk(FETCH_VECTORS)):
            _add_account_sums(totals, chunk, len(drivers), items, with_model)
        for j, d in enumerate(drivers):
            driver = _driver_sums(totals, j, d)
            if driver is not None:
                per_driver[d.key] = driver
        if needs:
            scores = [(totals.cluster(f"ns{m}"), totals.cluster(f"nt{m}")) for m in range(items)]
            need_frame = need_scores_of_sums(list(drivers), scores, clustered, min_n=min_n)
        if with_model:
            kept = {name: np.concatenate(parts) for name, parts in totals.kept.items()}
            sizes = kept["mn"]
            by_account = np.column_stack(
                [kept.pop(f"ma{i}") for i in range(k)] + [kept.pop(f"mb{t}") for t in range(len(upper))]
            )
            nonempty = sizes > 0  # an account without a complete response is never drawn
            if not (sizes[nonempty] == 1).all():  # (one response each: drawn in response order, by _model)
                model = (
                    [keys[j] for j in candidates],
                    _account_model(sizes[nonempty], by_account[nonempty], np.zeros(0, dtype=np.int64), k, False),
                )
    return SelectionSums(
        drivers=tuple(drivers),
        outcome=outcome,
        filters=filters,
        group=group,
        rows=int(rows),
        clustered=clustered,
        responses=int(responses),
        accounts=int(model_accounts),
        y_low=None if y_low is None else float(y_low),
        y_high=None if y_high is None else float(y_high),
        per_driver=per_driver,
        needs=need_frame,
        model=model,
    )


class _Totals:
    """Sums over accounts of per-account sums, added chunk by chunk: each named score's
    :class:`ClusterSums` parts, minima, maxima; and the columns kept account by account."""

    def __init__(self) -> None:
        self.sums: dict[str, float] = {}
        self.kept: dict[str, list[np.ndarray]] = {}

    def add(self, name: str, value: float) -> None:
        self.sums[name] = self.sums.get(name, 0.0) + value

    def add_cluster(self, name: str, n: np.ndarray, y: np.ndarray, y_sq: np.ndarray) -> None:
        for part, value in (
            ("n", n.sum()),
            ("k", np.count_nonzero(n)),
            ("y", y.sum()),
            ("yy", y_sq.sum()),
            ("cy2", (y * y).sum()),
            ("cny", (n * y).sum()),
            ("cn2", (n * n).sum()),
        ):
            self.add(f"{name}.{part}", float(value))

    def cluster(self, name: str) -> ClusterSums:
        s = self.sums
        return ClusterSums(
            int(s[f"{name}.n"]),
            int(s[f"{name}.k"]),
            *(s[f"{name}.{part}"] for part in ("y", "yy", "cy2", "cny", "cn2")),
        )

    def extreme(self, name: str, values: np.ndarray, pick) -> None:
        values = values[np.isfinite(values)]
        if len(values):
            self.sums[name] = float(pick([pick(values), self.sums.get(name, pick(values))]))


def _add_account_sums(totals: _Totals, chunk, drivers: int, items: int, with_model: bool) -> None:
    """Add one chunk of the per-account sums of :func:`selection_sums` to ``totals``."""

    def column(name: str) -> np.ndarray:
        return np.nan_to_num(chunk[name].to_numpy(dtype=float, na_value=np.nan), nan=0.0)

    for j in range(drivers):
        n, t = column(f"dn{j}"), column(f"dt{j}")
        totals.add_cluster(f"d{j}", n, column(f"ds{j}"), column(f"dq{j}"))
        totals.add_cluster(f"t{j}", n, t, t)  # 1 or 0: the squares are the answers
        totals.add(f"y{j}", float(column(f"dy{j}").sum()))
        totals.extreme(f"lo{j}", chunk[f"dlo{j}"].to_numpy(dtype=float, na_value=np.nan), np.min)
        totals.extreme(f"hi{j}", chunk[f"dhi{j}"].to_numpy(dtype=float, na_value=np.nan), np.max)
    for m in range(items):
        n = column(f"n{m}")
        totals.add_cluster(f"ns{m}", n, column(f"ss{m}"), column(f"sq{m}"))
        totals.add_cluster(f"nt{m}", n, column(f"ts{m}"), column(f"tq{m}"))
    if with_model:
        for name in chunk.columns:
            if name[:2] in ("mn", "ma", "mb"):
                totals.kept.setdefault(name, []).append(column(name))


def _driver_sums(totals: _Totals, j: int, driver: Driver) -> DriverSums | None:
    """Driver ``j``'s :class:`DriverSums` from :func:`_add_account_sums`' totals (None: not rated)."""
    own = totals.cluster(f"d{j}")
    if not own.n:
        return None
    # on 1-5 each answer is v = a + b * score, so the sums of v follow from the score's
    lo, hi = float(driver.scale_min), float(driver.scale_max)
    b = 4 / (hi - lo)
    a = 1 - b * lo
    n, k, size_sq = own.n, own.clusters, own.cluster_size_sq
    five = ClusterSums(
        n,
        k,
        a * n + b * own.total,
        a * a * n + 2 * a * b * own.total + b * b * own.total_sq,
        a * a * size_sq + 2 * a * b * own.cluster_cross + b * b * own.cluster_sq,
        a * size_sq + b * own.cluster_cross,
        size_sq,
    )
    return DriverSums(
        own=own,
        five=five,
        top2=totals.cluster(f"t{j}"),
        n_model=int(totals.sums[f"y{j}"]),
        low=totals.sums.get(f"lo{j}"),
        high=totals.sums.get(f"hi{j}"),
    )


def _model_cte(sums: SelectionSums, keys: list[str], complete: bool, params: dict) -> str:
    """The CTE ``m(response_id, c, x0, x1..., x{k})``: the responses with an outcome, their rating
    of each of ``keys`` and their outcome last (``x{k}``); with ``complete``, only the responses
    that rated every one of ``keys``. The ratings are pivoted with one conditional aggregate per
    driver (the keys are parameters, the column aliases generated)."""
    selection = _selection_cte(sums.outcome, sums.filters, sums.group, params)
    pivoted = []
    for i, key in enumerate(keys):
        params[f"kd_d{i}"] = key
        pivoted.append(f"max(score) FILTER (WHERE driver = $kd_d{i}) AS x{i}")
    wanted = ", ".join(f"$kd_d{i}" for i in range(len(keys)))
    # with filters, only the selected responses' ratings are read (a semi-join)
    restrict = " AND response_id IN (SELECT response_id FROM sel)" if _selection(sums.filters, sums.group, {}) else ""
    columns = "".join(f", piv.x{i}" for i in range(len(keys)))
    condition = "".join(f" AND piv.x{i} IS NOT NULL" for i in range(len(keys))) if complete else ""
    return (
        f"{selection}, "
        f"piv AS (SELECT response_id, {', '.join(pivoted)} FROM ratings WHERE driver IN ({wanted}){restrict} "
        "GROUP BY response_id), "
        f"m AS (SELECT sel.response_id, sel.c{columns}, sel.y AS x{len(keys)} FROM sel "
        f"{'JOIN' if complete else 'LEFT JOIN'} piv ON piv.response_id = sel.response_id "
        f"WHERE sel.y IS NOT NULL{condition})"
    )


@dataclass(frozen=True)
class _Model:
    """The correlation matrix of the model's columns (outcome last), the responses behind it, and
    how to draw its bootstrap (``resample(count, seed)``: importance shares per kept resample)."""

    corr: np.ndarray
    n_used: int
    resample: Callable[[int, int], np.ndarray]


def _model_from_account_sums(ws: Workspace, sums: SelectionSums, keys: list[str], pairwise: bool) -> _Model:
    """The model from per-account sums and cross-products computed in DuckDB (O(accounts x drivers²)).

    Listwise: each account's count, column sums and products of two columns over its complete
    responses. Pairwise: for each pair of columns, the responses where both are present, the sum
    and sum of squares of one where the other is present, and the sum of products. Both give the
    point estimate (their totals) and the account bootstrap (centred as the numpy bootstrap centres
    its columns). Ratings are small numbers, so the sums are exact and the point estimate is the
    one of the rows themselves.
    """
    k = len(keys) + 1
    x = [f"x{i}" for i in range(k)]
    upper = list(zip(*np.triu_indices(k), strict=True))
    pairs = [(i, j) for i in range(k) for j in range(k)]
    if pairwise:
        parts = [
            *(f"count(*) FILTER (WHERE {x[i]} IS NOT NULL AND {x[j]} IS NOT NULL)" for i, j in upper),
            *(f"coalesce(sum({x[i]}) FILTER (WHERE {x[j]} IS NOT NULL), 0)" for i, j in pairs),
            *(f"coalesce(sum({x[i]} * {x[i]}) FILTER (WHERE {x[j]} IS NOT NULL), 0)" for i, j in pairs),
            *(f"coalesce(sum({x[i]} * {x[j]}), 0)" for i, j in upper),
        ]
    else:
        parts = [*(f"sum({x[i]})" for i in range(k)), *(f"sum({x[i]} * {x[j]})" for i, j in upper)]
    params: dict = {}
    model = _model_cte(sums, keys, not pairwise, params)
    # accounts in the order of their keys (np.unique's, as the bootstrap numbers them); ``first``
    # orders them as their responses when every account holds one (then single responses are drawn)
    sql = (
        f"WITH {model} SELECT count(*) AS n, "
        + "".join(f"{part} AS a{m}, " for m, part in enumerate(parts))
        + "row_number() OVER (ORDER BY min(response_id)) AS first FROM m GROUP BY c ORDER BY c"
    )
    arrays = ws.con.execute(sql, params).fetchnumpy()
    sizes = np.asarray(arrays.pop("n"), dtype=float)
    first = np.asarray(arrays.pop("first"), dtype=np.int64)
    by_account = np.empty((len(sizes), len(parts)))
    for m in range(len(parts)):
        by_account[:, m] = np.asarray(arrays.pop(f"a{m}"), dtype=float)
    return _account_model(sizes, by_account, first, k, pairwise)


def _account_model(sizes: np.ndarray, by_account: np.ndarray, first: np.ndarray, k: int, pairwise: bool) -> _Model:
    """The model of :func:`_model_from_account_sums`' per-account sums over ``k`` columns, the outcome
    last (``first``: each account's rank by its first response, used when every account holds one)."""
    upper = list(zip(*np.triu_indices(k), strict=True))
    if len(sizes) and int(sizes.sum()) == len(sizes):  # one response per account: in response order
        order = np.argsort(first)
        sizes, by_account = sizes[order], by_account[order]
    totals = by_account.sum(axis=0)
    rows = int(sizes.sum())
    iu, ju = np.triu_indices(k)

    def symmetric(values: np.ndarray) -> np.ndarray:  # (..., upper) -> (..., k, k)
        out = np.zeros((*values.shape[:-1], k, k))
        out[..., iu, ju] = values
        out[..., ju, iu] = values
        return out

    if pairwise:
        t = len(upper)
        n_acc = symmetric(by_account[:, :t])
        sum_acc = by_account[:, t : t + k * k].reshape(-1, k, k)
        sq_acc = by_account[:, t + k * k : t + 2 * k * k].reshape(-1, k, k)
        cross_acc = symmetric(by_account[:, t + 2 * k * k :])
        n, sum_i, sum_sq_i, cross = (part.sum(axis=0) for part in (n_acc, sum_acc, sq_acc, cross_acc))
        corr = pairwise_corr_from_moments(n, sum_i, sum_sq_i, cross)
        n_used = int(n.min())
        counts = np.diagonal(n)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(counts > 0, np.diagonal(sum_i) / counts, 0.0)
        ci, cj = centre[:, None], centre[None, :]
        centred = np.concatenate(
            [
                n_acc.reshape(len(sizes), -1),
                (sum_acc - ci * n_acc).reshape(len(sizes), -1),
                (sq_acc - 2 * ci * sum_acc + ci * ci * n_acc).reshape(len(sizes), -1),
                (cross_acc - ci * np.swapaxes(sum_acc, 1, 2) - cj * sum_acc + ci * cj * n_acc).reshape(len(sizes), -1),
            ],
            axis=1,
        )
        single = sizes == 1  # an account of one response: its products exactly as the rows' own
        if single.any():
            present = np.diagonal(n_acc[single], axis1=1, axis2=2)
            d = np.diagonal(sum_acc[single], axis1=1, axis2=2) - centre * present
            m = int(single.sum())
            centred[single, k * k : 2 * k * k] = (d[:, :, None] * present[:, None, :]).reshape(m, -1)
            centred[single, 2 * k * k : 3 * k * k] = ((d * d)[:, :, None] * present[:, None, :]).reshape(m, -1)
            centred[single, 3 * k * k :] = (d[:, :, None] * d[:, None, :]).reshape(m, -1)
    else:
        n_used = rows
        corr = corr_from_moments(rows, totals[:k], symmetric(totals[k:])) if rows >= 3 else np.full((k, k), np.nan)
        centre = totals[:k] / rows if rows else np.zeros(k)
        first_sums = by_account[:, :k]
        centred = np.concatenate(
            [
                first_sums - sizes[:, None] * centre,
                by_account[:, k:]
                - centre[iu] * first_sums[:, ju]
                - centre[ju] * first_sums[:, iu]
                + sizes[:, None] * (centre[iu] * centre[ju]),
            ],
            axis=1,
        )
        single = sizes == 1  # an account of one response: its products exactly as the rows' own
        d = centred[single, :k]
        centred[single, k:] = d[:, iu] * d[:, ju]
    del by_account

    def resample(count: int, seed: int) -> np.ndarray:
        if rows < 3:
            return np.empty((0, k - 1))
        return bootstrap_shares_of_accounts(centred, sizes, pairwise, count, seed)

    return _Model(corr, n_used, resample)


def _model_from_rows(ws: Workspace, sums: SelectionSums, keys: list[str], missing: str) -> _Model:
    """The model from its rows, fetched (O(responses x drivers)): when every response is its own
    account the bootstrap draws single responses, and when accounts are tiny their sums would
    outweigh the rows themselves."""
    params: dict = {}
    model = _model_cte(sums, keys, missing == "listwise", params)
    k = len(keys) + 1
    sql = (
        f"WITH {model} SELECT {''.join(f'x{i}, ' for i in range(k))}"
        "dense_rank() OVER (ORDER BY c) - 1 AS code FROM m ORDER BY response_id"
    )
    arrays = ws.con.execute(sql, params).fetchnumpy()
    rows = len(arrays["code"])
    matrix = np.empty((rows, k))
    for i in range(k):  # column by column, each fetched column released once copied
        matrix[:, i] = np.ma.filled(np.ma.asarray(arrays.pop(f"x{i}"), dtype=float), np.nan)
    clusters = np.asarray(arrays["code"], dtype=np.int64) if sums.clustered else None
    corr, n_used = correlation(matrix, missing)
    return _Model(corr, n_used, lambda count, seed: bootstrap_shares(matrix, missing, count, seed, clusters))


def _model(ws: Workspace, sums: SelectionSums, keys: list[str], missing: str) -> _Model:
    """The model of the drivers ``keys``: summed along with the selection when it could be (the
    usual case), else summed per account in DuckDB, else (no accounts) its rows."""
    pairwise = missing == "pairwise" and any(sums.per_driver[key].n_model < sums.responses for key in keys)
    if not pairwise and sums.model is not None and sums.model[0] == keys:
        return sums.model[1]
    k = len(keys) + 1
    width = 4 * k * k if pairwise else k + k * (k + 1) // 2
    if sums.clustered and sums.accounts * width <= RESAMPLE_BLOCK * sums.responses:
        return _model_from_account_sums(ws, sums, keys, pairwise)
    return _model_from_rows(ws, sums, keys, missing)


def _performance(
    sums: SelectionSums, drivers: list[Driver], measure: str
) -> dict[str, tuple[float | None, tuple[float, float] | None, int]]:
    """Mean (with its normal 95% interval) or top-2-box share (Wilson interval) of each rated driver."""
    one_scale = _one_scale(drivers)
    out: dict = {}
    for d in drivers:
        driver = sums.per_driver.get(d.key)
        if driver is None:
            continue
        n = driver.own.n
        if measure == "mean":
            # one shared scale: means on that scale ("Mean (0-10)"); mixed scales: each put on 1-5
            value = driver.own if one_scale else driver.five
            mean = value.total / n
            var = max((value.total_sq - n * mean * mean) / (n - 1), 0.0) if n > 1 else None
            deff = design_effect(value if sums.clustered else None)
            half = Z95 * (deff * var / n) ** 0.5 if var is not None else None
            ci = (round(mean - half, 3), round(mean + half, 3)) if half is not None else None
            out[d.key] = (round(mean, 3), ci, n)
        else:
            top = int(driver.top2.total)
            deff = design_effect(driver.top2 if sums.clustered else None)
            out[d.key] = (round(100 * top / n, 2), wilson_interval(top, n, deff), n)
    return out


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
    sums = selection_sums(ws, drivers, outcome, filters, group)
    return key_drivers_of(
        ws,
        sums,
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
    ws: Workspace,
    sums: SelectionSums,
    *,
    outcome: str = "nps",
    performance: str = "mean",
    missing: str = "listwise",
    split: str = "median",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    min_n: int = DEFAULT_MIN_N,
) -> KeyDriverResult:
    """:func:`key_drivers` of a selection already summed with :func:`selection_sums` (same ``outcome``).

    The model's cross-products are summed per account in DuckDB (:func:`_model_from_account_sums`)
    once the drivers that can enter it are known; only without accounts (or with accounts so small
    their sums would outweigh the rows) are its rows fetched.
    """
    check_choices(list(sums.drivers), outcome=outcome, performance=performance, missing=missing, split=split)
    drivers = [d for d in sums.drivers if d.key != outcome]
    responses = sums.responses
    perf = _performance(sums, drivers, performance)

    # Drivers without ratings or without variation in this selection cannot enter the model.
    usable = []
    excluded = []
    for i, d in enumerate(drivers):
        driver = sums.per_driver.get(d.key)
        low, high = (driver.low, driver.high) if driver is not None and driver.n_model >= 3 else (None, None)
        (usable if low is not None and high is not None and high > low else excluded).append(i)
    warnings: list[str] = []
    shares = np.full(len(drivers), np.nan)
    ci = [None] * len(drivers)
    r_squared = None
    n_used = 0
    stability = None
    kept = 0
    varies = sums.y_low is not None and sums.y_high is not None and sums.y_high > sums.y_low
    if usable and responses >= 3 and varies:
        model = _model(ws, sums, [drivers[i].key for i in usable], missing)
        corr, n_used = model.corr, model.n_used
        if np.isfinite(corr).all() and n_used >= len(usable) + 2:
            point, r2 = importance_shares(corr)
            if np.isfinite(point).all():
                r_squared = round(r2, 4)
                shares[usable] = point
                effective = min(resamples, max(MIN_RESAMPLES, resamples * LARGE_N // max(responses, 1)))
                boot = model.resample(effective, seed)
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


def driver_scores_of(sums: SelectionSums) -> dict[str, tuple[int, float | None, float | None]]:
    """:func:`driver_scores` of a selection already summed with :func:`selection_sums` (no other read)."""
    out: dict[str, tuple[int, float | None, float | None]] = {}
    for d in sums.drivers:
        driver = sums.per_driver.get(d.key)
        if driver is None:  # as the query: a driver nobody rated in the selection has no row
            continue
        n = driver.own.n
        top = int(driver.top2.total)
        # the query's arithmetic: avg(score), and 100.0 * avg(1 or 0)
        out[d.key] = (n, round(driver.own.total / n, 3), round(100.0 * (top / n), 2))
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
