"""The chart vocabulary (cx_core/report/charts.py): axes fit the data, colours keep one meaning, and
titles and labels are wrapped, never clipped or cut.

Snapshot-style: small inputs with the expected spec fragments written out, plus every chart of the
sample report rendered to SVG (the real Vega renderer) and read back.
"""

from __future__ import annotations

import re

import pytest

from cx_core import Filters
from cx_core.report import DEFAULT_SECTIONS, ReportContext, build_sections, chart_svg
from cx_core.report.charts import (
    COLOURS,
    LABEL_FONT_SIZE,
    MIN_CHART_WIDTH,
    SERIES_COLOURS,
    SIGN_SCALE,
    TITLE_FONT_SIZE,
    band_line,
    binned_bars,
    dated_points_by_series,
    fit_title,
    fitted_domain,
    heatmap,
    horizontal_bars,
    label_axis,
    lines_by_series,
    place_labels,
    quadrant_scatter,
    sign_kind,
    text_width,
    title_lines,
    vertical_bars,
    wrap_text,
)

NPS_GROUPS = [
    {"label": "Mid-market", "value": 23.2, "low": 19.8, "high": 26.5, "kind": "solid"},
    {"label": "Enterprise", "value": 18.1, "low": 14.0, "high": 22.3, "kind": "solid"},
    {"label": "SMB", "value": -13.9, "low": -17.5, "high": -10.2, "kind": "solid"},
]


def _encodings(spec: dict):
    for layer in spec.get("layer", [spec]):
        yield from layer.get("encoding", {}).items()


def _axis_titles(spec: dict) -> dict[str, set]:
    """Channel -> every title a layer gives it (Vega-Lite joins differing ones: "NPS, low, high")."""
    titles: dict[str, set] = {}
    for channel, enc in _encodings(spec):
        if channel in ("x", "y") and enc.get("type") == "quantitative" and "field" in enc:
            titles.setdefault(channel, set()).add(enc.get("title", "<field name>"))
    return titles


# --- axes fit the data -------------------------------------------------------------------------------


def test_nps_bars_fit_their_data_and_intervals_not_minus_100_to_100():
    spec = horizontal_bars(NPS_GROUPS, title="t", x_title="NPS", y_title="", domain=(-100, 100), with_interval=True)
    domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert domain == [-20, 30]  # the snapshot: intervals -17.5..26.5 and the 0 baseline, on round steps
    assert domain[0] <= -17.5 and domain[1] >= 26.5 and domain[0] <= 0 <= domain[1]


def test_fitted_domain_never_leaves_the_scale_and_keeps_the_baseline():
    assert fitted_domain([-99, 98], bounds=(-100, 100), include=(0,)) == [-100, 100]
    assert fitted_domain([12, 20], bounds=(-100, 100), include=(0,)) == [0, 25]
    assert fitted_domain([None, float("nan")], bounds=(1, 5)) == [1, 5]
    assert fitted_domain([]) is None


def test_a_mean_on_a_1_to_5_scale_starts_at_1_not_0():
    means = [{"label": "Trust", "value": 3.4, "low": 3.3, "high": 3.5}, {"label": "Price", "value": 3.1}]
    spec = horizontal_bars(means, title="t", x_title="Mean (1-5)", y_title="", domain=(1, 5), with_interval=True)
    bars = spec["layer"][0]["encoding"]
    assert bars["x2"] == {"datum": 1.0}  # bars grow from the scale's minimum
    assert bars["x"]["scale"]["domain"][0] == 1 and bars["x"]["scale"]["domain"][1] < 5


def test_the_trend_axis_fits_the_line_and_its_band():
    points = [
        {"label": "2026-03", "value": 4.8, "low": -0.3, "high": 9.9, "n": 800, "kind": "solid"},
        {"label": "2026-06", "value": 8.4, "low": 3.4, "high": 13.3, "n": 820, "kind": "solid"},
    ]
    spec = band_line(points, title="t", x_title="Period", y_title="NPS")
    domain = spec["layer"][-1]["encoding"]["y"]["scale"]["domain"]
    assert domain[0] <= -0.3 and domain[1] >= 13.3 and domain[1] - domain[0] <= 30
    assert spec["layer"][0]["mark"]["type"] == "rule"  # the dotted zero line, 0 being on the axis


