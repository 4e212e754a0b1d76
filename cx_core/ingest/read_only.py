"""Parquet files a locked-down session may read and never write.

DuckDB's ``allowed_paths`` lets a locked-down connection reach a file both ways: a
``COPY ... TO '<that path>' (USE_TMP_FILE false)`` writes it over (file modes do not stop a server
running as root). So a session is given its files through :class:`ReadOnlyFiles`, a local file
system registered with DuckDB under the ``cxro://`` protocol that opens files for reading only:
the session's ``allowed_paths`` are those ``cxro://`` addresses, so the plain paths stay refused
by the lock-down and every write through ``cxro://`` fails.
"""

from __future__ import annotations

import duckdb
from fsspec.implementations.local import LocalFileSystem

PROTOCOL = "cxro"


class ReadOnlyFiles(LocalFileSystem):
    """The local file system, read only (DuckDB reads through it; every write is refused)."""

    protocol = (PROTOCOL,)

    def _open(self, path, mode="rb", **kwargs):
        if mode != "rb":
            raise PermissionError(f"{PROTOCOL}:// files are read only")
        return super()._open(path, mode, **kwargs)

    def _refuse(self, *args, **kwargs):
        raise PermissionError(f"{PROTOCOL}:// files are read only")

    rm = rm_file = _rm = mv = cp_file = copy = put_file = touch = mkdir = makedirs = rmdir = _refuse


def read_only_url(path: str) -> str:
    """``path`` (absolute) as the address DuckDB reads through :class:`ReadOnlyFiles`."""
    return f"{PROTOCOL}://{path}"


def register_read_only(con: duckdb.DuckDBPyConnection) -> None:
    """Let ``con`` read ``cxro://`` addresses (before it attaches or queries views over them)."""
    if PROTOCOL not in con.list_filesystems():
        con.register_filesystem(ReadOnlyFiles())
