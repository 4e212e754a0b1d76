"""Scores of answers clustered in accounts, aggregated in DuckDB in two steps.

Every view that shows NPS, CSAT or CES with an interval aggregates the ``facts`` rows first per
group and account (:data:`CLUSTER_KEY`: the account, or the answer itself when it has no account),
then per group (:func:`outer_columns`). The second step gives the ordinary counts and sums plus the
per-account sums :class:`cx_core.stats.ClusterSums` needs, so every interval and test carries the
design effect of its own answers (:func:`scores_from_record`). Without an account id every answer
is its own cluster and the design effect is exactly 1.
"""

from __future__ import annotations

from .stats import (
    ClusterSums,
    MeanResult,
    NpsResult,
    clusters_of,
    group_design_effect,
    intraclass_correlation,
    mean_from_moments,
    nps_from_counts,
)

# response_id is never NULL (validation numbers rows without one); the prefix keeps it apart from keys
CLUSTER_KEY = "coalesce(account_key, chr(1) || response_id)"


def inner_columns(csat_top: float, ces_top: float) -> str:
    """Per-group-and-account sums (the thresholds are our own numbers from the detected scales)."""
    return f"""
    count(*) AS n,
    sum(is_promoter) AS promoters,
    count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS passives,
    sum(is_detractor) AS detractors,
    count(csat) AS csat_n, sum(csat) AS csat_sum, sum(csat * csat) AS csat_sq,
    count(*) FILTER (WHERE csat >= {float(csat_top):.6g}) AS csat_top,
    count(ces) AS ces_n, sum(ces) AS ces_sum, sum(ces * ces) AS ces_sq,
    count(*) FILTER (WHERE ces >= {float(ces_top):.6g}) AS ces_top"""


def outer_columns() -> str:
    """Per-group sums over the per-account rows of :func:`inner_columns`."""
    return ",\n    ".join(_outer_parts())


def outer_column_names() -> tuple[str, ...]:
    """The names :func:`outer_columns` gives, in its order."""
    return tuple(part.rsplit(" AS ", 1)[1] for part in _outer_parts())


def _outer_parts() -> list[str]:
    parts = [
        "sum(n)::BIGINT AS n",
        "sum(promoters)::BIGINT AS promoters",
        "sum(passives)::BIGINT AS passives",
        "sum(detractors)::BIGINT AS detractors",
        "count(*) FILTER (WHERE promoters + passives + detractors > 0) AS nps_k",
        "sum((promoters - detractors) * (promoters - detractors))::DOUBLE AS nps_cy2",
        "sum((promoters + passives + detractors) * (promoters - detractors))::DOUBLE AS nps_cny",
        "sum((promoters + passives + detractors) * (promoters + passives + detractors))::DOUBLE AS nps_cn2",
    ]
    for m in ("csat", "ces"):
        parts += [
            f"sum({m}_n)::BIGINT AS {m}_n",
            f"sum({m}_sum)::DOUBLE AS {m}_sum",
            f"sum({m}_sq)::DOUBLE AS {m}_sq",
            f"sum({m}_top)::BIGINT AS {m}_top",
            f"count(*) FILTER (WHERE {m}_n > 0) AS {m}_k",
            f"sum({m}_sum * {m}_sum)::DOUBLE AS {m}_cy2",
            f"sum({m}_n * {m}_sum)::DOUBLE AS {m}_cny",
            f"sum({m}_n * {m}_n)::DOUBLE AS {m}_cn2",
        ]
    return parts


def _num(record, name: str) -> float:
    value = record[name] if name in record else None
    if value is None:
        return 0.0
    try:
        return 0.0 if value != value else float(value)  # NaN from pandas
    except TypeError:
        return 0.0


def cluster_sums(record, metric: str) -> ClusterSums:
    """The :class:`ClusterSums` of ``metric`` (``nps``, ``csat`` or ``ces``) in one outer record."""
    if metric == "nps":
        promoters, detractors = _num(record, "promoters"), _num(record, "detractors")
        n = int(promoters + _num(record, "passives") + detractors)
        total, total_sq = promoters - detractors, promoters + detractors
    else:
        n = int(_num(record, f"{metric}_n"))
        total, total_sq = _num(record, f"{metric}_sum"), _num(record, f"{metric}_sq")
    return ClusterSums(
        n,
        int(_num(record, f"{metric}_k")),
        total,
        total_sq,
        _num(record, f"{metric}_cy2"),
        _num(record, f"{metric}_cny"),
        _num(record, f"{metric}_cn2"),
    )


def pooled_iccs(total_record) -> dict[str, float]:
    """The intraclass correlation of each score over the whole selection (one outer record of all
    its answers), which every group of the selection uses as a floor of its design effect."""
    if total_record is None:
        return {}
    return {m: intraclass_correlation(cluster_sums(total_record, m)) for m in ("nps", "csat", "ces")}


def scores_from_record(
    record, pooled: dict[str, float] | None = None
) -> tuple[NpsResult, MeanResult | None, MeanResult | None]:
    """NPS, CSAT and CES (None when nobody answered it) of one outer record, each with its design
    effect over accounts (:func:`cx_core.stats.group_design_effect`, with the selection's
    intraclass correlations ``pooled`` from :func:`pooled_iccs` when the record is one group)."""
    pooled = pooled or {}
    sums = cluster_sums(record, "nps")
    nps = nps_from_counts(
        int(_num(record, "promoters")),
        int(_num(record, "passives")),
        int(_num(record, "detractors")),
        group_design_effect(sums, pooled.get("nps", 0.0)),
        clusters_of(sums),
    )
    means: list[MeanResult | None] = []
    for m in ("csat", "ces"):
        n = int(_num(record, f"{m}_n"))
        sums = cluster_sums(record, m)
        means.append(
            mean_from_moments(
                n,
                _num(record, f"{m}_sum"),
                _num(record, f"{m}_sq"),
                int(_num(record, f"{m}_top")),
                group_design_effect(sums, pooled.get(m, 0.0)),
                clusters_of(sums),
            )
            if n
            else None
        )
    return nps, means[0], means[1]


def clustered_select(inner_from: str, group_columns: list[str], csat_top: float = 4.0, ces_top: float = 6.0) -> str:
    """``SELECT <groups>, <outer columns>`` over ``inner_from`` (a FROM/WHERE clause of ``facts``
    rows) grouped by ``group_columns`` (SQL expressions aliased g0, g1...; quoted by the caller)."""
    aliases = [f"g{i}" for i in range(len(group_columns))]
    selected = "".join(f"{expr} AS {alias}, " for expr, alias in zip(group_columns, aliases, strict=True))
    keys = "".join(f"{alias}, " for alias in aliases)
    group_by = ", ".join(aliases) if aliases else "()"
    return (
        f"WITH per_account AS (SELECT {selected}{CLUSTER_KEY} AS cluster, {inner_columns(csat_top, ces_top)} "
        f"{inner_from} GROUP BY {keys}cluster) "
        f"SELECT {keys}{outer_columns()} FROM per_account GROUP BY {group_by}"
    )
