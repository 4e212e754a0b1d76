"""Reports: the HTML and PPTX files open, contain the figures, and say what the Overview page says."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from cx_core import Filters, overview, scores_by_group
from cx_core.i18n_format import format_number
from cx_core.report import (
    OVERVIEW_SECTIONS,
    SECTION_BUILDERS,
    ReportContext,
    Section,
    build_report,
    build_sections,
    render_html,
    render_pptx,
    section_builder,
)

ROOT = Path(__file__).resolve().parents[2]
SMB = Filters.make(segment=["SMB"])


def _svgs(html_text: str) -> list[str]:
    return [
        base64.b64decode(m).decode("utf-8") for m in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html_text)
    ]


def _slide_texts(pptx_bytes: bytes) -> list[str]:
    deck = Presentation(io.BytesIO(pptx_bytes))
    texts = []
    for slide in deck.slides:
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


def test_html_report_is_self_contained_and_matches_overview(ws):
    report = build_report(ws, SMB, lang="en")
    page = render_html(report).decode("utf-8")
    ov = overview(ws, SMB)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page.lower()
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing loaded from elsewhere
    charts = [s for s in report.sections if s.chart]
    svgs = _svgs(page)
    assert len(svgs) == len(charts) >= 3 and all(s.lstrip().startswith("<svg") for s in svgs)
    # The NPS shown is the Overview's NPS, with its n, under the filters used.
    assert report.sections[0].key == "headline"
    assert f"NPS is {format_number(ov.nps.score, 'en', sign=True)}" in page
    assert f"n = {ov.nps.n:,}" in page and "Segment: SMB" in page
    # The headline table holds exactly the page's number.
    headline = report.sections[0].table
    assert headline.iloc[0]["Score"] == ov.nps.score and headline.iloc[0]["n"] == ov.nps.n


def test_pptx_report_opens_with_one_slide_per_section_and_footer(ws):
    report = build_report(ws, SMB, lang="en")
    texts = _section_texts(_slide_texts(render_pptx(report)))
    assert len(texts) == 1 + len(report.sections)
    assert [text.split("\n", 1)[0] for text in texts[1:]] == [section.title for section in report.sections]
    ov = overview(ws, SMB)
    for text in texts:  # every slide states the filters, the data date and the n
        assert "Segment: SMB" in text and report.data_date in text and "n = " in text
    assert f"n = {ov.nps.n:,}" in texts[1] and format_number(ov.nps.score, "en", sign=True) in texts[1]
    deck = Presentation(io.BytesIO(render_pptx(report)))
    pictures = sum(1 for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13)
    assert pictures == sum(1 for s in report.sections if s.chart)


def test_group_sections_match_scores_by_group(ws):
    sections = {s.key: s for s in build_sections(ReportContext(ws, Filters(), "en"), OVERVIEW_SECTIONS)}
    groups = scores_by_group(ws, "segment")
    table = sections["by_segment"].table
    assert list(table["NPS"]) == [g.nps.score for g in groups]
    assert list(table["n"]) == [g.nps.n for g in groups]
    assert sections["by_segment"].n == overview(ws).nps.n


def test_small_groups_are_flagged_not_ranked(ws):
    # One industry inside SMB is small: it must be flagged and listed last, and the chart greys it.
    ctx = ReportContext(ws, Filters.make(region=["Kansai"]), "en", min_n=200)
    from cx_core.report import group_section

    section = group_section(ctx, "by_industry", "industry", "dim.industry")
    flags = list(section.table["Small sample"])
    assert any(flags) and flags == sorted(flags)  # False (ranked) first, then True (flagged)
    kinds = [v["kind"] for v in section.chart["data"]["values"]]
    assert "small" in kinds and section.notes


def test_report_in_japanese_formats_dates_and_escapes_text(ws):
    report = build_report(ws, lang="ja")
    page = render_html(report).decode("utf-8")
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", report.data_date)
    assert "データ基準日" in page and "全回答" in page
    assert any("セグメント別NPS" in svg for svg in _svgs(page))


def test_user_text_is_escaped_in_html(ws):
    hostile = Section("x", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", 1, "f")
    report = build_report(ws, lang="en", prebuilt=[hostile])
    page = render_html(report).decode("utf-8")
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_adding_a_section_is_one_function(ws):
    @section_builder("test_extra")
    def extra(ctx: ReportContext) -> Section:
        return Section("test_extra", ctx.title("Extra finding", 7), "Extra finding", 7, ctx.filters_text)

    try:
        report = build_report(ws, lang="en", sections=["headline", "test_extra"])
        assert [s.key for s in report.sections] == ["headline", "test_extra"]
        assert "Extra finding (n = 7" in render_html(report).decode("utf-8")
    finally:
        SECTION_BUILDERS.pop("test_extra")


@pytest.mark.parametrize("suffix", ["html", "pptx"])
def test_cli_report(tmp_path, suffix):
    out = tmp_path / f"report.{suffix}"
    result = subprocess.run(
        [sys.executable, "-m", "cx_core", "report", "--survey", "sample_data/survey.csv", "--crm",
         "sample_data/crm.csv", "--out", str(out), "--lang", "ja", "--as-of", "2026-10-01"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = json.loads(result.stdout)
    new = ["segments", "trend", "drivers", "needs", "moments", "themes", "accounts", "follow_up"]
    assert written["as_of"] == "2026-10-01" and set(new) <= set(written["sections"])
    data = out.read_bytes()
    if suffix == "html":
        page = data.decode("utf-8")
        assert "顧客体験" in page and "data:image/svg+xml;base64," in page
        assert all(f'<section id="{key}">' in page for key in new)
        assert "リスクのあるARR" in page and "基準日 2026年10月1日" in page
    else:
        texts = _section_texts(_slide_texts(data))
        assert "顧客体験" in texts[0] and len(texts) == 1 + len(written["sections"])
        assert any("最大の要因" in text for text in texts)


def test_cli_report_rejects_unknown_format(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cx_core", "report", "--survey", "sample_data/survey.csv", "--out",
         str(tmp_path / "r.txt")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2 and "must end in .html or .pptx" in result.stderr
    assert "Traceback" not in result.stderr
