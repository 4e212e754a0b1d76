"""Report sections of the analysis pages: segments, trend, key drivers, needs, moments of truth,
themes, accounts at risk and the follow-up list.

Each section has a public ``*_section(ctx, result, ...)`` function that turns a core result into a
:class:`~cx_core.report.sections.Section` (a page passes the result it already computed, so its
report shows exactly its numbers), and a registered builder that computes the result with the
core function and the report's filters (the CLI and the full report use these). A builder returns
``None`` when there is nothing to say: no CRM file, no driver ratings, no journey data, no comments.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..i18n_format import format_date, format_number, format_percent
from ..messages import t
from ..roles import role_label
from .charts import COLOURS, band_line, heatmap, horizontal_bars, quadrant_scatter
from .sections import ReportContext, Section, section_builder

TOP_MOMENTS = 8
TOP_THEMES = 8
QUOTES_PER_THEME = 3
QUOTE_CHARS = 140
TOP_FOLLOW_UPS = 10


def _num(value, lang: str, digits: int = 0, sign: bool = False) -> str:
    return format_number(value, lang, digits=digits, sign=sign)


def _p(p) -> str:
    return "—" if p is None else ("< 0.001" if p < 0.001 else f"{p:.3f}")


def _statement(cmp, metric: str, a: str, b: str, min_n: int, lang: str, digits: int = 1) -> str:
    """The significance statement of one comparison (same wording as the Segments page)."""
    if not cmp.tested:
        key = "segments.sig_small" if cmp.reason == "small_sample" else "segments.sig_untestable"
        return t(key, lang, metric=metric, a=a, b=b, min_n=min_n)
    key = "segments.sig_yes" if cmp.significant else "segments.sig_no"
    return t(key, lang, metric=metric, a=a, b=b, diff=f"{cmp.difference:+.{digits}f}", p=_p(cmp.p_adjusted))


# --- segments and trend ----------------------------------------------------------------------------


def segmentation(ctx: ReportContext):
    """The segmentation view of the report's filters (by segment), computed once per report."""
    from ..segments import segmentation_view

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
            cell_n=_num(low["n"], lang),
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
            "text": f"{_num(r.nps, lang, sign=True)} (n={int(r.n)})" + (" *" if r.small_sample else ""),
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
    notes = [_statement(g.vs_rest, nps_name, g.group, rest, view.min_n, lang) for g in view.groups]
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
    dim_name = t(f"dim.{view.dimension}", lang)
    heading = f"{view.dimension if dim_name == f'dim.{view.dimension}' else dim_name}: {finding}"
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
    notes = [_statement(g.vs_rest, nps_name, name(g.group), rest, view.min_n, lang) for g in groups]
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
        notes.append(_statement(test, t("metric.nps", lang), test.a, test.b, min_n, lang))
    notes.append(t("segments.trend_note", lang, min_n=min_n))
    return Section("trend", ctx.title(heading, n), finding, n, ctx.filters_text, table, chart, notes)


@section_builder("trend")
def _trend_builder(ctx: ReportContext) -> Section | None:
    return trend_section(ctx, segmentation(ctx).trend)


# --- key drivers and needs --------------------------------------------------------------------------


def driver_catalogue(ctx: ReportContext) -> list:
    """The session's edited catalogue when given (``extras["driver_catalogue"]``), else the suggested one."""
    from ..drivers import catalogue_from_workspace

    given = ctx.extras.get("driver_catalogue")
    return list(given) if given else catalogue_from_workspace(ctx.ws)


