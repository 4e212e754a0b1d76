"""Streaming survey ingest: a big export is read in chunks into a DuckDB file on disk.

The in-memory path (:func:`~.parse.read_table` then :func:`~.validate.validate_survey`) holds every
cell of the file as a string and every validated row as Python objects at once: a 1M-response
export peaks at about 2 GB. Here the layout and the mapping are decided from a sample (the header
and the first :data:`SAMPLE_ROWS` rows); the rows then stream past in Arrow record batches, each
chunk is validated by the same :func:`~.validate.validate_survey` (so every per-row rule, scale and
reason is the in-memory path's own; its ratings are taken per driver, never as a long pandas table)
and written as Arrow files in a temporary folder by a writer thread while the next chunk is
validated (Arrow writes far faster than DuckDB appends rows to a database file). At the end each table becomes one
Parquet file and a small DuckDB database holds views over them: a session attaches it and reads the
files in place, read only (allowed exactly those files' ``cxro://`` addresses after its lock-down,
:mod:`.read_only`).
The rules that need the whole file, exact duplicate rows and respondents who answered twice
(:data:`~.duplicates.KEEP_RULE`), run as SQL over the staged rows at the end. Peak memory is then
the upload's bytes, one chunk and DuckDB's buffer pool, whatever the number of rows.

Only files the fast reader reads exactly are streamed: clean UTF-8 (with or without a BOM),
delimited, rectangular, every quote closed, no sign of mojibake. Anything else (legacy code pages,
repairs, ragged rows, workbooks) takes the in-memory path, which repairs and counts it as before.
A file is streamed from :func:`stream_min_bytes` up (``CX_STREAM_MIN_MB``, default 64 MB);
smaller files keep the in-memory path, whose mapping looks at every row.

Known difference from the in-memory path: the note "N rating(s) of X were outside ..." counts the
ratings of rows later rejected as duplicates of a row in another chunk.
"""

from __future__ import annotations

import codecs
import copy
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
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
    _blank_rows,
    _build,
    _file_name,
    header_width,
    sniff_delimiter,
)
from .read_only import read_only_url, register_read_only
from .validate import RESPONSE_COLUMNS, SurveyData, _question_columns, _repeated, validate_survey
from .values import clean_texts, parse_dates

SAMPLE_ROWS = 20_000
"""Rows the layout and the mapping suggestion look at (the whole file when it is shorter)."""
CHUNK_ROWS = 100_000
"""Rows validated at a time."""
BLOCK_BYTES = 8 * 1024 * 1024
"""Bytes Arrow parses at a time (a record must fit in one block)."""
DEFAULT_MIN_MB = 64
ROW_GROUP_ROWS = 1_000_000
"""Rows per row group of a staged table's Parquet file (DuckDB reads one group per thread)."""
_ROW_KEY = "__cx_source_row__"
_NOTE_COUNT = re.compile(r"^(\d+) (.*)$", re.DOTALL)


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
    """How a file is streamed (tests use small chunks to exercise the chunk boundaries)."""

    sample_rows: int = SAMPLE_ROWS
    chunk_rows: int = CHUNK_ROWS
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
    # rows and cells are not limited: they stream past a chunk at a time (the upload limit bounds the
    # bytes); the rejected rows, which are kept, are bounded by max_rows in stream_survey
    head = body[: 256 * 1024].decode("utf-8", errors="ignore")
    return header_width(head, sniff_delimiter(head)) <= limits.max_columns


def _batches(body, delimiter: str, width: int, block_bytes: int) -> Iterator[pd.DataFrame]:
    """The file's records (the header rows too) as frames of strings, one Arrow block at a time."""
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
        frame = batch.to_pandas()
        frame.columns = range(width)
        yield frame


class NotStreamableError(Exception):
    """The file turned out not to be readable by the streaming path (use the in-memory one)."""


