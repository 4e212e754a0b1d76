"""Vega-Lite chart specs for sections, and server-side rendering to SVG and PNG.

Rendering uses ``vl-convert`` (no browser, no network). Japanese labels need a Japanese font on
the server: the repository ships a subset of Noto Sans CJK JP (``fonts/``, SIL OFL) that is
registered before the first render, so a fresh machine renders Japanese instead of boxes.
Characters outside the subset fall back to the machine's own fonts (for example Debian's
``fonts-noto-cjk``) when present.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path

from ..labels import code_label

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "CX Sans JP"
# Browsers (the page, the HTML report) use the first of these they have; the server uses ours.
FONT_STACK = f"{FONT_FAMILY}, Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"

COLOURS = {"promoter": "#2e7d32", "passive": "#9e9e9e", "detractor": "#c62828", "bar": "#1f5fa8", "small": "#bdbdbd"}
# One meaning per colour on every chart: worse/harmful is red, better/helpful is green, a middle
# state is orange, small (unranked) groups are grey. Never colour a harmful change green.
COLOURS.update({"worse": COLOURS["detractor"], "better": COLOURS["promoter"], "middle": "#ef6c00"})

#: Vega's Japanese time format (month and day names), so dates on chart axes read in Japanese.
JA_TIME_LOCALE = {
    "dateTime": "%x %a %X",
    "date": "%Y/%m/%d",
    "time": "%H:%M:%S",
    "periods": ["午前", "午後"],
    "days": ["日曜日", "月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日"],
    "shortDays": ["日", "月", "火", "水", "木", "金", "土"],
    "months": [f"{m}月" for m in range(1, 13)],
    "shortMonths": [f"{m}月" for m in range(1, 13)],
}

#: The data fields a chart shows as category names (bars, heatmap rows and columns).
LABEL_FIELDS = ("label", "row", "col")


def chart_in_language(spec: dict | None, lang: str) -> dict | None:
    """``spec`` as a reader of ``lang`` sees it on every edge (page, slide, HTML, PPTX, downloads):
    codes in its categories as words (``use`` -> 利用 / Use) and, in Japanese, month and day names in
    Japanese (Vega writes English ones otherwise). Words already there stay as they are."""
    if spec is None:
        return None
    out = dict(spec)
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        values = [
            {k: (code_label(v, lang) if k in LABEL_FIELDS else v) for k, v in row.items()}
            if isinstance(row, dict)
            else row
            for row in data["values"]
        ]
        out["data"] = {**data, "values": values}
    if lang == "ja":
        out["config"] = {**spec.get("config", {}), "locale": {"time": JA_TIME_LOCALE}}
    return out


_fonts_lock = threading.Lock()
_fonts_registered = False


def ensure_fonts() -> bool:
    """Register the shipped Japanese font with vl-convert once per process; True when available."""
    global _fonts_registered
    with _fonts_lock:
        if not _fonts_registered:
            import vl_convert

            if (FONT_DIR / "CXSansJP-Regular.otf").is_file():
                vl_convert.register_font_directory(str(FONT_DIR))
                _fonts_registered = True
    return _fonts_registered


def export_spec(spec: dict, *, scale_text: float = 1.0) -> dict:
    """A copy of ``spec`` set up for export: the shipped font, white background, larger text if asked."""
    out = copy.deepcopy(spec)
    config = out.setdefault("config", {})
    config["font"] = FONT_STACK
    out.setdefault("background", "white")
    if scale_text != 1.0:
        config.setdefault("title", {})["fontSize"] = round(15 * scale_text)
        config.setdefault("axis", {}).update(
            {"labelFontSize": round(11 * scale_text), "titleFontSize": round(12 * scale_text)}
        )
    return out


def chart_svg(spec: dict) -> str:
    """The chart as an SVG document (text stays text, so it can be searched and edited)."""
    import vl_convert

    ensure_fonts()
    return vl_convert.vegalite_to_svg(export_spec(spec))


def chart_png(spec: dict, *, scale: float = 2.0) -> bytes:
    """The chart as a PNG image (``scale`` 2 is sharp on a projector and in slides)."""
    import vl_convert

    ensure_fonts()
    return vl_convert.vegalite_to_png(export_spec(spec), scale=scale)


def big_text(spec: dict, factor: float = 1.6) -> dict:
    """A copy of ``spec`` with larger titles and labels, for presenter mode."""
    out = copy.deepcopy(spec)
    config = out.setdefault("config", {})
    config.setdefault("title", {})["fontSize"] = round(16 * factor)
    config.setdefault("axis", {}).update({"labelFontSize": round(12 * factor), "titleFontSize": round(12 * factor)})
    config.setdefault("legend", {}).update({"labelFontSize": round(12 * factor), "titleFontSize": round(12 * factor)})
    # the first and last labels of an axis stay inside the chart (larger labels would stick out)
    config.setdefault("axisX", {})["labelFlush"] = True
    config.setdefault("axisY", {})["labelFlush"] = True
    if isinstance(out.get("height"), (int, float)):
        out["height"] = round(out["height"] * 1.5)
    return out


# --- shared helpers: every builder (and any new one) uses these --------------------------------------

#: The narrowest a chart is drawn: half of the main area at 1280 px. Titles and labels are wrapped
#: for it, so they are never clipped or cut, whatever the page's layout.
MIN_CHART_WIDTH = 380
TITLE_FONT_SIZE = 15
LABEL_FONT_SIZE = 11
LINE_HEIGHT = 1.35  # times the font size, for wrapped text
LEGEND_HEIGHT = 40  # one row of legend entries under a chart, with its padding


def _char_width(ch: str) -> float:
    """Width of ``ch`` in ems (an upper estimate: a wrapped line must never be wider than estimated)."""
    import unicodedata

    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "il.,:;'|!() ":
        return 0.35
    if ch.isupper() or ch in "mwMW%@&":
        return 0.78
    return 0.58


def text_width(text: str, font_size: float) -> float:
    """Estimated width of ``text`` in pixels at ``font_size`` (generous, so estimates err on wrapping)."""
    return sum(_char_width(ch) for ch in str(text)) * font_size


def wrap_text(text: str, max_width: float, font_size: float) -> list[str]:
    """``text`` broken into lines no wider than ``max_width`` px: at spaces, or anywhere in Japanese.

    A word longer than a line is broken where it must be; nothing is cut off or replaced by "...".
    """
    text = " ".join(str(text).split())
    if not text:
        return [""]
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        candidate = line + token
        if line and text_width(candidate.rstrip(), font_size) > max_width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line = candidate
        # a word far wider than a line is broken (a word slightly wider stays whole: no "Procurem-ent")
        while text_width(line.rstrip(), font_size) > max_width * 1.5 and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], font_size) > max_width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    # Latin words stay whole (with their trailing space); each wide (CJK) character is its own token.
    import unicodedata

    tokens: list[str] = []
    word = ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def fit_title(title: str | list[str], *, width: float = MIN_CHART_WIDTH, font_size: float = TITLE_FONT_SIZE) -> dict:
    """A Vega-Lite title whose every line fits ``width``: the first line (the finding) bold, the rest plain.

    Lines are wrapped, never clipped. Returns the ``title`` object of a spec.
    """
    given = [title] if isinstance(title, str) else [str(line) for line in title]
    first, rest = (given[0], given[1:]) if given else ("", [])
    text = wrap_text(first, width, font_size)
    subtitle = [line for part in rest for line in wrap_text(part, width, font_size - 3)]
    out: dict = {"text": text, "anchor": "start", "fontSize": font_size}
    if subtitle:
        out.update({"subtitle": subtitle, "subtitleFontSize": font_size - 3, "subtitleColor": "#555555"})
    return out


def title_height(title: dict) -> int:
    """Pixels the title takes above the plot (to size the chart so the plot keeps its room)."""
    size = title.get("fontSize", TITLE_FONT_SIZE)
    lines = len(title.get("text", [])) * size + len(title.get("subtitle", [])) * title.get("subtitleFontSize", size)
    return round(lines * LINE_HEIGHT) + 12


def title_lines(spec: dict) -> list[str]:
    """Every line of a spec's title (text and subtitle), for checks and alt text."""
    title = spec.get("title") or {}
    if isinstance(title, str):
        return [title]
    text = title.get("text", [])
    lines = [text] if isinstance(text, str) else list(text)
    subtitle = title.get("subtitle", [])
    return lines + ([subtitle] if isinstance(subtitle, str) else list(subtitle))


