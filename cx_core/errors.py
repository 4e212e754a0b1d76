"""Typed errors raised by the core: a code and values, worded at the edge in the person's language.

The core says *what* went wrong as a message key of the catalogue (``cx_core/messages``) and the
values to fill in, never as a finished sentence::

    raise InvalidParameterError("error.not_a_dimension", name=dimension)

A page words it with :func:`cx_core.errors.error_text` (``ui.widgets.render.guard`` does), the CLI in
English; ``code`` names the kind (``invalid_parameter``...) for scripts and tests. A value that is
itself words (a file's kind, a reason) is a :class:`Phrase`, worded in the same language. Every
error the core raises names a key (``tests/core/test_error_keys.py`` reads the source to keep it so);
a text that is not a key is shown as it is.

>>> error = InvalidParameterError("error.not_a_dimension", name="Plan")
>>> error.code, error.key, error.values
('invalid_parameter', 'error.not_a_dimension', {'name': 'Plan'})
>>> error_text(error, "ja")
'「Plan」は読み込んだデータの項目ではありません。'
>>> error = InputFileError("error.file_looks_like", what=Phrase("error.binary_pdf"))
>>> error_text(error, "en"), error_text(error, "ja")
('This file looks like a PDF document, not a CSV or Excel export.', 'このファイルはPDF 文書のようです。CSV か Excel の書き出しではありません。')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .messages import DEFAULT_LANGUAGE, has_message, t


@dataclass(frozen=True)
class Phrase:
    """A value of a message that is itself a message (a file's kind, a reason): worded in the
    language of the sentence it fills."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **_worded(self.values, lang))


def _worded(values: dict[str, Any], lang: str) -> dict[str, Any]:
    return {name: v.text(lang) if isinstance(v, Phrase) else v for name, v in values.items()}


class CXError(Exception):
    """Base class for every error the core raises on purpose."""

    #: a short machine-readable code, stable across versions (used by the CLI and tests)
    code = "cx_error"

    def __init__(self, key_or_message: str, *, detail: str | None = None, **values: Any):
        #: the message key (``error.*``) when the error was raised with one, else None
        self.key: str | None = key_or_message if has_message(key_or_message) else None
        #: the values the message is filled with (names, limits...)
        self.values: dict[str, Any] = dict(values)
        self.message = self.text(DEFAULT_LANGUAGE) if self.key else key_or_message
        super().__init__(self.message)
        # detail is for logs of the developer's own machine, never shown on a page
        self.detail = detail

    def text(self, lang: str) -> str:
        """The error in words, in ``lang``."""
        return t(self.key, lang, **_worded(self.values, lang)) if self.key else self.message

    def __str__(self) -> str:
        return self.message


def error_text(error: CXError, lang: str) -> str:
    """The one place an error becomes words for a person: its message in ``lang``."""
    return error.text(lang)


class InputFileError(CXError):
    """A file cannot be read as a survey or CRM export (empty, binary, unparseable...)."""

    code = "input_file"


class FileLimitError(InputFileError):
    """A file holds more than one file may here (unpacked bytes, columns, rows, cells, packing).

    ``values`` name the file, what was found and the limit; the message says which setting
    raises it (:mod:`cx_core.ingest.limits`).
    """

    code = "file_limit"


class MappingError(CXError):
    """The column mapping is missing a required field or names a column that does not exist."""

    code = "mapping"


class NoDataError(CXError):
    """There are no rows to analyse (for example, the filters exclude everything)."""

    code = "no_data"


class InvalidParameterError(CXError):
    """A parameter (a dimension, a metric, a filter value) is not one the core accepts."""

    code = "invalid_parameter"


class LLMError(CXError):
    """The language model could not be reached or returned something unusable."""

    code = "llm"


class StoreError(CXError):
    """The workspace store cannot be reached or used (wrong URL, server down, unwritable folder)."""

    code = "store"


class WorkspaceNotFoundError(StoreError):
    """No workspace of that name or id (or it is not shared with the person asking)."""

    code = "workspace_not_found"


class WorkspaceExistsError(StoreError):
    """A workspace of that name exists already."""

    code = "workspace_exists"


class FollowUpConflictError(CXError):
    """Someone else saved the same follow-up item since this edit started.

    ``mine`` holds the values of the refused edit, ``theirs`` the item as it is now saved; nothing
    was overwritten.
    """

    code = "follow_up_conflict"

    def __init__(self, message: str, *, item_id: str, mine: dict, theirs):
        super().__init__(message)
        self.item_id = item_id
        self.mine = mine
        self.theirs = theirs


class CodebookError(CXError):
    """A codebook file or edit is not usable (not the cx-codebook format, a theme without id or label,
    an edit naming a theme the codebook does not have)."""

    code = "codebook"


class CodebookConflictError(CXError):
    """Someone else changed the same themes of the codebook since this edit started.

    ``mine`` is the codebook as this edit would leave it, ``theirs`` the saved one (with who and
    when); nothing was overwritten.
    """

    code = "codebook_conflict"

    def __init__(self, message: str, *, mine, theirs, edit: dict):
        super().__init__(message)
        self.mine = mine
        self.theirs = theirs
        self.edit = edit
