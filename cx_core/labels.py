"""Codes in the data as words in the reader's language, for every edge (page, slide, HTML, PPTX, CLI).

The sample and survey tools export codes (``use``, ``mid-market``, ``feeling_valued``); a chart
that showed 中堅企業 beside a headline that said Mid-market read as two languages on one page. The
core words them here, once, so every heading, table and chart of a section agrees.
"""

from __future__ import annotations

import re

from .messages import has_message, t

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_COMPOSITE = re.compile(r"^(?P<a>.+?) \((?P<b>[^()]+)\)$")


def code_label(value, lang: str):
    """A data value as a person reads it: known codes as words in ``lang``; anything else unchanged.

    >>> code_label("mid-market", "ja"), code_label("Order delivery (use)", "en"), code_label("ACC-1", "ja")
    ('中堅企業', 'Order delivery (Use)', 'ACC-1')
    """
    if not isinstance(value, str) or not value:
        return value
    match = _COMPOSITE.match(value)
    if match:
        return f"{code_label(match['a'], lang)} ({code_label(match['b'], lang)})"
    key = "code." + value.strip().lower().replace(" ", "_")
    if has_message(key):  # t() would word an unknown key too ("code.acc-0111" -> "Acc-0111")
        return t(key, lang)
    if _CODE.match(value) and "_" in value:  # an unknown code: at least not snake_case
        return value.replace("_", " ").capitalize()
    return value


def engine_label(engine: str, lang: str) -> str:
    """The themes engine as words: ``offline (multilingual-USE-v3)`` -> ``オフライン (multilingual-USE-v3)``."""
    if engine.startswith("offline"):
        return t("themes.engine_offline", lang) + engine.removeprefix("offline")
    return engine
