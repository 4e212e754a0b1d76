"""An answer of the Ask page as a report section: what presenter mode, HTML and PPTX show when pinned."""

from __future__ import annotations

from ..ask import ALL_DRIVERS, DRIVER_PREFIX, Answer
from ..cells import ColumnKind
from ..cells import ColumnKind as K
from ..messages import t
from ..metrics import metric_scales
from .charts import COLOURS, chart_in_language, horizontal_bars
from .sections import ReportContext, Section, typed_table


def _domain(ctx: ReportContext, measure: str) -> tuple[float, float] | None:
    if measure == "nps":
        return (-100.0, 100.0)
    if measure in ("csat", "ces"):
        return metric_scales(ctx.ws)[measure]
    if measure == ALL_DRIVERS or measure.startswith(DRIVER_PREFIX):
        scales = [(float(d.scale_min), float(d.scale_max)) for d in ctx.ws.drivers]
        return (min(s[0] for s in scales), max(s[1] for s in scales)) if scales else None
    return None


def _kind(measure: str) -> ColumnKind:
    """NPS in whole signed points; CSAT, CES and driver ratings are means on their scale."""
    return ColumnKind.NPS if measure == "nps" else ColumnKind.SCORE


def _label(row) -> str:
    group = row.group_json()
    return " · ".join(group.values()) if isinstance(group, dict) else str(group)


def answer_section(ctx: ReportContext, result: Answer, measure_name: str, key: str = "ask") -> Section | None:
    """The answer's figures as one section: bars with their 95% intervals (small groups greyed), a table
    (group, value, n, interval, too few to rank) and the answer's sentence as its finding."""
    if not result.understood or not result.rows:
        return None
    lang = ctx.lang
    small = t("present.small_tag", lang)
    rows = list(result.rows)
    n = sum(r.n for r in rows)
    kind = _kind(result.spec.measure)
    table, columns = typed_table(
        (t("ask.group", lang), K.CODE, [_label(r) for r in rows]),
        (measure_name, kind, [r.value for r in rows]),
        ("n", K.COUNT, [r.n for r in rows]),
        (t("overview.ci_low", lang), kind, [r.ci95[0] if r.ci95 else None for r in rows]),
        (t("overview.ci_high", lang), kind, [r.ci95[1] if r.ci95 else None for r in rows]),
        (t("ask.small", lang), K.FLAG, [r.small_sample for r in rows]),
    )
    values = [
        {
            "label": _label(r) + (f" ({small})" if r.small_sample else ""),
            "value": r.value,
            "low": r.ci95[0] if r.ci95 else None,
            "high": r.ci95[1] if r.ci95 else None,
            "n": r.n,
            "kind": "small" if r.small_sample else "solid",
        }
        for r in rows
    ]
    question = t("ask.pinned_title", lang, question=result.reading.question[:120])
    chart = horizontal_bars(
        values,
        title=[question, result.message[:160]],
        x_title=measure_name,
        y_title="",
        domain=_domain(ctx, result.spec.measure),
        colour_field="kind",
        colour_scale={"scale": {"domain": ["solid", "small"], "range": [COLOURS["bar"], COLOURS["small"]]}},
        with_interval=any(r.ci95 for r in rows),
        tooltip=[
            {"field": "label", "type": "nominal", "title": t("ask.group", lang)},
            {"field": "value", "type": "quantitative", "title": measure_name},
            {"field": "n", "type": "quantitative", "title": "n"},
        ],
    )
    notes = [question]  # the question said with its answer (presenter mode shows the first note)
    if any(r.small_sample for r in rows):
        notes.append(t("small_sample.flag", lang, min_n=result.min_n))
    return Section(
        key, question, result.message, n, ctx.filters_text, table, chart_in_language(chart, ctx.lang), notes, columns
    )
