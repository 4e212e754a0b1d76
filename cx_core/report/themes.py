"""Report sections of the Themes page (and their builder)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..cells import Column, format_cell
from ..cells import ColumnKind as K
from ..i18n_format import format_percent
from ..labels import code_label
from ..messages import t
from ..metrics import NOT_SET
from ..roles import role_label
from ..stats import is_significant, proportion_difference_test
from ..themes import (
    ThemeEngine,
    comments_from_workspace,
    extract_themes,
    labels_in_language,
    theme_by_dimension,
    theme_impact,
    theme_period_shares,
    theme_table,
    theme_trend,
    topic_split,
    with_questions,
)
from ._common import num
from .charts import COLOURS, horizontal_bars, lines_by_series
from .sections import ReportContext, Section, columns_of, section_builder, typed_table

TOP_THEMES = 8
QUOTES_PER_THEME = 3
QUOTE_CHARS = 140


def _quote(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


SIDES = ("praise", "complaint", "neutral", "request")


def _side_label(side: str, lang: str) -> str:
    return t(f"themes.side.{side}", lang) if side else ""


def _side_colours(lang: str) -> dict:
    """The colour scale of theme bars by side: praise green, complaint red, neutral grey, request blue."""
    return {
        "scale": {
            "domain": [_side_label(s, lang) for s in SIDES],
            "range": [COLOURS["promoter"], COLOURS["detractor"], COLOURS["passive"], COLOURS["bar"]],
        },
        "legend": {"title": None, "orient": "bottom"},
    }


def _split_text(split: dict[str, dict[str, int]], topic: str, general: bool, lang: str) -> str:
    """The comments on each side of the theme's whole topic (empty for general groups)."""
    if general or not topic or topic not in split:
        return ""
    return t("themes.split", lang, **split[topic])


def _polarity_notes(result, lang: str) -> list[str]:
    """Why General praise / complaint / requests stand apart, and which topics are broad (over 30%)."""
    notes = []
    if any(th.general for th in result.themes):
        notes.append(t("themes.general_note", lang))
    if getattr(result, "broad_topics", None):
        notes.append(t("themes.broad", lang, topics=", ".join(result.broad_topics)))
    return notes


