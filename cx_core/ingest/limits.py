"""How much one file may hold before it is read: bytes once unpacked, columns, rows and cells.

A file is checked against these limits while it is read, before its cells become a table: a
workbook's unpacked size and compression ratio from its ZIP directory before anything is
unpacked, a CSV's header row before it is parsed, rows and cells as they stream past. So a
file made to exhaust memory (a sheet declaring a million rows, gigabytes of XML packed into a few
MB, a hundred thousand columns) is refused in seconds, and the server's other sessions keep
their memory.

The defaults come from the machine through :func:`cx_core.capacity.plan`: a file being read may
use :data:`READ_SHARE` times a session's budget (its bytes, its text and its cells are held at
once, briefly), and each cell of a table costs about :data:`CELL_BYTES` (measured: loading a
100,000-response export of 21 columns, 2.1 million cells, raises the peak by about 125 MB).
Each limit has a floor so a small machine still reads an ordinary export, and each can be set:

====================  =====================================================================
``CX_READ_MAX_MB``     megabytes one file may hold once unpacked (a CSV's text, a workbook's
                       XML, a ``.cxw`` file's members)
``CX_READ_MAX_COLUMNS`` columns of one table
``CX_READ_MAX_ROWS``   rows of one table (blank rows count)
``CX_READ_MAX_CELLS``  rows x columns of one table
``CX_READ_MAX_RATIO``  how many times a ZIP member (a sheet, a ``.cxw`` member) may be packed
====================  =====================================================================

in the environment or in ``.streamlit/secrets.toml`` (Streamlit puts its top-level values in the
environment). ``python -m cx_core.ingest.limits`` prints the limits of this machine.

The **upload limit** (:func:`upload_limit`, ``CX_UPLOAD_MAX_MB``) is checked first, on the bytes
of any upload. A big clean CSV is streamed (:mod:`.stream`): its rows go to Parquet files on disk
a chunk at a time, so its memory is its bytes (held about :data:`UPLOAD_COPIES` times: Streamlit's
buffer and ours) plus one chunk, whatever its number of rows; the rows and cells limits above
bound only the files read whole in memory. So the upload limit comes from the machine too: the
bytes' copies may take :data:`READ_SHARE` times a session's budget, and the staged files may take
a share of the free disk of the temporary folder (:data:`STAGING_FACTOR`), never below
:data:`UPLOAD_MIN_BYTES` (the fixed limit before big files were streamed). ``python -m
cx_core.ingest.limits --upload-mb`` prints it in MB (``make run`` gives it to Streamlit's
``server.maxUploadSize``).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass

from ..capacity import MIB, Capacity, plan

_LOG = logging.getLogger(__name__)

READ_SHARE = 2
"""A file being read may hold this many times a session's budget, briefly."""
CELL_BYTES = 64
"""Memory of one cell of a loaded table, from reading to the validated frames (measured)."""
XLSX_CELL_FACTOR = 2
"""A workbook's cell costs about twice a CSV's on its way in (openpyxl's objects; measured: reading a
sheet of 500,000 cells peaks at 198 MB against 139 MB for a 3-cell sheet, about 120 bytes a cell),
so a sheet may hold half the cells (``max_cells // 2``)."""
ROW_BYTES = 400
"""Memory of one row beyond its cells: its number, its index entries, a rejection when blank."""
MIN_BYTES = 256 * MIB
MIN_CELLS = 5_000_000  # 100,000 responses of 50 columns
MIN_ROWS = 1_048_576  # as many rows as an Excel sheet holds
MAX_COLUMNS = 5000
MAX_RATIO = 100
"""A ZIP member packed more than this is refused; real sheets and CSVs pack 5-30 times."""
RATIO_FLOOR_BYTES = 8 * MIB
"""Members smaller than this are not checked for their ratio (a blank template packs well)."""

UPLOAD_MIN_BYTES = 200 * MIB
"""The upload limit's floor (the fixed limit of ``server.maxUploadSize`` before big files streamed)."""
UPLOAD_COPIES = 2
"""Copies of an upload's bytes held while it is read (Streamlit's buffer, and the bytes read from it)."""
STAGING_FACTOR = 8
"""Disk a streamed file's staging may take at its peak, in multiples of the file (measured: a 41.7 MB
300,000-response export peaks at 249 MB, 6 times, before its chunk files are merged into 23 MB of
Parquet), with a margin; the upload limit leaves the rest of the free disk to others."""
UPLOAD_SETTING = "CX_UPLOAD_MAX_MB"

SETTINGS = {
    "max_bytes": "CX_READ_MAX_MB",
    "max_columns": "CX_READ_MAX_COLUMNS",
    "max_rows": "CX_READ_MAX_ROWS",
    "max_cells": "CX_READ_MAX_CELLS",
    "max_ratio": "CX_READ_MAX_RATIO",
}


