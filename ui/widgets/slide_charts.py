"""Charts as a slide and a screen draw them: sized from their rows, text readable from a room.

A section's chart is built for a page (and for a 520 px export): its height fits its rows at 11 px
labels. On a slide the same chart must fit the room the headline leaves on a 1280x720 screen, with
labels read from the back of a room. :func:`slide_chart` gives each bar (or heatmap row) at least
the height its label needs at the slide's text size; when the rows cannot all fit the room, the
first ones that fit are drawn and the number left out is returned, for the slide to say so (a row is
never dropped in silence). Charts without rows (lines, scatter plots) take the room they are given.

:func:`readable_axes` applies to every chart on screen: a sensible number of ticks on number axes
(never a tick every 0.1 across a wide chart) and whole-number ticks on axes of counts.

Pure functions over Vega-Lite specs (no Streamlit), so they are tested without a browser.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass

from cx_core.report.charts import wrap_text

#: Text sizes on a slide (px): axis labels and titles, legends, and text drawn inside a chart.
SLIDE_LABEL_PX = 16
SLIDE_TEXT_SCALE = 1.35  # text marks (heatmap cells, point labels): 12 px -> 16 px
#: Row labels wrap at this width on a slide (a third of the chart at 1280 px; a page's chart is narrower).
ROW_LABEL_WIDTH = 330
#: The plot's width on a slide at 1280 px, row labels aside (category labels along x wrap for it).
SLIDE_PLOT_WIDTH = 850
#: The least height one row takes on a slide: its label's lines at the slide's size, plus a gap.
ROW_GAP_PX = 10
MIN_ROW_PX = 30
MIN_HEATMAP_ROW_PX = 40  # a heatmap cell writes its value and n inside itself
#: A row never gets fatter than this: a few bars stay bars, not blocks.
MAX_ROW_PX = 48
#: What a chart with rows spends besides them: the number axis (labels and title) and paddings.
AXIS_PX = 70
#: Charts without rows: not smaller than this (below it a scatter plot's labels pile up), not taller
#: than that (a line needs no more).
MIN_PLAIN_PX = 260
MAX_PLAIN_PX = 460
#: Number axes: about this many ticks whatever the chart's width (Vega's default is one per 40 px).
TICK_COUNT = 8


@dataclass(frozen=True)
class SlideChart:
    """A chart as a slide draws it: ``spec`` (``height`` set), and ``shown`` of its ``total`` rows
    (both 0 for a chart without rows)."""

    spec: dict
    shown: int = 0
    total: int = 0

    @property
    def left_out(self) -> int:
        return self.total - self.shown


def _encodings(spec: dict) -> list[dict]:
    found = [spec.get("encoding") or {}]
    found += [layer.get("encoding") or {} for layer in spec.get("layer") or [] if isinstance(layer, dict)]
    return [e for e in found if isinstance(e, dict)]


def _rewrap(spec: dict, channel: str, field: str, labels: list, width: float) -> dict[str, int]:
    """Wrap the labels of a category axis for the slide's width (a page wraps them for a narrow
    chart; at 1180 px "2025-04" needs no two lines); the lines of each label."""
    wrapped = {str(v): wrap_text(str(v), width, SLIDE_LABEL_PX) for v in labels if v is not None}
    multi = {k: lines for k, lines in wrapped.items() if len(lines) > 1}
    for encoding in _encodings(spec):
        enc = encoding.get(channel)
        if isinstance(enc, dict) and enc.get("field") == field and isinstance(enc.get("axis"), dict):
            axis = {k: v for k, v in enc["axis"].items() if k != "labelExpr"}
            if multi:  # JSON is valid expression syntax, and escapes quotes in the data's labels
                axis["labelExpr"] = f"({json.dumps(multi, ensure_ascii=False)})[datum.value] || datum.label"
            enc["axis"] = axis
    return {k: len(lines) for k, lines in wrapped.items()}


def _category_field(spec: dict, channel: str) -> str | None:
    """The field of a category axis (``y``: the rows of horizontal bars or a heatmap)."""
    for encoding in _encodings(spec):
        enc = encoding.get(channel)
        if isinstance(enc, dict) and enc.get("type") in ("nominal", "ordinal") and isinstance(enc.get("field"), str):
            return enc["field"]
    return None


def _is_heatmap(spec: dict) -> bool:
    return any(
        isinstance(layer, dict) and (layer.get("mark") == "rect" or (layer.get("mark") or {}) == {"type": "rect"})
        for layer in spec.get("layer") or []
    )


def _legends_aside(spec: dict) -> None:
    """Legends move beside the chart, one entry a line: a slide is wide and short, so a legend under
    the chart takes height the bars need."""
    for encoding in _encodings(spec):
        colour = encoding.get("color")
        if not isinstance(colour, dict):
            continue
        legend = colour.get("legend")
        if isinstance(legend, dict) and legend.get("orient") in ("bottom", "top"):
            colour["legend"] = {**legend, "orient": "right", "columns": 1}


def _values(spec: dict) -> list | None:
    data = spec.get("data")
    values = data.get("values") if isinstance(data, dict) else None
    return values if isinstance(values, list) else None


def slide_text(spec: dict) -> dict:
    """A copy of ``spec`` with the slide's text sizes: axes, legends and text drawn inside the chart."""
    out = copy.deepcopy(spec)
    config = out.setdefault("config", {})
    size = {"labelFontSize": SLIDE_LABEL_PX, "titleFontSize": SLIDE_LABEL_PX}
    config["axis"] = {**config.get("axis", {}), **size}
    config["legend"] = {**config.get("legend", {}), **size, "symbolSize": 160}
    # the first and last labels of a number axis stay inside the chart at the larger size
    config["axisX"] = {**config.get("axisX", {}), "labelFlush": True}
    for layer in [out, *(out.get("layer") or [])]:
        mark = layer.get("mark") if isinstance(layer, dict) else None
        if isinstance(mark, dict) and mark.get("type") == "text":
            mark["fontSize"] = round(float(mark.get("fontSize", 11)) * SLIDE_TEXT_SCALE)
    return out


