"""Report sections of the Themes page (and their builder)."""

from __future__ import annotations

import pandas as pd

from ..i18n_format import format_percent
from ..messages import t
from ..themes import ThemeEngine, comments_from_workspace, extract_themes
from ._common import num
from .charts import horizontal_bars
from .sections import ReportContext, Section, section_builder

TOP_THEMES = 8
QUOTES_PER_THEME = 3
QUOTE_CHARS = 140


def _quote(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


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
        mean=num(first.mean_nps, lang, digits=1),
    )
    n = result.n_substantive
    quotes = [
        "\n".join(f"“{_quote(q.excerpt or q.text)}” ({q.response_id})" for q in th.quotes[:QUOTES_PER_THEME])
        for th in themes
    ]
    table = pd.DataFrame(
        {
            t("themes.col.label", lang): [th.label for th in themes],
            t("themes.col.count", lang): [th.count for th in themes],
            t("themes.col.share", lang): [round(100 * th.share, 1) for th in themes],
            t("themes.col.mean_nps", lang): [th.mean_nps for th in themes],
            t("rsec.col_quotes", lang): quotes,
        }
    )
    values = [{"label": th.label, "value": th.count, "share": round(100 * th.share, 1)} for th in themes]
    chart = horizontal_bars(values, title=ctx.chart_title(finding, n), x_title=t("themes.col.count", lang), y_title="")
    notes = [t("rsec.themes_note", lang)]
    return Section("themes", ctx.title(finding, n), finding, n, ctx.filters_text, table, chart, notes)


@section_builder("themes")
def _themes_builder(ctx: ReportContext) -> Section | None:
    given = ctx.extras.get("themes_result")
    if given is not None:
        return themes_section(ctx, given)
    comments = comments_from_workspace(ctx.ws, ctx.filters)
    if not comments:
        return None
    return themes_section(ctx, extract_themes(comments, ThemeEngine.OFFLINE))
