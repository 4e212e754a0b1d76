"""Two periods compared (this quarter vs last, or any two date ranges): scores and theme shares.

Every difference is tested with respondents clustered in accounts (:mod:`cx_core.stats`); the
scores' tests are Holm-adjusted over the scores compared and the themes' over the themes, so the
finding names a change only when it is clear after that correction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from ..cells import ColumnKind as K
from ..i18n_format import format_date_range, p_relation
from ..messages import t
from ..stats import holm_adjust, is_significant
from ._common import num
from .sections import ReportContext, Section, columns_of, typed_table


def period_label(period: tuple[dt.date, dt.date], lang: str) -> str:
    return format_date_range(period[0], period[1], lang)


def _missing(value) -> bool:
    return value is None or value != value  # NaN from pandas


def _share(value) -> float | None:
    """A share (0-1) in percent; missing when a period has no comments (written as a dash)."""
    return None if _missing(value) else round(100 * float(value), 1)


def _reading(tested: bool, reason: str | None, clear: bool, min_n: int, lang: str) -> str:
    if not tested:
        key = "periods.not_tested_small" if reason == "small_sample" else "periods.not_tested"
        return t(key, lang, min_n=min_n)
    return t("periods.clear" if clear else "periods.not_clear", lang)


def period_scores_section(ctx: ReportContext, comparison) -> Section:
    """NPS, CSAT and CES of period A and period B, each difference tested (clustered, Holm over the
    scores); ``comparison`` is a :class:`cx_core.segments.PeriodComparison`."""
    lang = ctx.lang
    label_a, label_b = period_label(comparison.a, lang), period_label(comparison.b, lang)
    adjusted = holm_adjust([c.p_value if c.tested else None for c in comparison.tests])
    tests = [
        dataclasses.replace(c, p_adjusted=q, significant=is_significant(q), correction="holm")
        for c, q in zip(comparison.tests, adjusted, strict=True)
    ]
    # one row per score: NPS in whole signed points, CSAT and CES means with two decimals
    scores = tuple(K.NPS if c.metric == "nps" else K.SCORE for c in tests)
    changes = tuple(K.NPS if c.metric == "nps" else K.SCORE_CHANGE for c in tests)
    pairs = [(getattr(comparison.scores_a, c.metric), getattr(comparison.scores_b, c.metric)) for c in tests]
    table, columns = typed_table(
        (t("periods.col.measure", lang), K.TEXT, [t(f"metric.{c.metric}", lang) for c in tests]),
        (f"A: {label_a}", scores, [sa.score if sa else None for sa, _ in pairs]),
        ("n A", K.COUNT, [sa.n if sa else 0 for sa, _ in pairs]),
        (f"B: {label_b}", scores, [sb.score if sb else None for _, sb in pairs]),
        ("n B", K.COUNT, [sb.n if sb else 0 for _, sb in pairs]),
        (t("periods.col.difference", lang), changes, [c.difference for c in tests]),
        (t("periods.col.p", lang), K.P_VALUE, [c.p_adjusted if c.tested else None for c in tests]),
        (
            t("periods.col.reading", lang),
            K.TEXT,
            [_reading(c.tested, c.reason, c.significant, ctx.min_n, lang) for c in tests],
        ),
    )
    clear = [c for c in tests if c.significant and c.difference]
    if clear:
        top = clear[0]  # NPS first when it is clear: the order of the scores is the page's order
        sa, sb = getattr(comparison.scores_a, top.metric), getattr(comparison.scores_b, top.metric)
        digits = 1 if top.metric == "nps" else 2
        finding = t(
            "periods.finding_clear",
            lang,
            metric=t(f"metric.{top.metric}", lang),
            verb=t("periods.rose" if top.difference > 0 else "periods.fell", lang),
            before=num(sb.score, lang, digits, sign=top.metric == "nps"),
            now=num(sa.score, lang, digits, sign=top.metric == "nps"),
            a=label_a,
            b=label_b,
            diff=num(top.difference, lang, digits, sign=True),
            p=p_relation(top.p_adjusted),
        )
    else:
        finding = t("periods.finding_none", lang, a=label_a, b=label_b)
    n = comparison.scores_a.n + comparison.scores_b.n
    notes = [t("periods.note", lang, scores=len(tests), min_n=ctx.min_n)]
    return ctx.section("periods", finding, n, table=table, notes=notes, columns=columns)


def period_themes_section(
    ctx: ReportContext, shares: pd.DataFrame, a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]
) -> Section | None:
    """Each theme's share of period A's and period B's comments, the change tested (clustered, Holm
    over the themes); ``shares`` is :func:`cx_core.themes.theme_period_shares`."""
    if shares.empty:
        return None
    lang = ctx.lang
    label_a, label_b = period_label(a, lang), period_label(b, lang)
    n_a, n_b = int(shares["n_a"].iloc[0]), int(shares["n_b"].iloc[0])
    tested = n_a >= ctx.min_n and n_b >= ctx.min_n
    rows, clear = [], []
    for r in shares.itertuples(index=False):
        is_clear = tested and is_significant(r.p_adjusted) and bool(r.difference)
        if is_clear:
            clear.append(r)
        rows.append(
            {
                t("themes.col.label", lang): r.label,
                f"A: {label_a} (%)": _share(r.share_a),
                f"B: {label_b} (%)": _share(r.share_b),
                t("periods.col.difference_points", lang): None if _missing(r.difference) else r.difference,
                t("periods.col.p", lang): r.p_adjusted if tested else None,
                t("periods.col.reading", lang): _reading(
                    tested and r.p_adjusted is not None,
                    "small_sample" if not tested else None,
                    is_clear,
                    ctx.min_n,
                    lang,
                ),
            }
        )
    if clear:
        top = max(clear, key=lambda r: (abs(r.difference), str(r.label)))
        finding = t(
            "periods.finding_theme",
            lang,
            theme=top.label,
            verb=t("periods.rose" if top.difference > 0 else "periods.fell", lang),
            before=f"{100 * top.share_b:.0f}%",
            now=f"{100 * top.share_a:.0f}%",
            a=label_a,
            b=label_b,
            p=p_relation(top.p_adjusted),
        )
    elif not tested:
        finding = t("periods.finding_themes_small", lang, min_n=ctx.min_n, n_a=n_a, n_b=n_b)
    else:
        finding = t("periods.finding_themes_none", lang, a=label_a, b=label_b)
    notes = [t("periods.themes_note", lang, themes=len(shares), min_n=ctx.min_n)]
    table = pd.DataFrame(rows)
    kinds = {
        t("themes.col.label", lang): K.TEXT,
        f"A: {label_a} (%)": K.SHARE,
        f"B: {label_b} (%)": K.SHARE,
        t("periods.col.difference_points", lang): K.NPS,  # percentage points, signed
        t("periods.col.p", lang): K.P_VALUE,
        t("periods.col.reading", lang): K.TEXT,
    }
    return ctx.section("period_themes", finding, n_a + n_b, table=table, notes=notes, columns=columns_of(table, kinds))
