"""Account: one account for its account manager - next best actions, the themes of its comments,
answers over time by role, verbatims and drivers against the segment.

Every block is a report section (cx_core.report.account_sections): its title states the finding,
the n and the scope; its table (and chart) can be downloaded; presenter mode shows one per screen.
"""

import json

import pandas as pd
import streamlit as st

from cx_core import t
from cx_core.accounts import (
    DEFAULT_RULES,
    account_health,
    account_options,
    account_view,
    action_messages,
    action_request_body,
    phrase_actions,
    phrasing_cache_key,
    reasons_text,
    roles_text,
)
from cx_core.i18n_format import format_date
from cx_core.labels import code_label
from cx_core.report import account_sections
from cx_core.themes import Redactor, comments_from_workspace, crm_names, labels_in_language, llm_cache_key
from ui.sync import state
from ui.sync.session import memo_view
from ui.widgets.accounts import as_of_input, role_weights
from ui.widgets.cases import render_account_cases
from ui.widgets.codebook import themes_for
from ui.widgets.llm import configured_llm, endpoint_capabilities, known_capabilities, llm_notice, offline_themes
from ui.widgets.presenter import controls, md_escape, on_first_slide, presenter_active, render_sections
from ui.widgets.render import guard, money_label, no_data_message
from ui.widgets.sidebar import render_sidebar

THEMES_LLM_RESULTS_KEY = state.THEMES_LLM_RESULTS  # where the Themes page keeps its LLM-named themes
PHRASED_KEY = state.ACCOUNT_LLM_ACTIONS

page = render_sidebar()
filters, lang, min_n = page.filters, page.lang, page.min_n
st.title(t("account_page.title", lang))


#: What the account's header (figures, summary, reasons) takes above its first slide in presenter mode.
ACCOUNT_HEADER_PX = 300

with guard(lang):
    ws = page.ws
    if not ws.has_crm:
        st.info(t("accounts.no_crm", lang))
        st.stop()
    with controls("account"):
        as_of = as_of_input(lang, key="account_as_of")
        weights = role_weights()
        health = memo_view(  # the same slot as the Accounts page's: one computation for both pages
            "account_health",
            ws,
            (as_of, filters, weights),
            lambda: account_health(ws, as_of, filters, weights, DEFAULT_RULES),
        )
        options = dict(account_options(health))
        if not options:
            st.warning(no_data_message(lang))
            st.stop()
        key = st.selectbox(
            t("account_page.pick", lang), list(options), format_func=lambda k: options.get(k, k), key="account_pick"
        )
    assert key is not None  # the account list is not empty (checked above)

    # Themes of every comment (not just this account's): steadier, and named the same on every account.
    comments = memo_view("all_comments", ws, (), lambda: comments_from_workspace(ws), keep=1)
    with st.spinner():
        themes = labels_in_language(offline_themes(comments), lang)  # "deliveries: complaints", not 納期・納品 / …
    themes_source = "offline"
    config = configured_llm(lang)
    if config is not None:
        # The Themes page's LLM-named themes of the same comments carry a classified need: use them.
        llm_key = llm_cache_key(comments, config)
        named = st.session_state.get(THEMES_LLM_RESULTS_KEY, {}).get(llm_key)
        if named is not None:
            themes, themes_source = named, llm_key
    themes, codebook_tag = themes_for(ws, comments, themes)  # the team's codebook wins over any engine
    themes_source = f"{themes_source}|{codebook_tag}"
    # once per (data, account, date, filters, weights, language, themes) in this session; the themes
    # are named by their source (the offline ones follow from the data, the LLM's from their cache key)
    view = memo_view(
        "account",
        ws,
        (key, as_of, filters, weights, lang, themes_source),
        lambda: account_view(ws, key, as_of, lang=lang, weights=weights, health=health, themes=themes),
    )
    acc = view.health

    # presenter mode: the account's header is shown with its first slide only (later ones need the room)
    if not presenter_active() or on_first_slide("account"):
        c1, c2, c3, c4 = st.columns(4)
        c1.metric(
            money_label(t("account_page.metric_arr", lang), lang), "—" if pd.isna(acc["arr"]) else f"{acc['arr']:,.0f}"
        )
        c2.metric(t("account_page.metric_risk", lang), t(f"accounts.risk.{acc['risk']}", lang))
        wnps = acc["weighted_nps"]
        c3.metric(t("account_page.metric_wnps", lang), "—" if pd.isna(wnps) else f"{wnps:+.0f}")
        c3.caption(t("metric.n", lang, n=int(acc["respondents"])))
        change = acc["nps_change"]
        c4.metric(t("account_page.metric_change", lang), "—" if pd.isna(change) else f"{change:+.0f}")
        st.caption(
            t(
                "account_page.summary",
                lang,
                segment=md_escape(code_label(acc["segment"], lang)),
                owner=md_escape(acc["owner"]),
                renewal=format_date(acc["renewal_date"], lang) if acc["renewal_date"] else "—",
                respondents=int(acc["respondents"]),
            )
        )
        if acc["reasons"]:
            st.markdown(
                t("account_page.reasons", lang, reasons=md_escape(reasons_text(acc["reasons"], lang, DEFAULT_RULES)))
            )
        if acc["roles_missing"]:
            st.caption(t("account_page.silent", lang, roles=md_escape(roles_text(acc["roles_missing"], lang))))
        render_account_cases(view, lang)
        if view.timeline.empty:
            st.info(t("account_page.no_responses", lang))

    phrased_actions, source = None, "rules"
    with controls("account_llm"):
        if config is None:
            st.caption(t("account_page.llm_off", lang))  # the setup hint is in the README
        else:
            redactor = Redactor(crm_names(ws))
            messages = action_messages(view, redactor, lang)
            cache_key = phrasing_cache_key(messages, config)
            store = st.session_state.setdefault(PHRASED_KEY, {})
            with st.expander(t("account_page.llm_preview", lang)):
                body = action_request_body(messages, config, known_capabilities(config))  # the request itself
                st.code(json.dumps(body, ensure_ascii=False, indent=1), language="json")
            if st.button(
                t("account_page.llm_button", lang), key="account_llm_phrase", help=t("account_page.llm_help", lang)
            ):
                with st.spinner():
                    store[cache_key] = phrase_actions(
                        view, config, redactor=redactor, lang=lang, capabilities=endpoint_capabilities(config)
                    )
            phrased = store.get(cache_key)
            if phrased is not None:
                if phrased.message:
                    st.warning(llm_notice(phrased.message, lang))
                else:
                    st.success(t("account_page.llm_done", lang, model=md_escape(config.model)))
                    if not st.toggle(t("account_page.llm_show_rules", lang), key="account_llm_show_rules"):
                        phrased_actions, source = phrased.actions, phrased.source

    sections = account_sections(view, as_of, lang, actions=phrased_actions, actions_source=source)
    render_sections(sections, "account", lang, reserve=ACCOUNT_HEADER_PX)
