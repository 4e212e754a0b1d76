"""Parse decoded text (or an XLSX workbook) into a table of strings, keeping row accounting.

Every data row of the file either becomes a row of :attr:`RawTable.frame` or a
:class:`Rejection` with its reason, so ``rows_read == len(frame) + len(rejected)``.

Survey tools' export layouts are recognised here: Qualtrics (three header rows: column ids,
question text, ``{"ImportId": ...}``) and SurveyMonkey (two header rows: question, then
"Response" or the option label of each column of a matrix question).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import FileLimitError, InputFileError
from .decode import MOJIBAKE_HINT, ZIP_SIGNATURE, check_size, decode_bytes, repair_mojibake, sniff_binary
from .limits import MAX_COLUMNS, ReadLimits, read_limits
from .notices import UNCLOSED_QUOTE, InputWarning

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

MAX_HEADER_CHARS = 200  # longer headers are cut for display; the full text stays as the question
_HEADER_PREFIX_CHARS = 8 * 1024 * 1024  # a header row is looked for in this much text
_TAGS = re.compile(r"<[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# SurveyMonkey's second header row: the answer-kind cells of single-column questions.
_SM_RESPONSE_LABELS = frozenset({"response", "open-ended response", "回答", "自由回答", "自由記述の回答"})
_SM_FIRST_COLUMNS = frozenset({"respondent id", "回答者 id", "回答者id"})


@dataclass(frozen=True)
class Rejection:
    """A row that was not loaded, with the row number a spreadsheet would show and the reason.

    ``reason`` is readable English (the rejected-rows CSV, the CLI); ``code`` and ``values``, when
    set, let the edge word it in the person's language (:func:`~.notices.rejection_text`).
    """

    row: int
    reason: str
    code: str = ""
    values: dict = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict:
        out = {"row": self.row, "reason": self.reason}
        if self.code:
            out["code"] = self.code
            out["values"] = dict(self.values)
        return out


@dataclass
class RawTable:
    """A parsed file: unique column names, string cells, and everything rejected so far."""

    frame: pd.DataFrame  # one column per source column, all values str ("" for empty)
    row_numbers: list[int]  # file row number of each frame row (1-based record number, headers counted)
    format: str  # "qualtrics", "surveymonkey", "csv", "tsv", "semicolon", "xlsx"
    encoding: str
    header_rows: int
    rows_read: int
    questions: dict[str, str] = field(default_factory=dict)  # column -> full question text
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    import_ids: dict[str, str] = field(default_factory=dict)  # column -> Qualtrics ImportId
    labels: dict[str, str] = field(default_factory=dict)  # column -> short label (matrix option)
    container: str = "csv"  # the file type under the layout: csv, tsv, semicolon, xlsx
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    # what decoding repaired, with counts (e.g. {"mojibake_cells": 12, "cp850_lines": 40})
    repairs: dict[str, int] = field(default_factory=dict)
    warnings: list[InputWarning] = field(default_factory=list)  # e.g. a quote never closed
    # a header that several columns share: the first column's name -> the names given to the others
    duplicate_headers: dict[str, list[str]] = field(default_factory=dict)


def clean_header(text: object) -> str:
    """A header as people should see it: no HTML tags, control characters or repeated spaces."""
    full = _CONTROL.sub("", str(text or ""))
    return " ".join(_TAGS.sub(" ", full).split())


def unique_column_names(headers: list[str]) -> tuple[list[str], dict[str, str]]:
    """Make header names usable: trimmed, tag-free, non-empty, unique and of bounded length.

    Returns the names and a mapping name -> the original full header text.
    """
    names: list[str] = []
    originals: dict[str, str] = {}
    seen: set[str] = set()
    for i, header in enumerate(headers):
        full = _CONTROL.sub("", str(header or "")).strip()
        base = clean_header(full)[:MAX_HEADER_CHARS] or f"column_{i + 1}"
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
    sample_lines = text[:50000].splitlines()[:20]
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


_ARROW_BLOCK_BYTES = 16 * 1024 * 1024  # rows longer than this fall back to the pandas reader
_CONTAINER = {",": "csv", "\t": "tsv", ";": "semicolon", "|": "pipe"}


def _arrow_csv_options(delimiter: str, width: int, block_bytes: int) -> dict:
    """Arrow's CSV reader options for our reading of a delimited file: every cell text (blank is
    "", never null), quotes doubled, records across lines, blank lines kept (they are counted);
    columns ``f0``..``f{width-1}``. Shared by the in-memory fast path and :mod:`.stream`."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    return {
        "read_options": pa_csv.ReadOptions(autogenerate_column_names=True, block_size=block_bytes),
        "parse_options": pa_csv.ParseOptions(
            delimiter=delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            ignore_empty_lines=False,
        ),
        "convert_options": pa_csv.ConvertOptions(
            column_types={f"f{i}": pa.large_string() for i in range(width)},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    }


