"""The segmentation numbers of the CLI summary: ``by_segment_role`` and ``trend``."""

from __future__ import annotations

from ..clustered import pooled_iccs
from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N
from ..workspace import Workspace
from .view import _aggregate, _score_frame, _trend, _trend_sets


def segment_role_summary(ws: Workspace, filters: Filters = NO_FILTERS, *, min_n: int = DEFAULT_MIN_N) -> list[dict]:
    """``[{segment, role, n, nps, ci95, small_sample}]``: NPS of every segment x role cell."""
    sets = _aggregate(ws, filters, "segment", "segment", "respondent_role", "month")
    frame = _score_frame(sets["heatmap"], max(1, int(min_n)), pooled_iccs(sets["total"][0] if sets["total"] else None))
    return [
        {
            "segment": r.a,
            "role": r.b,
            "n": int(r.n),
            "nps": r.nps,
            "ci95": [r.ci_low, r.ci_high] if r.ci_low is not None else None,
            "small_sample": bool(r.small_sample),
        }
        for r in frame.itertuples(index=False)
    ]


def trend_summary(
    ws: Workspace, filters: Filters = NO_FILTERS, *, grain: str = "month", min_n: int = DEFAULT_MIN_N
) -> dict:
    """``{grain, periods: [{period, n, nps, ci95, small_sample}], latest_vs_previous}``."""
    sets = _trend_sets(ws, filters, grain)
    pooled = pooled_iccs(sets["total"][0] if sets["total"] else None)
    return _trend(sets["trend"], grain, max(1, int(min_n)), pooled).to_dict()
