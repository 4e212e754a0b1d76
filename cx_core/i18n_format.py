"""Numbers, dates and filter descriptions written the way each language writes them.

English: ``4,856`` · ``+12`` · ``1 Oct 2026``. Japanese: ``4,856`` · ``+12`` · ``2026年10月1日``.
Chart titles, report slides and pages all format through here, so a number reads the same
everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Protocol

from .messages import t


class Described(Protocol):
    """Anything that says itself in words (a :class:`cx_core.filters.Filters`): this module sits
    below ``filters``, which writes its dates with :func:`format_date`."""

    def describe(self, lang: str) -> str: ...


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | int | None, lang: str, *, digits: int = 0, sign: bool = False) -> str:
    """``4856`` -> ``4,856``; ``digits`` decimals; ``sign`` adds ``+`` to positive values; ``—`` when missing.

    Both languages group thousands with a comma (the Japanese business convention).

    >>> format_number(4856.0, "en"), format_number(12.345, "en", digits=1, sign=True), format_number(None, "en")
    ('4,856', '+12.3', '—')
    """
    if value is None or _missing(value):
        return "—"
    rounded = round(float(value), digits) or 0.0  # "or": -0.0 becomes 0.0, never "-0"
    return f"{rounded:{'+' if sign and rounded else ''},.{digits}f}"


def format_interval(ci, lang: str, *, digits: int = 0, sign: bool = False) -> str:
    """A 95% interval as the app writes it everywhere (``95% CI 0 to 12``); empty when there is none.

    Bounds go through :func:`format_number`, so a bound that rounds to zero shows as ``0``, never ``-0``.

    >>> format_interval((-0.4, 12.2), "en")
    '95% CI 0 to 12'
    """
    if not ci:
        return ""
    low, high = (format_number(bound, lang, digits=digits, sign=sign) for bound in ci)
    return t("metric.ci", lang, low=low, high=high)


def format_percent(value: float | None, lang: str, *, digits: int = 0) -> str:
    """A share on the 0-100 scale: ``42%`` (both languages)."""
    if _missing(value):
        return "—"
    return f"{format_number(value, lang, digits=digits)}%"


def format_date(value: dt.date | dt.datetime | str | None, lang: str) -> str:
    """``1 Oct 2026`` in English, ``2026年10月1日`` in Japanese; ``—`` when missing.

    >>> format_date("2026-10-01", "ja"), format_date(dt.date(2026, 10, 1), "en")
    ('2026年10月1日', '1 Oct 2026')
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if lang == "ja":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def format_date_range(first, last, lang: str) -> str:
    """``1 Oct 2026 – 31 Dec 2026`` / ``2026年10月1日〜2026年12月31日``."""
    joiner = "〜" if lang == "ja" else " – "
    return f"{format_date(first, lang)}{joiner}{format_date(last, lang)}"


def describe_filters(filters: Described, lang: str) -> str:
    """The filters in words, in ``lang`` (same as :meth:`cx_core.filters.Filters.describe`)."""
    return filters.describe(lang)


def chart_title(finding: str, n: int | None, filters: Described | str, lang: str) -> str:
    """A title that states the finding, the n and the filters, for charts, slides and sections.

    ``filters`` is a :class:`~cx_core.filters.Filters` or an already written description.

    >>> from cx_core.filters import Filters
    >>> chart_title("SMB is 30 points behind", 4856, Filters(), "en")
    'SMB is 30 points behind (n = 4,856 · all responses)'
    """
    return t("present.chart_title", lang, finding=finding, detail=title_detail(n, filters, lang))


def title_detail(n: int | None, filters: Described | str, lang: str) -> str:
    """The ``n = 4,856 · Segment: SMB`` part of a title (a chart's second title line)."""
    described = filters if isinstance(filters, str) else filters.describe(lang)
    n_text = t("metric.n", lang, n=format_number(n, lang)) if n is not None else ""
    return " · ".join(part for part in (n_text, described) if part)


def p_relation(p: float | None) -> str:
    """A p-value as the relation written after "p" in a sentence: ``< 0.001`` or ``= 0.012``.

    >>> p_relation(0.00002), p_relation(0.0123), p_relation(None)
    ('< 0.001', '= 0.012', '= —')
    """
    if p is None:
        return "= —"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"
