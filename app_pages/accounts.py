"""Accounts: health of every CRM account with its risk level and reasons, and CX linked to churn and ARR."""

import altair as alt
import pandas as pd
import streamlit as st

from cx_core import t
from cx_core.accounts import (
    DEFAULT_RULES,
    MIN_ACCOUNTS,
    MIN_CHURNED,
    RISK_LEVELS,
    account_health,
    cx_outcomes,
    reasons_text,
    roles_text,
)
from cx_core.export import to_csv_bytes, to_xlsx_bytes
from cx_core.i18n_format import title_detail
from cx_core.report import ReportContext, accounts_section
from ui.accounts import as_of_input, role_weights
from ui.export import page_downloads, report_downloads
from ui.presenter import controls, presenter_active, render_sections
from ui.render import ACCOUNTS_FIRST, guard, money_label, show_table
from ui.session import get_workspace, language
from ui.sidebar import render_sidebar

filters = render_sidebar()
lang = language()
st.title(t("accounts.title", lang))


def money(value: float) -> str:
    return f"{value:,.0f}"


def band_label(band: str) -> str:
    return t("accounts.category.no_response", lang) if band == "no_response" else band


def outcome_table(frame: pd.DataFrame, label_fn) -> pd.DataFrame:
    shown = frame.copy()
    shown["group"] = shown["group"].map(label_fn)
    return shown.rename(columns={c: t(f"accounts.col.{c}", lang) for c in shown.columns})


