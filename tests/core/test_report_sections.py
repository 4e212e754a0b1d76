"""The full report: every analysis section is there, in order, and says what the core functions say."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pptx import Presentation

from cx_core import Filters, Workspace, load_inputs
from cx_core.accounts import account_health, cx_outcomes, follow_up_list, risk_summary
from cx_core.drivers import catalogue_from_workspace, key_drivers, need_scores
from cx_core.moments import moments_of_truth
from cx_core.report import (
    DEFAULT_SECTIONS,
    ReportContext,
    build_report,
    render_html,
    render_pptx,
    theme_list_section,
    themes_section,
)
from cx_core.sample import AS_OF
from cx_core.segments import segmentation_view
from cx_core.themes import Quote, Theme, ThemeResult, comments_from_workspace, extract_themes, labels_in_language

FULL = [
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
]


@pytest.fixture(scope="module")
def mws(sample_loaded):
    workspace = Workspace.from_loaded(sample_loaded)
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def report(mws):
    return build_report(mws, lang="en", extras={"as_of": AS_OF})


@pytest.fixture(scope="module")
def sections(report):
    return {s.key: s for s in report.sections}


def _slide_texts(pptx_bytes: bytes) -> list[str]:
    texts = []
    for slide in Presentation(io.BytesIO(pptx_bytes)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        texts.append("\n".join(parts))
    return texts


def _section_texts(texts: list[str]) -> list[str]:
    """The text of each section's slides (a table too wide to stand beside its chart gets a slide of
    its own under the same headline, the headline being each slide's first line)."""
    grouped: list[str] = []
    previous = None
    for text in texts[1:]:
        headline = text.split("\n", 1)[0]
        if headline == previous:
            grouped[-1] += "\n" + text
        else:
            grouped.append(text)
        previous = headline
    return [texts[0], *grouped]


def test_default_report_has_every_section_in_order(report):
    assert list(DEFAULT_SECTIONS) == FULL
    assert [s.key for s in report.sections] == FULL
    for section in report.sections:  # every section states its n and the filters
        assert section.n > 0 and f"n = {section.n:,}" in section.title
        assert section.filters_text == "all responses" and "all responses" in section.title


def test_html_and_pptx_contain_the_new_sections(report):
    page = render_html(report).decode("utf-8")
    for key in FULL:
        assert f'<section id="{key}">' in page
    assert "<script" not in page.lower()
    texts = _section_texts(_slide_texts(render_pptx(report)))
    assert len(texts) == 1 + len(FULL)
    by_key = dict(zip(FULL, texts[1:], strict=True))
    assert "Top driver of" in by_key["drivers"] and "ARR at risk" in by_key["accounts"]
    assert all("n = " in text and report.data_date in text for text in texts[1:])


def test_drivers_section_equals_key_drivers(mws, sections):
    result = key_drivers(mws, catalogue_from_workspace(mws))
    table = sections["drivers"].table
    assert table.iloc[0]["Driver"] == result.drivers[0].label
    assert list(table["Importance (% of R²)"]) == [d.importance for d in result.drivers]
    assert sections["drivers"].n == result.n_used
    assert result.drivers[0].label in sections["drivers"].finding
    quadrants = {"Fix first", "Keep it up", "Maintain", "Lower priority"}
    assert set(table["Priority"]) <= quadrants | {"—"} and "Fix first" in set(table["Priority"])
    assert sections["drivers"].chart["layer"][0]["mark"]["type"] == "circle"  # the quadrant chart


def test_needs_section_equals_need_scores(mws, sections):
    frame = need_scores(mws, catalogue_from_workspace(mws))
    rational = frame[(frame["kind"] == "category") & (frame["item"] == "rational")].iloc[0]
    table = sections["needs"].table
    row = table[table["Need"] == "Rational"].iloc[0]
    assert row["Mean (1-5)"] == rational["mean"] and row["n"] == rational["n"]
    assert f"{rational['mean']:.2f}" in sections["needs"].finding


def test_segments_and_trend_equal_segmentation_view(mws, sections):
    view = segmentation_view(mws)
    heat = sections["segments"].table
    assert list(heat["n"]) == list(view.heatmap["n"]) and list(heat["NPS"]) == list(view.heatmap["nps"])
    statements = [n for n in sections["segments"].notes if "vs the rest" in n]
    assert len(statements) == len(view.groups)
    significant = [g.group for g in view.groups if g.vs_rest.significant]
    assert any(f"{significant[0]} vs the rest" in s and "is significant" in s for s in statements)
    trend = sections["trend"].table
    assert list(trend["NPS"]) == list(view.trend.frame["nps"]) and list(trend["n"]) == list(view.trend.frame["n"])
    assert view.trend.latest_vs_previous.a in sections["trend"].finding


def test_moments_section_equals_moments_of_truth(mws, sections):
    result = moments_of_truth(mws)
    first = next(m for m in result.moments if m.rank == 1)
    table = sections["moments"].table
    assert table.iloc[0]["Touchpoint"] == first.touchpoint and table.iloc[0]["Impact (net promoters)"] == first.impact
    assert sections["moments"].n == result.overall.n


def test_themes_section_equals_offline_engine(mws, sections):
    result = labels_in_language(extract_themes(comments_from_workspace(mws)), "en")  # side words in English
    table = sections["themes"].table
    assert list(table["Theme"]) == [t.label for t in result.themes[: len(table)]]
    assert list(table["Comments"]) == [t.count for t in result.themes[: len(table)]]
    quotes = table.iloc[0]["Quotes (response ID)"]
    first_ids = [q.response_id for q in result.themes[0].quotes[:3]]
    assert 2 <= len(quotes.splitlines()) <= 3 and all(f"({rid})" in quotes for rid in first_ids)


