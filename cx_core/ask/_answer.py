"""Answering a :class:`QuerySpec` through the views the pages use, and recording the SQL they ran.

Numbers come only from :func:`cx_core.metrics.overview`, :func:`cx_core.metrics.scores_by_group`,
:func:`cx_core.segments.segmentation_view` (periods of a trend) and
:func:`cx_core.drivers.driver_scores`: an answer is the page's figure. Differences are judged with
the public tests of :mod:`cx_core.stats`; groups under the minimum n are flagged and never ranked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..drivers import catalogue_from_workspace, driver_scores
from ..filters import Filters
from ..i18n_format import format_interval, format_number
from ..messages import dimension_label, has_message, t
from ..metrics import DEFAULT_MIN_N, GroupScore, overview, scores_by_group
from ..roles import role_label
from ..segments import dimension_values, segmentation_view
from ..stats import (
    MeanResult,
    NpsResult,
    extremes_adjusted_p,
    is_significant,
    mean_difference_test,
    nps_difference_test,
)
from ..workspace import Workspace
from ._spec import ALL_DRIVERS, DRIVER_PREFIX, TIME_GROUPS, Period, QuerySpec, Reading
from ._themes import ThemeMembers, workspace_themes


class RecordingConnection:
    """The workspace's (locked-down) connection, remembering every statement run through it."""

    def __init__(self, con: Any):
        self._con = con
        self.statements: list[str] = []

    def execute(self, sql: str, parameters: Any = None):
        text = " ".join(str(sql).split())
        if parameters:
            shown = ", ".join(f"${k} = {_literal(v)}" for k, v in dict(parameters).items())
            text += f"  -- {shown}"
        self.statements.append(text)
        return self._con.execute(sql, parameters) if parameters is not None else self._con.execute(sql)

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def _literal(value: Any) -> str:
    text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
    return repr(text[:80]) if isinstance(value, (str, dt.date)) else text[:80]


@dataclass(frozen=True)
class AnswerRow:
    """One figure of an answer: its group (a label, or dimension -> value), value, n and 95% interval."""

    group: str | tuple[tuple[str, str], ...]
    value: float | None
    n: int
    ci95: tuple[float, float] | None
    small_sample: bool

    def group_json(self) -> str | dict[str, str]:
        return dict(self.group) if isinstance(self.group, tuple) else self.group

    def to_dict(self) -> dict:
        return {
            "group": self.group_json(),
            "value": self.value,
            "n": self.n,
            "ci95": list(self.ci95) if self.ci95 else None,
            "small_sample": self.small_sample,
        }


@dataclass(frozen=True)
class Difference:
    """Whether the first two rows differ clearly (two-sided test at 95%), or why it was not tested."""

    a: str
    b: str
    difference: float | None
    p_value: float | None
    clear: bool
    tested: bool
    reason: str | None = None
    correction: str | None = None  #: "pairs": Bonferroni over every pair of groups (the two ends of a list)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self) | {"p_value": None if self.p_value is None else float(f"{self.p_value:.4g}")}


@dataclass(frozen=True)
class Answer:
    """A question's answer: the reading, the rows (in the question's order), the SQL run and a sentence."""

    reading: Reading
    rows: tuple[AnswerRow, ...] = ()
    sql: tuple[str, ...] = ()
    message: str = ""
    difference: Difference | None = None
    min_n: int = DEFAULT_MIN_N
    small_left_out: int = 0
    lang: str = field(kw_only=True)  # the reader's language: always given
    notes: tuple[str, ...] = field(default=())

    @property
    def understood(self) -> bool:
        return self.reading.understood

    @property
    def spec(self) -> QuerySpec:
        return self.reading.spec

    def to_dict(self) -> dict:
        reading = self.reading.to_dict()
        if not self.understood:
            reading.update(
                measure=None, group_by=[], filters={}, period=None, compare=None, order=None, top=None, themes=[]
            )
        return {
            "question": self.reading.question,
            "understood": self.understood,
            "reading": reading,
            "rows": [r.to_dict() for r in self.rows],
            "difference": self.difference.to_dict() if self.difference else None,
            "sql": list(self.sql),
            "message": self.message,
            "suggestions": list(self.reading.suggestions),
            "min_n": self.min_n,
        }


