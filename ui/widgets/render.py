"""Rendering helpers shared by pages: error guard, score cards, small-sample styling."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from cx_core import CXError, NoDataError, t
from cx_core.cells import ColumnKind
from cx_core.errors import error_text
from cx_core.i18n_format import format_interval, format_number
from cx_core.labels import code_label
from cx_core.messages import has_message
from cx_core.report import Section, section_cells
from cx_core.stats import MeanResult, NpsResult

from ..sync import state

log = logging.getLogger("cx_app")

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")
_AUTOLINK_START = re.compile(r"(?i)(?<![A-Za-z0-9])(https?|ftp|mailto|www)(?=[:.])")
_WORD_JOINER = "\u2060"


def md_escape(text: str) -> str:
    """Escape Markdown so data text (column headers, account, editor and theme names, comments) is
    shown literally, never as links or images: the one helper for every Markdown-rendering call.

    Backslash escapes do not stop GitHub-flavoured Markdown from turning a bare ``http://...``,
    ``www.`` or ``name@host`` into a link (Streamlit finds those in the text after escapes are
    read), so an invisible word joiner (U+2060) goes after ``http``/``www`` and before ``@``: the
    text reads the same and is never a link."""
    text = _AUTOLINK_START.sub(lambda m: m.group(1) + _WORD_JOINER, str(text)).replace("@", _WORD_JOINER + "@")
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def bold_label(text: str) -> None:
    """Draw a short label in bold, escaped like any other text (a message may one day quote data)."""
    st.markdown(f"**{md_escape(text)}**")


@contextmanager
def guard(lang: str) -> Iterator[None]:
    """Turn core errors into one plain-language ``st.error``; never show a traceback.

    Unexpected exceptions are logged on the server (type only, no user data) and shown as a
    generic message, so the rest of the app keeps running.
    """
    try:
        yield
    except NoDataError:
        st.warning(no_data_message(lang))
    except CXError as exc:
        st.error(md_escape(error_text(exc, lang)))  # the core gives a code and values (file names, columns)
    except Exception as exc:  # noqa: BLE001 - the page must survive anything
        log.error("unexpected %s while rendering a page", type(exc).__name__)
        st.error(t("error.generic", lang))
        st.page_link("app_pages/data.py", label=t("guard.to_data", lang), icon=":material/upload_file:")


def no_data_message(lang: str) -> str:
    """Why nothing is shown: the filters (with a way out), or the data itself when none is set."""
    filters = st.session_state.get(state.FILTERS)
    if filters is None or getattr(filters, "is_empty", False):
        return t("error.nothing_to_show", lang)  # "clear a filter" with no filter set misleads
    return t("error.no_data", lang)


def fmt_ci(ci, lang: str, digits: int = 0) -> str:
    """``95% CI 3 to 12`` (never ``-0``); empty when there is no interval."""
    return format_interval(ci, lang, digits=digits)


def nps_card(result: NpsResult, lang: str, *, key: str) -> None:
    """An NPS figure with its n and 95% interval."""
    with st.container(border=True, key=key):
        st.metric(t("metric.nps", lang), format_number(result.score, lang, sign=True), help=t("metric.nps_help", lang))
        st.caption(
            t("metric.n", lang, n=f"{result.n:,}") + _effective_n(result, lang) + " · " + fmt_ci(result.ci95, lang)
        )


def _effective_n(result: NpsResult | MeanResult, lang: str) -> str:
    """' · effective n ≈ 626 (...)' when the answers cluster in accounts, else nothing."""
    if not result.n or result.design_effect <= 1.0 or result.effective_n is None:
        return ""
    # a weighted score's effective_n is Kish's (weights alone); beside its interval the card shows
    # n / design effect, which carries both the weights and the clustering the interval reflects
    shown = result.n / result.design_effect if getattr(result, "weighted", False) else result.effective_n
    return " · " + t("metric.effective_n", lang, n=f"{shown:,.0f}")


def mean_card(name: str, result: MeanResult | None, lang: str, *, key: str, scale: str) -> None:
    """A mean score (CSAT/CES) with top-box share, n and interval; says so when absent."""
    with st.container(border=True, key=key):
        help_text = t(f"metric.{name}_help", lang) if has_message(f"metric.{name}_help") else None
        if result is None or result.score is None:
            st.metric(t(f"metric.{name}", lang), "—", help=help_text)
            st.caption(t("metric.not_available", lang))
            return
        st.metric(t(f"metric.{name}", lang), f"{result.score:.2f} / {scale}", help=help_text)
        st.caption(
            t("metric.n", lang, n=f"{result.n:,}")
            + _effective_n(result, lang)
            + " · "
            + fmt_ci(result.ci95, lang, digits=2)
            + (
                " · " + t("metric.top_box", lang, share=f"{result.top_box_share:.0f}%")
                if result.top_box_share is not None
                else ""
            )
        )


# --- words for codes ------------------------------------------------------------------------------


def value_label(value, lang: str) -> str:
    """A data value as a person reads it: known codes (``use``, ``renewal``, ``feeling_valued``) as words
    in ``lang``, ``"Order delivery (use)"`` as ``"Order delivery (Use)"``; anything else unchanged."""
    return code_label(value, lang)


# --- money ------------------------------------------------------------------------------------------

CURRENCY_KEY = state.CURRENCY
CURRENCIES = ("USD", "EUR", "JPY", "GBP", "CNY", "KRW", "AUD", "CAD", "SGD", "INR")


def default_currency() -> str:
    """``CX_CURRENCY`` from the environment (or ``.streamlit/secrets.toml``), else USD."""
    import os

    code = os.environ.get("CX_CURRENCY", "").strip().upper()
    if not code:
        try:
            code = str(st.secrets.get("CX_CURRENCY", "")).strip().upper()
        except Exception:  # noqa: BLE001 - no secrets file: fine
            code = ""
    return code if re.fullmatch(r"[A-Z]{3}", code) else "USD"


def currency() -> str:
    """The currency ARR is stated in (the sidebar setting; default :func:`default_currency`)."""
    return st.session_state.get(CURRENCY_KEY) or default_currency()


def currency_setting(lang: str) -> str:
    """The currency picker (drawn in the sidebar); kept across pages; returns the code."""
    if CURRENCY_KEY in st.session_state:
        st.session_state[CURRENCY_KEY] = st.session_state[CURRENCY_KEY]  # keep it across pages
    else:
        st.session_state[CURRENCY_KEY] = default_currency()
    options = list(CURRENCIES) if currency() in CURRENCIES else [currency(), *CURRENCIES]
    return st.selectbox(t("display.currency", lang), options, key=CURRENCY_KEY, help=t("display.currency_help", lang))


def money_label(label: str, lang: str) -> str:
    """``ARR (USD)``: a money column or figure labelled with its currency."""
    return t("display.money_label", lang, label=label, currency=currency())


# --- tables -----------------------------------------------------------------------------------------

#: A cell longer than this (characters) makes its column wrap instead of running off-screen.
LONG_TEXT = 40
#: Rows tall enough that Streamlit wraps text (it wraps only above 4rem).
WRAP_ROW_HEIGHT = 66


def table_args(
    df: pd.DataFrame,
    lang: str,
    *,
    first: tuple[str, ...] | list[str] = (),
    config: dict | None = None,
) -> dict:
    """``column_order``, ``column_config``, ``row_height`` and ``placeholder`` for ``st.dataframe``.

    - ``first`` columns lead (the ones a person acts on); the rest keep their order.
    - Yes/no columns with no "yes" (an empty "Small sample" column) are left out.
    - Whole numbers with thousands; other decimals to one or two places. (A report section's table
      is not laid out here but by :func:`show_section_table`, from the kinds its builder declared.)
    - Long text gets a wide column and rows tall enough to wrap, so nothing needs sideways scrolling.
    - Missing values read "—", never "None" or "nan".
    ``config`` entries (``st.column_config`` objects or labels) win over the computed ones.
    """
    columns = [str(c) for c in df.columns]
    shown: list[str] = []
    column_config: dict = {}
    long_text = False
    for name in columns:
        series = df[name]
        if pd.api.types.is_bool_dtype(series) or (
            series.dtype == object and series.dropna().map(type).eq(bool).all() and series.notna().any()
        ):
            if not series.fillna(False).astype(bool).any():
                continue  # an empty yes/no column says nothing
            column_config[name] = st.column_config.CheckboxColumn(name, width="small")
        elif pd.api.types.is_numeric_dtype(series):
            numbers = pd.to_numeric(series, errors="coerce").dropna()
            whole = numbers.empty or bool((numbers == numbers.round()).all())
            if whole:
                column_config[name] = st.column_config.NumberColumn(name, format="%,.0f")
            else:
                big = not numbers.empty and numbers.abs().max() >= 10
                column_config[name] = st.column_config.NumberColumn(name, format="%.1f" if big else "%.2f")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            lengths = series.dropna().astype(str).str.len()
            if not lengths.empty and lengths.max() > LONG_TEXT:
                long_text = True
                column_config[name] = st.column_config.TextColumn(name, width="large")
        shown.append(name)
    lead = [c for c in first if c in shown]
    order = lead + [c for c in shown if c not in lead]
    column_config.update(config or {})
    args: dict = {"column_order": order, "column_config": column_config, "placeholder": "—"}
    if long_text:
        args["row_height"] = WRAP_ROW_HEIGHT
    return args


def display_frame(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of ``df`` for the screen: codes as words, text "None"/"nan" as missing."""
    out = df.copy()
    for name in out.columns:
        series = out[name]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            if series.dropna().map(type).eq(bool).all() and series.notna().any():
                continue
            out[name] = series.map(
                lambda v: (
                    None
                    if v is None or (isinstance(v, float) and math.isnan(v)) or v in ("None", "nan", "NaN")
                    else value_label(v, lang)
                )
            ).astype(object)
    return out


