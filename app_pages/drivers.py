"""Needs and drivers: the driver catalogue, need scores (rational vs emotional) and key drivers."""

import json
from contextlib import nullcontext

import altair as alt
import pandas as pd
import streamlit as st

from cx_core import t
from cx_core.drivers import (
    MISSING_METHODS,
    OUTCOMES,
    PERFORMANCE_MEASURES,
    SPLIT_METHODS,
    apply_catalogue,
    catalogue_json,
    key_drivers,
    need_scores,
    set_need,
)
from cx_core.filters import Filters
from cx_core.i18n_format import title_detail
from cx_core.report import ReportContext, drivers_section, needs_section
from cx_core.roles import role_label
from cx_core.schema import DIMENSIONS, NEED_CATEGORY, NEEDS
from cx_core.sql import checked_column, run_rows
from ui.catalogue import reset_catalogue, save_catalogue, session_catalogue
from ui.export import page_downloads, report_downloads
from ui.presenter import controls, presenter_active, render_sections
from ui.render import guard
from ui.session import get_workspace, language
from ui.sidebar import render_sidebar

filters = render_sidebar()
lang = language()
st.title(t("drivers.title", lang))

GROUPINGS = ("none", "segment", "respondent_role")
presenting = presenter_active()
figures: list = []  # (name, label, chart spec, table) for the downloads at the end
QUADRANT_COLOURS = {"fix_first": "#c62828", "keep_up": "#2e7d32", "maintain": "#1565c0", "lower_priority": "#9e9e9e"}


def need_label(need: str) -> str:
    return t(f"drivers.need.{need}", lang)


def group_label(dimension: str, value: str) -> str:
    if dimension == "respondent_role":
        return role_label(value, lang)
    return t("drivers.all_responses", lang) if value == "all" else value


def grouping_label(option: str) -> str:
    return t("drivers.overall", lang) if option == "none" else t(f"dim.{option}", lang)


def group_values(ws, dimension: str, selection: Filters) -> list[str]:
    column = checked_column(dimension, DIMENSIONS)
    params: dict = {}
    where = selection.where(params, extra=[f"{column} IS NOT NULL"])
    return [str(r[0]) for r in run_rows(ws.con, f"SELECT DISTINCT {column} FROM facts {where} ORDER BY 1", params)]


def catalogue_section(ws, catalogue: list[dict]) -> list[dict]:
    st.caption(t("drivers.catalogue_help", lang))
    with controls("drivers_catalogue"):
        return _catalogue_editor(ws, catalogue)


def _catalogue_editor(ws, catalogue: list[dict]) -> list[dict]:
    frame = pd.DataFrame(
        {
            "key": [d["key"] for d in catalogue],
            "label": [d["label"] for d in catalogue],
            "column": [d.get("column", d["label"]) for d in catalogue],
            "need": [d["need"] for d in catalogue],
            "category": [t(f"drivers.category.{NEED_CATEGORY[d['need']]}", lang) for d in catalogue],
        }
    )
    edited = st.data_editor(
        frame,
        column_config={
            "key": None,
            "label": st.column_config.TextColumn(t("drivers.driver", lang)),
            "column": st.column_config.TextColumn(t("drivers.column", lang)),
            "need": st.column_config.SelectboxColumn(
                t("drivers.need", lang), options=list(NEEDS), format_func=need_label, required=True
            ),
            "category": st.column_config.TextColumn(t("drivers.category", lang)),
        },
        disabled=["label", "column", "category"],
        hide_index=True,
        num_rows="fixed",
        key="drivers_catalogue_editor",
    )
    updated = catalogue
    for key, need in zip(edited["key"], edited["need"], strict=True):
        current = next(d["need"] for d in updated if d["key"] == key)
        if need in NEEDS and need != current:
            updated = set_need(updated, key, need)
    if updated != catalogue:
        save_catalogue(ws, updated)
        st.rerun()
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        t("drivers.download_catalogue", lang),
        catalogue_json(catalogue).encode("utf-8"),
        file_name="driver_catalogue.json",
        mime="application/json",
        key="drivers_download_catalogue",
    )
    if ws.loaded is not None:
        doc = {"survey": apply_catalogue(ws.loaded.survey_mapping, catalogue).to_dict()}
        if ws.loaded.crm_mapping:
            doc["crm"] = ws.loaded.crm_mapping.to_dict()
        c2.download_button(
            t("drivers.download_mapping", lang),
            json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"),
            file_name="mapping.json",
            mime="application/json",
            key="drivers_download_mapping",
        )
    if c3.button(t("drivers.reset_catalogue", lang), key="drivers_reset_catalogue"):
        st.session_state.pop("drivers_catalogue_editor", None)
        reset_catalogue(ws)
        st.rerun()
    return catalogue