_RESPONSES_SQL = """
CREATE TABLE responses (
    response_id VARCHAR, account_id VARCHAR, account_key VARCHAR, respondent_role VARCHAR,
    role_label VARCHAR, submitted_at TIMESTAMP, nps INTEGER, csat DOUBLE, ces DOUBLE, comment VARCHAR,
    journey_stage VARCHAR, touchpoint VARCHAR, survey_type VARCHAR, source_row BIGINT{extra}
)
"""
# what the whole-file rules need of each kept row: its respondent id, answer date, and a hash of its cells
_KEYS_SQL = (
    "CREATE TABLE _keys (source_row BIGINT, response_id VARCHAR, _dup_id VARCHAR, _dup_when TIMESTAMP, _hash UBIGINT)"
)


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
    batches = _batches(body, delimiter, width, options.block_bytes)
    sample_parts: list[pd.DataFrame] = []
    sampled = 0
    for batch in batches:
        sample_parts.append(batch)
        sampled += len(batch)
        if sampled > options.sample_rows:
            break
    if not sample_parts:
        raise NotStreamableError("empty")
    grid = pd.concat(sample_parts, ignore_index=True) if len(sample_parts) > 1 else sample_parts[0]
    del sample_parts
    container = {",": "csv", "\t": "tsv", ";": "semicolon", "|": "pipe"}.get(delimiter, "csv")
    sample = _build(grid, {}, encoding=encoding, container=container)
    if _ROW_KEY in sample.frame.columns or not sample.rows_read:
        raise NotStreamableError("reserved column")
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
    """Read, map and validate a survey export chunk by chunk into a DuckDB file.

    ``suggest(sample_table) -> Mapping`` suggests the mapping from the sample when ``mapping`` is
    None (the caller's own suggestion rules, CRM join included). Raises :class:`NotStreamableError`
    when the file cannot be read this way after all (ragged rows): the caller reads it in memory.
    """
    options = options or StreamOptions()
    sample, batches, body, delimiter, width = _open_sample(data, filename, limits, options)
    mapping = mapping if mapping is not None else suggest(sample)
    staged = _Stager(sample, mapping, filename, options)
    try:
        staged.add(sample.frame, sample.row_numbers, sample.rows_read, list(sample.rejected))
        staged.check_kept(limits, filename)
        next_number = sample.header_rows + 1 + sample.rows_read
        for batch in batches:
            batch.columns = list(sample.frame.columns)
            numbers = list(range(next_number, next_number + len(batch)))
            next_number += len(batch)
            blank = _blank_rows(batch)
            parse_rejected = [Rejection(int(n), "empty row", "empty_row") for n in pd.Series(numbers)[blank.to_numpy()]]
            kept = batch.loc[~blank].reset_index(drop=True)
            kept_numbers = [n for n, b in zip(numbers, blank.to_numpy(), strict=True) if not b]
            staged.add(kept, kept_numbers, len(batch), parse_rejected)
            staged.check_kept(limits, filename)
        return staged.finish(body, delimiter, width, options), mapping
    except BaseException:
        staged.discard()
        raise