def drivers_section(ctx: ReportContext, result) -> Section | None:
    """Key drivers: importance x performance with the quadrant of each driver (and the quadrant chart)."""
    lang = ctx.lang
    if "too_few" in result.warnings or not result.drivers:
        return None
    top = result.drivers[0]
    fix = [d.label for d in result.drivers if d.quadrant == "fix_first"]
    finding = t(
        "rsec.drivers_finding",
        lang,
        outcome=t(f"drivers.outcome.{result.outcome}", lang),
        driver=top.label,
        importance=_num(top.importance, lang),
        r2=_num(result.r_squared, lang, digits=2),
        fix=", ".join(fix) if fix else t("rsec.none", lang),
    )
    n = result.n_used
    perf_title = t(f"drivers.measure.{result.performance_measure}", lang)
    quadrant = {q: t(f"drivers.quadrant.{q}", lang) for q in ("fix_first", "keep_up", "maintain", "lower_priority")}
    table = pd.DataFrame(
        {
            "#": [d.rank for d in result.drivers],
            t("drivers.driver", lang): [d.label for d in result.drivers],
            t("drivers.need", lang): [t(f"drivers.need.{d.need}", lang) for d in result.drivers],
            t("drivers.importance", lang): [d.importance for d in result.drivers],
            t("overview.ci_low", lang): [d.importance_ci95[0] if d.importance_ci95 else None for d in result.drivers],
            t("overview.ci_high", lang): [d.importance_ci95[1] if d.importance_ci95 else None for d in result.drivers],
            perf_title: [d.performance for d in result.drivers],
            "n": [d.performance_n for d in result.drivers],
            t("drivers.quadrant", lang): [quadrant.get(d.quadrant or "", "—") for d in result.drivers],
        }
    )
    values = [
        {"label": d.label, "x": d.performance, "y": d.importance, "quadrant": d.quadrant}
        for d in result.drivers
        if d.importance is not None and d.performance is not None
    ]
    chart = quadrant_scatter(
        values,
        title=ctx.chart_title(finding, n),
        x_title=perf_title,
        y_title=t("drivers.importance", lang),
        x_split=result.performance_split,
        y_split=result.importance_split,
        quadrant_labels=quadrant,
    )
    notes = [t("rsec.drivers_uncertain", lang)] if result.ranking_uncertain else []
    return Section("drivers", ctx.title(finding, n), finding, n, ctx.filters_text, table, chart, notes)


@section_builder("drivers")
def _drivers_builder(ctx: ReportContext) -> Section | None:
    from ..drivers import key_drivers

    catalogue = driver_catalogue(ctx)
    if not catalogue:
        return None
    return drivers_section(ctx, key_drivers(ctx.ws, catalogue, ctx.filters, min_n=ctx.min_n))


def needs_section(ctx: ReportContext, frame: pd.DataFrame) -> Section | None:
    """Rational vs emotional needs (mean on 1-5 with 95% intervals) and each need's score."""
    lang = ctx.lang
    if frame.empty:
        return None
    frame = frame[frame["group"] == frame["group"].iloc[0]]  # one group (the overall one)
    categories = frame[frame["kind"] == "category"].set_index("item")
    needs = frame[frame["kind"] == "need"]
    if needs.empty:
        return None
    weakest = needs.sort_values("mean").iloc[0]

    def score(item: str) -> str:
        return _num(categories.loc[item, "mean"], lang, digits=2) if item in categories.index else "—"

    finding = t(
        "rsec.needs_finding",
        lang,
        rational=score("rational"),
        emotional=score("emotional"),
        weakest=t(f"drivers.need.{weakest['item']}", lang),
        weakest_score=_num(weakest["mean"], lang, digits=2),
    )

    def label(row) -> str:
        prefix = "drivers.need." if row["kind"] == "need" else "drivers.category."
        return t(prefix + str(row["item"]), lang)

    shown = pd.concat([categories.reset_index(), needs], ignore_index=True)
    labels = [label(r) for r in shown.to_dict("records")]
    table = pd.DataFrame(
        {
            t("drivers.need", lang): labels,
            t("drivers.category", lang): [t(f"drivers.category.{c}", lang) for c in shown["category"]],
            t("rsec.col_mean", lang): shown["mean"],
            t("overview.ci_low", lang): shown["mean_ci_low"],
            t("overview.ci_high", lang): shown["mean_ci_high"],
            t("drivers.measure.top2", lang): shown["top2"],
            "n": shown["n"].astype(int),
            t("overview.small", lang): shown["small_sample"].astype(bool),
        }
    )
    n = int(categories["n"].max()) if not categories.empty else int(needs["n"].max())
    values = [
        {
            "label": lab,
            "value": r["mean"],
            "low": r["mean_ci_low"],
            "high": r["mean_ci_high"],
            "n": int(r["n"]),
            "category": r["category"] if r["category"] in ("rational", "emotional") else "other",
        }
        for lab, r in zip(labels, shown.to_dict("records"), strict=True)
    ]
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(finding, n),
        x_title=t("rsec.col_mean", lang),
        y_title="",
        domain=(1, 5),
        colour_field="category",
        colour_scale={
            "scale": {"domain": ["rational", "emotional", "other"], "range": ["#1f5fa8", "#ef6c00", "#9e9e9e"]}
        },
        with_interval=True,
    )
    notes = []
    if {"rational", "emotional"} <= set(categories.index):
        r, e = categories.loc["rational"], categories.loc["emotional"]
        if None not in (r["mean_ci_low"], r["mean_ci_high"], e["mean_ci_low"], e["mean_ci_high"]):
            apart = r["mean_ci_high"] < e["mean_ci_low"] or e["mean_ci_high"] < r["mean_ci_low"]
            notes.append(
                t("rsec.needs_gap_note", lang, overlap=t("rsec.overlap_no" if apart else "rsec.overlap_yes", lang))
            )
    notes.append(t("small_sample.flag", lang, min_n=ctx.min_n))
    return Section("needs", ctx.title(finding, n), finding, n, ctx.filters_text, table, chart, notes)


