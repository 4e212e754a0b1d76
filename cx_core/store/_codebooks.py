"""Codebook versions of a workspace: append-only, each with the edit that made it, who and when.

A new version names the version it started from; when someone saved another since, nothing is
written and :class:`~cx_core.errors.CodebookConflictError` carries the newer version (the codebook
layer decides whether the edit can be re-applied on top of it, as the follow-up record does).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from ..errors import CodebookConflictError
from ._schema import codebook_versions, workspaces
from ._store import MAX_PERSON_CHARS, Store, _clean_text, _now, _utc


@dataclass(frozen=True)
class CodebookVersion:
    """One saved version of a workspace's codebook (``codebook`` and ``edit`` are JSON-ready dicts)."""

    version: int
    codebook: dict
    edit: dict = field(default_factory=dict)
    at: dt.datetime | None = None
    by: str | None = None

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "at": self.at.isoformat() if self.at else None,
            "by": self.by,
            "edit": self.edit,
            "codebook": self.codebook,
        }


def _version(row) -> CodebookVersion:
    return CodebookVersion(int(row.version), json.loads(row.codebook), json.loads(row.edit), _utc(row.at), row.by)


def codebook_history(store: Store, ref: str, user: str | None = None) -> list[CodebookVersion]:
    """Every saved version of the workspace's codebook, oldest first (empty: none saved yet)."""
    with store._tx() as con:
        row = store._row(ref, user, con)
        rows = con.execute(
            select(codebook_versions)
            .where(codebook_versions.c.workspace_id == row.id)
            .order_by(codebook_versions.c.version)
        ).all()
    return [_version(r) for r in rows]


def latest_codebook(store: Store, ref: str, user: str | None = None) -> CodebookVersion | None:
    """The newest saved version of the workspace's codebook, or None."""
    with store._tx() as con:
        row = store._row(ref, user, con)
        found = con.execute(
            select(codebook_versions)
            .where(codebook_versions.c.workspace_id == row.id)
            .order_by(codebook_versions.c.version.desc())
            .limit(1)
        ).first()
    return None if found is None else _version(found)


def add_codebook_version(
    store: Store,
    ref: str,
    codebook: dict,
    *,
    expected_version: int,
    edit: dict,
    by: str | None,
    user: str | None = None,
) -> CodebookVersion:
    """Save ``codebook`` as the version after ``expected_version`` (0: the first one).

    Raises :class:`CodebookConflictError` (``theirs`` the newer saved version) when another
    version was saved since; the unique (workspace, version) key settles two saves at once.
    """
    now = _now()
    by = _clean_text(by, MAX_PERSON_CHARS)
    try:
        with store._tx() as con:
            row = store._row(ref, user, con)
            newest = con.execute(
                select(func.max(codebook_versions.c.version)).where(codebook_versions.c.workspace_id == row.id)
            ).scalar()
            if int(newest or 0) != expected_version:
                raise _StaleVersionError
            con.execute(
                insert(codebook_versions).values(
                    workspace_id=row.id,
                    version=expected_version + 1,
                    codebook=json.dumps(codebook, ensure_ascii=False),
                    edit=json.dumps(edit, ensure_ascii=False, default=str),
                    at=now,
                    by=by,
                )
            )
            con.execute(workspaces.update().where(workspaces.c.id == row.id).values(updated_at=now))
    except (_StaleVersionError, IntegrityError):
        theirs = latest_codebook(store, ref, user)
        raise CodebookConflictError(
            "error.store_codebook_conflict",
            mine=codebook,
            theirs=theirs,
            edit=edit,
        ) from None
    return CodebookVersion(expected_version + 1, codebook, edit, now, by)


def copy_codebook(con, source_id: str, target_id: str) -> None:
    """Give a new workspace every codebook version of another ("Save as" keeps the codebook)."""
    rows = con.execute(select(codebook_versions).where(codebook_versions.c.workspace_id == source_id)).mappings().all()
    if rows:
        con.execute(insert(codebook_versions), [{**dict(r), "workspace_id": target_id} for r in rows])


class _StaleVersionError(Exception):
    pass
