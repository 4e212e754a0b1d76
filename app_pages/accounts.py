"""Accounts: health of every CRM account with its risk level and reasons, and CX linked to churn and ARR.

Every table and chart is a report section (cx_core.report): the page, its exports, reports and
presenter mode show the same numbers."""

import streamlit as st

from cx_core import t
from cx_core.accounts import DEFAULT_RULES, RISK_LEVELS, account_health, cx_outcomes, roles_text
from cx_core.report import account_health_section, accounts_section, outcome_sections
from ui.sync.session import memo_view
from ui.widgets.accounts import as_of_input, role_weights
from ui.widgets.export import report_downloads
from ui.widgets.presenter import controls, render_sections
from ui.widgets.render import guard, md_escape, money_label
from ui.widgets.sidebar import render_sidebar

page = render_sidebar()
lang = page.lang
st.title(t("accounts.title", lang))


def money(value: float) -> str:
    return f"{value:,.0f}"


with guard(lang):
    ws = page.ws
    if not ws.has_crm:
        st.info(t("accounts.no_crm", lang))
        st.stop()
    with controls("accounts_as_of"):
        as_of = as_of_input(lang, key="accounts_as_of")
    rules = DEFAULT_RULES
    weights = role_weights()
    health = memo_view(  # the same slot as the Account page's: one computation for both pages
        "account_health",
        ws,
        (as_of, page.filters, weights),
        lambda: account_health(ws, as_of, page.filters, weights, rules),
    )
    outcomes = cx_outcomes(health)
    report = page.report(as_of=as_of, role_weights=weights)
    at_risk = accounts_section(report, health, as_of)
    sections = [s for s in (at_risk,) if s is not None]
    if page.presenting:
        render_sections(sections, "accounts", lang)
        st.stop()
    (latest_from, _latest_to), (previous_from, previous_to) = rules.periods(as_of)
    st.caption(
        t(
            "accounts.periods",
            lang,
            latest_from=md_escape(latest_from.isoformat()),
            as_of=md_escape(as_of.isoformat()),
            days=int(rules.period_days),
            previous_from=md_escape(previous_from.isoformat()),
            previous_to=md_escape(previous_to.isoformat()),
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

    with controls("accounts_risk"):
        levels = st.multiselect(
            t("accounts.risk_filter", lang),
            list(RISK_LEVELS),
            default=list(RISK_LEVELS),
            format_func=lambda r: t(f"accounts.risk.{r}", lang),
            key="accounts_risk_filter",
        )
    health_section = account_health_section(report, health, levels, rules)
    render_sections([s for s in (health_section,) if s is not None], "accounts", lang)
    with st.expander(t("accounts.rules_title", lang)):
        st.write(
            t(
                "accounts.rules_text",
                lang,
                renewal_days=int(rules.renewal_days),
                drop=f"{rules.nps_drop:g}",
                key_roles=md_escape(roles_text(list(rules.key_roles), lang)),
            )
        )

    st.subheader(t("accounts.outcomes_title", lang))
    render_sections(outcome_sections(report, outcomes), "accounts", lang, columns=2)
    report_downloads(ws, page.filters, sections, "accounts", lang, name="cx_accounts")