def themes_section(ctx: ReportContext, result, top: int = TOP_THEMES) -> Section | None:
    """The most mentioned themes with their side (praise / complaint / request / neutral), count, share, mean
    score, their whole topic's split by side and 2-3 quotes with their response ids; bars coloured
    by side.

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
        mean=num(first.mean_nps, lang, digits=1),
    )
    n = result.n_substantive
    quotes = [
        "\n".join(f"“{_quote(q.excerpt or q.text)}” ({q.response_id})" for q in th.quotes[:QUOTES_PER_THEME])
        for th in themes
    ]
    split = topic_split(result)
    sides = [_side_label(th.side, lang) for th in themes]
    table, columns = typed_table(
        (t("themes.col.label", lang), K.TEXT, [th.label for th in themes]),
        (t("themes.col.side", lang), K.CODE, sides),
        (t("themes.col.count", lang), K.COUNT, [th.count for th in themes]),
        (t("themes.col.share", lang), K.SHARE, [round(100 * th.share, 1) for th in themes]),
        (t("themes.col.mean_nps", lang), K.SCORE, [th.mean_nps for th in themes]),
        (t("themes.col.split", lang), K.TEXT, [_split_text(split, th.topic, th.general, lang) for th in themes]),
        (t("rsec.col_quotes", lang), K.TEXT, quotes),
    )
    values = [
        {"label": th.label, "value": th.count, "share": round(100 * th.share, 1), "side": side}
        for th, side in zip(themes, sides, strict=True)
    ]
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(finding, n),
        x_title=t("themes.col.count", lang),
        y_title="",
        colour_field="side",
        colour_scale=_side_colours(lang),
    )
    notes = [t("rsec.themes_note", lang), *_polarity_notes(result, lang)]
    return ctx.section("themes", finding, n, table=table, chart=chart, notes=notes, columns=columns)


@section_builder("themes")
def _themes_builder(ctx: ReportContext) -> Section | None:
    given = ctx.extras.get("themes_result")
    if given is not None:
        return themes_section(ctx, labels_in_language(given, ctx.lang))
    comments = comments_from_workspace(ctx.ws, ctx.filters)
    if not comments:
        return None
    result = labels_in_language(extract_themes(comments, ThemeEngine.OFFLINE), ctx.lang)
    from ..codebook import themes_under_codebook  # the team's codebook (extras["codebook"]) names the themes

    return themes_section(ctx, themes_under_codebook(ctx.extras.get("codebook"), comments, result))


def theme_list_section(ctx: ReportContext, result) -> Section | None:
    """Every theme: its side, count, share, mean NPS, detractor share, NPS, its whole topic's split by
    side, where its name came from (and, for LLM-named themes, the need, description and suggested
    action)."""
    lang = ctx.lang
    table = theme_table(result)
    if table.empty:
        return None
    shown = pd.DataFrame(
        {
            t("themes.col.label", lang): table["label"],
            t("themes.col.side", lang): [_side_label(s, lang) for s in table["side"]],
            t("themes.col.count", lang): table["count"],
            t("themes.col.share", lang): (100 * table["share"]).round(1),
            t("themes.col.mean_nps", lang): table["mean_nps"],
            t("themes.col.detractors", lang): (100 * table["detractor_share"]).round(1),
            t("themes.col.nps", lang): table["nps"],
            t("themes.col.split", lang): [
                ""
                if general or not topic
                else t("themes.split", lang, praise=int(p), complaint=int(c), neutral=int(u), request=int(r))
                for general, topic, p, c, u, r in zip(
                    table["general"],
                    table["topic"],
                    table["topic_praise"],
                    table["topic_complaint"],
                    table["topic_neutral"],
                    table["topic_request"],
                    strict=True,
                )
            ],
            t("themes.col.subthemes", lang): [_subtheme_summary(th, lang) for th in result.themes],
            t("themes.col.source", lang): [t(f"themes.source.{s}", lang) for s in table["source"]],
            t("themes.col.support", lang): [None if pd.isna(v) else round(100 * v) for v in table["support"]],
        }
    )
    kinds = {
        t("themes.col.label", lang): K.TEXT,
        t("themes.col.side", lang): K.CODE,
        t("themes.col.count", lang): K.COUNT,
        t("themes.col.share", lang): K.SHARE,
        t("themes.col.mean_nps", lang): K.SCORE,
        t("themes.col.detractors", lang): K.SHARE,
        t("themes.col.nps", lang): K.NPS,
        t("themes.col.split", lang): K.TEXT,
        t("themes.col.subthemes", lang): K.TEXT,
        t("themes.col.source", lang): K.CODE,
        t("themes.col.support", lang): K.SHARE,
    }
    if (table["source"] == "llm").any():
        for column in ("need", "description", "action"):
            shown[t(f"themes.col.{column}", lang)] = table[column]
            kinds[t(f"themes.col.{column}", lang)] = K.TEXT  # the model's words
    n = result.n_substantive
    finding = t("themes.finding_list", lang, themes=len(table), n=num(n, lang))
    heading = f"{t('themes.table', lang)}: {finding}"
    columns = columns_of(shown, kinds)
    return ctx.section("theme_list", finding, n, heading=heading, table=shown, columns=columns)


def subtheme_label(sub, lang: str) -> str:
    """A sub-theme's name, or "in general" (in the reader's language) for the theme's general part."""
    return sub.label or t("themes.subtheme_general", lang)


def _subtheme_summary(theme, lang: str, top: int = 3) -> str:
    """ "arrival 40 · declined payment 30 · …" (the largest sub-themes with their comments)."""
    parts = [f"{subtheme_label(s, lang)} {num(s.count, lang)}" for s in theme.subthemes[:top]]
    return " · ".join(parts) + (" · …" if len(theme.subthemes) > top else "")


