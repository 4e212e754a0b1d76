"""Warnings about a whole input file, and the one function that words them and row rejections.

The core records codes with values (:class:`InputWarning`, :class:`~.parse.Rejection`); the edge
words them in the person's language with :func:`warning_text` and :func:`rejection_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputFileError
from ..messages import has_message, t

# the warning codes this package raises (the CLI contract lists them)
ENCODING_REPAIRED = "encoding_repaired"
DUPLICATE_ROWS = "duplicate_rows"
NOT_AN_ACCOUNT_TABLE = "not_an_account_table"
NOT_A_SURVEY = "not_a_survey"
UNCLOSED_QUOTE = "unclosed_quote"
DUPLICATE_HEADER = "duplicate_header"

_CODEC_NAMES = {
    "cp1252": "Windows-1252",
    "cp850": "DOS code page 850",
    "mac_roman": "Mac Roman",
    "utf_8": "UTF-8",
    "cp932": "Shift_JIS (CP932)",
}


@dataclass(frozen=True)
class InputWarning:
    """Something a person must know about a file: a code, the values of its message, the columns."""

    code: str
    values: dict = field(default_factory=dict, hash=False)
    columns: tuple[str, ...] = ()

    def message(self, lang: str) -> str:
        return warning_text(self, lang)

    def to_dict(self, lang: str) -> dict:
        return {"code": self.code, "message": self.message(lang), "columns": list(self.columns)}


class WarningError(InputFileError):
    """A file refused for what is also a warning (``warning`` holds its code and values): worded from
    the warning in the reader's language."""

    def __init__(self, warning: InputWarning):
        super().__init__(warning_text(warning, "en"))  # the English sentence of logs and ``str()``
        self.key = f"ingest.warning.{warning.code}"
        self.warning = warning

    def text(self, lang: str) -> str:
        """The sentence in ``lang``."""
        return warning_text(self.warning, lang)


def repairs_text(repairs: dict[str, int], lang: str) -> str:
    """``{"mojibake_cells": 3, "cp850_lines": 2}`` in words."""
    parts = []
    for key, n in repairs.items():
        if key.endswith("_lines"):
            codec = key[: -len("_lines")]
            parts.append(t("ingest.repair.lines", lang, n=n, codec=_CODEC_NAMES.get(codec, codec)))
        else:
            parts.append(t(f"ingest.repair.{key}", lang, n=n))
    return "; ".join(parts) if lang == "en" else "、".join(parts)


def warning_text(warning: InputWarning, lang: str) -> str:
    """The sentence of ``warning`` in ``lang`` (``en`` or ``ja``)."""
    values = dict(warning.values)
    if not values.get("file"):
        values["file"] = t("ingest.the_file", lang)
    if warning.code == ENCODING_REPAIRED:
        values["repairs"] = repairs_text(values.get("repairs", {}), lang)
    if warning.code == DUPLICATE_ROWS:
        if not values.get("repeated"):
            return t("ingest.warning.duplicate_rows_exact", lang, **values)
        values["rule"] = t(f"ingest.rule.{values.get('rule', 'last')}", lang)
    if warning.code == NOT_AN_ACCOUNT_TABLE:
        values["looks_like"] = t(f"ingest.looks_like.{values.get('looks_like', 'other')}", lang)
    if warning.code == DUPLICATE_HEADER:
        values["field"] = t(f"field.{values.get('field', '')}", lang) if values.get("field") else ""
        others = ", ".join(f"'{c}'" for c in warning.columns[1:])
        values["others"] = others + (" are" if len(warning.columns) > 2 else " is") if lang == "en" else others
    if warning.code == NOT_A_SURVEY:
        values["columns"] = ", ".join(warning.columns[:12]) + (" …" if len(warning.columns) > 12 else "")
    return t(f"ingest.warning.{warning.code}", lang, **values)


def rejection_text(rejection, lang: str) -> str:
    """Why a row was rejected, in ``lang``: from its code and values when it has a code, else its
    English reason (rejections recorded before codes existed, or saved workspaces)."""
    code = getattr(rejection, "code", "")
    if code and has_message(f"ingest.reject.{code}"):  # t() never returns the raw key
        return t(f"ingest.reject.{code}", lang, **dict(rejection.values))
    return rejection.reason


def encoding_warning(file: str, repairs: dict[str, int]) -> InputWarning | None:
    """The ``encoding_repaired`` warning of a file, or None when nothing was repaired."""
    if not repairs:
        return None
    return InputWarning(ENCODING_REPAIRED, {"file": file, "repairs": dict(repairs)})
