"""Ingestion: bytes -> decoded text -> table -> mapping -> validated canonical frames.

The public entry point is :func:`load_inputs`, used by the Data page and the CLI alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputFileError
from .mapping import Mapping, load_mapping_file, suggest_mapping
from .parse import RawTable, Rejection, read_table
from .validate import CrmData, SurveyData, validate_crm, validate_survey
from .values import normalise_account_key, parse_score

__all__ = [
    "CrmData",
    "InputReport",
    "LoadedData",
    "Mapping",
    "RawTable",
    "Rejection",
    "SurveyData",
    "load_inputs",
    "load_mapping_file",
    "normalise_account_key",
    "parse_score",
    "read_table",
    "suggest_mapping",
    "validate_crm",
    "validate_survey",
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
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rejected": [r.to_dict() for r in self.rejected],
            "notes": list(self.notes),
        }


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

    @property
    def reports(self) -> list[InputReport]:
        return [r for r in (self.survey_report, self.crm_report) if r is not None]


def _report(path: str, kind: str, table: RawTable, loaded: int, rejected, notes) -> InputReport:
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
    )
    if report.rows_read != report.rows_loaded + report.rows_rejected:  # pragma: no cover - invariant
        raise InputFileError("Internal error: the row accounting of the file does not add up.")
    return report


def load_inputs(
    survey_bytes: bytes,
    survey_name: str,
    crm_bytes: bytes | None = None,
    crm_name: str | None = None,
    survey_mapping: Mapping | None = None,
    crm_mapping: Mapping | None = None,
) -> LoadedData:
    """Read, map and validate a survey file and (optionally) a CRM file.

    Mappings not given are suggested. Raises :class:`~cx_core.errors.CXError` subclasses with
    plain-language messages for unusable input.
    """
    survey_table = read_table(survey_bytes, survey_name)
    survey_mapping = survey_mapping or suggest_mapping(survey_table, "survey")
    survey = validate_survey(survey_table, survey_mapping)
    survey_report = _report(survey_name, "survey", survey_table, len(survey.responses), survey.rejected, survey.notes)
    loaded = LoadedData(survey, survey_report, survey_mapping, list(survey_table.frame.columns))
    if crm_bytes is not None:
        crm_table = read_table(crm_bytes, crm_name or "crm.csv")
        crm_mapping = crm_mapping or suggest_mapping(crm_table, "crm")
        crm = validate_crm(crm_table, crm_mapping)
        loaded.crm = crm
        loaded.crm_report = _report(crm_name or "crm.csv", "crm", crm_table, len(crm.accounts), crm.rejected, crm.notes)
        loaded.crm_mapping = crm_mapping
        loaded.crm_columns = list(crm_table.frame.columns)
    return loaded