def measure_label(measure: str, lang: str, drivers: dict[str, str] | None = None) -> str:
    if measure.startswith(DRIVER_PREFIX):
        key = measure[len(DRIVER_PREFIX) :]
        return (drivers or {}).get(key, key)
    if measure == ALL_DRIVERS:
        return t("ask.all_drivers", lang)
    return t(f"metric.{measure}", lang)


def group_text(dimension: str, value: str, lang: str) -> str:
    """A value as people read it (role codes and stage codes in words)."""
    if dimension == "respondent_role":
        return role_label(value, lang)
    key = "code." + str(value).strip().lower().replace(" ", "_")
    return t(key, lang) if has_message(key) else str(value)


@dataclass(frozen=True)
class _Scoped(QuerySpec):
    """A spec as answered: its themes resolved to the responses they hold (never shown or kept)."""

    responses: tuple[str, ...] = ()
    responses_label: str = ""


def _scoped(spec: QuerySpec, ws: Workspace, themes: ThemeMembers | None) -> QuerySpec:
    if not spec.themes:
        return spec
    if themes is None:  # nobody passed the page's themes: the offline engine's, as the Themes page's default
        themes = ThemeMembers.of(workspace_themes(ws))
    label = ", ".join(themes.label(i) for i in spec.themes)
    fields = {f.name: getattr(spec, f.name) for f in dataclasses.fields(QuerySpec)}
    return _Scoped(**fields, responses=themes.responses(spec.themes), responses_label=label)


def spec_filters(spec: QuerySpec, themes: ThemeMembers | None = None, ws: Workspace | None = None) -> Filters:
    """The spec's filters and period as the pages' :class:`Filters` (what its answer is about);
    with ``themes`` (and ``ws``), restricted to the respondents of the spec's themes."""
    if spec.themes and ws is not None:
        spec = _scoped(spec, ws, themes)
    return _filters(spec)


def _filters(spec: QuerySpec, period: Period | None = None, extra: dict[str, list[str]] | None = None) -> Filters:
    period = period or spec.period
    dims = spec.filter_dict() | (extra or {})
    made = Filters.make(period.start if period else None, period.end if period else None, **dims)
    if isinstance(spec, _Scoped):
        made = made.restricted_to(spec.responses, spec.responses_label)
    return made


def _pick(measure: str, scores: GroupScore | Any) -> tuple[float | None, int, tuple[float, float] | None]:
    result: NpsResult | MeanResult | None = getattr(scores, measure, None)
    if result is None:
        return None, 0, None
    return result.score, int(result.n), result.ci95


def _test(measure: str, a: Any, b: Any) -> tuple[float | None, float | None]:
    ra, rb = getattr(a, measure, None), getattr(b, measure, None)
    if ra is None or rb is None:
        return None, None
    if measure == "nps":
        return nps_difference_test(ra, rb)
    return mean_difference_test(ra, rb)


def _ordered(rows: list[AnswerRow], order: str | None, top: int | None) -> tuple[list[AnswerRow], int]:
    """Solid rows by value in the asked order (page order when none), small rows after, never ranked."""
    solid = [r for r in rows if not r.small_sample and r.value is not None]
    small = [r for r in rows if r.small_sample or r.value is None]
    if order in ("asc", "desc"):
        solid.sort(key=lambda r: (r.value or 0.0) if order == "asc" else -(r.value or 0.0))
    if top:
        return solid[:top], len(small)
    return solid + small, 0


