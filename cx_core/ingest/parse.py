"""Parse decoded text (or an XLSX workbook) into a table of strings, keeping row accounting.

Every data row of the file either becomes a row of :attr:`RawTable.frame` or a
:class:`Rejection` with its reason, so ``rows_read == len(frame) + len(rejected)``.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputFileError
from .decode import decode_bytes

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

MAX_HEADER_CHARS = 200  # longer headers are cut for display; the full text stays as the question


@dataclass(frozen=True)
class Rejection:
    """A row that was not loaded, with the row number a spreadsheet would show and the reason."""

    row: int
    reason: str

    def to_dict(self) -> dict:
        return {"row": self.row, "reason": self.reason}


@dataclass
class RawTable:
    """A parsed file: unique column names, string cells, and everything rejected so far."""

    frame: pd.DataFrame  # one column per source column, all values str ("" for empty)
    row_numbers: list[int]  # file row number of each frame row (1-based, headers counted)
    format: str
    encoding: str
    header_rows: int
    rows_read: int
    questions: dict[str, str] = field(default_factory=dict)  # column -> full question text
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def unique_column_names(headers: list[str]) -> tuple[list[str], dict[str, str]]:
    """Make header names usable: trimmed, non-empty, unique and of bounded length.

    Returns the names and a mapping name -> the original full header text.
    """
    names: list[str] = []
    originals: dict[str, str] = {}
    seen: set[str] = set()
    for i, header in enumerate(headers):
        full = (header or "").replace("\x00", "").strip()
        base = " ".join(full.split())[:MAX_HEADER_CHARS] or f"column_{i + 1}"
        name, k = base, 2
        while name in seen:
            name = f"{base} ({k})"
            k += 1
        seen.add(name)
        names.append(name)
        originals[name] = full
    return names, originals


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter (comma, tab, semicolon or pipe) from the first lines."""
    sample_lines = text[:20000].splitlines()[:20]
    best, best_score = ",", -1.0
    for delimiter in (",", "\t", ";", "|"):
        counts = [line.count(delimiter) for line in sample_lines if line.strip()]
        if not counts or max(counts) == 0:
            continue
        # consistent, frequent counts win
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) / len(counts) * mode
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_delimited(text: str, *, encoding: str, header_rows: int = 1, fmt: str = "csv") -> RawTable:
    """Parse delimited text with quoted cells, any line ending and ragged rows accounted for."""
    if not text.strip():
        raise InputFileError("The file is empty.")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputFileError("The file could not be read as a table (a quote is never closed).") from exc
    if len(rows) < header_rows:
        raise InputFileError("The file has no header row.")
    header = rows[header_rows - 1]
    names, originals = unique_column_names(header)
    width = len(names)
    data, numbers, rejected = [], [], []
    for offset, row in enumerate(rows[header_rows:]):
        file_row = header_rows + offset + 1
        if not any(cell.strip() for cell in row):
            rejected.append(Rejection(file_row, "empty row"))
            continue
        if len(row) > width:
            extra = row[width:]
            if any(cell.strip() for cell in extra):
                rejected.append(Rejection(file_row, f"row has {len(row)} values but the header has {width} columns"))
                continue
            row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        data.append(row)
        numbers.append(file_row)
    frame = pd.DataFrame(data, columns=names, dtype=object) if data else pd.DataFrame(columns=names, dtype=object)
    if fmt == "csv" and delimiter == "\t":
        fmt = "tsv"
    return RawTable(
        frame=frame,
        row_numbers=numbers,
        format=fmt,
        encoding=encoding,
        header_rows=header_rows,
        rows_read=len(rows) - header_rows,
        questions={k: v for k, v in originals.items()},
        rejected=rejected,
    )


def read_table(data: bytes, filename: str = "upload.csv") -> RawTable:
    """Read the bytes of a CSV/TSV export into a :class:`RawTable`.

    Raises :class:`~cx_core.errors.InputFileError` with a plain-language message when the file is
    not a usable table.
    """
    decoded = decode_bytes(data)
    table = parse_delimited(decoded.text, encoding=decoded.encoding)
    if decoded.replaced_bytes:
        table.notes.append(
            f"{decoded.replaced_bytes} character(s) could not be decoded as {decoded.encoding} and were replaced."
        )
    if not len(table.frame.columns):
        raise InputFileError("The file has no columns.")
    return table
