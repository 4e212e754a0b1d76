"""Overview: NPS, CSAT, CES with n and 95% intervals, the NPS split, and scores by group.

The charts and tables are report sections (cx_core.report), so the page, its exports, the HTML/PPTX
report and presenter mode all show the same numbers.
"""

import streamlit as st

from cx_core import overview, t
from cx_core.i18n_format import describe_filters, format_date, format_number
from cx_core.metrics import metric_scales
from cx_core.report import OVERVIEW_SECTIONS, ReportContext, build_sections
from ui.coverage import coverage_notes
from ui.export import report_downloads
from ui.presenter import presenter_active, render_sections
from ui.render import guard, mean_card, nps_card
from ui.session import get_workspace, language
from ui.sidebar import render_sidebar

filters = render_sidebar()
lang = language()
st.title(t("overview.title", lang))

with guard(lang):
    ws = get_workspace()
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
    sections = build_sections(ReportContext(ws, filters, lang), OVERVIEW_SECTIONS)
    if presenter_active():
        render_sections(sections, "overview", lang)
    else:
        cov = coverage_notes(ws, lang)  # every metric is optional: say what is missing and how to add it
        scales = metric_scales(ws)
        cards = [("csat", ov.csat), ("ces", ov.ces)]
        columns = st.columns(3 if cov.nps else 2)
        if cov.nps:
            with columns[0]:
                nps_card(ov.nps, lang, key="overview_card_nps")
        for column, (name, result) in zip(columns[-2:], cards, strict=True):
            with column:
                mean_card(name, result, lang, key=f"overview_card_{name}", scale=f"{scales[name][1]:g}")
        shown = [s for s in sections if s.key != "headline"]
        render_sections(shown, "overview", lang, columns=2)
        if not ws.has_crm:
            st.info(t("overview.no_crm", lang))
        st.caption(t("small_sample.flag", lang, min_n=30))
        report_downloads(ws, filters, sections, "overview", lang, name="cx_overview")
