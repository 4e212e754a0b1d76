"""Lasting workspaces: a data set with its mapping, catalogue, weights and a shared follow-up record.

Everything works with no setup (SQLite and a folder under ``CX_DATA_DIR``); a team server keeps
the state in PostgreSQL (``CX_DATABASE_URL``) and the data sets in an object store
(``CX_DATASETS_URL``, any fsspec URL). Follow-up items are versioned: an edit names the version it
started from and a concurrent edit of the same item raises
:class:`~cx_core.errors.FollowUpConflictError` with both versions instead of overwriting.

    store = Store.from_env()
    info = store.create_workspace("Q3 survey", loaded, by="Aiko")
    record = store.update_follow_up(info.id, "response:R1", expected_version=0, by="Aiko", done=True)
"""

from ._codebooks import CodebookVersion, add_codebook_version, codebook_history, latest_codebook
from ._config import DEFAULT_DATA_DIR, StoreConfig
from ._follow_up import apply_records
from ._store import (
    FOLLOW_UP_FIELDS,
    MAX_NOTE_CHARS,
    UNSET,
    FollowUpRecord,
    HistoryEntry,
    Store,
    StoredWorkspace,
    WorkspaceInfo,
)

__all__ = [
    "CodebookVersion",
    "add_codebook_version",
    "codebook_history",
    "latest_codebook",
    "DEFAULT_DATA_DIR",
    "FOLLOW_UP_FIELDS",
    "MAX_NOTE_CHARS",
    "UNSET",
    "FollowUpRecord",
    "HistoryEntry",
    "Store",
    "StoreConfig",
    "StoredWorkspace",
    "WorkspaceInfo",
    "apply_records",
]
