"""Safe exports: text that a spreadsheet would run as a formula is neutralised in CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from cx_core.export import FORMULA_PREFIXES, neutralise_cell, neutralise_frame, to_csv_bytes, to_xlsx_bytes

DANGEROUS = ["=1+1", '=HYPERLINK("http://evil","x")', "+1-1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "＝1+1"]


def frame() -> pd.DataFrame:
    safe = ["ok", "納期が遅い", "a=b", None, "x", "y", "z", "w"]
    return pd.DataFrame(
        {
            "dangerous": DANGEROUS,
            "safe": safe,
            "number": [-5, 0, 1, 2, 3, 4, 5, 6],
            "day": [dt.date(2026, 10, 5)] * 8,
            "roles": [["executive", "procurement"]] * 8,
            "=header": ["v"] * 8,
        }
    )


def test_neutralise_cell():
    for text in DANGEROUS:
        assert neutralise_cell(text) == "'" + text
    assert neutralise_cell("fine") == "fine"
    assert neutralise_cell(-5) == -5 and neutralise_cell(None) is None


def test_csv_cells_are_neutralised():
    data = to_csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens Japanese text correctly
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header[-1] == "'=header"
    assert [r[0] for r in body] == ["'" + d for d in DANGEROUS]
    assert body[1][1] == "納期が遅い" and body[0][2] == "-5"  # numbers stay numbers
    assert body[0][4] == "executive, procurement"
    for row in rows:
        for cell in row:
            if not is_number(cell):  # a plain negative number is safe
                assert not cell.startswith(FORMULA_PREFIXES), cell


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_xlsx_cells_are_neutralised_and_never_formulas():
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame(), "follow-up")))
    sheet = book.active
    assert sheet.title == "follow-up"
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-1] == "'=header"
    assert [r[0] for r in values[1:]] == ["'" + d for d in DANGEROUS]
    assert values[1][2] == -5 and isinstance(values[1][2], int)
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_PREFIXES)


def test_xlsx_drops_control_characters_openpyxl_cannot_store():
    book = load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"c": ["a\x00b\x07c"]}))))
    assert book.active["A2"].value == "abc"


@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_no_neutralised_text_starts_like_a_formula(texts):
    out = neutralise_frame(pd.DataFrame({"t": texts}))
    for value in out["t"]:
        assert not str(value).startswith(FORMULA_PREFIXES)
    for before, after in zip(texts, out["t"], strict=True):
        assert after in (before, "'" + before)


def test_xlsx_keeps_time_zone_aware_dates_as_local_times():
    stamps = pd.to_datetime(["2026-10-01 09:30"]).tz_localize("Asia/Tokyo")
    book = load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"submitted": stamps}))))
    assert book.active["A2"].value.isoformat() == "2026-10-01T09:30:00"