class _Stager:
    """Validates chunks and appends them to the staging database; duplicates as SQL at the end."""

    def __init__(self, sample: RawTable, mapping: Mapping, filename: str, options: StreamOptions):
        self.sample, self.mapping, self.filename, self.options = sample, mapping, filename, options
        self.folder = tempfile.mkdtemp(prefix="cx-stream-", dir=options.scratch_dir)
        self.path = os.path.join(self.folder, "survey.duckdb")
        self.parts = os.path.join(self.folder, "parts")  # each chunk's rows as Parquet: the staged tables
        os.mkdir(self.parts)
        self.files: dict[str, list[str]] = {}
        self.merged: list[str] = []
        self.con = duckdb.connect(self.path, config={"threads": "2", "preserve_insertion_order": "true"})
        self.con.execute("SET enable_progress_bar = false")
        register_read_only(self.con)
        # one chunk's files are written while the next chunk is validated (Arrow writes without the
        # GIL): at most one chunk waits to be written, so memory stays one chunk more
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="cx-stream-write")
        self.writing: Future | None = None
        self.chunk_mapping = copy.deepcopy(mapping)
        self.chunk_mapping.fields["response_id"] = _ROW_KEY
        self.id_column = mapping.fields.get("response_id")
        self.when_column = mapping.fields.get("submitted_at")
        self.date_column = None if self.when_column else _answer_date_column(sample)
        self.rows_read = 0
        self.rejected: list[Rejection] = []
        self.parse_rejected: list[Rejection] = []
        self.rejected_cells: list[pd.DataFrame] = []
        self.rejected_numbers: list[int] = []
        self.notes: list[tuple[str, int | None]] = []
        self.drivers: list = []
        self.dimensions: dict[str, str] = {}
        self.created = False
        self.extra: list[str] = []
        self.driver_keys: list[str] = []
        self.question_columns = _question_columns(mapping)

    def add(self, frame: pd.DataFrame, numbers: list[int], rows_read: int, parse_rejected: list[Rejection]) -> None:
        self.rows_read += rows_read
        self.parse_rejected += parse_rejected
        for start in range(0, len(frame), self.options.chunk_rows):
            piece = frame.iloc[start : start + self.options.chunk_rows].reset_index(drop=True)
            self._validate(piece, numbers[start : start + self.options.chunk_rows])

    def check_kept(self, limits: ReadLimits, filename: str) -> None:
        """Refuse a file with more rejected rows than a table may have rows: each is held until the end."""
        if len(self.rejected) + len(self.parse_rejected) > limits.max_rows:
            raise FileLimitError("limits.rows", file=_file_name(filename), found=self.rows_read, limit=limits.max_rows)

    def _validate(self, piece: pd.DataFrame, numbers: list[int]) -> None:
        s = self.sample
        row_numbers = np.asarray(numbers, dtype=np.int64)
        cells = piece.assign(**{_ROW_KEY: row_numbers.astype(str)})
        table = RawTable(
            frame=cells,
            row_numbers=numbers,
            format=s.format,
            encoding=s.encoding,
            header_rows=s.header_rows,
            rows_read=len(piece),
            questions=s.questions,
            import_ids=s.import_ids,
            labels=s.labels,
            container=s.container,
            duplicate_headers=s.duplicate_headers,
        )
        data = validate_survey(table, self.chunk_mapping, long_ratings=False)
        self._learn_scales(data)
        self.rejected += [r for r in data.rejected]
        if data.rejected_index:
            rejected_rows = piece.loc[data.rejected_index].copy()
            self.rejected_cells.append(rejected_rows)
            self.rejected_numbers += [numbers[i] for i in data.rejected_index]
        self._add_notes(data.notes)
        if not self.drivers and not self.created:
            self.drivers, self.dimensions = list(data.drivers), dict(data.dimensions)
            self.driver_keys = [d.key for d in data.drivers]
        responses = data.responses
        if not len(responses):
            return
        source_rows = responses["source_row"].to_numpy(dtype=np.int64)
        original = piece.iloc[pd.Index(row_numbers).get_indexer(source_rows)]
        # the respondent id as the in-memory path makes it (blank: "row-N")
        if self.id_column:
            ids = clean_texts(original[self.id_column]).to_numpy(dtype=object, copy=True)
            missing = pd.isna(ids)
            ids[missing] = [f"row-{r}" for r in source_rows[missing]]
        else:
            ids = np.array([f"row-{r}" for r in source_rows], dtype=object)
        if self.when_column:
            when = responses["submitted_at"].to_numpy()
        elif self.date_column:
            when = parse_dates(original[self.date_column]).to_numpy()
        else:
            when = np.full(len(responses), np.datetime64("NaT"), dtype="datetime64[us]")
        keys = {
            "source_row": source_rows,
            "response_id": ids,
            "_dup_id": ids if self.id_column else np.full(len(ids), None, dtype=object),
            "_dup_when": when,
            "_hash": self._row_hashes(original),
        }
        self._insert(responses.assign(response_id=ids), keys, data)

    def _row_hashes(self, cells: pd.DataFrame) -> np.ndarray:
        """A 64-bit hash of each row's cells (DuckDB's ``hash`` of every column, in order)."""
        from ..sql import quote_ident

        self.con.register("_cells", cells)
        try:
            columns = ", ".join(quote_ident(str(c)) for c in cells.columns)
            hashes = self.con.execute(f"SELECT hash({columns}) AS h FROM _cells").fetchnumpy()["h"]  # quoted
        finally:
            self.con.unregister("_cells")
        return np.asarray(hashes, dtype=np.uint64)

    def _learn_scales(self, data: SurveyData) -> None:
        # scales detected from the first chunk's values hold for every chunk (a mapping saved
        # without scales); a suggested mapping has them already
        for entry, driver in zip(self.chunk_mapping.drivers, data.drivers, strict=False):
            if not entry.get("scale"):
                entry["scale"] = [driver.scale_min, driver.scale_max]
        for column, scale in self.chunk_mapping.scales.items():
            self.mapping.scales.setdefault(column, scale)

    def _add_notes(self, notes: list[str]) -> None:
        for note in notes:
            match = _NOTE_COUNT.match(note)
            key, count = (match.group(2), int(match.group(1))) if match else (note, None)
            for i, (seen, total) in enumerate(self.notes):
                if seen == key:
                    if count is not None and total is not None:
                        self.notes[i] = (seen, total + count)
                    break
            else:
                self.notes.append((key, count))

    def _write(self, name: str, frame, types: dict) -> None:
        """Write one chunk of a staged table (a frame or an Arrow table) in the table's own column types.

        Arrow files cost a fraction of appending the same rows to the DuckDB file chunk by chunk;
        :meth:`_merge` then writes each table as one Parquet file.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
        columns = []
        for field in table.schema:
            wanted = types.get(field.name, pa.string())
            column = table.column(field.name)
            # every chunk of a table has the same types (a chunk's all-blank column has none of its own)
            columns.append(column if column.type == wanted else column.cast(wanted, safe=False))
        table = pa.table(columns, names=table.column_names)
        number = len(self.files.setdefault(name, []))
        if name == "_keys":  # read by DuckDB (the whole-file rules)
            path = os.path.join(self.parts, f"{name}-{number}.parquet")
            pq.write_table(table, path, compression="none")
        else:  # read back only by :meth:`_merge`: Arrow's own format costs next to nothing to write
            path = os.path.join(self.parts, f"{name}-{number}.arrow")
            with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
        self.files[name].append(path)

    def _insert(self, responses: pd.DataFrame, keys: dict, data: SurveyData) -> None:
        import pyarrow as pa

        self._create([c for c in responses.columns if c not in RESPONSE_COLUMNS])
        writes: list[tuple[str, object, dict]] = []
        writes.append(
            ("_keys", pa.table({k: pa.array(v, from_pandas=True) for k, v in keys.items()}), _arrow_types("keys"))
        )
        writes.append(("responses", pa.Table.from_pandas(responses, preserve_index=False), _arrow_types("responses")))
        ids = pa.array(keys["response_id"], type=pa.string())
        rows = pa.array(keys["source_row"], type=pa.int64())
        # ratings one file list per driver, answers one per question, each in file order: finish
        # loads them one after the other, as the in-memory path orders them
        for key, valid, scores in data.rating_parts:
            if not len(scores):
                continue
            rated = pa.array(valid)
            part = pa.table(
                {
                    "response_id": ids.filter(rated),
                    "driver": _repeated(key, len(scores)).cast(pa.string()),
                    "score": pa.array(scores, type=pa.float64()),
                    "_row": rows.filter(rated),
                }
            )
            writes.append((f"ratings_{self.driver_keys.index(key)}", part, _arrow_types("ratings")))
        answers = data.answers
        if len(answers):
            answered = answers["response_id"].to_numpy(dtype=object).astype(np.int64)
            at = pd.Index(keys["source_row"]).get_indexer(answered)
            answers = answers.assign(response_id=keys["response_id"][at], _row=answered)
            for column, part in answers.groupby("column", sort=False):
                writes.append((f"answers_{self.question_columns.index(str(column))}", part, _arrow_types("answers")))
        self._wait()
        self.writing = self.writer.submit(self._write_all, writes)

    def _write_all(self, writes: list[tuple[str, object, dict]]) -> None:
        for name, table, types in writes:
            self._write(name, table, types)

    def _wait(self) -> None:
        """Wait for the previous chunk's files (raising what writing them raised)."""
        writing, self.writing = self.writing, None
        if writing is not None:
            writing.result()

    def _create(self, extra: list[str]) -> None:
        if self.created:
            return
        from ..sql import quote_ident

        self.con.execute(_RESPONSES_SQL.format(extra="".join(f", {quote_ident(c)} VARCHAR" for c in extra)))
        self.extra = list(extra)
        self.created = True

    def _merge(self, name: str, parts: list[str], columns: list[str], row: str, dropped: list[int]) -> str:
        """One Parquet file of ``parts`` in order, without the ``dropped`` rows, in row groups of
        :data:`ROW_GROUP_ROWS` (a small table is one group: DuckDB then reads it in order)."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        path = os.path.join(self.folder, f"{name}.parquet")
        drop = pa.array(dropped, type=pa.int64())
        writer = None
        with pa.memory_map(parts[0]) as source:
            schema = pa.ipc.open_file(source).schema
        pending: list = []
        held = 0
        try:
            for part in parts + [None]:
                if part is not None:
                    with pa.memory_map(part) as source:
                        table = pa.ipc.open_file(source).read_all()
                    if len(drop):
                        table = table.filter(pc.invert(pc.is_in(table.column(row), value_set=drop)))
                    pending.append(table.select(columns))
                    held += table.num_rows
                    os.remove(part)
                if pending and (held >= ROW_GROUP_ROWS or part is None):
                    whole = pa.concat_tables(pending)
                    writer = writer or pq.ParquetWriter(path, whole.schema, compression="snappy")
                    writer.write_table(whole, row_group_size=max(ROW_GROUP_ROWS, whole.num_rows))
                    pending, held = [], 0
        finally:
            if writer is not None:
                writer.close()
        if writer is None:  # every row dropped: the file still has the columns
            pq.write_table(schema.empty_table().select(columns), path)
        os.chmod(path, 0o444)  # a session may read it after its lock-down; nobody needs to write it
        self.merged.append(path)
        return path

    def _read(self, name: str) -> str:
        """SQL reading every Parquet file of a staged table, in the order they were written."""
        paths = self.files.get(name, [])
        return "read_parquet([" + ", ".join(_sql_text(p) for p in paths) + "])"

    def _duplicates(self) -> tuple[list[Rejection], InputWarning | None]:
        """Exact duplicate rows, then respondents who answered again, over the whole file (SQL)."""
        con = self.con
        partition = "_hash, response_id" if self.id_column else "_hash"
        exact = con.execute(
            f"""
            SELECT source_row, first FROM (
                SELECT source_row, min(source_row) OVER (PARTITION BY {partition}) AS first FROM _keys
            ) WHERE source_row <> first ORDER BY source_row
            """  # partition: constant column names above
        ).fetchall()
        rejections = [
            Rejection(int(r), f"duplicate of row {int(f)}", "duplicate_row", {"row": int(f)}) for r, f in exact
        ]
        repeated_ids = 0
        rule = "last"
        if self.id_column:
            con.execute("CREATE TEMP TABLE _exact (source_row BIGINT)")
            con.executemany("INSERT INTO _exact VALUES (?)", [[r] for r, _ in exact]) if exact else None
            con.execute(
                """
                CREATE TEMP TABLE _repeated AS
                SELECT source_row, _dup_id, _dup_when FROM (
                    SELECT source_row, _dup_id, _dup_when, count(*) OVER (PARTITION BY _dup_id) AS n
                    FROM _keys WHERE source_row NOT IN (SELECT source_row FROM _exact)
                ) WHERE n > 1
                """
            )
            row = con.execute("SELECT count(*), count(_dup_when) FROM _repeated").fetchone()
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

    def finish(self, body, delimiter: str, width: int, options: StreamOptions) -> StreamedSurvey:
        self._wait()
        self.writer.shutdown()
        con = self.con
        self._create(list(self.dimensions))  # no row was kept: the tables exist, empty
        if self.files.get("_keys"):
            con.execute(f"CREATE TEMP VIEW _keys AS SELECT * FROM {self._read('_keys')}")  # our own paths
        else:
            con.execute(_KEYS_SQL.replace("CREATE TABLE", "CREATE TEMP TABLE"))
        duplicates, warning = self._duplicates()
        dropped = [r.row for r in duplicates]
        # each table becomes one Parquet file the database's views read in place (a session is allowed
        # exactly these files, :attr:`StagedSurveyData.files`): the rows are never copied into DuckDB
        if self.files.get("responses"):
            columns = list(RESPONSE_COLUMNS) + list(self.extra)
            path = self._merge("responses", self.files["responses"], columns, "source_row", dropped)
            con.execute("DROP TABLE responses")
            con.execute(f"CREATE VIEW responses AS SELECT * FROM read_parquet({_sql_text(read_only_url(path))})")
        for prefix, columns, count in (
            ("ratings", ["response_id", "driver", "score"], len(self.driver_keys)),
            ("answers", ["response_id", "question", "column", "text"], len(self.question_columns)),
        ):
            # the in-memory path's order (driver by driver, each in file order): ties in the views'
            # queries (a detractor's weakest driver) are then broken the same way
            parts = [p for i in range(count) for p in self.files.get(f"{prefix}_{i}", [])]
            if parts:
                path = self._merge(prefix, parts, columns, "_row", dropped)
                con.execute(f"CREATE VIEW {prefix} AS SELECT * FROM read_parquet({_sql_text(read_only_url(path))})")
            else:  # no driver (or no open question): an empty table of the same columns
                con.execute(
                    "CREATE TABLE ratings (response_id VARCHAR, driver VARCHAR, score DOUBLE)"
                    if prefix == "ratings"
                    else 'CREATE TABLE answers (response_id VARCHAR, question VARCHAR, "column" VARCHAR, text VARCHAR)'
                )
        loaded = _count(con, "SELECT count(*) FROM responses")
        con.execute("CHECKPOINT")
        con.close()
        shutil.rmtree(self.parts, ignore_errors=True)  # only the duplicate rules read what is left there
        cells = self._rejected_cells(duplicates, body, delimiter, width, options)
        rejected = sorted(self.parse_rejected + self.rejected + duplicates, key=lambda r: r.row)
        notes = [f"{count} {key}" if count is not None else key for key, count in self.notes]
        survey = StagedSurveyData(
            self.path,
            self.folder,
            drivers=self.drivers,
            rejected=rejected,
            notes=notes,
            dimensions=self.dimensions,
            warnings=[warning] if warning is not None else [],
            files=list(self.merged),
        )
        return StreamedSurvey(survey, self.sample, self.rows_read, loaded, cells, list(self.parse_rejected))

    def _rejected_cells(self, duplicates, body, delimiter, width, options) -> RawTable:
        """A table of the rejected rows' original cells (duplicates are read again from the file)."""
        frames = list(self.rejected_cells)
        numbers = list(self.rejected_numbers)
        wanted = {r.row for r in duplicates}
        if wanted:
            next_number = 1  # the batches start at the file's first record (the header)
            names = list(self.sample.frame.columns)
            for batch in _batches(body, delimiter, width, options.block_bytes):
                batch_numbers = range(next_number, next_number + len(batch))
                next_number += len(batch)
                hits = [i for i, n in enumerate(batch_numbers) if n in wanted]
                if hits:
                    part = batch.iloc[hits].copy()
                    part.columns = names
                    frames.append(part)
                    numbers += [batch_numbers[i] for i in hits]
        columns = list(self.sample.frame.columns)
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
        return RawTable(
            frame=frame.reset_index(drop=True),
            row_numbers=numbers,
            format=self.sample.format,
            encoding=self.sample.encoding,
            header_rows=self.sample.header_rows,
            rows_read=self.rows_read,
            rejected=sorted(self.parse_rejected, key=lambda r: r.row),
        )

    def discard(self) -> None:
        try:
            self.writer.shutdown(wait=True, cancel_futures=True)
            self.con.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _answer_date_column(sample: RawTable) -> str | None:
    """The column :func:`~.duplicates.answer_dates` chooses on the sample (then used for every chunk)."""
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


def _arrow_types(table: str) -> dict:
    """The Arrow type each staged column is written as (any other column is text)."""
    import pyarrow as pa

    if table == "keys":
        return {
            "source_row": pa.int64(),
            "_dup_when": pa.timestamp("us"),
            "_hash": pa.uint64(),
        }
    if table == "responses":
        return {
            "submitted_at": pa.timestamp("us"),
            "nps": pa.int32(),
            "csat": pa.float64(),
            "ces": pa.float64(),
            "source_row": pa.int64(),
        }
    return {"score": pa.float64(), "_row": pa.int64()}
