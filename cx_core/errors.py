"""Typed errors raised by the core.

Pages and the CLI catch :class:`CXError` and show ``str(error)`` to the person: the message is
written for a non-technical reader and never contains raw database text or a traceback.
"""

from __future__ import annotations


class CXError(Exception):
    """Base class for every error the core raises on purpose."""

    #: a short machine-readable code, stable across versions (used by the CLI and tests)
    code = "cx_error"

    def __init__(self, message: str, *, detail: str | None = None):
        super().__init__(message)
        self.message = message
        # detail is for logs of the developer's own machine, never shown on a page
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class InputFileError(CXError):
    """A file cannot be read as a survey or CRM export (empty, binary, unparseable...)."""

    code = "input_file"


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
