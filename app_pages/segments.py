"""Segments: scores by group with n, intervals and honest tests; segment x role; cross-tab;
role-weighted account NPS; trend. Every figure comes from one ``segmentation_view``; every block is
a report section (cx_core.report), so the page, its exports, reports and presenter mode agree."""

import streamlit as st

from cx_core import t
from cx_core.messages import dimension_label
from cx_core.report import (
    comparison_statements,
    crosstab_section,
    groups_section,
    no_nps_group_sections,
    segments_section,
    trend_section,
    value_label,
    weighted_accounts_section,
)
from cx_core.roles import DEFAULT_ROLE_WEIGHTS, ROLES, role_label
from cx_core.segments import CROSSTAB_METRICS, GRAINS, available_dimensions, segmentation_view
from ui.sync import state
from ui.sync.session import memo_view
from ui.sync.warm import crosstab_defaults
from ui.widgets.coverage import coverage_notes
from ui.widgets.export import report_downloads
from ui.widgets.presenter import caption_px, controls, md_escape, render_sections
from ui.widgets.render import bold_label, guard, no_data_message
from ui.widgets.sidebar import render_sidebar

page = render_sidebar()
lang = page.lang
st.title(t("segments.title", lang))


def remember_weight(role: str, key: str) -> None:
    st.session_state[state.ROLE_WEIGHTS] = {
        **st.session_state.get(state.ROLE_WEIGHTS, DEFAULT_ROLE_WEIGHTS),
        role: st.session_state[key],
    }


def weight_inputs() -> dict[str, float]:
    st.subheader(t("segments.weighted", lang), help=t("segments.weighted_help", lang))
    stored = {**DEFAULT_ROLE_WEIGHTS, **st.session_state.get(state.ROLE_WEIGHTS, {})}
    weights = {}
    for column, role in zip(st.columns(len(ROLES)), ROLES, strict=True):
        key = f"segments_weight_{role}"
        # seeded from the shared weights every run: widget state alone is lost on a page switch
        st.session_state[key] = float(stored[role])
        weights[role] = column.number_input(
            t("segments.weight_for", lang, role=md_escape(role_label(role, lang))),
            min_value=0.0,
            max_value=10.0,
            step=0.5,
            key=key,
            on_change=remember_weight,
            args=(role, key),
        )
    st.session_state[state.ROLE_WEIGHTS] = dict(weights)
    return weights


with guard(lang):
    dims = available_dimensions(page.ws)
    if not coverage_notes(page.ws, lang, only=("coverage.no_nps", "coverage.no_scores", "coverage.lead_csat")).nps:
        # the segmentation view is built on NPS; without it, groups are compared on CSAT (else CES)
        render_sections(no_nps_group_sections(page.report()), "segments", lang)
        st.stop()
    if not dims:
        st.info(t("segments.no_groupings", lang))  # no filter hides them: the data has none
        st.stop()

    # Sections are laid out first; each section's controls are read before the one computation.
    caption = st.empty()
    slides = st.container()  # presenter mode: one insight per screen, drawn here
    boxes = {name: st.container() for name in ("groups", "segments", "crosstab", "weighted", "trend")}
    default_row, default_col = crosstab_defaults(dims)
    with boxes["groups"], controls("segments_groups"):
        st.subheader(t("segments.by_group", lang))
        dimension = st.selectbox(
            t("segments.dimension", lang),
            dims,
            index=default_row,
            format_func=lambda d: dimension_label(d, lang),
            key="segments_dimension",
        )
    with boxes["crosstab"], controls("segments_crosstab"):
        st.subheader(t("segments.crosstab", lang))
        c1, c2, c3 = st.columns(3)
        row_dim = c1.selectbox(
            t("segments.crosstab_rows", lang),
            dims,
            index=default_row,
            format_func=lambda d: dimension_label(d, lang),
            key="segments_crosstab_rows",
        )
        col_dim = c2.selectbox(
            t("segments.crosstab_cols", lang),
            dims,
            index=default_col,
            format_func=lambda d: dimension_label(d, lang),
            key="segments_crosstab_cols",
        )
        metric = c3.selectbox(
            t("segments.crosstab_metric", lang),
            CROSSTAB_METRICS,
            format_func=lambda m: t(f"segments.metric_{m}", lang),
            key="segments_crosstab_metric",
        )
    weights = None
    if page.ws.has_crm:  # weighted account NPS needs the accounts of a CRM file
        with boxes["weighted"], controls("segments_weights"):
            weights = weight_inputs()
    with boxes["trend"], controls("segments_trend"):
        st.subheader(t("segments.trend", lang))
        grain = st.radio(
            t("segments.grain", lang),
            GRAINS,
            format_func=lambda g: t(f"segments.grain_{g}", lang),
            horizontal=True,
            key="segments_trend_grain",
        )

    view = memo_view(  # once per (data, filters, options, min n) in this session
        "segments",
        page.ws,
        (page.filters, dimension, (row_dim, col_dim, metric), weights, grain, page.min_n),
        lambda: segmentation_view(
            page.ws,
            page.filters,
            dimension=dimension,
            crosstab=(row_dim, col_dim, metric),
            weights=weights,
            grain=grain,
            min_n=page.min_n,
        ),
    )
    if view.total.n == 0:
        st.warning(no_data_message(lang))
        st.stop()
    caption_text = t(
        "segments.caption",
        lang,
        n=f"{view.total.n:,}",
        filters=md_escape(page.filters.describe(lang)),
        min_n=int(page.min_n),
    )
    caption.caption(caption_text)
    report = page.report(role_weights=weights) if weights is not None else page.report()
    placed = {
        "groups": groups_section(report, view, lambda v: value_label(dimension, v, lang)),
        "segments": segments_section(report, view) if page.ws.has_crm else None,
        "crosstab": crosstab_section(report, view),
        "weighted": weighted_accounts_section(report, view) if page.ws.has_crm else None,
        "trend": trend_section(report, view.trend),
    }
    sections = [s for s in placed.values() if s is not None]
    if page.presenting:
        with slides:
            render_sections(sections, "segments", lang, above=caption_px(caption_text))
        st.stop()
    empty = {
        "crosstab": "segments.crosstab_empty",
        "weighted": "segments.weighted_none",
        "trend": "segments.trend_no_dates",
    }
    for name, section in placed.items():
        with boxes[name]:
            if section is not None:
                render_sections([section], "segments", lang)
            elif name in empty and (name != "weighted" or page.ws.has_crm):
                st.info(t(empty[name], lang))

    with boxes["groups"]:
        bold_label(t("segments.compare", lang))
        names = view.group_names()
        if len(names) < 2:
            st.info(t("segments.one_group", lang))
        else:
            ca, cb = st.columns(2)
            fmt = lambda v: value_label(dimension, v, lang)  # noqa: E731
            a = ca.selectbox(t("segments.compare_a", lang), names, index=0, format_func=fmt, key="segments_compare_a")
            b = cb.selectbox(
                t("segments.compare_b", lang), names, index=len(names) - 1, format_func=fmt, key="segments_compare_b"
            )
            for sentence in comparison_statements(report, view, a, b):
                st.markdown(md_escape(sentence))
    if placed["crosstab"] is not None:
        with boxes["crosstab"]:
            st.download_button(
                t("segments.crosstab_download", lang),
                data=view.crosstab.to_csv(),
                file_name=f"crosstab_{metric}.csv",
                mime="text/csv",
                key="segments_crosstab_download",
            )

    report_downloads(page.ws, page.filters, sections, "segments", lang, name="cx_segments")
