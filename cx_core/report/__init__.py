"""Reports of the current view: sections -> self-contained HTML or PPTX, charts -> SVG/PNG.

Typical use (the page and the CLI do exactly this)::

    report = build_report(ws, filters, lang="ja")
    html_bytes = render_html(report)
    pptx_bytes = render_pptx(report)

Every block and slide states its finding, n, the filters and the data date. Add a section with
:func:`section_builder` (see :mod:`cx_core.report.sections`). The default report runs
:data:`DEFAULT_SECTIONS`: headline, split, NPS by segment and role, segment x role, trend, key
drivers, needs, moments of truth, themes, accounts at risk and the follow-up list (sections without
data are skipped); each domain's sections live in its module (:mod:`cx_core.report.segments`, ``.drivers``, ``.moments``,
``.themes``, ``.accounts``); the report depends on the domains, never the reverse. ``extras``
carries session choices: ``as_of`` (default :func:`cx_core.accounts.default_as_of`),
``role_weights``, ``driver_catalogue``, ``trend_grain``, ``follow_up_top``, ``themes_result``, ``codebook`` (a :class:`~cx_core.codebook.Codebook` the themes are coded by).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..filters import NO_FILTERS, Filters
from ..i18n_format import chart_title, describe_filters, format_date, format_date_range
from ..messages import t
from ..metrics import DEFAULT_MIN_N
from ..workspace import Workspace
from ._common import value_label
from .accounts import (
    account_health_section,
    account_scope,
    account_sections,
    accounts_section,
    follow_up_section,
    outcome_sections,
)
from .ask import answer_section
from .charts import chart_png, chart_svg, ensure_fonts
from .drivers import (
    driver_warnings,
    drivers_section,
    needs_by_group_section,
    needs_section,
    outcome_label,
    performance_title,
)
from .moments import moments_caption, moments_section, role_moments_section
from .sections import (
    DEFAULT_SECTIONS,
    OVERVIEW_SECTIONS,
    SECTION_BUILDERS,
    ReportContext,
    Section,
    build_sections,
    group_section,
    no_nps_group_sections,
    section_builder,
    section_cells,
)
from .segments import (
    comparison_statements,
    crosstab_section,
    groups_section,
    segments_section,
    trend_finding,
    trend_section,
    weighted_accounts_section,
)
from .themes import (
    subtheme_label,
    theme_groups_section,
    theme_impact_section,
    theme_list_section,
    theme_quotes_sections,
    theme_subthemes_section,
    theme_trend_section,
    themes_section,
)

__all__ = [
    "DEFAULT_SECTIONS",
    "OVERVIEW_SECTIONS",
    "SECTION_BUILDERS",
    "Report",
    "ReportContext",
    "Section",
    "build_report",
    "build_sections",
    "account_health_section",
    "answer_section",
    "account_scope",
    "account_sections",
    "accounts_section",
    "chart_png",
    "chart_svg",
    "chart_title",
    "comparison_statements",
    "crosstab_section",
    "driver_warnings",
    "drivers_section",
    "ensure_fonts",
    "follow_up_section",
    "group_section",
    "no_nps_group_sections",
    "performance_title",
    "groups_section",
    "moments_caption",
    "moments_section",
    "needs_by_group_section",
    "outcome_label",
    "outcome_sections",
    "needs_section",
    "render_html",
    "render_pptx",
    "role_moments_section",
    "report_bytes",
    "section_builder",
    "segments_section",
    "theme_groups_section",
    "theme_impact_section",
    "theme_list_section",
    "theme_quotes_sections",
    "subtheme_label",
    "theme_subthemes_section",
    "theme_trend_section",
    "themes_section",
    "trend_finding",
    "trend_section",
    "value_label",
    "weighted_accounts_section",
    "section_cells",
]


@dataclass
class Report:
    """Everything a report file says: a title, the context lines and the sections in order."""

    title: str
    lang: str
    filters_text: str
    data_dates: str  # e.g. "1 Oct 2026 – 31 Dec 2026": the answers the numbers come from
    data_date: str  # the newest answer: what "as of" means for this report
    generated: str
    n: int
    sections: list[Section] = field(default_factory=list)

    def footer(self, section: Section | None = None) -> str:
        """The line each slide/block carries: filters, data date and n."""
        return t(
            "present.footer",
            self.lang,
            filters=section.filters_text if section else self.filters_text,
            date=self.data_date,
            dates=self.data_dates,
            n=f"{(section.n if section else self.n):,}",
        )


def build_report(
    ws: Workspace,
    filters: Filters = NO_FILTERS,
    *,
    lang: str,
    sections: tuple[str, ...] | list[str] = DEFAULT_SECTIONS,
    min_n: int = DEFAULT_MIN_N,
    extras: dict | None = None,
    prebuilt: list[Section] | None = None,
    today: dt.date | None = None,
) -> Report:
    """Build the report of ``ws`` under ``filters``: named sections, or ``prebuilt`` ones from a page."""
    ctx = ReportContext(ws, filters, lang, min_n, dict(extras or {}))
    ov = ctx.overview
    built = list(prebuilt) if prebuilt is not None else build_sections(ctx, sections)
    return Report(
        title=t("present.report_title", lang),
        lang=lang,
        filters_text=describe_filters(filters, lang),
        data_dates=format_date_range(ov.first_date, ov.last_date, lang),
        data_date=format_date(ov.last_date, lang),
        generated=format_date(today or dt.date.today(), lang),
        n=ov.responses,
        sections=built,
    )


def render_html(report: Report) -> bytes:
    """The report as one self-contained HTML file (charts inline as SVG images, no scripts)."""
    from ._html import render

    return render(report)


def render_pptx(report: Report) -> bytes:
    """The report as a PowerPoint deck: a title slide, then one slide per section."""
    from ._pptx import render

    return render(report)


def report_bytes(report: Report, fmt: str) -> bytes:
    """``fmt`` is ``"html"`` or ``"pptx"``."""
    if fmt == "html":
        return render_html(report)
    if fmt == "pptx":
        return render_pptx(report)
    raise ValueError(f"unknown report format {fmt!r}")
