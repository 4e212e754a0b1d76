"""Data sets as Parquet files in a folder or an object store (any fsspec URL).

A workspace's data set is ``{base}/{workspace_id}/{dataset_key}/{table}.parquet``; what is not a
table (input reports, mappings, drivers, column lists) is JSON in the state database. In a local
folder the survey's big tables are queried where they are (views over hard links, read through
:mod:`cx_core.ingest.read_only`, the only files the locked-down session may read); the other
tables are read as bytes in Python and handed to the session's DuckDB as frames. An object store's
survey tables are copied once per machine into a local cache folder (``CX_DATA_DIR/dataset-cache``,
shared by the machine's processes and sessions) and queried in place from there, so the database
never touches the network (DuckDB's own S3 reader, ``httpfs``, is an extension it would download
at run time; see docs/DEPLOY.md).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile

import duckdb
import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import StoreError
from ..ingest import InputReport, LoadedData, Mapping
from ..ingest.cases import CaseData, CaseMapping
from ..ingest.read_only import read_only_url, register_read_only
from ..ingest.stream import StagedSurveyData
from ..ingest.validate import CrmData, SurveyData, empty_answers
from ..schema import Driver
from ..sql import quote_ident

TABLES = ("responses", "ratings", "accounts")
IN_PLACE_TABLES = ("responses", "ratings", "answers")
"""The survey's tables a local data set's session queries where they are saved."""


class DatasetFolder:
    """The data sets under one base URL (``/srv/cx/datasets``, ``s3://bucket/cx``...)."""

    def __init__(self, base_url: str, options: dict | None = None, cache_dir: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.cache_dir = cache_dir  # this machine's copies of an object store's survey tables
        try:
            self.fs, self.root = fsspec.core.url_to_fs(self.base_url, **(options or {}))
        except (ImportError, ValueError) as exc:
            raise StoreError("error.dataset_location", location=base_url, reason=str(exc)) from None
        self.root = self.root.rstrip("/")

    def _path(self, workspace_id: str, dataset_key: str | None = None, table: str | None = None) -> str:
        parts = [self.root, workspace_id]
        if dataset_key:
            parts.append(dataset_key)
        if table:
            parts.append(f"{table}.parquet")
        return "/".join(parts)

    def write(self, workspace_id: str, dataset_key: str, loaded: LoadedData) -> None:
        # a streamed survey (cx_core.ingest.stream) is copied batch by batch, never as whole frames
        staged = getattr(loaded.survey, "record_batches", None)
        frames = {}
        if staged is None:
            frames = {"responses": loaded.survey.responses, "ratings": loaded.survey.ratings}
            frames["answers"] = loaded.survey.answers  # every answer to every open question
        if loaded.crm is not None:
            frames["accounts"] = loaded.crm.accounts
        if loaded.cases is not None:
            frames["cases"] = loaded.cases.cases  # support cases: lost to a restart before
        for report in loaded.reports:  # the original cells of rejected rows, for the rejected-rows download
            if report.rejected_cells is not None and len(report.rejected_cells):
                frames[f"rejected_{report.kind}"] = _as_text(report.rejected_cells)
        try:
            if _is_local(self.fs):
                self.fs.makedirs(self._path(workspace_id, dataset_key), exist_ok=True)
            for table in ("responses", "ratings", "answers"):
                if staged is None:
                    break
                buffer = io.BytesIO()
                writer = None
                for batch in staged(table):
                    writer = writer or pq.ParquetWriter(buffer, batch.schema, compression="zstd")
                    writer.write_batch(batch)
                if writer is not None:
                    writer.close()
                self.fs.pipe_file(self._path(workspace_id, dataset_key, table), buffer.getvalue())
            for table, frame in frames.items():
                buffer = io.BytesIO()
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer, compression="zstd")
                self.fs.pipe_file(self._path(workspace_id, dataset_key, table), buffer.getvalue())
        except OSError as exc:
            raise StoreError("error.dataset_save", detail=str(exc)) from None

    def read(self, workspace_id: str, dataset_key: str, meta: dict) -> LoadedData:
        """The saved data set as :class:`LoadedData` (what ingestion produced, with its reports).

        In a local folder the survey's three big tables are queried where they are (see
        :meth:`_survey_in_place`); elsewhere every table is read into frames.
        """
        if _is_local(self.fs):
            in_place = self._survey_in_place(workspace_id, dataset_key, meta)
        else:
            in_place = self._survey_cached(workspace_id, dataset_key, meta)
        try:
            frames = {
                table: pq.read_table(
                    io.BytesIO(self.fs.cat_file(self._path(workspace_id, dataset_key, table)))
                ).to_pandas()
                for table in (*TABLES, "answers", "cases", *(f"rejected_{k}" for k in meta.get("rejected_cells", [])))
                if (table != "accounts" or meta.get("has_crm"))
                and (table != "answers" or meta.get("has_answers"))
                and (table != "cases" or meta.get("has_cases"))
                and (in_place is None or table not in IN_PLACE_TABLES)
            }
        except (OSError, pa.ArrowException) as exc:
            raise StoreError("error.dataset_missing", detail=str(exc)) from None
        # Text columns stay Arrow-backed strings: only the session's DuckDB reads these frames, and
        # it takes them without a copy (converting 1M ratings to Python objects cost a second).
        return loaded_from_meta(frames, meta, survey=in_place)

    def _survey_in_place(self, workspace_id: str, dataset_key: str, meta: dict) -> StagedSurveyData | None:
        """The survey's tables as views over the saved Parquet files, without reading a row.

        Each file is hard-linked into a folder of this opening (``{base}/.open/``, skipped when
        folders are listed): no byte is copied, two people opening the workspace share the same
        file, and a later save that deletes this data set leaves the open one readable until it is
        released. The session reads the links through :mod:`cx_core.ingest.read_only` (never
        writes them). None when the files cannot be linked (another file system): then they are
        read into memory as before.
        """
        tables = [t for t in IN_PLACE_TABLES if t != "answers" or meta.get("has_answers")]
        opened = "/".join([self.root, ".open"])
        try:
            os.makedirs(opened, exist_ok=True)
            folder = tempfile.mkdtemp(prefix="ws-", dir=opened)
        except OSError:
            return None
        try:
            links = {}
            for table in tables:
                links[table] = os.path.join(folder, f"{table}.parquet")
                os.link(self._path(workspace_id, dataset_key, table), links[table])
            path = os.path.join(folder, "survey.duckdb")
            con = duckdb.connect(path)
            try:
                register_read_only(con)
                for table, link in links.items():
                    con.execute(_view_sql(table, link, con))
                if "answers" not in links:  # saved before open questions were kept
                    con.execute(
                        'CREATE TABLE answers (response_id VARCHAR, question VARCHAR, "column" VARCHAR, text VARCHAR)'
                    )
            finally:
                con.close()
        except (OSError, duckdb.Error):
            shutil.rmtree(folder, ignore_errors=True)
            return None
        report = next(InputReport.from_dict(r) for r in meta["reports"] if r.get("kind") == "survey")
        return StagedSurveyData(
            path,
            folder,
            drivers=[Driver(**d) for d in meta["drivers"]],
            rejected=list(report.rejected),
            notes=list(report.notes),
            dimensions=dict(meta.get("survey_dimensions") or {}),
            warnings=[],
            files=list(links.values()),
        )

    def _survey_cached(self, workspace_id: str, dataset_key: str, meta: dict) -> StagedSurveyData | None:
        """The survey's tables of an object store's data set, queried in place from this machine's
        copy: downloaded once per machine (``cache_dir``, shared by every process and session that
        opens the data set here), then opened like a local folder's (:meth:`_survey_in_place`).

        A data set's files never change once saved (a new save gets a new key), so a copy whose size
        matches the stored file is current; copies of the workspace's older data sets are removed.
        None (the tables are read into memory as before) without a cache folder or when the copy
        cannot be made.
        """
        if not self.cache_dir:
            return None
        cache = DatasetFolder(self.cache_dir)
        tables = [t for t in IN_PLACE_TABLES if t != "answers" or meta.get("has_answers")]
        try:
            folder = cache._path(workspace_id, dataset_key)
            os.makedirs(folder, exist_ok=True)
            for table in tables:
                remote, local = (
                    self._path(workspace_id, dataset_key, table),
                    cache._path(workspace_id, dataset_key, table),
                )
                size = self.fs.info(remote).get("size")
                if os.path.exists(local) and os.path.getsize(local) == size:
                    continue
                partial = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{table}-", delete=False)  # noqa: SIM115
                partial.close()
                try:
                    self.fs.get_file(remote, partial.name)
                    os.replace(partial.name, local)  # whole or not at all: another process may read it
                finally:
                    if os.path.exists(partial.name):
                        os.remove(partial.name)
            for entry in os.listdir(cache._path(workspace_id)):
                if entry != dataset_key and not entry.startswith("."):
                    shutil.rmtree(os.path.join(cache._path(workspace_id), entry), ignore_errors=True)
        except (OSError, ValueError):
            return None
        return cache._survey_in_place(workspace_id, dataset_key, meta)

    def delete(self, workspace_id: str, keep: str | None = None) -> None:
        """Delete every data set of a workspace (all but ``keep``, when given)."""
        folder = self._path(workspace_id)
        try:
            if not self.fs.exists(folder):
                return
            if keep is None:
                self.fs.rm(folder, recursive=True)
                return
            for entry in self.fs.ls(folder, detail=False):
                if entry.rstrip("/").rsplit("/", 1)[-1] != keep:
                    self.fs.rm(entry, recursive=True)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError("error.dataset_delete", detail=str(exc)) from None

    def prune_cache(self, live: dict[str, str]) -> int:
        """Remove this machine's copies of data sets no workspace points to (``live``: workspace id
        -> its data set key); returns how many. An open copy stays readable (its links)."""
        if not self.cache_dir or not os.path.isdir(self.cache_dir):
            return 0
        removed = 0
        for workspace_id in os.listdir(self.cache_dir):
            folder = os.path.join(self.cache_dir, workspace_id)
            if workspace_id.startswith(".") or not os.path.isdir(folder):
                continue
            for key in os.listdir(folder):
                if not key.startswith(".") and live.get(workspace_id) != key:
                    shutil.rmtree(os.path.join(folder, key), ignore_errors=True)
                    removed += 1
            if not os.listdir(folder):
                os.rmdir(folder)
        return removed

    def folders(self) -> dict[str, list[str]]:
        """Every workspace folder under the base, with its data set keys."""
        try:
            if not self.fs.exists(self.root):
                return {}
            out: dict[str, list[str]] = {}
            for entry in self.fs.ls(self.root, detail=False):
                name = entry.rstrip("/").rsplit("/", 1)[-1]
                if name.startswith("."):
                    continue
                keys = [k.rstrip("/").rsplit("/", 1)[-1] for k in self.fs.ls(entry, detail=False)]
                out[name] = [k for k in keys if not k.startswith(".")]
            return out
        except OSError as exc:
            raise StoreError("error.dataset_list", detail=str(exc)) from None

    def changed_before(self, workspace_id: str, dataset_key: str | None, cutoff) -> bool:
        """True when nothing under the folder changed after ``cutoff`` (an aware datetime);
        False when a time cannot be told (never delete on a guess)."""
        import datetime as dt

        try:
            files = self.fs.find(self._path(workspace_id, dataset_key), detail=True)
        except OSError:
            return False
        times = []
        for info in files.values():
            stamp = info.get("mtime") or info.get("LastModified") or info.get("last_modified")
            if isinstance(stamp, (int, float)):
                stamp = dt.datetime.fromtimestamp(stamp, dt.UTC)
            if not isinstance(stamp, dt.datetime):
                return False
            times.append(stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC))
        if not times:  # an empty folder: its own time
            try:
                stamp = self.fs.info(self._path(workspace_id, dataset_key)).get("mtime")
            except OSError:
                return False
            if not isinstance(stamp, (int, float)):
                return False
            times.append(dt.datetime.fromtimestamp(stamp, dt.UTC))
        return max(times) < cutoff

    def delete_dataset(self, workspace_id: str, dataset_key: str) -> None:
        """Delete one data set of a workspace."""
        try:
            self.fs.rm(self._path(workspace_id, dataset_key), recursive=True)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError("error.dataset_delete", detail=str(exc)) from None

    def exists(self, workspace_id: str) -> bool:
        return bool(self.fs.exists(self._path(workspace_id)))


