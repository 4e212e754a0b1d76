"""The workspace store: named workspaces and their shared follow-up record."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, create_engine, delete, event, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from ..errors import (
    FollowUpConflictError,
    InvalidParameterError,
    StoreError,
    WorkspaceExistsError,
    WorkspaceNotFoundError,
)
from ..ingest import LoadedData
from ._config import StoreConfig
from ._datasets import DatasetFolder, meta_of
from ._migrate import migrate
from ._schema import ask_questions, codebook_versions, follow_up_history, follow_up_items, workspaces

MAX_NAME_CHARS = 200
MAX_NOTE_CHARS = 2000
MAX_PERSON_CHARS = 320
FOLLOW_UP_FIELDS = ("done", "note", "owner", "due_date")


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: "leave this field as it is" in :meth:`Store.update_follow_up`
UNSET: Any = _Unset()


MAX_QUESTION_CHARS = 500
ORPHAN_AGE = dt.timedelta(hours=1)
"""A data set folder without a workspace is deleted once untouched this long (creating one takes seconds)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _utc(value: dt.datetime) -> dt.datetime:
    """A time from the database as UTC (SQLite gives it back without its zone)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _utc_or_none(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else _utc(value)


def _same_person(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


@dataclass(frozen=True)
class WorkspaceInfo:
    """One saved workspace, as listed (no data)."""

    id: str
    name: str
    owner: str | None
    shared_with: tuple[str, ...]
    listed: bool
    dataset: str
    responses: int
    created_at: dt.datetime
    created_by: str | None
    updated_at: dt.datetime

    def visible_to(self, user: str | None) -> bool:
        """``user`` None means no sign-in is configured: everyone sees everything."""
        if user is None or self.owner is None:
            return True
        return _same_person(self.owner, user) or any(_same_person(p, user) for p in self.shared_with)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "owner": self.owner,
            "shared_with": list(self.shared_with),
            "listed": self.listed,
            "dataset": self.dataset,
            "responses": self.responses,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class StoredWorkspace:
    """A saved workspace with its data, ready to become a session's :class:`~cx_core.Workspace`."""

    info: WorkspaceInfo
    loaded: LoadedData
    role_weights: dict[str, float] | None = None
    driver_catalogue: Any = None
    score_weights: dict | None = None  #: how the headline scores are weighted (cx_core.weighting.ScoreWeights)


@dataclass(frozen=True)
class FollowUpRecord:
    """The shared state of one follow-up item. ``version`` 0: nothing saved yet."""

    item_id: str
    done: bool = False
    note: str | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    version: int = 0
    updated_at: dt.datetime | None = None
    updated_by: str | None = None

    def values(self) -> dict:
        return {"done": self.done, "note": self.note, "owner": self.owner, "due_date": self.due_date}

    def to_dict(self) -> dict:
        return {
            "item_id": self.item_id,
            "done": self.done,
            "note": self.note,
            "owner": self.owner,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "version": self.version,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "updated_by": self.updated_by,
        }


@dataclass(frozen=True)
class HistoryEntry:
    """One saved change of a follow-up item: who, when, and each field's old and new value."""

    item_id: str
    version: int
    at: dt.datetime
    by: str | None
    changes: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "at": self.at.isoformat(),
            "by": self.by,
            "changes": self.changes,
        }


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _clean_text(value: Any, limit: int) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text[:limit] or None


def _clean_changes(done: Any, note: Any, owner: Any, due_date: Any) -> dict:
    changes: dict = {}
    if done is not UNSET:
        if not isinstance(done, bool):
            raise InvalidParameterError("error.store_done_flag")
        changes["done"] = done
    if note is not UNSET:
        changes["note"] = _clean_text(note, MAX_NOTE_CHARS)
    if owner is not UNSET:
        changes["owner"] = _clean_text(owner, MAX_PERSON_CHARS)
    if due_date is not UNSET:
        if due_date is not None and not isinstance(due_date, dt.date):
            raise InvalidParameterError("error.store_due_date")
        changes["due_date"] = due_date.date() if isinstance(due_date, dt.datetime) else due_date
    return changes


