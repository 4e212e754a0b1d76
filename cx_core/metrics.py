"""Core scores (NPS, CSAT, CES) overall and by group, computed in DuckDB from the ``facts`` view."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .clustered import clustered_select, pooled_iccs, scores_from_record
from .errors import InvalidParameterError
from .filters import NO_FILTERS, Filters, is_dimension_name
from .ingest.recognise import top2_threshold
from .schema import SCALES
from .shared_views import shared_view
from .sql import quote_ident, run, run_rows
from .stats import MeanResult, NpsResult
from .workspace import Workspace

DEFAULT_MIN_N = 30
NOT_SET = "(not set)"  #: the group of answers without a value for the dimension (never "None")


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


def metric_scales(ws: Workspace) -> dict[str, tuple[float, float]]:
    """The scale of NPS, CSAT and CES in this workspace (detected per column when loading)."""
    scales = {name: (float(lo), float(hi)) for name, (lo, hi) in SCALES.items()}
    loaded = getattr(ws, "loaded", None)
    mapping = loaded.survey_mapping if loaded is not None else None
    if mapping is not None and hasattr(mapping, "scale_of"):
        for name in ("csat", "ces"):
            scales[name] = mapping.scale_of(mapping.fields.get(name), SCALES[name])
    return scales


def clustered_scores(ws: Workspace, where: str, group_columns: list[str], params: dict) -> pd.DataFrame:
    """Per-group sums of the ``facts`` rows selected by ``where`` (a WHERE clause with ``params``),
    grouped by ``group_columns`` (SQL expressions, aliased g0, g1...), with the per-account sums
    every interval needs (:func:`cx_core.clustered.scores_from_record` turns a row into scores)."""
    scales = metric_scales(ws)
    sql = clustered_select(
        f"FROM facts {where}",
        group_columns,
        float(top2_threshold(scales["csat"])),
        float(top2_threshold(scales["ces"])),
    )
    return run(ws.con, sql, params)


def overview(ws: Workspace, filters: Filters = NO_FILTERS) -> Overview:
    """NPS, CSAT (mean of 1-5, top-2-box share) and CES (mean of 1-7) for the selection, each
    interval widened by the design effect of answers clustered in accounts (shared by the sessions
    on the same saved data set: :mod:`cx_core.shared_views`)."""
    return shared_view(ws, "overview", filters, lambda: _overview(ws, filters))


def _overview(ws: Workspace, filters: Filters) -> Overview:
    params: dict = {}
    where = filters.where(params)
    frame = run(
        ws.con,
        "SELECT count(*) AS n, count(DISTINCT account_key) AS accounts, "
        f"strftime(min(submitted_at), '%Y-%m-%d') AS first_date, strftime(max(submitted_at), '%Y-%m-%d') AS last_date "
        f"FROM facts {where}",
        params,
    )
    row = frame.iloc[0]
    nps, csat, ces = scores_from_record(clustered_scores(ws, where, [], params).iloc[0].to_dict())
    return Overview(nps, csat, ces, int(row["n"]), int(row["accounts"] or 0), row["first_date"], row["last_date"])


def nps_distribution(ws: Workspace, filters: Filters = NO_FILTERS) -> pd.DataFrame:
    """Count of answers for each likelihood-to-recommend value 0-10 (all 11 values present)."""
    params: dict = {}
    where = filters.where(params)
    rows = dict(run_rows(ws.con, f"SELECT nps, count(*) FROM facts {where} GROUP BY nps", params))
    frame = pd.DataFrame({"score": list(range(11)), "count": [int(rows.get(i, 0)) for i in range(11)]})
    frame["category"] = ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2
    return frame


# --- which columns can be grouped by (the one validation of a grouping) ----------------------------


def text_columns(ws: Workspace) -> list[str]:
    """Names of the text columns of the ``facts`` view (where dimensions come from)."""
    rows = run_rows(
        ws.con,
        "SELECT column_name FROM (DESCRIBE facts) WHERE column_type = 'VARCHAR'",
    )
    return [str(r[0]) for r in rows]


def checked_dimension(ws: Workspace, dimension: str, columns: list[str] | None = None) -> str:
    """``quote_ident(dimension)`` if it is a text column of the loaded data, else a clear error."""
    if not is_dimension_name(dimension) or dimension not in (columns if columns is not None else text_columns(ws)):
        raise InvalidParameterError("error.not_a_dimension", name=str(dimension)[:60])
    return quote_ident(dimension)


def check_filters(ws: Workspace, filters: Filters, columns: list[str] | None = None) -> None:
    """Raise :class:`InvalidParameterError` if a filter names a column the data does not have."""
    known = set(columns if columns is not None else text_columns(ws))
    for name, _values in filters.dims:
        if name not in known:
            raise InvalidParameterError("error.not_a_dimension", name=str(name)[:60])


def order_groups(sizes: dict[str, int], scores: dict[str, float | None], min_n: int) -> tuple[list[str], list[str]]:
    """The one ranking rule of groups: solid groups (``min_n`` answers or more) by score, highest
    first (ties by name); small groups after them, by name, never ranked.

    >>> order_groups({"a": 40, "b": 50, "c": 5}, {"a": 10.0, "b": 20.0, "c": 90.0}, 30)
    (['b', 'a'], ['c'])
    """
    solid = sorted((g for g, n in sizes.items() if n >= min_n), key=lambda g: (-(scores.get(g) or 0), g))
    small = sorted(g for g, n in sizes.items() if n < min_n)
    return solid, small


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
            "effective_n": self.nps.effective_n,
            "design_effect": round(self.nps.design_effect, 3),
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
    """Scores for each value of ``dimension`` (any dimension of the loaded data); solid groups first
    by NPS, small groups last (:func:`order_groups`: the same rule as the Segments page).

    Groups with fewer than ``min_n`` answers are flagged ``small_sample`` and listed after the
    solid ones (alphabetically), so they are never ranked as if they were solid.
    """
    return shared_view(
        ws, "scores_by_group", (dimension, filters, min_n), lambda: _scores_by_group(ws, dimension, filters, min_n)
    )


def _scores_by_group(ws: Workspace, dimension: str, filters: Filters, min_n: int) -> list[GroupScore]:
    columns = text_columns(ws)
    check_filters(ws, filters, columns)
    column = checked_dimension(ws, dimension, columns)
    params: dict = {}
    where = filters.where(params)
    params["not_set"] = NOT_SET
    frame = clustered_scores(ws, where, [f"coalesce({column}, $not_set)"], params).rename(columns={"g0": "grp"})
    total_params = {k: v for k, v in params.items() if k != "not_set"}
    pooled = pooled_iccs(clustered_scores(ws, where, [], total_params).iloc[0].to_dict())
    groups = {}
    for _, row in frame.iterrows():
        nps, csat, ces = scores_from_record(row.to_dict(), pooled)
        n = max(nps.n, csat.n if csat else 0, ces.n if ces else 0)  # NPS is optional: any score's answers
        groups[str(row["grp"])] = GroupScore(str(row["grp"]), nps, csat, ces, n < min_n)
    solid, small = order_groups(
        {g: _group_n(s) for g, s in groups.items()}, {g: _lead_score(s) for g, s in groups.items()}, min_n
    )
    return [groups[g] for g in solid + small]


def _group_n(score: GroupScore) -> int:
    """The group's answers: its NPS answers, or its CSAT/CES answers when nobody gave an NPS."""
    return max(score.nps.n, score.csat.n if score.csat else 0, score.ces.n if score.ces else 0)


def _lead_score(score: GroupScore) -> float | None:
    """NPS ranks groups; CSAT (then CES) when the file has no NPS (every metric is optional)."""
    for result in (score.nps, score.csat, score.ces):
        if result is not None and result.n and result.score is not None:
            return float(result.score)
    return None
