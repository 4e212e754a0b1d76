"""Two periods compared: this quarter against the last, or any two date ranges.

Each period's NPS, CSAT and CES come with their design effect over accounts (the same two-step
aggregation as every other view); the difference of each score is tested between the periods.
The same accounts often answer in both periods; their answers' positive correlation across the
periods is left out, which makes each test conservative (less sure, never more).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..clustered import scores_from_record
from ..filters import NO_FILTERS, Filters
from ..metrics import DEFAULT_MIN_N, clustered_scores
from ..workspace import Workspace
from .view import Comparison, Scores, _compare


@dataclasses.dataclass(frozen=True)
class PeriodComparison:
    """Scores of period ``a`` and period ``b`` and one test per score the data has (``a`` minus ``b``)."""

    a: tuple[dt.date, dt.date]
    b: tuple[dt.date, dt.date]
    scores_a: Scores
    scores_b: Scores
    tests: list[Comparison]

    def to_dict(self) -> dict:
        def scores(s: Scores) -> dict:
            return {
                "nps": s.nps.to_dict(),
                "csat": s.csat.to_dict() if s.csat else None,
                "ces": s.ces.to_dict() if s.ces else None,
            }

        return {
            "a": [d.isoformat() for d in self.a],
            "b": [d.isoformat() for d in self.b],
            "scores_a": scores(self.scores_a),
            "scores_b": scores(self.scores_b),
            "tests": [c.to_dict() for c in self.tests],
        }


def _period_scores(ws: Workspace, filters: Filters, start: dt.date, end: dt.date) -> Scores:
    params: dict = {}
    where = dataclasses.replace(filters, date_from=start, date_to=end).where(params)
    record = clustered_scores(ws, where, [], params).iloc[0].to_dict()
    return Scores(*scores_from_record(record))


def compare_periods(
    ws: Workspace,
    a: tuple[dt.date, dt.date],
    b: tuple[dt.date, dt.date],
    filters: Filters = NO_FILTERS,
    *,
    min_n: int = DEFAULT_MIN_N,
) -> PeriodComparison:
    """Period ``a`` (from, to: the app's date filter) against period ``b`` within ``filters``
    (its own date range is replaced by each period's): NPS, CSAT and CES each tested, with
    respondents clustered in accounts; a period under ``min_n`` answers is not tested."""
    scores_a = _period_scores(ws, filters, *a)
    scores_b = _period_scores(ws, filters, *b)
    label_a, label_b = (f"{p[0].isoformat()}..{p[1].isoformat()}" for p in (a, b))
    tests = [_compare("nps", label_a, scores_a, label_b, scores_b, min_n)]
    for metric in ("csat", "ces"):
        if getattr(scores_a, metric) is not None or getattr(scores_b, metric) is not None:
            tests.append(_compare(metric, label_a, scores_a, label_b, scores_b, min_n))
    return PeriodComparison(a, b, scores_a, scores_b, tests)


def latest_quarters(ws: Workspace) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]] | None:
    """(the quarter of the data's latest answer, the quarter before it) as (first day, last day)
    pairs: "this quarter vs last" read from the data, not from today's date (a survey exported in
    October is about the quarter its answers fall in). None when the data has no dates."""
    from .dimensions import date_span

    _first, last = date_span(ws)
    if last is None:
        return None
    start = dt.date(last.year, 3 * ((last.month - 1) // 3) + 1, 1)
    end = (dt.date(start.year + (start.month == 10), 1 if start.month == 10 else start.month + 3, 1)) - dt.timedelta(
        days=1
    )
    before_end = start - dt.timedelta(days=1)
    before_start = dt.date(before_end.year, before_end.month - 2, 1)
    return (start, end), (before_start, before_end)
