"""How a table cell is written in reports (shared by the HTML and PPTX writers)."""

from __future__ import annotations

import math

from ..i18n_format import format_number

MAX_REPORT_ROWS = 25  # longer tables are cut in slides/HTML (the full table is in the CSV/XLSX export)


_CI_WORDS = ("CI", "信頼区間", "区間")


def column_digits(columns) -> list[int | None]:
    """Decimals per column: NPS and its interval as whole numbers (an NPS of 23.17 claims a precision
    it does not have); ``None`` leaves the default."""
    digits: list[int | None] = []
    previous = ""
    for column in map(str, columns):
        is_ci = any(word in column for word in _CI_WORDS)
        digits.append(0 if "NPS" in column or (is_ci and "NPS" in previous) else None)
        if not is_ci:
            previous = column
    return digits


def cell_text(value, lang: str, digits: int | None = None) -> str:
    """A cell as text: "—" when missing, ✓ for yes, numbers in ``lang``'s format (``digits`` decimals)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if digits is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(float(value), lang, digits=digits)
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, int) or (hasattr(value, "is_integer") and float(value).is_integer()):
        try:
            return format_number(float(value), lang)
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float):
        return format_number(value, lang, digits=1)
    text = str(value)
    return text if text not in ("True", "False") else ("✓" if text == "True" else "")
