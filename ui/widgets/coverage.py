"""What the loaded data supports, said in plain words on every analysis page."""

from __future__ import annotations

import streamlit as st

from cx_core import t
from cx_core.coverage import Coverage, coverage
from cx_core.summary import questions_summary


def coverage_notes(ws, lang: str, *, only: tuple[str, ...] | None = None) -> Coverage:
    """Show what the data misses and how to add it (message keys ``coverage.*``); returns the coverage.

    ``only`` limits the notes to the ones that matter on the page (e.g. comments on Themes).
    """
    cov = coverage(ws)
    for key in cov.notes():
        if only is None or key in only:
            st.info(t(key, lang))
    return cov


def question_choice(ws, lang: str, *, key: str) -> str | None:
    """A selectbox of the open questions when there are several: a question's column, or None for all."""
    questions = [q for q in questions_summary(ws) if q["answers"]]
    if len(questions) < 2:
        return None
    names = {"": t("map.all_questions", lang)} | {
        q["column"]: f"{q['question'][:80]} ({q['answers']:,})" for q in questions
    }
    choice = st.selectbox(t("map.question", lang), list(names), format_func=lambda c: names.get(c, c), key=key)
    return choice or None