def theme_subthemes_section(ctx: ReportContext, result, key: str) -> Section | None:
    """One theme drilled down: its comments per sub-theme (None when it does not divide further)."""
    lang = ctx.lang
    theme = result.theme(key)
    if theme is None or not theme.subthemes:
        return None
    label_col, count_col, share_col = (t(f"themes.col.{c}", lang) for c in ("subtheme", "count", "share_of_theme"))
    table, columns = typed_table(
        (label_col, K.TEXT, [subtheme_label(s, lang) for s in theme.subthemes]),
        (count_col, K.COUNT, [s.count for s in theme.subthemes]),
        (share_col, K.SHARE, [round(100 * s.count / (theme.count or 1), 1) for s in theme.subthemes]),
    )
    top = theme.subthemes[0]
    finding = t(
        "themes.finding_subthemes",
        lang,
        theme=theme.label,
        subtheme=subtheme_label(top, lang),
        count=num(top.count, lang),
        total=num(theme.count, lang),
    )
    heading = f"{t('themes.subthemes', lang)}: {finding}"
    values = [{"label": subtheme_label(s, lang), "value": s.count, "n": s.count} for s in theme.subthemes]
    chart = horizontal_bars(values, title=ctx.chart_title(heading, theme.count), x_title=count_col, y_title="")
    notes = [t("themes.subthemes_note", lang)]
    return ctx.section(
        "subthemes", finding, theme.count, heading=heading, table=table, chart=chart, notes=notes, columns=columns
    )


def theme_groups_section(ctx: ReportContext, result, comments, dimension: str) -> Section | None:
    """The share of each group's comments (``segment`` or ``role``) that mention each theme."""
    lang = ctx.lang
    frame = theme_by_dimension(result, comments, dimension)
    frame = frame[frame["group"] != NOT_SET] if not frame.empty else frame
    if frame.empty or frame["group"].nunique() < 2:
        return None  # "mentioned most by (not set)": a survey without segments or roles has no groups
    name = (lambda g: role_label(g, lang)) if dimension == "role" else (lambda g: str(code_label(g, lang)))
    frame = frame.assign(group=[name(g) for g in frame["group"]], share=(100 * frame["share"]).round(1))
    sizes = frame.drop_duplicates("group").set_index("group")["n"]
    label_col = t("themes.col.label", lang)
    pivot = frame.pivot_table(index="label", columns="group", values="share", sort=False).reset_index()
    pivot.columns = [label_col] + [
        f"{g} (n={sizes[g]}{'*' if sizes[g] < ctx.min_n else ''})" for g in pivot.columns[1:]
    ]
    solid = frame[frame["n"] >= ctx.min_n].sort_values("share", ascending=False)
    top = solid.iloc[0] if len(solid) else frame.sort_values("share", ascending=False).iloc[0]
    # "mentioned most by" only when that group's share differs from the other groups' after a
    # Bonferroni correction over every solid theme x group cell (picking the largest is testing all)
    clear = False
    if len(solid):
        others = frame[(frame["key"] == top["key"]) & (frame["group"] != top["group"])]
        rest_count = int(others["count"].sum())
        rest_n = int(sizes.sum()) - int(top["n"])
        diff, p = proportion_difference_test(int(top["count"]), int(top["n"]), rest_count, rest_n)
        adjusted = None if p is None else min(1.0, p * len(solid))
        clear = diff is not None and diff > 0 and is_significant(adjusted)
    finding = t(
        "themes.finding_group" if clear else "themes.finding_group_unclear",
        lang,
        theme=top["label"],
        group=top["group"],
        share=format_percent(top["share"], lang),
    )
    n = int(sizes.sum())
    key = "by_segment" if dimension == "segment" else "by_role"
    heading = f"{t(f'themes.{key}', lang)}: {finding}"
    notes = [t("themes.small_groups", lang, min_n=ctx.min_n)]
    # a column per group: the share of its comments that mention each theme
    columns = (Column(label_col, K.TEXT), *(Column(str(c), K.SHARE) for c in pivot.columns[1:]))
    return ctx.section(key, finding, n, heading=heading, table=pivot, notes=notes, columns=columns)


