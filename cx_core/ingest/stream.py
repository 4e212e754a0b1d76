"""Streaming survey ingest: a big export is validated by DuckDB, as SQL over the whole file.

The in-memory path (:func:`~.parse.read_table` then :func:`~.validate.validate_survey`) holds every
cell of the file as a string and every validated row as Python objects at once: a 1M-response
export peaks at about 2 GB. Here the layout and the mapping are decided from a sample (the header
and the first :data:`SAMPLE_ROWS` rows); the records then stream past in Arrow record batches (the
in-memory path's own CSV reading, so the cells are the same) into a DuckDB table, numbered as the
file's rows. Every rule of :func:`~.validate.validate_survey` then runs as SQL over that table
(:class:`_Stager`): a value rule (clean text, scores, dates, roles, account keys, Qualtrics status)
is the in-memory path's own function applied once per *distinct* value of a column, its results
held in a small lookup table that a join spreads over the rows, so no row passes through Python;
rejection reasons (first rule wins, in the same order), notes, blank rows, exact duplicate rows and
respondents who answered twice (:data:`~.duplicates.KEEP_RULE`) are queries. DuckDB then writes each
staged table as one Parquet file, and a small DuckDB database holds views over them: a session
attaches it and reads the files in place, read only (allowed exactly those files' ``cxro://``
addresses after its lock-down, :mod:`.read_only`). Peak memory is the upload's bytes and DuckDB's
buffer pool (which spills to disk), whatever the number of rows.

Only files the fast reader reads exactly are streamed: clean UTF-8 (with or without a BOM),
delimited, rectangular, every quote closed, no sign of mojibake. Anything else (legacy code pages,
repairs, ragged rows, workbooks) takes the in-memory path, which repairs and counts it as before.
A file is streamed from :func:`stream_min_bytes` up (``CX_STREAM_MIN_MB``, default 64 MB);
smaller files keep the in-memory path, whose mapping looks at every row.

Known difference from the in-memory path: the column whose dates decide which of a respondent's
answers is the latest, when the mapping has no answer date, is chosen on the sample.
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from ..errors import FileLimitError
from .decode import _C1_UTF8, _MOJIBAKE_UTF8, check_size, sniff_binary
from .duplicates import answer_dates
from .limits import ReadLimits
from .mapping import Mapping
from .notices import DUPLICATE_ROWS, InputWarning
from .parse import (
    RawTable,
    Rejection,
    _arrow_csv_options,
    _build,
    _file_name,
    header_width,
    sniff_delimiter,
)
from .read_only import read_only_url, register_read_only
from .validate import SurveyData, _question_columns
from .values import parse_dates

SAMPLE_ROWS = 20_000
"""Rows the layout and the mapping suggestion look at (the whole file when it is shorter)."""
BLOCK_BYTES = 8 * 1024 * 1024
"""Bytes Arrow parses at a time (a record must fit in one block)."""
DEFAULT_MIN_MB = 64
ROW_GROUP_ROWS = 1_000_000
"""Rows per row group of a staged table's Parquet file (DuckDB reads one group per thread)."""


def stream_min_bytes(env=None) -> int:
    """The size from which a survey file is streamed (``CX_STREAM_MIN_MB``, default 64 MB)."""
    env = os.environ if env is None else env
    value = str(env.get("CX_STREAM_MIN_MB", "")).strip()
    try:
        return int(float(value) * 1024 * 1024) if value else DEFAULT_MIN_MB * 1024 * 1024
    except ValueError:
        return DEFAULT_MIN_MB * 1024 * 1024


@dataclass(frozen=True)
class StreamOptions:
    """How a file is streamed (tests use small samples and blocks to exercise the record stream)."""

    sample_rows: int = SAMPLE_ROWS
    block_bytes: int = BLOCK_BYTES
    scratch_dir: str | None = None  # where the DuckDB file goes (the system's temporary folder)


OPTIONS = StreamOptions()
"""The options :func:`~cx_core.ingest.load_inputs` streams with."""


