"""What a table column holds (its kind), and the one way a cell of each kind is written.

A report section declares the kind of each of its columns (:class:`Column`); the page, presenter
mode, the HTML and PPTX reports and the CLI all write cells with :func:`format_cell`, so a number
reads the same on screen, on a slide and in a file, in either language. Nothing guesses a format
from a column's header (a header is translated text: Japanese headers slipped through guesses).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from .i18n_format import format_date, format_number, p_relation
from .labels import code_label

MISSING = "—"


class ColumnKind(StrEnum):
    """What the values of a column are, which decides how each is written."""

    #: NPS points, and differences or signed counts in points (gaps, impacts, changes): ``+12``, ``-5``, ``0``.
    #: A whole number: an NPS of 23.17 claims a precision a survey does not have.
    NPS = "nps"
    #: A mean rating on its scale (CSAT 1-5, a driver 1-7, a 0-10 mean): ``4.27``.
    SCORE = "score"
    #: A difference of mean ratings: ``+0.35``, ``-0.12``.
    SCORE_CHANGE = "score_change"
    #: A share on the 0-100 scale: ``45%`` (``4.7%`` below 10%, where a whole number hides the difference).
    SHARE = "share"
    #: A count (answers, accounts, comments, ranks, days): ``1,234``.
    COUNT = "count"
    #: An amount of money, whole units: ``1,454,300`` (the currency is said in the header).
    MONEY = "money"
    #: Any other quantity, to one decimal: ``3.4``.
    NUMBER = "number"
    #: A p-value: ``< 0.001``, ``0.012``.
    P_VALUE = "p_value"
    #: Yes/no: ``✓`` or nothing.
    FLAG = "flag"
    #: A date: ``1 Oct 2026`` / ``2026年10月1日``.
    DATE = "date"
    #: A code of the data or the app (a role, a stage, a segment, a side, a need) in the reader's words.
    CODE = "code"
    #: Text from the data or written by the app (names, comments, composed cells), shown as it is.
    TEXT = "text"


#: Kinds whose cells are numbers (aligned right, so digits line up).
NUMERIC_KINDS = frozenset(
    {
        ColumnKind.NPS,
        ColumnKind.SCORE,
        ColumnKind.SCORE_CHANGE,
        ColumnKind.SHARE,
        ColumnKind.COUNT,
        ColumnKind.MONEY,
        ColumnKind.NUMBER,
        ColumnKind.P_VALUE,
    }
)


@dataclass(frozen=True)
class Column:
    """A table column: its header (in the reader's language) and the kind of its values.

    ``row_kinds`` is for the rare table whose rows are different measures (the headline: NPS in
    the first row, CSAT means below): row ``i`` is written as ``row_kinds[i]``.
    """

    header: str
    kind: ColumnKind
    row_kinds: tuple[ColumnKind, ...] = ()

    def kind_at(self, row: int) -> ColumnKind:
        return self.row_kinds[row] if row < len(self.row_kinds) else self.kind

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS and all(k in NUMERIC_KINDS for k in self.row_kinds)


def is_missing(value) -> bool:
    """``None``, NaN, ``pd.NA`` or ``NaT``."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)  # NaN-likes (numpy, pandas NA/NaT) are not equal to themselves
    except (TypeError, ValueError):  # pd.NA raises on bool()
        return True


def _share(value: float, lang: str) -> str:
    digits = 1 if 0 < abs(value) < 9.95 else 0  # "8.0%" beside "6.6%" in a column, not "8%"
    return f"{format_number(value, lang, digits=digits)}%"


def format_cell(value, kind: ColumnKind, lang: str) -> str:
    """One table cell as text in ``lang``: the one formatter of the page, slides, HTML, PPTX and CLI.

    Missing values are ``—`` (a yes/no is blank); a value that is already text in a numeric column
    (a ``—`` from the data) is shown as it is.

    >>> format_cell(12.4, ColumnKind.NPS, "en"), format_cell(4.266, ColumnKind.SCORE, "ja")
    ('+12', '4.27')
    >>> format_cell(45.2, ColumnKind.SHARE, "en"), format_cell(1234, ColumnKind.COUNT, "ja"), format_cell(None, ColumnKind.COUNT, "en")
    ('45%', '1,234', '—')
    >>> format_cell("mid-market", ColumnKind.CODE, "ja"), format_cell(True, ColumnKind.FLAG, "en")
    ('中堅企業', '✓')
    """
    if kind is ColumnKind.FLAG:
        return "✓" if not is_missing(value) and bool(value) and value not in ("False", "0") else ""
    if is_missing(value):
        return MISSING
    if kind is ColumnKind.TEXT:
        return str(value)
    if kind is ColumnKind.CODE:
        return str(code_label(str(value), lang))
    if kind is ColumnKind.DATE:
        if isinstance(value, (dt.date, str)):
            return format_date(value, lang)
        return str(value)
    if isinstance(value, str) or isinstance(value, bool):
        return str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if kind is ColumnKind.NPS:
        return format_number(number, lang, sign=True)
    if kind is ColumnKind.SCORE:
        return format_number(number, lang, digits=2)
    if kind is ColumnKind.SCORE_CHANGE:
        return format_number(number, lang, digits=2, sign=True)
    if kind is ColumnKind.SHARE:
        return _share(number, lang)
    if kind in (ColumnKind.COUNT, ColumnKind.MONEY):
        return format_number(number, lang)
    if kind is ColumnKind.P_VALUE:
        return p_relation(number).removeprefix("= ")
    return format_number(number, lang, digits=1)