@section_builder("needs")
def _needs_builder(ctx: ReportContext) -> Section | None:
    from ..drivers import need_scores

    catalogue = driver_catalogue(ctx)
    if not catalogue:
        return None
    return needs_section(ctx, need_scores(ctx.ws, catalogue, ctx.filters, min_n=ctx.min_n))


# --- moments of truth -------------------------------------------------------------------------------


def moments_section(ctx: ReportContext, result, top: int = TOP_MOMENTS) -> Section | None:
    """The moments of truth that cost the most net promoters (ranked moments only; small ones flagged)."""
    lang = ctx.lang
    if not result.available or not result.moments or not result.overall.n:
        return None
    ranked = [m for m in result.moments if m.rank is not None][:top]
    shown = ranked or result.moments[:top]

    def name(m) -> str:
        return f"{m.touchpoint} ({m.journey_stage})"

    worst = next((m for m in ranked if (m.impact or 0) < 0), None)
    if worst is not None:
        finding = t(
            "rsec.moments_finding",
            lang,
            moment=name(worst),
            nps=_num(worst.nps.score, lang, sign=True),
            gap=_num(worst.gap, lang, sign=True),
            impact=_num(worst.impact, lang, sign=True),
        )
    else:
        finding = t("rsec.moments_none_harmful", lang, min_n=ctx.min_n)
    n = result.overall.n
    table = pd.DataFrame(
        {
            "#": [m.rank for m in shown],
            t("dim.journey_stage", lang): [m.journey_stage for m in shown],
            t("dim.touchpoint", lang): [m.touchpoint for m in shown],
            t("moments.volume", lang): [m.volume for m in shown],
            t("metric.nps", lang): [m.nps.score for m in shown],
            t("overview.ci_low", lang): [m.nps.ci95[0] if m.nps.ci95 else None for m in shown],
            t("overview.ci_high", lang): [m.nps.ci95[1] if m.nps.ci95 else None for m in shown],
            t("moments.gap", lang): [m.gap for m in shown],
            t("moments.impact", lang): [m.impact for m in shown],
            t("overview.small", lang): [m.small_sample for m in shown],
        }
    )
    values = [
        {
            "label": name(m),
            "value": m.impact,
            "n": m.volume,
            "kind": "small" if m.small_sample else ("loss" if (m.impact or 0) < 0 else "gain"),
        }
        for m in shown
    ]
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(finding, n),
        x_title=t("moments.impact", lang),
        y_title="",
        colour_field="kind",
        colour_scale={
            "scale": {
                "domain": ["loss", "gain", "small"],
                "range": [COLOURS["detractor"], COLOURS["promoter"], COLOURS["small"]],
            }
        },
    )
    notes = [t("moments.impact_help", lang), t("small_sample.flag", lang, min_n=ctx.min_n)]
    return Section("moments", ctx.title(finding, n), finding, n, ctx.filters_text, table, chart, notes)


