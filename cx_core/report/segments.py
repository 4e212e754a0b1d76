"""Report sections of the Segments page: NPS by group, segment x role, trend (and their builders)."""

from __future__ import annotations

import pandas as pd

from ..cells import Column, ColumnKind, format_cell
from ..cells import ColumnKind as K
from ..labels import code_label
from ..messages import dimension_label, t
from ..roles import role_label
from ..segments import NOT_SET, segmentation_view
from ._common import num, statement, value_label
from .charts import band_line, binned_bars, heatmap
from .sections import GroupBar, ReportContext, Section, nps_by_group_section, section_builder, typed_table

#: How a cross-tab's metric is written in its cells (the cell's text composes value, n and marks).
_CROSSTAB_KINDS = {
    "count": K.COUNT,
    "nps": K.NPS,
    "csat_mean": K.SCORE,
    "ces_mean": K.SCORE,
    "detractor_share": K.SHARE,
}


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
    # no segment (a survey without CRM) or no role: a "(not set)" axis says nothing
    if heat.empty or (heat["segment"] == NOT_SET).all() or (heat["role"] == NOT_SET).all():
        return None
    heat = heat.assign(segment=[code_label(s, lang) for s in heat["segment"]])  # 中堅企業 in every part
    roles = heat["role"].map(lambda r: role_label(r, lang))
    solid = heat[~heat["small_sample"]].assign(role_label=roles).sort_values("nps")
    extremes = view.heatmap_extremes()
    if len(solid):
        low, high = solid.iloc[0], solid.iloc[-1]
        clear = extremes is not None and extremes.significant
        finding = t(
            "segments.heatmap_title" if clear else "segments.heatmap_title_unclear",
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
    table, columns = typed_table(
        (t("rsec.col_segment", lang), K.CODE, heat["segment"]),
        (t("rsec.col_role", lang), K.CODE, roles),
        (t("metric.nps", lang), K.NPS, heat["nps"]),
        ("n", K.COUNT, heat["n"].astype(int)),
        (t("overview.ci_low", lang), K.NPS, heat["ci_low"]),
        (t("overview.ci_high", lang), K.NPS, heat["ci_high"]),
        (t("overview.small", lang), K.FLAG, heat["small_sample"].astype(bool)),
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
    notes = [statement(g.vs_rest, nps_name, code_label(g.group, lang), rest, view.min_n, lang) for g in view.groups]
    notes.append(t("segments.heatmap_note", lang, min_n=view.min_n))
    if len(solid) >= 2:
        notes.append(t("segments.extremes_note", lang, k=len(solid)))
    notes += _effective_n_notes(view.total.nps, lang)
    return ctx.section("segments", finding, n, heading=heading, table=table, chart=chart, notes=notes, columns=columns)


def _effective_n_notes(nps, lang: str) -> list[str]:
    """The effective n beside n, when answers cluster in accounts (nothing when they do not)."""
    if nps.n and nps.design_effect > 1.0:
        return [t("segments.effective_n_note", lang, n=num(nps.n, lang), effective_n=num(nps.effective_n, lang))]
    return []


def groups_section(ctx: ReportContext, view, label=None) -> Section | None:
    """NPS of each group of the view's dimension with n and 95% interval, each group tested against the rest.

    ``label(value)`` names a group (e.g. role labels); small groups are greyed and never ranked.
    """
    lang = ctx.lang
    if not view.groups:
        return None
    name = label or (lambda value: value_label(view.dimension, value, lang))
    solid = [g for g in view.groups if not g.small_sample]
    extremes = view.extremes()
    if solid:
        clear = extremes is not None and extremes.significant
        finding = t(
            "segments.group_chart_title" if clear or len(solid) == 1 else "segments.group_chart_title_unclear",
            lang,
            top=name(solid[0].group),
            top_score=solid[0].scores.nps.score,
            bottom=name(solid[-1].group),
            bottom_score=solid[-1].scores.nps.score,
        )
    else:
        finding = t("segments.group_chart_title_none", lang, min_n=view.min_n)
    heading = f"{dimension_label(view.dimension, lang)}: {finding}"
    nps_name, rest = t("metric.nps", lang), t("rsec.rest", lang)
    notes = [statement(g.vs_rest, nps_name, name(g.group), rest, view.min_n, lang) for g in view.groups]
    family_note = "segments.holm_note" if view.tested_groups > 1 else "segments.single_test_note"
    notes.append(t(family_note, lang, k=view.tested_groups, min_n=view.min_n))
    if len(solid) >= 2:
        notes.append(t("segments.extremes_note", lang, k=len(solid)))
    notes += _effective_n_notes(view.total.nps, lang)
    bars = [GroupBar(name(g.group), g.scores.nps, g.small_sample, g.rank) for g in view.groups]
    return nps_by_group_section(ctx, "groups", heading, finding, bars, notes)


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
    if frame.empty or not int(frame["n"].sum()):
        return None  # no NPS answer in any period (every metric is optional)
    test = trend.latest_vs_previous
    finding = trend_finding(trend, t(f"rsec.{trend.grain}", lang), lang, min_n)
    n = int(frame["n"].sum())
    table, columns = typed_table(
        (t("rsec.col_period", lang), K.TEXT, frame["period"].astype(str)),
        (t("metric.nps", lang), K.NPS, frame["nps"]),
        ("n", K.COUNT, frame["n"].astype(int)),
        (t("overview.ci_low", lang), K.NPS, frame["ci_low"]),
        (t("overview.ci_high", lang), K.NPS, frame["ci_high"]),
        (t("overview.small", lang), K.FLAG, frame["small_sample"].astype(bool)),
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
    return ctx.section("trend", finding, n, heading=heading, table=table, chart=chart, notes=notes, columns=columns)


@section_builder("trend")
def _trend_builder(ctx: ReportContext) -> Section | None:
    return trend_section(ctx, segmentation(ctx).trend)


def comparison_statements(ctx: ReportContext, view, a: str, b: str) -> list[str]:
    """Group ``a`` against group ``b`` of the view on NPS, CSAT and CES: one sentence per metric in the data."""
    lang = ctx.lang
    if a == b:
        return [t("segments.same_group", lang)]
    names = (value_label(view.dimension, a, lang), value_label(view.dimension, b, lang))
    statements = []
    for metric, digits in (("nps", 1), ("csat", 2), ("ces", 2)):
        cmp = view.compare(a, b, metric)
        if cmp.reason != "not_in_data":
            statements.append(statement(cmp, t(f"metric.{metric}", lang), *names, view.min_n, lang, digits))
    return statements


def _cell_text(value, n: int, small: bool, kind: ColumnKind, lang: str) -> str:
    """ "+12 (45) *": the value as its kind is written everywhere, its n, and * when the cell is small."""
    return f"{format_cell(value, kind, lang)} ({n})" + (" *" if small else "")


def crosstab_section(ctx: ReportContext, view) -> Section | None:
    """The view's cross-tab: one metric for every pair of values of two dimensions, each cell with its n."""
    lang, cross = ctx.lang, view.crosstab
    if cross.frame.empty:
        return None
    metric = cross.metric
    kind = _CROSSTAB_KINDS.get(metric, K.NUMBER)
    frame = cross.frame.assign(
        row=[value_label(cross.row_dimension, v, lang) for v in cross.frame["row"]],
        col=[value_label(cross.col_dimension, v, lang) for v in cross.frame["col"]],
    )
    metric_name = t(f"segments.metric_{metric}", lang)
    solid = frame[~frame["small_sample"] & frame["value"].notna()].sort_values("value")
    marked = frame[frame["differs"] != ""] if "differs" in frame else frame.iloc[0:0]
    if len(solid) >= 2 and metric == "count":
        low, high = solid.iloc[0], solid.iloc[-1]
        finding = t(
            "segments.crosstab_finding",
            lang,
            metric=metric_name,
            top=f"{high['row']} × {high['col']}",
            top_value=format_cell(high["value"], kind, lang),
            bottom=f"{low['row']} × {low['col']}",
            bottom_value=format_cell(low["value"], kind, lang),
        )
    elif len(solid) >= 2 and len(marked):
        which = []
        for side, pick in (("above", -1), ("below", 0)):
            part = marked[marked["differs"] == side].sort_values("value")
            if len(part):
                cell = part.iloc[pick]
                which.append(
                    t(
                        f"segments.crosstab_{side}",
                        lang,
                        cell=f"{cell['row']} × {cell['col']}",
                        value=format_cell(cell["value"], kind, lang),
                    )
                )
        finding = t(
            "segments.crosstab_finding_clear",
            lang,
            metric=metric_name,
            count=len(marked),
            cells=cross.tested_cells,
            which="; ".join(which),
        )
    elif len(solid) >= 2:
        finding = t("segments.crosstab_finding_unclear", lang, metric=metric_name, cells=cross.tested_cells)
    else:
        finding = t("segments.crosstab_finding_none", lang, metric=metric_name, min_n=view.min_n)
    marks = {"above": " ▲", "below": " ▼"}
    differs = frame["differs"] if "differs" in frame else pd.Series([""] * len(frame), index=frame.index)
    cells = frame.assign(
        cell=[
            _cell_text(v, int(n), bool(small), kind, lang) + marks.get(str(d), "")
            for v, n, small, d in zip(frame["value"], frame["n"], frame["small_sample"], differs, strict=True)
        ]
    )
    wide = cells.pivot(index="row", columns="col", values="cell").fillna("")
    wide.index.name = dimension_label(cross.row_dimension, lang)
    table = wide.reset_index()
    table.columns = [str(c) for c in table.columns]
    # each cell is "value (n)" with its marks: text composed here, the row names codes in words
    columns = (Column(table.columns[0], K.CODE), *(Column(c, K.TEXT) for c in table.columns[1:]))
    n = int(frame["n"].sum())
    heading = f"{t('segments.crosstab', lang)} ({metric_name}): {finding}"
    chart = None
    if metric == "nps":
        values = [
            {
                "row": r.row,
                "col": r.col,
                "value": None if pd.isna(r.value) else float(r.value),
                "text": _cell_text(r.value, int(r.n), bool(r.small_sample), kind, lang),
                "small": bool(r.small_sample),
            }
            for r in frame.itertuples(index=False)
        ]
        chart = heatmap(
            values,
            title=ctx.chart_title(heading, n),
            x_title=dimension_label(cross.col_dimension, lang),
            y_title=dimension_label(cross.row_dimension, lang),
        )
    notes = [t("segments.crosstab_note", lang, min_n=view.min_n)]
    if cross.correction == "benjamini_hochberg":
        notes.append(t("segments.crosstab_marks_note", lang, min_n=view.min_n, cells=cross.tested_cells))
    return ctx.section("crosstab", finding, n, heading=heading, table=table, chart=chart, notes=notes, columns=columns)


def weighted_accounts_section(ctx: ReportContext, view) -> Section | None:
    """How accounts spread over role-weighted NPS (the view's role weights), as a histogram."""
    lang, dist = ctx.lang, view.accounts
    if dist.accounts == 0:
        return None
    finding = t("segments.weighted_title", lang, median=dist.median, share=dist.share_negative, accounts=dist.accounts)
    bins = dist.bins
    axis, accounts = t("segments.weighted_axis", lang), t("segments.accounts", lang)
    table, columns = typed_table(
        (t("segments.weighted_from", lang), K.NPS, bins["bin_start"]),
        (t("segments.weighted_to", lang), K.NPS, bins["bin_end"]),
        (accounts, K.COUNT, bins["accounts"].astype(int)),
    )
    values = [
        {
            "start": int(r.bin_start),
            "end": int(r.bin_end),
            "value": int(r.accounts),
            "kind": "worse" if r.bin_end <= 0 else "better",
        }
        for r in bins.itertuples(index=False)
    ]
    heading = f"{t('segments.weighted', lang)}: {finding}"
    chart = binned_bars(
        values, title=ctx.chart_title(heading, dist.accounts), x_title=axis, y_title=accounts, domain=(-100, 100)
    )
    notes = [t("segments.weighted_note", lang)]
    if dist.share_negative_ci95 is not None:
        low, high = dist.share_negative_ci95
        notes.append(t("segments.weighted_interval", lang, low=f"{low:.0f}", high=f"{high:.0f}"))
    return ctx.section(
        "weighted", finding, dist.accounts, heading=heading, table=table, chart=chart, notes=notes, columns=columns
    )
