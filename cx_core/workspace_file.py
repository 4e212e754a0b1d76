"""Save a workspace as one file and open it again later to continue.

The file (``.cxw``) is a ZIP archive of plain members anyone can inspect:

- ``manifest.json``: format name, format version, when it was saved, what is inside;
- ``responses.csv``, ``ratings.csv``, ``accounts.csv`` (with a CRM file): the canonical tables;
- ``inputs.json``: each input file's report (format, encoding, row accounting, rejected rows);
- ``mapping.json``, ``columns.json``, ``drivers.json``: how the columns were mapped;
- ``role_weights.json``, ``driver_catalogue.json``, ``follow_up_notes.csv``: the session's edits,
  when there are any.

Text cells of the CSV members that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@``...) get a leading apostrophe, as every export does (:mod:`cx_core.export`); so do cells that
began with an apostrophe, so opening the file gives back exactly what was saved (the manifest's
``"text_cells": "apostrophe"`` says so; files saved before it are read as they are).

A file is checked against the read limits (:mod:`cx_core.ingest.limits`) before it is unpacked:
its unpacked size and packing ratio from the ZIP directory, then each table's rows and cells
while its CSV streams past, before any of it is parsed.

Opening validates everything and raises :class:`~cx_core.errors.InputFileError` with a plain
message for a wrong, damaged, oversized or newer-format file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .errors import FileLimitError, InputFileError
from .export import escape_frame, unescape_frame
from .ingest import InputReport, LoadedData, Mapping
from .ingest.cases import CASE_COLUMNS, CaseData, CaseMapping
from .ingest.limits import ReadLimits, read_limits
from .ingest.parse import check_zip
from .ingest.validate import ACCOUNT_COLUMNS, ANSWER_COLUMNS, RESPONSE_COLUMNS, CrmData, SurveyData, empty_answers
from .schema import Driver
from .sql import run, run_rows
from .workspace import Workspace

FORMAT_NAME = "cx-insight-workspace"
FORMAT_VERSION = 1
FILE_SUFFIX = ".cxw"
# text cells of the CSV members start with an apostrophe when they would run as a formula (or
# began with one): a spreadsheet shows them as text, and opening the file takes it off again
ESCAPED_CELLS = "apostrophe"
JSON_SHARE = 8  # a JSON member is parsed whole (about ten times its size): at most 1/8 of the byte limit
MIB = 1024 * 1024
FOLLOW_UP_TABLE = "follow_up_notes"

_RESPONSE_TEXT = ("response_id", "account_id", "account_key", "respondent_role", "role_label", "comment")
_RESPONSE_TEXT += ("journey_stage", "touchpoint", "survey_type")
_ACCOUNT_TEXT = ("account_id", "account_key", "account_name", "segment", "industry", "region", "owner")
_ALLOWED = {
    "manifest.json",
    "responses.csv",
    "ratings.csv",
    "accounts.csv",
    "inputs.json",
    "mapping.json",
    "columns.json",
    "drivers.json",
    "role_weights.json",
    "driver_catalogue.json",
    "follow_up_notes.csv",
    "answers.csv",
    "cases.csv",
}


@dataclass
class SavedWorkspace:
    """What a workspace file holds, ready to become a :class:`Workspace` again."""

    loaded: LoadedData
    saved_at: str
    dataset: str = "workspace"
    role_weights: dict[str, float] | None = None
    driver_catalogue: Any = None
    follow_up_notes: pd.DataFrame | None = None
    manifest: dict = field(default_factory=dict)

    def to_workspace(self) -> Workspace:
        """A fresh, locked-down workspace with the saved tables (and follow-up notes, if any)."""
        ws = Workspace.from_loaded(self.loaded)
        if self.follow_up_notes is not None:
            attach_table(ws, FOLLOW_UP_TABLE, self.follow_up_notes)
        return ws


def attach_table(ws: Workspace, name: str, frame: pd.DataFrame) -> None:
    """Create (or replace) table ``name`` in ``ws`` from ``frame`` (``name`` is a constant of ours)."""
    ws.con.register("_restored", frame)
    try:
        ws.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _restored")
    finally:
        ws.con.unregister("_restored")
    ws.touch()  # the data changed after loading: views memoised on the previous version are stale


def _has_table(ws: Workspace, name: str) -> bool:
    rows = run_rows(ws.con, "SELECT count(*) FROM information_schema.tables WHERE table_name = $name", {"name": name})
    return bool(rows[0][0])


def _json_ready(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return {"__frame__": json.loads(value.to_json(orient="split", date_format="iso", force_ascii=False))}
    return value


def _from_json_ready(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"__frame__"}:
        frame = value["__frame__"]
        return pd.DataFrame(frame.get("data", []), columns=frame.get("columns"))
    return value


def save_workspace_file(
    ws: Workspace,
    *,
    dataset: str = "workspace",
    role_weights: dict[str, float] | None = None,
    driver_catalogue: Any = None,
    follow_up_notes: pd.DataFrame | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """The workspace as one ``.cxw`` file (bytes).

    ``follow_up_notes`` defaults to the workspace's ``follow_up_notes`` table when it exists.
    ``driver_catalogue`` may be anything JSON can hold, or a DataFrame.
    """
    loaded = ws.loaded
    if follow_up_notes is None and _has_table(ws, FOLLOW_UP_TABLE):
        follow_up_notes = run(ws.con, f"SELECT * FROM {FOLLOW_UP_TABLE}")
    members: dict[str, bytes] = {
        "responses.csv": _csv(run(ws.con, "SELECT * FROM responses")),
        "ratings.csv": _csv(run(ws.con, "SELECT * FROM ratings")),
        # every answer to every open question (optional: files saved before it hold the comment only)
        "answers.csv": _csv(run(ws.con, "SELECT * FROM answers")),
        "inputs.json": json.dumps([r.to_dict() for r in ws.reports], ensure_ascii=False).encode("utf-8"),
        "drivers.json": json.dumps([d.to_dict() for d in ws.drivers], ensure_ascii=False).encode("utf-8"),
    }
    if ws.has_crm:
        members["accounts.csv"] = _csv(run(ws.con, "SELECT * FROM accounts"))
    if loaded is not None:
        mapping = {"survey": loaded.survey_mapping.to_dict()}
        if loaded.crm_mapping:
            mapping["crm"] = loaded.crm_mapping.to_dict()
        if loaded.cases is not None:  # support cases (optional third input)
            mapping["cases"] = loaded.cases.mapping.to_dict()
            members["cases.csv"] = _csv(loaded.cases.cases)
        members["mapping.json"] = json.dumps(mapping, ensure_ascii=False).encode("utf-8")
        columns = {"survey": loaded.survey_columns, "crm": loaded.crm_columns}
        members["columns.json"] = json.dumps(columns, ensure_ascii=False).encode("utf-8")
    if role_weights is not None:
        members["role_weights.json"] = json.dumps(role_weights).encode("utf-8")
    if driver_catalogue is not None:
        text = json.dumps(_json_ready(driver_catalogue), ensure_ascii=False, default=str)
        members["driver_catalogue.json"] = text.encode("utf-8")
    if follow_up_notes is not None:
        members["follow_up_notes.csv"] = _csv(follow_up_notes)
    manifest = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "saved_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "dataset": dataset,
        "has_crm": ws.has_crm,
        "responses": ws.response_count(),
        "members": sorted(members),
        "text_cells": ESCAPED_CELLS,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _csv(frame: pd.DataFrame) -> bytes:
    """A table as a CSV member: text cells escaped (:func:`cx_core.export.escape_frame`)."""
    return escape_frame(frame).to_csv(index=False).encode("utf-8")


def _corrupt(detail: str) -> InputFileError:
    return InputFileError("present.ws_corrupt", detail=detail)


def _read_csv(data: bytes, text_columns: tuple[str, ...], escaped: bool) -> pd.DataFrame:
    header = _header(data, escaped)
    raw = _header(data, False)
    frame = pd.read_csv(
        io.BytesIO(data),
        dtype={r: str for r, c in zip(raw, header, strict=True) if c in text_columns},
        keep_default_na=False,
        na_values=[""],
    )
    if escaped:
        frame = unescape_frame(frame)
    for column in text_columns:
        if column in frame.columns:
            frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
    return frame


def _header(data: bytes, escaped: bool) -> list[str]:
    frame = pd.read_csv(io.BytesIO(data), nrows=0)
    return [str(c) for c in (unescape_frame(frame) if escaped else frame).columns]


def _extra_text_columns(data: bytes, canonical: tuple[str, ...], escaped: bool) -> tuple[str, ...]:
    """The extra grouping columns (mapped dimensions) of a saved table: text, whatever they hold."""
    return tuple(name for name in _header(data, escaped) if name not in canonical)


def _check_table_member(archive: zipfile.ZipFile, name: str, limits: ReadLimits, file: str) -> None:
    """Refuse a CSV member with more rows or cells than ``limits``, counted while it streams past
    (in chunks, so memory stays flat), before it is parsed."""
    rows = columns = 0
    with archive.open(name) as member:
        first = b""
        while chunk := member.read(4 * 1024 * 1024):
            if not columns:
                first += chunk
                if b"\n" in first or len(first) > 64 * 1024 * 1024:
                    columns = len(_header(first.split(b"\n", 1)[0] + b"\n", False)) or 1
            rows += chunk.count(b"\n")
            if rows > limits.max_rows:
                raise FileLimitError("limits.rows", file=file, found=rows, limit=limits.max_rows)
            if rows * max(columns, 1) > limits.max_cells:
                raise FileLimitError("limits.cells", file=file, found=rows * columns, limit=limits.max_cells)


def _dimension_sources(frame: pd.DataFrame, canonical: tuple[str, ...], mapping: Mapping) -> dict[str, str]:
    """Extra dimension name -> source column (the mapping's, in order; the name itself if unknown)."""
    names = [str(c) for c in frame.columns if c not in canonical]
    columns = [d["column"] for d in mapping.dimensions]
    return dict(zip(names, columns if len(columns) == len(names) else names, strict=True))


def _responses(data: bytes, escaped: bool) -> pd.DataFrame:
    extra = _extra_text_columns(data, RESPONSE_COLUMNS, escaped)
    frame = _read_csv(data, _RESPONSE_TEXT + extra, escaped)
    missing = [c for c in RESPONSE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"responses.csv lacks {', '.join(missing[:3])}")
    frame = frame[[*RESPONSE_COLUMNS, *extra]]
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], errors="coerce")
    for column in ("nps", "csat", "ces"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    # NPS is optional (blank = no answer), but an answer is always a whole number 0-10
    answered = frame["nps"].dropna()
    if not answered.between(0, 10).all() or (answered % 1 != 0).any():
        raise ValueError("responses.csv has NPS values outside 0-10")
    frame["nps"] = frame["nps"].astype("Int64")
    frame["source_row"] = pd.to_numeric(frame["source_row"], errors="coerce").fillna(0).astype("int64")
    return frame


def _answers(data: bytes, escaped: bool) -> pd.DataFrame:
    frame = _read_csv(data, ANSWER_COLUMNS, escaped)
    missing = [c for c in ANSWER_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"answers.csv lacks {', '.join(missing[:3])}")
    return frame[list(ANSWER_COLUMNS)].astype(object)


def _accounts(data: bytes, escaped: bool) -> pd.DataFrame:
    extra = _extra_text_columns(data, ACCOUNT_COLUMNS, escaped)
    frame = _read_csv(data, (*_ACCOUNT_TEXT, "renewal_date", "churned", *extra), escaped)
    missing = [c for c in ACCOUNT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"accounts.csv lacks {', '.join(missing[:3])}")
    frame = frame[[*ACCOUNT_COLUMNS, *extra]]
    frame["arr"] = pd.to_numeric(frame["arr"], errors="coerce").astype("float64")
    frame["churned"] = frame["churned"].map({"True": True, "False": False, "true": True, "false": False})
    return frame


def _cases(data: bytes, escaped: bool) -> pd.DataFrame:
    text = ("case_id", "account_id", "account_key", "status", "priority", "reason", "subject")
    frame = _read_csv(data, text, escaped)
    missing = [c for c in CASE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"cases.csv lacks {', '.join(missing[:3])}")
    frame = frame[list(CASE_COLUMNS)]
    for flag in ("is_open", "is_escalated"):
        frame[flag] = frame[flag].map({"True": True, "False": False, True: True, False: False}).astype(bool)
    frame["created_at"] = pd.to_datetime(frame["created_at"], errors="coerce")
    frame["source_row"] = pd.to_numeric(frame["source_row"], errors="coerce").astype("int64")
    return frame


def _ratings(data: bytes, escaped: bool) -> pd.DataFrame:
    frame = _read_csv(data, ("response_id", "driver"), escaped)
    if list(frame.columns)[:3] != ["response_id", "driver", "score"]:
        raise ValueError("ratings.csv has unexpected columns")
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype("float64")
    return frame[["response_id", "driver", "score"]]


def open_workspace_file(
    data: bytes, *, limits: ReadLimits | None = None, filename: str = "workspace.cxw"
) -> SavedWorkspace:
    """Read a ``.cxw`` file saved by :func:`save_workspace_file`; raise ``InputFileError`` if unusable.

    ``limits`` (this server's :func:`~cx_core.ingest.limits.read_limits` by default) bound what the
    file may hold; a file over them raises :class:`~cx_core.errors.FileLimitError`.
    """
    limits = limits or read_limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputFileError("present.ws_not_zip") from None
    names = {info.filename for info in infos}
    if "manifest.json" not in names:
        raise InputFileError("present.ws_not_zip")
    check_zip(data, limits, filename)
    unknown = sorted(names - _ALLOWED)
    if unknown:
        raise _corrupt(f"unexpected member {unknown[0][:40]!r}")
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (ValueError, zipfile.BadZipFile, OSError):
        raise _corrupt("manifest.json") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise InputFileError("present.ws_not_zip")
    version = manifest.get("version")
    if not isinstance(version, int) or version < 1:
        raise _corrupt("version")
    if version > FORMAT_VERSION:
        raise InputFileError("present.ws_version", version=version)
    for required in ("responses.csv", "ratings.csv", "inputs.json", "drivers.json"):
        if required not in names:
            raise _corrupt(f"{required} missing")

    def member_json(name: str, default=None):
        return json.loads(archive.read(name)) if name in names else default

    for info in infos:
        if info.filename.endswith(".csv"):
            _check_table_member(archive, info.filename, limits, filename)
        elif info.file_size > limits.max_bytes // JSON_SHARE:  # parsed whole: ~10 times its size
            found, limit = -(-info.file_size // MIB), limits.max_bytes // JSON_SHARE // MIB
            raise FileLimitError("limits.bytes", file=f"{filename} ({info.filename})", found=found, limit=limit)
    escaped = manifest.get("text_cells") == ESCAPED_CELLS
    try:
        responses = _responses(archive.read("responses.csv"), escaped)
        ratings = _ratings(archive.read("ratings.csv"), escaped)
        reports = [InputReport.from_dict(r) for r in member_json("inputs.json", [])]
        drivers = [Driver(**d) for d in member_json("drivers.json", [])]
        mapping = member_json("mapping.json", {}) or {}
        columns = member_json("columns.json", {}) or {}
        survey_report = next(r for r in reports if r.kind == "survey")
        crm_report = next((r for r in reports if r.kind == "crm"), None)
        survey_mapping = (
            Mapping.from_dict({**mapping["survey"], "kind": "survey"})
            if "survey" in mapping
            else Mapping("survey", {}, [])
        )
        loaded = LoadedData(
            survey=SurveyData(
                responses,
                ratings,
                drivers,
                list(survey_report.rejected),
                list(survey_report.notes),
                dimensions=_dimension_sources(responses, RESPONSE_COLUMNS, survey_mapping),
                answers=_answers(archive.read("answers.csv"), escaped) if "answers.csv" in names else empty_answers(),
            ),
            survey_report=survey_report,
            survey_mapping=survey_mapping,
            survey_columns=[str(c) for c in columns.get("survey", [])],
        )
        if "accounts.csv" in names:
            accounts = _accounts(archive.read("accounts.csv"), escaped)
            report = crm_report or InputReport("crm.csv", "crm", "csv", "utf-8", 1, len(accounts), len(accounts))
            loaded.crm_report = report
            loaded.crm_mapping = (
                Mapping.from_dict({**mapping["crm"], "kind": "crm"}) if "crm" in mapping else Mapping("crm", {}, [])
            )
            loaded.crm = CrmData(
                accounts,
                list(report.rejected),
                list(report.notes),
                dimensions=_dimension_sources(accounts, ACCOUNT_COLUMNS, loaded.crm_mapping),
            )
            loaded.crm_columns = [str(c) for c in columns.get("crm", [])]
        if "cases.csv" in names:
            cases_report = next((r for r in reports if r.kind == "cases"), None)
            loaded.cases = CaseData(
                _cases(archive.read("cases.csv"), escaped),
                CaseMapping(dict((mapping.get("cases") or {}).get("fields") or {})),
                list(cases_report.rejected) if cases_report else [],
                list(cases_report.notes) if cases_report else [],
                warnings=list(cases_report.warnings) if cases_report else [],
            )
            loaded.cases_report = cases_report
        role_weights = member_json("role_weights.json")
        if role_weights is not None and not (
            isinstance(role_weights, dict) and all(isinstance(v, (int, float)) for v in role_weights.values())
        ):
            raise ValueError("role_weights.json is not a table of numbers")
        catalogue = _from_json_ready(member_json("driver_catalogue.json"))
        notes = None
        if "follow_up_notes.csv" in names:
            notes = pd.read_csv(io.BytesIO(archive.read("follow_up_notes.csv")), keep_default_na=False, na_values=[""])
            notes = unescape_frame(notes) if escaped else notes
    except InputFileError:
        raise
    except (KeyError, StopIteration):
        raise _corrupt("incomplete members") from None
    except (ValueError, TypeError, zipfile.BadZipFile, OSError, pd.errors.ParserError) as exc:
        raise _corrupt(str(exc)[:120]) from None
    return SavedWorkspace(
        loaded=loaded,
        saved_at=str(manifest.get("saved_at", "")),
        dataset=str(manifest.get("dataset", "workspace")),
        role_weights={str(k): float(v) for k, v in role_weights.items()} if role_weights else None,
        driver_catalogue=catalogue,
        follow_up_notes=notes,
        manifest=manifest,
    )
