"""What the loaded data supports: which scores, ratings and open questions it has.

Every metric is optional. Pages, report sections and the CLI ask :func:`coverage` what to show,
and say in plain words (message keys ``coverage.*``) what is missing and how to add it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .metrics import Overview, metric_scales
from .shared_views import shared_view
from .sql import run_rows
from .stats import MeanResult, NpsResult
from .workspace import Workspace


@dataclass(frozen=True)
class Coverage:
    """Answers per core score, rating and comment count, and the messages that follow from them."""

    nps: int
    csat: int
    ces: int
    drivers: int
    comments: int  # answers to open questions
    questions: int
    nps_candidates: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_scores(self) -> bool:
        return bool(self.nps or self.csat or self.ces or self.drivers)

    @property
    def lead(self) -> str | None:
        """The headline score: NPS, else CSAT, else CES (None without any)."""
        for name in ("nps", "csat", "ces"):
            if getattr(self, name):
                return name
        return None

    def notes(self) -> list[str]:
        """Message keys saying what is missing and how to add it (most important first)."""
        keys = []
        if not self.has_scores:
            keys.append("coverage.no_scores")
        elif not self.nps:
            keys.append("coverage.no_nps")
            if self.lead == "csat":
                keys.append("coverage.lead_csat")
        if not self.comments:
            keys.append("coverage.no_comments")
        return keys

    def to_dict(self) -> dict:
        return {
            "nps": self.nps,
            "csat": self.csat,
            "ces": self.ces,
            "drivers": self.drivers,
            "comments": self.comments,
            "questions": self.questions,
            "lead": self.lead,
            "missing": self.notes(),
        }


def coverage(ws: Workspace) -> Coverage:
    """How many answers each core score, the drivers and the open questions have."""
    return shared_view(ws, "coverage", None, lambda: _coverage(ws))


def _coverage(ws: Workspace) -> Coverage:
    nps, csat, ces = run_rows(ws.con, "SELECT count(nps), count(csat), count(ces) FROM responses")[0]
    comments, questions = run_rows(ws.con, 'SELECT count(*), count(DISTINCT "column") FROM answers')[0]
    mapping = ws.loaded.survey_mapping if ws.loaded is not None else None
    candidates = tuple(c["column"] for c in getattr(mapping, "candidates", {}).get("nps", [])) if mapping else ()
    return Coverage(
        nps=int(nps),
        csat=int(csat),
        ces=int(ces),
        drivers=len(ws.drivers),
        comments=int(comments),
        questions=int(questions),
        nps_candidates=candidates,
    )


@dataclass(frozen=True)
class ScoreCard:
    """One headline card: a core score, its result in the selection and the scale it was asked on."""

    metric: str  # "nps", "csat" or "ces"
    result: NpsResult | MeanResult | None
    scale: tuple[float, float]


def score_cards(ws: Workspace, ov: Overview) -> tuple[ScoreCard, ...]:
    """The Overview's cards: NPS only when the data has NPS answers (never a guessed or empty NPS
    card), then CSAT and CES, each on the scale detected for its column."""
    scales = metric_scales(ws)
    cards = [ScoreCard("nps", ov.nps, scales["nps"])] if coverage(ws).nps else []
    cards += [ScoreCard(name, result, scales[name]) for name, result in (("csat", ov.csat), ("ces", ov.ces))]
    return tuple(cards)