def show_table(df: pd.DataFrame, key: str, lang: str, *, first=(), config: dict | None = None, **kwargs):
    """``st.dataframe`` of ``df`` laid out by :func:`table_args` (key columns first, wrapped text, no "None")."""
    frame = display_frame(df, lang)
    return st.dataframe(
        frame, hide_index=True, key=key, **{**table_args(frame, lang, first=first, config=config), **kwargs}
    )


def section_frame(section: Section, lang: str) -> pd.DataFrame:
    """A report section's table as the page shows it: every cell the text the slides, the HTML and
    the PPTX write (:func:`cx_core.report.section_cells`, from the kinds its builder declared), a
    yes/no column with no "yes" left out. Money headers say their currency."""
    columns, rows = section_cells(section, lang)
    headers = [money_label(c.header, lang) if c.kind is ColumnKind.MONEY else c.header for c in columns]
    return pd.DataFrame(rows, columns=headers, dtype=object)


def show_section_table(section: Section, key: str, lang: str, **kwargs):
    """``st.dataframe`` of a section's table (:func:`section_frame`): numbers aligned right, long text
    wrapped, "—" where a value is missing."""
    frame = section_frame(section, lang)
    args = table_args(frame, lang)
    columns, _ = section_cells(section, lang, max_rows=0)
    for header, column in zip(frame.columns, columns, strict=True):
        if column.numeric:
            args["column_config"][header] = st.column_config.TextColumn(header, alignment="right")
    return st.dataframe(frame, hide_index=True, key=key, **{**args, **kwargs})