def test_every_layer_gives_an_axis_the_same_title():
    # a y-axis titled "Churn rate (%), 95% CI low, 95% CI high" came from layers without their own title
    rates = [{"label": "Detractors", "value": 21.0, "low": 15.2, "high": 27.9, "category": "x"}]
    specs = [
        horizontal_bars(NPS_GROUPS, title="t", x_title="NPS", y_title="", domain=(-100, 100), with_interval=True),
        vertical_bars(rates, title="t", x_title="", y_title="Churn rate (%)", domain=(0, 100), with_interval=True),
        band_line(NPS_GROUPS, title="t", x_title="Period", y_title="NPS"),
    ]
    for spec in specs:
        assert all(len(titles) == 1 for titles in _axis_titles(spec).values()), _axis_titles(spec)
    assert _axis_titles(specs[1])["y"] == {"Churn rate (%)"}


# --- colours mean the same everywhere ----------------------------------------------------------------


def test_worse_is_red_and_better_green_for_every_sign():
    assert COLOURS["worse"] == COLOURS["detractor"] and COLOURS["better"] == COLOURS["promoter"]
    assert sign_kind(-3) == "worse" and sign_kind(2) == "better" and sign_kind(None) == "small"
    # where lower is better (effort, churn), a rise is harmful and must never be green
    assert sign_kind(+4, higher_is_better=False) == "worse"
    assert dict(zip(SIGN_SCALE["scale"]["domain"], SIGN_SCALE["scale"]["range"], strict=True)) == {
        "worse": "#c62828",
        "better": "#2e7d32",
        "small": "#bdbdbd",
    }


def test_the_heatmap_is_red_for_low_and_green_for_high_nps():
    spec = heatmap(
        [{"row": "SMB", "col": "Executive", "value": -19, "text": "-19 (n=348)", "small": False}],
        title="t",
        x_title="Role",
        y_title="Segment",
    )
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["scheme"] == "redyellowgreen" and scale["domain"][0] < 0 < scale["domain"][1]


# --- nothing clipped, cut or overlapping -------------------------------------------------------------


def test_titles_wrap_to_the_narrowest_chart():
    long = "Top driver of Likelihood to recommend (NPS, 0-10): On-time delivery (44% of the explained variance)"
    title = fit_title([long, "n = 4,851 · filters: segment: SMB, Mid-market · region: APAC"])
    assert len(title["text"]) >= 2 and " ".join(title["text"]) == long  # wrapped, nothing lost
    assert all(text_width(line, TITLE_FONT_SIZE) <= MIN_CHART_WIDTH for line in title["text"])
    japanese = fit_title("キードライバー: 推奨意向（NPS）の最大の要因は納期遵守で、説明された分散の44%を占めます")
    assert all(text_width(line, TITLE_FONT_SIZE) <= MIN_CHART_WIDTH for line in japanese["text"])
    assert "".join(japanese["text"]).startswith("キードライバー")


def test_wrap_text_keeps_words_whole_and_breaks_japanese_anywhere():
    assert wrap_text("Quarterly business review (renewal)", 120, 11) == ["Quarterly business", "review (renewal)"]
    assert wrap_text("Procurement", 60, 11) == ["Procurement"]  # slightly too wide: kept whole
    assert len(wrap_text("四半期ビジネスレビュー（更新）", 60, 11)) > 1


def test_long_category_labels_are_wrapped_not_cut():
    axis = label_axis(["Quarterly business review (renewal)", "SMB"], 120)
    assert axis["labelLimit"] == 0  # Vega's default limit cuts labels with "..."
    assert '"Quarterly business review (renewal)": ["Quarterly business", "review (renewal)"]' in axis["labelExpr"]
    assert "SMB" not in axis["labelExpr"]  # short labels are drawn as they are


def test_quadrant_labels_do_not_overlap():
    # eight drivers within 0.05 points of each other: the case that overlapped
    names = ["Product range", "Order accuracy", "Total cost", "Ease of doing business", "Support responsiveness"]
    names += ["Account manager understands our business", "Recognises our contribution", "Price transparency"]
    points = [(3.38 + 0.007 * i, 2 + 0.8 * i, name) for i, name in enumerate(names)]
    placed = place_labels(points, x_domain=[2.8, 3.6], y_domain=[0, 50], width=320, height=360)
    boxes = []
    for (_, _, name), (lx, ly, align) in zip(points, placed, strict=True):
        px, py = (lx - 2.8) * 320 / 0.8, (50 - ly) * 360 / 50
        w = text_width(name, LABEL_FONT_SIZE)
        left, right = (px, px + w) if align == "left" else (px - w, px)
        boxes.append((left, right, py - 7, py + 7))
        assert -12 <= left and right <= 332 and 0 <= py <= 360  # inside the plot
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2], (a, b)


