"""Ingestion: bytes -> decoded text -> table -> mapping -> validated canonical frames.

The public entry point is :func:`load_inputs`, used by the Data page and the CLI alike, so both
give the same answers for the same files. :func:`preview_upload` gives the Data page what it needs
before loading (columns, question texts, sheets, suggested mappings).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputFileError, Phrase
from ..export import to_csv_bytes
from .cases import CaseData, account_table_problem, validate_cases
from .decode import MAX_UPLOAD_BYTES
from .duplicates import KEEP_RULE, respondent_id_column
from .kinds import NotASurveyError, check_is_survey
from .limits import ReadLimits, read_limits
from .mapping import Mapping, load_mapping_file, suggest_account_column, suggest_mapping
from .notices import (
    DUPLICATE_HEADER,
    InputWarning,
    WarningError,
    encoding_warning,
    rejection_text,
    repairs_text,
    warning_text,
)
from .parse import RawTable, Rejection, list_sheets, read_table
from .validate import CrmData, SurveyData, validate_crm, validate_survey
from .values import normalise_account_key, normalise_account_keys, parse_score

__all__ = [
    "CaseData",
    "MAX_UPLOAD_BYTES",
    "CrmData",
    "InputReport",
    "InputWarning",
    "KEEP_RULE",
    "LoadedData",
    "Mapping",
    "NotASurveyError",
    "RawTable",
    "ReadLimits",
    "Rejection",
    "SurveyData",
    "UploadPreview",
    "list_sheets",
    "load_cases",
    "load_inputs",
    "load_mapping_file",
    "normalise_account_key",
    "parse_score",
    "preview_upload",
    "read_limits",
    "read_table",
    "rejected_rows_csv",
    "rejection_text",
    "repairs_text",
    "suggest_mapping",
    "validate_crm",
    "validate_survey",
    "warning_text",
]


@dataclass
class InputReport:
    """What happened to one file: format, encoding, and the row accounting."""

    path: str
    kind: str
    format: str
    encoding: str
    header_rows: int
    rows_read: int
    rows_loaded: int
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sheet: str | None = None
    # the original cells of every rejected row (row, reason, then the file's columns)
    rejected_cells: pd.DataFrame | None = None
    # what decoding repaired, with counts ({"mojibake_cells": 12, "cp850_lines": 40})
    repairs: dict[str, int] = field(default_factory=dict)
    warnings: list[InputWarning] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "kind": self.kind,
            "format": self.format,
            "encoding": self.encoding,
            "header_rows": self.header_rows,
            "sheet": self.sheet,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rejected": [r.to_dict() for r in self.rejected],
            "notes": list(self.notes),
            "repairs": dict(self.repairs),
            # each warning's values too, so a saved workspace words it again in any language
            "warnings": [{**w.to_dict("en"), "values": dict(w.values)} for w in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict) -> InputReport:
        """The report saved by :meth:`to_dict` (in a workspace file or the store), rejections and
        warnings with their codes and values so they are worded again in any language."""
        return cls(
            path=str(data["path"]),
            kind=str(data["kind"]),
            format=str(data["format"]),
            encoding=str(data["encoding"]),
            header_rows=int(data["header_rows"]),
            rows_read=int(data["rows_read"]),
            rows_loaded=int(data["rows_loaded"]),
            rejected=[
                Rejection(int(r["row"]), str(r["reason"]), str(r.get("code", "")), dict(r.get("values") or {}))
                for r in data.get("rejected", [])
            ],
            notes=[str(n) for n in data.get("notes", [])],
            sheet=data.get("sheet"),
            repairs={str(k): int(v) for k, v in (data.get("repairs") or {}).items()},
            warnings=[
                InputWarning(str(w.get("code", "")), dict(w.get("values") or {}), tuple(w.get("columns") or ()))
                for w in data.get("warnings", [])
                if isinstance(w, dict)
            ],
        )


@dataclass
class LoadedData:
    """Everything loaded from a survey file and an optional CRM file, ready for a workspace."""

    survey: SurveyData
    survey_report: InputReport
    survey_mapping: Mapping
    survey_columns: list[str]
    crm: CrmData | None = None
    crm_report: InputReport | None = None
    crm_mapping: Mapping | None = None
    crm_columns: list[str] = field(default_factory=list)
    cases: CaseData | None = None  # support cases / tickets (optional third input)
    cases_report: InputReport | None = None

    @property
    def reports(self) -> list[InputReport]:
        return [r for r in (self.survey_report, self.crm_report, self.cases_report) if r is not None]


def _rejected_cells(table: RawTable, rejected: list[Rejection], frame_index: list[int]) -> pd.DataFrame:
    reasons = {r.row: r.reason for r in rejected}
    cells = table.frame.loc[frame_index].copy() if frame_index else table.frame.iloc[0:0].copy()
    numbers = [table.row_numbers[i] for i in frame_index]
    cells.insert(0, "reason", [reasons.get(n, "") for n in numbers])
    cells.insert(0, "row", numbers)
    # rows rejected while parsing (empty, ragged) have no cells to show
    extra = [r for r in table.rejected]
    if extra:
        parse_level = pd.DataFrame({"row": [r.row for r in extra], "reason": [r.reason for r in extra]})
        cells = pd.concat([cells, parse_level], ignore_index=True)
    return cells.sort_values("row", kind="stable").reset_index(drop=True)


def _report(
    path: str, kind: str, table: RawTable, loaded: int, rejected, notes, frame_index: list[int], warnings=()
) -> InputReport:
    report = InputReport(
        path=path,
        kind=kind,
        format=table.format,
        encoding=table.encoding,
        header_rows=table.header_rows,
        rows_read=table.rows_read,
        rows_loaded=loaded,
        rejected=list(rejected),
        notes=list(notes),
        sheet=table.sheet,
        rejected_cells=_rejected_cells(table, list(rejected), frame_index),
        repairs=dict(table.repairs),
    )
    file = path.replace("\\", "/").rsplit("/", 1)[-1]
    repaired = encoding_warning(file, table.repairs)
    if repaired is not None:
        report.warnings.append(repaired)
    for warning in [*table.warnings, *warnings]:
        report.warnings.append(_named(warning, file))
    if report.rows_read != report.rows_loaded + report.rows_rejected:  # pragma: no cover - invariant
        raise InputFileError("error.row_accounting")
    return report


def duplicate_header_warnings(table: RawTable, mapping: Mapping) -> list[InputWarning]:
    """A ``duplicate_header`` warning for each mapped field whose column shares its header with
    other columns (two "How likely are you to recommend" columns: which one is the NPS?)."""
    mapped = {column: name for name, column in mapping.fields.items() if column}
    warnings = []
    for first, others in table.duplicate_headers.items():
        group = [first, *others]
        for column in group:
            if column in mapped:
                header = str(table.questions.get(first) or first)[:120]
                rest = tuple(c for c in group if c != column)
                values = {"field": mapped[column], "header": header, "count": len(group), "column": column}
                warnings.append(InputWarning(DUPLICATE_HEADER, values, (column, *rest)))
    return warnings


def _nothing_loaded(what: str, report: InputReport) -> InputFileError:
    top = Counter(_reason_kind(r.reason) for r in report.rejected).most_common(1)
    reason = Phrase("error.most_common_reason", {"reason": top[0][0], "count": f"{top[0][1]:,}"}) if top else ""
    return InputFileError(
        "error.nothing_loaded", rows=f"{report.rows_read:,}", what=Phrase(f"error.kind_{what}"), reason=reason
    )


def _reason_kind(reason: str) -> str:
    # "NPS value 'abc' is not a number" -> "NPS value ... is not a number"
    head = reason.split("'", 1)[0].strip()
    return head if head != reason.strip() else reason


def crm_keys(table: RawTable, mapping: Mapping) -> set[str]:
    """The normalised account ids of a CRM table (for join-based suggestions)."""
    column = mapping.fields.get("account_id")
    if not column or column not in table.frame.columns:
        return set()
    return set(normalise_account_keys(table.frame[column]).dropna())


def _complete_survey_mapping(survey: RawTable, mapping: Mapping, crm: RawTable | None, crm_mapping) -> Mapping:
    if crm is not None and crm_mapping is not None and not mapping.fields.get("account_id"):
        column = suggest_account_column(survey, mapping, crm_keys(crm, crm_mapping))
        if column:
            mapping.fields["account_id"] = column
            mapping.drivers = [d for d in mapping.drivers if d["column"] != column]
            mapping.dimensions = [d for d in mapping.dimensions if d["column"] != column]
    return mapping


def _complete_respondent_id(table: RawTable, mapping: Mapping) -> None:
    """Map the respondent id (``user_id``, ``Guid``, ``回答ID``...) when the suggestion has none."""
    if mapping.fields.get("response_id"):
        return
    column = respondent_id_column(table)
    if column is None or column in set(mapping.fields.values()):
        return
    mapping.fields["response_id"] = column
    mapping.drivers = [d for d in mapping.drivers if d["column"] != column]
    mapping.dimensions = [d for d in mapping.dimensions if d["column"] != column]


@dataclass
class UploadPreview:
    """What the Data page shows before loading: columns, their questions, sheets and suggestions."""

    kind: str
    columns: list[str]
    questions: dict[str, str]
    sheets: list[str]
    sheet: str | None
    format: str
    encoding: str
    rows_read: int
    mapping: Mapping


def preview_upload(
    survey_bytes: bytes,
    survey_name: str,
    crm_bytes: bytes | None = None,
    crm_name: str | None = None,
    survey_sheet: str | None = None,
    crm_sheet: str | None = None,
) -> tuple[UploadPreview, UploadPreview | None]:
    """Read the files and suggest mappings (the survey's account id may come from the CRM join).

    A survey big enough to be streamed (:mod:`.stream`) is previewed from its first rows, the
    sample :func:`load_inputs` suggests its mapping from; its rows are counted, not kept.
    """
    from . import stream  # noqa: PLC0415

    survey = None
    limits = read_limits()
    if survey_sheet is None and stream.streamable(survey_bytes, survey_name, limits, stream.stream_min_bytes()):
        survey = stream.sample_table(survey_bytes, survey_name, limits, stream.OPTIONS)
    if survey is None:
        survey = read_table(survey_bytes, survey_name, survey_sheet)
    survey_mapping = suggest_mapping(survey, "survey")
    crm = crm_mapping = None
    if crm_bytes is not None:
        crm = read_table(crm_bytes, crm_name or "crm.csv", crm_sheet)
        crm_mapping = suggest_mapping(crm, "crm")
    survey_mapping = _complete_survey_mapping(survey, survey_mapping, crm, crm_mapping)
    _complete_respondent_id(survey, survey_mapping)
    check_is_survey(survey, survey_mapping, survey_name)

    def preview(kind: str, table: RawTable, mapping: Mapping) -> UploadPreview:
        return UploadPreview(
            kind=kind,
            columns=list(table.frame.columns),
            questions=dict(table.questions),
            sheets=list(table.sheets),
            sheet=table.sheet,
            format=table.format,
            encoding=table.encoding,
            rows_read=table.rows_read,
            mapping=mapping,
        )

    return preview("survey", survey, survey_mapping), (preview("crm", crm, crm_mapping) if crm is not None else None)


def load_inputs(
    survey_bytes: bytes,
    survey_name: str,
    crm_bytes: bytes | None = None,
    crm_name: str | None = None,
    survey_mapping: Mapping | None = None,
    crm_mapping: Mapping | None = None,
    survey_sheet: str | None = None,
    crm_sheet: str | None = None,
    cases: bytes | None = None,
    cases_name: str | None = None,
    cases_sheet: str | None = None,
    limits: ReadLimits | None = None,
) -> LoadedData:
    """Read, map and validate a survey file and (optionally) a CRM file and a support cases file.

    Mappings not given are suggested. ``*_sheet`` chooses the worksheet of an XLSX workbook (the
    first by default). Raises :class:`~cx_core.errors.CXError` subclasses with plain-language
    messages for unusable input. Every data row ends up loaded or rejected with its reason.

    A "CRM" file that is not an account table (a case or ticket export: account ids repeat) is
    not loaded as accounts: it gets the ``not_an_account_table`` warning and, when it is a case
    export and no cases file was given, is loaded as the support cases instead; otherwise the
    warning's sentence is raised.

    ``limits`` bounds what each file may hold (this server's :func:`~.limits.read_limits` by
    default); a file over them raises :class:`~cx_core.errors.FileLimitError`.
    """
    limits = limits or read_limits()
    from . import stream  # noqa: PLC0415 - the streaming path imports this package's helpers

    # a big clean UTF-8 export streams into a DuckDB file instead (cx_core.ingest.stream)
    streaming = survey_sheet is None and stream.streamable(survey_bytes, survey_name, limits, stream.stream_min_bytes())
    survey_table = None if streaming else read_table(survey_bytes, survey_name, survey_sheet, limits)
    crm_table = None
    cases_table = cases_warning = None
    if cases is not None:
        cases_table = read_table(cases, cases_name or "cases.csv", cases_sheet, limits)
    if crm_bytes is not None:
        crm_table = read_table(crm_bytes, crm_name or "crm.csv", crm_sheet, limits)
        crm_mapping = crm_mapping or suggest_mapping(crm_table, "crm")
        problem = account_table_problem(crm_table, crm_mapping.fields.get("account_id"))
        if problem is not None:
            if problem.values.get("looks_like") != "cases" or cases_table is not None:
                raise WarningError(_named(problem, crm_name or "crm.csv"))
            cases_table, cases_name, cases_warning = crm_table, crm_name, problem
            crm_table = crm_bytes = crm_mapping = None
    if survey_table is None:
        streamed = _load_streamed(survey_bytes, survey_name, survey_mapping, crm_table, crm_mapping, limits)
        if streamed is not None:
            loaded = streamed
            return _load_rest(loaded, crm_table, crm_mapping, crm_name, cases_table, cases_name, cases_warning)
        survey_table = read_table(survey_bytes, survey_name, survey_sheet, limits)
    if survey_mapping is None:
        survey_mapping = _complete_survey_mapping(
            survey_table, suggest_mapping(survey_table, "survey"), crm_table, crm_mapping
        )
        _complete_respondent_id(survey_table, survey_mapping)
        check_is_survey(survey_table, survey_mapping, survey_name)
    survey = validate_survey(survey_table, survey_mapping)
    survey_report = _report(
        survey_name,
        "survey",
        survey_table,
        len(survey.responses),
        survey.rejected,
        survey.notes,
        survey.rejected_index,
        [*survey.warnings, *duplicate_header_warnings(survey_table, survey_mapping)],
    )
    if survey_report.rows_loaded == 0:
        raise _nothing_loaded("survey", survey_report)
    loaded = LoadedData(survey, survey_report, survey_mapping, list(survey_table.frame.columns))
    return _load_rest(loaded, crm_table, crm_mapping, crm_name, cases_table, cases_name, cases_warning)


def _load_streamed(
    data: bytes, name: str, mapping: Mapping | None, crm_table, crm_mapping, limits: ReadLimits
) -> LoadedData | None:
    """The survey read by :mod:`.stream` (None when it turns out not to be streamable)."""
    from . import stream  # noqa: PLC0415

    def suggest(sample: RawTable) -> Mapping:
        suggested = _complete_survey_mapping(sample, suggest_mapping(sample, "survey"), crm_table, crm_mapping)
        _complete_respondent_id(sample, suggested)
        check_is_survey(sample, suggested, name)
        return suggested

    try:
        streamed, mapping = stream.stream_survey(data, name, mapping, limits, suggest=suggest, options=stream.OPTIONS)
    except stream.NotStreamableError:
        return None
    survey = streamed.survey
    cells = streamed.rejected_cells
    report = _report(
        name,
        "survey",
        cells,
        streamed.rows_loaded,
        survey.rejected,
        survey.notes,
        list(range(len(cells.frame))),
        [*survey.warnings, *duplicate_header_warnings(streamed.sample, mapping)],
    )
    if report.rows_loaded == 0:
        raise _nothing_loaded("survey", report)
    return LoadedData(survey, report, mapping, list(streamed.sample.frame.columns))


def _load_rest(loaded: LoadedData, crm_table, crm_mapping, crm_name, cases_table, cases_name, cases_warning):
    """The CRM and support cases of :func:`load_inputs`, added to ``loaded``."""
    survey = loaded.survey
    if crm_table is not None:
        # the CRM's extra dimensions are named after the survey's, so the two never collide
        crm = validate_crm(crm_table, crm_mapping, taken_names=survey.dimensions)
        loaded.crm = crm
        loaded.crm_report = _report(
            crm_name or "crm.csv",
            "crm",
            crm_table,
            len(crm.accounts),
            crm.rejected,
            crm.notes,
            crm.rejected_index,
            duplicate_header_warnings(crm_table, crm_mapping),
        )
        if loaded.crm_report.rows_loaded == 0:
            raise _nothing_loaded("crm", loaded.crm_report)
        loaded.crm_mapping = crm_mapping
        loaded.crm_columns = list(crm_table.frame.columns)
    if cases_table is not None:
        case_data = validate_cases(cases_table)
        warnings = [cases_warning] if cases_warning is not None else []
        loaded.cases = case_data
        loaded.cases_report = _report(
            cases_name or "cases.csv",
            "cases",
            cases_table,
            len(case_data.cases),
            case_data.rejected,
            case_data.notes,
            case_data.rejected_index,
            warnings,
        )
    return loaded


def load_cases(data: bytes, name: str, sheet: str | None = None) -> tuple[CaseData, InputReport]:
    """Read and validate a support cases file on its own (the Data page adds it to a workspace)."""
    table = read_table(data, name, sheet)
    cases = validate_cases(table)
    report = _report(name, "cases", table, len(cases.cases), cases.rejected, cases.notes, cases.rejected_index)
    if report.rows_loaded == 0:
        raise _nothing_loaded("cases", report)
    return cases, report


def _named(warning: InputWarning, path: str) -> InputWarning:
    file = path.replace("\\", "/").rsplit("/", 1)[-1]
    return InputWarning(warning.code, {**warning.values, "file": file}, warning.columns)


def rejected_rows_csv(reports: list[InputReport]) -> bytes:
    """Every rejected row of every file, with its reason and original cells, as CSV for Excel.

    Cells that Excel would run as formulas are neutralised (:mod:`cx_core.export`).
    """
    parts = []
    for report in reports:
        cells = report.rejected_cells
        if cells is None:
            cells = pd.DataFrame(
                {"row": [r.row for r in report.rejected], "reason": [r.reason for r in report.rejected]}
            )
        if cells.empty:
            continue
        cells = cells.copy()
        cells.insert(0, "file", report.path.replace("\\", "/").rsplit("/", 1)[-1])
        cells.insert(1, "kind", report.kind)
        parts.append(cells)
    if not parts:
        frame = pd.DataFrame(columns=["file", "kind", "row", "reason"])
    else:
        frame = pd.concat(parts, ignore_index=True)
    return to_csv_bytes(frame)