def _nice_step(span: float) -> float:
    import math

    raw = span / 8 if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def fitted_domain(
    numbers, *, bounds: tuple[float, float] | None = None, include: tuple[float, ...] = (), pad: float = 0.04
) -> list[float] | None:
    """An axis domain that fits ``numbers`` (values and interval ends) with a little room, on round steps.

    ``bounds`` are the scale's limits (NPS -100..100, a 1-5 mean) that the axis never goes past;
    ``include`` adds values that must show (the bars' baseline 0). ``None`` when there is no number.
    NPS bars therefore fill the chart instead of sitting flat in the middle of -100..100.
    """
    import math

    found = [float(v) for v in numbers if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not found:
        return list(bounds) if bounds else None
    found += [float(v) for v in include]
    low, high = min(found), max(found)
    span = high - low
    if span == 0:
        span = abs(high) or 1.0
    # no padding past a required value (bars start at their baseline, not below it)
    low -= 0 if low in include else pad * span
    high += 0 if high in include else pad * span
    step = _nice_step(high - low)
    low, high = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    if bounds:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    for value in include:  # rounding must not push a required value (the baseline) off the axis
        low, high = min(low, value), max(high, value)
    return [round(low, 6), round(high, 6)]


def label_axis(labels, max_width: float, font_size: float = LABEL_FONT_SIZE) -> dict:
    """Axis settings that show every category label whole: long labels wrap onto lines, none is cut.

    Vega-Lite cuts labels with "..." past ``labelLimit``; here the limit is lifted and labels wider than
    ``max_width`` are drawn on several lines through a lookup in ``labelExpr``.
    """
    import json

    wrapped = {str(v): wrap_text(str(v), max_width, font_size) for v in labels}
    multi = {k: lines for k, lines in wrapped.items() if len(lines) > 1}
    # no labelFontSize here: it would pin the size that presenter mode (big_text) enlarges
    axis: dict = {"labelLimit": 0}
    if multi:
        # JSON is valid expression syntax, and escapes quotes in the data's labels.
        axis["labelExpr"] = f"({json.dumps(multi, ensure_ascii=False)})[datum.value] || datum.label"
    return axis


def label_lines(labels, max_width: float, font_size: float = LABEL_FONT_SIZE) -> int:
    """The most lines any label wraps onto (to size rows)."""
    return max((len(wrap_text(str(v), max_width, font_size)) for v in labels), default=1)


def sign_kind(value: float | None, *, higher_is_better: bool = True, small: bool = False) -> str:
    """``"worse"``, ``"better"`` or ``"small"``: the colour key of a change or gap (see :data:`COLOURS`)."""
    if small or value is None:
        return "small"
    return "better" if (value >= 0) == higher_is_better else "worse"


#: Colour scale for :func:`sign_kind` kinds: red worse, green better, grey small.
SIGN_SCALE = {
    "scale": {"domain": ["worse", "better", "small"], "range": [COLOURS["worse"], COLOURS["better"], COLOURS["small"]]}
}


def _clean(value):
    """JSON-safe number: NaN becomes ``None`` (Vega skips it instead of drawing garbage)."""
    import math

    return None if isinstance(value, float) and math.isnan(value) else value


# --- builders -----------------------------------------------------------------------------------------


def horizontal_bars(
    values: list[dict],
    *,
    title: str | list[str],
    x_title: str,
    y_title: str,
    domain: tuple[float, float] | None = None,
    colour_field: str | None = None,
    colour_scale: dict | None = None,
    with_interval: bool = False,
    tooltip: list[dict] | None = None,
) -> dict:
    """Horizontal bars of ``value`` by ``label`` (data order kept), optionally with 95% interval rules.

    ``values`` are records with ``label`` and ``value`` (and ``low``/``high`` for intervals).
    ``domain`` gives the scale's limits (e.g. NPS ``(-100, 100)``, a mean ``(1, 5)``): the axis fits
    the data and its intervals inside them, and bars start at 0, or at the scale's minimum when 0 is
    not on the scale (a 1-5 mean starts at 1). Labels wrap instead of being cut.
    """
    values = [{k: _clean(v) for k, v in row.items()} for row in values]
    baseline = 0.0 if domain is None or domain[0] <= 0 <= domain[1] else float(domain[0])
    numbers = [row.get(k) for row in values for k in (("value", "low", "high") if with_interval else ("value",))]
    fitted = fitted_domain(numbers, bounds=domain, include=(baseline,)) if domain else None
    x = {"field": "value", "type": "quantitative", "title": x_title}
    if fitted:
        x["scale"] = {"domain": fitted, "nice": False, "zero": False}
    whole = [v for v in (row.get("value") for row in values) if isinstance(v, (int, float))]
    if domain is None and whole and all(float(v).is_integer() and v >= 0 for v in whole):
        x["axis"] = {"tickMinStep": 1, "format": "d"}  # counts of comments: never a tick at 2.5
    labels = [row.get("label") for row in values]
    label_width = MIN_CHART_WIDTH * 0.4
    y = {"field": "label", "type": "nominal", "title": y_title or None, "sort": None}
    y["axis"] = label_axis(labels, label_width)
    bar_encoding: dict = {"x": x, "y": y}
    if baseline != 0:
        bar_encoding["x2"] = {"datum": baseline}
    if colour_field:
        bar_encoding["color"] = {"field": colour_field, "type": "nominal", "legend": None, **(colour_scale or {})}
    else:
        bar_encoding["color"] = {"value": COLOURS["bar"]}
    if tooltip:
        bar_encoding["tooltip"] = tooltip
    layers: list[dict] = [{"mark": {"type": "bar"}, "encoding": bar_encoding}]
    if with_interval:
        layers.append(
            {
                "mark": {"type": "rule", "color": "#212121", "strokeWidth": 2},
                # the same axis title on every layer: Vega-Lite would otherwise join the field names
                "encoding": {"x": {**x, "field": "low"}, "x2": {"field": "high"}, "y": y},
            }
        )
    head = fit_title(title)
    row_height = max(34, round(label_lines(labels, label_width) * LABEL_FONT_SIZE * LINE_HEIGHT) + 10)
    # a colour legend (e.g. praise/complaint) sits under the axis and takes its height from the rows
    legend_height = LEGEND_HEIGHT if colour_field and (colour_scale or {}).get("legend") is not None else 0
    return {
        "$schema": SCHEMA,
        "title": head,
        "data": {"values": values},
        "width": 520,
        # Streamlit draws charts with autosize "fit", where the height includes the title, the axis
        # and the legend: they get room of their own so the bars (and their wrapped labels) keep theirs.
        "height": row_height * len(values) + title_height(head) + 60 + legend_height,
        "layer": layers,
    }


def vertical_bars(
    values: list[dict],
    *,
    title: str | list[str],
    x_title: str,
    y_title: str,
    colour_scale: dict | None = None,
    colour_field: str = "category",
    domain: tuple[float, float] | None = None,
    with_interval: bool = False,
) -> dict:
    """Vertical bars of ``value`` by ordinal ``label`` coloured by ``colour_field`` (e.g. the 0-10 answers).

    With ``with_interval`` each bar carries its 95% interval (``low``/``high``); ``domain`` gives the
    scale's limits (a rate 0..100) and the axis fits the data and intervals inside them.
    """
    values = [{k: _clean(v) for k, v in row.items()} for row in values]
    numbers = [row.get(k) for row in values for k in (("value", "low", "high") if with_interval else ("value",))]
    y = {"field": "value", "type": "quantitative", "title": y_title}
    if domain:
        y["scale"] = {"domain": fitted_domain(numbers, bounds=domain, include=(0.0,)), "nice": False}
    labels = [row.get("label") for row in values]
    column = max(MIN_CHART_WIDTH / max(len(values), 1) - 6, 24)
    x = {"field": "label", "type": "ordinal", "title": x_title, "sort": None}
    x["axis"] = {**label_axis(labels, column), "labelAngle": 0}
    encoding: dict = {
        "x": x,
        "y": y,
        "tooltip": [{"field": "label", "type": "ordinal", "title": x_title}, {**y, "format": ",.4~r"}],
    }
    if colour_scale is not None:
        encoding["color"] = {"field": colour_field, "type": "nominal", "legend": None, **colour_scale}
    else:
        encoding["color"] = {"value": COLOURS["bar"]}
    layers: list[dict] = [{"mark": {"type": "bar"}, "encoding": encoding}]
    if with_interval:
        layers.append(
            {
                "mark": {"type": "rule", "color": "#212121", "strokeWidth": 2},
                "encoding": {"x": x, "y": {**y, "field": "low"}, "y2": {"field": "high"}},
            }
        )
    return {**_column_chart(title, values, labels, column, plot_height=200), "layer": layers}


def _column_chart(title, values: list, labels, column: float, *, plot_height: int) -> dict:
    """The frame of a chart with categories along x: title, data, and a height that fits the plot,
    the (wrapped) title and the (wrapped) category labels under the axis."""
    head = fit_title(title)
    lines = label_lines(labels, column)
    return {
        "$schema": SCHEMA,
        "title": head,
        "data": {"values": values},
        "width": 520,
        "height": plot_height + title_height(head) + round(lines * LABEL_FONT_SIZE * LINE_HEIGHT) + 40,
    }


def heatmap(
    values: list[dict], *, title: str | list[str], x_title: str, y_title: str, colour_title: str = "NPS"
) -> dict:
    """A rows x columns heatmap of ``value`` (records: ``row``, ``col``, ``value``, ``text``, ``small``).

    Small cells are faded; every cell writes its value and n (``text``), so the colour is never the
    only carrier of the number. Red is worse, green better, on one fixed NPS scale for every heatmap.
    """
    values = [{k: _clean(v) for k, v in row.items()} for row in values]
    cols = list(dict.fromkeys(v["col"] for v in values))
    rows = list(dict.fromkeys(v["row"] for v in values))
    column = max(MIN_CHART_WIDTH * 0.8 / max(len(cols), 1) - 6, 30)
    x = {"field": "col", "type": "nominal", "title": x_title, "sort": None}
    x["axis"] = {**label_axis(cols, column), "labelAngle": 0}
    y = {"field": "row", "type": "nominal", "title": y_title, "sort": None, "axis": label_axis(rows, 110)}
    head = fit_title(title)
    lines = label_lines(cols, column)
    return {
        "$schema": SCHEMA,
        "title": head,
        "data": {"values": values},
        "width": 520,
        "height": 44 * len(rows) + title_height(head) + round(lines * LABEL_FONT_SIZE * LINE_HEIGHT) + 70,
        "layer": [
            {
                "mark": {"type": "rect"},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "title": colour_title,
                        "scale": {"scheme": "redyellowgreen", "domain": [-60, 60], "clamp": True},
                    },
                    "opacity": {"condition": {"test": "datum.small", "value": 0.3}, "value": 1},
                },
            },
            {"mark": {"type": "text", "fontSize": 12}, "encoding": {"x": x, "y": y, "text": {"field": "text"}}},
        ],
    }