def answer(
    ws: Workspace,
    spec: QuerySpec | Reading,
    *,
    lang: str,
    min_n: int = DEFAULT_MIN_N,
    question: str = "",
    themes: ThemeMembers | None = None,
) -> Answer:
    """Answer ``spec`` over ``ws`` (read-only: only the views' SELECTs run); rows, SQL and a sentence.

    ``themes`` says which responses belong to each theme a spec may name (the themes the Themes page
    shows: ``ThemeMembers.of(result)``); without it, the offline engine's themes of ``ws`` are used.
    """
    reading = spec if isinstance(spec, Reading) else Reading(question, True, spec)
    if not reading.understood:
        return Answer(reading, message=_not_understood(reading, lang), min_n=min_n, lang=lang)
    spec = _scoped(reading.spec, ws, themes)
    recorder = RecordingConnection(ws.con)
    view_ws = dataclasses.replace(ws, con=recorder)  # type: ignore[arg-type]  # a proxy of the same connection
    min_n = max(1, int(min_n))
    drivers = {str(d["key"]): str(d["label"]) for d in catalogue_from_workspace(ws)}
    difference = None
    left_out = 0
    notes: list[str] = []
    if spec.measure == ALL_DRIVERS and spec.compare is not None:
        rows = _drivers_compared(view_ws, spec, drivers, min_n, lang)
    elif spec.compare is not None and spec.compare.periods:
        rows, results = _by_periods(view_ws, spec, drivers, min_n)
        difference = _difference(spec.measure, rows, results, min_n)
    elif spec.compare is not None and spec.compare.dimension:
        if spec.group_by:
            rows = _nested(
                view_ws, spec, spec.compare.dimension, list(spec.compare.values), spec.group_by[0], drivers, min_n, lang
            )
            rows, left_out = _ordered(rows, spec.order, spec.top) if spec.order else (rows, 0)
        else:
            rows, results = _compare_groups(view_ws, spec, drivers, min_n, lang)
            difference = _difference(spec.measure, rows, results, min_n)
    elif spec.measure == ALL_DRIVERS:
        rows = _drivers(view_ws, spec, drivers, min_n)
        rows, left_out = _ordered(rows, spec.order or "desc", spec.top)
    elif spec.group_by and spec.group_by[0] in TIME_GROUPS:
        rows = _by_time(view_ws, spec, drivers, min_n)
        if spec.order:
            rows, left_out = _ordered(rows, spec.order, spec.top)
    elif len(spec.group_by) >= 2:
        second = spec.group_by[1]
        if second in TIME_GROUPS:
            notes.append(t("ask.note_one_grouping", lang))
            rows = _by_group(view_ws, spec, spec.group_by[0], drivers, min_n, lang)
        else:
            values = dimension_values(view_ws, second, _filters(spec))
            rows = _nested(view_ws, spec, second, values, spec.group_by[0], drivers, min_n, lang)
        rows, left_out = _ordered(rows, spec.order, spec.top)
    elif spec.group_by:
        rows, results = _by_group_results(view_ws, spec, spec.group_by[0], drivers, min_n, lang)
        rows, left_out = _ordered(rows, spec.order, spec.top)
        solid = [r for r in rows if not r.small_sample and r.value is not None]
        if len(solid) >= 2:  # is the lead of one end over the other clear? (as the pages' headlines judge it)
            ends = [solid[0], solid[-1]]
            difference = _difference(spec.measure, ends, [results.get(str(r.group)) for r in ends], min_n)
            if difference is not None and difference.tested:
                # the two ends were picked after looking at every group: all pairs compared at once
                p = extremes_adjusted_p(difference.p_value, len(solid))
                difference = dataclasses.replace(difference, p_value=p, clear=is_significant(p), correction="pairs")
    else:
        rows = [_overall(view_ws, spec, drivers, min_n, lang)]
    result = Answer(
        reading,
        tuple(rows),
        tuple(dict.fromkeys(recorder.statements)),
        "",
        difference,
        min_n,
        left_out,
        notes=tuple(notes),
        lang=lang,
    )
    return dataclasses.replace(result, message=describe(result, lang, drivers))


# --- the shapes of an answer ----------------------------------------------------------------------


def _driver_row(ws, key: str, filters: Filters, label, min_n: int) -> tuple[AnswerRow, None]:
    scores = driver_scores(ws, catalogue_from_workspace(ws), filters)
    n, mean, _top = scores.get(key, (0, None, None))
    return AnswerRow(label, mean, int(n), None, int(n) < min_n), None


