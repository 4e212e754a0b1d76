"""The fast paths of ingestion give exactly what the slow, obvious paths give.

- the Arrow CSV reader vs pandas' C parser and Python's csv module (seeded random texts full of
  quotes, delimiters and every line ending);
- the vectorised text cleaning vs :func:`clean_text` / :func:`is_empty` value by value;
- the ISO-first / guessed-format date parsing vs pandas' mixed-format parser.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from cx_core.ingest import load_inputs
from cx_core.ingest.parse import _grid_arrow, _grid_fast, _grid_slow, parse_delimited
from cx_core.ingest.values import Distinct, clean_text, clean_texts, empty_mask, is_empty, parse_dates

_PIECES = ["a", "b", ",", ",", ";", '"', "\n", "\n", "\r", "\r\n", " ", "x y", '""', "é", "９"]


def _old_path_grid(text: str, delimiter: str):
    grid = _grid_fast(text, delimiter)
    if grid is not None:
        return grid.fillna("").astype(object).values.tolist(), {}
    grid, ragged = _grid_slow(text, delimiter)
    return grid.fillna("").values.tolist(), ragged


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_arrow_reader_reads_what_the_pandas_and_csv_readers_read(delimiter):
    rng = random.Random(20261122)
    accepted = 0
    for _ in range(1500):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 30)))
        grid = _grid_arrow(text.encode("utf-8"), delimiter)
        if grid is None:
            continue  # not trusted: the old readers handle it
        accepted += 1
        expected, ragged = _old_path_grid(text, delimiter)
        assert not ragged, repr(text)
        assert grid.astype(object).values.tolist() == expected, repr(text)
    assert accepted > 100


def test_arrow_reader_declines_what_it_cannot_read_exactly():
    assert _grid_arrow(b'a,b\n1,"unterminated\n', ",") is None
    assert _grid_arrow(b"\na,b\n1,2\n", ",") is None  # blank first line
    assert _grid_arrow(b"a,b\n1,2,3\n", ",") is None  # ragged: the csv module reports it
    table = parse_delimited("id,nps\n1,5\n2,9,extra\n3\n\n4,10\n", encoding="utf-8")
    assert table.rows_read == 5
    assert [(r.row, r.reason) for r in table.rejected] == [
        (3, "row has 3 values but the header has 2 columns"),
        (5, "empty row"),
    ]


def test_blank_rows_are_found_in_any_column():
    table = parse_delimited("a,b,c\n1,2,3\n,, \n,,x\n ,\t,\n4,5,6\n", encoding="utf-8")
    assert [r.row for r in table.rejected] == [3, 5]
    assert table.frame["c"].tolist() == ["3", "x", "6"]


def _messy_values(count: int) -> list[str]:
    rng = random.Random(7)
    specials = ["", " ", "NA", "n/a", "#N/A", "ＮＡ", "該当なし", "  spaced   out ", "tab\there", "x\u3000y", "\xa0z"]
    values = [f"ID-{i:06d}" for i in range(count)]
    values += [f"word {i} and more" for i in range(count // 10)]
    values += specials * 3
    rng.shuffle(values)
    return values


def test_vectorised_cleaning_matches_value_by_value():
    values = pd.Series(_messy_values(8000) + [None], dtype="str")
    assert len(Distinct(values).uniques) > 5000  # the Arrow fast path is taken
    expected = [clean_text(v) for v in values.astype(object).where(values.notna(), None)]
    assert clean_texts(values).tolist() == expected
    assert empty_mask(values).tolist() == [is_empty(v) for v in values.astype(object).where(values.notna(), None)]


def _mixed(texts: list[str], dayfirst: bool) -> list:
    parsed = pd.to_datetime(
        pd.Series(texts, dtype=object), errors="coerce", utc=True, format="mixed", dayfirst=dayfirst
    )
    return list(parsed.dt.tz_convert(None))


@pytest.mark.parametrize(
    ("make", "dayfirst"),
    [
        (lambda r: f"{r.randint(1, 12)}/{r.randint(1, 28)}/2025 {r.randint(1, 12)}:{r.randint(0, 59):02d} PM", False),
        (lambda r: f"{r.randint(13, 28)}.{r.randint(1, 12)}.2025 {r.randint(0, 23)}:{r.randint(0, 59):02d}", True),
        (lambda r: f"{r.choice(['Jan', 'Feb', 'Mar'])} {r.randint(1, 28)}, 2025", False),
    ],
)
def test_guessed_date_format_agrees_with_the_mixed_parser(make, dayfirst):
    rng = random.Random(3)
    texts = list(dict.fromkeys(make(rng) for _ in range(400)))
    got = parse_dates(pd.Series(texts, dtype="str")).tolist()
    assert got == _mixed(texts, dayfirst)
    assert not any(pd.isna(g) for g in got)


def test_iso_dates_stay_year_first_next_to_day_first_dates():
    values = pd.Series(["24/03/2026", "2026-03-01", "2026/3/2", "2026年3月3日", "45000", "soon", "", None], dtype="str")
    got = parse_dates(values).tolist()
    assert got[:5] == [
        pd.Timestamp("2026-03-24"),
        pd.Timestamp("2026-03-01"),
        pd.Timestamp("2026-03-02"),
        pd.Timestamp("2026-03-03"),
        pd.Timestamp("1899-12-30") + pd.Timedelta(days=45000),  # an Excel serial date
    ]
    assert all(pd.isna(g) for g in got[5:])


def test_many_distinct_timestamps_load_with_every_row_accounted_for():
    rng = np.random.default_rng(5)
    n = 3000
    stamps = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 10**7, n), unit="s")
    survey = pd.DataFrame(
        {
            "Response ID": [f"R{i}" for i in range(n)],
            "Submitted": stamps.strftime("%m/%d/%Y %I:%M:%S %p"),
            "NPS": rng.integers(0, 12, n),  # 11 is out of range: rejected with its reason
        }
    )
    loaded = load_inputs(survey.to_csv(index=False).encode(), "s.csv")
    report = loaded.survey_report
    assert report.rows_read == n == report.rows_loaded + report.rows_rejected
    assert {r.reason for r in report.rejected} == {"NPS 11 is outside 0-10"}
    kept = survey[survey["NPS"] <= 10].reset_index(drop=True)
    expected = pd.to_datetime(kept["Submitted"], format="%m/%d/%Y %I:%M:%S %p").astype("datetime64[us]")
    assert loaded.survey.responses["submitted_at"].tolist() == expected.tolist()