def band_line(
    values: list[dict],
    *,
    title: str | list[str],
    x_title: str,
    y_title: str,
    domain: tuple[float, float] = (-100, 100),
) -> dict:
    """A line of ``value`` by ordinal ``label`` with a 95% band (``low``/``high``); small points greyed.

    The axis fits the line and its band inside ``domain`` (the scale's limits, NPS by default), so a
    change of a few points is visible; a dotted rule marks 0 when it is on the axis.
    """
    values = [{k: _clean(v) for k, v in row.items()} for row in values]
    fitted = fitted_domain([row.get(k) for row in values for k in ("value", "low", "high")], bounds=domain)
    labels = [row.get("label") for row in values]
    column = max(MIN_CHART_WIDTH / max(len(values), 1) - 4, 24)
    x = {"field": "label", "type": "ordinal", "title": x_title, "sort": None}
    x["axis"] = {**label_axis(labels, column), "labelAngle": 0}
    y_scale = {"domain": fitted, "nice": False, "zero": False}
    y = {"type": "quantitative", "title": y_title, "scale": y_scale}
    layers: list[dict] = [
        {
            "mark": {"type": "area", "opacity": 0.2, "color": COLOURS["bar"]},
            "encoding": {"x": x, "y": {**y, "field": "low"}, "y2": {"field": "high"}},
        },
        {"mark": {"type": "line", "color": COLOURS["bar"]}, "encoding": {"x": x, "y": {**y, "field": "value"}}},
        {
            "mark": {"type": "point", "filled": True, "size": 70},
            "encoding": {
                "x": x,
                "y": {**y, "field": "value"},
                "color": {
                    "field": "kind",
                    "type": "nominal",
                    "legend": None,
                    "scale": {"domain": ["solid", "small"], "range": [COLOURS["bar"], COLOURS["small"]]},
                },
                "tooltip": [
                    {"field": "label", "type": "ordinal", "title": x_title},
                    {"field": "value", "type": "quantitative", "title": y_title, "format": ".0f"},
                    {"field": "n", "type": "quantitative", "title": "n"},
                ],
            },
        },
    ]
    if fitted and fitted[0] < 0 < fitted[1]:
        layers.insert(
            0,
            {
                "data": {"values": [{"zero": 0}]},
                "mark": {"type": "rule", "strokeDash": [2, 3], "color": "#757575"},
                "encoding": {"y": {**y, "field": "zero"}},
            },
        )
    return {**_column_chart(title, values, labels, column, plot_height=220), "layer": layers}