_PROCESS_STORES: dict[str, Store] = {}  # connection pools by configuration; never anyone's data
_PROCESS_FAILURES: dict[str, tuple[float, StoreError]] = {}
RETRY_AFTER_S = 30.0
_PROCESS_LOCK = threading.Lock()


class _VersionRaceError(Exception):
    """The conditional write found another version: re-read and report a conflict."""


class Store:
    """Named workspaces (data set, mapping, catalogue, weights) and their follow-up records.

    The state lives in a SQL database (SQLite under ``CX_DATA_DIR`` by default, PostgreSQL with
    ``CX_DATABASE_URL``), the data sets as Parquet under ``CX_DATASETS_URL`` (a folder or an
    object store). One Store per process is enough: it holds a connection pool, never user data.
    """

    def __init__(self, config: StoreConfig):
        self.config = config
        self.engine = _engine(config)
        self.datasets = DatasetFolder(
            config.datasets_url, config.datasets_options, cache_dir=str(config.data_dir / "dataset-cache")
        )
        try:
            migrate(self.engine, config.data_dir / ".migrate.lock" if config.embedded else None)
        except OperationalError as exc:
            raise StoreError("error.store_unreachable", detail=str(exc)) from None

    @classmethod
    def from_env(cls, environ=None) -> Store:
        """The store configured by ``CX_DATA_DIR``, ``CX_DATABASE_URL`` and ``CX_DATASETS_URL``."""
        return cls(StoreConfig.from_env(environ))

    @classmethod
    def for_process(cls, config: StoreConfig) -> tuple[Store, bool]:
        """One Store per configuration and process (a server's sessions share its connection pool;
        a Store holds no one's data). Returns ``(store, opened_now)``."""
        key = json.dumps([str(config.data_dir), config.database_url, config.datasets_url, config.datasets_options])
        with _PROCESS_LOCK:
            store = _PROCESS_STORES.get(key)
            if store is not None:
                return store, False
            failed = _PROCESS_FAILURES.get(key)
            if failed is not None and time.monotonic() - failed[0] < RETRY_AFTER_S:
                raise failed[1]  # a server that is down is not asked again on every page run
            try:
                store = cls(config)
            except StoreError as exc:
                _PROCESS_FAILURES[key] = (time.monotonic(), exc)
                raise
            _PROCESS_FAILURES.pop(key, None)
            _PROCESS_STORES[key] = store
            return store, True

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def _tx(self) -> Iterator:
        try:
            with self.engine.begin() as connection:
                yield connection
        except OperationalError as exc:
            raise StoreError("error.store_unreachable", detail=str(exc)) from None

    # --- workspaces -------------------------------------------------------------------------------

    def list_workspaces(self, user: str | None = None, *, drafts: bool = False) -> list[WorkspaceInfo]:
        """The named workspaces ``user`` may open (with ``drafts``, the unlisted ones too), most
        recently changed first."""
        query = select(workspaces).order_by(workspaces.c.updated_at.desc(), workspaces.c.name)
        if not drafts:
            query = query.where(workspaces.c.listed.is_(True))
        with self._tx() as con:
            rows = con.execute(query).all()
        return [info for info in map(_info, rows) if info.visible_to(user)]

    def get_workspace(self, ref: str, user: str | None = None) -> WorkspaceInfo:
        """The workspace whose id or name is ``ref``; raises WorkspaceNotFoundError."""
        return _info(self._row(ref, user))

    def _row(self, ref: str, user: str | None, con=None, *, by: str = "any"):
        """The row of ``ref``: by ``"id"``, by ``"name"``, or ``"any"``: its id, else the name of a
        named (listed) workspace. A draft's name (the minute of its upload and a few characters)
        can be guessed, so a draft opens only by its id; an id wins over a name that equals it."""
        if by == "id":
            condition = workspaces.c.id == ref
        elif by == "name":
            condition = workspaces.c.name == ref
        else:
            condition = or_(workspaces.c.id == ref, and_(workspaces.c.name == ref, workspaces.c.listed.is_(True)))
        query = select(workspaces).where(condition)
        if con is None:
            with self._tx() as con:
                rows = con.execute(query).all()
        else:
            rows = con.execute(query).all()
        if by == "name":
            row = rows[0] if rows else None
        else:
            row = next((r for r in rows if r.id == ref), rows[0] if rows else None)
        if row is None or not _info(row).visible_to(user):
            raise WorkspaceNotFoundError("error.store_no_workspace", ref=ref)
        return row

    def create_workspace(
        self,
        name: str,
        loaded: LoadedData,
        *,
        dataset: str = "upload",
        owner: str | None = None,
        shared_with: Iterable[str] = (),
        role_weights: dict[str, float] | None = None,
        driver_catalogue: Any = None,
        follow_up_notes: pd.DataFrame | None = None,
        score_weights: dict | None = None,
        by: str | None = None,
        listed: bool = True,
        history_from: str | None = None,
    ) -> WorkspaceInfo:
        """Save ``loaded`` as a new workspace named ``name`` (unique).

        ``listed=False`` saves a draft: it is in nobody's list and opens only through its id (the
        app keeps a person's unsaved upload this way, so a refresh does not lose it);
        :meth:`rename` with ``listed=True`` makes it a named workspace.

        ``follow_up_notes`` (``item_id, done, note`` as in a ``.cxw`` file) become the first version
        of those items. ``history_from`` (a workspace of this store that ``owner`` may open) gives the
        new workspace that workspace's follow-up items with their whole history instead ("Save as"
        keeps who did what, when).
        """
        clean_name = _clean_text(name, MAX_NAME_CHARS)
        if not clean_name:
            raise InvalidParameterError("error.store_workspace_name")
        name = clean_name
        workspace_id, dataset_key, now = uuid.uuid4().hex, uuid.uuid4().hex[:12], _now()
        self.datasets.write(workspace_id, dataset_key, loaded)
        row = {
            "id": workspace_id,
            "name": name,
            "owner": _clean_text(owner, MAX_PERSON_CHARS),
            "shared_with": json.dumps(_people(shared_with)),
            "listed": bool(listed),
            "dataset": str(dataset)[:MAX_NAME_CHARS],
            "dataset_key": dataset_key,
            "meta": json.dumps(meta_of(loaded), ensure_ascii=False),
            "settings": json.dumps(
                _settings(role_weights, driver_catalogue, score_weights), ensure_ascii=False, default=str
            ),
            "responses": len(loaded.survey.responses),
            "created_at": now,
            "created_by": _clean_text(by, MAX_PERSON_CHARS),
            "updated_at": now,
        }
        source = self._row(history_from, owner).id if history_from else None
        try:
            with self._tx() as con:
                con.execute(insert(workspaces).values(**row))
                if source is not None:
                    _copy_follow_up(con, source, workspace_id)
                    follow_up_notes = None
                    from ._codebooks import copy_codebook

                    copy_codebook(con, source, workspace_id)
                for item_id, done, note in _notes_rows(follow_up_notes):
                    values = {"done": done, "note": _clean_text(note, MAX_NOTE_CHARS), "owner": None, "due_date": None}
                    _write_item(con, workspace_id, item_id, values, 0, by, now, {"imported": True})
        except IntegrityError:
            self.datasets.delete(workspace_id)
            raise WorkspaceExistsError("error.store_workspace_exists", name=name) from None
        except BaseException:
            self.datasets.delete(workspace_id)
            raise
        return _info(row)

    def replace_dataset(
        self, ref: str, loaded: LoadedData, *, dataset: str = "upload", user: str | None = None
    ) -> WorkspaceInfo:
        """Load new data into a workspace; follow-up items stay attached to their response or account."""
        row = self._row(ref, user)
        dataset_key = uuid.uuid4().hex[:12]
        self.datasets.write(row.id, dataset_key, loaded)
        with self._tx() as con:
            con.execute(
                update(workspaces)
                .where(workspaces.c.id == row.id)
                .values(
                    dataset=str(dataset)[:MAX_NAME_CHARS],
                    dataset_key=dataset_key,
                    meta=json.dumps(meta_of(loaded), ensure_ascii=False),
                    responses=len(loaded.survey.responses),
                    updated_at=_now(),
                )
            )
        self.datasets.delete(row.id, keep=dataset_key)
        return self.get_workspace(row.id, user)

    def open_workspace(self, ref: str, user: str | None = None) -> StoredWorkspace:
        """A saved workspace with its data set and settings."""
        row = self._row(ref, user)
        meta = json.loads(row.meta)
        loaded = self.datasets.read(row.id, row.dataset_key, meta)
        settings = json.loads(row.settings or "{}")
        return StoredWorkspace(
            info=_info(row),
            loaded=loaded,
            role_weights=settings.get("role_weights"),
            driver_catalogue=settings.get("driver_catalogue"),
            score_weights=settings.get("score_weights"),
        )

    def save_settings(
        self,
        ref: str,
        *,
        role_weights: Any = UNSET,
        driver_catalogue: Any = UNSET,
        score_weights: Any = UNSET,
        user: str | None = None,
    ) -> None:
        """Keep the workspace's role weights, driver catalogue and/or score weights (the latest save wins)."""
        with self._tx() as con:
            row = self._row(ref, user, con)
            settings = json.loads(row.settings or "{}")
            if role_weights is not UNSET:
                settings["role_weights"] = role_weights
            if driver_catalogue is not UNSET:
                settings["driver_catalogue"] = driver_catalogue
            if score_weights is not UNSET:
                settings["score_weights"] = score_weights
            con.execute(
                update(workspaces)
                .where(workspaces.c.id == row.id)
                .values(settings=json.dumps(_settings(**settings), ensure_ascii=False, default=str))
            )

    def settings(self, ref: str, user: str | None = None) -> dict:
        return json.loads(self._row(ref, user).settings or "{}")

    def rename(self, ref: str, name: str, *, listed: bool = True, user: str | None = None) -> WorkspaceInfo:
        """Give a workspace a new (unique) name; ``listed`` puts a draft into the list."""
        clean_name = _clean_text(name, MAX_NAME_CHARS)
        if not clean_name:
            raise InvalidParameterError("error.store_workspace_name")
        name = clean_name
        row = self._row(ref, user)
        try:
            with self._tx() as con:
                con.execute(
                    update(workspaces)
                    .where(workspaces.c.id == row.id)
                    .values(name=name, listed=bool(listed), updated_at=_now())
                )
        except IntegrityError:
            raise WorkspaceExistsError("error.store_workspace_exists", name=name) from None
        return self.get_workspace(row.id, user)

    def delete_drafts(self, older_than: dt.timedelta) -> int:
        """Delete the drafts (unlisted workspaces) unchanged for ``older_than``; returns how many."""
        cutoff = _now() - older_than
        with self._tx() as con:
            ids = (
                con.execute(
                    select(workspaces.c.id).where(workspaces.c.listed.is_(False), workspaces.c.updated_at < cutoff)
                )
                .scalars()
                .all()
            )
        for workspace_id in ids:
            self.delete_workspace(workspace_id, by="id")
        return len(ids)

    def delete_orphan_datasets(self, older_than: dt.timedelta = ORPHAN_AGE) -> int:
        """Delete data set folders no workspace points to, untouched for ``older_than``; returns
        how many. A process killed while creating a workspace (or loading new data into one)
        leaves its data set behind without a workspace row. The folders are listed before the
        rows are read, and a folder changed within ``older_than`` is left alone, so a workspace
        being created by another process at that moment is never touched."""
        folders = self.datasets.folders()
        with self._tx() as con:
            live = {r.id: r.dataset_key for r in con.execute(select(workspaces.c.id, workspaces.c.dataset_key)).all()}
        cutoff = _now() - older_than
        deleted = 0
        for workspace_id, keys in folders.items():
            if workspace_id not in live:
                if self.datasets.changed_before(workspace_id, None, cutoff):
                    self.datasets.delete(workspace_id)
                    deleted += 1
                continue
            for key in keys:
                if key != live[workspace_id] and self.datasets.changed_before(workspace_id, key, cutoff):
                    self.datasets.delete_dataset(workspace_id, key)
                    deleted += 1
        self.datasets.prune_cache(live)  # this machine's copies of an object store's data sets
        return deleted

    def share(self, ref: str, shared_with: Iterable[str], *, user: str | None = None) -> WorkspaceInfo:
        """Set who else may open the workspace (only its owner may)."""
        row = self._row(ref, user)
        _require_owner(_info(row), user)
        with self._tx() as con:
            con.execute(
                update(workspaces).where(workspaces.c.id == row.id).values(shared_with=json.dumps(_people(shared_with)))
            )
        return self.get_workspace(row.id, user)

    def delete_workspace(self, ref: str, *, user: str | None = None, by: str = "any") -> WorkspaceInfo:
        """Delete a workspace, its follow-up record and every data set file of it.

        ``by="name"`` matches names only (``workspace delete --name``), ``by="id"`` ids only.
        """
        row = self._row(ref, user, by=by)
        info = _info(row)
        _require_owner(info, user)
        with self._tx() as con:
            con.execute(delete(follow_up_history).where(follow_up_history.c.workspace_id == row.id))
            con.execute(delete(follow_up_items).where(follow_up_items.c.workspace_id == row.id))
            con.execute(delete(ask_questions).where(ask_questions.c.workspace_id == row.id))
            con.execute(delete(codebook_versions).where(codebook_versions.c.workspace_id == row.id))
            con.execute(delete(workspaces).where(workspaces.c.id == row.id))
        self.datasets.delete(row.id)
        return info

    # --- questions asked (the Ask page) ---------------------------------------------------------

    def add_question(self, ref: str, question: str, lang: str, *, user: str | None = None) -> None:
        """Remember a question asked of a workspace (its text only, at most 500 characters)."""
        text = _clean_text(question, MAX_QUESTION_CHARS)
        if not text:
            return
        with self._tx() as con:
            row = self._row(ref, user, con)
            con.execute(
                insert(ask_questions).values(
                    workspace_id=row.id, question=text, lang=str(lang)[:8], asked_at=_now(), asked_by=user
                )
            )

    def recent_questions(self, ref: str, limit: int = 10, *, user: str | None = None) -> list[str]:
        """The workspace's latest distinct questions, newest first."""
        with self._tx() as con:
            row = self._row(ref, user, con)
            rows = con.execute(
                select(ask_questions.c.question)
                .where(ask_questions.c.workspace_id == row.id)
                .order_by(ask_questions.c.id.desc())
                .limit(max(1, int(limit)) * 5)
            ).all()
        return list(dict.fromkeys(r.question for r in rows))[: max(1, int(limit))]

    # --- follow-up --------------------------------------------------------------------------------

    def follow_up(self, ref: str, user: str | None = None) -> dict[str, FollowUpRecord]:
        """Every saved follow-up item of a workspace, by item id."""
        with self._tx() as con:
            row = self._row(ref, user, con)
            rows = con.execute(select(follow_up_items).where(follow_up_items.c.workspace_id == row.id)).all()
        return {r.item_id: _record(r) for r in rows}

    def follow_up_history(self, ref: str, item_id: str | None = None, user: str | None = None) -> list[HistoryEntry]:
        """The changes of a workspace's items (of one item with ``item_id``), oldest first."""
        with self._tx() as con:
            row = self._row(ref, user, con)
            query = select(follow_up_history).where(follow_up_history.c.workspace_id == row.id)
            if item_id is not None:
                query = query.where(follow_up_history.c.item_id == item_id)
            rows = con.execute(query.order_by(follow_up_history.c.id)).all()
        return [HistoryEntry(r.item_id, r.version, _utc(r.at), r.by, json.loads(r.changes)) for r in rows]

    def update_follow_up(
        self,
        ref: str,
        item_id: str,
        *,
        expected_version: int | None,
        by: str | None,
        done: Any = UNSET,
        note: Any = UNSET,
        owner: Any = UNSET,
        due_date: Any = UNSET,
        user: str | None = None,
    ) -> FollowUpRecord:
        """Change one item; returns it as saved.

        ``expected_version`` is the version the edit started from: when someone saved the item
        since, nothing is written and :class:`FollowUpConflictError` carries both versions.
        ``None`` applies the given fields on top of whatever is saved (scripts); the history keeps
        every earlier value either way.
        """
        if not isinstance(item_id, str) or not item_id.strip():
            raise InvalidParameterError("error.store_item_id")
        wanted = _clean_changes(done, note, owner, due_date)
        workspace_id = self._row(ref, user).id
        for _attempt in range(20):
            try:
                with self._tx() as con:
                    current = _read_item(con, workspace_id, item_id)
                    base = current.version
                    if expected_version is not None and expected_version != base:
                        raise _VersionRaceError
                    values = current.values() | wanted
                    changes = {k: [_json_value(current.values()[k]), _json_value(v)] for k, v in wanted.items()}
                    changes = {k: pair for k, pair in changes.items() if pair[0] != pair[1]}
                    if not changes:
                        return current
                    now = _now()
                    saved = _write_item(con, workspace_id, item_id, values, base, by, now, changes)
                    con.execute(update(workspaces).where(workspaces.c.id == workspace_id).values(updated_at=now))
                    return saved
            except (_VersionRaceError, IntegrityError):
                if expected_version is None:
                    continue  # a script's edit: apply it on top of the newer version
                theirs = self.follow_up(workspace_id).get(item_id, FollowUpRecord(item_id))
                raise FollowUpConflictError(
                    "error.store_follow_up_conflict",
                    item_id=item_id,
                    mine=wanted,
                    theirs=theirs,
                ) from None
        raise StoreError("error.store_follow_up_busy")


