"""Which columns of the loaded data can be filtered and grouped by: derived from the data itself.

The canonical dimensions (segment, industry, region, role, journey stage, touchpoint, survey type,
owner) come first; any other text column of the ``facts`` view with a handful of distinct values
(a categorical column the person mapped) follows. Identifier and free-text columns never qualify.
"""

from __future__ import annotations

import datetime as dt

from ..filters import Filters, is_dimension_name
from ..metrics import check_filters, checked_dimension, text_columns
from ..schema import DIMENSIONS
from ..shared_views import shared_view
from ..sql import checked_column, quote_ident, run_rows
from ..workspace import Workspace

__all__ = [
    "MAX_LEVELS",
    "available_dimensions",
    "check_filters",
    "checked_dimension",
    "date_span",
    "dimension_values",
    "has_answers",
    "text_columns",
]

# A column with more distinct values than this is treated as free text or an identifier.
MAX_LEVELS = 200
# Distinct values counted in one query (the memory of a query grows with its count(DISTINCT)s).
_COUNTED_PER_QUERY = 8


def available_dimensions(ws: Workspace, *, max_levels: int = MAX_LEVELS) -> list[str]:
    """Dimensions with at least two values in the loaded data, canonical ones first.

    >>> available_dimensions(ws)  # doctest: +SKIP
    ['segment', 'industry', 'region', 'respondent_role', 'journey_stage', 'touchpoint', 'survey_type', 'owner']
    """
    return shared_view(ws, "available_dimensions", max_levels, lambda: _available_dimensions(ws, max_levels))


def _available_dimensions(ws: Workspace, max_levels: int) -> list[str]:
    candidates = [c for c in text_columns(ws) if is_dimension_name(c)]
    if not candidates:
        return []
    counts: list[int] = []
    # Each count(DISTINCT) holds its own hash tables: forty-five of them in one query exhausted a
    # session's 256 MiB on a 47-row file, so a few columns are counted per query.
    for start in range(0, len(candidates), _COUNTED_PER_QUERY):
        chunk = candidates[start : start + _COUNTED_PER_QUERY]
        row = run_rows(
            ws.con, "SELECT " + ", ".join(f"count(DISTINCT {quote_ident(c)})" for c in chunk) + " FROM facts"
        )
        counts += [int(k or 0) for k in row[0]]
    usable = {c for c, k in zip(candidates, counts, strict=True) if 2 <= k <= max_levels}
    canonical = [d for d in DIMENSIONS if d in usable]
    extra = sorted(usable - set(DIMENSIONS))
    return canonical + extra


def dimension_values(ws: Workspace, dimension: str, filters: Filters | None = None) -> list[str]:
    """The distinct non-empty values of one dimension, sorted (of the ``filters``' answers when given)."""
    return shared_view(ws, "dimension_values", (dimension, filters), lambda: _dimension_values(ws, dimension, filters))


def _dimension_values(ws: Workspace, dimension: str, filters: Filters | None) -> list[str]:
    column = checked_dimension(ws, dimension)
    params: dict = {}
    where = (filters or Filters()).where(params, extra=[f"{column} IS NOT NULL"])
    return [str(r[0]) for r in run_rows(ws.con, f"SELECT DISTINCT {column} FROM facts {where} ORDER BY 1", params)]


def date_span(ws: Workspace) -> tuple[dt.date | None, dt.date | None]:
    """The first and last answer day of the loaded data (``(None, None)`` when no answer has a date)."""
    return shared_view(ws, "date_span", None, lambda: _date_span(ws))


def _date_span(ws: Workspace) -> tuple[dt.date | None, dt.date | None]:
    first, last = run_rows(ws.con, "SELECT min(submitted_at)::DATE, max(submitted_at)::DATE FROM facts")[0]
    return first, last


def has_answers(ws: Workspace, metric: str) -> bool:
    """True when at least one response has a ``metric`` (``nps``, ``csat`` or ``ces``) answer."""
    column = checked_column(metric, ("nps", "csat", "ces"))
    return bool(run_rows(ws.con, f"SELECT count({column}) FROM responses")[0][0])
