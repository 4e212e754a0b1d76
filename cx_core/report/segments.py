"""Report sections of the Segments page: NPS by group, segment x role, trend (and their builders)."""

from __future__ import annotations

import pandas as pd

from ..messages import dimension_label, t
from ..roles import role_label
from ..segments import segmentation_view
from ._common import num, statement
from .charts import COLOURS, band_line, heatmap, horizontal_bars
from .sections import ReportContext, Section, section_builder


def segmentation(ctx: ReportContext):
    """The segmentation view of the report's filters (by segment), computed once per report."""
    grain = ctx.extras.get("trend_grain", "month")
    return ctx.memo(
        f"segmentation:{grain}",
        lambda: segmentation_view(
            ctx.ws, ctx.filters, weights=ctx.extras.get("role_weights"), grain=grain, min_n=ctx.min_n
        ),
    )


def segments_section(ctx: ReportContext, view) -> Section | None:
    """Segment x role NPS with n (heatmap and table), and each segment tested against the rest."""
    lang, heat = ctx.lang, view.heatmap
    if heat.empty:
        return None
    roles = heat["role"].map(lambda r: role_label(r, lang))
    solid = heat[~heat["small_sample"]].assign(role_label=roles).sort_values("nps")
    if len(solid):
        low, high = solid.iloc[0], solid.iloc[-1]
        finding = t(
            "segments.heatmap_title",
            lang,
            segment=low["segment"],
            role=low["role_label"],
            score=low["nps"],
            cell_n=num(low["n"], lang),
            top_segment=high["segment"],
            top_role=high["role_label"],
            top_score=high["nps"],
        )
    else:
        finding = t("segments.heatmap_title_none", lang, min_n=view.min_n)
    n = view.total.n
    table = pd.DataFrame(
        {
            t("rsec.col_segment", lang): heat["segment"],
            t("rsec.col_role", lang): roles,
            t("metric.nps", lang): heat["nps"],
            "n": heat["n"].astype(int),
            t("overview.ci_low", lang): heat["ci_low"],
            t("overview.ci_high", lang): heat["ci_high"],
            t("overview.small", lang): heat["small_sample"].astype(bool),
        }
    )
    values = [
        {
            "row": str(r.segment),
            "col": role_label(r.role, lang),
            "value": None if pd.isna(r.nps) else float(r.nps),
            "text": f"{num(r.nps, lang, sign=True)} (n={int(r.n)})" + (" *" if r.small_sample else ""),
            "small": bool(r.small_sample),
        }
        for r in heat.itertuples(index=False)
    ]
    heading = f"{t('rsec.segments_heading', lang)}: {finding}"
    chart = heatmap(
        values,
        title=ctx.chart_title(heading, n),
        x_title=t("rsec.col_role", lang),
        y_title=t("rsec.col_segment", lang),
    )
    nps_name, rest = t("metric.nps", lang), t("rsec.rest", lang)
    notes = [statement(g.vs_rest, nps_name, g.group, rest, view.min_n, lang) for g in view.groups]
    notes.append(t("segments.heatmap_note", lang, min_n=view.min_n))
    return Section("segments", ctx.title(heading, n), finding, n, ctx.filters_text, table, chart, notes)