def _row_for(ws, spec: QuerySpec, filters: Filters, label, drivers, min_n: int):
    """One row (and the result a test needs) for one selection of answers."""
    if spec.measure.startswith(DRIVER_PREFIX):
        return _driver_row(ws, spec.measure[len(DRIVER_PREFIX) :], filters, label, min_n)
    ov = overview(ws, filters)
    value, n, ci = _pick(spec.measure, ov)
    return AnswerRow(label, value, n, ci, n < min_n), ov


def _overall(ws, spec: QuerySpec, drivers, min_n: int, lang: str) -> AnswerRow:
    filters = _filters(spec)
    label = filters.describe(lang)
    row, _ = _row_for(ws, spec, filters, label, drivers, min_n)
    return row


def _by_periods(ws, spec: QuerySpec, drivers, min_n: int):
    rows, results = [], []
    for period in spec.compare.periods if spec.compare else ():
        row, result = _row_for(ws, spec, _filters(spec, period), period_text(period), drivers, min_n)
        rows.append(row)
        results.append(result)
    return rows, results


def period_text(period: Period) -> str:
    first = period.start.isoformat() if period.start else "…"
    last = period.end.isoformat() if period.end else "…"
    return f"{first} – {last}"


def _group_rows(ws, spec: QuerySpec, dimension: str, filters: Filters, drivers, min_n: int) -> dict[str, tuple]:
    """Group -> (value, n, ci, result) for every value of ``dimension`` (the Segments page's numbers)."""
    if spec.measure.startswith(DRIVER_PREFIX):
        key = spec.measure[len(DRIVER_PREFIX) :]
        out = {}
        for value in dimension_values(ws, dimension, filters):
            extra = {**dict(filters.dims), dimension: (value,)}
            scoped = dataclasses.replace(filters, dims=Filters.make(**extra).dims)
            n, mean, _top = driver_scores(ws, catalogue_from_workspace(ws), scoped).get(key, (0, None, None))
            out[value] = (mean, int(n), None, None)
        return out
    groups = scores_by_group(ws, dimension, filters, min_n=min_n)
    return {g.group: (*_pick(spec.measure, g), g) for g in groups}


def _by_group(ws, spec: QuerySpec, dimension: str, drivers, min_n: int, lang: str) -> list[AnswerRow]:
    return _by_group_results(ws, spec, dimension, drivers, min_n, lang)[0]


def _by_group_results(ws, spec: QuerySpec, dimension: str, drivers, min_n: int, lang: str):
    """Rows of every group (the page's order) and each group's scores by label (for a test)."""
    filters = _filters(spec)
    rows, results = [], {}
    for group, (value, n, ci, result) in _group_rows(ws, spec, dimension, filters, drivers, min_n).items():
        if n == 0 and value is None:
            continue
        label = group_text(dimension, group, lang)
        rows.append(AnswerRow(label, value, n, ci, n < min_n))
        results[label] = result
    # the page ranks NPS; another measure ranks by its own value (highest first, small groups last)
    order = None if spec.measure == "nps" else "desc"
    return _ordered(rows, order, None)[0], results


def _nested(
    ws, spec, outer: str, outer_values: list[str], inner: str, drivers, min_n: int, lang: str
) -> list[AnswerRow]:
    rows = []
    for value in outer_values:
        filters = _filters(spec, extra={outer: [value]})
        for group, (score, n, ci, _) in _group_rows(ws, spec, inner, filters, drivers, min_n).items():
            if n == 0 and score is None:
                continue
            label = ((inner, group_text(inner, group, lang)), (outer, group_text(outer, value, lang)))
            rows.append(AnswerRow(label, score, n, ci, n < min_n))
    return rows


def _compare_groups(ws, spec: QuerySpec, drivers, min_n: int, lang: str):
    compare = spec.compare
    assert compare is not None and compare.dimension is not None
    found = _group_rows(ws, spec, compare.dimension, _filters(spec), drivers, min_n)
    rows, results = [], []
    for value in compare.values:
        score, n, ci, result = found.get(value, (None, 0, None, None))
        rows.append(AnswerRow(group_text(compare.dimension, value, lang), score, n, ci, n < min_n))
        results.append(result)
    return rows, results


