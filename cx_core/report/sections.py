"""Report sections: one insight each (a finding, its n, the filters, a table and a chart).

A section is what one presenter screen, one HTML block and one slide show. Pages, the HTML and
PPTX reports and the CLI all build sections through the same functions, so their numbers agree.

Adding a section is one function; its table declares the kind of each column (a
:class:`cx_core.cells.ColumnKind`), so the page, slides, HTML and PPTX write every cell the same way::

    @section_builder("drivers")
    def drivers_section(ctx: ReportContext) -> Section | list[Section] | None:
        table, columns = typed_table(("Driver", ColumnKind.TEXT, names), ("NPS", ColumnKind.NPS, scores))
        return ctx.section("drivers", finding, n, table=table, chart=chart, notes=notes, columns=columns)

and naming it in the ``sections`` of :func:`cx_core.report.build_report` (or in
:data:`DEFAULT_SECTIONS`). A builder returns ``None`` when it has nothing to say (e.g. no CRM file).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ..cells import Column, ColumnKind, format_cell
from ..cells import ColumnKind as K
from ..filters import Filters
from ..i18n_format import chart_title, describe_filters, format_interval, format_number, format_percent, title_detail
from ..labels import code_label
from ..messages import t
from ..metrics import DEFAULT_MIN_N, GroupScore, Overview, metric_scales, nps_distribution, overview, scores_by_group
from ..roles import role_label
from ..shared_views import shared_by_content
from ..stats import NpsResult, extremes_adjusted_p, mean_difference_test, nps_difference_test
from ..workspace import Workspace
from .charts import COLOURS, chart_in_language, horizontal_bars, vertical_bars


@dataclass(frozen=True, eq=False)
class Section:
    """One insight: ``title`` states the finding with its n and filters; ``finding`` says it in a sentence.

    ``table`` is what the section's numbers are (exported as CSV/XLSX, shown in reports), in the
    reader's language (codes already worded); ``columns`` says the kind of each of its columns, in
    order, so every edge writes a cell the same way (:func:`section_cells`); ``chart`` an optional
    Vega-Lite spec (rendered in the page, as SVG/PNG in exports and reports). A section is frozen:
    to change one, build another with :func:`dataclasses.replace`.
    """

    key: str
    title: str
    finding: str
    n: int
    filters_text: str
    table: pd.DataFrame | None = None
    chart: dict | None = None
    notes: Sequence[str] = ()
    columns: tuple[Column, ...] = ()
    #: the saved data set the table comes from (:func:`cx_core.shared_views.dataset_identity`): its
    #: long table's cells are then written once for every session on that data set
    shared_as: Hashable | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", tuple(self.notes))
        if self.table is not None:
            headers = [str(c) for c in self.table.columns]
            declared = [c.header for c in self.columns]
            if headers != declared:  # a programming error: every column's kind is declared by its builder
                raise ValueError(f"section {self.key!r}: columns {declared} do not match the table's {headers}")

    @property
    def has_table(self) -> bool:
        return self.table is not None and not self.table.empty


def typed_table(
    *columns: tuple[str, ColumnKind | tuple[ColumnKind, ...], object],
) -> tuple[pd.DataFrame, tuple[Column, ...]]:
    """A section's table and its columns from ``(header, kind, values)`` triples, in order.

    ``kind`` is one kind, or one per row for a column whose rows are different measures (NPS in
    whole points in one row, a CSAT mean with two decimals in the next)."""
    frame = pd.DataFrame({header: values for header, _, values in columns})
    typed = tuple(
        Column(header, kind) if isinstance(kind, ColumnKind) else Column(header, kind[0], kind)
        for header, kind, _ in columns
    )
    return frame, typed


def columns_of(frame: pd.DataFrame, kinds: Mapping[str, ColumnKind]) -> tuple[Column, ...]:
    """The columns of a table built another way (a pivot, renamed columns): each header's kind from
    ``kinds``; a header without one raises ``KeyError`` (a programming error)."""
    return tuple(Column(str(c), kinds[str(c)]) for c in frame.columns)


def section_cells(section: Section, lang: str, max_rows: int | None = None) -> tuple[list[Column], list[list[str]]]:
    """The section's table as text, the same on the page, in presenter mode, HTML, PPTX and the CLI:
    the shown columns (a yes/no column with no "yes" says nothing and is left out) and each row's
    cells written by :func:`cx_core.cells.format_cell`; the first ``max_rows`` rows when given."""
    if section.table is None:
        return [], []
    if section.shared_as is None or (max_rows is not None and max_rows <= _FEW_ROWS):
        return _section_cells(section, lang, max_rows)
    # a long table of a saved data set (every account) takes a second of formatting: done once for
    # every session on that data set showing the same table (cx_core.shared_views)
    shown, rows = shared_by_content(
        "section_cells",
        (section.shared_as, section.table, section.columns, lang, max_rows),
        lambda: _frozen_cells(section, lang, max_rows),
        copy_result=False,
    )
    return list(shown), [list(row) for row in rows]


_FEW_ROWS = 200


def _frozen_cells(
    section: Section, lang: str, max_rows: int | None
) -> tuple[tuple[Column, ...], tuple[tuple[str, ...], ...]]:
    shown, rows = _section_cells(section, lang, max_rows)
    return tuple(shown), tuple(tuple(row) for row in rows)


def _section_cells(section: Section, lang: str, max_rows: int | None) -> tuple[list[Column], list[list[str]]]:
    assert section.table is not None
    frame = section.table if max_rows is None else section.table.head(max_rows)
    full = section.table
    keep = [
        j
        for j, column in enumerate(section.columns)
        if column.kind is not ColumnKind.FLAG or full.iloc[:, j].fillna(False).astype(bool).any()
    ]
    shown = [section.columns[j] for j in keep]
    rows = [
        [format_cell(values[j], section.columns[j].kind_at(i), lang) for j in keep]
        for i, values in enumerate(frame.itertuples(index=False, name=None))
    ]
    return shown, rows


@dataclass
class ReportContext:
    """What every section builder gets: the workspace, the filters, the language and the min n."""

    ws: Workspace
    filters: Filters
    lang: str
    min_n: int = DEFAULT_MIN_N
    #: session extras a builder may use (``as_of``, ``role_weights``, ``driver_catalogue``,
    #: ``trend_grain``, ``follow_up_top``...); never required
    extras: dict = field(default_factory=dict)
    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, name: str, compute: Callable[[], object]):
        """``compute()`` once per context: sections that share a core result compute it once."""
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    @cached_property
    def filters_text(self) -> str:
        return describe_filters(self.filters, self.lang)

    @cached_property
    def overview(self) -> Overview:
        return overview(self.ws, self.filters)

    def title(self, finding: str, n: int | None) -> str:
        return chart_title(finding, n, self.filters_text, self.lang)

    def section(
        self,
        key: str,
        finding: str,
        n: int,
        *,
        heading: str | None = None,
        table: pd.DataFrame | None = None,
        chart: dict | None = None,
        notes: Sequence[str] = (),
        columns: tuple[Column, ...] = (),
    ) -> Section:
        """A section of this context: titled ``heading`` (else ``finding``) with its n and the filters,
        its chart in the reader's language."""
        title = self.title(finding if heading is None else heading, n)
        return Section(
            key, title, finding, n, self.filters_text, table, chart_in_language(chart, self.lang), notes, columns
        )

    def chart_title(self, finding: str, n: int | None) -> list[str]:
        """The same title on two lines (finding, then n and filters): charts are narrower than slides."""
        return [finding, title_detail(n, self.filters_text, self.lang)]


