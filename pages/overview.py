"""Overview: NPS, CSAT, CES with n and 95% intervals, the NPS split, and scores by group."""

import altair as alt
import pandas as pd
import streamlit as st

from cx_core import nps_distribution, overview, scores_by_group, t
from cx_core.roles import role_label
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
            responses=f"{ov.responses:,}",
            accounts=f"{ov.accounts:,}",
            first=ov.first_date or "?",
            last=ov.last_date or "?",
            filters=filters.describe(),
        )
    )
    c1, c2, c3 = st.columns(3)
    with c1:
        nps_card(ov.nps, lang, key="overview_card_nps")
    with c2:
        mean_card("csat", ov.csat, lang, key="overview_card_csat", scale="5")
    with c3:
        mean_card("ces", ov.ces, lang, key="overview_card_ces", scale="7")

    left, right = st.columns(2)
    with left:
        n = ov.nps.n
        split = pd.DataFrame(
            {
                t("overview.category", lang): [
                    t("nps.promoters", lang),
                    t("nps.passives", lang),
                    t("nps.detractors", lang),
                ],
                t("overview.share", lang): [
                    100 * ov.nps.promoters / n,
                    100 * ov.nps.passives / n,
                    100 * ov.nps.detractors / n,
                ],
                t("overview.count", lang): [ov.nps.promoters, ov.nps.passives, ov.nps.detractors],
            }
        )
        cat, share, count = split.columns
        chart = (
            alt.Chart(split, title=t("overview.split_title", lang, n=f"{n:,}"))
            .mark_bar()
            .encode(
                x=alt.X(f"{share}:Q", scale=alt.Scale(domain=[0, 100])),
                y=alt.Y(f"{cat}:N", sort=None),
                color=alt.Color(f"{cat}:N", scale=alt.Scale(range=["#2e7d32", "#9e9e9e", "#c62828"]), legend=None),
                tooltip=[cat, alt.Tooltip(f"{share}:Q", format=".1f"), count],
            )
        )
        st.altair_chart(chart, width="stretch", key="overview_chart_split")
    with right:
        dist = nps_distribution(ws, filters)
        chart = (
            alt.Chart(dist, title=t("overview.distribution_title", lang, n=f"{int(dist['count'].sum()):,}"))
            .mark_bar()
            .encode(
                x=alt.X("score:O", title="0-10"),
                y=alt.Y("count:Q", title=t("overview.count", lang)),
                color=alt.Color(
                    "category:N",
                    scale=alt.Scale(
                        domain=["detractor", "passive", "promoter"], range=["#c62828", "#9e9e9e", "#2e7d32"]
                    ),
                    legend=None,
                ),
                tooltip=["score", "count"],
            )
        )
        st.altair_chart(chart, width="stretch", key="overview_chart_distribution")

    def group_table(dimension: str, label_fn=str) -> pd.DataFrame:
        rows = scores_by_group(ws, dimension, filters)
        return pd.DataFrame(
            {
                t("overview.group", lang): [label_fn(g.group) for g in rows],
                t("metric.nps", lang): [g.nps.score for g in rows],
                "n": [g.nps.n for g in rows],
                t("overview.ci_low", lang): [g.nps.ci95[0] if g.nps.ci95 else None for g in rows],
                t("overview.ci_high", lang): [g.nps.ci95[1] if g.nps.ci95 else None for g in rows],
                t("overview.small", lang): [g.small_sample for g in rows],
            }
        )

    seg_col, role_col = st.columns(2)
    with seg_col:
        st.subheader(t("overview.by_segment", lang))
        if ws.has_crm:
            st.dataframe(group_table("segment"), hide_index=True, key="overview_table_segment")
        else:
            st.info(t("overview.no_crm", lang))
    with role_col:
        st.subheader(t("overview.by_role", lang))
        st.dataframe(
            group_table("respondent_role", lambda r: role_label(r, lang)), hide_index=True, key="overview_table_role"
        )
    st.caption(t("small_sample.flag", lang, min_n=30))