class StagedSurveyData(SurveyData):
    """A validated survey held on disk (Parquet files behind a DuckDB file's views) rather than in memory.

    Everything but the three big tables is held as in :class:`SurveyData`. ``responses``,
    ``ratings`` and ``answers`` are read from the file when asked for (a copy each time); a
    workspace queries the file in place instead (:attr:`path`). The file and its folder are
    removed when this object is garbage-collected.
    """

    def __init__(self, path: str, folder: str, *, drivers, rejected, notes, dimensions, warnings, files=()):  # noqa: D107
        # SurveyData's own __init__ is not called: its three frames are properties here
        self.path = path
        self.files = list(files)  # the Parquet files the database's views read
        self.drivers = drivers
        self.rejected = rejected
        self.notes = notes
        self.rejected_index = []
        self.dimensions = dimensions
        self.warnings = warnings
        self._finalizer = weakref.finalize(self, shutil.rmtree, folder, True)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(self.path, read_only=True)
        register_read_only(con)  # the views read the Parquet files through cxro:// (.read_only)
        return con

    def _frame(self, table: str) -> pd.DataFrame:
        con = self._connect()
        try:
            frame = con.execute(f"SELECT * FROM {table}").df()  # table is one of three constants
        finally:
            con.close()
        for name in frame.columns:
            if frame[name].dtype != object and name not in (
                "nps",
                "csat",
                "ces",
                "submitted_at",
                "source_row",
                "score",
            ):
                frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
        if "nps" in frame.columns:
            frame["nps"] = frame["nps"].astype("Int64")
        return frame

    @property
    def responses(self) -> pd.DataFrame:
        return self._frame("responses")

    @property
    def ratings(self) -> pd.DataFrame:
        return self._frame("ratings")

    @property
    def answers(self) -> pd.DataFrame:
        return self._frame("answers")

    def record_batches(self, table: str) -> Iterator:
        """The rows of ``responses``, ``ratings`` or ``answers`` as Arrow record batches, a few at a
        time (saving a big workspace never holds the whole table in memory)."""
        import pyarrow as pa

        if table not in ("responses", "ratings", "answers"):
            raise ValueError(f"no staged table {table!r}")
        con = self._connect()
        try:
            reader = con.sql(f"SELECT * FROM {table}").to_arrow_reader(100_000)  # checked above
            empty = True
            for batch in reader:
                empty = False
                yield batch
            if empty:  # the table's columns and types even without a row
                yield pa.RecordBatch.from_pylist([], schema=reader.schema)
        finally:
            con.close()

    def response_count(self) -> int:
        con = self._connect()
        try:
            row = con.execute("SELECT count(*) FROM responses").fetchone()
        finally:
            con.close()
        return int(row[0]) if row else 0


@dataclass
class StreamedSurvey:
    """What :func:`stream_survey` gives :func:`~cx_core.ingest.load_inputs`."""

    survey: StagedSurveyData
    sample: RawTable  # the header and the first rows: columns, questions, duplicate headers
    rows_read: int
    rows_loaded: int
    rejected_cells: RawTable  # only the rejected rows' cells, with their row numbers
    parse_rejected: list[Rejection]


def streamable(data: bytes, filename: str, limits: ReadLimits, min_bytes: int) -> bool:
    """True when ``data`` is a file the streaming path reads exactly as the in-memory path would."""
    if len(data) < max(1, min_bytes) or filename.lower().endswith((".xlsx", ".xlsm", ".cxw")):
        return False
    if data.startswith(b"PK\x03\x04") or len(data) > limits.max_bytes:
        return False
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not body or body[:1] in (b"\r", b"\n") or body.startswith(b"\xef\xbb\xbf"):
        return False
    if b"\x00" in body[:4096] or body.count(b'"') % 2:
        return False
    if _C1_UTF8.search(body) or _MOJIBAKE_UTF8.search(body):
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 8 * 1024 * 1024
    try:
        for start in range(0, len(body), step):
            decoder.decode(body[start : start + step], final=start + step >= len(body))
    except UnicodeDecodeError:
        return False
    # rows and cells are not limited: they stream past a block at a time (the upload limit bounds the
    # bytes); the rejected rows, which are kept, are bounded by max_rows in stream_survey
    head = body[: 256 * 1024].decode("utf-8", errors="ignore")
    return header_width(head, sniff_delimiter(head)) <= limits.max_columns