SectionBuilder = Callable[[ReportContext], "Section | list[Section] | None"]
SECTION_BUILDERS: dict[str, SectionBuilder] = {}
#: The Overview page's sections (fast: no model, no bootstrap).
OVERVIEW_SECTIONS: tuple[str, ...] = ("headline", "nps_split", "nps_distribution", "by_segment", "by_role")
#: The full report (the CLI's and the "whole analysis" report); builders without data are skipped.
DEFAULT_SECTIONS: tuple[str, ...] = (
    "headline",
    "nps_split",
    "by_segment",
    "by_role",
    "segments",
    "trend",
    "drivers",
    "needs",
    "moments",
    "themes",
    "accounts",
    "follow_up",
)


def section_builder(name: str) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a section builder under ``name`` (a decorator)."""

    def register(fn: SectionBuilder) -> SectionBuilder:
        SECTION_BUILDERS[name] = fn
        return fn

    return register


def build_sections(ctx: ReportContext, names: tuple[str, ...] | list[str] = DEFAULT_SECTIONS) -> list[Section]:
    """Run the named builders in order; unknown names raise ``KeyError`` (a programming error)."""
    sections: list[Section] = []
    for name in names:
        result = SECTION_BUILDERS[name](ctx)
        if result is None:
            continue
        sections.extend(result if isinstance(result, list) else [result])
    return sections


# --- overview sections ---------------------------------------------------------------------------


def _ci_text(ci, lang: str, digits: int = 0, sign: bool = False) -> str:
    return format_interval(ci, lang, digits=digits, sign=sign)


@section_builder("headline")
def headline_section(ctx: ReportContext) -> Section:
    """NPS, CSAT and CES with n, 95% interval and top-2-box share."""
    ov, lang = ctx.overview, ctx.lang
    if not ov.nps.n:  # every metric is optional: lead with CSAT (else CES) when there is no NPS
        return _headline_without_nps(ctx)
    rows: list[tuple[str, float | None, int, tuple[float, float] | None, float | None, int, bool]] = [
        ("nps", ov.nps.score, ov.nps.n, ov.nps.ci95, None, 0, True)
    ]
    for name, result in (("csat", ov.csat), ("ces", ov.ces)):
        if result is not None:
            rows.append((name, result.score, result.n, result.ci95, result.top_box_share, 2, False))
    # one row per measure: NPS in whole signed points, CSAT and CES means with two decimals
    measures = (K.NPS,) + (K.SCORE,) * (len(rows) - 1)
    results = [ov.nps] + [r for r in (ov.csat, ov.ces) if r is not None]
    clustered = any(r.design_effect > 1.0 for r in results)  # answers cluster in accounts: n is not the whole story
    table, columns = typed_table(
        (t("present.col_metric", lang), K.TEXT, [t(f"metric.{r[0]}", lang) for r in rows]),
        (t("present.col_score", lang), measures, [r[1] for r in rows]),
        ("n", K.COUNT, [r[2] for r in rows]),
        *([(t("metric.effective_n_col", lang), K.COUNT, [r.effective_n for r in results])] if clustered else []),
        (t("overview.ci_low", lang), measures, [r[3][0] if r[3] else None for r in rows]),
        (t("overview.ci_high", lang), measures, [r[3][1] if r[3] else None for r in rows]),
        (t("present.col_top2", lang), K.SHARE, [r[4] for r in rows]),
    )
    finding = t(
        "present.headline_finding",
        lang,
        nps=format_number(ov.nps.score, lang, sign=True),
        ci=_ci_text(ov.nps.ci95, lang, sign=True),
        n=format_number(ov.nps.n, lang),
        accounts=format_number(ov.accounts, lang),
    )
    return ctx.section(
        "headline",
        finding,
        ov.nps.n,
        heading=t("present.headline_title", lang, nps=format_number(ov.nps.score, lang, sign=True)),
        table=table,
        columns=columns,
    )


def _headline_without_nps(ctx: ReportContext) -> Section:
    """The headline of data without NPS: CSAT (else CES) on its own scale, and what is missing."""
    ov, lang = ctx.overview, ctx.lang
    scales = metric_scales(ctx.ws)
    rows = [(name, r) for name, r in (("csat", ov.csat), ("ces", ov.ces)) if r is not None and r.n]
    table, columns = typed_table(
        (t("present.col_metric", lang), K.TEXT, [t(f"metric.{name}", lang) for name, _ in rows]),
        (t("map.scale", lang), K.TEXT, [f"{scales[name][0]:g}-{scales[name][1]:g}" for name, _ in rows]),
        (t("present.col_score", lang), K.SCORE, [r.score for _, r in rows]),
        ("n", K.COUNT, [r.n for _, r in rows]),
        (t("overview.ci_low", lang), K.SCORE, [r.ci95[0] if r.ci95 else None for _, r in rows]),
        (t("overview.ci_high", lang), K.SCORE, [r.ci95[1] if r.ci95 else None for _, r in rows]),
        (t("present.col_top2", lang), K.SHARE, [r.top_box_share for _, r in rows]),
    )
    if not rows:
        finding = t("coverage.no_scores", lang)
        return ctx.section("headline", finding, ov.responses, table=table, columns=columns)
    name, lead = rows[0]
    low, high = scales[name]
    values = {
        "metric": t(f"metric.{name}", lang),
        "score": format_number(lead.score, lang, digits=2),
        "low": f"{low:g}",
        "high": f"{high:g}",
    }
    finding = t(
        "coverage.headline_finding",
        lang,
        **values,
        ci=_ci_text(lead.ci95, lang, digits=2),
        top2=format_number(lead.top_box_share, lang),
        n=format_number(lead.n, lang),
        accounts=format_number(ov.accounts, lang),
    )
    heading = t("coverage.headline_title", lang, **values)
    return ctx.section("headline", finding, lead.n, heading=heading, table=table, columns=columns)


@section_builder("nps_split")
def nps_split_section(ctx: ReportContext) -> Section | None:
    """The share of promoters, passives and detractors."""
    nps, lang = ctx.overview.nps, ctx.lang
    if not nps.n:
        return None
    labels = [t("nps.promoters", lang), t("nps.passives", lang), t("nps.detractors", lang)]
    counts = [nps.promoters, nps.passives, nps.detractors]
    shares = [round(100 * c / nps.n, 1) for c in counts]
    table, columns = typed_table(
        (t("overview.category", lang), K.TEXT, labels),
        (t("overview.share", lang), K.SHARE, shares),
        (t("overview.count", lang), K.COUNT, counts),
    )
    finding = t(
        "present.split_finding",
        lang,
        promoters=format_percent(shares[0], lang),
        detractors=format_percent(shares[2], lang),
    )
    values = [
        {"label": label, "value": share, "count": count, "category": category}
        for label, share, count, category in zip(
            labels, shares, counts, ("promoter", "passive", "detractor"), strict=True
        )
    ]
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(finding, nps.n),
        x_title=t("overview.share", lang),
        y_title="",
        domain=(0, 100),
        colour_field="category",
        colour_scale={
            "scale": {
                "domain": ["promoter", "passive", "detractor"],
                "range": [COLOURS["promoter"], COLOURS["passive"], COLOURS["detractor"]],
            }
        },
        tooltip=[
            {"field": "label", "type": "nominal", "title": t("overview.category", lang)},
            {"field": "value", "type": "quantitative", "title": t("overview.share", lang), "format": ".1f"},
            {"field": "count", "type": "quantitative", "title": t("overview.count", lang)},
        ],
    )
    return ctx.section("nps_split", finding, nps.n, table=table, chart=chart, columns=columns)


@section_builder("nps_distribution")
def nps_distribution_section(ctx: ReportContext) -> Section | None:
    """How many answered each value 0-10."""
    lang = ctx.lang
    dist = nps_distribution(ctx.ws, ctx.filters)
    n = int(dist["count"].sum())
    if not n:
        return None
    top = dist.loc[dist["count"].idxmax()]
    finding = t("present.distribution_finding", lang, score=int(top["score"]), count=format_number(top["count"], lang))
    table, columns = typed_table(
        (t("overview.score", lang), K.COUNT, dist["score"]),  # the answer 0-10 itself, a whole number
        (t("overview.count", lang), K.COUNT, dist["count"].astype(int)),
    )
    values = [
        {"label": str(s), "value": int(c), "category": cat}
        for s, c, cat in zip(dist["score"], dist["count"], dist["category"], strict=True)
    ]
    chart = vertical_bars(
        values,
        title=ctx.chart_title(finding, n),
        x_title="0-10",
        y_title=t("overview.count", lang),
        colour_scale={
            "scale": {
                "domain": ["detractor", "passive", "promoter"],
                "range": [COLOURS["detractor"], COLOURS["passive"], COLOURS["promoter"]],
            }
        },
    )
    return ctx.section("nps_distribution", finding, n, table=table, chart=chart, columns=columns)


@dataclass(frozen=True)
class GroupBar:
    """One group of an "NPS by group" section: its name, NPS result, whether it is small, its rank."""

    name: str
    nps: NpsResult
    small_sample: bool
    rank: int | None = None


def nps_by_group_section(
    ctx: ReportContext, key: str, heading: str, finding: str, groups: list[GroupBar], notes: list[str]
) -> Section:
    """The one "NPS by group" section: a table (rank when given, group, NPS, n, interval, small) and
    bars with 95% intervals, small groups greyed. Overview, report and the Segments page all use it."""
    lang = ctx.lang
    n = sum(g.nps.n for g in groups)
    ranked = any(g.rank is not None for g in groups)
    clustered = any(g.nps.design_effect > 1.0 for g in groups)  # answers cluster in accounts: effective n beside n
    table, columns = typed_table(
        *([("#", K.COUNT, [g.rank for g in groups])] if ranked else []),
        (t("overview.group", lang), K.CODE, [g.name for g in groups]),
        (t("metric.nps", lang), K.NPS, [g.nps.score for g in groups]),
        ("n", K.COUNT, [g.nps.n for g in groups]),
        *([(t("metric.effective_n_col", lang), K.COUNT, [g.nps.effective_n for g in groups])] if clustered else []),
        (t("overview.ci_low", lang), K.NPS, [g.nps.ci95[0] if g.nps.ci95 else None for g in groups]),
        (t("overview.ci_high", lang), K.NPS, [g.nps.ci95[1] if g.nps.ci95 else None for g in groups]),
        (t("overview.small", lang), K.FLAG, [g.small_sample for g in groups]),
    )
    small = t("present.small_tag", lang)
    values = [
        {
            "label": g.name + (f" ({small})" if g.small_sample else ""),
            "value": g.nps.score,
            "low": g.nps.ci95[0] if g.nps.ci95 else None,
            "high": g.nps.ci95[1] if g.nps.ci95 else None,
            "n": g.nps.n,
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
        tooltip=[
            {"field": "label", "type": "nominal", "title": t("overview.group", lang)},
            {"field": "value", "type": "quantitative", "title": t("metric.nps", lang), "format": "+.0f"},
            {"field": "n", "type": "quantitative", "title": "n"},
        ],
    )
    return ctx.section(key, finding, n, heading=heading, table=table, chart=chart, notes=notes, columns=columns)


def group_section(ctx: ReportContext, key: str, dimension: str, heading_key: str, label=code_label) -> Section | None:
    """NPS by each value of ``dimension``: solid groups ranked, small groups flagged and greyed.

    Public so other pages can build "NPS by <anything>" sections with one call.
    """
    lang = ctx.lang
    groups: list[GroupScore] = scores_by_group(ctx.ws, dimension, ctx.filters, min_n=ctx.min_n)
    if len(groups) < 2:
        return None  # one bar ("Other" for every answer of a survey without roles) compares nothing
    if not any(g.nps.n for g in groups):  # no NPS: the same section on CSAT (else CES)
        return _mean_group_section(ctx, key, groups, heading_key, label)
    solid = [g for g in groups if not g.small_sample]
    names = {g.group: label(g.group, lang) for g in groups}
    if len(solid) >= 2:
        best, worst = solid[0], solid[-1]
        # Honest wording: a gap inside the margin of error (after choosing the extremes of all the
        # groups, a multiple comparison) is not called a lead.
        p_value = extremes_adjusted_p(nps_difference_test(best.nps, worst.nps)[1], len(solid))
        finding = t(
            "present.group_finding" if p_value is not None and p_value < 0.05 else "present.group_no_clear_gap",
            lang,
            best=names[best.group],
            best_nps=format_number(best.nps.score, lang, sign=True),
            worst=names[worst.group],
            worst_nps=format_number(worst.nps.score, lang, sign=True),
            gap=format_number((best.nps.score or 0) - (worst.nps.score or 0), lang),
        )
    else:
        finding = t("present.group_too_few", lang, min_n=ctx.min_n)
    bars = [GroupBar(names[g.group], g.nps, g.small_sample) for g in groups]
    notes = [t("small_sample.flag", lang, min_n=ctx.min_n)] if len(solid) < len(groups) else []
    return nps_by_group_section(ctx, key, f"{t(heading_key, lang)}: {finding}", finding, bars, notes)


def _mean_group_section(ctx: ReportContext, key: str, groups: list[GroupScore], heading_key: str, label):
    """A group section on the mean of CSAT (else CES), on that score's own scale."""

    lang = ctx.lang
    metric = next((m for m in ("csat", "ces") if any(getattr(g, m) and getattr(g, m).n for g in groups)), None)
    if metric is None:
        return None
    low, high = metric_scales(ctx.ws)[metric]
    results = {g.group: getattr(g, metric) for g in groups}
    groups = [g for g in groups if results[g.group] is not None and results[g.group].n]
    n = sum(results[g.group].n for g in groups)
    solid = [g for g in groups if not g.small_sample]
    names = {g.group: label(g.group, lang) for g in groups}
    name = t(f"metric.{metric}", lang)
    if len(solid) >= 2:
        best, worst = solid[0], solid[-1]
        p_value = extremes_adjusted_p(mean_difference_test(results[best.group], results[worst.group])[1], len(solid))
        finding = t(
            "present.group_finding" if p_value is not None and p_value < 0.05 else "present.group_no_clear_gap",
            lang,
            best=names[best.group],
            best_nps=f"{name} {format_number(results[best.group].score, lang, digits=2)}",
            worst=names[worst.group],
            worst_nps=f"{name} {format_number(results[worst.group].score, lang, digits=2)}",
            gap=format_number((results[best.group].score or 0) - (results[worst.group].score or 0), lang, digits=2),
        )
    else:
        finding = t("present.group_too_few", lang, min_n=ctx.min_n)
    mean_title = t("coverage.mean_on_scale", lang, low=f"{low:g}", high=f"{high:g}")
    table, columns = typed_table(
        (t("overview.group", lang), K.CODE, [names[g.group] for g in groups]),
        (f"{name} · {mean_title}", K.SCORE, [results[g.group].score for g in groups]),
        ("n", K.COUNT, [results[g.group].n for g in groups]),
        (t("overview.ci_low", lang), K.SCORE, [(results[g.group].ci95 or (None, None))[0] for g in groups]),
        (t("overview.ci_high", lang), K.SCORE, [(results[g.group].ci95 or (None, None))[1] for g in groups]),
        (t("present.col_top2", lang), K.SHARE, [results[g.group].top_box_share for g in groups]),
        (t("overview.small", lang), K.FLAG, [g.small_sample for g in groups]),
    )
    # "CSAT by role" (the NPS heading's twin), else the page's heading with the metric named
    twin = {"overview.by_role": "coverage.by_role", "overview.by_segment": "coverage.by_segment"}.get(heading_key)
    heading = f"{t(twin, lang, metric=name) if twin else t(heading_key, lang) + f' ({name})'}: {finding}"
    small = t("present.small_tag", lang)
    values = [
        {
            "label": names[g.group] + (f" ({small})" if g.small_sample else ""),
            "value": results[g.group].score,
            "low": (results[g.group].ci95 or (None, None))[0],
            "high": (results[g.group].ci95 or (None, None))[1],
            "n": results[g.group].n,
            "kind": "small" if g.small_sample else "solid",
        }
        for g in groups
    ]
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(heading, n),
        x_title=f"{name} · {mean_title}",
        y_title="",
        domain=(low, high),  # the score's own scale
        colour_field="kind",
        colour_scale={"scale": {"domain": ["solid", "small"], "range": [COLOURS["bar"], COLOURS["small"]]}},
        with_interval=True,
    )
    notes = [t("small_sample.flag", lang, min_n=ctx.min_n)] if len(solid) < len(groups) else []
    return ctx.section(key, finding, n, heading=heading, table=table, chart=chart, notes=notes, columns=columns)


def no_nps_group_sections(ctx: ReportContext) -> list[Section]:
    """Scores by segment (with a CRM file) and by role when the data has no NPS: CSAT, else CES."""
    return build_sections(ctx, ("by_segment", "by_role"))


@section_builder("by_segment")
def by_segment_section(ctx: ReportContext) -> Section | None:
    """NPS by customer segment (needs a CRM file)."""
    if not ctx.ws.has_crm:
        return None
    return group_section(ctx, "by_segment", "segment", "overview.by_segment")


@section_builder("by_role")
def by_role_section(ctx: ReportContext) -> Section | None:
    """NPS by the respondent's role."""
    return group_section(ctx, "by_role", "respondent_role", "overview.by_role", label=role_label)
