"""Names for the extra grouping columns a person maps (``Product line``, ``Plan__c``, ``プラン``).

An extra dimension becomes a column of the ``responses`` or ``accounts`` table, and so of the
``facts`` view, where the sidebar filters and the Segments page find it. Its name is the source
header made readable (no control characters, collapsed spaces, bounded length), and made unique:
it never equals a canonical column, a column the app computes, a name the sidebar uses in the
link or its widget keys, or another extra dimension (compared case-insensitively, as DuckDB
compares identifiers). Names only ever reach SQL through ``quote_ident``; these rules keep them
from *meaning* something else.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..schema import CRM_FIELDS, DIMENSIONS, SURVEY_FIELDS

MAX_NAME_CHARS = 60

# Columns of responses, accounts and the facts view besides the mapped fields, the driver tables'
# columns, and the names the sidebar keeps in the link (?date_from=...) and in widget keys
# (sidebar_dates, sidebar_min_n); "lang", "present" and "slide" are the presenter's link keys.
_COMPUTED = (
    "account_key",
    "role_label",
    "source_row",
    "crm_matched",
    "is_promoter",
    "is_detractor",
    "driver",
    "score",
    "key",
    "label",
    "need",
    "category",
    "scale_min",
    "scale_max",
    "file_kind",
    "row",
    "reason",
    "rowid",
)
_LINK_AND_WIDGETS = ("date_from", "date_to", "min_n", "dates", "lang", "present", "slide", "page")


def reserved_names() -> frozenset[str]:
    """Case-folded names an extra dimension may never take."""
    from ..messages import catalogue  # local import: the catalogue loads every message module

    dim_messages = {key[len("dim.") :] for key in catalogue() if key.startswith("dim.")}
    names = (*SURVEY_FIELDS, *CRM_FIELDS, *DIMENSIONS, *_COMPUTED, *_LINK_AND_WIDGETS, *dim_messages)
    return frozenset(n.casefold() for n in names)


def readable_name(header: object, fallback: str = "column") -> str:
    """A header as a short, printable, single-line name (``fallback`` when nothing is left)."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(header or ""))
    text = " ".join(text.split())
    if len(text) > MAX_NAME_CHARS:
        text = text[: MAX_NAME_CHARS - 1].rstrip() + "…"
    return text or fallback


def dimension_names(requested: Iterable[object], taken: Iterable[str] = (), source: str = "") -> list[str]:
    """Safe, unique, readable names for the requested dimension names, in order.

    ``taken`` holds names already in use (e.g. the survey's extra dimensions when naming the
    CRM's). A clash is told apart by ``source`` ("survey", "CRM") and then a counter.

    >>> dimension_names(["Product line", "nps", "product LINE", 'x"; DROP TABLE t; --'], source="survey")
    ['Product line', 'nps (survey)', 'product LINE (survey)', 'x"; DROP TABLE t; --']
    """
    used = set(reserved_names()) | {str(t).casefold() for t in taken}
    names = []
    for i, wanted in enumerate(requested):
        base = readable_name(wanted, f"column {i + 1}")
        name, k = base, 1 if source else 2
        while name.casefold() in used:
            suffix = f" ({source})" if source and k == 1 else f" ({source} {k})" if source else f" ({k})"
            name = base[: MAX_NAME_CHARS - len(suffix)].rstrip() + suffix
            k += 1
        used.add(name.casefold())
        names.append(name)
    return names