def _is_local(fs) -> bool:
    protocols = fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)
    return "file" in protocols


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows' cells as text (they are whatever the file held, of mixed types)."""
    out = frame.copy()
    out.columns = [str(c) for c in out.columns]
    for column in out.columns:
        if column != "row":
            values = out[column]
            out[column] = values.astype(str).where(values.notna(), None)
    return out


def meta_of(loaded: LoadedData) -> dict:
    """What the state database keeps about a data set besides its tables (JSON-ready)."""
    return {
        "rejected_cells": [r.kind for r in loaded.reports if r.rejected_cells is not None and len(r.rejected_cells)],
        "has_crm": loaded.crm is not None,
        "has_cases": loaded.cases is not None,
        "case_mapping": loaded.cases.mapping.to_dict() if loaded.cases is not None else None,
        "has_answers": True,  # data sets saved before open questions were kept have no answers table
        "reports": [r.to_dict() for r in loaded.reports],
        "drivers": [d.to_dict() for d in loaded.survey.drivers],
        "survey_mapping": loaded.survey_mapping.to_dict(),
        "crm_mapping": loaded.crm_mapping.to_dict() if loaded.crm_mapping else None,
        "survey_columns": list(loaded.survey_columns),
        "crm_columns": list(loaded.crm_columns),
        "survey_dimensions": dict(loaded.survey.dimensions),
        "crm_dimensions": dict(loaded.crm.dimensions) if loaded.crm is not None else {},
    }


