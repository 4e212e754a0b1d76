"""Overview: NPS, CSAT, CES with n and 95% intervals, the NPS split, and scores by group.

The charts and tables are report sections (cx_core.report), so the page, its exports, the HTML/PPTX
report and presenter mode all show the same numbers.
"""

import streamlit as st

from cx_core import overview, t
from cx_core.i18n_format import describe_filters, format_date, format_number
from cx_core.report import OVERVIEW_SECTIONS, build_sections
from ui.export import report_downloads
from ui.presenter import presenter_active, render_sections
from ui.render import guard, mean_card, nps_card
from ui.sidebar import render_sidebar

page = render_sidebar()
filters, lang, min_n = page.filters, page.lang, page.min_n
st.title(t("overview.title", lang))

with guard(lang):
    ws = page.ws
    ov = overview(ws, filters)
    if ov.responses == 0:
        st.warning(t("error.no_data", lang))
        st.stop()
    st.caption(
        t(
            "overview.caption",
            lang,
            responses=format_number(ov.responses, lang),
            accounts=format_number(ov.accounts, lang),
            first=format_date(ov.first_date, lang) if ov.first_date else "?",
            last=format_date(ov.last_date, lang) if ov.last_date else "?",
            filters=describe_filters(filters, lang),
        )
    )
    sections = build_sections(page.report(), OVERVIEW_SECTIONS)
    if presenter_active():
        render_sections(sections, "overview", lang)
    else:
        c1, c2, c3 = st.columns(3)
        with c1:
            nps_card(ov.nps, lang, key="overview_card_nps")
        with c2:
            mean_card("csat", ov.csat, lang, key="overview_card_csat", scale="5")
        with c3:
            mean_card("ces", ov.ces, lang, key="overview_card_ces", scale="7")
        shown = [s for s in sections if s.key != "headline"]
        render_sections(shown, "overview", lang, columns=2)
        if not ws.has_crm:
            st.info(t("overview.no_crm", lang))
        st.caption(t("small_sample.flag", lang, min_n=min_n))
        report_downloads(ws, filters, sections, "overview", lang, name="cx_overview")
