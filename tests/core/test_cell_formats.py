"""One cell formatter (cx_core.cells.format_cell): each kind written one way, in English and Japanese."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cx_core.cells import Column, ColumnKind, format_cell

K = ColumnKind


@pytest.mark.parametrize(
    ("value", "kind", "lang", "text"),
    [
        # NPS: whole, signed points (an NPS of 23.17 claims a precision a survey does not have)
        (12.4, K.NPS, "en", "+12"),
        (-13.94, K.NPS, "ja", "-14"),
        (-0.4, K.NPS, "en", "0"),  # never "-0" nor "+0"
        (np.float64(23.5), K.NPS, "ja", "+24"),
        # mean ratings: two decimals; their differences signed
        (4.266, K.SCORE, "en", "4.27"),
        (3.0, K.SCORE, "ja", "3.00"),
        (-0.347, K.SCORE_CHANGE, "en", "-0.35"),
        (0.1, K.SCORE_CHANGE, "ja", "+0.10"),
        # shares (0-100): whole percent, one decimal below 10% where it tells groups apart
        (45.2, K.SHARE, "en", "45%"),
        (4.7, K.SHARE, "ja", "4.7%"),
        (5.0, K.SHARE, "en", "5%"),
        (0.0, K.SHARE, "en", "0%"),
        (99.96, K.SHARE, "en", "100%"),
        # counts and money: thousands grouped with a comma in both languages
        (1234, K.COUNT, "en", "1,234"),
        (np.int64(13612), K.COUNT, "ja", "13,612"),
        (1454300.0, K.MONEY, "ja", "1,454,300"),
        (3.4167, K.NUMBER, "en", "3.4"),
        (0.00002, K.P_VALUE, "en", "< 0.001"),
        (0.0123, K.P_VALUE, "ja", "0.012"),
        # yes/no, dates, codes, text
        (True, K.FLAG, "en", "✓"),
        (np.bool_(False), K.FLAG, "ja", ""),
        (None, K.FLAG, "en", ""),
        (dt.date(2026, 10, 1), K.DATE, "en", "1 Oct 2026"),
        (pd.Timestamp("2026-10-01"), K.DATE, "ja", "2026年10月1日"),
        ("2026-10-01", K.DATE, "ja", "2026年10月1日"),
        ("mid-market", K.CODE, "ja", "中堅企業"),
        ("Order delivery (use)", K.CODE, "en", "Order delivery (Use)"),
        ("中堅企業", K.CODE, "ja", "中堅企業"),  # a code already worded stays as it is
        ("ACC-0111", K.CODE, "en", "ACC-0111"),
        ("use", K.TEXT, "en", "use"),  # text from people is never reworded
    ],
)
def test_each_kind_is_written_one_way(value, kind, lang, text):
    assert format_cell(value, kind, lang) == text


@pytest.mark.parametrize("kind", [k for k in K if k is not K.FLAG])
@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_values_are_a_dash_never_none_or_nan(kind, missing):
    assert format_cell(missing, kind, "en") == "—" and format_cell(missing, kind, "ja") == "—"


def test_text_in_a_numeric_column_is_shown_as_it_is():
    assert format_cell("—", K.NPS, "en") == "—" and format_cell("n/a", K.SHARE, "ja") == "n/a"


def test_a_column_of_measures_writes_each_row_as_its_own_kind():
    column = Column("Score", K.SCORE, row_kinds=(K.NPS, K.SCORE, K.SCORE))
    assert [format_cell(v, column.kind_at(i), "en") for i, v in enumerate([23.4, 4.1234, 5.5, 3.0])] == [
        "+23",
        "4.12",
        "5.50",
        "3.00",
    ]
    assert column.numeric and not Column("Group", K.CODE).numeric