def theme_impact_section(ctx: ReportContext, result, comments) -> Section | None:
    """NPS of the comments that mention each theme against those that do not: both n, the difference
    with its 95 % interval and Holm-adjusted p-value.

    The headline names the most negative difference that is clear (p < 0.05 after adjustment, both
    groups of at least ``min_n``); themes with fewer comments are flagged with * and never headline.
    """
    lang = ctx.lang
    impact = theme_impact(result, comments)
    if impact.empty:
        return None
    small = impact["n_with"] < ctx.min_n
    table, columns = typed_table(
        (
            t("themes.col.label", lang),
            K.TEXT,
            [f"{lab} *" if s else lab for lab, s in zip(impact["label"], small, strict=True)],
        ),
        (t("themes.col.n_with", lang), K.COUNT, impact["n_with"]),
        (t("themes.col.nps_with", lang), K.NPS, impact["nps_with"]),
        (t("themes.col.n_without", lang), K.COUNT, impact["n_without"]),
        (t("themes.col.nps_without", lang), K.NPS, impact["nps_without"]),
        (t("themes.col.difference", lang), K.NPS, impact["difference"]),
        (
            t("themes.col.difference_ci", lang),
            K.TEXT,  # an interval written from its two bounds, each as an NPS difference is written
            [
                "" if pd.isna(lo) else f"{format_cell(lo, K.NPS, lang)} – {format_cell(hi, K.NPS, lang)}"
                for lo, hi in zip(impact["difference_low"], impact["difference_high"], strict=True)
            ],
        ),
        (t("themes.col.p_adjusted", lang), K.P_VALUE, impact["p_adjusted"]),
    )
    clear = impact[
        ~small & (impact["n_without"] >= ctx.min_n) & (impact["p_adjusted"] < 0.05) & impact["difference"].notna()
    ].sort_values("difference")
    if len(clear):
        worst = clear.iloc[0]
        finding = t(
            "themes.finding_impact",
            lang,
            theme=worst["label"],
            difference=num(worst["difference"], lang, sign=True),
            low=num(worst["difference_low"], lang, sign=True),
            high=num(worst["difference_high"], lang, sign=True),
        )
    else:
        finding = t("themes.finding_impact_none", lang, min_n=ctx.min_n)
    notes = [t("themes.impact_note", lang, min_n=ctx.min_n)]
    n = int(impact["n_with"].iloc[0] + impact["n_without"].iloc[0])
    heading = f"{t('themes.impact', lang)}: {finding}"
    return ctx.section("impact", finding, n, heading=heading, table=table, notes=notes, columns=columns)


