"""Two periods compared as report sections: Holm over the scores, honest words, no "None"."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cx_core.filters import Filters
from cx_core.report import ReportContext, section_cells
from cx_core.report.periods import period_scores_section, period_themes_section
from cx_core.segments import compare_periods, latest_quarters
from cx_core.stats import holm_adjust


def test_scores_of_two_quarters_are_holm_adjusted_and_said_as_tested(ws):
    a, b = latest_quarters(ws)
    assert a[0] - b[1] == dt.timedelta(days=1) and a[0].day == b[0].day == 1 and a[0].month % 3 == 1
    comparison = compare_periods(ws, a, b, min_n=30)
    section = period_scores_section(ReportContext(ws, Filters(), "en", 30), comparison)
    table = section.table.set_index("Measure")
    adjusted = holm_adjust([c.p_value for c in comparison.tests])
    for cmp, q in zip(comparison.tests, adjusted, strict=True):
        row = table.loc[{"nps": "NPS", "csat": "CSAT", "ces": "CES"}[cmp.metric]]
        assert row["Reading"] == ("clear difference at 95%" if q < 0.05 else "no clear difference: could be chance")
    clear = [c for c, q in zip(comparison.tests, adjusted, strict=True) if q < 0.05]
    assert ("a clear difference at 95%" in section.finding) == bool(clear)
    assert "No clear difference" in section.finding or clear


def test_a_period_without_comments_is_not_tested_and_shows_no_none():
    shares = pd.DataFrame(
        [
            {
                "key": "k",
                "label": "Late deliveries",
                "count_a": 3,
                "n_a": 40,
                "share_a": 0.075,
                "count_b": 0,
                "n_b": 0,
                "share_b": None,
                "difference": None,
                "p_value": None,
                "p_adjusted": None,
                "design_effect_a": 1.0,
                "design_effect_b": 1.0,
            },
        ]
    )
    a, b = (dt.date(2026, 7, 1), dt.date(2026, 9, 30)), (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    section = period_themes_section(ReportContext(None, Filters(), "ja", 30), shares, a, b)
    assert section.finding.startswith("検定なし")
    # what every edge shows (page, slide, HTML, PPTX): a dash where a period has no comments
    _, rows = section_cells(section, "ja")
    text = " ".join(cell for row in rows for cell in row)
    assert "None" not in text and "nan" not in text and "—" in text