def needs_block(ws, catalogue: list[dict]) -> pd.DataFrame:
    """The needs tab; returns the overall need scores (for the report and presenter mode)."""
    st.caption(t("drivers.needs_help", lang))
    with controls("drivers_needs"):
        c1, c2 = st.columns(2)
        by = c1.radio(
            t("drivers.needs_by", lang), GROUPINGS, format_func=grouping_label, horizontal=True, key="drivers_needs_by"
        )
        measure = c2.radio(
            t("drivers.measure", lang),
            PERFORMANCE_MEASURES,
            format_func=lambda m: t(f"drivers.measure.{m}", lang),
            horizontal=True,
            key="drivers_needs_measure",
        )
    frame = need_scores(ws, catalogue, filters, by=None if by == "none" else by)
    overall = frame if by == "none" else need_scores(ws, catalogue, filters)
    if presenting:
        return overall
    if frame.empty:
        st.warning(t("error.no_data", lang))
        return overall
    value, low, high = (
        ("mean", "mean_ci_low", "mean_ci_high") if measure == "mean" else ("top2", "top2_ci_low", "top2_ci_high")
    )
    shown = pd.DataFrame(
        {
            "group": [group_label(by, g) for g in frame["group"]],
            "item": [
                need_label(i) if k == "need" else t(f"drivers.category.{i}", lang)
                for i, k in zip(frame["item"], frame["kind"], strict=True)
            ],
            "category": [t(f"drivers.category.{c}", lang) for c in frame["category"]],
            "kind": frame["kind"],
            "n": frame["n"],
            "value": frame[value],
            "low": frame[low],
            "high": frame[high],
            "small": frame["small_sample"],
        }
    )
    value_title = t(f"drivers.measure.{measure}", lang)
    needs_title = alt.TitleParams(
        t("drivers.needs_chart_title", lang, measure=value_title),
        subtitle=title_detail(int(frame["n"].max()), filters, lang),
        anchor="start",
    )
    base = alt.Chart(shown, title=needs_title)
    x = alt.X("item:N", sort=None, title=None)
    colour_field = "group:N" if by != "none" else "category:N"
    # grouped bars side by side when a dimension is chosen; one bar per need otherwise
    offset = {"xOffset": alt.XOffset("group:N")} if by != "none" else {}
    bars = base.mark_bar().encode(
        x=x,
        **offset,
        y=alt.Y("value:Q", title=value_title),
        color=alt.Color(colour_field, title=None),
        opacity=alt.condition("datum.small", alt.value(0.35), alt.value(1.0)),
        tooltip=["group", "item", "n", alt.Tooltip("value:Q", format=".2f"), "low", "high"],
    )
    errors = base.mark_rule(color="black").encode(x=x, y="low:Q", y2="high:Q", **offset)
    st.altair_chart(bars + errors, width="stretch", key="drivers_chart_needs")
    table = shown.drop(columns=["kind"]).rename(
        columns={
            "group": t("drivers.group", lang),
            "item": t("drivers.need", lang),
            "category": t("drivers.category", lang),
            "value": value_title,
            "low": t("overview.ci_low", lang),
            "high": t("overview.ci_high", lang),
            "small": t("overview.small", lang),
        }
    )
    st.dataframe(table, hide_index=True, key="drivers_table_needs")
    st.caption(t("small_sample.flag", lang, min_n=30))
    figures.append(("needs", t("drivers.tab_needs", lang), (bars + errors).to_dict(), table))
    return overall


def key_driver_block(ws, catalogue: list[dict]):
    """The key-drivers tab; returns the key-driver result (None when there are too few answers)."""
    st.caption(t("drivers.kd_help", lang))
    with controls("drivers_key"):
        return _key_drivers(ws, catalogue)


