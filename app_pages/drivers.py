"""Needs and drivers: key drivers first (importance x performance), then need scores (rational vs
emotional), then the driver catalogue the analysis uses. Every figure is a report section."""

import json

import pandas as pd
import streamlit as st

from cx_core import t
from cx_core.drivers import (
    MISSING_METHODS,
    OUTCOMES,
    PERFORMANCE_MEASURES,
    SPLIT_METHODS,
    apply_catalogue,
    available_outcomes,
    catalogue_json,
    default_outcome,
    drivers_view,
    set_need,
)
from cx_core.messages import dimension_label
from cx_core.report import (
    driver_warnings,
    drivers_section,
    needs_by_group_section,
    needs_section,
    outcome_label,
)
from cx_core.roles import role_label
from cx_core.schema import NEED_CATEGORY, NEEDS
from cx_core.segments import dimension_values
from ui.sync.catalogue import reset_catalogue, save_catalogue, session_catalogue
from ui.sync.session import memo_view
from ui.widgets.export import report_downloads
from ui.widgets.presenter import controls, render_sections
from ui.widgets.render import guard, md_escape, no_data_message
from ui.widgets.sidebar import render_sidebar

page = render_sidebar()
lang = page.lang
st.title(t("drivers.title", lang))

GROUPINGS = ("none", "segment", "respondent_role")


def need_label(need: str) -> str:
    return t(f"drivers.need.{need}", lang)


def group_label(dimension: str, value: str) -> str:
    if dimension == "respondent_role":
        return role_label(value, lang)
    return t("drivers.all_responses", lang) if value == "all" else value


def grouping_label(option: str) -> str:
    return t("drivers.overall", lang) if option == "none" else md_escape(dimension_label(option, lang))


def catalogue_section(ws, catalogue: list[dict]) -> list[dict]:
    with controls("drivers_catalogue"):  # presenter mode hides the configuration (values are kept)
        st.subheader(t("drivers.tab_catalogue", lang))
        st.caption(t("drivers.catalogue_help", lang))
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
                t("drivers.need", lang), options=list(NEEDS), format_func=lambda n: need_label(str(n)), required=True
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


def key_driver_controls(ws) -> dict:
    """The key-driver choices (outcome, performance measure, group, method options) as arguments."""
    # any score the data has can be the outcome (NPS, CSAT, CES or a rating); the Data page's choice first
    outcomes = available_outcomes(ws) or list(OUTCOMES[:1])
    default = default_outcome(ws)
    c1, c2, c3 = st.columns(3)
    outcome = c1.selectbox(
        t("drivers.outcome", lang),
        outcomes,
        index=outcomes.index(default) if default in outcomes else 0,
        format_func=lambda o: outcome_label(ws, o, lang),
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
        values = dimension_values(ws, split_by, page.filters)
        if values:
            chosen = st.selectbox(
                md_escape(dimension_label(split_by, lang)),
                values,
                format_func=lambda v: group_label(split_by, v),
                key="drivers_group",
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
    return {"outcome": outcome, "performance": performance, "group": group, "missing": missing, "split": split}


def needs_controls() -> tuple[str, str]:
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
    return by, measure


with guard(lang):
    ws = page.ws
    catalogue = session_catalogue(ws)
    if not catalogue:
        st.info(t("drivers.no_drivers", lang))
        st.stop()
    slides = st.container()  # presenter mode: one insight per screen, drawn here
    # The insight first: key drivers, then needs; the catalogue they use comes last.
    key_box, needs_box, catalogue_box = st.container(), st.container(), st.container()
    with catalogue_box:
        catalogue = catalogue_section(ws, catalogue)
    with key_box, controls("drivers_key"):
        st.subheader(t("drivers.tab_key_drivers", lang))
        st.caption(t("drivers.kd_help", lang))
        choices = key_driver_controls(ws)
    if not [item for item in catalogue if item.get("key") != choices["outcome"]]:
        # one rating and no score besides it: nothing explains anything (it was shown as an error)
        with key_box:
            st.info(t("drivers.one_rating", lang))
        st.stop()
    with needs_box, controls("drivers_needs"):
        st.subheader(t("drivers.tab_needs", lang))
        st.caption(t("drivers.needs_help", lang))
        by, measure = needs_controls()

    # once per (data, catalogue, filters, min n, choices) in this session: a click in another block
    # (the needs' measure, presenter mode) does not fit the regression again
    view = memo_view(
        "drivers",
        ws,
        (catalogue, page.filters, page.min_n, choices),
        lambda: drivers_view(ws, catalogue, page.filters, min_n=page.min_n, **choices),
    )
    result = view.key_drivers
    report = page.report(driver_catalogue=catalogue)
    key_section = drivers_section(report, result)
    needs = needs_section(report, view.needs, measure)
    by_group = (
        needs_by_group_section(
            report,
            memo_view("needs_by", ws, (catalogue, page.filters, page.min_n, by), lambda: view.needs_by(by)),
            by,
            measure,
        )
        if by != "none"
        else None
    )
    sections = [s for s in (key_section, needs, by_group) if s is not None]
    if page.presenting:
        with slides:
            render_sections(sections, "drivers", lang)
        st.stop()
    with key_box:
        for warning in driver_warnings(report, result, len(catalogue)):
            st.warning(md_escape(warning))
        if key_section is not None:
            top = result.drivers[0]
            m1, m2, m3 = st.columns(3)
            m1.metric(t("drivers.top_driver", lang), top.label)
            m2.metric(t("drivers.r_squared", lang), f"{result.r_squared:.2f}")
            m3.metric("n", f"{result.n_used:,}")
            render_sections([key_section], "drivers", lang)
    with needs_box:
        if needs is None:
            st.warning(no_data_message(lang))
        render_sections([s for s in (needs, by_group) if s is not None], "drivers", lang)
    report_downloads(ws, page.filters, sections, "drivers", lang, name="cx_drivers")