def _grid_arrow(data: bytes, delimiter: str, max_columns: int = MAX_COLUMNS) -> pd.DataFrame | None:
    """All records as a frame of strings with Arrow's multi-threaded CSV reader; None to fall back.

    Arrow is several times faster than pandas' parser on big exports. It is only trusted where it
    reads exactly what the pandas/csv path reads (checked by differential fuzzing): rectangular
    files whose first line is not blank and whose quotes are balanced. Anything else (ragged rows,
    an unterminated quote, a row longer than a block) falls back to the slower readers.
    """
    if not data or data[:1] in (b"\r", b"\n") or data.count(b'"') % 2:
        return None
    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ImportError:  # pragma: no cover - pyarrow ships with pandas/streamlit
        return None
    try:
        table = pa_csv.read_csv(io.BytesIO(data), **_arrow_csv_options(delimiter, max_columns + 1, _ARROW_BLOCK_BYTES))
    except (pa.ArrowException, ValueError, OverflowError, MemoryError):
        return None
    if table.num_columns == 0 or table.num_columns > max_columns:
        return None
    if not all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in table.schema.types):
        return None
    frame = table.to_pandas()
    frame.columns = range(table.num_columns)
    return frame


def _grid_fast(text: str, delimiter: str) -> pd.DataFrame | None:
    """All records as a frame of strings with pandas' C parser; None when rows are ragged."""
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
            doublequote=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OverflowError, MemoryError):
        return None
    return grid


def _grid_slow(text: str, delimiter: str) -> tuple[pd.DataFrame, dict[int, str]]:
    """Python's csv module for ragged files: short rows padded, long rows kept as rejections.

    Rows are cut to the header's width as they stream past, so a row of a million values never
    joins the table.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ragged: dict[int, str] = {}
    fixed: list[list[str]] = []
    width = 0
    try:
        for i, row in enumerate(reader):
            if i == 0:
                width = len(row)
            elif len(row) > width:
                if any(cell.strip() for cell in row[width:]):
                    ragged[i] = f"row has {len(row)} values but the header has {width} columns"
                row = row[:width]
            elif len(row) < width:
                row = row + [""] * (width - len(row))
            fixed.append(row)
    except csv.Error as exc:
        raise InputFileError("error.file_unclosed_quote") from exc
    if not fixed:
        raise InputFileError("error.file_empty")
    return pd.DataFrame(fixed, dtype=object), ragged


def _file_name(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1] or filename


def header_width(text: str, delimiter: str) -> int:
    """How many columns the first record of ``text`` has, read from its start only."""
    prefix = text[:_HEADER_PREFIX_CHARS]
    try:
        first = next(csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return prefix.count(delimiter) + 1
    return len(first)


def _count_records(text: str, delimiter: str) -> int:
    """Records of ``text`` (quoted line breaks inside cells do not count), one at a time."""
    return sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def check_header_width(text: str, delimiter: str, limits: ReadLimits, filename: str) -> int:
    """The header row's width; refused over ``limits.max_columns`` before anything is parsed."""
    columns = header_width(text, delimiter)
    if columns > limits.max_columns:
        raise FileLimitError("limits.columns", file=_file_name(filename), found=columns, limit=limits.max_columns)
    return columns


def check_table_size(text: str, delimiter: str, limits: ReadLimits, filename: str) -> None:
    """Refuse delimited text whose header row, rows or cells are over ``limits``, before parsing.

    The header row is read first; the rows are counted from line breaks (fast, an upper bound),
    and only when that count is over a limit are the records counted exactly.
    """
    file = _file_name(filename)
    columns = check_header_width(text, delimiter, limits, filename)
    lines = text.count("\n") or text.count("\r")
    lines += 1
    if lines <= limits.max_rows and lines * columns <= limits.max_cells:
        return
    records = _count_records(text, delimiter)
    if records > limits.max_rows:
        raise FileLimitError("limits.rows", file=file, found=records, limit=limits.max_rows)
    if records * columns > limits.max_cells:
        raise FileLimitError("limits.cells", file=file, found=records * columns, limit=limits.max_cells)


