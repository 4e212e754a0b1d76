"""Every figure of the segmentation page from one pass over the filtered data.

:func:`segmentation_view` runs one DuckDB query (a materialised filtered selection aggregated with
GROUPING SETS: per group, segment x role, the cross-tab, per period and overall) plus the
role-weighted account query, and derives everything else (ranks, tests, comparisons) from those
aggregates in Python. Nothing row-level leaves the database except one row per account for the
weighted NPS, which is binned here before it reaches a chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..clustered import (
    CLUSTER_KEY,
    cluster_sums,
    inner_columns,
    outer_column_names,
    outer_columns,
    pooled_iccs,
    scores_from_record,
)
from ..errors import InvalidParameterError
from ..export import to_csv_bytes
from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N, NOT_SET, order_groups
from ..roles import ROLES, clean_role_weights
from ..shared_views import shared_view
from ..sql import in_list
from ..stats import (
    MeanResult,
    NpsResult,
    benjamini_hochberg,
    clusters_of,
    extremes_adjusted_p,
    group_design_effect,
    holm_adjust,
    is_significant,
    mean_difference_test,
    mean_from_moments,
    nps_difference_test,
    nps_from_counts,
    nps_subtract,
    proportion_difference_test,
    wilson_interval,
)
from ..workspace import Workspace
from .columnar import segment_sets
from .dimensions import check_filters, checked_dimension, text_columns

CROSSTAB_METRICS: tuple[str, ...] = ("nps", "csat_mean", "ces_mean", "detractor_share", "count")
GRAINS: tuple[str, ...] = ("month", "quarter")
ALPHA = 0.05
HISTOGRAM_EDGES = tuple(range(-100, 101, 10))
_SCORE_COLUMNS: tuple[str, ...] = outer_column_names()


@dataclass(frozen=True)
class Scores:
    """NPS, CSAT and CES of one set of answers."""

    nps: NpsResult
    csat: MeanResult | None
    ces: MeanResult | None

    @property
    def n(self) -> int:
        return self.nps.n


@dataclass(frozen=True)
class Comparison:
    """A two-sided test of a difference between two independent sets of answers.

    ``p_adjusted`` is the Holm-adjusted p-value when the test belongs to a family of tests run at
    once (``correction == "holm"``), else equal to ``p_value``. ``significant`` is decided on
    ``p_adjusted`` at 95%. ``tested`` is False (with a ``reason``) when a side is under the
    minimum n or has no variance estimate: no claim is made either way.
    """

    metric: str
    a: str
    b: str
    difference: float | None
    p_value: float | None
    p_adjusted: float | None
    significant: bool
    correction: str | None = None
    tested: bool = True
    reason: str | None = None

    def to_dict(self) -> dict:
        return {
            "metric": self.metric,
            "a": self.a,
            "b": self.b,
            "difference": self.difference,
            "p_value": _round_p(self.p_value),
            "p_adjusted": _round_p(self.p_adjusted),
            "significant": self.significant,
            "correction": self.correction,
            "tested": self.tested,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class GroupRow:
    """One group of the chosen dimension: its scores, its rank (solid groups only), vs the rest."""

    group: str
    scores: Scores
    small_sample: bool
    rank: int | None
    vs_rest: Comparison

    def to_dict(self, key: str = "group") -> dict:
        nps = self.scores.nps
        return {
            key: self.group,
            "n": nps.n,
            "nps": nps.score,
            "ci95": list(nps.ci95) if nps.ci95 else None,
            "effective_n": nps.effective_n,
            "design_effect": round(nps.design_effect, 3),
            "csat": self.scores.csat.to_dict() if self.scores.csat else None,
            "ces": self.scores.ces.to_dict() if self.scores.ces else None,
            "small_sample": self.small_sample,
            "rank": self.rank,
            "vs_rest": self.vs_rest.to_dict(),
        }


@dataclass(frozen=True)
class CrossTab:
    """Two dimensions x one metric; ``frame`` is long: row, col, value, n, small_sample, difference,
    q_value, differs.

    Each solid cell is tested against the rest of the table (every answer not in the cell);
    ``q_value`` is its p-value adjusted by Benjamini-Hochberg across the cells tested at once
    (false discovery rate 5%), ``differs`` is "above" / "below" when q < 0.05, else empty
    (``correction`` names the adjustment; counts are not tested)."""

    row_dimension: str
    col_dimension: str
    metric: str
    frame: pd.DataFrame
    correction: str | None = None
    tested_cells: int = 0

    def wide(self, what: str = "value") -> pd.DataFrame:
        """Rows x columns table of ``value`` or ``n``."""
        if self.frame.empty:
            return pd.DataFrame()
        return self.frame.pivot(index="row", columns="col", values=what)

    def to_csv(self) -> bytes:
        """The long table with counts, as UTF-8 CSV with a BOM so Excel opens Japanese text."""
        out = self.frame.rename(columns={"row": self.row_dimension, "col": self.col_dimension, "value": self.metric})
        if self.row_dimension == self.col_dimension:
            out.columns = [f"{self.row_dimension} (rows)", f"{self.col_dimension} (columns)", *out.columns[2:]]
        return to_csv_bytes(out)  # formula injection neutralised, BOM for Excel


@dataclass(frozen=True)
class AccountDistribution:
    """How accounts spread over role-weighted NPS (binned); one account per answer-bearing account."""

    weights: dict[str, float]
    bins: pd.DataFrame  # bin_start, bin_end, accounts
    accounts: int
    median: float | None
    share_negative: float | None  # share (0-100) of accounts with weighted NPS below 0
    # its 95% interval with accounts as the units (each account one value: no design effect applies)
    share_negative_ci95: tuple[float, float] | None = None

    def to_dict(self) -> dict:
        return {
            "weights": dict(self.weights),
            "accounts": self.accounts,
            "median": self.median,
            "share_negative": self.share_negative,
            "share_negative_ci95": list(self.share_negative_ci95) if self.share_negative_ci95 else None,
            "bins": self.bins.to_dict(orient="records"),
        }


@dataclass(frozen=True)
class Trend:
    """NPS per period with its interval, and the latest period tested against the previous one."""

    grain: str
    frame: pd.DataFrame  # period, n, nps, ci_low, ci_high, small_sample
    latest_vs_previous: Comparison | None

    def to_dict(self) -> dict:
        rows = [
            {
                "period": r.period,
                "n": int(r.n),
                "nps": _none_if_nan(r.nps),
                "ci95": None if _none_if_nan(r.ci_low) is None else [r.ci_low, r.ci_high],
                "small_sample": bool(r.small_sample),
            }
            for r in self.frame.itertuples(index=False)
        ]
        return {
            "grain": self.grain,
            "periods": rows,
            "latest_vs_previous": self.latest_vs_previous.to_dict() if self.latest_vs_previous else None,
        }


@dataclass(frozen=True)
class SegmentationView:
    """Every figure of the segmentation page for one filter state."""

    filters: Filters
    dimension: str
    min_n: int
    total: Scores
    groups: list[GroupRow]
    tested_groups: int  # size of the Holm family of the "vs the rest" tests
    heatmap: pd.DataFrame  # segment, role, n, nps, ci_low, ci_high, small_sample
    crosstab: CrossTab
    accounts: AccountDistribution
    trend: Trend
    _by_group: dict[str, Scores] = field(default_factory=dict, repr=False)
    _by_cell: dict[tuple[str, str], Scores] = field(default_factory=dict, repr=False)

    def extremes(self) -> Comparison | None:
        """The highest solid group against the lowest on NPS (None with fewer than two solid
        groups), Bonferroni-adjusted over every pair: a headline names a highest and a lowest
        group only when this is significant."""
        solid = [g.group for g in self.groups if not g.small_sample and g.scores.nps.score is not None]
        if len(solid) < 2:
            return None
        return _extremes(solid[0], self._by_group[solid[0]], solid[-1], self._by_group[solid[-1]], len(solid))

    def heatmap_extremes(self) -> Comparison | None:
        """The highest solid segment x role cell against the lowest, as :meth:`extremes`."""
        solid = [
            (str(r.segment), str(r.role))
            for r in self.heatmap.sort_values("nps", ascending=False).itertuples(index=False)
            if not r.small_sample and _none_if_nan(r.nps) is not None
        ]
        if len(solid) < 2:
            return None
        (top, bottom) = solid[0], solid[-1]
        return _extremes(" × ".join(top), self._by_cell[top], " × ".join(bottom), self._by_cell[bottom], len(solid))

    def group_names(self) -> list[str]:
        return [g.group for g in self.groups]

    def compare(self, a: str, b: str, metric: str = "nps") -> Comparison:
        """Test group ``a`` against group ``b`` on ``nps``, ``csat`` or ``ces`` (one test, no correction)."""
        if a not in self._by_group or b not in self._by_group:
            raise InvalidParameterError("error.unknown_groups")
        return _compare(metric, a, self._by_group[a], b, self._by_group[b], self.min_n)

    def heatmap_records(self) -> list[dict]:
        """``[{segment, role, n, nps, ci95, small_sample}]`` for JSON."""
        return [
            {
                "segment": r.segment,
                "role": r.role,
                "n": int(r.n),
                "nps": _none_if_nan(r.nps),
                "ci95": None if _none_if_nan(r.ci_low) is None else [r.ci_low, r.ci_high],
                "small_sample": bool(r.small_sample),
            }
            for r in self.heatmap.itertuples(index=False)
        ]


def segmentation_view(
    ws: Workspace,
    filters: Filters = NO_FILTERS,
    *,
    dimension: str = "segment",
    crosstab: tuple[str, str, str] = ("segment", "respondent_role", "nps"),
    weights: dict[str, float] | None = None,
    grain: str = "month",
    min_n: int = DEFAULT_MIN_N,
) -> SegmentationView:
    """Compute every figure of the segmentation page for ``filters``.

    ``dimension`` is the grouping of the score table and its tests; ``crosstab`` is
    ``(row dimension, column dimension, metric)`` with metric one of :data:`CROSSTAB_METRICS`;
    ``weights`` are role weights for the account NPS (defaults favour decision makers); ``grain``
    is ``"month"`` or ``"quarter"``; groups, cells and periods with fewer than ``min_n`` answers
    are flagged and never ranked or tested. Shared by the sessions on the same saved data set
    (:mod:`cx_core.shared_views`).
    """
    return shared_view(
        ws,
        "segmentation_view",
        (filters, dimension, crosstab, weights, grain, min_n),
        lambda: _segmentation_view(ws, filters, dimension, crosstab, weights, grain, min_n),
    )


def _segmentation_view(
    ws: Workspace,
    filters: Filters,
    dimension: str,
    crosstab: tuple[str, str, str],
    weights: dict[str, float] | None,
    grain: str,
    min_n: int,
) -> SegmentationView:
    row_dim, col_dim, metric = crosstab
    if metric not in CROSSTAB_METRICS:
        raise InvalidParameterError("error.not_a_choice", value=str(metric)[:30], choices=", ".join(CROSSTAB_METRICS))
    if grain not in GRAINS:
        raise InvalidParameterError("error.not_a_choice", value=str(grain)[:30], choices=", ".join(GRAINS))
    min_n = max(1, int(min_n))
    weights = clean_role_weights(weights)
    sets = _aggregate(ws, filters, dimension, row_dim, col_dim, grain, weights)

    total_record = sets["total"][0] if sets["total"] else None
    total = _scores(total_record)
    pooled = pooled_iccs(total_record)
    by_group = {str(r["a"]): _scores(r, pooled) for r in sets["group"]}
    rest_effects = _rest_design_effects(sets["group"], total_record, total, pooled.get("nps", 0.0))
    groups, tested = _rank_and_test(by_group, total, min_n, rest_effects)
    heatmap = _score_frame(sets["heatmap"], min_n, pooled).rename(columns={"a": "segment", "b": "role"})
    by_cell = {(str(r["a"]), str(r["b"])): _scores(r, pooled) for r in sets["heatmap"]}
    cross = _crosstab(sets["crosstab"], row_dim, col_dim, metric, min_n, pooled, total_record)
    trend = _trend(sets["trend"], grain, min_n, pooled)
    accounts = _account_distribution(sets["account_bin"], sets["account_summary"], weights)
    return SegmentationView(
        filters=filters,
        dimension=dimension,
        min_n=min_n,
        total=total,
        groups=groups,
        tested_groups=tested,
        heatmap=heatmap,
        crosstab=cross,
        accounts=accounts,
        trend=trend,
        _by_group=by_group,
        _by_cell=by_cell,
    )


# --- the one aggregate query ---------------------------------------------------------------------

_SETS = {
    # grouping id (bit set = column NOT grouped; order g_dim, g_seg, g_role, g_row, g_col, g_period)
    0b011111: "group",
    0b100111: "heatmap",
    0b111001: "crosstab",
    0b111110: "trend",
    0b111111: "total",
    -1: "account_bin",
    -2: "account_summary",
}


def _aggregate(
    ws: Workspace,
    filters: Filters,
    dimension: str,
    row_dim: str,
    col_dim: str,
    grain: str,
    weights: dict[str, float] | None = None,
) -> dict[str, list[dict]]:
    """All aggregates of the page in one statement, as plain records keyed by the figure they feed.

    Sets: ``group``, ``heatmap``, ``crosstab``, ``trend``, ``total`` (score aggregates), and
    ``account_bin`` (accounts per 10-point bin of role-weighted NPS, in ``bin``) and
    ``account_summary`` (number of accounts in ``n``, median weighted NPS in ``value``).
    The weighted NPS follows :func:`cx_core.weighting.weighted_account_nps` exactly (a test checks
    that both agree); it is computed here so that one scan of the data serves every figure.
    """
    columns = text_columns(ws)
    check_filters(ws, filters, columns)
    dim, row, col, segment, role = (
        checked_dimension(ws, d, columns) for d in (dimension, row_dim, col_dim, "segment", "respondent_role")
    )
    weights = clean_role_weights(weights)
    # the same records from columns held in memory (cx_core.segments.columnar), when it can
    in_memory = segment_sets(ws, filters, dimension, row_dim, col_dim, grain, weights, _SCORE_COLUMNS)
    if in_memory is not None:
        return in_memory
    params: dict = {"not_set": NOT_SET}
    where = filters.where(params)
    role_values = in_list("w_role", list(ROLES), params)
    weight_values = in_list("w_value", [float(weights[r]) for r in ROLES], params)
    # grain is one of two constants (checked by the caller), never a user string
    unit = "quarter" if grain == "quarter" else "month"
    score_names = _SCORE_COLUMNS
    nulls = ", ".join(f"NULL AS {name}" for name in score_names[1:])
    sql = f"""
    WITH f AS MATERIALIZED (
        SELECT coalesce({dim}, $not_set) AS g_dim, coalesce({segment}, $not_set) AS g_seg,
               coalesce({role}, $not_set) AS g_role, coalesce({row}, $not_set) AS g_row,
               coalesce({col}, $not_set) AS g_col, date_trunc('{unit}', submitted_at) AS g_period,
               account_key, {CLUSTER_KEY} AS cluster, {role} AS role, is_promoter, is_detractor, nps, csat, ces
        FROM facts {where}
    ),
    per_account AS (
        -- first per group and account, so that every score knows how its answers cluster in accounts
        SELECT GROUPING(g_dim, g_seg, g_role, g_row, g_col, g_period) AS gid,
               coalesce(g_dim, g_seg, g_row) AS a,
               coalesce(g_role, g_col) AS b,
               g_period AS period,
               {inner_columns(4.0, 6.0)}
        FROM f
        GROUP BY GROUPING SETS ((g_dim, cluster), (g_seg, g_role, cluster), (g_row, g_col, cluster),
                               (g_period, cluster), (cluster))
    ),
    scores AS (
        SELECT gid, a, b, period, {outer_columns()}
        FROM per_account
        GROUP BY gid, a, b, period
    ),
    w AS (
        SELECT unnest(list_value{role_values}) AS role, unnest(list_value{weight_values}) AS weight
    ),
    by_role AS (
        SELECT account_key, role, 100.0 * (sum(is_promoter) - sum(is_detractor)) / NULLIF(count(nps), 0) AS role_nps
        FROM f WHERE account_key IS NOT NULL
        GROUP BY account_key, role
    ),
    accounts AS (
        SELECT b.account_key,
               round(CASE WHEN sum(w.weight) FILTER (WHERE b.role_nps IS NOT NULL) > 0
                          THEN sum(w.weight * b.role_nps) FILTER (WHERE b.role_nps IS NOT NULL)
                               / sum(w.weight) FILTER (WHERE b.role_nps IS NOT NULL) END, 6) AS wnps
        FROM by_role b JOIN w ON b.role = w.role
        GROUP BY b.account_key
    ),
    rated AS (SELECT wnps FROM accounts WHERE wnps IS NOT NULL)
    SELECT gid, a, b, period, {", ".join(score_names)}, NULL::INTEGER AS bin, NULL::DOUBLE AS value
    FROM scores
    UNION ALL
    SELECT -1, NULL, NULL, NULL, count(*), {nulls},
           least(floor((wnps + 100) / 10), 19)::INTEGER, NULL
    FROM rated GROUP BY least(floor((wnps + 100) / 10), 19)::INTEGER
    UNION ALL
    SELECT -2, NULL, NULL, NULL, count(*), {nulls}, NULL, median(wnps)
    FROM rated
    """
    # plain tuples, not a DataFrame: the result is a few hundred rows and pandas overhead dominates
    cursor = ws.con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    sets: dict[str, list[dict]] = {name: [] for name in _SETS.values()}
    for values in cursor.fetchall():
        record = dict(zip(names, values, strict=True))
        sets[_SETS[record["gid"]]].append(record)
    return sets


def _trend_sets(ws: Workspace, filters: Filters, grain: str) -> dict[str, list[dict]]:
    """The ``trend`` and ``total`` sets of :func:`_aggregate` alone (the same sums, without the other figures)."""
    check_filters(ws, filters, text_columns(ws))
    params: dict = {}
    where = filters.where(params)
    unit = "quarter" if grain == "quarter" else "month"  # one of two constants, never a user string
    score_names = _SCORE_COLUMNS
    sql = f"""
    WITH per_account AS (
        SELECT GROUPING(g_period) AS gid, g_period AS period, {inner_columns(4.0, 6.0)}
        FROM (SELECT date_trunc('{unit}', submitted_at) AS g_period, {CLUSTER_KEY} AS cluster,
                     is_promoter, is_detractor, nps, csat, ces
              FROM facts {where})
        GROUP BY GROUPING SETS ((g_period, cluster), (cluster))
    )
    SELECT gid, period, {", ".join(score_names)}
    FROM (SELECT gid, period, {outer_columns()} FROM per_account GROUP BY gid, period)
    """
    cursor = ws.con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    sets: dict[str, list[dict]] = {"trend": [], "total": []}
    for values in cursor.fetchall():
        record = dict(zip(names, values, strict=True))
        sets["total" if record["gid"] else "trend"].append(record)
    return sets


def _scores(row: dict | None, pooled: dict[str, float] | None = None) -> Scores:
    if row is None or not row["n"]:
        return Scores(nps_from_counts(0, 0, 0), None, None)
    return Scores(*scores_from_record(row, pooled))


# --- groups: rank solid ones, test each against the rest (Holm) ----------------------------------


def _rest_design_effects(
    records: list[dict], total_record: dict | None, total: Scores, pooled_icc: float = 0.0
) -> dict[str, tuple[float, int | None]]:
    """The NPS design effect of "the rest" of each group. Exact when every account lies in one
    group (segment, industry, region...: the rest's per-account sums are the total's minus the
    group's); when a dimension cuts through accounts (roles), the total's design effect, the rest
    being most of the total."""
    if total_record is None:
        return {}
    whole = cluster_sums(total_record, "nps")
    parts = {str(r["a"]): cluster_sums(r, "nps") for r in records}
    if sum(p.clusters for p in parts.values()) != whole.clusters:
        return {g: (total.nps.design_effect, total.nps.clusters) for g in parts}
    return {g: (group_design_effect(whole.minus(p), pooled_icc), clusters_of(whole.minus(p))) for g, p in parts.items()}


def _rank_and_test(
    by_group: dict[str, Scores],
    total: Scores,
    min_n: int,
    rest_effects: dict[str, tuple[float, int | None]] | None = None,
) -> tuple[list[GroupRow], int]:
    solid, small = order_groups(
        {g: s.n for g, s in by_group.items()}, {g: s.nps.score for g, s in by_group.items()}, min_n
    )
    raw: dict[str, tuple[float | None, float | None]] = {}
    for g in solid:
        rest = nps_subtract(total.nps, by_group[g].nps, *(rest_effects or {}).get(g, (None, None)))
        raw[g] = nps_difference_test(by_group[g].nps, rest) if rest.n >= min_n else (None, None)
    testable = [g for g in solid if raw[g][1] is not None]
    adjusted = dict(zip(testable, holm_adjust([raw[g][1] for g in testable]), strict=True))
    family = len(testable)
    rows = []
    for rank, g in enumerate(solid, start=1):
        diff, p = raw[g]
        if p is None:
            comparison = Comparison("nps", g, "rest", diff, None, None, False, None, False, "rest_too_small")
        else:
            p_adj = adjusted[g]
            comparison = Comparison(
                "nps", g, "rest", diff, p, p_adj, is_significant(p_adj, ALPHA), "holm" if family > 1 else None
            )
        rows.append(GroupRow(g, by_group[g], False, rank, comparison))
    for g in small:
        comparison = Comparison("nps", g, "rest", None, None, None, False, None, False, "small_sample")
        rows.append(GroupRow(g, by_group[g], True, None, comparison))
    return rows, family


def _compare(metric: str, a: str, sa: Scores, b: str, sb: Scores, min_n: int) -> Comparison:
    if metric == "nps":
        if sa.nps.n < min_n or sb.nps.n < min_n:
            return Comparison(metric, a, b, None, None, None, False, None, False, "small_sample")
        diff, p = nps_difference_test(sa.nps, sb.nps)
    elif metric in ("csat", "ces"):
        ra, rb = getattr(sa, metric), getattr(sb, metric)
        if ra is None or rb is None:
            return Comparison(metric, a, b, None, None, None, False, None, False, "not_in_data")
        if ra.n < min_n or rb.n < min_n:
            return Comparison(metric, a, b, None, None, None, False, None, False, "small_sample")
        diff, p = mean_difference_test(ra, rb)
    else:
        raise InvalidParameterError("error.not_a_choice", value=str(metric)[:30], choices="nps, csat, ces")
    if p is None:
        return Comparison(metric, a, b, diff, None, None, False, None, False, "no_variance")
    return Comparison(metric, a, b, diff, p, p, is_significant(p, ALPHA))


# --- frames for charts ---------------------------------------------------------------------------


def _score_frame(rows: list[dict], min_n: int, pooled: dict[str, float] | None = None) -> pd.DataFrame:
    """a, b, n, nps, ci_low, ci_high, small_sample (+ csat/ces means, detractor share)."""
    records = []
    for r in sorted(rows, key=lambda r: (str(r["a"]), str(r["b"]))):
        s = _scores(r, pooled)
        ci = s.nps.ci95 or (None, None)
        records.append(
            {
                "a": str(r["a"]),
                "b": str(r["b"]),
                "n": s.n,
                "nps": s.nps.score,
                "ci_low": ci[0],
                "ci_high": ci[1],
                "csat_mean": s.csat.score if s.csat else None,
                "ces_mean": s.ces.score if s.ces else None,
                "detractor_share": round(100 * s.nps.detractors / s.n, 2) if s.n else None,
                "small_sample": s.n < min_n,
            }
        )
    columns = ["a", "b", "n", "nps", "ci_low", "ci_high", "csat_mean", "ces_mean", "detractor_share", "small_sample"]
    return pd.DataFrame.from_records(records, columns=columns)


def _extremes(top: str, s_top: Scores, bottom: str, s_bottom: Scores, groups: int) -> Comparison:
    diff, p = nps_difference_test(s_top.nps, s_bottom.nps)
    if p is None:
        return Comparison("nps", top, bottom, diff, None, None, False, None, False, "no_variance")
    adjusted = extremes_adjusted_p(p, groups)
    return Comparison("nps", top, bottom, diff, p, adjusted, is_significant(adjusted, ALPHA), "bonferroni_pairs")


def _rest_scores(total_record: dict, record: dict, total: Scores) -> Scores:
    """The scores of every answer of the table outside one cell; their design effects are the
    whole table's (the rest is most of it, and a cell of two dimensions cuts through accounts)."""

    def left(name: str) -> float:
        return float(total_record.get(name) or 0) - float(record.get(name) or 0)

    nps = nps_from_counts(
        int(left("promoters")),
        int(left("passives")),
        int(left("detractors")),
        total.nps.design_effect,
        total.nps.clusters,
    )
    means = []
    for m in ("csat", "ces"):
        whole = getattr(total, m)
        n = int(left(f"{m}_n"))
        means.append(
            mean_from_moments(
                n,
                left(f"{m}_sum"),
                left(f"{m}_sq"),
                int(left(f"{m}_top")),
                whole.design_effect if whole else 1.0,
                whole.clusters if whole else None,
            )
            if n
            else None
        )
    return Scores(nps, means[0], means[1])


def _cell_test(metric: str, cell: Scores, rest: Scores) -> tuple[float | None, float | None]:
    if metric == "nps":
        return nps_difference_test(cell.nps, rest.nps)
    if metric in ("csat_mean", "ces_mean"):
        a, b = getattr(cell, metric[:-5]), getattr(rest, metric[:-5])
        return mean_difference_test(a, b) if a is not None and b is not None else (None, None)
    if metric == "detractor_share":
        return proportion_difference_test(
            cell.nps.detractors,
            cell.nps.n,
            rest.nps.detractors,
            rest.nps.n,
            (cell.nps.design_effect, rest.nps.design_effect),
        )
    return None, None  # counts are sizes, not scores: nothing to test


def _crosstab(
    rows: list[dict],
    row_dim: str,
    col_dim: str,
    metric: str,
    min_n: int,
    pooled: dict[str, float] | None = None,
    total_record: dict | None = None,
) -> CrossTab:
    scored = _score_frame(rows, min_n, pooled)
    value = scored["n"].astype("float64") if metric == "count" else scored[metric]
    frame = pd.DataFrame(
        {
            "row": scored["a"],
            "col": scored["b"],
            "value": value,
            "n": scored["n"],
            "small_sample": scored["small_sample"],
        }
    )
    if row_dim == col_dim:  # a dimension against itself: only the diagonal is meaningful
        frame = frame[frame["row"] == frame["col"]].reset_index(drop=True)
    differences: dict[tuple[str, str], float | None] = {}
    p_values: dict[tuple[str, str], float | None] = {}
    if total_record is not None and metric != "count":
        total = _scores(total_record)
        by_key = {(str(r["a"]), str(r["b"])): r for r in rows}
        for r in frame.itertuples(index=False):
            if r.small_sample:
                continue
            key = (str(r.row), str(r.col))
            record = by_key[key]
            rest = _rest_scores(total_record, record, total)
            if rest.nps.n < min_n and (metric == "nps" or metric == "detractor_share"):
                continue
            differences[key], p_values[key] = _cell_test(metric, _scores(record, pooled), rest)
    keys = [k for k, p in p_values.items() if p is not None]
    q_values = dict(zip(keys, benjamini_hochberg([p_values[k] for k in keys]), strict=True))
    q_column, differs = [], []
    for r in frame.itertuples(index=False):
        key = (str(r.row), str(r.col))
        q = q_values.get(key)
        q_column.append(None if q is None else float(f"{q:.4g}"))
        diff = differences.get(key)
        clear = q is not None and q < ALPHA and diff is not None and diff != 0
        differs.append(("above" if diff > 0 else "below") if clear and diff is not None else "")
    frame = frame.assign(
        difference=[differences.get((str(r.row), str(r.col))) for r in frame.itertuples(index=False)],
        q_value=q_column,
        differs=differs,
    )
    return CrossTab(row_dim, col_dim, metric, frame, "benjamini_hochberg" if keys else None, len(keys))


def _trend(rows: list[dict], grain: str, min_n: int, pooled: dict[str, float] | None = None) -> Trend:
    records, scores = [], []
    for r in sorted((r for r in rows if r["period"] is not None), key=lambda r: r["period"]):
        s = _scores(r, pooled)
        stamp = pd.Timestamp(r["period"])
        label = f"{stamp.year}-Q{stamp.quarter}" if grain == "quarter" else stamp.strftime("%Y-%m")
        ci = s.nps.ci95 or (None, None)
        records.append(
            {
                "period": label,
                "start": stamp.date().isoformat(),
                "n": s.n,
                "nps": s.nps.score,
                "ci_low": ci[0],
                "ci_high": ci[1],
                "small_sample": s.n < min_n,
            }
        )
        scores.append((label, s))
    frame = pd.DataFrame.from_records(
        records, columns=["period", "start", "n", "nps", "ci_low", "ci_high", "small_sample"]
    )
    latest = None
    if len(scores) >= 2:
        (prev_label, prev), (last_label, last) = scores[-2], scores[-1]
        latest = _compare("nps", last_label, last, prev_label, prev, min_n)
    return Trend(grain, frame, latest)


def _account_distribution(bin_rows: list[dict], summary_rows: list[dict], weights: dict[str, float]):
    edges = HISTOGRAM_EDGES
    counts = [0] * (len(edges) - 1)
    for r in bin_rows:
        counts[int(r["bin"])] = int(r["n"])
    accounts = int(summary_rows[0]["n"]) if summary_rows else 0
    median = summary_rows[0]["value"] if summary_rows else None
    bins = pd.DataFrame({"bin_start": list(edges[:-1]), "bin_end": list(edges[1:]), "accounts": counts})
    negative = sum(counts[: edges.index(0)])  # bins below 0 hold exactly the negative accounts
    return AccountDistribution(
        weights=dict(weights),
        bins=bins,
        accounts=accounts,
        median=round(float(median), 1) if median is not None and accounts else None,
        share_negative=round(100 * negative / accounts, 1) if accounts else None,
        share_negative_ci95=wilson_interval(negative, accounts) if accounts else None,
    )


def _none_if_nan(value):
    if value is None:
        return None
    try:
        return None if math.isnan(value) else value
    except TypeError:
        return value


def _round_p(p: float | None) -> float | None:
    return None if p is None else float(f"{p:.4g}")