def _arrow_batches(body, delimiter: str, width: int, block_bytes: int) -> Iterator:
    """The file's records (the header rows too) as Arrow record batches of text, one block at a time."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    try:
        reader = pa_csv.open_csv(
            pa.BufferReader(pa.py_buffer(body)), **_arrow_csv_options(delimiter, width, block_bytes)
        )
    except pa.ArrowException as exc:
        raise NotStreamableError(str(exc)) from exc
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowException as exc:  # ragged rows, a record longer than a block
            raise NotStreamableError(str(exc)) from exc
        if batch.num_columns != width:
            raise NotStreamableError("ragged")
        yield batch


class NotStreamableError(Exception):
    """The file turned out not to be readable by the streaming path (use the in-memory one)."""


def _open_sample(data: bytes, filename: str, limits: ReadLimits, options: StreamOptions):
    """The sample table (header and first rows), the batches still to come, and how they were read."""
    check_size(data)
    sniff_binary(data)
    bom = data.startswith(b"\xef\xbb\xbf")
    body = memoryview(data)[3:] if bom else memoryview(data)
    encoding = "utf-8-sig" if bom else "utf-8"
    head = bytes(body[: 256 * 1024]).decode("utf-8", errors="ignore")
    delimiter = sniff_delimiter(head)
    width = header_width(head, delimiter)
    if width > limits.max_columns:
        raise FileLimitError("limits.columns", file=_file_name(filename), found=width, limit=limits.max_columns)
    batches = _arrow_batches(body, delimiter, width, options.block_bytes)
    sample_parts: list[pd.DataFrame] = []
    sampled = 0
    for batch in batches:
        frame = batch.to_pandas()
        frame.columns = range(width)
        sample_parts.append(frame)
        sampled += len(frame)
        if sampled > options.sample_rows:
            break
    if not sample_parts:
        raise NotStreamableError("empty")
    grid = pd.concat(sample_parts, ignore_index=True) if len(sample_parts) > 1 else sample_parts[0]
    del sample_parts
    container = {",": "csv", "\t": "tsv", ";": "semicolon", "|": "pipe"}.get(delimiter, "csv")
    sample = _build(grid, {}, encoding=encoding, container=container)
    if not sample.rows_read:
        raise NotStreamableError("no rows")
    del grid
    return sample, batches, body, delimiter, width


def sample_table(
    data: bytes, filename: str, limits: ReadLimits, options: StreamOptions | None = None
) -> RawTable | None:
    """The header and first rows of a streamable survey, with :attr:`RawTable.rows_read` counted over
    the whole file (the rows stream past, none is kept); None when the file is not streamable.

    The Data page's preview suggests its mapping from this sample, as :func:`stream_survey` does.
    """
    options = options or StreamOptions()
    try:
        sample, batches, *_ = _open_sample(data, filename, limits, options)
        sample.rows_read += sum(len(batch) for batch in batches)
    except NotStreamableError:
        return None
    return sample


def stream_survey(
    data: bytes,
    filename: str,
    mapping: Mapping | None,
    limits: ReadLimits,
    *,
    suggest,
    options: StreamOptions | None = None,
) -> tuple[StreamedSurvey, Mapping]:
    """Read a survey export into DuckDB and validate it there, as SQL over the whole file.

    ``suggest(sample_table) -> Mapping`` suggests the mapping from the sample when ``mapping`` is
    None (the caller's own suggestion rules, CRM join included). Raises :class:`NotStreamableError`
    when the file cannot be read this way after all (ragged rows): the caller reads it in memory.
    """
    options = options or StreamOptions()
    sample, batches, _body, _delimiter, width = _open_sample(data, filename, limits, options)
    mapping = mapping if mapping is not None else suggest(sample)
    staged = _Stager(sample, mapping, width, options)
    try:
        staged.load(batches)
        staged.validate()
        return staged.finish(limits, filename), mapping
    except BaseException:
        staged.discard()
        raise


# Python's str.strip() whitespace (str.isspace), as RE2 sees it: a record of only these is an empty row
_BLANK_CELLS = r"[\s\x0b\x1c-\x1f\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*"
_NO_ANSWER = "no answer in any score, rating or comment column"


class _Stager:
    """The file's records in a DuckDB table, each validation rule as SQL over it.

    Every value rule of :func:`~.validate.validate_survey` (clean text, scores, dates, roles,
    account keys, Qualtrics status) is that function's own code applied once per *distinct* value
    of a column (as the in-memory path does, :class:`~.values.Distinct`), the results held in a
    small lookup table that a join spreads over the rows: no row passes through Python. Texts
    that are plain printable ASCII (their own clean text) are recognised in SQL, so a column of a
    million distinct ids or comments never leaves DuckDB. Rejection reasons (first rule wins, in
    the in-memory path's order), notes, exact duplicates and repeated respondents are queries.
    """

    def __init__(self, sample: RawTable, mapping: Mapping, width: int, options: StreamOptions):
        self.sample, self.mapping, self.width, self.options = sample, mapping, width, options
        self.folder = tempfile.mkdtemp(prefix="cx-stream-", dir=options.scratch_dir)
        self.path = os.path.join(self.folder, "survey.duckdb")
        self.merged: list[str] = []
        self.con = duckdb.connect(self.path, config={"threads": "2", "preserve_insertion_order": "true"})
        self.con.execute("SET enable_progress_bar = false")
        register_read_only(self.con)
        self.position = {str(c): i for i, c in enumerate(sample.frame.columns)}
        self.id_column = mapping.fields.get("response_id")
        self.when_column = mapping.fields.get("submitted_at")
        self.date_column = None if self.when_column else _answer_date_column(sample)
        self.rows_read = sample.rows_read
        self.joins: dict[tuple[str, str], str] = {}
        self.distinct: dict[tuple[str, bool], tuple[pd.Series, np.ndarray]] = {}
        self.join_sql: list[str] = []
        self.counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # column -> (distinct scores, counts)
        self.notes: list[str] = list(sample.notes)
        self.drivers: list = []
        self.scales: list[tuple[float, float]] = []
        self.dimensions: dict[str, str] = {}
        self.question_columns = _question_columns(mapping)
        self.answer_columns: list[str] = []  # the column of ``v`` holding each question's texts
        self.extra: list[str] = []  # the extra dimensions' column names

    # -- the records ---------------------------------------------------------------------------

    def _cell(self, column: str) -> str:
        return f"r.c{self.position[str(column)]}"  # c0..cN: our own names

    def load(self, batches) -> None:
        """The sample's rows, then every later record with its row number, into the table ``raw``."""
        import pyarrow as pa

        con = self.con
        names = [f"c{i}" for i in range(self.width)]
        con.execute(
            "CREATE TEMP TABLE raw (__row BIGINT, "
            + ", ".join(f"{n} VARCHAR" for n in names)
            + ", __blank BOOLEAN)"  # our own column names
        )
        frame = self.sample.frame.copy()
        frame.columns = names
        frame.insert(0, "__row", np.asarray(self.sample.row_numbers, dtype=np.int64))
        con.register("_sample_rows", frame)
        try:
            con.execute(f"INSERT INTO raw SELECT __row, {', '.join(names)}, false FROM _sample_rows")
        finally:
            con.unregister("_sample_rows")
        start = self.sample.header_rows + 1 + self.sample.rows_read
        state = {"next": start, "failure": None}
        schema = pa.schema([("__row", pa.int64())] + [(n, pa.large_string()) for n in names])

        def numbered():
            try:
                for batch in batches:
                    first = state["next"]
                    state["next"] = first + batch.num_rows
                    rows = pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64))
                    yield pa.RecordBatch.from_arrays([rows, *batch.columns], schema=schema)
            except NotStreamableError as exc:
                state["failure"] = exc
                raise

        con.register("_records", pa.RecordBatchReader.from_batches(schema, numbered()))
        every = " || ".join(names)
        try:
            con.execute(
                f"INSERT INTO raw SELECT __row, {', '.join(names)}, "
                f"regexp_full_match(c0, {_sql_text(_BLANK_CELLS)}) AND regexp_full_match({every}, "
                f"{_sql_text(_BLANK_CELLS)}) FROM _records"  # our own constants
            )
        except duckdb.Error as exc:
            if state["failure"] is not None:
                raise NotStreamableError(str(state["failure"])) from exc
            raise
        finally:
            con.unregister("_records")
        self.rows_read += int(state["next"]) - start

    # -- lookups: a rule's results for each distinct value of a column ---------------------------

    def _distinct(self, column: str, *, plain_too: bool = True) -> tuple[pd.Series, np.ndarray]:
        """A column's distinct values in order of first appearance (as pandas factorises the
        in-memory column), and how many rows hold each; without the plain texts unless ``plain_too``."""
        from .values import _PLAIN_TEXT, EMPTY_MARKERS

        cached = self.distinct.get((str(column), plain_too))
        if cached is not None:
            return cached
        cell = self._cell(column)
        where = ""
        if not plain_too:
            markers = ", ".join(_sql_text(m) for m in sorted(EMPTY_MARKERS) if m.isascii())
            where = (
                f" AND NOT (regexp_full_match({cell}, {_sql_text(_PLAIN_TEXT)}) AND lower({cell}) NOT IN ({markers}))"
            )
        table = self.con.sql(
            f"SELECT {cell} AS v, count(*) AS n FROM raw r WHERE NOT r.__blank{where} "
            f"GROUP BY {cell} ORDER BY min(r.__row)"  # our own column names and constants
        ).to_arrow_table()
        values = pd.Series(np.asarray(table.column("v").to_pylist(), dtype=object), dtype=object)
        self.distinct[(str(column), plain_too)] = (values, table.column("n").to_numpy())
        return self.distinct[(str(column), plain_too)]

    def _lookup(self, column: str, kind: str, build) -> str:
        """The alias of the lookup table of ``column`` for ``kind`` (built once, joined to ``raw``)."""
        import pyarrow as pa

        key = (str(column), kind)
        if key not in self.joins:
            alias = f"lk{len(self.joins)}"
            columns = build()
            table = pa.table(columns)
            self.con.register("_lookup", table)
            try:
                self.con.execute(f"CREATE TEMP TABLE {alias} AS SELECT * FROM _lookup")  # alias: our own
            finally:
                self.con.unregister("_lookup")
            self.join_sql.append(f"LEFT JOIN {alias} ON {alias}.v = {self._cell(column)}")
            self.joins[key] = alias
        return self.joins[key]

    def _text(self, column: str) -> tuple[str, str]:
        """SQL of the column's clean text (None when empty) and of its emptiness."""
        import pyarrow as pa

        from .values import clean_text, is_empty

        def build():
            values, _ = self._distinct(column, plain_too=False)
            return {
                "v": pa.array(values.tolist(), type=pa.string()),
                "out": pa.array([clean_text(v) for v in values], type=pa.string()),
                "empty": pa.array([is_empty(v) for v in values], type=pa.bool_()),
            }

        a = self._lookup(column, "text", build)
        # a value missing from the lookup is plain text: its own clean text, never empty
        return f"CASE WHEN {a}.v IS NULL THEN {self._cell(column)} ELSE {a}.out END", f"coalesce({a}.empty, false)"

    def _mapped(self, column: str, kind: str, func) -> str:
        """SQL of ``func`` of each distinct value of the column (text or None)."""
        import pyarrow as pa

        def build():
            values, _ = self._distinct(column)
            return {
                "v": pa.array(values.tolist(), type=pa.string()),
                "out": pa.array(values.map(func).tolist() if len(values) else [], type=pa.string()),
            }

        return f"{self._lookup(column, kind, build)}.out"

    def _scores(self, column: str) -> tuple[str, str]:
        """SQL of the column's scores (:func:`~.values.parse_scores`) and of its emptiness."""
        import pyarrow as pa

        from .values import empty_mask, parse_scores

        def build():
            values, counts = self._distinct(column)
            scores = parse_scores(values).to_numpy(dtype="float64") if len(values) else np.zeros(0)
            self.counts[str(column)] = (scores, counts)
            return {
                "v": pa.array(values.tolist(), type=pa.string()),
                "score": pa.array(scores, type=pa.float64(), from_pandas=True),
                "empty": pa.array(empty_mask(values).to_numpy(dtype=bool) if len(values) else [], type=pa.bool_()),
            }

        a = self._lookup(column, "score", build)
        return f"{a}.score", f"{a}.empty"

    def _parsed(self, column: str) -> pd.Series:
        """Every row's score of a column (as the in-memory path holds them), from the counts."""
        scores, counts = self.counts[str(column)]
        return pd.Series(np.repeat(scores, counts), dtype="float64")

    def _score_reasons(self, column: str, label: str, low, high) -> str:
        """SQL of the rejection reason of each score (unreadable, or outside ``low``-``high``)."""
        import pyarrow as pa

        from .validate import _outside, _short
        from .values import empty_mask, parse_scores

        def build():
            values, _ = self._distinct(column)
            scores = parse_scores(values) if len(values) else pd.Series([], dtype="float64")
            empty = empty_mask(values).to_numpy(dtype=bool) if len(values) else np.zeros(0, dtype=bool)
            reasons = []
            for value, score, blank in zip(values, scores, empty, strict=True):
                if np.isnan(score):
                    reasons.append(None if blank else f"{label} value {_short(value)} is not a number")
                elif score < low or score > high or score % 1 != 0:
                    reasons.append(_outside(label, score, low, high))
                else:
                    reasons.append(None)
            return {"v": pa.array(values.tolist(), type=pa.string()), "out": pa.array(reasons, type=pa.string())}

        return f"{self._lookup(column, 'reason:' + label, build)}.out"

    def _dates(self, column: str) -> tuple[str, str]:
        """SQL of the column's dates (:func:`~.values.parse_dates` over its distinct values in order
        of first appearance, so the day-first and format guesses are the in-memory path's own)."""
        import pyarrow as pa

        from .values import empty_mask

        def build():
            values, _ = self._distinct(column)
            stamps = parse_dates(values).to_numpy(dtype="datetime64[us]") if len(values) else []
            return {
                "v": pa.array(values.tolist(), type=pa.string()),
                "ts": pa.array(stamps, type=pa.timestamp("us"), from_pandas=True),
                "empty": pa.array(empty_mask(values).to_numpy(dtype=bool) if len(values) else [], type=pa.bool_()),
            }

        a = self._lookup(column, "date", build)
        return f"{a}.ts", f"{a}.empty"

    # -- the rules -------------------------------------------------------------------------------

    def validate(self) -> None:
        """The table ``v``: each record's typed fields, parsed ratings and answers, first rejection reason."""
        from ..errors import MappingError
        from ..roles import normalise_role
        from ..schema import SCALES, make_driver
        from ..sql import quote_ident
        from .dimensions import dimension_names
        from .validate import (
            _NOT_A_RESPONSE_CHANNEL,
            _NOT_A_RESPONSE_STATUS,
            _driver_scale,
            _find_column,
            _score_scale,
            _whole,
        )
        from .values import clean_text, normalise_account_key

        mapping, sample = self.mapping, self.sample
        mapping.check_against(list(sample.frame.columns))
        if not (any(mapping.fields.get(s) for s in ("nps", "csat", "ces")) or mapping.drivers or self.question_columns):
            raise MappingError("error.mapping_no_metric")
        fields = mapping.fields
        select: list[str] = ["r.__row AS source_row"]
        params: list = []
        reasons: list[str] = []
        unfinished = None
        if sample.format == "qualtrics" or _find_column(sample, "DistributionChannel") is not None:
            for headers, table, prefix in (
                (("Status",), _NOT_A_RESPONSE_STATUS, "Qualtrics status: "),
                (("DistributionChannel",), _NOT_A_RESPONSE_CHANNEL, "Qualtrics distribution channel: "),
            ):
                found = _find_column(sample, *headers)
                if found is not None:
                    reasons.append(
                        self._mapped(
                            str(found.name),
                            "qualtrics:" + prefix,
                            lambda v, t=table, p=prefix: (
                                p + t[str(v or "").strip().lower()] if str(v or "").strip().lower() in t else None
                            ),
                        )
                    )
            finished = _find_column(sample, "Finished")
            if finished is not None:
                unfinished = self._mapped(
                    str(finished.name),
                    "finished",
                    lambda v: "1" if str(v or "").strip().lower() in {"false", "0"} else None,
                )
        rid = fields.get("response_id")
        # the in-memory path's respondent id: the cleaned id, else "row-N"
        select.append(f"coalesce({self._text(rid)[0] if rid else 'NULL'}, 'row-' || r.__row) AS response_id")
        account = fields.get("account_id")
        if account:
            select.append(f"{self._text(account)[0]} AS account_id")
            key = self._mapped(account, "account_key", lambda v: normalise_account_key(clean_text(v)))
            select.append(f"{key} AS account_key")
        else:
            select += ["NULL::VARCHAR AS account_id", "NULL::VARCHAR AS account_key"]
        role = fields.get("respondent_role")
        if role:
            select.append(f"{self._text(role)[0]} AS role_label")
            select.append(f"{self._mapped(role, 'role', lambda v: normalise_role(clean_text(v)))} AS respondent_role")
        else:
            select += ["NULL::VARCHAR AS role_label", "?::VARCHAR AS respondent_role"]
            params.append(normalise_role(None))
        when = fields.get("submitted_at")
        stamps = "NULL::TIMESTAMP"
        if when:
            stamps, empty = self._dates(when)
            select += [f"{stamps} AS submitted_at", f"({stamps} IS NULL AND NOT {empty}) AS _bad_date"]
        else:
            select += ["NULL::TIMESTAMP AS submitted_at", "false AS _bad_date"]
        answered: list[str] = []
        for score in ("nps", "csat", "ces"):
            column = fields.get(score)
            if not column:
                select.append(f"NULL::DOUBLE AS {score}")  # score: one of three constants
                continue
            parsed, _ = self._scores(column)
            lo, hi = SCALES[score] if score == "nps" else _score_scale(mapping, score, self._parsed(column))
            lo, hi = _whole(lo), _whole(hi)
            reasons.append(self._score_reasons(column, score.upper(), lo, hi))
            select.append(f"{parsed} AS {score}")
            answered.append(f"{parsed} IS NOT NULL")
        for name in ("comment", "journey_stage", "touchpoint", "survey_type"):
            column = fields.get(name)
            select.append(f"{self._text(column)[0] if column else 'NULL::VARCHAR'} AS {name}")  # constant names
        # each open question's clean texts (the comment column's are held once, as comment)
        self.answer_columns = [
            "comment" if column == fields.get("comment") else f"_q{m}" for m, column in enumerate(self.question_columns)
        ]
        entries = mapping.dimensions
        names = dimension_names([d.get("name") or d["column"] for d in entries], (), "survey")
        for name, entry in zip(names, entries, strict=True):
            select.append(f"{self._text(entry['column'])[0]} AS {quote_ident(name)}")
        self.dimensions = dict(zip(names, (d["column"] for d in entries), strict=True))
        self.extra = list(names)
        seen_keys: set[str] = set()
        for k, d in enumerate(mapping.drivers):
            parsed, empty = self._scores(d["column"])
            lo, hi = _driver_scale(mapping, d, self._parsed(d["column"]))
            driver = make_driver(d["label"], need=d.get("need"), scale=(lo, hi))
            if driver.key in seen_keys:  # two columns with the same label: keep them apart
                driver = make_driver(f"{d['label']} ({d['column']})", need=d.get("need"), scale=(lo, hi))
            seen_keys.add(driver.key)
            self.drivers.append(driver)
            self.scales.append((lo, hi))
            select.append(f"{parsed} AS _d{k}")
            answered.append(f"NOT {empty}")
        for m, column in enumerate(self.question_columns):
            text, empty = self._text(column)
            if self.answer_columns[m] != "comment":
                select.append(f"{text} AS _q{m}")
            answered.append(f"NOT {empty}")
        reasons.append(f"CASE WHEN NOT ({' OR '.join(answered)}) THEN ? END")
        params.append(_NO_ANSWER)
        select.append(f"coalesce({', '.join(reasons)}) AS _reason")
        select.append(f"{unfinished} IS NOT NULL AS _unfinished" if unfinished else "false AS _unfinished")
        select.append(f"hash({', '.join(f'r.c{i}' for i in range(self.width))}) AS _hash")
        if self.when_column:
            select.append(f"{stamps} AS _dup_when")
        elif self.date_column:
            select.append(f"{self._dates(self.date_column)[0]} AS _dup_when")
        else:
            select.append("NULL::TIMESTAMP AS _dup_when")
        # in file order (a join may not keep it): every table below is read from ``v`` in this order
        self.con.execute(
            f"CREATE TEMP TABLE v AS SELECT {', '.join(select)} FROM raw r {' '.join(self.join_sql)} "
            "WHERE NOT r.__blank ORDER BY r.__row",  # our own aliases, quoted names and constants
            params,
        )
        # what the whole-file rules need of each row still kept: respondent id, answer date, cells' hash
        dup_id = "response_id" if self.id_column else "NULL::VARCHAR"
        self.con.execute(
            "CREATE TEMP VIEW _keys AS SELECT source_row, response_id, "
            f"{dup_id} AS _dup_id, _dup_when, _hash FROM v WHERE _reason IS NULL"  # constants above
        )
        row = self.con.execute(
            "SELECT count(*) FILTER (WHERE _unfinished), count(*) FILTER (WHERE _bad_date) FROM v"
        ).fetchall()[0]
        unfinished_count, bad_dates = (int(row[0]), int(row[1])) if row else (0, 0)
        if unfinished_count:
            self.notes.append(f"{unfinished_count} response(s) were not finished; their answers are kept.")
        if bad_dates:
            self.notes.append(f"{bad_dates} response date(s) could not be read and were left empty.")

    # -- the whole file's rules, then the staged tables ----------------------------------------

    def _duplicates(self) -> tuple[list[Rejection], InputWarning | None]:
        """Exact duplicate rows, then respondents who answered again, over the whole file (SQL)."""
        con = self.con
        partition = "_hash, response_id" if self.id_column else "_hash"
        con.execute(
            f"""
            CREATE TEMP TABLE _exact AS SELECT source_row, first FROM (
                SELECT source_row, min(source_row) OVER (PARTITION BY {partition}) AS first FROM _keys
            ) WHERE source_row <> first ORDER BY source_row
            """  # partition: constant column names above
        )
        exact = con.execute("SELECT source_row, first FROM _exact ORDER BY source_row").fetchall()
        rejections = [
            Rejection(int(r), f"duplicate of row {int(f)}", "duplicate_row", {"row": int(f)}) for r, f in exact
        ]
        repeated_ids = 0
        rule = "last"
        if self.id_column:
            con.execute(
                """
                CREATE TEMP TABLE _repeated AS
                SELECT source_row, _dup_id, _dup_when FROM (
                    SELECT source_row, _dup_id, _dup_when, count(*) OVER (PARTITION BY _dup_id) AS n
                    FROM _keys WHERE source_row NOT IN (SELECT source_row FROM _exact)
                ) WHERE n > 1
                """
            )
            row = con.execute("SELECT count(*), count(_dup_when) FROM _repeated").fetchall()[0]
            total, dated = (int(row[0]), int(row[1])) if row else (0, 0)
            if total:
                rule = "latest" if dated == total else "last"
                order = "_dup_when, source_row" if rule == "latest" else "source_row"
                superseded = con.execute(
                    f"""
                    SELECT source_row, _dup_id, kept FROM (
                        SELECT source_row, _dup_id,
                               last(source_row ORDER BY {order}) OVER (PARTITION BY _dup_id) AS kept
                        FROM _repeated
                    ) WHERE source_row <> kept ORDER BY source_row
                    """  # order: constant column names above
                ).fetchall()
                repeated_ids = _count(con, "SELECT count(DISTINCT _dup_id) FROM _repeated")
                for source_row, key, kept in superseded:
                    shown = str(key)[:40]
                    rejections.append(
                        Rejection(
                            int(source_row),
                            f"respondent {shown!r} answered again (row {int(kept)} is kept)",
                            "superseded_answer",
                            {"id": shown, "row": int(kept)},
                        )
                    )
        if not rejections:
            return [], None
        values = {"file": "", "exact": len(exact), "repeated": repeated_ids, "rule": rule}
        return rejections, InputWarning(DUPLICATE_ROWS, values, (self.id_column,) if self.id_column else ())

    def _copy(self, name: str, sql: str, params: list) -> str:
        """The rows of ``sql`` as a Parquet file of the staging folder (DuckDB writes it, in order)."""
        path = os.path.join(self.folder, f"{name}.parquet")
        self.con.execute(
            f"COPY ({sql}) TO {_sql_text(path)} "  # our own query and path
            f"(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE {ROW_GROUP_ROWS})",
            params,
        )
        os.chmod(path, 0o444)  # a session may read it after its lock-down; nobody needs to write it
        self.merged.append(path)
        return path

    def _view(self, name: str, paths: list[str]) -> None:
        """The database's view ``name`` over ``paths`` in turn (read in place, read only)."""
        files = ", ".join(_sql_text(read_only_url(p)) for p in paths)
        self.con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{files}])")  # our own name and paths

    def finish(self, limits: ReadLimits, filename: str) -> StreamedSurvey:
        import pyarrow as pa

        from ..sql import quote_ident

        con = self.con
        duplicates, warning = self._duplicates()
        blank_rows = [int(r) for (r,) in con.execute("SELECT __row FROM raw WHERE __blank ORDER BY __row").fetchall()]
        failed = _count(con, "SELECT count(*) FROM v WHERE _reason IS NOT NULL")
        parse_rejected = sorted(
            list(self.sample.rejected) + [Rejection(r, "empty row", "empty_row") for r in blank_rows],
            key=lambda r: r.row,
        )
        if len(parse_rejected) + failed + len(duplicates) > limits.max_rows:
            raise FileLimitError("limits.rows", file=_file_name(filename), found=self.rows_read, limit=limits.max_rows)
        if duplicates:
            con.register("_dropped_rows", pa.table({"r": pa.array([d.row for d in duplicates], type=pa.int64())}))
            con.execute(
                "CREATE TEMP TABLE kept AS SELECT * FROM v WHERE _reason IS NULL "
                "AND source_row NOT IN (SELECT r FROM _dropped_rows) ORDER BY source_row"
            )
            con.unregister("_dropped_rows")
        else:
            con.execute("CREATE TEMP VIEW kept AS SELECT * FROM v WHERE _reason IS NULL")
        # ratings outside their driver's scale are left out, counted over the kept rows
        if self.drivers:
            outside = con.execute(
                "SELECT "
                + ", ".join(
                    f"count(*) FILTER (WHERE _d{k} IS NOT NULL AND NOT (_d{k} BETWEEN ? AND ?))"
                    for k in range(len(self.drivers))
                )
                + " FROM kept",
                [float(x) for lo, hi in self.scales for x in (lo, hi)],
            ).fetchall()[0]
            for entry, (lo, hi), count in zip(self.mapping.drivers, self.scales, outside or (), strict=True):
                if count:
                    self.notes.append(
                        f"{int(count)} rating(s) of '{entry['label'][:60]}' were outside {lo:g}-{hi:g} and left out."
                    )
        response_id = "response_id"
        extra = "".join(f", {quote_ident(n)}" for n in self.extra)
        responses = (
            f"SELECT {response_id}, account_id, account_key, respondent_role, role_label, submitted_at, "
            "CAST(nps AS INTEGER) AS nps, csat, ces, comment, journey_stage, touchpoint, survey_type, "
            f"source_row{extra} FROM kept"  # quoted names
        )
        self._view("responses", [self._copy("responses", responses, [])])
        # each table in the in-memory path's order (driver by driver, each in file order; the same for
        # the questions; DuckDB keeps the order of SELECT, WHERE, UNION ALL and COPY): ties in the views'
        # queries (a detractor's weakest driver) are then broken the same way, and a small table is one
        # row group (one file, read in order)
        if self.drivers:
            parts, values = [], []
            for k, (driver, (lo, hi)) in enumerate(zip(self.drivers, self.scales, strict=True)):
                parts.append(
                    f"SELECT {response_id}, ?::VARCHAR AS driver, _d{k} AS score FROM kept WHERE _d{k} BETWEEN ? AND ?"
                )
                values += [driver.key, float(lo), float(hi)]
            self._view("ratings", [self._copy("ratings", " UNION ALL ".join(parts), values)])
        else:  # no driver: an empty table of the same columns
            con.execute("CREATE TABLE ratings (response_id VARCHAR, driver VARCHAR, score DOUBLE)")
        labels = {q["column"]: q.get("question") or q["column"] for q in self.mapping.questions}
        if self.question_columns:
            parts, values = [], []
            for column, held in zip(self.question_columns, self.answer_columns, strict=True):
                parts.append(
                    f'SELECT {response_id}, ?::VARCHAR AS question, ?::VARCHAR AS "column", {held} AS text '
                    f"FROM kept WHERE {held} IS NOT NULL"  # held: our own column names
                )
                values += [labels.get(column, column), column]
            self._view("answers", [self._copy("answers", " UNION ALL ".join(parts), values)])
        else:
            con.execute('CREATE TABLE answers (response_id VARCHAR, question VARCHAR, "column" VARCHAR, text VARCHAR)')
        loaded = _count(con, "SELECT count(*) FROM kept")
        failures = [
            Rejection(int(r), str(reason))
            for r, reason in con.execute(
                "SELECT source_row, _reason FROM v WHERE _reason IS NOT NULL ORDER BY source_row"
            ).fetchall()
        ]
        cells = self._rejected_cells(sorted([r.row for r in failures] + [r.row for r in duplicates]), parse_rejected)
        con.execute("CHECKPOINT")
        con.close()
        rejected = sorted(parse_rejected + failures + duplicates, key=lambda r: r.row)
        survey = StagedSurveyData(
            self.path,
            self.folder,
            drivers=self.drivers,
            rejected=rejected,
            notes=list(self.notes),
            dimensions=self.dimensions,
            warnings=[warning] if warning is not None else [],
            files=list(self.merged),
        )
        return StreamedSurvey(survey, self.sample, self.rows_read, loaded, cells, list(parse_rejected))

    def _rejected_cells(self, rows: list[int], parse_rejected: list[Rejection]) -> RawTable:
        """A table of the rejected rows' original cells, in row order."""
        import pyarrow as pa

        columns = list(self.sample.frame.columns)
        self.con.register("_rejected_rows", pa.table({"r": pa.array(rows, type=pa.int64())}))
        try:
            frame = self.con.execute(
                f"SELECT {', '.join(f'c{i}' for i in range(self.width))} FROM raw "
                "WHERE __row IN (SELECT r FROM _rejected_rows) ORDER BY __row"  # our own column names
            ).df()
        finally:
            self.con.unregister("_rejected_rows")
        frame.columns = columns
        return RawTable(
            frame=frame.astype(object),
            row_numbers=list(rows),
            format=self.sample.format,
            encoding=self.sample.encoding,
            header_rows=self.sample.header_rows,
            rows_read=self.rows_read,
            rejected=parse_rejected,
        )

    def discard(self) -> None:
        try:
            self.con.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchall()[0]
    return int(row[0]) if row else 0


def _answer_date_column(sample: RawTable) -> str | None:
    """The column :func:`~.duplicates.answer_dates` chooses on the sample (then used for every row)."""
    dates = answer_dates(sample)
    if dates is None:
        return None
    for column in sample.frame.columns:
        if parse_dates(sample.frame[column]).equals(dates):
            return str(column)
    return None


def _sql_text(text: str) -> str:
    """A SQL string literal (our own temporary file paths: read_parquet's list takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"