@section_builder("moments")
def _moments_builder(ctx: ReportContext) -> Section | None:
    from ..moments import moments_of_truth

    return moments_section(ctx, moments_of_truth(ctx.ws, ctx.filters, min_n=ctx.min_n))


# --- themes -------------------------------------------------------------------------------------------


def _quote(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def _topic_split(result) -> dict[str, dict[str, int]]:
    from ..themes import topic_split

    return topic_split(result)


def themes_section(ctx: ReportContext, result, top: int = TOP_THEMES) -> Section | None:
    """The most mentioned themes with count, share, mean score and 2-3 quotes with their response ids.

    Quotes are the customers' text: the writers escape it (HTML) or write it as plain text (PPTX).
    """
    lang = ctx.lang
    themes = list(result.themes)[:top]
    if not themes:
        return None
    first = themes[0]
    finding = t(
        "rsec.themes_finding",
        lang,
        theme=first.label,
        share=format_percent(100 * first.share, lang),
        mean=_num(first.mean_nps, lang, digits=1),
    )
    n = result.n_substantive
    quotes = [
        "\n".join(f"“{_quote(q.excerpt or q.text)}” ({q.response_id})" for q in th.quotes[:QUOTES_PER_THEME])
        for th in themes
    ]
    split = _topic_split(result)
    sides = [t(f"themes.side.{th.side}", lang) if th.side else "" for th in themes]
    table = pd.DataFrame(
        {
            t("themes.col.label", lang): [th.label for th in themes],
            t("themes.col.side", lang): sides,
            t("themes.col.count", lang): [th.count for th in themes],
            t("themes.col.share", lang): [round(100 * th.share, 1) for th in themes],
            t("themes.col.mean_nps", lang): [th.mean_nps for th in themes],
            t("themes.col.split", lang): [
                t("themes.split", lang, **split[th.topic]) if th.topic in split and not th.general else ""
                for th in themes
            ],
            t("rsec.col_quotes", lang): quotes,
        }
    )
    values = [
        {"label": th.label, "value": th.count, "share": round(100 * th.share, 1), "side": side}
        for th, side in zip(themes, sides, strict=True)
    ]
    side_scale = {
        "scale": {
            "domain": [t(f"themes.side.{s}", lang) for s in ("praise", "complaint", "neutral")],
            "range": [COLOURS["promoter"], COLOURS["detractor"], COLOURS["passive"]],
        },
        "legend": {"title": None, "orient": "bottom"},
    }
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(finding, n),
        x_title=t("themes.col.count", lang),
        y_title="",
        colour_field="side",
        colour_scale=side_scale,
    )
    notes = [t("rsec.themes_note", lang)]
    if any(th.general for th in result.themes):
        notes.append(t("themes.general_note", lang))
    if getattr(result, "broad_topics", None):
        notes.append(t("themes.broad", lang, topics=", ".join(result.broad_topics)))
    return Section("themes", ctx.title(finding, n), finding, n, ctx.filters_text, table, chart, notes)


@section_builder("themes")
def _themes_builder(ctx: ReportContext) -> Section | None:
    from ..themes import ThemeEngine, comments_from_workspace, extract_themes

    given = ctx.extras.get("themes_result")
    if given is not None:
        return themes_section(ctx, given)
    comments = comments_from_workspace(ctx.ws, ctx.filters)
    if not comments:
        return None
    return themes_section(ctx, extract_themes(comments, ThemeEngine.OFFLINE))


# --- accounts at risk and follow-up -------------------------------------------------------------------


def report_as_of(ctx: ReportContext) -> dt.date:
    """``extras["as_of"]`` when given, else :func:`cx_core.accounts.default_as_of`."""
    from ..accounts import default_as_of

    given = ctx.extras.get("as_of")
    if isinstance(given, str):
        given = dt.date.fromisoformat(given)
    return given or default_as_of(bool(ctx.extras.get("is_sample", False)))


def account_health_of(ctx: ReportContext) -> pd.DataFrame:
    """:func:`cx_core.accounts.account_health` of the report's filters, computed once per report."""
    from ..accounts import account_health

    return ctx.memo(
        "account_health",
        lambda: account_health(ctx.ws, report_as_of(ctx), ctx.filters, ctx.extras.get("role_weights")),
    )