def test_themes_section_shows_sides_split_and_polarity_notes(mws):
    praise = Theme("p", "Delivery speed", 6, 0.4, 9.0, 0.0, 100.0, ["R1"], [], topic="delivery", side="praise")
    complaint = Theme("c", "Late delivery", 4, 0.3, 3.0, 1.0, -100.0, ["R2"], [], topic="delivery", side="complaint")
    general = Theme("g", "General praise", 3, 0.2, 9.0, 0.0, 100.0, ["R3"], [], side="praise", general=True)
    assignments = {"R1": ["p"], "R2": ["c"], "R3": ["g"]}
    result = ThemeResult([praise, complaint, general], assignments, [], 15, 15, 0.1, broad_topics=["delivery"])
    section = themes_section(ReportContext(mws, Filters(), "en"), result)
    table = section.table
    assert list(table["Side"]) == ["praise", "complaint", "praise"]
    split = "praise 6 / complaints 4 / requests 0 / neutral 0"
    assert list(table["Topic: praise / complaints / requests / neutral"]) == [split, split, ""]
    colour = section.chart["layer"][0]["encoding"]["color"]
    assert colour["field"] == "side" and colour["scale"]["domain"] == ["praise", "complaint", "neutral", "request"]
    assert [v["side"] for v in section.chart["data"]["values"]] == ["praise", "complaint", "praise"]
    assert any("General praise" in n for n in section.notes) and any("delivery" in n for n in section.notes)
    listed = theme_list_section(ReportContext(mws, Filters(), "ja"), result).table
    assert list(listed["評価"]) == ["好評", "不満", "好評"]


def test_accounts_and_follow_up_equal_the_accounts_core(mws, sections):
    health = account_health(mws, AS_OF)
    high = risk_summary(health)["high"]
    table = sections["accounts"].table
    row = table[table["Risk"] == "High"].iloc[0]
    assert row["ARR"] == high["arr"] == cx_outcomes(health).arr_at_risk
    assert row["Accounts"] == high["accounts"]
    assert f"{high['arr']:,.0f}" in sections["accounts"].finding and "1 Oct 2026" in sections["accounts"].finding
    items = follow_up_list(mws, AS_OF, lang="en")
    shown = sections["follow_up"].table
    assert len(shown) == 10 and sections["follow_up"].n == len(items)
    assert list(shown["Owner"]) == list(items["owner"].head(10))
    assert list(shown["Suggested action"]) == list(items["action"].head(10))
    assert list(shown["Why"]) == list(items["reason"].head(10))


def test_follow_up_top_n_and_as_of_from_extras(mws):
    report = build_report(mws, sections=["follow_up"], extras={"as_of": "2026-09-01", "follow_up_top": 3}, lang="en")
    section = report.sections[0]
    assert len(section.table) == 3 and "1 Sep 2026" in section.notes[0]


def test_filters_reach_every_section(mws):
    smb = Filters.make(segment=["SMB"])
    report = build_report(
        mws, smb, sections=["segments", "drivers", "moments", "accounts"], extras={"as_of": AS_OF}, lang="en"
    )
    assert all("Segment: SMB" in s.title for s in report.sections)
    kd = key_drivers(mws, catalogue_from_workspace(mws), smb)
    drivers = next(s for s in report.sections if s.key == "drivers")
    assert drivers.n == kd.n_used and drivers.table.iloc[0]["Driver"] == kd.drivers[0].label


def test_sections_without_data_are_skipped(sample):
    survey = sample.survey.to_csv(index=False).encode()
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv"))  # no CRM file
    try:
        keys = [s.key for s in build_report(ws, sections=FULL, extras={"as_of": AS_OF}, lang="en").sections]
        assert "accounts" not in keys and "segments" not in keys and "by_segment" not in keys
        assert {"drivers", "needs", "themes", "trend"} <= set(keys)
        no_drivers = dataclasses.replace(ws, drivers=[])
        keys = [s.key for s in build_report(no_drivers, sections=["drivers", "needs", "headline"], lang="en").sections]
        assert keys == ["headline"]
    finally:
        ws.close()


def test_quotes_are_escaped_in_html_and_plain_in_pptx(mws):
    hostile = '<img src=x onerror=alert(1)> "=HYPERLINK(1)"'
    theme = Theme("k", "<b>Late</b>", 5, 0.5, 6.0, 0.4, -10.0, ["R1"], [Quote("R1", hostile, hostile)])
    result = ThemeResult([theme], {"R1": ["k"]}, [], 10, 10, 0.5)
    section = themes_section(ReportContext(mws, Filters(), "en"), result)
    report = build_report(mws, prebuilt=[section], lang="en")
    page = render_html(report).decode("utf-8")
    assert "<img src=x" not in page and "<b>Late</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "(R1)" in page
    texts = _slide_texts(render_pptx(report))
    assert hostile in texts[1] and "<b>Late</b>" in texts[1]


def test_japanese_report_names_the_new_sections(mws):
    report = build_report(mws, lang="ja", sections=["segments", "drivers", "accounts"], extras={"as_of": AS_OF})
    titles = " ".join(s.title for s in report.sections)
    assert "セグメント×役割のNPS" in titles and "最大の要因" in titles and "リスクのあるARR" in titles
    assert re.search(r"基準日 2026年10月1日", titles)
