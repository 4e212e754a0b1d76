"""Segments: scores by group with n, intervals and honest tests; segment x role; cross-tab;
role-weighted account NPS; trend. Every figure comes from one call to ``segmentation_view``."""

import altair as alt
import pandas as pd
import streamlit as st

from cx_core import t
from cx_core.i18n_format import format_number, p_relation
from cx_core.report import ReportContext, groups_section, segments_section, trend_finding, trend_section
from cx_core.roles import DEFAULT_ROLE_WEIGHTS, ROLES, role_label
from cx_core.segments import CROSSTAB_METRICS, GRAINS, available_dimensions, segmentation_view
from ui.export import page_downloads, report_downloads
from ui.presenter import controls, presenter_active, render_sections
from ui.render import guard
from ui.session import get_workspace, language
from ui.sidebar import current_min_n, render_sidebar

WEIGHTS_KEY = "cx_role_weights"  # shared with the Accounts page
SOLID, SMALL = "#1565c0", "#bdbdbd"

filters = render_sidebar()
lang = language()
st.title(t("segments.title", lang))


def dim_label(dimension: str) -> str:
    label = t(f"dim.{dimension}", lang)
    return dimension if label == f"dim.{dimension}" else label


def value_label(dimension: str, value: str) -> str:
    return role_label(value, lang) if dimension == "respondent_role" else str(value)


def fmt_p(p) -> str:
    return "—" if p is None else ("< 0.001" if p < 0.001 else f"{p:.3f}")


def fmt_ci(ci, digits: int = 0) -> str:
    return "—" if not ci else " – ".join(format_number(bound, lang, digits=digits) for bound in ci)


def title(main: str, n: int) -> alt.TitleParams:
    sub = t("segments.chart_subtitle", lang, n=f"{n:,}", filters=filters.describe())
    return alt.TitleParams(text=main, subtitle=sub, anchor="start")


def remember_weight(role: str, key: str) -> None:
    st.session_state[WEIGHTS_KEY] = {
        **st.session_state.get(WEIGHTS_KEY, DEFAULT_ROLE_WEIGHTS),
        role: st.session_state[key],
    }


def statement(cmp, metric_name: str, a: str, b: str, min_n: int, digits: int = 1) -> str:
    if not cmp.tested:
        key = "segments.sig_small" if cmp.reason == "small_sample" else "segments.sig_untestable"
        return t(key, lang, metric=metric_name, a=a, b=b, min_n=min_n)
    key = "segments.sig_yes" if cmp.significant else "segments.sig_no"
    return t(
        key, lang, metric=metric_name, a=a, b=b, diff=f"{cmp.difference:+.{digits}f}", p=p_relation(cmp.p_adjusted)
    )