def groups_section(ctx: ReportContext, view, label=None) -> Section | None:
    """NPS of each group of the view's dimension with n and 95% interval, each group tested against the rest.

    ``label(value)`` names a group (e.g. role labels); small groups are greyed and never ranked.
    """
    lang = ctx.lang
    if not view.groups:
        return None
    name = label or (lambda value: role_label(value, lang) if view.dimension == "respondent_role" else str(value))
    solid = [g for g in view.groups if not g.small_sample]
    if solid:
        finding = t(
            "segments.group_chart_title",
            lang,
            top=name(solid[0].group),
            top_score=solid[0].scores.nps.score,
            bottom=name(solid[-1].group),
            bottom_score=solid[-1].scores.nps.score,
        )
    else:
        finding = t("segments.group_chart_title_none", lang, min_n=view.min_n)
    heading = f"{dimension_label(view.dimension, lang)}: {finding}"
    n = view.total.n
    groups = view.groups
    table = pd.DataFrame(
        {
            "#": [g.rank for g in groups],
            t("overview.group", lang): [name(g.group) for g in groups],
            t("metric.nps", lang): [g.scores.nps.score for g in groups],
            "n": [g.scores.n for g in groups],
            t("overview.ci_low", lang): [g.scores.nps.ci95[0] if g.scores.nps.ci95 else None for g in groups],
            t("overview.ci_high", lang): [g.scores.nps.ci95[1] if g.scores.nps.ci95 else None for g in groups],
            t("overview.small", lang): [g.small_sample for g in groups],
        }
    )
    small = t("present.small_tag", lang)
    values = [
        {
            "label": name(g.group) + (f" ({small})" if g.small_sample else ""),
            "value": g.scores.nps.score,
            "low": g.scores.nps.ci95[0] if g.scores.nps.ci95 else None,
            "high": g.scores.nps.ci95[1] if g.scores.nps.ci95 else None,
            "n": g.scores.n,
            "kind": "small" if g.small_sample else "solid",
        }
        for g in groups
    ]
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(heading, n),
        x_title=t("metric.nps", lang),
        y_title="",
        domain=(-100, 100),
        colour_field="kind",
        colour_scale={"scale": {"domain": ["solid", "small"], "range": [COLOURS["bar"], COLOURS["small"]]}},
        with_interval=True,
    )
    nps_name, rest = t("metric.nps", lang), t("rsec.rest", lang)
    notes = [statement(g.vs_rest, nps_name, name(g.group), rest, view.min_n, lang) for g in groups]
    return Section("groups", ctx.title(heading, n), finding, n, ctx.filters_text, table, chart, notes)


@section_builder("segments")
def _segments_builder(ctx: ReportContext) -> Section | None:
    if not ctx.ws.has_crm:
        return None
    return segments_section(ctx, segmentation(ctx))


def trend_finding(trend, grain_name: str, lang: str, min_n: int) -> str:
    """The trend's finding in one sentence: the latest period against the previous one, and whether
    the difference is significant (or why it was not tested). Shared by the Segments page and reports."""
    test, frame = trend.latest_vs_previous, trend.frame
    if test is None:
        return t("segments.trend_title_single", lang, grain=grain_name)
    if not test.tested:
        return t("segments.trend_title_untested", lang, grain=grain_name, min_n=min_n)
    key = "segments.trend_title_sig" if test.significant else "segments.trend_title_not_sig"
    return t(
        key,
        lang,
        last=frame["nps"].iloc[-1],
        last_period=test.a,
        prev=frame["nps"].iloc[-2],
        prev_period=test.b,
    )


def trend_section(ctx: ReportContext, trend, min_n: int | None = None) -> Section | None:
    """NPS per period with its 95% interval, and the latest period tested against the previous one."""
    lang, frame = ctx.lang, trend.frame
    min_n = ctx.min_n if min_n is None else min_n
    if frame.empty:
        return None
    test = trend.latest_vs_previous
    finding = trend_finding(trend, t(f"rsec.{trend.grain}", lang), lang, min_n)
    n = int(frame["n"].sum())
    table = pd.DataFrame(
        {
            t("rsec.col_period", lang): frame["period"].astype(str),
            t("metric.nps", lang): frame["nps"],
            "n": frame["n"].astype(int),
            t("overview.ci_low", lang): frame["ci_low"],
            t("overview.ci_high", lang): frame["ci_high"],
            t("overview.small", lang): frame["small_sample"].astype(bool),
        }
    )
    values = [
        {
            "label": str(r.period),
            "value": None if pd.isna(r.nps) else float(r.nps),
            "low": None if pd.isna(r.ci_low) else float(r.ci_low),
            "high": None if pd.isna(r.ci_high) else float(r.ci_high),
            "n": int(r.n),
            "kind": "small" if r.small_sample else "solid",
        }
        for r in frame.itertuples(index=False)
    ]
    heading = f"{t('rsec.trend_heading', lang)}: {finding}"
    chart = band_line(
        values, title=ctx.chart_title(heading, n), x_title=t("rsec.col_period", lang), y_title=t("metric.nps", lang)
    )
    notes = []
    if test is not None:
        notes.append(statement(test, t("metric.nps", lang), test.a, test.b, min_n, lang))
    notes.append(t("segments.trend_note", lang, min_n=min_n))
    return Section("trend", ctx.title(heading, n), finding, n, ctx.filters_text, table, chart, notes)


@section_builder("trend")
def _trend_builder(ctx: ReportContext) -> Section | None:
    return trend_section(ctx, segmentation(ctx).trend)
