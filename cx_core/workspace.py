"""One DuckDB database per browser session (or CLI run), locked down after loading.

A :class:`Workspace` is created by the page layer for each session and kept in that session's
state; it is never shared between sessions (not in ``st.cache_resource``, not in a module global).
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from .capacity import session_database_settings
from .errors import NoDataError
from .ingest import InputReport, LoadedData
from .ingest.read_only import read_only_url, register_read_only
from .ingest.validate import ACCOUNT_COLUMNS, RESPONSE_COLUMNS
from .schema import Driver
from .sql import quote_ident

_TOKENS = itertools.count(1)  # a workspace's identity for memoised views (never reused, unlike id())

_FACTS_SQL = """
CREATE VIEW facts AS
SELECT
    r.*,
    a.account_name,
    coalesce(a.segment, '(not set)') AS segment,
    coalesce(a.industry, '(not set)') AS industry,
    coalesce(a.region, '(not set)') AS region,
    coalesce(a.owner, '(not set)') AS owner,
    a.arr,
    a.renewal_date,
    a.churned,
    a.account_key IS NOT NULL AS crm_matched,
    CASE WHEN r.nps >= 9 THEN 1 ELSE 0 END AS is_promoter,
    CASE WHEN r.nps <= 6 THEN 1 ELSE 0 END AS is_detractor{crm_dimensions}