QUADRANT_COLOURS = {"fix_first": "#c62828", "keep_up": "#2e7d32", "maintain": "#1565c0", "lower_priority": "#9e9e9e"}


def place_labels(
    points: list[tuple[float, float, str]],
    *,
    x_domain: list[float],
    y_domain: list[float],
    width: float,
    height: float,
    font_size: float = LABEL_FONT_SIZE,
) -> list[tuple[float, float, str]]:
    """Label positions (data units) next to each point so that no two labels overlap and no label covers a point.

    ``points`` are ``(x, y, label)``; returns ``(label_x, label_y, align)`` per point. A label sits right
    of its point (left near the right edge) and moves up or down in steps of a line until it collides
    with no label already placed and no point. Pixels are reckoned at the chart's narrowest ``width``, so the labels
    stay apart when the chart is drawn wider.
    """
    x0, x1 = x_domain
    y0, y1 = y_domain
    sx = width / ((x1 - x0) or 1)
    sy = height / ((y1 - y0) or 1)
    line = font_size * 1.3
    radius = 7  # the circles' size 120 is ~12 px across: no label covers any point
    placed: list[tuple[float, float, float, float]] = [  # left, right, top, bottom in pixels
        ((px - x0) * sx - radius, (px - x0) * sx + radius, (y1 - py) * sy - radius, (y1 - py) * sy + radius)
        for px, py, _ in points
    ]
    out: list[tuple[float, float, str] | None] = [None] * len(points)
    order = sorted(range(len(points)), key=lambda i: -points[i][1])
    for i in order:
        px, py, label = points[i]
        cx, cy = (px - x0) * sx, (y1 - py) * sy
        w = text_width(label, font_size)
        sides = [("left", cx + 8, cx + 8 + w), ("right", cx - 8 - w, cx - 8)]
        if cx + 8 + w > width:  # no room on the right: try the left first
            sides.reverse()
        sides = [side for side in sides if side[1] >= -8 and side[2] <= width + 8] or sides[:1]
        choice = None
        for step in range(0, 60):
            offset = (step + 1) // 2 * line * (1 if step % 2 else -1)
            top, bottom = cy + offset - line / 2, cy + offset + line / 2
            if top < 0 or bottom > height:
                continue
            for align, left, right in sides:
                if all(right <= a or left >= b or bottom <= c or top >= d for a, b, c, d in placed):
                    choice = (align, left, right, offset)
                    break
            if choice:
                break
        align, left, right, offset = choice or (sides[0][0], sides[0][1], sides[0][2], 0.0)
        placed.append((left, right, cy + offset - line / 2, cy + offset + line / 2))
        label_x = (left if align == "left" else right) / sx + x0
        out[i] = (label_x, y1 - (cy + offset) / sy, align)
    return [p for p in out if p is not None]


