"""Charts on a slide: each row as tall as its label needs, rows that do not fit counted (never
dropped in silence), text sized for a room, and number axes with sensible ticks (issue 21, 6-7)."""

from __future__ import annotations

from cx_core.report.charts import heatmap, horizontal_bars, quadrant_scatter
from ui.widgets.slide_charts import (
    AXIS_PX,
    MIN_HEATMAP_ROW_PX,
    MIN_ROW_PX,
    SLIDE_LABEL_PX,
    TICK_COUNT,
    readable_axes,
    slide_chart,
)


def _bars(n: int, label: str = "theme {i}: praise") -> dict:
    values = [{"label": label.format(i=i), "value": 100 - i} for i in range(n)]
    return horizontal_bars(values, title="Most mentioned", x_title="Comments", y_title="")


def _labels(spec: dict) -> list[str]:
    return [row["label"] for row in spec["data"]["values"]]


def test_few_bars_all_fit_and_each_gets_the_height_its_label_needs():
    drawn = slide_chart(_bars(5), room=400)
    assert (drawn.shown, drawn.total, drawn.left_out) == (5, 5, 0)
    assert "title" not in drawn.spec  # the slide's headline says it once
    assert AXIS_PX + 5 * MIN_ROW_PX <= drawn.spec["height"] <= 400


def test_many_bars_show_the_first_that_fit_and_count_the_rest():
    drawn = slide_chart(_bars(30), room=400)
    assert 1 < drawn.shown < 30 and drawn.left_out == 30 - drawn.shown
    assert _labels(drawn.spec) == [f"theme {i}: praise" for i in range(drawn.shown)]  # the chart's order kept
    assert drawn.spec["height"] <= 400
    assert (drawn.spec["height"] - AXIS_PX) / drawn.shown >= MIN_ROW_PX


def test_labels_on_two_lines_take_two_lines_of_room():
    long = "account manager understands our business and answers quickly {i}: praise"
    one_line = slide_chart(_bars(12), room=500)
    two_lines = slide_chart(_bars(12, long), room=500)
    assert two_lines.shown < one_line.shown
    expr = two_lines.spec["layer"][0]["encoding"]["y"]["axis"]["labelExpr"]
    assert "account manager" in expr  # wrapped for the slide, not cut with "..."


def test_heatmap_rows_keep_room_for_the_value_written_in_each_cell():
    values = [
        {"row": f"role {r}", "col": f"segment {c}", "value": 10 * r - c, "text": "+10 (n=40)", "small": False}
        for r in range(12)
        for c in range(3)
    ]
    drawn = slide_chart(heatmap(values, title="NPS", x_title="Segment", y_title="Role"), room=420)
    assert drawn.left_out == 12 - drawn.shown > 0
    assert (drawn.spec["height"] - AXIS_PX) / drawn.shown >= MIN_HEATMAP_ROW_PX
    cell_text = next(layer for layer in drawn.spec["layer"] if layer["mark"]["type"] == "text")
    assert cell_text["mark"]["fontSize"] >= SLIDE_LABEL_PX
    assert drawn.spec["config"]["axis"]["labelFontSize"] == SLIDE_LABEL_PX


def test_a_chart_without_rows_takes_its_room_within_limits_and_its_legend_sits_beside_it():
    values = [{"label": f"driver {i}", "x": 3 + i / 10, "y": 5 + i, "quadrant": "maintain"} for i in range(6)]
    names = {"fix_first": "Fix first", "keep_up": "Keep it up", "maintain": "Maintain", "lower_priority": "Lower"}
    spec = quadrant_scatter(
        values, title="t", x_title="Mean", y_title="Importance", x_split=3.2, y_split=7, quadrant_labels=names
    )
    drawn = slide_chart(spec, room=330)
    assert drawn.spec["height"] == 330 and drawn.total == 0
    assert drawn.spec["layer"][0]["encoding"]["color"]["legend"]["orient"] == "right"


def test_counts_get_whole_ticks_and_every_number_axis_a_sensible_tick_count():
    counts = readable_axes(_bars(4))
    x = counts["layer"][0]["encoding"]["x"]
    assert x["axis"]["tickMinStep"] == 1 and x["axis"]["format"] == "d"
    assert counts["config"]["axisQuantitative"]["tickCount"] == TICK_COUNT
    means = [{"label": f"driver {i}", "value": 3.1 + i / 7} for i in range(4)]
    spec = readable_axes(horizontal_bars(means, title="t", x_title="Mean", y_title="", domain=(1, 5)))
    assert "tickMinStep" not in (spec["layer"][0]["encoding"]["x"].get("axis") or {})