def _key_drivers(ws, catalogue: list[dict]):
    has_csat = bool(run_rows(ws.con, "SELECT count(csat) FROM responses")[0][0])
    outcomes = [o for o in OUTCOMES if o == "nps" or has_csat]
    c1, c2, c3 = st.columns(3)
    outcome = c1.selectbox(
        t("drivers.outcome", lang),
        outcomes,
        format_func=lambda o: t(f"drivers.outcome.{o}", lang),
        key="drivers_outcome",
    )
    performance = c2.radio(
        t("drivers.performance", lang),
        PERFORMANCE_MEASURES,
        format_func=lambda m: t(f"drivers.measure.{m}", lang),
        horizontal=True,
        key="drivers_performance",
    )
    split_by = c3.radio(
        t("drivers.split_by", lang), GROUPINGS, format_func=grouping_label, horizontal=True, key="drivers_split_by"
    )
    group = None
    if split_by != "none":
        values = group_values(ws, split_by, filters)
        if values:
            chosen = st.selectbox(
                t(f"dim.{split_by}", lang), values, format_func=lambda v: group_label(split_by, v), key="drivers_group"
            )
            group = (split_by, chosen)
    with st.expander(t("drivers.method_options", lang)):
        o1, o2 = st.columns(2)
        missing = o1.radio(
            t("drivers.missing", lang),
            MISSING_METHODS,
            format_func=lambda m: t(f"drivers.missing.{m}", lang),
            key="drivers_missing",
        )
        split = o2.radio(
            t("drivers.quadrant_split", lang),
            SPLIT_METHODS,
            format_func=lambda m: t(f"drivers.split.{m}", lang),
            key="drivers_quadrant_split",
        )
    result = key_drivers(
        ws, catalogue, filters, outcome=outcome, performance=performance, group=group, missing=missing, split=split
    )
    if presenting:
        return None if "too_few" in result.warnings else result
    return result


