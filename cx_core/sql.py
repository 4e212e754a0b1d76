"""The one place where SQL text is assembled.

Rules (see the Datasette style notes in the README):
- values are always passed as named parameters (``$name``), never formatted into SQL text;
- identifiers (table and column names) only ever go through :func:`quote_ident`;
- a column chosen by a person is checked against the real columns with :func:`checked_column`
  before it is quoted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .errors import InvalidParameterError


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB: wrap in double quotes and double any inner quote.

    >>> quote_ident('nps')
    '"nps"'
    >>> quote_ident('a"; DROP TABLE x; --')
    '"a""; DROP TABLE x; --"'
    """
    if not isinstance(name, str):
        raise InvalidParameterError("error.column_name")
    if "\x00" in name:
        raise InvalidParameterError("error.column_name")
    return '"' + name.replace('"', '""') + '"'


def checked_column(name: str, allowed: Iterable[str]) -> str:
    """Return ``quote_ident(name)`` if ``name`` is one of ``allowed``, else raise."""
    allowed = list(allowed)
    if name not in allowed:
        raise InvalidParameterError("error.not_a_column", name=str(name)[:60])
    return quote_ident(name)


def in_list(param_prefix: str, values: Sequence[Any], params: dict[str, Any]) -> str:
    """Render ``($p_0, $p_1, ...)`` for an IN clause and add the values to ``params``."""
    names = []
    for i, value in enumerate(values):
        key = f"{param_prefix}_{i}"
        params[key] = value
        names.append(f"${key}")
    return "(" + ", ".join(names) + ")" if names else "(NULL)"


def where_clause(conditions: Sequence[str]) -> str:
    """Join SQL conditions with AND; empty when there are none."""
    return ("WHERE " + " AND ".join(f"({c})" for c in conditions)) if conditions else ""


def run(con, sql: str, params: Mapping[str, Any] | None = None):
    """Execute ``sql`` with named parameters and return a pandas DataFrame."""
    return con.execute(sql, dict(params or {})).df()


def run_rows(con, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
    """Execute ``sql`` with named parameters and return the rows as tuples."""
    return con.execute(sql, dict(params or {})).fetchall()