#: A label that would sit further than this from its point (px) is a number instead (see quadrant_scatter).
_FAR_LABEL_PX = 1.6 * LABEL_FONT_SIZE * 1.3


def _placed_labels(data: list[dict], x_domain: list[float], y_domain: list[float], height: int) -> list:
    """Labels beside their points; in a crowd, where a name would sit far from its point behind a long
    leader line, the point is numbered instead (``row["number"]``; the key is :func:`quadrant_key`)."""
    width = MIN_CHART_WIDTH - 60

    def place(texts: list[str]) -> list:
        points = [(row["x"], row["y"], text) for row, text in zip(data, texts, strict=True)]
        return place_labels(points, x_domain=x_domain, y_domain=y_domain, width=width, height=height)

    names = [str(row.get("label", "")) for row in data]
    placed = place(names)
    sy = height / ((y_domain[1] - y_domain[0]) or 1)
    far = [abs(label_y - row["y"]) * sy > _FAR_LABEL_PX for row, (_, label_y, _) in zip(data, placed, strict=True)]
    if not any(far):
        for row, name in zip(data, names, strict=True):
            row["text"] = name
        return placed
    order = sorted((i for i, is_far in enumerate(far) if is_far), key=lambda i: (-data[i]["y"], data[i]["x"]))
    for number, i in enumerate(order, start=1):
        data[i]["number"] = number
    for row, name in zip(data, names, strict=True):
        row["text"] = str(row["number"]) if "number" in row else name
    return place([row["text"] for row in data])