def _by_time(ws, spec: QuerySpec, drivers, min_n: int) -> list[AnswerRow]:
    grain = spec.group_by[0]
    view = segmentation_view(ws, _filters(spec), grain=grain, min_n=min_n)
    rows = []
    for record in view.trend.frame.itertuples(index=False):
        start = dt.date.fromisoformat(str(record.start))
        if grain == "quarter":
            end_month = start.month + 2
            end = dt.date(start.year, end_month, 1)
        else:
            end = start
        end = (dt.date(end.year + (end.month == 12), end.month % 12 + 1, 1)) - dt.timedelta(days=1)
        period = Period(
            str(record.period),
            max(start, spec.period.start) if spec.period and spec.period.start else start,
            min(end, spec.period.end) if spec.period and spec.period.end else end,
        )
        row, _ = _row_for(ws, spec, _filters(spec, period), str(record.period), drivers, min_n)
        rows.append(row)
    return rows


def _drivers(ws, spec: QuerySpec, drivers: dict[str, str], min_n: int) -> list[AnswerRow]:
    scores = driver_scores(ws, catalogue_from_workspace(ws), _filters(spec))
    return [
        AnswerRow(drivers.get(key, key), mean, int(n), None, int(n) < min_n)
        for key, (n, mean, _top) in sorted(scores.items())
    ]


def _drivers_compared(ws, spec: QuerySpec, drivers: dict[str, str], min_n: int, lang: str) -> list[AnswerRow]:
    """Every driver for each compared group (or period), side by side: driver -> group."""
    compare = spec.compare
    assert compare is not None
    scopes: list[tuple[str, Filters]] = []
    if compare.periods:
        scopes = [(period_text(p), _filters(spec, p)) for p in compare.periods]
    elif compare.dimension:
        scopes = [
            (group_text(compare.dimension, v, lang), _filters(spec, extra={compare.dimension: [v]}))
            for v in compare.values
        ]
    rows = []
    for label, filters in scopes:
        for key, (n, mean, _top) in sorted(driver_scores(ws, catalogue_from_workspace(ws), filters).items()):
            group = (("driver", drivers.get(key, key)), (compare.dimension or "period", label))
            rows.append(AnswerRow(group, mean, int(n), None, int(n) < min_n))
    order = {label: i for i, (label, _) in enumerate(scopes)}
    side = compare.dimension or "period"

    def place(row: AnswerRow) -> tuple[str, int]:
        group = row.group_json()
        assert isinstance(group, dict)
        return group["driver"], order[group[side]]

    return sorted(rows, key=place)  # side by side: each driver's groups together


def _difference(measure: str, rows: list[AnswerRow], results: list, min_n: int) -> Difference | None:
    if len(rows) < 2:
        return None
    a, b = rows[0], rows[1]
    label_a, label_b = str(a.group_json()), str(b.group_json())
    if a.small_sample or b.small_sample:
        return Difference(label_a, label_b, None, None, False, False, "small_sample")
    if results[0] is None or results[1] is None:
        diff = None if a.value is None or b.value is None else round(a.value - b.value, 3)
        return Difference(label_a, label_b, diff, None, False, False, "no_interval")
    diff, p = _test(measure, results[0], results[1])
    if p is None:
        return Difference(label_a, label_b, diff, None, False, False, "no_variance")
    return Difference(label_a, label_b, diff, p, is_significant(p), True)


# --- words ----------------------------------------------------------------------------------------


def _value_text(measure: str, value: float | None, lang: str) -> str:
    if measure == "nps":
        return format_number(value, lang, sign=True)
    return format_number(value, lang, digits=2)


def _interval_text(measure: str, ci, lang: str) -> str:
    """ "95% CI -41 to -30" (the interval says what it is), or "95% interval —" without one."""
    if not ci:
        return f"{t('glossary.term.interval', lang)} —"
    return format_interval(ci, lang, digits=0 if measure == "nps" else 2, sign=measure == "nps")


def _label(row: AnswerRow, lang: str) -> str:
    group = row.group_json()
    if isinstance(group, dict):
        return " · ".join(group.values())
    return str(group)


