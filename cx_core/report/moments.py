"""Report sections of the Moments of truth page (and their builder)."""

from __future__ import annotations

import pandas as pd

from ..cells import Column
from ..cells import ColumnKind as K
from ..i18n_format import format_interval
from ..labels import code_label
from ..messages import t
from ..moments import moments_of_truth
from ..roles import role_label
from ._common import num
from .charts import COLOURS, horizontal_bars
from .sections import ReportContext, Section, section_builder, typed_table

TOP_MOMENTS = 8


def _moments_table(moments, lang: str) -> tuple[pd.DataFrame, tuple[Column, ...]]:
    return typed_table(
        ("#", K.COUNT, [m.rank for m in moments]),
        (t("dim.journey_stage", lang), K.CODE, [code_label(m.journey_stage, lang) for m in moments]),
        (t("dim.touchpoint", lang), K.CODE, [code_label(m.touchpoint, lang) for m in moments]),
        (t("moments.volume", lang), K.COUNT, [m.volume for m in moments]),
        (t("metric.nps", lang), K.NPS, [m.nps.score for m in moments]),
        (t("overview.ci_low", lang), K.NPS, [m.nps.ci95[0] if m.nps.ci95 else None for m in moments]),
        (t("overview.ci_high", lang), K.NPS, [m.nps.ci95[1] if m.nps.ci95 else None for m in moments]),
        (t("moments.gap", lang), K.NPS, [m.gap for m in moments]),
        (t("moments.impact", lang), K.NPS, [m.impact for m in moments]),  # net promoters won or lost: signed
        (t("overview.small", lang), K.FLAG, [m.small_sample for m in moments]),
    )


def moment_label(moment, lang: str) -> str:
    """ "Order delivery (Use)" / "納品 (利用)": a moment's touchpoint and stage as words in ``lang``."""
    return f"{code_label(moment.touchpoint, lang)} ({code_label(moment.journey_stage, lang)})"


def moments_caption(ctx: ReportContext, result) -> str:
    """What the gaps are measured against: the selection's NPS with n and interval, and what is left out."""
    overall = result.overall
    return t(
        "moments.caption",
        ctx.lang,
        nps=num(overall.score, ctx.lang, sign=True),
        n=num(overall.n, ctx.lang),
        ci=format_interval(overall.ci95, ctx.lang),
        excluded=num(result.relationship_excluded, ctx.lang),
    )


def role_moments_section(ctx: ReportContext, result, role: str, top: int = 3) -> Section | None:
    """The moments that cost one role the most net promoters (gaps against that role's own NPS)."""
    lang = ctx.lang
    if not result.available or not result.overall.n:
        return None
    harmful = [m for m in result.moments if m.rank is not None and (m.impact or 0) < 0][:top]
    name = role_label(role, lang)
    finding = t(
        "moments.role_caption",
        lang,
        role=name,
        nps=num(result.overall.score, lang, sign=True),
        n=num(result.overall.n, lang),
    )
    notes = [] if harmful else [t("moments.role_none", lang)]
    table, columns = _moments_table(harmful, lang) if harmful else (None, ())
    heading = f"{t('moments.by_role', lang)}: {finding}"
    n = result.overall.n
    return ctx.section("moments_role", finding, n, heading=heading, table=table, notes=notes, columns=columns)


def moments_section(ctx: ReportContext, result, top: int = TOP_MOMENTS) -> Section | None:
    """The moments of truth that cost the most net promoters (ranked moments only; small ones flagged)."""
    lang = ctx.lang
    if not result.available or not result.moments or not result.overall.n:
        return None
    ranked = [m for m in result.moments if m.rank is not None][:top]
    shown = ranked or result.moments[:top]
    table, columns = _moments_table(shown, lang)

    def name(m) -> str:
        return moment_label(m, lang)

    worst = next((m for m in ranked if (m.impact or 0) < 0), None)
    if worst is not None:
        finding = t(
            "rsec.moments_finding",
            lang,
            moment=name(worst),
            nps=num(worst.nps.score, lang, sign=True),
            gap=num(worst.gap, lang, sign=True),
            impact=num(worst.impact, lang, sign=True),
        )
    else:
        finding = t("rsec.moments_none_harmful", lang, min_n=ctx.min_n)
    n = result.overall.n
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
    notes = [t("moments.impact_help", lang)]
    if any(m.small_sample for m in shown):  # said only where a bar is small
        notes.append(t("small_sample.flag", lang, min_n=ctx.min_n))
    return ctx.section("moments", finding, n, table=table, chart=chart, notes=notes, columns=columns)


@section_builder("moments")
def _moments_builder(ctx: ReportContext) -> Section | None:
    return moments_section(ctx, moments_of_truth(ctx.ws, ctx.filters, min_n=ctx.min_n))
