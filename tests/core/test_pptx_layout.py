"""Issue 21: the PPTX report checked shape by shape, for the sample (EN, JA) and a real export layout.

On every slide: nothing outside the slide and no two shapes on top of each other; the headline said
once (not again as a subtitle or inside the chart image); text boxes tall enough for their text; tables
whose rows (grown by wrapping) fit, with a note when rows are cut; no text under 12 pt (table cells and
footnotes included); the footnote starts and ends on the slide.

Text is measured with :func:`cx_core.report.charts.wrap_text`, the generous estimate every chart
title and label is wrapped with (an over-estimate of the width of each character).
"""

from __future__ import annotations

import io
import math

import pytest
from pptx import Presentation
from pptx.util import Inches, Pt

from cx_core import Workspace, load_inputs
from cx_core.ingest import read_table, suggest_mapping
from cx_core.messages import t
from cx_core.report import _pptx, build_report, render_pptx
from cx_core.report.charts import title_lines, wrap_text
from tests.real_layouts import product_nps

MIN_PT = 12  # readable from the back of a room: table cells and footnotes included
EMU_PER_PT = 12700


@pytest.fixture(scope="module")
def sample_ws(sample_loaded):
    workspace = Workspace.from_loaded(sample_loaded)
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def product_ws():
    data = product_nps()
    mapping = suggest_mapping(read_table(data, "product_nps.csv"), "survey")
    workspace = Workspace.from_loaded(load_inputs(data, "product_nps.csv", survey_mapping=mapping))
    yield workspace
    workspace.close()


def _deck(ws, lang):
    """The deck, and the chart specs drawn into its pictures (to read the text inside the images)."""
    drawn: list[dict] = []
    real = _pptx.chart_png

    def recording(spec, **kwargs):
        drawn.append(spec)
        return real(spec, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_pptx, "chart_png", recording)
        report = build_report(ws, lang=lang)
        return report, Presentation(io.BytesIO(render_pptx(report))), drawn


@pytest.fixture(scope="module")
def sample_decks(sample_ws):
    return {lang: _deck(sample_ws, lang) for lang in ("en", "ja")}


def _saved(deck) -> bytes:
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _lines(text: str, width_emu: int, size: float, inset_emu: int) -> int:
    width_pt = (width_emu - inset_emu) / EMU_PER_PT
    return sum(len(wrap_text(part, width_pt, size)) for part in text.split("\n"))


def _runs(shape):
    frames = [shape.text_frame] if shape.has_text_frame else []
    if shape.has_table:
        frames = [cell.text_frame for row in shape.table.rows for cell in row.cells]
    for frame in frames:
        for paragraph in frame.paragraphs:
            yield from paragraph.runs


def _overlap(a, b) -> bool:
    return (
        a.left < b.left + b.width
        and b.left < a.left + a.width
        and a.top < b.top + b.height
        and b.top < a.top + a.height
    )


def _check_slide(slide, deck, section, lang) -> list[str]:
    problems: list[str] = []
    width, height = deck.slide_width, deck.slide_height
    shapes = list(slide.shapes)
    for shape in shapes:
        name = shape.text_frame.text[:40] if shape.has_text_frame else shape.shape_type
        if shape.left < 0 or shape.top < 0 or shape.left + shape.width > width or shape.top + shape.height > height:
            problems.append(f"outside the slide: {name}")
        for run in _runs(shape):
            if run.font.size is None or run.font.size < Pt(MIN_PT):
                problems.append(f"text under {MIN_PT} pt: {run.text[:40]!r}")
        if shape.has_text_frame:
            frame = shape.text_frame
            size = max((r.font.size.pt for r in _runs(shape) if r.font.size), default=18)
            inset = (frame.margin_left or 0) + (frame.margin_right or 0)
            need = Pt(_lines(frame.text, shape.width, size, inset) * size * 1.2)
            if need > shape.height:
                problems.append(
                    f"text taller than its box ({need / 914400:.2f} > {shape.height / 914400:.2f} in): {name}"
                )
        if shape.has_table:
            table = shape.table
            grown = 0
            for row in table.rows:
                need = 0
                for cell, column in zip(row.cells, table.columns, strict=True):
                    size = max((r.font.size.pt for p in cell.text_frame.paragraphs for r in p.runs), default=MIN_PT)
                    lines = _lines(cell.text, column.width, size, cell.margin_left + cell.margin_right)
                    need = max(need, Pt(lines * size * 1.2) + cell.margin_top + cell.margin_bottom)
                grown += max(row.height, need)
            if sum(c.width for c in table.columns) > shape.width + 12700:
                problems.append("table columns wider than the table")
            if shape.top + grown > height:
                problems.append(f"table rows run off the slide ({(shape.top + grown) / 914400:.2f} in)")
            shown = len(table.rows) - 1
            total = len(section.table)
            if shown < total and t("present.rows_cut", lang, shown=shown, total=total) not in _all_text(slide):
                problems.append(f"{total - shown} rows cut without a note")
            shape._grown = grown  # for the overlap check: a table is as tall as its grown rows
    for i, a in enumerate(shapes):
        for b in shapes[i + 1 :]:
            if _overlap(_grown(a), _grown(b)):
                problems.append(f"shapes overlap: {a.shape_type} / {b.shape_type}")
    footnote = max((s for s in shapes if s.has_text_frame), key=lambda s: s.top)
    if footnote.top + footnote.height > height:
        problems.append("footnote runs off the slide")
    return problems


