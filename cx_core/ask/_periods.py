"""Periods said in words ("last quarter", "since April", "in 2025", "先月", "前四半期", "今年") as dates.

Every period is relative to an anchor day (the workspace's "today"), so the same question gives the
same dates in a test and on a given day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ._spec import Period

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "twelve": 12, "a": 1}


@dataclass(frozen=True)
class Found:
    """A period found in the text, with where it was said."""

    period: Period
    start: int
    end: int
    grain: str  # "quarter", "month", "year", "days", "open"


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_period(year: int, quarter: int, label: str) -> Period:
    first = dt.date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    return Period(label, first, dt.date(year, last_month, calendar.monthrange(year, last_month)[1]))


def month_period(year: int, month: int, label: str) -> Period:
    return Period(label, dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))


def year_period(year: int, label: str) -> Period:
    return Period(label, dt.date(year, 1, 1), dt.date(year, 12, 31))


def shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def previous_of(period: Period, grain: str) -> Period | None:
    """The period of the same length just before ``period`` ("the one before")."""
    if period.start is None or period.end is None:
        return None
    if grain == "quarter":
        year, quarter = quarter_of(period.start)
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        return quarter_period(year, quarter, f"{year}-Q{quarter}")
    if grain == "month":
        first = shift_months(period.start, -1)
        return month_period(first.year, first.month, f"{first.year}-{first.month:02d}")
    if grain == "year":
        return year_period(period.start.year - 1, str(period.start.year - 1))
    days = (period.end - period.start).days + 1
    return Period("previous", period.start - dt.timedelta(days=days), period.start - dt.timedelta(days=1))


def month_range(first: int, first_year: str | None, last: int, last_year: str | None, anchor: dt.date) -> Period:
    """From the first day of month ``first`` to the last day of month ``last`` (the latest such span)."""
    end_year = (
        int(last_year)
        if last_year
        else (int(first_year) + (last < first) if first_year else _latest_month(last, anchor))
    )
    start_year = int(first_year) if first_year else (end_year if first <= last else end_year - 1)
    start = month_period(start_year, first, "").start
    end = month_period(end_year, last, "").end
    return Period(f"{start_year}-{first:02d}..{end_year}-{last:02d}", start, end)


def half_period(half: int, year: str | None, anchor: dt.date) -> Period:
    """January-June (``half`` 1) or July-December (2) of ``year``, else the latest one begun by the anchor."""
    if year:
        chosen = int(year)
    else:
        chosen = anchor.year if (half == 1 or anchor.month >= 7) else anchor.year - 1
    first = 1 if half == 1 else 7
    return Period(f"{chosen}-H{half}", dt.date(chosen, first, 1), month_period(chosen, first + 5, "").end)


def _latest_month(month: int, anchor: dt.date) -> int:
    """The year of the latest ``month`` on or before the anchor's month."""
    return anchor.year if month <= anchor.month else anchor.year - 1


def _latest_quarter(quarter: int, anchor: dt.date) -> int:
    return anchor.year if quarter <= quarter_of(anchor)[1] else anchor.year - 1