def _quarter_days(label: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a quarter labelled ``2026-Q3``."""
    year, quarter = int(label[:4]), int(label[-1])
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return first, last


def _clearest_change(
    trend: pd.DataFrame, min_n: int, lang: str, result=None, comments=None
) -> tuple[str | None, str | None]:
    """(the clearest change of a theme's share from the previous quarter to the latest, in words;
    the previous quarter when the two were compared).

    Two-proportion test per theme with comments clustered in accounts
    (:func:`cx_core.themes.theme_period_shares`), Holm-adjusted over the themes; both quarters need
    ``min_n`` comments. No words when no change is clear (p >= 0.05) or there is nothing to compare.
    """
    quarters = sorted(trend["quarter"].unique())
    if len(quarters) < 2:
        return None, None
    previous, latest = quarters[-2], quarters[-1]
    n_of = trend.drop_duplicates("quarter").set_index("quarter")["n"]
    if n_of[previous] < min_n or n_of[latest] < min_n:
        return None, None
    shares = theme_period_shares(result, comments, _quarter_days(latest), _quarter_days(previous))
    clear = shares[
        [is_significant(q) and bool(d) for q, d in zip(shares["p_adjusted"], shares["difference"], strict=True)]
    ]
    if clear.empty:
        return None, previous
    order = clear.assign(size=clear["difference"].abs()).sort_values(["size", "label"], ascending=[False, False])
    top = order.iloc[0]
    label, now, before, difference = (
        top["label"],
        float(top["share_a"]),
        float(top["share_b"]),
        float(top["difference"]),
    )
    words = t(
        "themes.finding_trend_change",
        lang,
        theme=label,
        verb=t("themes.rose" if difference > 0 else "themes.fell", lang),
        before=format_percent(100 * before, lang),
        now=format_percent(100 * now, lang),
        previous=previous,
        latest=latest,
    )
    return words, previous


TREND_LINES = 6
"""Themes drawn in the trend chart (the most mentioned; the table lists all)."""


def theme_trend_section(ctx: ReportContext, result, comments) -> Section | None:
    """Each theme's share of the comments of each quarter (a line per theme)."""
    lang = ctx.lang
    trend = theme_trend(result, comments)
    if trend.empty:
        return None
    label_col, quarter_col, share_col = (t(f"themes.col.{c}", lang) for c in ("label", "quarter", "share"))
    table, columns = typed_table(
        (label_col, K.TEXT, trend["label"]),
        (quarter_col, K.TEXT, trend["quarter"]),
        (share_col, K.SHARE, (100 * trend["share"]).round(1)),
        ("n", K.COUNT, trend["n"]),
    )
    finding, compared = _clearest_change(trend, ctx.min_n, lang, result, comments)
    if finding is None:
        latest = trend[trend["quarter"] == trend["quarter"].max()].sort_values("share", ascending=False).iloc[0]
        finding = t(
            "themes.finding_trend",
            lang,
            quarter=latest["quarter"],
            theme=latest["label"],
            share=format_percent(100 * latest["share"], lang),
        )
        if compared:
            finding += t("themes.no_clear_change", lang, previous=compared)
    n = int(trend.drop_duplicates("quarter")["n"].sum())
    # More than a handful of lines is unreadable on a slide: the chart draws the most mentioned
    # themes, the table keeps every one.
    labels = list(dict.fromkeys(th.label for th in result.themes if th.label in set(trend["label"])))
    drawn = set(labels[:TREND_LINES])
    values = [
        {"series": r.label, "label": r.quarter, "value": round(100 * r.share, 1), "n": int(r.n)}
        for r in trend.itertuples(index=False)
        if r.label in drawn
    ]
    heading = f"{t('themes.trend', lang)}: {finding}"
    chart = lines_by_series(
        values, title=ctx.chart_title(heading, n), x_title=quarter_col, y_title=share_col, domain=(0, 100)
    )
    notes = [t("themes.trend_top", lang, drawn=len(drawn), total=len(labels))] if len(labels) > len(drawn) else []
    return ctx.section("trend", finding, n, heading=heading, table=table, chart=chart, notes=notes, columns=columns)


def theme_quotes_sections(ctx: ReportContext, result, comments, key: str, subtheme: int | None = None) -> list[Section]:
    """One theme's chosen quotes (with their excerpts), and every comment that mentions it.

    ``subtheme`` (a position in ``theme.subthemes``) keeps only that part's comments in the second.
    """
    lang = ctx.lang
    theme = with_questions(result, comments).theme(key)  # each quote names the open question it answers
    if theme is None:
        return []
    part = theme.subthemes[subtheme] if subtheme is not None and 0 <= subtheme < len(theme.subthemes) else None
    finding = t("themes.finding_quotes", lang, theme=theme.label, count=num(theme.count, lang))
    quotes, quote_columns = typed_table(
        (t("themes.col.response_id", lang), K.TEXT, [q.response_id for q in theme.quotes]),
        (t("themes.col.excerpt", lang), K.TEXT, [q.excerpt for q in theme.quotes]),
        (t("themes.col.quote", lang), K.TEXT, [q.text for q in theme.quotes]),
        (t("map.question", lang), K.TEXT, [q.question or "" for q in theme.quotes]),
    )
    notes = [theme.description] if theme.description else []
    heading = f"{t('themes.quotes', lang)}: {finding}"
    texts = {c.response_id: c.text for c in comments}
    ids = theme.response_ids if part is None else part.response_ids
    every = pd.DataFrame(
        {
            t("themes.col.response_id", lang): ids,
            t("themes.col.quote", lang): [texts.get(r, "") for r in ids],
        }
    )  # every column of it is text (ids, comments, sub-theme names)
    if theme.subthemes:  # which part of the theme each comment is about, to read one part at a time
        of: dict[str, list[str]] = {}
        for sub in theme.subthemes:
            for rid in sub.response_ids:
                of.setdefault(rid, []).append(subtheme_label(sub, lang))
        every[t("themes.col.subtheme", lang)] = [" · ".join(of.get(r, [])) for r in ids]
    every_heading = t("themes.all_quotes", lang, n=theme.count)
    if part is not None:
        every_heading = t("themes.part_quotes", lang, n=len(ids), subtheme=subtheme_label(part, lang))
    return [
        ctx.section("quotes", finding, theme.count, heading=heading, table=quotes, notes=notes, columns=quote_columns),
        Section(
            "all_quotes",
            every_heading,
            every_heading,
            len(ids),
            ctx.filters_text,
            every,
            columns=tuple(Column(str(c), K.TEXT) for c in every.columns),
        ),
    ]
