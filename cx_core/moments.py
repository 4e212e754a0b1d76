"""Moments of truth: which journey stages and touchpoints win or lose customers, and for whom.

For each (journey stage, touchpoint) in the selection: volume, NPS with its 95% interval, the
detractor share, and the gap to the overall NPS of the same selection. Impact = volume x gap / 100,
i.e. how many net promoters the moment gains or loses compared with an average answer; the most
negative impact is the moment to fix first. Moments under the minimum n are flagged, not ranked.

Relationship surveys (periodic, whole-account) are not a moment: they are left out of the moments
(but still count in the overall NPS the gaps are measured against) unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .clustered import pooled_iccs, scores_from_record
from .filters import NO_FILTERS, Filters
from .metrics import DEFAULT_MIN_N, clustered_scores
from .roles import ROLES
from .shared_views import shared_view
from .sql import run_rows
from .stats import NpsResult, wilson_interval
from .workspace import Workspace

NOT_SET = "(not set)"
# Values (matched case-insensitively) that mark a relationship survey rather than a touchpoint.
_RELATIONSHIP_PATTERNS = ("%relationship%", "%リレーション%", "%関係性%", "%定期%")


@dataclass(frozen=True)
class Moment:
    """One moment of truth: a journey stage and touchpoint with its scores."""

    journey_stage: str
    touchpoint: str
    nps: NpsResult
    detractor_share: float | None
    detractor_ci95: tuple[float, float] | None
    gap: float | None  # NPS of the moment minus the overall NPS (points)
    impact: float | None  # volume x gap / 100: net promoters gained (+) or lost (-)
    small_sample: bool
    rank: int | None  # 1 = most harmful; None for small samples

    @property
    def volume(self) -> int:
        return self.nps.n

    def to_dict(self) -> dict:
        return {
            "journey_stage": self.journey_stage,
            "touchpoint": self.touchpoint,
            "volume": self.volume,
            "nps": self.nps.score,
            "nps_ci95": list(self.nps.ci95) if self.nps.ci95 else None,
            "detractor_share": self.detractor_share,
            "detractor_ci95": list(self.detractor_ci95) if self.detractor_ci95 else None,
            "gap": self.gap,
            "impact": self.impact,
            "small_sample": self.small_sample,
            "rank": self.rank,
        }


@dataclass(frozen=True)
class MomentsResult:
    """Moments of the selection, most harmful first (small samples last, unranked)."""

    available: bool  # False when the data has no journey stage or touchpoint at all
    overall: NpsResult
    moments: list[Moment] = field(default_factory=list)
    relationship_excluded: int = 0

    def to_dict(self) -> dict:
        return {
            "available": self.available,
            "overall_nps": self.overall.to_dict(),
            "relationship_excluded": self.relationship_excluded,
            "moments": [m.to_dict() for m in self.moments],
        }


def has_journey_data(ws: Workspace) -> bool:
    """True when at least one response has a journey stage or a touchpoint."""
    count = run_rows(ws.con, "SELECT count(journey_stage) + count(touchpoint) FROM responses")[0][0]
    return bool(count)


def _relationship_condition(params: dict) -> str:
    parts = []
    for i, pattern in enumerate(_RELATIONSHIP_PATTERNS):
        params[f"mt_rel{i}"] = pattern
        for column in ("survey_type", "journey_stage", "touchpoint"):
            parts.append(f"coalesce({column}, '') ILIKE $mt_rel{i}")
    return "(" + " OR ".join(parts) + ")"


def _rank(candidates: list[tuple], overall: NpsResult, min_n: int) -> list[Moment]:
    moments = []
    for stage, touchpoint, nps in candidates:
        n, detractors = nps.n, nps.detractors
        gap = round(nps.score - overall.score, 2) if nps.score is not None and overall.score is not None else None
        share = round(100 * (detractors or 0) / n, 2) if n else None
        moments.append(
            Moment(
                journey_stage=stage or NOT_SET,
                touchpoint=touchpoint or NOT_SET,
                nps=nps,
                detractor_share=share,
                detractor_ci95=wilson_interval(int(detractors or 0), int(n), nps.design_effect),
                gap=gap,
                impact=round(n * gap / 100, 1) if gap is not None else None,
                small_sample=n < min_n,
                rank=None,
            )
        )
    solid = sorted((m for m in moments if not m.small_sample), key=lambda m: (m.impact or 0, m.touchpoint))
    small = sorted((m for m in moments if m.small_sample), key=lambda m: (m.journey_stage, m.touchpoint))
    ranked = [Moment(**{**m.__dict__, "rank": i}) for i, m in enumerate(solid, start=1)]
    return ranked + small


def moments_of_truth(
    ws: Workspace,
    filters: Filters = NO_FILTERS,
    *,
    role: str | None = None,
    min_n: int = DEFAULT_MIN_N,
    include_relationship: bool = False,
) -> MomentsResult:
    """Rank the moments of truth of the selection by impact (most harmful first).

    ``role`` (a canonical role such as ``"procurement"``) restricts everything, including the
    overall NPS the gaps are measured against, to that role's answers. Shared by the sessions on
    the same saved data set (:mod:`cx_core.shared_views`).
    """
    return shared_view(
        ws,
        "moments_of_truth",
        (filters, role, min_n, include_relationship),
        lambda: _moments_of_truth(ws, filters, role, min_n, include_relationship),
    )


def _moments_of_truth(
    ws: Workspace, filters: Filters, role: str | None, min_n: int, include_relationship: bool
) -> MomentsResult:
    params: dict = {}
    extra = []
    if role is not None:
        params["mt_role"] = str(role)
        extra.append("respondent_role = $mt_role")
    where = filters.where(params, extra=extra)
    overall_record = clustered_scores(ws, where, [], params).iloc[0].to_dict()
    overall = scores_from_record(overall_record)[0]
    if not has_journey_data(ws):
        return MomentsResult(available=False, overall=overall)
    moment_conditions = ["(journey_stage IS NOT NULL OR touchpoint IS NOT NULL)"]
    excluded = 0
    if not include_relationship:
        rel_params = dict(params)
        relationship = _relationship_condition(rel_params)
        rel_where = filters.where(rel_params, extra=[*extra, relationship])
        excluded = int(run_rows(ws.con, f"SELECT count(*) FROM facts {rel_where}", rel_params)[0][0])
        moment_conditions.append(f"NOT {_relationship_condition(params)}")
    where = filters.where(params, extra=[*extra, *moment_conditions])
    # every moment's interval carries its design effect over accounts (floored by the selection's)
    pooled = pooled_iccs(overall_record)
    frame = clustered_scores(ws, where, ["journey_stage", "touchpoint"], params)
    candidates = [(r["g0"], r["g1"], scores_from_record(r, pooled)[0]) for r in frame.to_dict("records") if r["n"]]
    return MomentsResult(
        available=True, overall=overall, moments=_rank(candidates, overall, min_n), relationship_excluded=excluded
    )


def top_moments_by_role(
    ws: Workspace, filters: Filters = NO_FILTERS, *, top: int = 3, min_n: int = DEFAULT_MIN_N
) -> dict[str, list[Moment]]:
    """For each role in the selection, its ``top`` most harmful moments (gaps to that role's NPS).

    The numbers of :func:`moments_of_truth` with ``role=`` each role, from two grouped reads of the
    selection (each role's NPS, and each role's moments) instead of three reads per role.
    """
    params: dict = {}
    where = filters.where(params, extra=["respondent_role IS NOT NULL"])
    per_role = {str(r["g0"]): r for r in clustered_scores(ws, where, ["respondent_role"], params).to_dict("records")}
    roles = [r for r in ROLES if r in per_role]
    if not roles:
        return {}
    if not has_journey_data(ws):
        return {role: [] for role in roles}
    moment_params = dict(params)
    conditions = [
        "respondent_role IS NOT NULL",
        "(journey_stage IS NOT NULL OR touchpoint IS NOT NULL)",
        f"NOT {_relationship_condition(moment_params)}",
    ]
    moment_where = filters.where(moment_params, extra=conditions)
    grouped = clustered_scores(ws, moment_where, ["respondent_role", "journey_stage", "touchpoint"], moment_params)
    records: dict[str, list[dict]] = {}
    for record in grouped.to_dict("records"):
        records.setdefault(str(record["g0"]), []).append(record)
    out = {}
    for role in roles:
        overall = scores_from_record(per_role[role])[0]
        pooled = pooled_iccs(per_role[role])
        candidates = [
            (r["g1"], r["g2"], scores_from_record(r, pooled)[0])
            for r in sorted(records.get(role, []), key=lambda r: (str(r["g1"]), str(r["g2"])))
            if r["n"]
        ]
        moments = _rank(candidates, overall, min_n)
        out[role] = [m for m in moments if m.rank is not None and (m.impact or 0) < 0][:top]
    return out


def moments_summary(ws: Workspace, filters: Filters = NO_FILTERS, *, min_n: int = DEFAULT_MIN_N) -> dict:
    """The CLI's ``moments`` document: ranked moments and the top three per role."""
    result = moments_of_truth(ws, filters, min_n=min_n)
    doc = result.to_dict()
    doc["top_by_role"] = {
        role: [m.to_dict() for m in moments] for role, moments in top_moments_by_role(ws, filters, min_n=min_n).items()
    }
    return doc