def _engine(config: StoreConfig) -> Engine:
    try:
        if config.embedded:
            config.data_dir.mkdir(parents=True, exist_ok=True)
            engine = create_engine(config.database_url, connect_args={"timeout": 30})

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_connection, _record):
                # SQLAlchemy opens the transactions itself (BEGIN IMMEDIATE below): a deferred
                # transaction that later wants to write can fail at once under a second writer
                # instead of waiting for the busy timeout.
                dbapi_connection.isolation_level = None
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=30000")
                cursor.close()

            @event.listens_for(engine, "begin")
            def _on_begin(connection):
                connection.exec_driver_sql("BEGIN IMMEDIATE")

            return engine
        return create_engine(config.database_url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    except OSError as exc:
        raise StoreError("error.store_data_dir", path=str(config.data_dir), detail=str(exc)) from None
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError("error.store_database_url", detail=str(exc)) from None


def _info(row) -> WorkspaceInfo:
    get = row._mapping.get if hasattr(row, "_mapping") else row.get
    return WorkspaceInfo(
        id=get("id"),
        name=get("name"),
        owner=get("owner"),
        shared_with=tuple(json.loads(get("shared_with") or "[]")),
        listed=bool(get("listed")),
        dataset=get("dataset"),
        responses=int(get("responses")),
        created_at=_utc(get("created_at")),
        created_by=get("created_by"),
        updated_at=_utc(get("updated_at")),
    )


def _record(row) -> FollowUpRecord:
    return FollowUpRecord(
        item_id=row.item_id,
        done=bool(row.done),
        note=row.note,
        owner=row.owner,
        due_date=row.due_date,
        version=int(row.version),
        updated_at=_utc_or_none(row.updated_at),
        updated_by=row.updated_by,
    )


def _read_item(con, workspace_id: str, item_id: str) -> FollowUpRecord:
    row = con.execute(
        select(follow_up_items).where(
            follow_up_items.c.workspace_id == workspace_id, follow_up_items.c.item_id == item_id
        )
    ).first()
    return _record(row) if row is not None else FollowUpRecord(item_id)


def _copy_follow_up(con, source_id: str, target_id: str) -> None:
    """Copy every follow-up item of one workspace, with its history, to another."""
    items = con.execute(select(follow_up_items).where(follow_up_items.c.workspace_id == source_id)).mappings().all()
    if items:
        con.execute(insert(follow_up_items), [{**dict(item), "workspace_id": target_id} for item in items])
    history = (
        con.execute(
            select(follow_up_history)
            .where(follow_up_history.c.workspace_id == source_id)
            .order_by(follow_up_history.c.id)
        )
        .mappings()
        .all()
    )
    if history:
        rows = [{k: v for k, v in dict(h).items() if k != "id"} | {"workspace_id": target_id} for h in history]
        con.execute(insert(follow_up_history), rows)


def _write_item(con, workspace_id, item_id, values, base_version, by, now, changes) -> FollowUpRecord:
    by = _clean_text(by, MAX_PERSON_CHARS)
    version = base_version + 1
    stored = {**values, "version": version, "updated_at": now, "updated_by": by}
    if base_version == 0:
        con.execute(insert(follow_up_items).values(workspace_id=workspace_id, item_id=item_id, **stored))
    else:
        result = con.execute(
            update(follow_up_items)
            .where(
                follow_up_items.c.workspace_id == workspace_id,
                follow_up_items.c.item_id == item_id,
                follow_up_items.c.version == base_version,
            )
            .values(**stored)
        )
        if result.rowcount != 1:
            raise _VersionRaceError
    con.execute(
        insert(follow_up_history).values(
            workspace_id=workspace_id,
            item_id=item_id,
            version=version,
            at=now,
            by=by,
            changes=json.dumps(changes, ensure_ascii=False, default=str),
        )
    )
    return FollowUpRecord(item_id=item_id, **stored)


def _people(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        text = _clean_text(name, MAX_PERSON_CHARS)
        if text:
            seen.setdefault(text.casefold(), text)
    return list(seen.values())


def _settings(role_weights: Any = None, driver_catalogue: Any = None, score_weights: Any = None) -> dict:
    if isinstance(driver_catalogue, pd.DataFrame):
        driver_catalogue = driver_catalogue.to_dict("records")
    if role_weights is not None:
        role_weights = {str(k): float(v) for k, v in dict(role_weights).items()}
    settings = {"role_weights": role_weights, "driver_catalogue": driver_catalogue}
    if isinstance(score_weights, dict):  # absent in workspaces saved before weights could be chosen
        settings["score_weights"] = json.loads(json.dumps(score_weights, default=str))
    return settings


def _notes_rows(frame: pd.DataFrame | None) -> list[tuple[str, bool, str | None]]:
    if frame is None or frame.empty or "item_id" not in frame.columns:
        return []
    rows = []
    for record in frame.to_dict("records"):
        done = record.get("done")
        done = str(done).strip().lower() in ("true", "1", "yes") if not isinstance(done, bool) else done
        rows.append((str(record["item_id"]), bool(done), record.get("note")))
    return rows


def _require_owner(info: WorkspaceInfo, user: str | None) -> None:
    if user is not None and info.owner is not None and not _same_person(info.owner, user):
        raise InvalidParameterError("error.store_owner_only")