class _Box:
    def __init__(self, shape):
        self.left, self.top, self.width = shape.left, shape.top, shape.width
        self.height = getattr(shape, "_grown", shape.height)


def _grown(shape) -> _Box:
    return _Box(shape)


def _all_text(slide) -> str:
    parts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
    return "\n".join([*parts, notes])


def _headline_once(slide, section, drawn_titles: set[str]) -> list[str]:
    finding = " ".join((section.finding or section.title).split())
    texts = [" ".join(s.text_frame.text.split()) for s in slide.shapes if s.has_text_frame]
    said = sum(text.count(finding) for text in texts)
    problems = [] if said == 1 else [f"headline said {said} times on the slide"]
    if any(finding[:30] in line or line in finding for line in drawn_titles if line.strip()):
        problems.append("headline drawn again inside the chart image")
    return problems


def _sections_by_slide(report, deck):
    """Each section's slides: those whose first shape is the section's headline, in order."""
    slides = list(deck.slides)[1:]
    out = []
    index = 0
    for section in report.sections:
        mine = []
        while index < len(slides) and slides[index].shapes[0].text_frame.text == section.title:
            mine.append(slides[index])
            index += 1
        assert mine, f"no slide for {section.key}"
        out.append((section, mine))
    assert index == len(slides), "slides that belong to no section"
    return out


def _check_deck(report, deck, drawn) -> list[str]:
    assert math.isclose(deck.slide_width / deck.slide_height, 16 / 9, rel_tol=0.01)
    problems = [f"title slide: {p}" for p in _title_slide(deck)]
    drawn_titles = {" ".join(line.split()) for spec in drawn for line in title_lines(spec)}
    assert len(drawn) == sum(1 for s in report.sections if s.chart)
    for section, slides in _sections_by_slide(report, deck):
        for number, slide in enumerate(slides, start=1):
            found = _check_slide(slide, deck, section, report.lang) + _headline_once(slide, section, drawn_titles)
            problems += [f"{section.key} slide {number}: {p}" for p in found]
    return problems


def _title_slide(deck) -> list[str]:
    slide = deck.slides[0]
    shapes = list(slide.shapes)
    return [
        "overlap"
        for i, a in enumerate(shapes)
        for b in shapes[i + 1 :]
        if _overlap(a, b) or a.top + a.height > deck.slide_height
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sample_deck_fits_shape_by_shape(sample_decks, lang):
    report, deck, drawn = sample_decks[lang]
    assert _check_deck(report, deck, drawn) == []
    # the segment x role table (12 rows and a header) stays whole on its slide
    crosstab = next(slides for section, slides in _sections_by_slide(report, deck) if section.key == "segments")
    assert any(
        len(s.shapes[i].table.rows) == 13 for s in crosstab for i in range(len(s.shapes)) if s.shapes[i].has_table
    )


def test_real_layout_deck_fits_shape_by_shape(product_ws):
    report, deck, drawn = _deck(product_ws, "en")
    assert len(report.sections) >= 3
    assert _check_deck(report, deck, drawn) == []


def test_the_old_layout_fails_these_checks(sample_decks):
    """The checks can fail: the old layout's footnote at 6.8 in of a 7.5 in slide, and its 13-row table
    at 2.0 in with 0.68 in columns (issue 21)."""
    report, shared, _ = sample_decks["en"]
    deck = Presentation(io.BytesIO(_saved(shared)))  # a copy: this test moves its shapes
    section, slides = next(pair for pair in _sections_by_slide(report, deck) if pair[0].key == "segments")
    slide = slides[0]
    footnote = max((s for s in slide.shapes if s.has_text_frame), key=lambda s: s.top)
    footnote.top = Inches(6.8)
    table = next(s for s in slide.shapes if s.has_table)
    table.top = Inches(2.0)
    for column in table.table.columns:
        column.width = Inches(0.68)
    problems = _check_slide(slide, deck, section, "en")
    assert any(p.startswith("outside the slide: NPS: Mid-market") for p in problems), problems
    assert any("rows run off" in p for p in problems), problems
