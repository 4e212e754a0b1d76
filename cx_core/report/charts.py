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

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "CX Sans JP"
# Browsers (the page, the HTML report) use the first of these they have; the server uses ours.
FONT_STACK = f"{FONT_FAMILY}, Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"

COLOURS = {"promoter": "#2e7d32", "passive": "#9e9e9e", "detractor": "#c62828", "bar": "#1f5fa8", "small": "#bdbdbd"}

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
    if isinstance(out.get("height"), (int, float)):
        out["height"] = round(out["height"] * 1.5)
    return out


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
    """
    x = {"field": "value", "type": "quantitative", "title": x_title}
    if domain:
        x["scale"] = {"domain": list(domain)}
    y = {"field": "label", "type": "nominal", "title": y_title, "sort": None}
    bar_encoding: dict = {"x": x, "y": y}
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
                "encoding": {"x": {"field": "low", "type": "quantitative"}, "x2": {"field": "high"}, "y": y},
            }
        )
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "data": {"values": values},
        "width": 520,
        # Room for the two-line title and the axis as well: Streamlit draws charts with autosize
        # "fit", where the height includes them (a bare 34 px per bar collapsed the bars to nothing).
        "height": 34 * len(values) + 110,
        "layer": layers,
    }


def vertical_bars(
    values: list[dict], *, title: str | list[str], x_title: str, y_title: str, colour_scale: dict
) -> dict:
    """Vertical bars of ``value`` by ordinal ``label`` coloured by ``category`` (e.g. the 0-10 answers)."""
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "data": {"values": values},
        "width": 520,
        "height": 260,
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "label", "type": "ordinal", "title": x_title, "sort": None, "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            "color": {"field": "category", "type": "nominal", "legend": None, **colour_scale},
            "tooltip": [{"field": "label", "type": "ordinal"}, {"field": "value", "type": "quantitative"}],
        },
    }


def heatmap(
    values: list[dict], *, title: str | list[str], x_title: str, y_title: str, colour_title: str = "NPS"
) -> dict:
    """A rows x columns heatmap of ``value`` (records: ``row``, ``col``, ``value``, ``text``, ``small``).

    Small cells are faded; every cell writes its value and n (``text``), so the colour is never the
    only carrier of the number.
    """
    x = {"field": "col", "type": "nominal", "title": x_title, "sort": None, "axis": {"labelAngle": 0}}
    y = {"field": "row", "type": "nominal", "title": y_title, "sort": None}
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "data": {"values": values},
        "width": 520,
        "height": 44 * len({v["row"] for v in values}) + 170,  # title and rotated labels fit inside
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


def band_line(values: list[dict], *, title: str | list[str], x_title: str, y_title: str) -> dict:
    """A line of ``value`` by ordinal ``label`` with a 95% band (``low``/``high``); small points greyed."""
    x = {"field": "label", "type": "ordinal", "title": x_title, "sort": None, "axis": {"labelAngle": 0}}
    y_scale = {"domain": [-100, 100]}
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "data": {"values": values},
        "width": 520,
        "height": 260,
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.2, "color": COLOURS["bar"]},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative", "title": y_title, "scale": y_scale},
                    "y2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "line", "color": COLOURS["bar"]},
                "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"}},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 70},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative"},
                    "color": {
                        "field": "kind",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": ["solid", "small"], "range": [COLOURS["bar"], COLOURS["small"]]},
                    },
                },
            },
        ],
    }


QUADRANT_COLOURS = {"fix_first": "#c62828", "keep_up": "#2e7d32", "maintain": "#1565c0", "lower_priority": "#9e9e9e"}


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
    """
    keys = list(QUADRANT_COLOURS)
    colour = {
        "field": "quadrant_label",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [quadrant_labels[k] for k in keys], "range": [QUADRANT_COLOURS[k] for k in keys]},
    }
    data = [{**v, "quadrant_label": quadrant_labels.get(v.get("quadrant") or "", "")} for v in values]
    x = {"field": "x", "type": "quantitative", "title": x_title, "scale": {"zero": False}}
    y = {"field": "y", "type": "quantitative", "title": y_title}
    layers: list[dict] = [
        {"mark": {"type": "circle", "size": 120}, "encoding": {"x": x, "y": y, "color": colour}},
        {
            "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 11},
            "encoding": {"x": x, "y": y, "text": {"field": "label"}},
        },
    ]
    if y_split is not None:
        layers.append(
            {
                "data": {"values": [{"s": y_split}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "grey"},
                "encoding": {"y": {"field": "s", "type": "quantitative"}},
            }
        )
    if x_split is not None:
        layers.append(
            {
                "data": {"values": [{"s": x_split}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "grey"},
                "encoding": {"x": {"field": "s", "type": "quantitative"}},
            }
        )
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "data": {"values": data},
        "width": 520,
        "height": 380,
        "layer": layers,
    }


# --- builders added for the pages (kept at the end: existing builders above stay as they are) ---------


def binned_bars(values: list[dict], *, title: str | list[str], x_title: str, y_title: str) -> dict:
    """Bars over bins (records: ``start``, ``end``, ``value``, ``kind`` ``"worse"``/``"better"``), e.g. a
    histogram of accounts by weighted NPS: worse (below 0) is red, better is green."""
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "data": {"values": values},
        "width": 520,
        "height": 260,
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "start", "type": "quantitative", "bin": "binned", "title": x_title},
            "x2": {"field": "end"},
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            "color": {
                "field": "kind",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": ["worse", "better"], "range": [COLOURS["detractor"], COLOURS["promoter"]]},
            },
            "tooltip": [
                {"field": "start", "type": "quantitative"},
                {"field": "end", "type": "quantitative"},
                {"field": "value", "type": "quantitative", "title": y_title},
            ],
        },
    }


def lines_by_series(values: list[dict], *, title: str | list[str], x_title: str, y_title: str) -> dict:
    """One line per ``series`` of ``value`` by ordinal ``label`` (e.g. each theme's share per quarter)."""
    x = {"field": "label", "type": "ordinal", "title": x_title, "sort": None, "axis": {"labelAngle": 0}}
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "data": {"values": values},
        "width": 520,
        "height": 300,
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            "color": {"field": "series", "type": "nominal", "title": None, "legend": {"labelLimit": 320}},
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
    ``series``, ``value``, ``n``), e.g. an account's mean likelihood-to-recommend by role."""
    x = {"field": "date", "type": "temporal", "title": x_title}
    y: dict = {"field": "value", "type": "quantitative", "title": y_title}
    if y_domain:
        y["scale"] = {"domain": list(y_domain)}
    colour = {"field": "series", "type": "nominal", "title": series_title}
    tooltip = [
        {"field": "date", "type": "temporal", "title": x_title},
        {"field": "series", "type": "nominal", "title": series_title},
        {"field": "value", "type": "quantitative", "title": y_title},
        {"field": "n", "type": "quantitative", "title": n_title},
    ]
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "data": {"values": values},
        "width": 620,
        "height": 300,
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