def quadrant_key(chart: dict) -> list[tuple[int, str]]:
    """``(number, name)`` of the points a quadrant chart numbered because their names did not fit beside them."""
    rows = (chart.get("data") or {}).get("values") or []
    return sorted((row["number"], str(row.get("label", ""))) for row in rows if "number" in row)


def quadrant_scatter(
    values: list[dict],
    *,
    title: str | list[str],
    x_title: str,
    y_title: str,
    x_split: float | None,
    y_split: float | None,
    quadrant_labels: dict[str, str],
) -> dict:
    """Importance (y) x performance (x) with labelled points coloured by quadrant and dashed split lines.

    ``values``: records with ``label``, ``x``, ``y``, ``quadrant`` (a key of :data:`QUADRANT_COLOURS`).
    Labels are placed so that none overlaps another or a point (:func:`place_labels`), with a thin
    leader line when a label had to move away from its point; in a crowd where a name would sit far
    from its point, the point gets a number and :func:`quadrant_key` lists the names.
    """
    keys = list(QUADRANT_COLOURS)
    colour = {
        "field": "quadrant_label",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [quadrant_labels[k] for k in keys], "range": [QUADRANT_COLOURS[k] for k in keys]},
        "legend": {"orient": "bottom", "columns": 2, "labelLimit": 0},
    }
    data = [
        {**{k: _clean(v) for k, v in row.items()}, "quadrant_label": quadrant_labels.get(row.get("quadrant") or "", "")}
        for row in values
    ]
    xs = [row["x"] for row in data if row.get("x") is not None] + ([x_split] if x_split is not None else [])
    ys = [row["y"] for row in data if row.get("y") is not None] + ([y_split] if y_split is not None else [])
    x_domain = fitted_domain(xs, pad=0.08) or [0.0, 1.0]
    y_domain = fitted_domain(ys, pad=0.08, include=(0.0,)) or [0.0, 1.0]
    plot_height = 360
    placed = _placed_labels(data, x_domain, y_domain, plot_height)
    for row, (label_x, label_y, align) in zip(data, placed, strict=True):
        row.update({"label_x": label_x, "label_y": label_y, "align": align})
    ticks = {"tickCount": 8}  # a tick every 0.05 across 2.8-3.6 was unreadable
    x = {
        "field": "x",
        "type": "quantitative",
        "title": x_title,
        "scale": {"domain": x_domain, "nice": False},
        "axis": ticks,
    }
    y = {
        "field": "y",
        "type": "quantitative",
        "title": y_title,
        "scale": {"domain": y_domain, "nice": False},
        "axis": ticks,
    }
    label_x = {**x, "field": "label_x"}
    label_y = {**y, "field": "label_y"}
    layers: list[dict] = [  # the points first (other code finds the quadrant chart by its circles)
        {
            "mark": {"type": "circle", "size": 120, "opacity": 1},
            "encoding": {
                "x": x,
                "y": y,
                "color": colour,
                "tooltip": [
                    {"field": "label", "type": "nominal", "title": " "},
                    {"field": "x", "type": "quantitative", "title": x_title, "format": ".2f"},
                    {"field": "y", "type": "quantitative", "title": y_title, "format": ".1f"},
                ],
            },
        },
        {
            "transform": [{"filter": "abs(datum.label_y - datum.y) > 1e-9"}],  # only labels that moved
            "mark": {"type": "rule", "color": "#9e9e9e", "strokeWidth": 0.7},
            "encoding": {"x": x, "y": y, "x2": {"field": "label_x"}, "y2": {"field": "label_y"}},
        },
        {
            "transform": [{"filter": "datum.align === 'left'"}],
            "mark": {"type": "text", "align": "left", "baseline": "middle", "fontSize": LABEL_FONT_SIZE},
            "encoding": {"x": label_x, "y": label_y, "text": {"field": "text"}},
        },
        {
            "transform": [{"filter": "datum.align === 'right'"}],
            "mark": {"type": "text", "align": "right", "baseline": "middle", "fontSize": LABEL_FONT_SIZE},
            "encoding": {"x": label_x, "y": label_y, "text": {"field": "text"}},
        },
    ]
    if y_split is not None:
        layers.append(
            {
                "data": {"values": [{"s": y_split}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "grey"},
                "encoding": {"y": {**y, "field": "s"}},
            }
        )
    if x_split is not None:
        layers.append(
            {
                "data": {"values": [{"s": x_split}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "grey"},
                "encoding": {"x": {**x, "field": "s"}},
            }
        )
    head = fit_title(title)
    return {
        "$schema": SCHEMA,
        "title": head,
        "data": {"values": data},
        "width": 520,
        "height": plot_height + title_height(head) + 110,
        "layer": layers,
    }


# --- builders added for the pages (kept at the end: existing builders above stay as they are) ---------

#: Colours of series that carry no judgement (themes, roles): no red or green, which mean worse
#: and better on every chart.
SERIES_COLOURS = ["#1f5fa8", "#ef6c00", "#6a1b9a", "#00838f", "#8d6e63", "#5c6bc0", "#f9a825", "#546e7a"]


def _series_colour(series: list, title: str | None) -> dict:
    """A colour encoding for neutral ``series`` whose legend shows every name whole (wrapped, never cut)."""
    names = list(dict.fromkeys(str(s) for s in series if s is not None))
    legend = {**label_axis(names, MIN_CHART_WIDTH * 0.4), "orient": "bottom", "columns": 2}
    return {
        "field": "series",
        "type": "nominal",
        "title": title,
        "scale": {"domain": names, "range": [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(len(names))]},
        "legend": legend,
    }


def _legend_height(series: list) -> int:
    names = list(dict.fromkeys(str(s) for s in series if s is not None))
    rows = (len(names) + 1) // 2
    lines = label_lines(names, MIN_CHART_WIDTH * 0.4)
    return round(rows * lines * LABEL_FONT_SIZE * LINE_HEIGHT) + 30


def binned_bars(
    values: list[dict],
    *,
    title: str | list[str],
    x_title: str,
    y_title: str,
    domain: tuple[float, float] | None = None,
) -> dict:
    """Bars over bins (records: ``start``, ``end``, ``value``, ``kind`` ``"worse"``/``"better"``), e.g. a
    histogram of accounts by weighted NPS: worse (below 0) is red, better is green.

    ``domain`` gives the bins' scale limits (NPS ``(-100, 100)``): the axis fits the bins that hold
    any count inside them, instead of spreading a few bars over the whole scale.
    """
    values = [{k: _clean(v) for k, v in row.items()} for row in values]
    x: dict = {"field": "start", "type": "quantitative", "bin": "binned", "title": x_title}
    filled = [row for row in values if row.get("value")] or values
    edges = [row.get(k) for row in filled for k in ("start", "end")]
    fitted = fitted_domain(edges, bounds=domain, pad=0.0)
    if fitted:
        x["scale"] = {"domain": fitted, "nice": False, "zero": False}
    y = {"field": "value", "type": "quantitative", "title": y_title}
    head = fit_title(title)
    return {
        "$schema": SCHEMA,
        "title": head,
        "data": {"values": values},
        "width": 520,
        "height": 260 + title_height(head),
        # bins outside the fitted axis hold no account: not drawn past the axis
        "transform": [{"filter": f"datum.end > {fitted[0]} && datum.start < {fitted[1]}"}] if fitted else [],
        "mark": {"type": "bar"},
        "encoding": {
            "x": x,
            "x2": {"field": "end"},
            "y": y,
            "color": {
                "field": "kind",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": ["worse", "better"], "range": [COLOURS["worse"], COLOURS["better"]]},
            },
            "tooltip": [
                {"field": "start", "type": "quantitative"},
                {"field": "end", "type": "quantitative"},
                {"field": "value", "type": "quantitative", "title": y_title},
            ],
        },
    }


def lines_by_series(
    values: list[dict],
    *,
    title: str | list[str],
    x_title: str,
    y_title: str,
    domain: tuple[float, float] | None = None,
) -> dict:
    """One line per ``series`` of ``value`` by ordinal ``label`` (e.g. each theme's share per quarter).

    ``domain`` gives the scale's limits (a share ``(0, 100)``): the axis fits the lines inside them.
    Series colours carry no judgement (never red or green); legend and axis labels wrap, never cut.
    """
    values = [{k: _clean(v) for k, v in row.items()} for row in values]
    labels = list(dict.fromkeys(row.get("label") for row in values))
    column = max(MIN_CHART_WIDTH / max(len(labels), 1) - 6, 24)
    x = {"field": "label", "type": "ordinal", "title": x_title, "sort": None}
    x["axis"] = {**label_axis(labels, column), "labelAngle": 0}
    y: dict = {"field": "value", "type": "quantitative", "title": y_title}
    fitted = fitted_domain([row.get("value") for row in values], bounds=domain) if domain else None
    if fitted:
        y["scale"] = {"domain": fitted, "nice": False, "zero": False}
    series = [row.get("series") for row in values]
    return {
        **_column_chart(title, values, labels, column, plot_height=220 + _legend_height(series)),
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": x,
            "y": y,
            "color": _series_colour(series, None),
            "tooltip": [
                {"field": "series", "type": "nominal"},
                {"field": "label", "type": "ordinal", "title": x_title},
                {"field": "value", "type": "quantitative", "title": y_title},
                {"field": "n", "type": "quantitative", "title": "n"},
            ],
        },
    }


def dated_points_by_series(
    values: list[dict],
    *,
    title: str | list[str],
    x_title: str,
    y_title: str,
    series_title: str,
    n_title: str,
    y_domain: tuple[float, float] | None = None,
) -> dict:
    """Answers over time, one faint line and sized points per ``series`` (records: ``date``,
    ``series``, ``value``, ``n``), e.g. an account's mean likelihood-to-recommend by role.

    ``y_domain`` gives the scale's limits (0-10): the axis fits the points inside them. Series
    colours carry no judgement (never red or green); legend labels wrap, never cut.
    """
    values = [{k: _clean(v) for k, v in row.items()} for row in values]
    x = {"field": "date", "type": "temporal", "title": x_title}
    y: dict = {"field": "value", "type": "quantitative", "title": y_title}
    if y_domain:
        fitted = fitted_domain([row.get("value") for row in values], bounds=y_domain)
        y["scale"] = {"domain": fitted or list(y_domain), "nice": False, "zero": False}
    series = [row.get("series") for row in values]
    colour = _series_colour(series, series_title)
    tooltip = [
        {"field": "date", "type": "temporal", "title": x_title},
        {"field": "series", "type": "nominal", "title": series_title},
        {"field": "value", "type": "quantitative", "title": y_title},
        {"field": "n", "type": "quantitative", "title": n_title},
    ]
    head = fit_title(title)
    return {
        "$schema": SCHEMA,
        "title": head,
        "data": {"values": values},
        "width": 620,
        "height": 300 + title_height(head) + _legend_height(series),
        "layer": [
            {"mark": {"type": "line", "opacity": 0.4}, "encoding": {"x": x, "y": y, "color": colour}},
            {
                "mark": {"type": "circle", "opacity": 0.85},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": colour,
                    "size": {"field": "n", "type": "quantitative", "title": n_title, "legend": None},
                    "tooltip": tooltip,
                },
            },
        ],
    }
