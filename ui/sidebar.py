"""The shared sidebar: language and the global filters, returning a :class:`Filters`."""

from __future__ import annotations

import streamlit as st

from cx_core import Filters, t
from cx_core.messages import LANGUAGES
from cx_core.schema import DIMENSIONS
from cx_core.sql import checked_column, run_rows

from .session import dataset_name, get_workspace, language

SIDEBAR_DIMENSIONS = ("segment", "respondent_role", "region", "industry", "journey_stage", "survey_type")
FILTERS_KEY = "cx_filters"
# Streamlit forgets a widget's state when a run does not draw it, and the sidebar of another page
# is another widget even with the same key: without a copy, every page switch cleared the filters.
# The last choices are kept here (not a widget key) and passed back as the widgets' defaults.
KEPT_KEY = "cx_sidebar_kept"


def _dimension_values(ws, dimension: str) -> list[str]:
    column = checked_column(dimension, DIMENSIONS)
    return [
        str(r[0])
        for r in run_rows(ws.con, f"SELECT DISTINCT {column} FROM facts WHERE {column} IS NOT NULL ORDER BY 1")
    ]


def render_sidebar() -> Filters:
    """Draw the language switch and filters; store and return the current :class:`Filters`."""
    ws = get_workspace()
    with st.sidebar:
        st.radio(
            t("sidebar.language", language()),
            LANGUAGES,
            format_func=lambda code: {"en": "English", "ja": "日本語"}[code],
            horizontal=True,
            key="app_language",
        )
        lang = language()
        name = t("sidebar.sample", lang) if dataset_name() == "sample" else t("sidebar.uploaded", lang)
        st.caption(t("sidebar.dataset", lang, name=name))
        st.subheader(t("sidebar.filters", lang))
        first, last = run_rows(ws.con, "SELECT min(submitted_at)::DATE, max(submitted_at)::DATE FROM facts")[0]
        date_from = date_to = None
        kept = st.session_state.setdefault(KEPT_KEY, {})
        if first and last:
            dates = kept.get("dates")
            if not (isinstance(dates, tuple) and all(first <= d <= last for d in dates)):
                dates = (first, last)  # nothing kept, or outside the data loaded since
            picked = st.date_input(
                t("sidebar.date_range", lang), value=dates, min_value=first, max_value=last, key="sidebar_dates"
            )
            kept["dates"] = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
            if isinstance(picked, (tuple, list)) and len(picked) == 2:
                date_from, date_to = picked
                if date_from == first and date_to == last:
                    date_from = date_to = None
        selected = {}
        for dimension in SIDEBAR_DIMENSIONS:
            values = _dimension_values(ws, dimension)
            if len(values) <= 1:
                continue
            default = [v for v in kept.get(dimension, []) if v in values]
            selected[dimension] = st.multiselect(
                t(f"dim.{dimension}", lang), values, default=default, key=f"sidebar_{dimension}"
            )
            kept[dimension] = list(selected[dimension])
    filters = Filters.make(date_from, date_to, **selected)
    st.session_state[FILTERS_KEY] = filters
    return filters


def current_filters() -> Filters:
    return st.session_state.get(FILTERS_KEY, Filters())