def find_periods(text: str, anchor: dt.date) -> list[Found]:
    """Every period named in ``text`` (normalised: lower case, half-width), in the order said."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    year_now, quarter_now = quarter_of(anchor)

    def add(match: re.Match, period: Period, grain: str) -> None:
        span = match.span()
        if any(span[0] < end and start < span[1] for start, end in taken):
            return
        taken.append(span)
        found.append(Found(period, span[0], span[1], grain))

    def last_quarter() -> Period:
        year, quarter = (year_now, quarter_now - 1) if quarter_now > 1 else (year_now - 1, 4)
        return quarter_period(year, quarter, "last_quarter")

    def this_quarter() -> Period:
        return Period("this_quarter", quarter_period(year_now, quarter_now, "").start, anchor)

    def last_month() -> Period:
        first = shift_months(anchor.replace(day=1), -1)
        return month_period(first.year, first.month, "last_month")

    rules: list[tuple[str, object, str]] = [
        # explicit quarters: "q3 2026", "2026 q3", "2026年第3四半期", "2026年q3"
        (
            r"\bq([1-4])\s*(?:of\s*)?(20\d\d)\b",
            lambda m: quarter_period(int(m[2]), int(m[1]), f"{m[2]}-Q{m[1]}"),
            "quarter",
        ),
        (r"\b(20\d\d)\s*-?\s*q([1-4])\b", lambda m: quarter_period(int(m[1]), int(m[2]), f"{m[1]}-Q{m[2]}"), "quarter"),
        (
            r"(20\d\d)年\s*(?:度\s*)?(?:第\s*)?([1-4])\s*(?:四半期|q)",
            lambda m: quarter_period(int(m[1]), int(m[2]), f"{m[1]}-Q{m[2]}"),
            "quarter",
        ),
        (
            r"(?:\bq([1-4])\b|第\s*([1-4])\s*四半期)",
            lambda m: (lambda q: quarter_period(_latest_quarter(q, anchor), q, f"{_latest_quarter(q, anchor)}-Q{q}"))(
                int(m[1] or m[2])
            ),
            "quarter",
        ),
        # rolling windows: "last 3 months", "past 90 days", "過去3か月", "直近6ヶ月"
        (
            r"\b(?:last|past|previous|recent)\s+(\d+|one|two|three|four|five|six|twelve)\s+months?\b|(?:過去|直近)\s*(\d+)\s*(?:か月|ヶ月|カ月|ケ月|ヵ月|箇月)",
            lambda m: (lambda k: Period(f"last_{k}_months", shift_months(anchor, -k) + dt.timedelta(days=1), anchor))(
                int(_NUMBER_WORDS.get(m[1], 0) or m[1] or m[2])
            ),
            "days",
        ),
        (
            r"\b(?:last|past)\s+(\d+)\s+days?\b|(?:過去|直近)\s*(\d+)\s*日",
            lambda m: Period(f"last_{m[1] or m[2]}_days", anchor - dt.timedelta(days=int(m[1] or m[2]) - 1), anchor),
            "days",
        ),
        (
            r"\b(?:last|past)\s+(?:12|twelve)\s+months\b|\bpast year\b|過去\s*1\s*年|直近\s*1\s*年",
            lambda m: Period("last_12_months", shift_months(anchor, -12) + dt.timedelta(days=1), anchor),
            "days",
        ),
        # named relative periods
        (r"\b(?:last|previous|past|prior)\s+quarter\b|前四半期|先四半期", lambda m: last_quarter(), "quarter"),
        (
            r"\b(?:this|current)\s+quarter\b|\bquarter to date\b|\bqtd\b|今四半期|当四半期|今期",
            lambda m: this_quarter(),
            "quarter",
        ),
        (r"\b(?:last|previous|past|prior)\s+month\b|先月|前月", lambda m: last_month(), "month"),
        (r"\b(?:this|current)\s+month\b|今月", lambda m: Period("this_month", anchor.replace(day=1), anchor), "month"),
        (
            r"\b(?:last|previous|prior)\s+year\b|昨年|去年|前年|昨年度",
            lambda m: year_period(anchor.year - 1, "last_year"),
            "year",
        ),
        (
            r"\b(?:this|current)\s+year\b|\byear to date\b|\bytd\b|今年|本年|今年度",
            lambda m: Period("this_year", dt.date(anchor.year, 1, 1), anchor),
            "year",
        ),
        # ranges: "from April to June (2026)", "between January and March 2026", "4月から9月", "2026年4月〜6月"
        (
            rf"\b(?:from|between)\s+({_MONTH_RE})(?:\s+(20\d\d))?\s+(?:to|and|until|through|till)\s+({_MONTH_RE})(?:\s+(20\d\d))?\b",
            lambda m: month_range(MONTHS[m[1]], m[2], MONTHS[m[3]], m[4], anchor),
            "range",
        ),
        (
            r"(?:(20\d\d)年\s*)?(\d{1,2})月\s*(?:から|〜|~|-|より)\s*(?:(20\d\d)年\s*)?(\d{1,2})月(?:まで)?",
            lambda m: month_range(int(m[2]), m[1], int(m[4]), m[3], anchor),
            "range",
        ),
        # halves: "first half of 2026", "H2 2025", "2026年上半期", "下期"
        (
            r"\b(?:(first|second) half|h([12]))(?:\s+of)?(?:\s+(20\d\d))?\b",
            lambda m: half_period(1 if (m[1] == "first" or m[2] == "1") else 2, m[3], anchor),
            "half",
        ),
        (
            r"(?:(20\d\d)年\s*(?:度)?\s*)?(上|下)半?期",
            lambda m: half_period(1 if m[2] == "上" else 2, m[1], anchor),
            "half",
        ),
        # "since April (2026)", "4月以降", "4月から"
        (
            rf"\bsince\s+({_MONTH_RE})\b(?:\s+(20\d\d))?",
            lambda m: Period(
                f"since_{MONTHS[m[1]]:02d}",
                dt.date(int(m[2]) if m[2] else _latest_month(MONTHS[m[1]], anchor), MONTHS[m[1]], 1),
                None,
            ),
            "open",
        ),
        (
            r"(?:(20\d\d)年\s*)?(\d{1,2})月\s*(?:以降|から)",
            lambda m: Period(
                f"since_{int(m[2]):02d}",
                dt.date(int(m[1]) if m[1] else _latest_month(int(m[2]), anchor), int(m[2]), 1),
                None,
            ),
            "open",
        ),
        (
            r"\bsince\s+(20\d\d)\b|(20\d\d)年\s*(?:以降|から)",
            lambda m: Period(f"since_{m[1] or m[2]}", dt.date(int(m[1] or m[2]), 1, 1), None),
            "open",
        ),
        # months: "april 2026", "in april", "2026年4月", "4月"
        (
            rf"\b({_MONTH_RE})\s+(20\d\d)\b",
            lambda m: month_period(int(m[2]), MONTHS[m[1]], f"{m[2]}-{MONTHS[m[1]]:02d}"),
            "month",
        ),
        (r"(20\d\d)年\s*(\d{1,2})月", lambda m: month_period(int(m[1]), int(m[2]), f"{m[1]}-{int(m[2]):02d}"), "month"),
        (
            r"(20\d\d)[-/](\d{1,2})\b",
            lambda m: month_period(int(m[1]), int(m[2]), f"{m[1]}-{int(m[2]):02d}") if 1 <= int(m[2]) <= 12 else None,
            "month",
        ),
        (
            rf"\b(?:in|during|for|of)\s+({_MONTH_RE})\b",
            lambda m: (lambda mo: month_period(_latest_month(mo, anchor), mo, f"{_latest_month(mo, anchor)}-{mo:02d}"))(
                MONTHS[m[1]]
            ),
            "month",
        ),
        (
            r"(?<![\d年])(\d{1,2})月",
            lambda m: (
                lambda mo: (
                    month_period(_latest_month(mo, anchor), mo, f"{_latest_month(mo, anchor)}-{mo:02d}")
                    if 1 <= mo <= 12
                    else None
                )
            )(int(m[1])),
            "month",
        ),
        # years: "in 2025", "2025年", "fy2025"
        (r"\b(?:fy\s*)?(20\d\d)\b|(20\d\d)年(?:度)?", lambda m: year_period(int(m[1] or m[2]), m[1] or m[2]), "year"),
    ]
    for pattern, build, grain in rules:
        for match in re.finditer(pattern, text):
            try:
                period = build(match)  # type: ignore[operator]
            except (ValueError, OverflowError):  # "2026年13月", "past 99999999999 days": not a period
                continue
            if period is not None and (period.start is None or period.end is None or period.start <= period.end):
                add(match, period, grain)
    found.sort(key=lambda f: f.start)
    return found
