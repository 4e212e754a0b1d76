"""How a table cell is written in reports (shared by the HTML and PPTX writers)."""

from __future__ import annotations

import math

from ..i18n_format import format_number

MAX_REPORT_ROWS = 25  # longer tables are cut in slides/HTML (the full table is in the CSV/XLSX export)


def cell_text(value, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
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
