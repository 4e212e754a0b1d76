"""Themes: what the comments are about, how each theme relates to NPS, by segment, role and time."""

import hashlib
import json
import os

import altair as alt
import pandas as pd
import streamlit as st

from cx_core import t
from cx_core.i18n_format import title_detail
from cx_core.report import ReportContext, themes_section
from cx_core.roles import role_label
from cx_core.themes import (
    ENV_KEYS,
    LLMConfig,
    Redactor,
    ThemeEngine,
    build_requests,
    comments_from_workspace,
    crm_names,
    estimate_cost,
    extract_themes,
    llm_cache_key,
    theme_by_dimension,
    theme_impact,
    theme_table,
    theme_trend,
)
from ui.export import page_downloads, report_downloads
from ui.llm import endpoint_capabilities, llm_settings, render_llm_messages
from ui.presenter import controls, presenter_active, render_sections
from ui.render import guard
from ui.session import get_workspace, language
from ui.sidebar import render_sidebar

LLM_RESULTS_KEY = "themes_llm_results"
MIN_N = 30

filters = render_sidebar()
lang = language()
st.title(t("themes.title", lang))


def _comments_hash(comments) -> str:
    digest = hashlib.sha256()
    for c in comments:
        digest.update(f"{c.response_id}\x1f{c.text}\x1f{c.nps}\x1e".encode())
    return digest.hexdigest()


@st.cache_data(max_entries=8, show_spinner=False)
def _offline_cached(key: str, _comments):
    # ``key`` is the content hash of the comments: it alone identifies the cache entry.
    return extract_themes(_comments, ThemeEngine.OFFLINE)


