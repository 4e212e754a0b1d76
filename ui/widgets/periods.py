"""The two-period comparison control: this quarter vs last (read from the data), or two date ranges.

Shown on the Overview (NPS, CSAT, CES) and on the Themes page (theme shares); both test each
difference with respondents clustered in accounts (:mod:`cx_core.report.periods`).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from cx_core import t
from cx_core.i18n_format import format_date_range
from cx_core.segments import date_span, latest_quarters

Period = tuple[dt.date, dt.date]


def period_picker(ws, lang: str, key: str) -> tuple[Period, Period] | None:
    """Draw the choice of two periods; return (A, B), or None (no dates, or a range not complete)."""
    quarters = latest_quarters(ws)
    first, last = date_span(ws)
    if quarters is None or first is None or last is None:
        st.caption(t("periods.no_dates", lang))
        return None
    mode = st.radio(
        t("periods.mode", lang),
        ["quarters", "ranges"],
        format_func=lambda m: t(f"periods.mode_{m}", lang),
        horizontal=True,
        key=f"{key}_mode",
    )
    if mode == "quarters":
        a, b = quarters
        st.caption(
            t(
                "periods.quarters_guess",
                lang,
                a=format_date_range(a[0], min(a[1], last), lang),
                b=format_date_range(b[0], b[1], lang),
            )
        )
        return a, b
    left, right = st.columns(2)
    picked = []
    for column, name, default in ((left, "a", quarters[0]), (right, "b", quarters[1])):
        start = min(max(default[0], first), last)
        end = min(max(default[1], first), last)
        value = column.date_input(
            t(f"periods.range_{name}", lang),
            value=(start, end),
            min_value=first,
            max_value=last,
            key=f"{key}_{name}",
        )
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            st.caption(t("periods.pick_two_days", lang))
            return None
        picked.append((value[0], value[1]))
    return picked[0], picked[1]
