"""Account: one account for its account manager - answers over time by role, verbatims, drivers
against the segment and suggested next best actions."""

import altair as alt
import pandas as pd
import streamlit as st

from cx_core import t
from cx_core.accounts import (
    DEFAULT_RULES,
    DRIVER_WINDOW_DAYS,
    account_health,
    account_options,
    account_view,
    need_label,
    reasons_text,
    roles_text,
)
from cx_core.roles import role_label
from ui.accounts import as_of_input, role_weights
from ui.render import guard
from ui.session import get_workspace, language
from ui.sidebar import render_sidebar

filters = render_sidebar()
lang = language()
st.title(t("account_page.title", lang))


def col(name: str) -> str:
    return t(f"account_page.col.{name}", lang)


with guard(lang):
    ws = get_workspace()
    if not ws.has_crm:
        st.info(t("accounts.no_crm", lang))
        st.stop()
    as_of = as_of_input(lang, key="account_as_of")
    weights = role_weights()
    health = account_health(ws, as_of, filters, weights, DEFAULT_RULES)
    options = dict(account_options(health))
    if not options:
        st.warning(t("error.no_data", lang))
        st.stop()
    key = st.selectbox(t("account_page.pick", lang), list(options), format_func=options.get, key="account_pick")
    view = account_view(ws, key, as_of, lang=lang, weights=weights, health=health)
    acc = view.health

    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("account_page.metric_arr", lang), "—" if pd.isna(acc["arr"]) else f"{acc['arr']:,.0f}")
    c2.metric(t("account_page.metric_risk", lang), t(f"accounts.risk.{acc['risk']}", lang))
    wnps = acc["weighted_nps"]
    c3.metric(t("account_page.metric_wnps", lang), "—" if pd.isna(wnps) else f"{wnps:+.0f}")
    c3.caption(t("metric.n", lang, n=acc["respondents"]))
    change = acc["nps_change"]
    c4.metric(t("account_page.metric_change", lang), "—" if pd.isna(change) else f"{change:+.0f}")
    st.caption(
        t(
            "account_page.summary",
            lang,
            segment=acc["segment"],
            owner=acc["owner"],
            renewal=acc["renewal_date"] or "—",
            respondents=acc["respondents"],
        )
    )
    if acc["reasons"]:
        st.markdown(t("account_page.reasons", lang, reasons=reasons_text(acc["reasons"], lang, DEFAULT_RULES)))
    if acc["roles_missing"]:
        st.caption(t("account_page.silent", lang, roles=roles_text(acc["roles_missing"], lang)))

    st.subheader(t("account_page.actions", lang))
    st.caption(t("account_page.actions_caption", lang))
    if view.actions.empty:
        st.info(t("account_page.no_actions", lang))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    col("need"): view.actions["need_label"],
                    col("evidence"): view.actions["evidence"],
                    col("action"): view.actions["action"],
                }
            ),
            hide_index=True,
            key="account_actions",
        )

    if view.timeline.empty:
        st.info(t("account_page.no_responses", lang))
        st.stop()
    st.subheader(t("account_page.timeline_title", lang))
    st.caption(t("account_page.timeline_caption", lang))
    timeline = pd.DataFrame(
        {
            col("date"): pd.to_datetime(view.timeline["day"]),
            col("role"): view.timeline["role"].map(lambda r: role_label(r, lang)),
            col("mean_nps"): view.timeline["mean_nps"],
            col("answers"): view.timeline["answers"],
        }
    )
    date_c, role_c, mean_c, n_c = timeline.columns
    points = (
        alt.Chart(timeline)
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X(f"{date_c}:T"),
            y=alt.Y(f"{mean_c}:Q", scale=alt.Scale(domain=[0, 10])),
            color=alt.Color(f"{role_c}:N"),
            size=alt.Size(f"{n_c}:Q", legend=None),
            tooltip=[alt.Tooltip(f"{date_c}:T"), role_c, mean_c, n_c],
        )
    )
    lines = alt.Chart(timeline).mark_line(opacity=0.4).encode(x=f"{date_c}:T", y=f"{mean_c}:Q", color=f"{role_c}:N")
    st.altair_chart(lines + points, width="stretch", key="account_chart_timeline")

    st.subheader(t("account_page.verbatims", lang))
    st.dataframe(
        pd.DataFrame(
            {
                col("date"): view.verbatims["day"],
                col("role"): view.verbatims["role"].map(lambda r: role_label(r, lang)),
                col("nps"): view.verbatims["nps"],
                col("touchpoint"): view.verbatims["touchpoint"],
                col("comment"): view.verbatims["comment"],
                col("topics"): view.verbatims["topics"].map(lambda ns: ", ".join(need_label(n, lang) for n in ns)),
            }
        ),
        hide_index=True,
        key="account_verbatims",
    )

    st.subheader(t("account_page.drivers", lang))
    st.caption(t("account_page.drivers_caption", lang, days=DRIVER_WINDOW_DAYS, as_of=as_of))
    st.dataframe(
        pd.DataFrame(
            {
                col("driver"): view.drivers["label"],
                col("need"): view.drivers["need"].map(lambda n: need_label(n, lang)),
                col("account_mean"): view.drivers["account_mean"],
                col("account_n"): view.drivers["account_n"],
                col("segment_mean"): view.drivers["segment_mean"],
                col("segment_n"): view.drivers["segment_n"],
                col("gap"): view.drivers["gap"],
            }
        ),
        hide_index=True,
        key="account_drivers",
    )