def _configured() -> dict:
    """LLM settings from the environment, then .streamlit/secrets.toml (values never displayed)."""
    values = {k: os.environ.get(k) for k in ENV_KEYS if os.environ.get(k)}
    try:
        values.update({k: str(st.secrets[k]) for k in ENV_KEYS if k in st.secrets})
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        pass
    return values


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
        configured = _configured()
        with st.expander(t("themes.llm_settings", lang), expanded="OPENAI_API_KEY" not in configured):
            values = llm_settings(lang, configured)
        config = LLMConfig.from_mapping(values, language=lang)
        if config is None:
            st.info(t("themes.llm_needs_key", lang))
        else:
            requests = build_requests(result, Redactor(crm_names(ws)), lang)
            estimate = estimate_cost(requests, config)
            st.caption(
                t(
                    "themes.estimate",
                    lang,
                    requests=estimate.requests,
                    tokens_in=f"{estimate.input_tokens:,}",
                    tokens_out=f"{estimate.output_tokens:,}",
                    cost=f"{estimate.cost_usd:.4f}",
                )
            )
            with st.expander(t("themes.preview", lang)):
                st.code(json.dumps([r.messages for r in requests], ensure_ascii=False, indent=1), language="json")
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
                    redactor=Redactor(crm_names(ws)),
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
    ws = get_workspace()
    comments = comments_from_workspace(ws, filters)
    if not comments:
        st.info(t("themes.no_comments", lang))
        st.stop()
    key = _comments_hash(comments)
    with st.spinner():
        result = _offline_cached(key, comments)

    with controls("themes_engine"):
        result = choose_engine(ws, comments, result)
    render_llm_messages(result.messages, lang)

    st.caption(
        t(
            "themes.caption",
            lang,
            comments=f"{result.n_comments:,}",
            substantive=f"{result.n_substantive:,}",
            non_answers=f"{result.n_non_answers:,}",
            uncovered=f"{100 * result.uncovered_share:.1f}%",
            engine=result.engine,
        )
    )
    if not result.themes:
        st.info(t("themes.no_comments", lang))
        st.stop()
    section = themes_section(ReportContext(ws, filters, lang, MIN_N), result)
    sections = [section] if section is not None else []
    if presenter_active():
        render_sections(sections, "themes", lang)
        st.stop()
    figures: list = []

    table = theme_table(result)
    label_col, count_col, share_col = (t(f"themes.col.{c}", lang) for c in ("label", "count", "share"))
    shown = pd.DataFrame(
        {
            label_col: table["label"],
            count_col: table["count"],
            share_col: (100 * table["share"]).round(1),
            t("themes.col.mean_nps", lang): table["mean_nps"],
            t("themes.col.detractors", lang): (100 * table["detractor_share"]).round(1),
            t("themes.col.nps", lang): table["nps"],
            t("themes.col.source", lang): [t(f"themes.source.{s}", lang) for s in table["source"]],
        }
    )
    if (table["source"] == "llm").any():
        shown[t("themes.col.need", lang)] = table["need"]
        shown[t("themes.col.description", lang)] = table["description"]
        shown[t("themes.col.action", lang)] = table["action"]
    st.subheader(t("themes.table", lang))
    st.dataframe(shown, hide_index=True, key="themes_table")
    chart = (
        alt.Chart(
            shown,
            title=alt.TitleParams(
                section.finding if section else t("themes.chart_title", lang, n=f"{result.n_substantive:,}"),
                subtitle=title_detail(result.n_substantive, filters, lang),
                anchor="start",
            ),
        )
        .mark_bar()
        .encode(
            x=alt.X(f"{count_col}:Q"),
            y=alt.Y(f"{label_col}:N", sort=None, axis=alt.Axis(labelLimit=320)),
            tooltip=[label_col, count_col, share_col],
        )
    )
    st.altair_chart(chart, width="stretch", key="themes_chart")
    figures.append(("themes", t("themes.table", lang), chart.to_dict(), shown))

    def crosstab(dimension: str, label_fn=str) -> pd.DataFrame:
        frame = theme_by_dimension(result, comments, dimension)
        frame = frame.assign(group=[label_fn(g) for g in frame["group"]], share=(100 * frame["share"]).round(1))
        pivot = frame.pivot_table(index="label", columns="group", values="share", sort=False).reset_index()
        n = frame.drop_duplicates("group").set_index("group")["n"]
        pivot.columns = [label_col] + [f"{g} (n={n[g]}{'*' if n[g] < MIN_N else ''})" for g in pivot.columns[1:]]
        return pivot

    seg_col, role_col = st.columns(2)
    by_segment, by_role = crosstab("segment"), crosstab("role", lambda r: role_label(r, lang))
    with seg_col:
        st.subheader(t("themes.by_segment", lang))
        st.dataframe(by_segment, hide_index=True, key="themes_by_segment")
    with role_col:
        st.subheader(t("themes.by_role", lang))
        st.dataframe(by_role, hide_index=True, key="themes_by_role")
    figures.append(("by_segment", t("themes.by_segment", lang), None, by_segment))
    figures.append(("by_role", t("themes.by_role", lang), None, by_role))
    st.caption(t("themes.small_groups", lang, min_n=MIN_N))

    st.subheader(t("themes.impact", lang))
    impact = theme_impact(result, comments)
    impact_shown = impact.drop(columns=["key"]).rename(
        columns={c: t(f"themes.col.{c}", lang) for c in impact.columns if c != "key"}
    )
    st.dataframe(impact_shown, hide_index=True, key="themes_impact")
    figures.append(("impact", t("themes.impact", lang), None, impact_shown))

    st.subheader(t("themes.trend", lang))
    trend = theme_trend(result, comments)
    if not trend.empty:
        quarter_col = t("themes.col.quarter", lang)
        trend_shown = pd.DataFrame(
            {
                label_col: trend["label"],
                quarter_col: trend["quarter"],
                share_col: (100 * trend["share"]).round(1),
                "n": trend["n"],
            }
        )
        line = (
            alt.Chart(trend_shown)
            .mark_line(point=True)
            .encode(
                x=alt.X(f"{quarter_col}:O"),
                y=alt.Y(f"{share_col}:Q"),
                color=alt.Color(f"{label_col}:N", legend=alt.Legend(labelLimit=320)),
                tooltip=[label_col, quarter_col, share_col, "n"],
            )
        )
        st.altair_chart(line, width="stretch", key="themes_trend")
        figures.append(("trend", t("themes.trend", lang), line.to_dict(), trend_shown))

    st.subheader(t("themes.quotes", lang))
    keys = [th.key for th in result.themes]
    labels = {th.key: th.label for th in result.themes}
    with controls("themes_quotes"):
        picked = st.selectbox(t("themes.pick_theme", lang), keys, format_func=labels.get, key="themes_quote_theme")
    theme = result.theme(picked)
    if theme is not None:
        if theme.description:
            st.text(theme.description)
        quotes = pd.DataFrame(
            {
                t("themes.col.response_id", lang): [q.response_id for q in theme.quotes],
                t("themes.col.excerpt", lang): [q.excerpt for q in theme.quotes],
                t("themes.col.quote", lang): [q.text for q in theme.quotes],
            }
        )
        st.dataframe(quotes, hide_index=True, key="themes_quotes")
        figures.append(("quotes", f"{t('themes.quotes', lang)}: {theme.label}", None, quotes))
        texts = {c.response_id: c.text for c in comments}
        all_quotes = pd.DataFrame(
            {
                t("themes.col.response_id", lang): theme.response_ids,
                t("themes.col.quote", lang): [texts.get(r, "") for r in theme.response_ids],
            }
        )
        with st.expander(t("themes.all_quotes", lang, n=theme.count)):
            st.dataframe(all_quotes, hide_index=True, key="themes_all_quotes")
        figures.append(("all_quotes", t("themes.all_quotes", lang, n=theme.count), None, all_quotes))

    page_downloads(figures, "themes", lang)
    report_downloads(ws, filters, sections, "themes", lang, name="cx_themes")
