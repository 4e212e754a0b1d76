"""Safe CSV and Excel exports of tables: spreadsheet formula injection is neutralised.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and LibreOffice (``=HYPERLINK(...)``, ``@SUM(...)``, DDE payloads...). Every
such text cell gets a leading apostrophe, so it is shown as the text it was. Numbers stay numbers
(a negative number is not text and is safe). Full-width variants (``＝＋－＠``), which some
Japanese spreadsheet setups also treat as a formula start, are neutralised the same way.

Use :func:`to_csv_bytes` and :func:`to_xlsx_bytes` for every download of a table, and
:func:`escape_frame` / :func:`unescape_frame` for tables in files the app reads back.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from typing import Any

import pandas as pd

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Control characters an .xlsx file cannot hold (openpyxl refuses them); tab, LF and CR are allowed.
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_SHEET_NAME = 31


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text starting like a formula; else unchanged.

    >>> neutralise_cell("=1+1"), neutralise_cell("-5"), neutralise_cell(-5), neutralise_cell("ok")
    ("'=1+1", "'-5", -5, 'ok')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell_text(value: Any) -> Any:
    """Lists (e.g. roles) become comma-separated text so a spreadsheet can show them."""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` where every text cell (and every column name) is neutralised."""
    out = frame.copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_datetime64_any_dtype(series):
            continue
        out[column] = series.astype(object).map(lambda v: neutralise_cell(_cell_text(v)))
    return out


def escape_cell(value: Any) -> Any:
    """``value`` neutralised so that :func:`unescape_cell` gives it back exactly: text that starts
    like a formula *or with an apostrophe* gets one more apostrophe in front.

    For files this app reads back (``.cxw`` workspaces), where a one-way apostrophe would change
    the data; a spreadsheet opening them still shows text, never runs a formula.

    >>> [escape_cell(v) for v in ("=1+1", "'quoted", "ok", -5)]
    ["'=1+1", "''quoted", 'ok', -5]
    >>> [unescape_cell(escape_cell(v)) for v in ("=1+1", "'quoted", "ok", -5)]
    ['=1+1', "'quoted", 'ok', -5]
    """
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, "'")):
        return "'" + value
    return value


def unescape_cell(value: Any) -> Any:
    """The value :func:`escape_cell` was given."""
    if isinstance(value, str) and value.startswith("'"):
        return value[1:]
    return value


def _map_text(frame: pd.DataFrame, cell) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [cell(str(c)) for c in out.columns]
    for position in range(out.shape[1]):
        series = out.iloc[:, position]
        if series.dtype != object and not pd.api.types.is_string_dtype(series):
            continue
        out.isetitem(position, series.map(cell, na_action="ignore"))
    return out


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through :func:`escape_cell`."""
    return _map_text(frame, escape_cell)


def unescape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as it was before :func:`escape_frame`."""
    return _map_text(frame, unescape_cell)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel opens Japanese text correctly), neutralised."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel cannot store time zones
    if isinstance(value, (dt.date, dt.datetime, bool, int, float)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, str):
        return _ILLEGAL_XLSX.sub("", value)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return _ILLEGAL_XLSX.sub("", str(value))


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An .xlsx workbook of ``frame`` (one sheet, header row), neutralised.

    Every text cell is written explicitly as a string, so even a value that slipped past
    :func:`neutralise_cell` could never be stored as a formula.
    """
    from openpyxl import Workbook

    safe = neutralise_frame(frame)
    book = Workbook()
    sheet = book.active
    title = re.sub(r"[\[\]\*\?/\\:]", "_", str(sheet_name))[:MAX_SHEET_NAME] or "data"
    sheet.title = title
    sheet.append([_xlsx_value(c) for c in safe.columns])
    for row in safe.itertuples(index=False, name=None):
        sheet.append([_xlsx_value(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