_QUOTE_OR_BREAK = re.compile(r'"|\r\n|\n|\r')


def find_unclosed_quote(text: str, delimiter: str) -> tuple[int, int, int] | None:
    """Where a quote that is never closed opens: ``(record index, line number, offset)`` (the
    header is record 0, lines count from 1), or None when every quoted cell is closed.

    A quote opens a quoted cell only at the start of a cell, as CSV readers take it; inside a
    quoted cell ``""`` is a quote and a lone quote closes the cell.
    """
    inside = False
    record, line, opened = 0, 1, (0, 0, 0)
    skip_at = -1
    for match in _QUOTE_OR_BREAK.finditer(text):
        position = match.start()
        if match.group() != '"':
            line += 1
            if not inside:
                record += 1
            continue
        if position == skip_at:
            continue
        if inside:
            if text.startswith('"', position + 1):
                skip_at = position + 1  # "" inside a quoted cell is one quote
            else:
                inside = False
            continue
        before = text[position - 1] if position else "\n"
        if before in (delimiter, "\n", "\r"):
            inside, opened = True, (record, line, position)
    return opened if inside else None


def _quote_as_text(text: str, position: int, delimiter: str) -> str:
    """``text`` with the cell opened by the quote at ``position`` read as plain text: the cell
    ends at the next delimiter or line break, and its quotes are kept as characters."""
    end = len(text)
    for stop in (delimiter, "\n", "\r"):
        found = text.find(stop, position + 1)
        if found != -1:
            end = min(end, found)
    cell = text[position:end]
    return text[:position] + '"' + cell.replace('"', '""') + '"' + text[end:]


