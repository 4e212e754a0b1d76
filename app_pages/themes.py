"""Themes: what the comments are about, how each theme relates to NPS, by segment, role and time."""

import json

import streamlit as st

from cx_core import t
from cx_core.labels import engine_label
from cx_core.report import (
    subtheme_label,
    theme_groups_section,
    theme_impact_section,
    theme_list_section,
    theme_quotes_sections,
    theme_subthemes_section,
    theme_trend_section,
    themes_section,
)
from cx_core.report.periods import period_themes_section
from cx_core.themes import (
    LLMConfig,
    Redactor,
    ThemeEngine,
    comments_from_workspace,
    crm_names,
    estimate_cost,
    extract_themes,
    labels_in_language,
    llm_cache_key,
    llm_requests,
    request_bodies,
    theme_period_shares,
)
from ui.sync import state
from ui.sync.session import memo_view
from ui.widgets.codebook import codebook_view, coverage_caption, edit_panel, uncoded_view
from ui.widgets.coverage import question_choice
from ui.widgets.export import report_downloads
from ui.widgets.llm import (
    cached_offline_themes,
    configured_values,
    endpoint_capabilities,
    known_capabilities,
    llm_settings,
    offline_themes,
    render_llm_messages,
)
from ui.widgets.periods import period_picker
from ui.widgets.presenter import controls, render_sections
from ui.widgets.render import guard, md_escape
from ui.widgets.sidebar import render_sidebar

LLM_RESULTS_KEY = state.THEMES_LLM_RESULTS

#: What the page's captions (comments, engine, coverage) take above its slide in presenter mode.
THEMES_CAPTIONS_PX = 130

page = render_sidebar()
lang = page.lang
st.title(t("themes.title", lang))


def offline_with_progress(comments):
    """The offline themes of the comments (kept per session), with the engine's steps shown as a
    progress bar while they are computed."""
    result = cached_offline_themes(comments)
    if result is not None:
        return result
    bar = st.progress(0.0)

    def progress(fraction: float, status: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=t("themes.offline_progress", lang, status=status))

    try:
        return offline_themes(comments, progress=progress)
    finally:
        bar.empty()


def choose_engine(ws, comments, result):
    """The engine choice (and the LLM settings); returns the themes to show."""
    engine = st.radio(
        t("themes.engine", lang),
        ["offline", "llm"],
        format_func=lambda e: t(f"themes.engine.{e}", lang),
        horizontal=True,
        key="themes_engine",
    )
    if engine == "llm":
        configured = configured_values()
        with st.expander(t("themes.llm_settings", lang), expanded="OPENAI_API_KEY" not in configured):
            values = llm_settings(lang, configured)
        config = LLMConfig.from_mapping(values, language=lang)
        if config is None:
            st.info(t("themes.llm_needs_key", lang))
        else:
            redactor = Redactor(crm_names(ws))
            requests = llm_requests(comments, result, config, redactor)
            estimate = estimate_cost(requests, config)
            st.caption(
                t(
                    "themes.estimate",
                    lang,
                    requests=int(estimate.requests),
                    tokens_in=f"{estimate.input_tokens:,}",
                    tokens_out=f"{estimate.output_tokens:,}",
                    cost=f"{estimate.cost_usd:.4f}",
                )
            )
            with st.expander(t("themes.preview", lang)):
                # the request bodies themselves, after redaction: what the endpoint will receive
                known = known_capabilities(config)
                if known is None:
                    st.caption(t("themes.preview_format_later", lang))
                bodies = request_bodies(requests, config, known)
                st.code(json.dumps(bodies, ensure_ascii=False, indent=1), language="json")
            cache = st.session_state.setdefault(LLM_RESULTS_KEY, {})
            cache_key = llm_cache_key(comments, config)
            if st.button(t("themes.run_llm", lang), key="themes_llm_run"):
                bar = st.progress(0.0)

                def progress(fraction: float, status: str) -> None:
                    bar.progress(min(max(fraction, 0.0), 1.0), text=t("themes.progress", lang, status=status))

                cache[cache_key] = extract_themes(
                    comments,
                    ThemeEngine.LLM,
                    llm=config,
                    redactor=redactor,
                    progress=progress,
                    offline=result,
                    capabilities=endpoint_capabilities(config),
                )
                bar.empty()
            elif cache_key in cache:
                st.caption(t("themes.llm_cached", lang))
            result = cache.get(cache_key, result)
    return result


