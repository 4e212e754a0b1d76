"""Rendering helpers shared by pages: error guard, score cards, small-sample styling."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from cx_core import CXError, NoDataError, t
from cx_core.errors import error_text
from cx_core.i18n_format import format_interval, format_number
from cx_core.stats import MeanResult, NpsResult

log = logging.getLogger("cx_app")


@contextmanager
def guard(lang: str) -> Iterator[None]:
    """Turn core errors into one plain-language ``st.error``; never show a traceback.

    Unexpected exceptions are logged on the server (type only, no user data) and shown as a
    generic message, so the rest of the app keeps running.
    """
    try:
        yield
    except NoDataError:
        st.warning(t("error.no_data", lang))
    except CXError as exc:
        st.error(error_text(exc, lang))  # the core gives a code and values; worded here
    except Exception as exc:  # noqa: BLE001 - the page must survive anything
        log.error("unexpected %s while rendering a page", type(exc).__name__)
        st.error(t("error.generic", lang))


def fmt_ci(ci, lang: str, digits: int = 0) -> str:
    """``95% CI 3 to 12`` (never ``-0``); empty when there is no interval."""
    return format_interval(ci, lang, digits=digits)


def nps_card(result: NpsResult, lang: str, *, key: str) -> None:
    """An NPS figure with its n and 95% interval."""
    with st.container(border=True, key=key):
        st.metric(t("metric.nps", lang), format_number(result.score, lang, sign=True))
        st.caption(t("metric.n", lang, n=f"{result.n:,}") + " · " + fmt_ci(result.ci95, lang))


def mean_card(name: str, result: MeanResult | None, lang: str, *, key: str, scale: str) -> None:
    """A mean score (CSAT/CES) with top-box share, n and interval; says so when absent."""
    with st.container(border=True, key=key):
        if result is None or result.score is None:
            st.metric(t(f"metric.{name}", lang), "—")
            st.caption(t("metric.not_available", lang))
            return
        st.metric(t(f"metric.{name}", lang), f"{result.score:.2f} / {scale}")
        st.caption(
            t("metric.n", lang, n=f"{result.n:,}")
            + " · "
            + fmt_ci(result.ci95, lang, digits=2)
            + (f" · top-2 {result.top_box_share:.0f}%" if result.top_box_share is not None else "")
        )