def test_quadrant_scatter_draws_each_label_at_its_placed_position():
    values = [{"label": f"Driver {i}", "x": 3.4 + i / 100, "y": 5.0 + i / 10, "quadrant": "maintain"} for i in range(6)]
    quadrants = {"fix_first": "Fix first", "keep_up": "Keep it up", "maintain": "Maintain", "lower_priority": "Low"}
    spec = quadrant_scatter(
        values, title="t", x_title="Mean", y_title="Importance", x_split=3.4, y_split=5.2, quadrant_labels=quadrants
    )
    assert spec["layer"][0]["mark"]["type"] == "circle"
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert {layer["encoding"]["y"]["field"] for layer in texts} == {"label_y"}
    assert len({round(v["label_y"], 6) for v in spec["data"]["values"]}) == 6  # six labels, six heights


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_chart_of_the_sample_report_renders_whole(ws, lang):
    """The real renderer draws every title line and every label in full: no "…" anywhere."""
    ctx = ReportContext(ws, Filters(), lang, 30)
    names = [name for name in DEFAULT_SECTIONS if name != "themes"]  # themes: covered in test_themes
    charts = [s.chart for s in build_sections(ctx, names) if s.chart]
    assert len(charts) >= 6
    for spec in charts:
        svg = chart_svg(spec)
        assert "…" not in svg, title_lines(spec)
        drawn = " ".join(re.findall(r">([^<>]+)<", svg))
        for line in title_lines(spec):
            assert text_width(line, spec["title"].get("fontSize", TITLE_FONT_SIZE)) <= MIN_CHART_WIDTH, line
            assert line.replace("&", "&amp;") in drawn or line in drawn, line
        for _, enc in _encodings(spec):
            if isinstance(enc, dict) and enc.get("type") == "nominal" and enc.get("field") in ("label", "row", "col"):
                assert enc["axis"]["labelLimit"] == 0


# --- the builders appended for the pages use the same helpers ----------------------------------------


LONG_TITLE = ["Weighted NPS by account: the median account scores -12 and 58% of accounts are below 0", "n = 300"]


def test_binned_bars_fit_the_filled_bins_and_colour_worse_red():
    bins = [
        {"start": s, "end": s + 20, "value": v, "kind": "worse" if s + 20 <= 0 else "better"}
        for s, v in zip(range(-100, 100, 20), [0, 0, 3, 10, 40, 60, 20, 5, 0, 0], strict=True)
    ]
    spec = binned_bars(bins, title=LONG_TITLE, x_title="Weighted NPS", y_title="Accounts", domain=(-100, 100))
    assert spec["encoding"]["x"]["scale"]["domain"] == [-60, 60]  # not -100..100 around a few bars
    colour = spec["encoding"]["color"]["scale"]
    assert dict(zip(colour["domain"], colour["range"], strict=True)) == {"worse": "#c62828", "better": "#2e7d32"}
    assert all(text_width(line, TITLE_FONT_SIZE) <= MIN_CHART_WIDTH for line in spec["title"]["text"])


def test_lines_by_series_fit_their_values_wrap_labels_and_never_use_red_or_green():
    names = ["Delivery delays and missed shipping windows at the warehouse", "Price"]
    points = [
        {"series": s, "label": q, "value": v, "n": 100} for s in names for q, v in (("2026Q1", 12.0), ("2026Q2", 18.5))
    ]
    spec = lines_by_series(points, title=LONG_TITLE, x_title="Quarter", y_title="Share (%)", domain=(0, 100))
    domain = spec["encoding"]["y"]["scale"]["domain"]
    assert 0 <= domain[0] <= 12 and 18.5 <= domain[1] < 100
    colour = spec["encoding"]["color"]
    assert not {COLOURS["worse"], COLOURS["better"]} & set(colour["scale"]["range"])
    assert colour["legend"]["labelLimit"] == 0 and names[0] in colour["legend"]["labelExpr"]  # wrapped, not cut
    assert spec["title"]["text"][0] != LONG_TITLE[0] and " ".join(spec["title"]["text"]) == LONG_TITLE[0]