with guard(lang):
    ws = get_workspace()
    if not ws.has_crm:
        st.info(t("accounts.no_crm", lang))
        st.stop()
    with controls("accounts_as_of"):
        as_of = as_of_input(lang, key="accounts_as_of")
    rules = DEFAULT_RULES
    weights = role_weights()
    health = account_health(ws, as_of, filters, weights, rules)
    outcomes = cx_outcomes(health)
    ctx = ReportContext(ws, filters, lang, extras={"as_of": as_of, "role_weights": weights})
    sections = [s for s in (accounts_section(ctx, health, as_of),) if s is not None]
    if presenter_active():
        render_sections(sections, "accounts", lang)
        st.stop()
    figures: list = []
    (latest_from, _), (previous_from, previous_to) = rules.periods(as_of)
    st.caption(
        t(
            "accounts.periods",
            lang,
            latest_from=latest_from,
            as_of=as_of,
            days=rules.period_days,
            previous_from=previous_from,
            previous_to=previous_to,
        )
    )
    share = 100 * outcomes.arr_at_risk / outcomes.total_arr if outcomes.total_arr else 0.0
    c1, c2, c3 = st.columns(3)
    c1.metric(
        money_label(t("accounts.metric_arr_at_risk", lang), lang),
        money(outcomes.arr_at_risk),
        help=t("accounts.arr_at_risk_help", lang, share=f"{share:.1f}"),
    )
    c2.metric(t("accounts.metric_accounts_at_risk", lang), f"{outcomes.accounts_at_risk:,}")
    c3.metric(money_label(t("accounts.metric_total_arr", lang), lang), money(outcomes.total_arr))

    st.subheader(t("accounts.health_title", lang))
    counts = health["risk"].value_counts()
    st.caption(
        t(
            "accounts.count_caption",
            lang,
            accounts=f"{len(health):,}",
            high=int(counts.get("high", 0)),
            medium=int(counts.get("medium", 0)),
            low=int(counts.get("low", 0)),
        )
    )
    with controls("accounts_risk"):
        levels = st.multiselect(
            t("accounts.risk_filter", lang),
            list(RISK_LEVELS),
            default=list(RISK_LEVELS),
            format_func=lambda r: t(f"accounts.risk.{r}", lang),
            key="accounts_risk_filter",
        )
    chosen = health[health["risk"].isin(levels)]
    table = pd.DataFrame(
        {
            "account_id": chosen["account_id"],
            "account_name": chosen["account_name"],
            "segment": chosen["segment"],
            "owner": chosen["owner"],
            "arr": chosen["arr"],
            "renewal_date": chosen["renewal_date"],
            "days_to_renewal": chosen["days_to_renewal"],
            "risk": chosen["risk"].map(lambda r: t(f"accounts.risk.{r}", lang)),
            "reasons": chosen["reasons"].map(lambda codes: reasons_text(codes, lang, rules)),
            "weighted_nps": chosen["weighted_nps"],
            "nps_change": chosen["nps_change"],
            "respondents": chosen["respondents"],
            "roles_responded": chosen["roles_responded"].map(lambda r: roles_text(r, lang)),
            "roles_missing": chosen["roles_missing"].map(lambda r: roles_text(r, lang)),
            "detractors": chosen["detractors"],
            "churned_flag": chosen["churned"],
            "latest_comments": chosen["latest_comments"],
        }
    )
    table = table.rename(columns={c: t(f"accounts.col.{c}", lang) for c in table.columns})
    show_table(table, "accounts_table", lang, first=[t(f"accounts.col.{c}", lang) for c in ACCOUNTS_FIRST])
    d1, d2, _ = st.columns([1, 1, 4])
    d1.download_button(
        t("follow_up.download_csv", lang),
        data=to_csv_bytes(table),
        file_name="accounts.csv",
        mime="text/csv",
        key="accounts_download_csv",
    )
    d2.download_button(
        t("follow_up.download_xlsx", lang),
        data=to_xlsx_bytes(table, "accounts"),
        file_name="accounts.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="accounts_download_xlsx",
    )
    with st.expander(t("accounts.rules_title", lang)):
        st.write(
            t(
                "accounts.rules_text",
                lang,
                renewal_days=rules.renewal_days,
                drop=f"{rules.nps_drop:g}",
                key_roles=roles_text(list(rules.key_roles), lang),
            )
        )

    st.subheader(t("accounts.outcomes_title", lang))
    st.caption(t("accounts.outcomes_caption", lang))
    if outcomes.small_data:
        st.warning(
            t(
                "accounts.small_data",
                lang,
                accounts=outcomes.accounts,
                churned=outcomes.churned,
                min_accounts=MIN_ACCOUNTS,
                min_churned=MIN_CHURNED,
            )
        )
    left, right = st.columns(2)
    by_category = outcome_table(outcomes.by_category, lambda g: t(f"accounts.category.{g}", lang))
    by_band = outcome_table(outcomes.by_band, band_label)
    with left:
        st.markdown(f"**{t('accounts.by_category', lang)}**")
        st.dataframe(by_category, hide_index=True, key="accounts_outcomes_category")
    with right:
        st.markdown(f"**{t('accounts.by_band', lang)}**")
        st.dataframe(by_band, hide_index=True, key="accounts_outcomes_band")
    figures.append(("by_category", t("accounts.by_category", lang), None, by_category))
    bands = outcomes.by_band.assign(group=outcomes.by_band["group"].map(band_label))
    group, rate = t("accounts.col.group", lang), t("accounts.col.churn_rate", lang)
    low, high = t("accounts.col.churn_ci_low", lang), t("accounts.col.churn_ci_high", lang)
    bands = bands.rename(
        columns={"group": group, "churn_rate": rate, "churn_ci_low": low, "churn_ci_high": high, "accounts": "n"}
    )
    band_title = alt.TitleParams(
        t("accounts.by_band", lang),
        subtitle=title_detail(outcomes.accounts, filters, lang),
        anchor="start",
    )
    base = alt.Chart(bands, title=band_title)
    chart = base.mark_bar().encode(
        x=alt.X(f"{group}:N", sort=None), y=alt.Y(f"{rate}:Q", title=rate), tooltip=[group, rate, low, high, "n"]
    ) + base.mark_rule().encode(x=alt.X(f"{group}:N", sort=None), y=alt.Y(f"{low}:Q", title=rate), y2=f"{high}:Q")
    st.altair_chart(chart, width="stretch", key="accounts_chart_churn")
    figures.append(("by_band", t("accounts.by_band", lang), chart.to_dict(), by_band))
    page_downloads(figures, "accounts", lang)
    report_downloads(ws, filters, sections, "accounts", lang, name="cx_accounts")
