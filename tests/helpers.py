"""Small helpers shared by test modules (independent of the code under test)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@cache
def sample_response_count() -> int:
    """Rows of the committed sample survey, counted with the csv module (not our loader)."""
    with (ROOT / "sample_data" / "survey.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def postgres_admin_url() -> str:
    """The test PostgreSQL server (``CX_TEST_DATABASE_URL``, started by .ci/run or by hand with
    ``eval "$(tools/test_postgres.sh start)"``). Skips without it, unless ``CX_REQUIRE_POSTGRES=1``
    (CI) makes that a failure."""
    import os

    import pytest

    url = os.environ.get("CX_TEST_DATABASE_URL", "")
    if not url:
        reason = 'CX_TEST_DATABASE_URL is not set (start one: eval "$(tools/test_postgres.sh start)")'
        if os.environ.get("CX_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL tests are required here (CX_REQUIRE_POSTGRES=1): {reason}")
        pytest.skip(reason)
    return url


def fresh_postgres_database(admin_url: str) -> tuple[str, object]:
    """A new empty database on the test server: (its URL, a function that drops it)."""
    import uuid

    import psycopg

    name = f"cx_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(admin_url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')  # name: our own hex, not user input
    base, _, _ = admin_url.rpartition("/")

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


def unescape_md(text: str) -> str:
    """Text as a person reads it from Markdown that ``ui.widgets.render.md_escape`` escaped (AppTest gives the source)."""
    import re

    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~$])", r"\1", text).replace("\u2060", "")


def shown_number(cell: str) -> float:
    """A number as a page table shows it (``1,234``, ``+12``, ``45%``, ``3.42``) read back; ``—`` is NaN.

    Section tables reach the page as the text every edge writes, so tests read the text."""
    text = str(cell).replace(",", "").removesuffix("%").strip()
    return float("nan") if text in ("", "—") else float(text)