@dataclass(frozen=True)
class ReadLimits:
    """The most one file may hold (see the module's documentation for where each comes from)."""

    max_bytes: int
    max_columns: int
    max_rows: int
    max_cells: int
    max_ratio: int

    def to_dict(self) -> dict:
        return asdict(self)


def default_limits(capacity: Capacity) -> ReadLimits:
    """The limits a session of ``capacity``'s server gets when no setting overrides them."""
    budget = READ_SHARE * capacity.session_budget
    return ReadLimits(
        max_bytes=max(MIN_BYTES, budget),
        max_columns=MAX_COLUMNS,
        max_rows=max(MIN_ROWS, budget // ROW_BYTES),
        max_cells=max(MIN_CELLS, budget // CELL_BYTES),
        max_ratio=MAX_RATIO,
    )


def _setting(env: Mapping[str, str], name: str) -> int | None:
    value = str(env.get(name, "")).strip().replace(",", "").replace("_", "")
    if not value:
        return None
    try:
        number = int(float(value))
    except ValueError:
        _LOG.warning("%s must be a number, not %r; the default is used", name, value)
        return None
    if number < 1:
        _LOG.warning("%s must be at least 1, not %r; the default is used", name, value)
        return None
    return number


def read_limits(env: Mapping[str, str] | None = None, capacity: Capacity | None = None) -> ReadLimits:
    """The limits of this server: the machine's defaults, each overridden by its setting when set.

    >>> from cx_core.capacity import plan
    >>> limits = read_limits({"CX_READ_MAX_COLUMNS": "300"}, plan(8 * 1024**3, 2, env={}))
    >>> limits.max_columns, limits.max_cells >= MIN_CELLS
    (300, True)
    """
    env = os.environ if env is None else env
    if capacity is None:
        try:
            capacity = plan(env=env)
        except ValueError:  # a mistyped capacity setting: the machine's own share (logged there)
            capacity = plan(env={})
    limits = default_limits(capacity).to_dict()
    for field_name, setting in SETTINGS.items():
        value = _setting(env, setting)
        if value is not None:
            limits[field_name] = value * MIB if field_name == "max_bytes" else value
    return ReadLimits(**limits)


def default_upload_limit(capacity: Capacity, free_disk: int) -> int:
    """The largest upload in bytes when ``CX_UPLOAD_MAX_MB`` is not set (see the module's documentation).

    >>> from cx_core.capacity import plan
    >>> default_upload_limit(plan(24 * 1024**3, 2, env={}), 100 * 1024**3) // MIB
    405
    >>> default_upload_limit(plan(24 * 1024**3, 2, env={}), 1024**3) // MIB  # little disk left: the floor
    200
    """
    memory = READ_SHARE * capacity.session_budget // UPLOAD_COPIES
    return max(UPLOAD_MIN_BYTES, min(memory, free_disk // STAGING_FACTOR))


_ONE_SESSION: contextvars.ContextVar[bool] = contextvars.ContextVar("cx_one_session_upload", default=False)


@contextlib.contextmanager
def one_session() -> Iterator[None]:
    """Files read inside this block are limited as for a process that holds one session only (the
    command line, ``python -m cx_core``): the machine's share is not divided between the sessions
    of a server, so a 5M-response export that a team server refuses can be summarised here.
    ``CX_UPLOAD_MAX_MB`` still wins."""
    token = _ONE_SESSION.set(True)
    try:
        yield
    finally:
        _ONE_SESSION.reset(token)


def upload_limit(env: Mapping[str, str] | None = None, capacity: Capacity | None = None) -> int:
    """The largest upload this server reads, in bytes: ``CX_UPLOAD_MAX_MB`` when set, else derived
    from the machine's memory and the temporary folder's free disk (:func:`default_upload_limit`),
    for one session's share of a server, or for the whole machine inside :func:`one_session`.

    >>> upload_limit({"CX_UPLOAD_MAX_MB": "300"}) // MIB
    300
    """
    env = os.environ if env is None else env
    value = _setting(env, UPLOAD_SETTING)
    if value is not None:
        return value * MIB
    if capacity is None:
        sessions = {"max_sessions": 1} if _ONE_SESSION.get() else {}
        try:
            capacity = plan(env=env, **sessions)
        except ValueError:  # a mistyped capacity setting: the machine's own share (logged there)
            capacity = plan(env={}, **sessions)
    try:
        free = shutil.disk_usage(tempfile.gettempdir()).free
    except OSError:
        free = 0
    return default_upload_limit(capacity, free)


if __name__ == "__main__":  # python -m cx_core.ingest.limits: what one file may hold on this server
    import json
    import sys

    if "--upload-mb" in sys.argv[1:]:  # for Streamlit's server.maxUploadSize (make run)
        print(upload_limit() // MIB)
    else:
        limits = read_limits()
        print(
            json.dumps(
                {**limits.to_dict(), "max_mb": limits.max_bytes // MIB, "upload_mb": upload_limit() // MIB}, indent=2
            )
        )
