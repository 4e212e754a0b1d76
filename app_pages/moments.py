"""Moments of truth: journey stages and touchpoints ranked by how many net promoters they cost."""

import altair as alt
import pandas as pd
import streamlit as st

from cx_core import t
from cx_core.i18n_format import title_detail
from cx_core.moments import moments_of_truth
from cx_core.report import ReportContext, moments_section
from cx_core.roles import ROLES, role_label
from cx_core.sql import run_rows
from ui.export import page_downloads, report_downloads
from ui.presenter import controls, presenter_active, render_sections
from ui.render import fmt_ci, guard, show_table
from ui.session import get_workspace, language
from ui.sidebar import render_sidebar

filters = render_sidebar()
lang = language()
st.title(t("moments.title", lang))
MIN_N = 30


def moments_table(moments) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "#": [m.rank for m in moments],
            t("dim.journey_stage", lang): [m.journey_stage for m in moments],
            t("dim.touchpoint", lang): [m.touchpoint for m in moments],
            t("moments.volume", lang): [m.volume for m in moments],
            t("metric.nps", lang): [m.nps.score for m in moments],
            t("overview.ci_low", lang): [m.nps.ci95[0] if m.nps.ci95 else None for m in moments],
            t("overview.ci_high", lang): [m.nps.ci95[1] if m.nps.ci95 else None for m in moments],
            t("moments.detractor_share", lang): [m.detractor_share for m in moments],
            t("moments.gap", lang): [m.gap for m in moments],
            t("moments.impact", lang): [m.impact for m in moments],
            t("overview.small", lang): [m.small_sample for m in moments],
        }
    )


with guard(lang):
    ws = get_workspace()
    with controls("moments"):
        include_relationship = st.toggle(t("moments.include_relationship", lang), key="moments_include_relationship")
    result = moments_of_truth(ws, filters, include_relationship=include_relationship, min_n=MIN_N)
    if not result.available:
        st.info(t("moments.no_journey", lang))
        st.stop()
    if result.overall.n == 0:
        st.warning(t("error.no_data", lang))
        st.stop()
    st.caption(
        t(
            "moments.caption",
            lang,
            nps=f"{result.overall.score:+.0f}",
            n=f"{result.overall.n:,}",
            ci=fmt_ci(result.overall.ci95, lang),
            excluded=f"{result.relationship_excluded:,}",
        )
    )
    if not result.moments:
        st.info(t("moments.none_in_selection", lang))
        st.stop()
    ctx = ReportContext(ws, filters, lang, MIN_N)
    sections = [s for s in (moments_section(ctx, result),) if s is not None]
    if presenter_active():
        render_sections(sections, "moments", lang)
        st.stop()
    figures: list = []
    worst = next((m for m in result.moments if m.rank == 1 and (m.impact or 0) < 0), None)
    if worst is not None:
        st.metric(
            t("moments.worst", lang),
            worst.touchpoint,
            delta=t("moments.worst_delta", lang, gap=f"{worst.gap:+.0f}", impact=f"{worst.impact:+.0f}"),
            delta_color="normal",  # the most harmful moment is bad news: red, never green
        )
    ranked = [m for m in result.moments if m.rank is not None]
    chart_data = pd.DataFrame(
        {
            "moment": [f"{m.touchpoint} ({m.journey_stage})" for m in ranked],
            "impact": [m.impact for m in ranked],
            "nps": [m.nps.score for m in ranked],
            "n": [m.volume for m in ranked],
            "gap": [m.gap for m in ranked],
        }
    )
    if not chart_data.empty:
        chart = (
            alt.Chart(
                chart_data,
                title=alt.TitleParams(
                    sections[0].finding if sections else t("moments.chart_title", lang),
                    subtitle=[t("moments.chart_title", lang), title_detail(result.overall.n, filters, lang)],
                    anchor="start",
                ),
            )
            .mark_bar()
            .encode(
                x=alt.X("impact:Q", title=t("moments.impact", lang)),
                y=alt.Y("moment:N", sort=None, title=None),
                color=alt.condition("datum.impact < 0", alt.value("#c62828"), alt.value("#2e7d32")),
                tooltip=["moment", "n", "nps", "gap", "impact"],
            )
        )
        st.altair_chart(chart, width="stretch", key="moments_chart_impact")
    all_moments = moments_table(result.moments)
    show_table(all_moments, "moments_table_all", lang)
    figures.append(("impact", t("moments.title", lang), None if chart_data.empty else chart.to_dict(), all_moments))
    st.caption(t("moments.impact_help", lang) + " " + t("small_sample.flag", lang, min_n=MIN_N))

    st.subheader(t("moments.by_role", lang))
    params: dict = {}
    where = filters.where(params)
    present = {str(r[0]) for r in run_rows(ws.con, f"SELECT DISTINCT respondent_role FROM facts {where}", params)}
    roles = [r for r in ROLES if r in present]
    if roles:
        with controls("moments_role"):
            role = st.selectbox(
                t("dim.respondent_role", lang), roles, format_func=lambda r: role_label(r, lang), key="moments_role"
            )
        by_role = moments_of_truth(ws, filters, role=role, include_relationship=include_relationship, min_n=MIN_N)
        top = [m for m in by_role.moments if m.rank is not None and (m.impact or 0) < 0][:3]
        st.caption(
            t(
                "moments.role_caption",
                lang,
                role=role_label(role, lang),
                nps=f"{by_role.overall.score:+.0f}" if by_role.overall.score is not None else "—",
                n=f"{by_role.overall.n:,}",
            )
        )
        if top:
            role_table = moments_table(top)
            show_table(role_table, "moments_table_role", lang)
            figures.append(("role", f"{t('moments.by_role', lang)}: {role_label(role, lang)}", None, role_table))
        else:
            st.info(t("moments.role_none", lang))

    page_downloads(figures, "moments", lang)
    report_downloads(ws, filters, sections, "moments", lang, name="cx_moments")
