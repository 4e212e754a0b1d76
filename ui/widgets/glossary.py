"""Plain words beside a section that uses a statistic's name ("Holm-adjusted", "Wilson", "R²"...)."""

from __future__ import annotations

import streamlit as st

from cx_core import t
from cx_core.glossary import terms_in
from cx_core.report import Section

from .render import md_escape


def _chart_title_texts(chart: dict | None) -> list[str]:
    title = (chart or {}).get("title")
    if isinstance(title, dict):
        title = [title.get("text"), title.get("subtitle")]
    if not isinstance(title, list):
        title = [title]
    texts: list[str] = []
    for part in title:
        texts += part if isinstance(part, list) else [part]
    return [str(text) for text in texts if text]


def section_texts(section: Section) -> list[str]:
    """Every words of a section a reader sees: headline, detail, notes, table headers, chart title."""
    texts = [section.title, section.finding, *section.notes, *_chart_title_texts(section.chart)]
    if section.table is not None:
        texts += [str(column) for column in section.table.columns]
    return texts


def glossary_expander(section: Section, lang: str) -> None:
    """A collapsed "What these words mean" under a section that uses a statistic's name (none otherwise)."""
    terms = terms_in(section_texts(section))
    if not terms:
        return
    with st.expander(t("glossary.title", lang)):
        for term in terms:
            name, meaning = t(f"glossary.term.{term}", lang), t(f"glossary.{term}", lang)
            st.markdown(f"**{md_escape(name)}**: {md_escape(meaning)}")