def describe(result: Answer, lang: str, drivers: dict[str, str] | None = None) -> str:
    """The answer in one or two sentences, in ``lang``: what is clear, and what cannot be told."""
    spec = result.spec
    name = measure_label(spec.measure, lang, drivers)
    rows = list(result.rows)
    metric = "nps" if spec.measure == "nps" else "mean"
    if not rows or all(r.n == 0 for r in rows):
        return t("ask.no_answers", lang, measure=name)
    if len(rows) == 1 and spec.compare is None and not spec.group_by and spec.measure != ALL_DRIVERS:
        row = rows[0]
        if row.small_sample:
            return t("ask.too_few", lang, measure=name, n=row.n, min_n=result.min_n)
        return t(
            "ask.answer_one",
            lang,
            measure=name,
            value=_value_text(metric, row.value, lang),
            n=format_number(row.n, lang),
            ci=_interval_text(metric, row.ci95, lang),
            scope=_label(row, lang),
        )
    if result.difference is not None and spec.compare is not None:
        d = result.difference
        a, b = rows[0], rows[1]
        head = t(
            "ask.answer_pair",
            lang,
            measure=name,
            a=_label(a, lang),
            a_value=_value_text(metric, a.value, lang),
            a_n=format_number(a.n, lang),
            b=_label(b, lang),
            b_value=_value_text(metric, b.value, lang),
            b_n=format_number(b.n, lang),
        )
        if not d.tested:
            key = "ask.diff_small" if d.reason == "small_sample" else "ask.diff_untested"
            return head + " " + t(key, lang, min_n=result.min_n)
        key = "ask.diff_clear" if d.clear else "ask.diff_unclear"
        return (
            head
            + " "
            + t(key, lang, diff=format_number(d.difference, lang, digits=0 if metric == "nps" else 2, sign=True))
        )
    solid = [r for r in rows if not r.small_sample and r.value is not None]
    small = len([r for r in rows if r.small_sample]) + result.small_left_out
    parts = []
    if not solid:
        parts.append(t("ask.too_few_groups", lang, min_n=result.min_n))
    elif spec.group_by and spec.group_by[0] in TIME_GROUPS and not spec.order:
        first, last = solid[0], solid[-1]
        parts.append(
            t(
                "ask.answer_trend",
                lang,
                measure=name,
                first=_label(first, lang),
                first_value=_value_text(metric, first.value, lang),
                last=_label(last, lang),
                last_value=_value_text(metric, last.value, lang),
            )
        )
    else:
        lowest = spec.order == "asc"
        lead = (min if lowest else max)(solid, key=lambda r: r.value or 0.0)
        if spec.measure == ALL_DRIVERS:
            key = "ask.answer_driver_lowest" if lowest else "ask.answer_driver_highest"
        else:
            key = "ask.answer_lowest" if lowest else "ask.answer_highest"
        parts.append(
            t(
                key,
                lang,
                measure=name,
                group=_label(lead, lang),
                value=_value_text(metric, lead.value, lang),
                n=format_number(lead.n, lang),
            )
        )
    gap = result.difference
    if gap is not None and spec.compare is None and gap.tested and gap.difference is not None:
        key = "ask.gap_clear" if gap.clear else "ask.gap_unclear"
        digits = 0 if metric == "nps" else 2
        parts.append(t(key, lang, a=gap.a, b=gap.b, diff=format_number(abs(gap.difference), lang, digits=digits)))
    if small:
        parts.append(t("ask.small_groups", lang, count=small, min_n=result.min_n))
    return " ".join(parts + list(result.notes))


def _not_understood(reading: Reading, lang: str) -> str:
    parts = []
    if reading.unknown:
        parts.append(t("ask.not_understood_words", lang, words=", ".join(f"“{w[:40]}”" for w in reading.unknown[:5])))
    parts += list(reading.notes)
    return " ".join(parts) if parts else t("ask.not_understood", lang)


def dimension_name(dimension: str, lang: str) -> str:
    if dimension in TIME_GROUPS:
        return t(f"ask.grain_{dimension}", lang)
    return dimension_label(dimension, lang)