with guard(lang):
    ws = page.ws
    question = question_choice(ws, lang, key="themes_question")  # one open question, or all of them
    # once per (data, filters, question) in this session; the themes of these comments are remembered by content
    comments = memo_view(
        "themes_comments", ws, (page.filters, question), lambda: comments_from_workspace(ws, page.filters, question)
    )
    if not comments:
        st.info(t("themes.no_comments", lang))
        st.stop()
    result = offline_with_progress(comments)

    with controls("themes_engine"):
        result = choose_engine(ws, comments, result)
    result = labels_in_language(result, lang)  # side words in the reader's language, topics as written
    render_llm_messages(result.messages, lang)
    codebook = codebook_view(ws, comments, result)  # the team's codebook: its ids and names win
    result = codebook.result

    st.caption(
        t(
            "themes.caption",
            lang,
            comments=f"{result.n_comments:,}",
            substantive=f"{result.n_substantive:,}",
            non_answers=f"{result.n_non_answers:,}",
            uncovered=f"{100 * result.uncovered_share:.1f}%",
            engine=md_escape(engine_label(result.engine, lang)),  # names the model the person typed
        )
    )
    coverage_caption(codebook, lang)
    if not result.themes:
        st.info(t("themes.no_comments", lang))
        st.stop()
    report = page.report()
    overview = [
        themes_section(report, result),
        theme_list_section(report, result),
        theme_groups_section(report, result, comments, "segment"),
        theme_groups_section(report, result, comments, "role"),
        theme_impact_section(report, result, comments),
        theme_trend_section(report, result, comments),
    ]
    sections = [s for s in overview if s is not None]
    if page.presenting:
        render_sections(sections[:1], "themes", lang, reserve=THEMES_CAPTIONS_PX)
        st.stop()
    render_sections(sections, "themes", lang)
    with st.expander(t("periods.themes_title", lang), icon=":material/compare_arrows:"):
        periods = period_picker(ws, lang, "themes_periods")
        if periods is not None:
            shares = theme_period_shares(result, comments, *periods)
            compared = period_themes_section(report, shares, *periods)
            if compared is not None:
                render_sections([compared], "themes_periods", lang)

    st.subheader(t("themes.quotes", lang))
    keys = [th.key for th in result.themes]
    labels = {th.key: th.label for th in result.themes}
    with controls("themes_quotes"):
        picked = st.selectbox(
            t("themes.pick_theme", lang), keys, format_func=lambda k: labels.get(k, k), key="themes_quote_theme"
        )
    assert picked is not None  # the theme list is not empty (checked above)
    drill_down = theme_subthemes_section(report, result, picked)
    if drill_down is not None:
        render_sections([drill_down], "themes", lang)
    picked_theme = result.theme(picked)
    subthemes = picked_theme.subthemes if picked_theme else []
    part_choices: list[int | None] = [None, *range(len(subthemes))]
    part = None
    if subthemes:  # read one part of the theme at a time
        part = st.selectbox(
            t("themes.pick_subtheme", lang),
            part_choices,
            format_func=lambda i: t("themes.all_parts", lang) if i is None else subtheme_label(subthemes[i], lang),
            key=f"themes_subtheme_{picked}",
        )
    quotes = theme_quotes_sections(report, result, comments, picked, part)
    if quotes:
        render_sections(quotes[:1], "themes", lang)
        with st.expander(md_escape(quotes[1].title), expanded=part is not None):
            render_sections(quotes[1:], "themes", lang)
    uncoded_view(codebook, lang)
    edit_panel(codebook, lang)
    report_downloads(ws, page.filters, sections[:1], "themes", lang, name="cx_themes")
