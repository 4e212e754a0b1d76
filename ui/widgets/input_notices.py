"""The warnings about the loaded files (encoding repairs, duplicates, not an account table...)."""

from __future__ import annotations

import streamlit as st

from cx_core.ingest import rejection_text, warning_text
from ui.widgets.presenter import md_escape


def render_input_notices(reports, lang: str) -> None:
    """One warning box per file warning, worded in ``lang`` (file names and columns shown literally)."""
    for report in reports:
        for warning in getattr(report, "warnings", []):
            st.warning(md_escape(warning_text(warning, lang)), icon=":material/report:")


def localise_rejections(rejected, reports, lang: str):
    """The rejected-rows table (``file_kind, row, reason``) with each coded reason in ``lang``
    (reasons without a code keep their English text)."""
    worded = {
        (report.kind, r.row): rejection_text(r, lang)
        for report in reports
        for r in getattr(report, "rejected", [])
        if getattr(r, "code", "")
    }
    if not worded or rejected.empty:
        return rejected
    rejected = rejected.copy()
    rejected["reason"] = [
        worded.get((kind, int(row)), reason)
        for kind, row, reason in zip(rejected["file_kind"], rejected["row"], rejected["reason"], strict=True)
    ]
    return rejected