def accounts_section(ctx: ReportContext, health: pd.DataFrame, as_of: dt.date) -> Section | None:
    """ARR at risk: accounts and ARR by risk level (from :func:`cx_core.accounts.risk_summary`)."""
    from ..accounts import risk_summary

    lang = ctx.lang
    if health.empty:
        return None
    summary = risk_summary(health)
    total_arr = sum(level["arr"] for level in summary.values())
    high = summary["high"]
    share = 100 * high["arr"] / total_arr if total_arr else 0.0
    finding = t(
        "rsec.accounts_finding",
        lang,
        arr=_num(high["arr"], lang),
        accounts=_num(high["accounts"], lang),
        share=format_percent(share, lang, digits=1),
        as_of=format_date(as_of, lang),
    )
    n = int(len(health))
    levels = ("high", "medium", "low")
    table = pd.DataFrame(
        {
            t("accounts.col.risk", lang): [t(f"accounts.risk.{lv}", lang) for lv in levels],
            t("rsec.col_accounts", lang): [summary[lv]["accounts"] for lv in levels],
            t("accounts.col.arr", lang): [summary[lv]["arr"] for lv in levels],
            t("rsec.col_arr_share", lang): [
                round(100 * summary[lv]["arr"] / total_arr, 1) if total_arr else None for lv in levels
            ],
        }
    )
    values = [{"label": t(f"accounts.risk.{lv}", lang), "value": summary[lv]["arr"], "kind": lv} for lv in levels]
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(finding, n),
        x_title=t("accounts.col.arr", lang),
        y_title="",
        colour_field="kind",
        colour_scale={
            "scale": {"domain": list(levels), "range": [COLOURS["detractor"], "#ef6c00", COLOURS["promoter"]]}
        },
    )
    return Section("accounts", ctx.title(finding, n), finding, n, ctx.filters_text, table, chart)


@section_builder("accounts")
def _accounts_builder(ctx: ReportContext) -> Section | None:
    if not ctx.ws.has_crm:
        return None
    return accounts_section(ctx, account_health_of(ctx), report_as_of(ctx))


def follow_up_section(
    ctx: ReportContext, items: pd.DataFrame, as_of: dt.date, top: int | None = None
) -> Section | None:
    """The top follow-up items (largest ARR first): owner, account, reason, action and due date."""
    from ..accounts import follow_up_totals

    lang = ctx.lang
    if items.empty:
        return None
    top = int(top or ctx.extras.get("follow_up_top") or TOP_FOLLOW_UPS)
    totals = follow_up_totals(items)
    finding = t(
        "rsec.follow_up_finding",
        lang,
        items=_num(totals["items"], lang),
        open=_num(totals["open"], lang),
        accounts=_num(totals["accounts_at_risk"], lang),
        detractors=_num(totals["detractors"], lang),
        top=min(top, len(items)),
    )
    shown = items.head(top)
    table = pd.DataFrame(
        {
            t("follow_up.col.owner", lang): shown["owner"],
            t("follow_up.col.account_name", lang): shown["account_name"],
            t("follow_up.col.kind", lang): [t(f"follow_up.kind.{k}", lang) for k in shown["kind"]],
            t("follow_up.col.arr", lang): shown["arr"],
            t("follow_up.col.reason", lang): shown["reason"],
            t("follow_up.col.action", lang): shown["action"],
            t("follow_up.col.due_date", lang): [format_date(d, lang) for d in shown["due_date"]],
            t("follow_up.col.done", lang): shown["done"].astype(bool),
        }
    ).reset_index(drop=True)
    n = totals["items"]
    notes = [t("rsec.follow_up_note", lang, as_of=format_date(as_of, lang))]
    return Section("follow_up", ctx.title(finding, n), finding, n, ctx.filters_text, table, None, notes)


@section_builder("follow_up")
def _follow_up_builder(ctx: ReportContext) -> Section | None:
    from ..accounts import follow_up_list

    as_of = report_as_of(ctx)
    health = account_health_of(ctx) if ctx.ws.has_crm else None
    items = follow_up_list(
        ctx.ws, as_of, lang=ctx.lang, filters=ctx.filters, weights=ctx.extras.get("role_weights"), health=health
    )
    return follow_up_section(ctx, items, as_of)
