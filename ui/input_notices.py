"""The warnings about the loaded files (encoding repairs, duplicates, not an account table...)."""

from __future__ import annotations

import streamlit as st

from cx_core.ingest import warning_text
from ui.presenter import md_escape


def render_input_notices(reports, lang: str) -> None:
    """One warning box per file warning, worded in ``lang`` (file names and columns shown literally)."""
    for report in reports:
        for warning in getattr(report, "warnings", []):
            st.warning(md_escape(warning_text(warning, lang)), icon=":material/report:")