_TYPES = {
    "nps": "INTEGER",
    "csat": "DOUBLE",
    "ces": "DOUBLE",
    "score": "DOUBLE",
    "submitted_at": "TIMESTAMP",
    "source_row": "BIGINT",
}


def _view_sql(table: str, path: str, con: duckdb.DuckDBPyConnection) -> str:
    """A view of the saved table with the types a session's own copy gets (text unless numeric):
    a column saved from a frame of only blanks has no type of its own."""
    source = f"read_parquet({_sql_text(read_only_url(path))})"
    names = [str(r[0]) for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    columns = ", ".join(f"TRY_CAST({quote_ident(n)} AS {_TYPES.get(n, 'VARCHAR')}) AS {quote_ident(n)}" for n in names)
    return f"CREATE VIEW {table} AS SELECT {columns} FROM {source}"  # table: a constant; names quoted


def _sql_text(text: str) -> str:
    """A SQL string literal (a path of ours: read_parquet in a view takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def loaded_from_meta(frames: dict[str, pd.DataFrame], meta: dict, survey: SurveyData | None = None) -> LoadedData:
    """The data set as ingestion produced it, from its frames (and ``survey`` when it is queried in place)."""
    reports = [InputReport.from_dict(r) for r in meta["reports"]]
    for report in reports:
        report.rejected_cells = frames.get(f"rejected_{report.kind}")
    survey_report = next(r for r in reports if r.kind == "survey")
    crm_report = next((r for r in reports if r.kind == "crm"), None)
    loaded = LoadedData(
        survey=survey
        or SurveyData(
            frames["responses"],
            frames["ratings"],
            [Driver(**d) for d in meta["drivers"]],
            list(survey_report.rejected),
            list(survey_report.notes),
            dimensions=dict(meta.get("survey_dimensions") or {}),
            answers=frames["answers"] if "answers" in frames else empty_answers(),
        ),
        survey_report=survey_report,
        survey_mapping=Mapping.from_dict({**meta["survey_mapping"], "kind": "survey"}),
        survey_columns=list(meta.get("survey_columns") or []),
    )
    if meta.get("has_crm"):
        loaded.crm = CrmData(
            frames["accounts"],
            list(crm_report.rejected) if crm_report else [],
            list(crm_report.notes) if crm_report else [],
            dimensions=dict(meta.get("crm_dimensions") or {}),
        )
        loaded.crm_report = crm_report
        loaded.crm_mapping = (
            Mapping.from_dict({**meta["crm_mapping"], "kind": "crm"}) if meta.get("crm_mapping") else None
        )
        loaded.crm_columns = list(meta.get("crm_columns") or [])
    if meta.get("has_cases") and "cases" in frames:
        cases_report = next((r for r in reports if r.kind == "cases"), None)
        loaded.cases = CaseData(
            frames["cases"],
            CaseMapping(dict((meta.get("case_mapping") or {}).get("fields") or {})),
            list(cases_report.rejected) if cases_report else [],
            list(cases_report.notes) if cases_report else [],
            warnings=list(cases_report.warnings) if cases_report else [],
        )
        loaded.cases_report = cases_report
    return loaded
