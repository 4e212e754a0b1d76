"""The PPTX writer: a title slide, then one 16:9 slide per section (chart, table, footer line)."""

from __future__ import annotations

import io
import logging

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from ..messages import t
from ._cells import cell_text, column_digits
from .charts import chart_png

log = logging.getLogger("cx_core.report")

MAX_SLIDE_ROWS = 12  # a projector cannot show more rows legibly; the exports hold the rest


def _text(slide, left, top, width, height, text: str, size: int, *, bold: bool = False, colour=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    return box


def _table(slide, frame, lang: str, left, top, width, height) -> None:
    shown = frame.head(MAX_SLIDE_ROWS)
    rows, cols = len(shown) + 1, len(shown.columns)
    table = slide.shapes.add_table(rows, cols, left, top, width, Emu(min(height, Inches(0.4) * rows))).table
    for j, column in enumerate(shown.columns):
        table.cell(0, j).text = str(column)
    digits = column_digits(shown.columns)
    for i, record in enumerate(shown.itertuples(index=False), start=1):
        for j, value in enumerate(record):
            table.cell(i, j).text = cell_text(value, lang, digits[j])
    for i in range(rows):
        for j in range(cols):
            for paragraph in table.cell(i, j).text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(12)


def render(report) -> bytes:
    from pptx.dml.color import RGBColor

    grey = RGBColor(0x55, 0x55, 0x55)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]
    width = deck.slide_width - Inches(1)

    slide = deck.slides.add_slide(blank)
    _text(slide, Inches(0.5), Inches(2.3), width, Inches(1.2), report.title, 40, bold=True)
    _text(slide, Inches(0.5), Inches(3.6), width, Inches(1.2), report.footer(), 18, colour=grey)
    _text(
        slide,
        Inches(0.5),
        Inches(4.6),
        width,
        Inches(0.6),
        t("present.generated", report.lang, date=report.generated),
        14,
        colour=grey,
    )

    for section in report.sections:
        slide = deck.slides.add_slide(blank)
        _text(slide, Inches(0.5), Inches(0.3), width, Inches(1.0), section.title, 24, bold=True)
        _text(slide, Inches(0.5), Inches(1.3), width, Inches(0.6), section.finding, 16)
        has_table = section.table is not None and not section.table.empty
        body_top, body_height = Inches(2.0), Inches(4.6)
        picture_width = Inches(7.4) if has_table else width
        if section.chart:
            try:
                image = chart_png(section.chart)
                picture = slide.shapes.add_picture(io.BytesIO(image), Inches(0.5), body_top, width=picture_width)
                if picture.height > body_height:  # tall charts (many groups): fit the height instead
                    ratio = body_height / picture.height
                    picture.height, picture.width = int(body_height), int(picture.width * ratio)
            except Exception as exc:  # noqa: BLE001 - keep the slide with its numbers
                log.warning("chart rendering failed: %s", type(exc).__name__)
                _text(
                    slide, Inches(0.5), body_top, picture_width, Inches(0.6), t("present.chart_failed", report.lang), 14
                )
        if has_table:
            left = Inches(8.1) if section.chart else Inches(0.5)
            table_width = deck.slide_width - left - Inches(0.5)
            _table(slide, section.table, report.lang, left, body_top, table_width, body_height)
        footer = report.footer(section)
        if section.notes:
            footer = " ".join(section.notes) + "  " + footer
        _text(slide, Inches(0.5), Inches(6.8), width, Inches(0.5), footer, 11, colour=grey)

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