def test_dated_points_fit_the_scale_and_keep_one_axis_title():
    points = [{"date": "2026-01-0" + str(d), "series": "Executive", "value": 6.0 + d / 4, "n": d} for d in range(1, 6)]
    spec = dated_points_by_series(
        points,
        title=LONG_TITLE,
        x_title="Date",
        y_title="Mean",
        series_title="Role",
        n_title="Answers",
        y_domain=(0, 10),
    )
    domain = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert 0 <= domain[0] <= 6.25 and 7.25 <= domain[1] <= 10 and domain != [0, 10]
    assert all(len(titles) == 1 for titles in _axis_titles(spec).values())
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"][0] == SERIES_COLOURS[0]
    svg = chart_svg(spec)
    assert "…" not in svg


def test_horizontal_bars_with_a_colour_legend_keep_their_row_height():
    """A legend under the bars gets room of its own: with Streamlit's "fit", it would otherwise take
    the rows' height, and Vega hides every other wrapped label that no longer fits its row."""
    from cx_core.report.charts import LEGEND_HEIGHT, horizontal_bars

    values = [{"label": f"theme {i} / テーマ{i}: complaints", "value": i, "side": "complaint"} for i in range(6)]
    plain = horizontal_bars(values, title="t", x_title="x", y_title="", colour_field="side", colour_scale={})
    legend = {"scale": {"domain": ["complaint"], "range": ["#c62828"]}, "legend": {"orient": "bottom"}}
    with_legend = horizontal_bars(values, title="t", x_title="x", y_title="", colour_field="side", colour_scale=legend)
    assert with_legend["height"] == plain["height"] + LEGEND_HEIGHT


def test_counts_have_whole_ticks_only():
    """Issue 21: an axis of comment counts read 0, 0.5, 1, 1.5…"""
    from cx_core.report.charts import horizontal_bars

    counts = horizontal_bars(
        [{"label": "a", "value": 2}, {"label": "b", "value": 3}], title="t", x_title="n", y_title=""
    )
    x = counts["layer"][0]["encoding"]["x"] if "layer" in counts else counts["encoding"]["x"]
    assert x["axis"] == {"tickMinStep": 1, "format": "d"}
    shares = horizontal_bars([{"label": "a", "value": 2.5}], title="t", x_title="%", y_title="")
    x = shares["layer"][0]["encoding"]["x"] if "layer" in shares else shares["encoding"]["x"]
    assert "axis" not in x


def test_a_crowded_quadrant_numbers_its_points_and_no_label_covers_a_point():
    """Issue 21 (finding 7): ten drivers within 0.05 of each other piled up names and long leader lines."""
    from cx_core.report.charts import place_labels, quadrant_key, quadrant_scatter

    names = [f"Driver number {i} with a long name" for i in range(10)]
    values = [
        {"label": name, "x": 3.38 + 0.005 * i, "y": 2 + 0.8 * (i % 5), "quadrant": "maintain"}
        for i, name in enumerate(names)
    ]
    values.append({"label": "Alone far away", "x": 2.9, "y": 44.0, "quadrant": "fix_first"})
    spec = quadrant_scatter(
        values,
        title="t",
        x_title="Mean",
        y_title="Importance",
        x_split=3.39,
        y_split=5.5,
        quadrant_labels={
            "fix_first": "Fix first",
            "keep_up": "Keep it up",
            "maintain": "Maintain",
            "lower_priority": "Lower priority",
        },
    )
    key = quadrant_key(spec)
    assert key and [number for number, _ in key] == list(range(1, len(key) + 1))
    assert {name for _, name in key} <= set(names)  # the lone point keeps its name beside it
    rows = spec["data"]["values"]
    assert next(r for r in rows if r["label"] == "Alone far away")["text"] == "Alone far away"
    assert all(r["text"] == str(r["number"]) for r in rows if "number" in r)
    assert spec["layer"][0]["encoding"]["x"]["axis"]["tickCount"] == 8

    # no label box covers any point (the circles are ~12 px across)
    points = [(1.0, 1.0, "A long label here"), (1.02, 1.0, "B"), (1.01, 1.05, "C")]
    placed = place_labels(points, x_domain=[0.0, 2.0], y_domain=[0.0, 2.0], width=400, height=300)
    for label_x, label_y, align in placed:
        lx, ly = label_x / 2 * 400, (2 - label_y) / 2 * 300
        for px, py, _ in points:
            cx, cy = px / 2 * 400, (2 - py) / 2 * 300
            assert abs(ly - cy) >= 7 + 6 or (lx >= cx + 7 if align == "left" else lx <= cx - 7)