with guard(lang):
    ws = get_workspace()
    min_n = current_min_n()
    dims = available_dimensions(ws)
    if not dims:
        st.warning(t("error.no_data", lang))
        st.stop()

    # Sections are laid out first; each section's controls are read before the one computation.
    caption = st.empty()
    slides = st.container()  # presenter mode: one insight per screen, drawn here
    sec_groups, sec_heatmap, sec_cross, sec_weights, sec_trend = (st.container() for _ in range(5))
    figures: list = []  # (name, label, chart spec, table) for the downloads at the end

    with sec_groups, controls("segments_groups"):
        st.subheader(t("segments.by_group", lang))
        default_dim = dims.index("segment") if "segment" in dims else 0
        dimension = st.selectbox(
            t("segments.dimension", lang), dims, index=default_dim, format_func=dim_label, key="segments_dimension"
        )
    with sec_cross, controls("segments_crosstab"):
        st.subheader(t("segments.crosstab", lang))
        c1, c2, c3 = st.columns(3)
        row_dim = c1.selectbox(
            t("segments.crosstab_rows", lang),
            dims,
            index=default_dim,
            format_func=dim_label,
            key="segments_crosstab_rows",
        )
        others = [i for i, d in enumerate(dims) if i != default_dim] or [0]  # never Role x Role by default
        col_default = next((i for i in others if dims[i] == "respondent_role"), others[0])
        col_dim = c2.selectbox(
            t("segments.crosstab_cols", lang),
            dims,
            index=col_default,
            format_func=dim_label,
            key="segments_crosstab_cols",
        )
        metric = c3.selectbox(
            t("segments.crosstab_metric", lang),
            CROSSTAB_METRICS,
            format_func=lambda m: t(f"segments.metric_{m}", lang),
            key="segments_crosstab_metric",
        )
    with sec_weights, controls("segments_weights"):
        st.subheader(t("segments.weighted", lang), help=t("segments.weighted_help", lang))
        stored = {**DEFAULT_ROLE_WEIGHTS, **st.session_state.get(WEIGHTS_KEY, {})}
        weights = {}
        for column, role in zip(st.columns(len(ROLES)), ROLES, strict=True):
            key = f"segments_weight_{role}"
            # seeded from the shared weights every run: widget state alone is lost on a page switch
            st.session_state[key] = float(stored[role])
            weights[role] = column.number_input(
                t("segments.weight_for", lang, role=role_label(role, lang)),
                min_value=0.0,
                max_value=10.0,
                step=0.5,
                key=key,
                on_change=remember_weight,
                args=(role, key),
            )
        st.session_state[WEIGHTS_KEY] = dict(weights)
    with sec_trend, controls("segments_trend"):
        st.subheader(t("segments.trend", lang))
        grain = st.radio(
            t("segments.grain", lang),
            GRAINS,
            format_func=lambda g: t(f"segments.grain_{g}", lang),
            horizontal=True,
            key="segments_trend_grain",
        )

    view = segmentation_view(
        ws,
        filters,
        dimension=dimension,
        crosstab=(row_dim, col_dim, metric),
        weights=weights,
        grain=grain,
        min_n=min_n,
    )
    total_n = view.total.n
    if total_n == 0:
        st.warning(t("error.no_data", lang))
        st.stop()
    caption.caption(t("segments.caption", lang, n=f"{total_n:,}", filters=filters.describe(), min_n=min_n))
    ctx = ReportContext(ws, filters, lang, min_n, {"role_weights": weights})
    sections = [
        s
        for s in (
            groups_section(ctx, view, lambda v: value_label(dimension, v)),
            segments_section(ctx, view) if ws.has_crm else None,
            trend_section(ctx, view.trend, min_n),
        )
        if s is not None
    ]
    if presenter_active():
        with slides:
            render_sections(sections, "segments", lang)
        st.stop()
    by_key = {s.key: s for s in sections}

    # --- scores by group ---------------------------------------------------------------------
    with sec_groups:
        yes, no, untested = t("segments.yes", lang), t("segments.no", lang), t("segments.not_tested", lang)
        table = pd.DataFrame(
            {
                t("segments.col_rank", lang): [g.rank for g in view.groups],
                t("segments.col_group", lang): [value_label(dimension, g.group) for g in view.groups],
                "n": [g.scores.n for g in view.groups],
                t("metric.nps", lang): [g.scores.nps.score for g in view.groups],
                t("segments.col_ci", lang): [fmt_ci(g.scores.nps.ci95) for g in view.groups],
                t("segments.col_csat", lang): [g.scores.csat.score if g.scores.csat else None for g in view.groups],
                t("segments.col_csat_ci", lang): [
                    fmt_ci(g.scores.csat.ci95, 2) if g.scores.csat else "—" for g in view.groups
                ],
                t("segments.col_ces", lang): [g.scores.ces.score if g.scores.ces else None for g in view.groups],
                t("segments.col_ces_ci", lang): [
                    fmt_ci(g.scores.ces.ci95, 2) if g.scores.ces else "—" for g in view.groups
                ],
                t("segments.col_vs_rest", lang): [g.vs_rest.difference for g in view.groups],
                t("segments.col_p", lang): [fmt_p(g.vs_rest.p_adjusted) for g in view.groups],
                t("segments.col_significant", lang): [
                    (yes if g.vs_rest.significant else no) if g.vs_rest.tested else untested for g in view.groups
                ],
                t("segments.col_small", lang): [g.small_sample for g in view.groups],
            }
        )
        small_rows = [g.small_sample for g in view.groups]
        styled = table.style.apply(
            lambda row: ["color: #9e9e9e" if small_rows[row.name] else "" for _ in row], axis=1
        ).format(precision=1, na_rep="—")
        solid = [g for g in view.groups if not g.small_sample]
        if solid:
            main = t(
                "segments.group_chart_title",
                lang,
                top=value_label(dimension, solid[0].group),
                top_score=solid[0].scores.nps.score,
                bottom=value_label(dimension, solid[-1].group),
                bottom_score=solid[-1].scores.nps.score,
            )
        else:
            main = t("segments.group_chart_title_none", lang, min_n=min_n)
        chart_data = pd.DataFrame(
            {
                "group": [value_label(dimension, g.group) for g in view.groups],
                "nps": [g.scores.nps.score for g in view.groups],
                "low": [g.scores.nps.ci95[0] if g.scores.nps.ci95 else None for g in view.groups],
                "high": [g.scores.nps.ci95[1] if g.scores.nps.ci95 else None for g in view.groups],
                "n": [g.scores.n for g in view.groups],
                "small": small_rows,
            }
        )
        order = list(chart_data["group"])
        colour = alt.Color("small:N", scale=alt.Scale(domain=[False, True], range=[SOLID, SMALL]), legend=None)
        base = alt.Chart(chart_data)
        group_title = title(main, total_n)
        y = alt.Y("group:N", sort=order, title=dim_label(dimension))
        chart = base.mark_rule(strokeWidth=2).encode(
            y=y, x=alt.X("low:Q", title="NPS", scale=alt.Scale(domain=[-100, 100])), x2="high:Q", color=colour
        ) + base.mark_point(filled=True, size=80).encode(y=y, x="nps:Q", color=colour, tooltip=["group", "nps", "n"])
        # Explicit height: Streamlit fits the whole chart (title and axes included) into it.
        chart = chart.properties(title=group_title, height=36 * len(chart_data) + 110)
        st.altair_chart(chart, width="stretch", key="segments_chart_groups")
        figures.append(("groups", t("segments.by_group", lang), chart.to_dict(), table))
        st.dataframe(styled, hide_index=True, key="segments_table_groups")
        note = "segments.holm_note" if view.tested_groups > 1 else "segments.single_test_note"
        st.caption(t(note, lang, k=view.tested_groups, min_n=min_n))
        significant = [value_label(dimension, g.group) for g in view.groups if g.vs_rest.significant]
        st.markdown(
            t("segments.significant_groups", lang, groups=", ".join(significant))
            if significant
            else t("segments.no_significant_groups", lang)
        )

        st.markdown(f"**{t('segments.compare', lang)}**")
        names = view.group_names()
        if len(names) < 2:
            st.info(t("segments.one_group", lang))
        else:
            ca, cb = st.columns(2)
            fmt = lambda v: value_label(dimension, v)  # noqa: E731
            a = ca.selectbox(t("segments.compare_a", lang), names, index=0, format_func=fmt, key="segments_compare_a")
            b = cb.selectbox(
                t("segments.compare_b", lang), names, index=len(names) - 1, format_func=fmt, key="segments_compare_b"
            )
            if a == b:
                st.info(t("segments.same_group", lang))
            else:
                for m, digits in (("nps", 1), ("csat", 2), ("ces", 2)):
                    cmp = view.compare(a, b, m)
                    if cmp.reason == "not_in_data":
                        continue
                    st.markdown(statement(cmp, t(f"metric.{m}", lang), fmt(a), fmt(b), min_n, digits))

    # --- segment x role heatmap --------------------------------------------------------------
    with sec_heatmap:
        st.subheader(t("segments.heatmap", lang))
        heat = view.heatmap.copy()
        heat["role_label"] = heat["role"].map(lambda r: role_label(r, lang))
        heat["label"] = [
            ("—" if s is None or pd.isna(s) else f"{s:+.0f}") + f" (n={n})" + (" *" if small else "")
            for s, n, small in zip(heat["nps"], heat["n"], heat["small_sample"], strict=True)
        ]
        solid_cells = heat[~heat["small_sample"]].sort_values("nps")
        if len(solid_cells):
            low, high = solid_cells.iloc[0], solid_cells.iloc[-1]
            main = t(
                "segments.heatmap_title",
                lang,
                segment=low["segment"],
                role=low["role_label"],
                score=low["nps"],
                cell_n=f"{int(low['n']):,}",
                top_segment=high["segment"],
                top_role=high["role_label"],
                top_score=high["nps"],
            )
        else:
            main = t("segments.heatmap_title_none", lang, min_n=min_n)
        seg_t, role_t = t("segments.segment", lang), t("segments.role", lang)
        heat_title = title(main, total_n)
        base = alt.Chart(heat).encode(x=alt.X("role_label:N", title=role_t), y=alt.Y("segment:N", title=seg_t))
        rect = base.mark_rect().encode(
            color=alt.Color(
                "nps:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[-60, 60], clamp=True), title="NPS"
            ),
            opacity=alt.condition("datum.small_sample", alt.value(0.3), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("segment:N", title=seg_t),
                alt.Tooltip("role_label:N", title=role_t),
                alt.Tooltip("nps:Q", title="NPS"),
                "n:Q",
                "ci_low:Q",
                "ci_high:Q",
            ],
        )
        text = base.mark_text(fontSize=13).encode(text="label:N")
        heat_chart = (rect + text).properties(title=heat_title, height=44 * heat["segment"].nunique() + 170)
        st.altair_chart(heat_chart, width="stretch", key="segments_chart_heatmap")
        heat_table = by_key["segments"].table if "segments" in by_key else None
        figures.append(("heatmap", t("segments.heatmap", lang), heat_chart.to_dict(), heat_table))
        st.caption(t("segments.heatmap_note", lang, min_n=min_n))

    # --- cross-tab -------------------------------------------------------------------------------
    with sec_cross:
        cross = view.crosstab
        if cross.frame.empty:
            st.info(t("segments.crosstab_empty", lang))
        else:
            digits = 0 if metric == "count" else (2 if metric in ("csat_mean", "ces_mean") else 1)
            cells = cross.frame.assign(
                row=cross.frame["row"].map(lambda v: value_label(row_dim, v)),
                col=cross.frame["col"].map(lambda v: value_label(col_dim, v)),
                cell=[
                    ("—" if v is None or pd.isna(v) else f"{v:.{digits}f}") + f" ({n})" + (" *" if small else "")
                    for v, n, small in zip(
                        cross.frame["value"], cross.frame["n"], cross.frame["small_sample"], strict=True
                    )
                ],
            )
            wide = cells.pivot(index="row", columns="col", values="cell").fillna("")
            wide.index.name = dim_label(row_dim)
            st.dataframe(wide, key="segments_table_crosstab")
            st.caption(t("segments.crosstab_note", lang, min_n=min_n))
            st.download_button(
                t("segments.crosstab_download", lang),
                data=cross.to_csv(),
                file_name=f"crosstab_{metric}.csv",
                mime="text/csv",
                key="segments_crosstab_download",
            )
            figures.append(("crosstab", t("segments.crosstab", lang), None, wide.reset_index()))

    # --- role-weighted account NPS -------------------------------------------------------------
    with sec_weights:
        dist = view.accounts
        if dist.accounts == 0:
            st.info(t("segments.weighted_none", lang))
        else:
            main = t(
                "segments.weighted_title", lang, median=dist.median, share=dist.share_negative, accounts=dist.accounts
            )
            bars = dist.bins.assign(negative=dist.bins["bin_end"] <= 0)
            chart = (
                alt.Chart(bars, title=title(main, total_n))
                .mark_bar()
                .encode(
                    x=alt.X("bin_start:Q", bin="binned", title=t("segments.weighted_axis", lang)),
                    x2="bin_end:Q",
                    y=alt.Y("accounts:Q", title=t("segments.accounts", lang)),
                    color=alt.Color(
                        "negative:N", scale=alt.Scale(domain=[True, False], range=["#c62828", "#2e7d32"]), legend=None
                    ),
                    tooltip=["bin_start", "bin_end", "accounts"],
                )
            )
            st.altair_chart(chart, width="stretch", key="segments_chart_weighted")
            figures.append(("weighted", t("segments.weighted", lang), chart.to_dict(), dist.bins))
            st.caption(t("segments.weighted_note", lang))

    # --- trend -----------------------------------------------------------------------------------
    with sec_trend:
        trend = view.trend
        if trend.frame.empty:
            st.info(t("segments.trend_no_dates", lang))
        else:
            test, frame = trend.latest_vs_previous, trend.frame
            main = trend_finding(trend, t(f"segments.grain_{grain}", lang), lang, min_n)
            x = alt.X("period:O", sort=None, title=t("segments.period", lang))
            trend_title = title(main, int(frame["n"].sum()))
            base = alt.Chart(frame)
            band = base.mark_area(opacity=0.2, color=SOLID).encode(
                x=x, y=alt.Y("ci_low:Q", title="NPS", scale=alt.Scale(domain=[-100, 100])), y2="ci_high:Q"
            )
            line = base.mark_line(color=SOLID).encode(x=x, y="nps:Q")
            points = base.mark_point(filled=True, size=70).encode(
                x=x,
                y="nps:Q",
                color=alt.Color(
                    "small_sample:N", scale=alt.Scale(domain=[False, True], range=[SOLID, SMALL]), legend=None
                ),
                tooltip=["period", "nps", "n", "ci_low", "ci_high"],
            )
            trend_chart = (band + line + points).properties(title=trend_title)
            st.altair_chart(trend_chart, width="stretch", key="segments_chart_trend")
            trend_table = by_key["trend"].table if "trend" in by_key else None
            figures.append(("trend", t("segments.trend", lang), trend_chart.to_dict(), trend_table))
            st.caption(t("segments.trend_note", lang, min_n=min_n))
            if test is not None:
                st.markdown(statement(test, t("metric.nps", lang), test.a, test.b, min_n))

    page_downloads(figures, "segments", lang)
    report_downloads(ws, filters, sections, "segments", lang, name="cx_segments")