def slide_chart(spec: dict, room: int) -> SlideChart:
    """``spec`` drawn on a slide no taller than ``room`` px: no title (the slide's headline says it
    once), the slide's text sizes, and each row at least as tall as its label needs.

    Rows that do not fit are left out from the end (the chart's order is kept) and counted in the
    result, so the slide can say how many more there are.
    """
    plain = {k: v for k, v in spec.items() if k != "title"}
    out = slide_text(plain)
    _legends_aside(out)
    values = _values(out)
    columns = _category_field(out, "x")
    if columns is not None and values is not None:
        labels = list(dict.fromkeys(row.get(columns) for row in values if isinstance(row, dict)))
        _rewrap(out, "x", columns, labels, max(SLIDE_PLOT_WIDTH / max(len(labels), 1) - 8, 40))
    field = _category_field(out, "y")
    if field is None or values is None:
        out["height"] = max(MIN_PLAIN_PX, min(room, MAX_PLAIN_PX))
        return SlideChart(out)
    rows = list(dict.fromkeys(row.get(field) for row in values if isinstance(row, dict)))
    lines = _rewrap(out, "y", field, rows, ROW_LABEL_WIDTH)
    floor = MIN_HEATMAP_ROW_PX if _is_heatmap(out) else MIN_ROW_PX
    needs = [max(floor, round(lines.get(str(r), 1) * SLIDE_LABEL_PX * 1.25) + ROW_GAP_PX) for r in rows]
    frame = AXIS_PX
    shown = len(rows)
    while shown > 1 and frame + sum(needs[:shown]) > room:
        shown -= 1
    if shown < len(rows):
        keep = set(rows[:shown])
        out["data"] = {**out["data"], "values": [r for r in values if not isinstance(r, dict) or r.get(field) in keep]}
    # spare room spreads over the rows, up to a comfortable row height
    spare = max(0, room - frame - sum(needs[:shown]))
    extra = min(spare // max(shown, 1), max(0, MAX_ROW_PX - max(needs[:shown], default=MIN_ROW_PX)))
    out["height"] = frame + sum(needs[:shown]) + extra * shown
    return SlideChart(out, shown=shown, total=len(rows))


def _is_whole(value) -> bool:
    return (
        isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value == int(value)
    )


def readable_axes(spec: dict) -> dict:
    """``spec`` with about :data:`TICK_COUNT` ticks on its number axes, and whole-number ticks (no
    2.5 comments) on an axis whose every value is a whole number of at least 0 (a count)."""
    out = copy.deepcopy(spec)
    config = out.setdefault("config", {})
    config["axisQuantitative"] = {"tickCount": TICK_COUNT, **config.get("axisQuantitative", {})}
    values = _values(out) or []
    for channel in ("x", "y"):
        encodings = [
            e[channel]
            for e in _encodings(out)
            if isinstance(e.get(channel), dict) and e[channel].get("type") == "quantitative" and "bin" not in e[channel]
        ]
        fields = {e.get("field") for e in encodings}
        if not encodings or None in fields:
            continue
        numbers = [row.get(f) for row in values if isinstance(row, dict) for f in fields if row.get(f) is not None]
        if numbers and all(_is_whole(v) and v >= 0 for v in numbers if v is not None):
            for encoding in encodings:
                axis = encoding.setdefault("axis", {})
                if isinstance(axis, dict):  # None: the axis is hidden
                    axis.setdefault("tickMinStep", 1)
                    axis.setdefault("format", "d")
    return out
