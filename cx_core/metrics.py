"""Core scores (NPS, CSAT, CES) overall and by group, computed in DuckDB from the ``facts`` view."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import InvalidParameterError
from .filters import NO_FILTERS, Filters
from .ingest.recognise import top2_threshold
from .schema import DIMENSIONS, SCALES
from .sql import checked_column, run, run_rows
from .stats import MeanResult, NpsResult, mean_from_moments, nps_from_counts
from .workspace import Workspace

DEFAULT_MIN_N = 30


@dataclass(frozen=True)
class Overview:
    """The headline numbers of the current selection."""

    nps: NpsResult
    csat: MeanResult | None
    ces: MeanResult | None
    responses: int
    accounts: int
    first_date: str | None
    last_date: str | None

    def to_dict(self) -> dict:
        return {
            "nps": self.nps.to_dict(),
            "csat": self.csat.to_dict() if self.csat else None,
            "ces": self.ces.to_dict() if self.ces else None,
            "responses": self.responses,
            "accounts": self.accounts,
            "first_date": self.first_date,
            "last_date": self.last_date,
        }


_AGG_TEMPLATE = """
    count(*) AS n,
    sum(is_promoter) AS promoters,
    sum(CASE WHEN nps BETWEEN 7 AND 8 THEN 1 ELSE 0 END) AS passives,
    sum(is_detractor) AS detractors,
    count(csat) AS csat_n, sum(csat) AS csat_sum, sum(csat * csat) AS csat_sq,
    sum(CASE WHEN csat >= {csat_top:.6g} THEN 1 ELSE 0 END) AS csat_top,
    count(ces) AS ces_n, sum(ces) AS ces_sum, sum(ces * ces) AS ces_sq,
    sum(CASE WHEN ces >= {ces_top:.6g} THEN 1 ELSE 0 END) AS ces_top
"""


def metric_scales(ws: Workspace) -> dict[str, tuple[float, float]]:
    """The scale of NPS, CSAT and CES in this workspace (detected per column when loading)."""
    scales = {name: (float(lo), float(hi)) for name, (lo, hi) in SCALES.items()}
    loaded = getattr(ws, "loaded", None)
    mapping = loaded.survey_mapping if loaded is not None else None
    if mapping is not None and hasattr(mapping, "scale_of"):
        for name in ("csat", "ces"):
            scales[name] = mapping.scale_of(mapping.fields.get(name), SCALES[name])
    return scales


def _agg(ws: Workspace) -> str:
    # the thresholds are numbers of our own (floats from the detected scale), never user text
    scales = metric_scales(ws)
    return _AGG_TEMPLATE.format(
        csat_top=float(top2_threshold(scales["csat"])), ces_top=float(top2_threshold(scales["ces"]))
    )


# the sample's scales (CSAT 1-5, CES 1-7), kept for callers that aggregate without a workspace
_AGG = _AGG_TEMPLATE.format(csat_top=4.0, ces_top=6.0)


def _z(value):
    """0 for the NULL that sum() gives over no rows (NaN once in pandas, where ``or 0`` misses it)."""
    return 0 if value is None or pd.isna(value) else value


def _scores(row) -> tuple[NpsResult, MeanResult | None, MeanResult | None]:
    nps = nps_from_counts(_z(row["promoters"]), _z(row["passives"]), _z(row["detractors"]))
    csat = (
        mean_from_moments(row["csat_n"], _z(row["csat_sum"]), _z(row["csat_sq"]), _z(row["csat_top"]))
        if row["csat_n"]
        else None
    )
    ces = (
        mean_from_moments(row["ces_n"], _z(row["ces_sum"]), _z(row["ces_sq"]), _z(row["ces_top"]))
        if row["ces_n"]
        else None
    )
    return nps, csat, ces


def overview(ws: Workspace, filters: Filters = NO_FILTERS) -> Overview:
    """NPS, CSAT (mean of 1-5, top-2-box share) and CES (mean of 1-7) for the selection."""
    params: dict = {}
    where = filters.where(params)
    frame = run(
        ws.con,
        f"SELECT {_agg(ws)}, count(DISTINCT account_key) AS accounts, "
        f"strftime(min(submitted_at), '%Y-%m-%d') AS first_date, strftime(max(submitted_at), '%Y-%m-%d') AS last_date "
        f"FROM facts {where}",
        params,
    )
    row = frame.iloc[0]
    nps, csat, ces = _scores(row)
    return Overview(nps, csat, ces, int(row["n"]), int(row["accounts"] or 0), row["first_date"], row["last_date"])


def nps_distribution(ws: Workspace, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Count of answers for each likelihood-to-recommend value 0-10 (all 11 values present)."""
    params: dict = {}
    where = filters.where(params)
    rows = dict(run_rows(ws.con, f"SELECT nps, count(*) FROM facts {where} GROUP BY nps", params))
    frame = pd.DataFrame({"score": list(range(11)), "count": [int(rows.get(i, 0)) for i in range(11)]})
    frame["category"] = ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2
    return frame


@dataclass(frozen=True)
class GroupScore:
    """Scores of one group (a segment, a role...) with its n and whether it is too small to rank."""

    group: str
    nps: NpsResult
    csat: MeanResult | None
    ces: MeanResult | None
    small_sample: bool

    def to_dict(self, key: str = "group") -> dict:
        return {
            key: self.group,
            "n": self.nps.n or max(self.csat.n if self.csat else 0, self.ces.n if self.ces else 0),
            "nps": self.nps.score,
            "ci95": list(self.nps.ci95) if self.nps.ci95 else None,
            "promoters": self.nps.promoters,
            "passives": self.nps.passives,
            "detractors": self.nps.detractors,
            "csat": self.csat.score if self.csat else None,
            "ces": self.ces.score if self.ces else None,
            "small_sample": self.small_sample,
        }


def scores_by_group(
    ws: Workspace, dimension: str, filters: Filters = NO_FILTERS, *, min_n: int = DEFAULT_MIN_N
) -> list[GroupScore]:
    """Scores for each value of ``dimension``; solid groups first by NPS, small groups last.

    Groups with fewer than ``min_n`` answers are flagged ``small_sample`` and listed after the
    solid ones (alphabetically), so they are never ranked as if they were solid.
    """
    if dimension not in DIMENSIONS:
        raise InvalidParameterError(f"'{dimension}' is not a dimension you can group by.")
    column = checked_column(dimension, DIMENSIONS)
    params: dict = {}
    where = filters.where(params)
    frame = run(ws.con, f"SELECT {column} AS grp, {_agg(ws)} FROM facts {where} GROUP BY 1", params)
    groups = []
    for _, row in frame.iterrows():
        nps, csat, ces = _scores(row)
        n = max(nps.n, csat.n if csat else 0, ces.n if ces else 0)
        groups.append(GroupScore(str(row["grp"]), nps, csat, ces, n < min_n))

    # ranked by NPS; by CSAT (then CES) when the file has no NPS
    def rank(g: GroupScore) -> float:
        for result in (g.nps, g.csat, g.ces):
            if result is not None and result.n and result.score is not None:
                return -float(result.score)
        return 0.0

    solid = sorted((g for g in groups if not g.small_sample), key=rank)
    small = sorted((g for g in groups if g.small_sample), key=lambda g: g.group)
    return solid + small
