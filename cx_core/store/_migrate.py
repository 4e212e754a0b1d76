"""Bring the state database to the newest schema (Alembic), once per process and database.

Two processes starting at once must not both create the tables: PostgreSQL serialises them with
an advisory lock, SQLite with a lock file next to the database.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"
_ADVISORY_LOCK_ID = 7_140_001  # any constant: the id of "cx store migrations"
_done: set[str] = set()  # database URLs already migrated by this process (no user data)
_guard = threading.Lock()


@contextlib.contextmanager
def _file_lock(path: Path):
    import fcntl

    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(engine: Engine, lock_file: Path | None = None) -> None:
    """Upgrade ``engine``'s database to the newest revision (does nothing when it is already there)."""
    key = engine.url.render_as_string(hide_password=False)
    with _guard:
        if key in _done:
            return
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        lock = _file_lock(lock_file) if lock_file is not None else contextlib.nullcontext()
        with lock, engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _ADVISORY_LOCK_ID})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        _done.add(key)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