def repair_unclosed_quotes(text: str, delimiter: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with every quote that is never closed read as a character instead of opening a
    cell that swallows the rest of the file; returns the text and ``(record index, line)`` of
    each repaired quote."""
    repaired: list[tuple[int, int]] = []
    if text.count('"') % 2 == 0:
        return text, repaired  # every quote has its pair: the scan (slow on big files) is not needed
    while len(repaired) < 100:
        found = find_unclosed_quote(text, delimiter)
        if found is None:
            break
        record, line, position = found
        text = _quote_as_text(text, position, delimiter)
        repaired.append((record, line))
    return text, repaired


def _cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV export would hold (integers without '.0', ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:-9] if text.endswith("T00:00:00") else text
    return str(value)


def list_sheets(data: bytes, filename: str = "upload.xlsx", limits: ReadLimits | None = None) -> list[str]:
    """Names of the worksheets of an XLSX workbook, in order."""
    check_zip(data, limits or read_limits(), filename)
    workbook = _open_workbook(data)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def check_zip(data: bytes, limits: ReadLimits, filename: str) -> None:
    """Refuse a ZIP (a workbook, a ``.cxw`` file) whose members unpack to more than
    ``limits.max_bytes`` or are packed more than ``limits.max_ratio`` times, from its directory,
    before anything is unpacked. (Python's zipfile never unpacks a member past the size its
    directory gives, so the directory cannot lie about it.) A file that is not a ZIP is left to
    the reader's own message."""
    import zipfile

    from .limits import RATIO_FLOOR_BYTES

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return
    file = _file_name(filename)
    total = sum(info.file_size for info in infos)
    if total > limits.max_bytes:
        raise FileLimitError("limits.bytes", file=file, found=_mb(total), limit=_mb(limits.max_bytes))
    for info in infos:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > limits.max_ratio * max(1, info.compress_size):
            ratio = info.file_size // max(1, info.compress_size)
            raise FileLimitError("limits.ratio", file=file, found=ratio, limit=limits.max_ratio)


def _mb(size: int) -> int:
    return -(-size // (1024 * 1024))


def _open_workbook(data: bytes):
    import zipfile

    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise InputFileError("error.xlsx_unreadable") from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on damaged workbooks
        raise InputFileError("error.xlsx_broken") from exc


def _sheet_rows(worksheet, limits: ReadLimits, file: str) -> list[list[str]]:
    """The rows of a sheet as text, checked against ``limits`` as they stream past.

    The sheet's declared size (``<dimension ref="A1:XFD1048576"/>``) is ignored: it is only a
    claim, and openpyxl would pad every row to it. Blank rows are kept as a count until a row
    with data follows (blank rows at the end are formatting, not data).
    """
    from .limits import XLSX_CELL_FACTOR

    worksheet.reset_dimensions()
    cell_limit = limits.max_cells // XLSX_CELL_FACTOR
    rows: list[list[str]] = []
    blank = 0
    width = 0
    seen = 0
    for values in worksheet.iter_rows(values_only=True):
        seen += 1
        if seen > limits.max_rows:
            raise FileLimitError("limits.rows", file=file, found=seen, limit=limits.max_rows)
        if len(values) > limits.max_columns:
            raise FileLimitError("limits.columns", file=file, found=len(values), limit=limits.max_columns)
        texts = [_cell_text(v) for v in values]
        if not any(c.strip() for c in texts):
            blank += 1
            continue
        if blank:
            rows.extend([] for _ in range(blank))
            blank = 0
        rows.append(texts)
        width = max(width, len(texts))
        if len(rows) * width > cell_limit:
            raise FileLimitError("limits.cells", file=file, found=len(rows) * width, limit=cell_limit)
    return rows


def _grid_xlsx(
    data: bytes, sheet: str | None, limits: ReadLimits | None = None, filename: str = "upload.xlsx"
) -> tuple[pd.DataFrame, str, list[str]]:
    limits = limits or read_limits()
    check_zip(data, limits, filename)
    workbook = _open_workbook(data)
    try:
        names = list(workbook.sheetnames)
        if not names:
            raise InputFileError("error.xlsx_no_sheets")
        chosen = sheet if sheet is not None else names[0]
        if chosen not in names:
            raise InputFileError("error.xlsx_no_sheet_named", sheet=chosen[:60])
        try:
            rows = _sheet_rows(workbook[chosen], limits, _file_name(filename))
        except InputFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - damaged sheet XML
            raise InputFileError("error.xlsx_sheet_broken") from exc
    finally:
        workbook.close()
    if not rows:
        raise InputFileError("error.xlsx_sheet_empty", sheet=chosen[:60])
    width = max(len(r) for r in rows)
    while width > 0 and not any(len(r) >= width and r[width - 1].strip() for r in rows):
        width -= 1
    grid = pd.DataFrame([(r + [""] * width)[:width] for r in rows], dtype=object)
    return grid, chosen, names


def _detect_layout(grid: pd.DataFrame) -> tuple[str, int]:
    """("qualtrics"|"surveymonkey"|"plain", number of header rows) from the first rows."""
    if len(grid) >= 3:
        third = [str(c).strip() for c in grid.iloc[2].tolist()]
        filled = [c for c in third if c]
        if filled and sum(c.startswith('{"ImportId"') or c.startswith("{'ImportId'") for c in filled) >= max(
            1, len(filled) // 2
        ):
            return "qualtrics", 3
    if len(grid) >= 2:
        first = [str(c).strip() for c in grid.iloc[0].tolist()]
        second = [str(c).strip().lower() for c in grid.iloc[1].tolist()]
        response_cells = sum(c in _SM_RESPONSE_LABELS for c in second)
        spanning = sum(1 for a, b in zip(first, second, strict=True) if not a and b)
        if response_cells and (spanning or first[0].lower() in _SM_FIRST_COLUMNS):
            return "surveymonkey", 2
    return "plain", 1


def _qualtrics_headers(grid: pd.DataFrame) -> tuple[list[str], list[str], list[str], list[str]]:
    ids = [str(c) for c in grid.iloc[0].tolist()]
    questions = [str(c) for c in grid.iloc[1].tolist()]
    import_ids = []
    for cell in grid.iloc[2].tolist():
        try:
            value = json.loads(str(cell))
            import_ids.append(str(value.get("ImportId", "")) if isinstance(value, dict) else "")
        except (json.JSONDecodeError, TypeError, ValueError):
            import_ids.append("")
    # matrix sub-questions read "Question text - Option": the option is the driver's label
    labels = [q.rsplit(" - ", 1)[1].strip() if " - " in q else "" for q in questions]
    return ids, questions, import_ids, labels


def _surveymonkey_headers(grid: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    first = [str(c).strip() for c in grid.iloc[0].tolist()]
    second = [str(c).strip() for c in grid.iloc[1].tolist()]
    names, questions, labels = [], [], []
    current = ""
    for top, sub in zip(first, second, strict=True):
        if top:
            current = top
        if sub and sub.lower() not in _SM_RESPONSE_LABELS:
            names.append(f"{current} - {sub}" if current else sub)
            labels.append(sub)
        else:
            names.append(current if top else (current or sub))
            labels.append("")
        questions.append(current)
    return names, questions, labels


def _blank_rows(body: pd.DataFrame) -> pd.Series:
    """True for rows whose cells are all empty or whitespace.

    Column by column, only the rows still blank so far are looked at, so on a real export the
    work stops after the first column or two.
    """
    blank = np.ones(len(body), dtype=bool)
    positions = np.arange(len(body))
    for column in range(body.shape[1]):
        if not len(positions):
            break
        cells = body.iloc[:, column]
        if len(positions) < len(body):
            cells = cells.iloc[positions]
        empty = cells.astype(str).str.strip().eq("").to_numpy(dtype=bool, na_value=True)
        blank[positions[~empty]] = False
        positions = positions[empty]
    return pd.Series(blank, index=body.index)


def _repair_mojibake_cells(grid: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Undo UTF-8 mojibake cell by cell; returns the grid and how many cells changed.

    Columns are scanned with one vectorised search each; only the cells that match are
    handed to ftfy, so a clean file pays one regex pass.
    """
    repaired = 0
    for column in grid.columns:
        cells = grid[column]
        if cells.dtype != object and not pd.api.types.is_string_dtype(cells):
            continue
        hits = cells.astype(str).str.contains(MOJIBAKE_HINT, regex=True, na=False)
        if not hits.any():
            continue
        before = cells[hits].astype(str)
        after = before.map(repair_mojibake)
        changed = after.ne(before)
        if changed.any():
            grid = grid.copy() if repaired == 0 else grid
            grid.loc[after.index[changed], column] = after[changed]
            repaired += int(changed.sum())
    return grid, repaired


def _build(grid: pd.DataFrame, ragged: dict[int, str], *, encoding: str, container: str) -> RawTable:
    if grid.shape[0] == 0 or grid.shape[1] == 0:
        raise InputFileError("error.file_empty")
    # columns, rows and cells were checked against the read limits before the grid was made
    grid = grid.fillna("")
    layout, header_rows = _detect_layout(grid)
    import_ids: dict[str, str] = {}
    labels: dict[str, str] = {}
    if layout == "qualtrics":
        ids, question_texts, import_list, label_list = _qualtrics_headers(grid)
        names, _ = unique_column_names(ids)
        questions = {n: q for n, q in zip(names, question_texts, strict=True)}
        import_ids = {n: i for n, i in zip(names, import_list, strict=True) if i}
        labels = {n: clean_header(lb) for n, lb in zip(names, label_list, strict=True) if lb}
    elif layout == "surveymonkey":
        combined, question_texts, label_list = _surveymonkey_headers(grid)
        names, _ = unique_column_names(combined)
        questions = {n: q for n, q in zip(names, question_texts, strict=True)}
        labels = {n: clean_header(lb) for n, lb in zip(names, label_list, strict=True) if lb}
    else:
        names, questions = unique_column_names([str(c) for c in grid.iloc[0].tolist()])
    duplicates = _duplicate_headers(names, [str(c) for c in grid.iloc[0].tolist()])
    body = grid.iloc[header_rows:]
    body.columns = names
    rows_read = len(body)
    record_numbers = pd.Series(range(header_rows + 1, header_rows + 1 + rows_read), index=body.index)
    rejected: list[Rejection] = []
    drop = pd.Series(False, index=body.index)
    for index, reason in ragged.items():
        if index >= header_rows:
            drop[index] = True
            rejected.append(Rejection(int(record_numbers[index]), reason))
    if rows_read:
        blank = _blank_rows(body) & ~drop
        for number in record_numbers[blank]:
            rejected.append(Rejection(int(number), "empty row", "empty_row"))
        drop |= blank
    kept = body.loc[~drop].reset_index(drop=True)
    numbers = record_numbers[~drop].tolist()
    fmt = layout if layout != "plain" else container
    table = RawTable(
        frame=kept,
        row_numbers=numbers,
        format=fmt,
        encoding=encoding,
        header_rows=header_rows,
        rows_read=rows_read,
        questions=questions,
        rejected=sorted(rejected, key=lambda r: r.row),
        import_ids=import_ids,
        labels=labels,
        container=container,
        duplicate_headers=duplicates,
    )
    return table


def _duplicate_headers(names: list[str], headers: list[str]) -> dict[str, list[str]]:
    """First column's name -> the names of the later columns with the same header cell."""
    first: dict[str, str] = {}
    duplicates: dict[str, list[str]] = {}
    for name, header in zip(names, headers, strict=True):
        key = clean_header(header)
        if not key:
            continue
        if key in first:
            duplicates.setdefault(first[key], []).append(name)
        else:
            first[key] = name
    return duplicates


def parse_delimited(
    text: str,
    *,
    encoding: str,
    header_rows: int | None = None,
    fmt: str = "csv",
    utf8: bytes | None = None,
    mojibake_suspect: bool = True,
    limits: ReadLimits | None = None,
    filename: str = "upload.csv",
) -> RawTable:
    """Parse delimited text with quoted cells, any line ending and ragged rows accounted for.

    ``utf8`` may hold ``text`` already encoded as UTF-8 (the upload's own bytes), which saves
    encoding it again for the fast reader. The header row, rows and cells are checked against
    ``limits`` (:func:`~.limits.read_limits` by default) before anything is parsed. A quote that
    opens a cell and is never closed is read as a character, and the table gets the
    ``unclosed_quote`` warning with its line, instead of one cell swallowing the rest of the file.
    """
    if not text.strip():
        raise InputFileError("error.file_empty")
    limits = limits or read_limits()
    delimiter = sniff_delimiter(text)
    check_header_width(text, delimiter, limits, filename)
    # before rows are counted: a quote never closed would hide every line after it
    text, unclosed = repair_unclosed_quotes(text, delimiter)
    check_table_size(text, delimiter, limits, filename)
    if unclosed:
        utf8 = None
    grid = None
    if utf8 is None:
        try:
            utf8 = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: leave it to the Python readers
            utf8 = None
    if utf8 is not None:
        grid = _grid_arrow(utf8, delimiter, limits.max_columns)
    if grid is None:
        grid = _grid_fast(text, delimiter)
    ragged: dict[int, str] = {}
    if grid is None:
        grid, ragged = _grid_slow(text, delimiter)
    mojibake = 0
    if mojibake_suspect and MOJIBAKE_HINT.search(text):
        grid, mojibake = _repair_mojibake_cells(grid)
    container = _CONTAINER.get(delimiter, fmt)
    table = _build(grid, ragged, encoding=encoding, container=container)
    if mojibake:
        table.repairs["mojibake_cells"] = mojibake
    for record, line in unclosed:
        table.warnings.append(InputWarning(UNCLOSED_QUOTE, {"line": line, "row": record + 1}))
    return table


def _is_xlsx(data: bytes, filename: str) -> bool:
    return data.startswith(ZIP_SIGNATURE) or filename.lower().endswith((".xlsx", ".xlsm"))


def read_table(
    data: bytes, filename: str = "upload.csv", sheet: str | None = None, limits: ReadLimits | None = None
) -> RawTable:
    """Read the bytes of a CSV/TSV/semicolon export or an XLSX workbook into a :class:`RawTable`.

    ``sheet`` chooses the worksheet of a workbook (the first one by default). ``limits`` bounds
    what the file may hold (:func:`~.limits.read_limits`, this server's, by default). Raises
    :class:`~cx_core.errors.InputFileError` with a plain-language message when the file is not a
    usable table (:class:`~cx_core.errors.FileLimitError` when it holds more than the limits).
    """
    limits = limits or read_limits()
    check_size(data)
    sniff_binary(data)
    if _is_xlsx(data, filename):
        grid, chosen, sheets = _grid_xlsx(data, sheet, limits, filename)
        grid, mojibake = _repair_mojibake_cells(grid)
        table = _build(grid, {}, encoding="unicode (xlsx)", container="xlsx")
        table.sheet, table.sheets = chosen, sheets
        if mojibake:
            table.repairs["mojibake_cells"] = mojibake
    else:
        decoded = decode_bytes(data)
        if len(decoded.text) > limits.max_bytes:
            found, limit = _mb(len(decoded.text)), _mb(limits.max_bytes)
            raise FileLimitError("limits.bytes", file=_file_name(filename), found=found, limit=limit)
        table = parse_delimited(
            decoded.text,
            encoding=decoded.encoding,
            utf8=decoded.utf8,
            mojibake_suspect=decoded.mojibake_suspect,
            limits=limits,
            filename=filename,
        )
        table.repairs = {**decoded.repairs, **table.repairs}
        if decoded.replaced_bytes:
            table.notes.append(
                f"{decoded.replaced_bytes} character(s) could not be decoded as {decoded.encoding} and were replaced."
            )
    if not len(table.frame.columns):
        raise InputFileError("error.file_no_columns")
    if table.rows_read == 0:
        raise InputFileError("error.file_no_rows")
    return table
