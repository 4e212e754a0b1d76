"""The CLI's trend reads only the trend and the total: the same sums as the Segments page's one aggregate."""

from __future__ import annotations

import pytest

from cx_core import Filters
from cx_core.clustered import outer_column_names
from cx_core.segments import summary as summary_module
from cx_core.segments.summary import trend_summary
from cx_core.segments.view import _aggregate, _trend_sets


def _by_period(records: list[dict]) -> dict:
    return {r["period"]: {k: r[k] for k in outer_column_names()} for r in records}


@pytest.mark.parametrize("grain", ["month", "quarter"])
@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters.make(segment=["SMB"]),
        Filters.make(respondent_role=["engineer", "admin"], segment=["Enterprise"]),
    ],
)
def test_trend_sets_equal_the_page_aggregate(ws, filters, grain):
    page = _aggregate(ws, filters, "segment", "segment", "respondent_role", grain)
    alone = _trend_sets(ws, filters, grain)
    assert len(alone["trend"]) > 3 and len(alone["total"]) == 1
    assert _by_period(alone["trend"]) == _by_period(page["trend"])
    assert _by_period(alone["total"]) == _by_period(page["total"])


@pytest.mark.parametrize(
    "filters", [Filters(), Filters.make(segment=["SMB"]), Filters.make(segment=["no such segment"])]
)
def test_trend_summary_is_the_one_from_the_page_aggregate(ws, filters, monkeypatch):
    got = trend_summary(ws, filters, min_n=40)
    page = lambda ws, filters, grain: _aggregate(ws, filters, "segment", "segment", "respondent_role", grain)  # noqa: E731
    monkeypatch.setattr(summary_module, "_trend_sets", page)
    assert got == trend_summary(ws, filters, min_n=40)
