"""Chart categories are words in the reader's language when the core builds a section, so the page,
presenter mode, the HTML and PPTX reports and the chart downloads draw one and the same chart: no
stage or segment code (``use``, ``mid-market``) and no English month name in a Japanese chart image."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cx_core.accounts import account_health, account_view, dataset_themes
from cx_core.labels import code_label
from cx_core.report import (
    DEFAULT_SECTIONS,
    _html,
    _pptx,
    account_sections,
    build_report,
    chart_svg,
    render_html,
    render_pptx,
)
from cx_core.report.charts import JA_TIME_LOCALE, LABEL_FIELDS, chart_in_language
from cx_core.sample import AS_OF
from ui.widgets import presenter

CODES = ("use", "renewal", "purchase", "mid-market", "smb", "enterprise", "feeling_valued", "Order delivery (use)")


def _rows(spec: dict) -> list[dict]:
    """Every data row of a chart, its layers' and concatenated views' included."""
    rows: list[dict] = []
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        rows += [row for row in data["values"] if isinstance(row, dict)]
    for part in ("layer", "vconcat", "hconcat", "concat"):
        for sub in spec.get(part) or []:
            rows += _rows(sub)
    return rows


def _locale(spec: dict):
    return spec.get("config", {}).get("locale")


def test_codes_become_words_and_japanese_charts_get_japanese_month_names():
    spec = {
        "data": {
            "values": [{"label": code, "row": "smb", "col": "use", "kind": "worse", "value": 1} for code in CODES]
        },
        "config": {"font": "x"},
    }
    for lang in ("en", "ja"):
        worded = chart_in_language(spec, lang)
        assert worded is not None
        for code, row in zip(CODES, worded["data"]["values"], strict=True):
            assert row["label"] == code_label(code, lang) != code
            assert (row["row"], row["col"]) == (code_label("smb", lang), code_label("use", lang))
            assert row["kind"] == "worse" and row["value"] == 1  # colour keys and numbers are no labels
        assert worded["config"]["font"] == "x"
    assert _locale(chart_in_language(spec, "ja")) == {"time": JA_TIME_LOCALE}
    assert _locale(chart_in_language(spec, "en")) is None
    assert spec["data"]["values"][0]["label"] == "use"  # the builder's spec is not changed in place
    assert chart_in_language(None, "ja") is None


def test_a_japanese_chart_image_names_months_in_japanese():
    spec = {
        "data": {"values": [{"date": "2026-01-15", "v": 1}, {"date": "2026-06-15", "v": 2}]},
        "mark": "point",
        "encoding": {"x": {"field": "date", "type": "temporal"}, "y": {"field": "v", "type": "quantitative"}},
        "width": 400,
        "height": 100,
    }
    english, japanese = chart_svg(chart_in_language(spec, "en")), chart_svg(chart_in_language(spec, "ja"))
    assert "April" in english and "月" not in english
    assert "4月" in japanese and "April" not in japanese


class _Drawn:
    """What each edge hands to its renderer: the page to Streamlit, the HTML to SVG, the PPTX to PNG."""

    def __init__(self, monkeypatch):
        self.page: list[dict] = []
        self.html: list[dict] = []
        self.pptx: list[dict] = []
        png = io.BytesIO()
        Image.new("RGB", (4, 3), "white").save(png, format="PNG")
        monkeypatch.setattr(presenter.st, "vega_lite_chart", lambda spec, **_: self.page.append(spec))
        monkeypatch.setattr(_html, "chart_svg", lambda spec: self.html.append(spec) or "<svg></svg>")
        monkeypatch.setattr(_pptx, "chart_png", lambda spec, **_: self.pptx.append(spec) or png.getvalue())


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_default_chart_is_worded_in_the_core_and_drawn_the_same_on_every_edge(ws, lang, monkeypatch):
    report = build_report(ws, lang=lang, sections=DEFAULT_SECTIONS)
    charted = [s for s in report.sections if s.chart]
    assert {s.key for s in charted} >= {"by_segment", "by_role", "segments", "drivers", "moments", "themes"}
    labelled = 0
    for section in charted:
        assert _locale(section.chart) == ({"time": JA_TIME_LOCALE} if lang == "ja" else None), section.key
        for row in _rows(section.chart):
            for field in LABEL_FIELDS:
                if isinstance(row.get(field), str):
                    assert code_label(row[field], lang) == row[field], (section.key, field, row[field])
                    labelled += 1
    assert labelled > 40

    drawn = _Drawn(monkeypatch)
    for section in charted:
        presenter.render_section(section, "test", lang, exports=False)
    render_html(report)
    render_pptx(report)
    assert len(drawn.page) == len(drawn.html) == len(drawn.pptx) == len(charted)
    for section, page, html, pptx in zip(charted, drawn.page, drawn.html, drawn.pptx, strict=True):
        # the edges size a chart for their medium (axes, fonts, titles); its data and locale are the section's
        assert _rows(page) == _rows(html) == _rows(pptx) == _rows(section.chart), section.key
        assert _locale(page) == _locale(html) == _locale(pptx) == _locale(section.chart), section.key


def test_the_account_timeline_reads_months_in_japanese(ws):
    health = account_health(ws, AS_OF)
    key = health["account_key"].iloc[0]
    view = account_view(ws, key, AS_OF, health=health, themes=dataset_themes(ws), lang="ja")
    timeline = next(s for s in account_sections(view, AS_OF, "ja") if s.key == "timeline")
    assert timeline.chart is not None and _locale(timeline.chart) == {"time": JA_TIME_LOCALE}
    assert any(field.get("type") == "temporal" for field in _encodings(timeline.chart))


def _encodings(spec: dict) -> list[dict]:
    fields = [f for f in (spec.get("encoding") or {}).values() if isinstance(f, dict)]
    for sub in spec.get("layer") or []:
        fields += _encodings(sub)
    return fields