def key_driver_figures(result, catalogue: list[dict]) -> None:
    outcome, performance, missing, split = (
        result.outcome,
        result.performance_measure,
        result.missing,
        result.split_method,
    )
    if "too_few" in result.warnings:
        st.warning(t("drivers.too_few", lang, n=result.responses))
        return
    if result.ranking_uncertain:
        reasons = []
        if "small_n" in result.warnings:
            reasons.append(t("drivers.reason_small_n", lang, n=result.n_used, drivers=len(catalogue)))
        if "top_unstable" in result.warnings:
            reasons.append(
                t(
                    "drivers.reason_top_unstable",
                    lang,
                    share=f"{100 * (result.top_stability or 0):.0f}",
                    resamples=result.resamples,
                )
            )
        st.warning(t("drivers.ranking_uncertain", lang, reasons=" ".join(reasons)))
    top = result.drivers[0]
    m1, m2, m3 = st.columns(3)
    m1.metric(t("drivers.top_driver", lang), top.label)
    m2.metric(t("drivers.r_squared", lang), f"{result.r_squared:.2f}")
    m3.metric("n", f"{result.n_used:,}")
    st.caption(
        t(
            "drivers.kd_method",
            lang,
            outcome=t(f"drivers.outcome.{outcome}", lang),
            missing=t(f"drivers.missing.{missing}", lang),
            n=f"{result.n_used:,}",
            responses=f"{result.responses:,}",
            resamples=result.resamples,
            split=t(f"drivers.split.{split}", lang),
        )
    )
    if result.excluded:
        st.info(t("drivers.excluded", lang, drivers=", ".join(result.excluded)))
    rows = [d for d in result.drivers if d.importance is not None]
    perf_title = t(f"drivers.measure.{performance}", lang)
    plot = pd.DataFrame(
        {
            "driver": [d.label for d in rows],
            "need": [need_label(d.need) for d in rows],
            "importance": [d.importance for d in rows],
            "low": [d.importance_ci95[0] if d.importance_ci95 else None for d in rows],
            "high": [d.importance_ci95[1] if d.importance_ci95 else None for d in rows],
            "performance": [d.performance for d in rows],
            "quadrant": [t(f"drivers.quadrant.{d.quadrant}", lang) if d.quadrant else "" for d in rows],
        }
    )
    quadrant_scale = alt.Scale(
        domain=[t(f"drivers.quadrant.{q}", lang) for q in QUADRANT_COLOURS], range=list(QUADRANT_COLOURS.values())
    )
    top_label = rows[0].label if rows else top.label
    quadrant_title = alt.TitleParams(
        t("drivers.quadrant_title", lang) + " · " + t("drivers.top_driver", lang) + ": " + top_label,
        subtitle=title_detail(result.n_used, filters, lang),
        anchor="start",
    )
    base = alt.Chart(plot, title=quadrant_title)
    x = alt.X("performance:Q", title=perf_title, scale=alt.Scale(zero=False))
    y = alt.Y("importance:Q", title=t("drivers.importance", lang))
    points = base.mark_circle(size=120).encode(
        x=x,
        y=y,
        color=alt.Color("quadrant:N", scale=quadrant_scale, title=None),
        tooltip=["driver", "need", alt.Tooltip("importance:Q", format=".1f"), "low", "high", "performance", "quadrant"],
    )
    whiskers = base.mark_rule(opacity=0.5).encode(
        x=x, y="low:Q", y2="high:Q", color=alt.Color("quadrant:N", scale=quadrant_scale)
    )
    labels = base.mark_text(align="left", dx=8, fontSize=11).encode(x=x, y=y, text="driver:N")
    lines = alt.Chart(pd.DataFrame({"imp": [result.importance_split], "perf": [result.performance_split]}))
    chart = (
        points
        + whiskers
        + labels
        + lines.mark_rule(strokeDash=[4, 4], color="grey").encode(y="imp:Q")
        + lines.mark_rule(strokeDash=[4, 4], color="grey").encode(x="perf:Q")
    )
    st.altair_chart(chart.properties(height=420), width="stretch", key="drivers_chart_quadrant")
    table = pd.DataFrame(
        {
            "#": [d.rank for d in result.drivers],
            t("drivers.driver", lang): [d.label for d in result.drivers],
            t("drivers.need", lang): [need_label(d.need) for d in result.drivers],
            t("drivers.category", lang): [t(f"drivers.category.{d.category}", lang) for d in result.drivers],
            t("drivers.importance", lang): [d.importance for d in result.drivers],
            t("overview.ci_low", lang): [d.importance_ci95[0] if d.importance_ci95 else None for d in result.drivers],
            t("overview.ci_high", lang): [d.importance_ci95[1] if d.importance_ci95 else None for d in result.drivers],
            perf_title: [d.performance for d in result.drivers],
            "n": [d.performance_n for d in result.drivers],
            t("drivers.quadrant", lang): [
                t(f"drivers.quadrant.{d.quadrant}", lang) if d.quadrant else "—" for d in result.drivers
            ],
        }
    )
    st.dataframe(table, hide_index=True, key="drivers_table_importance")
    figures.append(("key_drivers", t("drivers.tab_key_drivers", lang), chart.to_dict(), table))


with guard(lang):
    ws = get_workspace()
    catalogue = session_catalogue(ws)
    if not catalogue:
        st.info(t("drivers.no_drivers", lang))
        st.stop()
    # In presenter mode every control stays drawn (hidden, so its value is kept) and the findings
    # are shown one per screen below.
    with controls("drivers_page") if presenting else nullcontext():
        tab_key, tab_needs, tab_catalogue = st.tabs(  # the insight first; the configuration last
            [t("drivers.tab_key_drivers", lang), t("drivers.tab_needs", lang), t("drivers.tab_catalogue", lang)]
        )
        with tab_catalogue:
            catalogue = catalogue_section(ws, catalogue)
        with tab_needs:
            overall_needs = needs_block(ws, catalogue)
        with tab_key:
            kd_result = key_driver_block(ws, catalogue)
            if kd_result is not None and not presenting:
                key_driver_figures(kd_result, catalogue)
    ctx = ReportContext(ws, filters, lang, extras={"driver_catalogue": catalogue})
    sections = [
        s
        for s in (
            drivers_section(ctx, kd_result) if kd_result is not None else None,
            needs_section(ctx, overall_needs),
        )
        if s is not None
    ]
    if presenting:
        render_sections(sections, "drivers", lang)
    else:
        page_downloads(figures, "drivers", lang)
        report_downloads(ws, filters, sections, "drivers", lang, name="cx_drivers")
