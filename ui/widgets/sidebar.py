"""The shared sidebar: language, the global filters and the minimum n, returning a :class:`PageContext`.

Filters cover the date range and every dimension the loaded data has (the canonical ones plus any
other categorical column mapped, see :func:`cx_core.segments.available_dimensions`). Their state
lives in the URL query string (``?segment=SMB&segment=Enterprise&date_from=2026-01-01&min_n=20``),
so a link reproduces the view: the URL is read once when it carries filters this session has not
written itself (a pasted link), and rewritten after every change.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from cx_core import DEFAULT_MIN_N, Filters, t
from cx_core.accounts import default_as_of
from cx_core.messages import LANGUAGES, dimension_label
from cx_core.roles import role_label
from cx_core.segments import available_dimensions, date_span, dimension_values

from ..sync import state
from ..sync.catalogue import session_catalogue
from ..sync.session import dataset_caption, dataset_name, forget_dataset_caption, language
from ..sync.state import PageContext
from ..sync.warm import FirstVisit, warm_in_background
from ..sync.workspaces import get_workspace
from .accounts import role_weights
from .presenter import presenter_active, render_presenter_switch
from .render import currency_setting, md_escape
from .weights import saved_weights

DATES_KEY = "sidebar_dates"
MIN_N_WIDGET = "sidebar_min_n"
# query-string names besides the dimensions themselves
URL_DATE_FROM, URL_DATE_TO, URL_MIN_N = "date_from", "date_to", "min_n"
_CATALOGUE_KEY = "_sidebar_catalogue"
_URL_WRITTEN_KEY = "_sidebar_url_written"
# Widget state does not survive a page switch (widgets are per page), so the sidebar's values live
# in this plain dict, are copied into the widgets before they are drawn, and updated on change.
_VALUES_KEY = "_sidebar_values"
# The data set (Workspace.token) the kept filter values were chosen on: on other data they go.
_VALUES_FOR_KEY = "_sidebar_values_for"
LANGUAGE_KEY = state.LANGUAGE
MAX_MIN_N = 10_000


def widget_key(dimension: str) -> str:
    """The session-state key of a dimension's multiselect (stable: tests find widgets by it)."""
    return f"sidebar_{dimension}"


def _catalogue(ws) -> tuple[list[str], dict[str, list[str]], dt.date | None, dt.date | None]:
    """Dimensions, their values and the date span of this session's data (computed once per load)."""
    cached = st.session_state.get(_CATALOGUE_KEY)
    if cached is not None and cached[0] is ws:
        return cached[1]
    dims = available_dimensions(ws)
    values = {d: dimension_values(ws, d) for d in dims}
    first, last = date_span(ws)
    result = (dims, values, first, last)
    st.session_state[_CATALOGUE_KEY] = (ws, result)
    return result


def _url_params(dims: list[str]) -> dict[str, list[str]]:
    """Our part of the current query string (other pages' parameters are left alone)."""
    ours = {URL_DATE_FROM, URL_DATE_TO, URL_MIN_N, *dims}
    return {k: list(st.query_params.get_all(k)) for k in st.query_params.keys() if k in ours}


