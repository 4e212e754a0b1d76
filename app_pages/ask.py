"""Ask the data: a question in plain words (English or Japanese), answered with n, interval and query.

The core reads the question (cx_core.ask) and answers it with the same views as the other pages;
the reading is shown as editable chips. Pinned answers are this page's presenter deck and report.
"""

import streamlit as st

from cx_core import t
from ui.widgets.ask import ask_box, pinned_list, pinned_sections, recent_list
from ui.widgets.export import report_downloads
from ui.widgets.presenter import presenter_active, render_sections
from ui.widgets.render import guard
from ui.widgets.sidebar import render_sidebar

page = render_sidebar()
lang = page.lang
st.title(t("ask.title", lang))

with guard(lang):
    if presenter_active():
        sections = pinned_sections(page)
        if sections:
            render_sections(sections, "ask", lang)
        else:
            st.info(t("ask.no_pins", lang))
        st.stop()
    st.caption(t("ask.intro", lang))
    main, side = st.columns([3, 1])
    with main:
        ask_box(page, "ask")
    with side:
        recent_list(page, "ask")
        pinned_list(page)
    sections = pinned_sections(page)
    if sections:
        report_downloads(page.ws, page.filters, sections, "ask", lang, name="cx_answers")
