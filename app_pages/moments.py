"""Moments of truth: journey stages and touchpoints ranked by how many net promoters they cost,
overall and for one role. Both blocks are report sections (cx_core.report)."""

import streamlit as st

from cx_core import t
from cx_core.labels import code_label
from cx_core.moments import moments_of_truth
from cx_core.report import moments_caption, moments_section, role_moments_section
from cx_core.roles import ROLES, role_label
from cx_core.segments import dimension_values
from ui.sync.session import memo_view
from ui.widgets.export import report_downloads
from ui.widgets.presenter import caption_px, controls, render_sections
from ui.widgets.render import guard, md_escape, no_data_message
from ui.widgets.sidebar import render_sidebar

page = render_sidebar()
lang = page.lang
st.title(t("moments.title", lang))

with guard(lang):
    with controls("moments"):
        include_relationship = st.toggle(t("moments.include_relationship", lang), key="moments_include_relationship")
    ws = page.ws
    result = memo_view(  # once per (data, filters, option, min n) in this session
        "moments",
        ws,
        (page.filters, include_relationship, page.min_n),
        lambda: moments_of_truth(ws, page.filters, include_relationship=include_relationship, min_n=page.min_n),
    )
    if not result.available:
        st.info(t("moments.no_journey", lang))
        st.stop()
    if result.overall.n == 0:
        st.warning(no_data_message(lang))
        st.stop()
    report = page.report()
    caption = md_escape(moments_caption(report, result))
    st.caption(caption)
    if not result.moments:
        st.info(t("moments.none_in_selection", lang))
        st.stop()
    overall = moments_section(report, result)
    slides, overall_box, role_box = st.container(), st.container(), st.container()

    present = set(dimension_values(page.ws, "respondent_role", page.filters))
    roles = [r for r in ROLES if r in present]
    by_role = None
    if roles:
        with role_box, controls("moments_role"):
            st.subheader(t("moments.by_role", lang))
            role = st.selectbox(
                t("dim.respondent_role", lang), roles, format_func=lambda r: role_label(r, lang), key="moments_role"
            )
        role_result = memo_view(
            "moments_role",
            ws,
            (page.filters, role, include_relationship, page.min_n),
            lambda: moments_of_truth(
                ws, page.filters, role=role, include_relationship=include_relationship, min_n=page.min_n
            ),
        )
        by_role = role_moments_section(report, role_result, role)
    sections = [s for s in (overall, by_role) if s is not None]
    if page.presenting:
        with slides:
            render_sections(sections, "moments", lang, above=caption_px(caption))
        st.stop()

    with overall_box:
        worst = next((m for m in result.moments if m.rank == 1 and (m.impact or 0) < 0), None)
        if worst is not None:
            st.metric(
                t("moments.worst", lang),
                code_label(worst.touchpoint, lang),
                delta=t("moments.worst_delta", lang, gap=f"{worst.gap:+.0f}", impact=f"{worst.impact:+.0f}"),
                # the most harmful moment is bad news: red and down in every language (Streamlit reads
                # the sign from the text's first character, and 全体比 -10 came out green and up)
                delta_color="red",
                delta_arrow="down",
            )
        render_sections([s for s in (overall,) if s is not None], "moments", lang)
    if by_role is not None:
        with role_box:
            render_sections([by_role], "moments", lang)
    report_downloads(page.ws, page.filters, sections, "moments", lang, name="cx_moments")