FROM responses r
LEFT JOIN accounts a ON r.account_key = a.account_key
"""


class PerThreadConnection:
    """A DuckDB connection that gives each thread a cursor of its own.

    One ``DuckDBPyConnection`` must not be used by two threads at once: queries then fail ("connection
    is busy") or, worse, silently return another query's rows. Streamlit can run two scripts of the
    same session at the same time (a page switch starts the new run while the old one finishes its
    current query), so every thread gets its own cursor on the same in-memory database. Cursors share
    the tables and the locked-down configuration; temporary registrations are per cursor.
    """

    def __init__(self, root: duckdb.DuckDBPyConnection):
        self._root = root
        self._local = threading.local()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._root.cursor()  # raises once the workspace is closed
            self._local.cursor = cursor  # dropped (and closed) when the thread ends
        return cursor

    def __getattr__(self, name: str):
        return getattr(self._cursor(), name)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._root.cursor()

    def close(self) -> None:
        """Close this thread's cursor and the database connection itself."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is not None:
            cursor.close()
        self._root.close()


def extra_columns(frame: pd.DataFrame, canonical: tuple[str, ...]) -> list[str]:
    """The extra grouping columns of a responses or accounts frame (those not canonical)."""
    return [str(c) for c in frame.columns if c not in canonical]


def _facts_sql(response_columns: list[str], crm_dimensions: list[str]) -> str:
    """The ``facts`` view, with the CRM's extra dimensions next to the canonical CRM columns.

    Extra names were made unique at validation; a name that still clashes with a responses
    column (case-insensitively, as DuckDB compares identifiers) is left out rather than shadowed.
    """
    taken = {c.casefold() for c in response_columns} | {
        "account_name",
        "segment",
        "industry",
        "region",
        "owner",
        "arr",
        "renewal_date",
        "churned",
        "crm_matched",
        "is_promoter",
        "is_detractor",
    }
    parts = []
    for name in crm_dimensions:
        if name.casefold() in taken:
            continue
        taken.add(name.casefold())
        parts.append(f",\n    coalesce(a.{quote_ident(name)}, '(not set)') AS {quote_ident(name)}")
    return _FACTS_SQL.format(crm_dimensions="".join(parts))


@dataclass
class Workspace:
    """A session's private DuckDB connection with the canonical tables.

    Tables: ``responses``, ``accounts`` (empty without a CRM file), ``ratings`` (long driver
    ratings), ``drivers`` (the catalogue), ``rejected`` (every rejected row with its reason),
    ``answers`` (every answer to every open question: response_id, question, column, text),
    and the view ``facts`` (responses joined to accounts). The extra grouping columns a person
    mapped (``Product line``, ``Tier__c``...) are text columns of ``responses`` / ``accounts`` and
    of ``facts``, so the filters and the Segments page find them.
    """

    con: PerThreadConnection | duckdb.DuckDBPyConnection
    reports: list[InputReport] = field(default_factory=list)
    drivers: list[Driver] = field(default_factory=list)
    has_crm: bool = False
    loaded: LoadedData | None = None
    token: int = field(default_factory=lambda: next(_TOKENS))
    """Unique per workspace in this process: with :attr:`version`, names the data a view was computed on."""
    version: int = 0
    """Bumped by :meth:`touch` whenever the database changes after loading (notes, restored tables)."""

    @classmethod
    def from_loaded(
        cls, loaded: LoadedData, *, memory_limit: str | None = None, threads: int | None = None
    ) -> Workspace:
        """Create a fresh in-memory database holding ``loaded`` and lock it down.

        ``memory_limit`` and ``threads`` default to this server's share per session
        (:func:`cx_core.capacity.session_database_settings`: its memory and cores over the configured
        number of sessions and processes).
        """
        if memory_limit is None or threads is None:
            planned_memory, planned_threads = session_database_settings()
            memory_limit = memory_limit or planned_memory
            threads = threads or planned_threads
        con = duckdb.connect(":memory:", config={"memory_limit": memory_limit, "threads": str(threads)})
        staged_path = getattr(loaded.survey, "path", None)  # a streamed survey (cx_core.ingest.stream)
        if staged_path is not None:
            # queried in place: attached read-only before the lock-down, never copied into memory
            register_read_only(con)
            con.execute("ATTACH ? AS staged_survey (READ_ONLY)", [staged_path])
            # its views read the staged Parquet files through cxro:// (never written: .ingest.read_only);
            # those addresses alone stay readable after the lock-down
            staged_files = [read_only_url(f) for f in getattr(loaded.survey, "files", [])]
            if staged_files:
                con.execute("SET allowed_paths = ?", [staged_files])
            for name in ("responses", "ratings", "answers"):
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM staged_survey.{name}")  # constants
            response_columns = [str(r[0]) for r in con.execute("DESCRIBE responses").fetchall()]
            responses = pd.DataFrame(columns=response_columns)
        else:
            responses = loaded.survey.responses
        accounts = (
            loaded.crm.accounts
            if loaded.crm is not None
            else pd.DataFrame({c: pd.Series(dtype=object) for c in ACCOUNT_COLUMNS})
        )
        if loaded.crm is None:
            accounts["arr"] = accounts["arr"].astype("float64")
        drivers = pd.DataFrame(
            [d.to_dict() for d in loaded.survey.drivers],
            columns=["key", "label", "need", "category", "scale_min", "scale_max"],
        )
        rejected = pd.DataFrame(
            [(r.kind, x.row, x.reason) for r in loaded.reports for x in r.rejected],
            columns=["file_kind", "row", "reason"],
        )
        answers = getattr(loaded.survey, "answers", None) if staged_path is None else None
        if answers is None and staged_path is None:
            from .ingest.validate import empty_answers  # noqa: PLC0415 - saved workspaces may lack answers

            answers = empty_answers()
        frames = {"accounts": accounts, "drivers": drivers, "rejected": rejected}
        if staged_path is None:
            frames.update({"answers": answers, "responses": responses, "ratings": loaded.survey.ratings})
        cases = getattr(loaded, "cases", None)
        if cases is not None:
            frames["cases"] = cases.cases  # support cases (cx_core.ingest.cases)
        for name, frame in frames.items():
            # Registered frames are read once into real tables, then unregistered: the database
            # must not keep references to Python objects of the loading code.
            con.register("_incoming", frame)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _incoming")  # name is a constant above
            con.unregister("_incoming")
        if staged_path is None:  # a streamed survey's tables were typed when staged
            for column in ("response_id", "question", "column", "text"):
                con.execute(f"ALTER TABLE answers ALTER {quote_ident(column)} TYPE VARCHAR")
            # NPS is optional: a column of only blanks has no type of its own
            con.execute("ALTER TABLE responses ALTER nps TYPE INTEGER USING TRY_CAST(nps AS INTEGER)")
            con.execute("ALTER TABLE responses ALTER submitted_at TYPE TIMESTAMP USING CAST(submitted_at AS TIMESTAMP)")
        con.execute("ALTER TABLE accounts ALTER renewal_date TYPE DATE USING TRY_CAST(renewal_date AS DATE)")
        con.execute("ALTER TABLE accounts ALTER churned TYPE BOOLEAN USING TRY_CAST(churned AS BOOLEAN)")
        survey_dimensions = extra_columns(responses, RESPONSE_COLUMNS)
        crm_dimensions = extra_columns(accounts, ACCOUNT_COLUMNS)
        # extra dimensions are text even when every cell is empty (a column of None has no type)
        for table, names in (
            ("responses", survey_dimensions if staged_path is None else []),
            ("accounts", crm_dimensions),
        ):
            for name in names:
                column = quote_ident(name)
                con.execute(f"ALTER TABLE {table} ALTER {column} TYPE VARCHAR USING CAST({column} AS VARCHAR)")
        con.execute(_facts_sql(list(responses.columns), crm_dimensions))
        lock_down(con)
        return cls(
            con=PerThreadConnection(con),
            reports=loaded.reports,
            drivers=list(loaded.survey.drivers),
            has_crm=loaded.crm is not None,
            loaded=loaded,
        )

    def touch(self) -> None:
        """Say the data changed (views memoised on the previous version are recomputed)."""
        self.version += 1

    def response_count(self) -> int:
        row = self.con.execute("SELECT count(*) FROM responses").fetchone()
        return int(row[0]) if row else 0

    def rejected_rows(self) -> pd.DataFrame:
        """Every rejected input row with its reason: ``file_kind``, ``row``, ``reason``."""
        return self.con.execute("SELECT file_kind, row, reason FROM rejected ORDER BY file_kind, row").df()

    def preview(self, limit: int = 20) -> pd.DataFrame:
        """The first ``limit`` loaded responses (every column but the internal account key)."""
        return self.con.execute(
            "SELECT * EXCLUDE (account_key) FROM responses LIMIT $limit", {"limit": max(0, int(limit))}
        ).df()

    def require_rows(self) -> None:
        if self.response_count() == 0:
            raise NoDataError("error.no_responses")

    def close(self) -> None:
        try:
            self.con.close()
        except duckdb.Error:  # already closed
            pass

    def release(self) -> None:
        """Close the database and drop the loaded data (its session ended: nothing of it may stay)."""
        self.close()
        self.loaded = None
        self.reports = []


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Forbid file and network access and freeze the configuration of ``con``.

    After this, a crafted value or header cannot make the database read or write a file on the
    server (``read_csv('/etc/passwd')``, ``COPY ... TO``, ``INSTALL``, ``ATTACH`` all fail).
    """
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")
