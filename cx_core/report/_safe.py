"""Tables that are safe to open in a spreadsheet: CSV and XLSX with formula injection neutralised.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula
by Excel and LibreOffice; an uploaded comment like ``=HYPERLINK("http://evil", "click")`` would
become a live link in the exported file. Such text cells get a leading apostrophe, which
spreadsheets show as plain text. Numbers are left alone (``-12`` stays a number).

Note for the lead: ``cx_core/export.py`` (another branch) has the same rule; dedupe after merging.
"""

from __future__ import annotations

import io

import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """``"=1+1"`` -> ``"'=1+1"``; non-text values are returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot run as formulas."""
    safe = frame.copy()
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    for column in safe.columns:
        series = safe[column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)):
            safe[column] = series.map(neutralise_cell).astype(object)
    return safe


def table_csv(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel opens Japanese text correctly."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")


def table_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An XLSX workbook with one sheet holding ``frame``."""
    buffer = io.BytesIO()
    safe = neutralise_frame(frame)
    for column in safe.columns:  # Excel cannot store time-zone-aware datetimes
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=(sheet or "data")[:31], index=False)
    return buffer.getvalue()