def _parse_day(values: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(values[0]) if values else None
    except ValueError:
        return None


def _values() -> dict:
    return st.session_state.setdefault(_VALUES_KEY, {})


def _restore_from_url(url: dict[str, list[str]], dims, values, first, last) -> None:
    """Put the filters of a shared link into the sidebar's state (invalid values are dropped)."""
    state = _values()
    for dim in dims:
        state[widget_key(dim)] = [v for v in url.get(dim, []) if v in set(values[dim])]
    if first and last:
        start = _parse_day(url.get(URL_DATE_FROM, [])) or first
        end = _parse_day(url.get(URL_DATE_TO, [])) or last
        start, end = min(max(start, first), last), max(min(end, last), first)
        state[DATES_KEY] = (start, end) if start <= end else (first, last)
    try:
        state[MIN_N_WIDGET] = min(max(int(url.get(URL_MIN_N, [DEFAULT_MIN_N])[0]), 1), MAX_MIN_N)
    except ValueError:
        state[MIN_N_WIDGET] = DEFAULT_MIN_N


def _forget_filters_of_other_data(ws) -> None:
    """New data in view (an upload, the sample, a reopened workspace): its filters start empty.

    A date range or a segment picked on one data set may also fit the next one (an upload of
    25-26 Dec 2025, then the sample, which spans those days): kept, every page showed two days of
    the sample, or nothing. The minimum n, the language and the currency are no filters and stay.
    """
    chosen_on = st.session_state.get(_VALUES_FOR_KEY)
    st.session_state[_VALUES_FOR_KEY] = ws.token
    if chosen_on is None or chosen_on == ws.token:
        return
    kept = _values()
    for key in [k for k in {*kept, *st.session_state} if isinstance(k, str) and _is_filter_key(k)]:
        kept.pop(key, None)
        st.session_state.pop(key, None)
        # and from the link: a grouping the new data lacks would otherwise ride along in shared links
        name = key.removeprefix("sidebar_")
        if key != DATES_KEY and name in st.query_params:
            del st.query_params[name]
    for name in (URL_DATE_FROM, URL_DATE_TO):
        if name in st.query_params:
            del st.query_params[name]
    st.session_state.pop(_URL_WRITTEN_KEY, None)


def _is_filter_key(key: str) -> bool:
    return key == DATES_KEY or (key.startswith("sidebar_") and key not in (MIN_N_WIDGET, state.CURRENCY))


def _sanitise_state(dims, values, first, last) -> None:
    """Keep the state valid for the loaded data (it may have changed since the state was set)."""
    state = _values()
    for dim in dims:
        key = widget_key(dim)
        allowed = set(values[dim])
        state[key] = [v for v in state.get(key, st.session_state.get(key, [])) if v in allowed]
    picked = state.get(DATES_KEY, st.session_state.get(DATES_KEY))
    if first and last:
        if (
            isinstance(picked, (tuple, list))
            and len(picked) in (1, 2)
            and all(isinstance(d, dt.date) and first <= d <= last for d in picked)
        ):
            state[DATES_KEY] = tuple(picked)
        else:
            state[DATES_KEY] = (first, last)
    state.setdefault(MIN_N_WIDGET, st.session_state.get(MIN_N_WIDGET, DEFAULT_MIN_N))
    if LANGUAGE_KEY in st.session_state:
        state.setdefault(LANGUAGE_KEY, st.session_state[LANGUAGE_KEY])
    # seed the widgets from the kept values (a widget's own state is lost on a page switch)
    for key, value in state.items():
        st.session_state[key] = value


def _remember(key: str) -> None:
    """on_change callback: keep the widget's new value (runs before the script reruns)."""
    try:
        _values()[key] = st.session_state[key]
    except KeyError:
        # the widget's state went with the data it filtered (new data loaded in the previous run:
        # _forget_filters_of_other_data), while the browser still sent a value for it; raising here
        # ended the next run of the page (a dated sample, then an upload without dates, then any upload)
        return


def _to_url(filters: Filters, min_n: int) -> dict[str, list[str]]:
    params = {name: list(values) for name, values in filters.dims}
    if filters.date_from:
        params[URL_DATE_FROM] = [filters.date_from.isoformat()]
    if filters.date_to:
        params[URL_DATE_TO] = [filters.date_to.isoformat()]
    if min_n != DEFAULT_MIN_N:
        params[URL_MIN_N] = [str(min_n)]
    return params


def _write_url(current: dict[str, list[str]], in_url: dict[str, list[str]]) -> None:
    if current != in_url:
        for key in in_url:
            if key not in current:
                del st.query_params[key]
        for key, value in current.items():
            if in_url.get(key) != value:
                st.query_params[key] = value if len(value) != 1 else value[0]
    st.session_state[_URL_WRITTEN_KEY] = current


def render_sidebar() -> PageContext:
    """Draw the language switch, filters and minimum n; return this run's :class:`PageContext`.

    Every page starts with ``ctx = render_sidebar()`` and takes its workspace, filters, minimum n
    and language from ``ctx``: no page decides them itself.
    """
    forget_dataset_caption()
    ws = get_workspace()
    _forget_filters_of_other_data(ws)
    dims, values, first, last = _catalogue(ws)
    in_url = _url_params(dims)
    if in_url and in_url != st.session_state.get(_URL_WRITTEN_KEY):
        _restore_from_url(in_url, dims, values, first, last)  # a shared link, or the URL was edited
    _sanitise_state(dims, values, first, last)
    render_presenter_switch()  # outside the sidebar block: its exit control is drawn in the main area
    with st.sidebar:
        st.radio(
            t("sidebar.language", language()),
            LANGUAGES,
            format_func=lambda code: {"en": "English", "ja": "日本語"}[code],
            horizontal=True,
            key=LANGUAGE_KEY,
            on_change=_remember,
            args=(LANGUAGE_KEY,),
        )
        lang = language()
        dataset_caption()
        st.subheader(t("sidebar.filters", lang))
        date_from = date_to = None
        if first and last:
            picked = st.date_input(
                t("sidebar.date_range", lang),
                min_value=first,
                max_value=last,
                key=DATES_KEY,
                on_change=_remember,
                args=(DATES_KEY,),
            )
            if isinstance(picked, (tuple, list)) and len(picked) == 2:
                date_from, date_to = picked
                if date_from == first and date_to == last:
                    date_from = date_to = None
        selected = {}
        for dimension in dims:
            fmt = (lambda r, lang=lang: role_label(r, lang)) if dimension == "respondent_role" else str
            selected[dimension] = st.multiselect(
                md_escape(dimension_label(dimension, lang)),  # a column header from the file: text, not Markdown
                values[dimension],
                format_func=fmt,
                placeholder=t("display.choose", lang),
                key=widget_key(dimension),
                on_change=_remember,
                args=(widget_key(dimension),),
            )
        min_n = st.number_input(
            t("segments.sidebar_min_n", lang),
            min_value=1,
            max_value=MAX_MIN_N,
            step=5,
            help=t("segments.sidebar_min_n_help", lang),
            key=MIN_N_WIDGET,
            on_change=_remember,
            args=(MIN_N_WIDGET,),
        )
        currency_setting(lang)
    filters = Filters.make(date_from, date_to, **selected)
    min_n = int(min_n)
    _values().update({widget_key(d): list(v) for d, v in selected.items()} | {MIN_N_WIDGET: min_n})
    st.session_state[state.FILTERS] = filters
    st.session_state[state.MIN_N] = min_n
    _write_url(_to_url(filters, min_n), in_url)
    weights = st.session_state.get(state.ROLE_WEIGHTS)
    extras = {"role_weights": dict(weights)} if isinstance(weights, dict) else {}
    warm_in_background(ws, lambda: _first_visit(ws, lang, extras))  # CX_WARM_SHARED_VIEWS: once per data set
    return PageContext(ws, filters, min_n, lang, presenter_active(), dataset_name(), extras)


def _first_visit(ws, lang: str, extras: dict) -> FirstVisit:
    """What the pages' first visit of this session takes besides the data (see :mod:`ui.sync.warm`)."""
    return FirstVisit(
        lang=lang,
        min_n=DEFAULT_MIN_N,
        catalogue=tuple(session_catalogue(ws)),
        role_weights=role_weights(),
        score_weights=saved_weights(),
        as_of=default_as_of(dataset_name() == "sample"),
        extras=dict(extras),
    )
