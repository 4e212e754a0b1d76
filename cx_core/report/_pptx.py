"""The PPTX writer: a title slide, then one 16:9 slide per section (headline, chart, table, footnote).

Every shape is placed by measuring its text (the generous estimate of :func:`charts.wrap_text`), so
nothing leaves the slide: the headline is said once (the chart is drawn without its own title), table
columns are as wide as their words, rows that do not fit are cut with a note, and a table too wide
to stand beside its chart gets a slide of its own under the same headline.
"""

from __future__ import annotations

import copy
import io
import logging
import re

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from ..messages import t
from .charts import chart_png, text_width, title_height, wrap_text
from .sections import section_cells

log = logging.getLogger("cx_core.report")

MAX_SLIDE_ROWS = 12  # a projector cannot show more rows legibly; the exports hold the rest
#: The smallest text on any slide (table cells and footnotes included): readable from the back of a room.
MIN_FONT_PT = 12
HEADLINE_PT = 24
SUBTITLE_PT = 16
TABLE_PT = MIN_FONT_PT
FOOTNOTE_PT = MIN_FONT_PT
LINE = 1.2  # line height, times the font size
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
GAP = Inches(0.15)
BOX_PAD = Inches(0.1)  # a text box's left+right inset (0.05 in each side, set on every box)
CELL_PAD = Inches(0.16)  # a table cell's left+right inset (0.08 in each side)
CELL_PAD_V = Inches(0.08)  # a table cell's top+bottom inset
MIN_CHART_W = Inches(5.5)  # a chart narrower than this is unreadable: its table moves to a slide of its own
MAX_COLUMN_W = Inches(3.2)  # wider cells wrap
#: A footnote taller than this moves to the speaker notes, leaving a pointer on the slide.
MAX_FOOTNOTE_H = Inches(1.7)


def _pt(length: int) -> float:
    return length / 12700  # EMU per point


def text_lines(text: str, width: int, size: float) -> int:
    """How many lines ``text`` takes in a box ``width`` EMU wide (inset included) at ``size`` pt."""
    return sum(len(wrap_text(part, max(_pt(width - BOX_PAD), 1.0), size)) for part in str(text).split("\n"))


def text_height(text: str, width: int, size: float) -> int:
    """The height (EMU) a text box needs for ``text`` at ``size`` pt, insets included."""
    return int(Pt(text_lines(text, width, size) * size * LINE)) + Inches(0.1)


def _text(slide, left, top, width, text: str, size: float, *, bold: bool = False, colour=None):
    box = slide.shapes.add_textbox(left, top, width, text_height(text, width, size))
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Inches(0.05)
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    return box


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text) if w] or [""]


def column_widths(header: list[str], rows: list[list[str]], available: int) -> list[int] | None:
    """Widths (EMU) that show every column's longest word whole, or ``None`` if they cannot fit ``available``.

    Each column starts as wide as its longest line (capped), and is narrowed toward its longest word
    when the table is too wide; Japanese text may break anywhere, so its floor is a few characters.
    """

    def floor(text: str, bold: bool) -> float:
        size = TABLE_PT * (1.08 if bold else 1.0)
        return max(min(text_width(w, size), text_width("あ" * 4, size)) for w in _words(text))

    natural, minimum = [], []
    for j, head in enumerate(header):
        cells = [r[j] for r in rows]
        want = max([text_width(head, TABLE_PT * 1.08) * 0.5] + [text_width(c, TABLE_PT) for c in cells])
        least = max([floor(head, True)] + [floor(c, False) for c in cells])
        natural.append(min(Pt(max(want, least)) + CELL_PAD, max(MAX_COLUMN_W, Pt(least) + CELL_PAD)))
        minimum.append(Pt(least) + CELL_PAD)
    if sum(minimum) > available:
        return None
    if sum(natural) <= available:
        return [int(w) for w in natural]
    # shrink the slack above each column's floor in proportion until the table fits
    slack = sum(natural) - sum(minimum)
    keep = (available - sum(minimum)) / slack if slack else 0
    return [int(m + (n - m) * keep) for n, m in zip(natural, minimum, strict=True)]


def row_height(cells: list[str], widths: list[int], *, bold: bool = False) -> int:
    size = TABLE_PT * (1.08 if bold else 1.0)
    lines = max(
        sum(len(wrap_text(part, max(_pt(w - CELL_PAD), 1.0), size)) for part in c.split("\n"))
        for c, w in zip(cells, widths, strict=True)
    )
    return int(Pt(lines * TABLE_PT * LINE)) + CELL_PAD_V


def _table_text(section, lang: str) -> tuple[list[str], list[list[str]]]:
    columns, rows = section_cells(section, lang)
    return [c.header for c in columns], rows


def _table_fit(header, rows, widths, height) -> tuple[list[int], int]:
    """Row heights of the header and of the first rows that fit ``height``."""
    heights = [row_height(header, widths, bold=True)]
    for row in rows[:MAX_SLIDE_ROWS]:
        h = row_height(row, widths)
        if sum(heights) + h > height:
            break
        heights.append(h)
    return heights, len(heights) - 1


def _draw_table(slide, header, rows, widths, heights, left, top) -> None:
    shown = rows[: len(heights) - 1]
    shape = slide.shapes.add_table(len(heights), len(header), left, top, Emu(sum(widths)), Emu(sum(heights)))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Emu(w)
    for i, h in enumerate(heights):
        table.rows[i].height = Emu(h)
    for i, values in enumerate([header, *shown]):
        for j, value in enumerate(values):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = CELL_PAD // 2
            cell.margin_top = cell.margin_bottom = CELL_PAD_V // 2
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(TABLE_PT)


def slide_chart(spec: dict) -> dict:
    """The chart as a slide shows it: without its title (the slide's headline says it once)."""
    out = copy.deepcopy(spec)
    head = out.pop("title", None)
    if isinstance(head, dict) and isinstance(out.get("height"), (int, float)):
        out["height"] = max(120, out["height"] - title_height(head))
    return out


def _picture(slide, image: bytes, left, top, width, height):
    picture = slide.shapes.add_picture(io.BytesIO(image), left, top, width=width)
    if picture.height > height:  # tall charts (many groups): fit the height instead
        ratio = height / picture.height
        picture.height, picture.width = int(height), int(picture.width * ratio)
    return picture


def render(report) -> bytes:
    from pptx.dml.color import RGBColor

    grey = RGBColor(0x55, 0x55, 0x55)
    lang = report.lang
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    blank = deck.slide_layouts[6]
    width = SLIDE_W - 2 * MARGIN

    slide = deck.slides.add_slide(blank)
    top = Inches(2.3)
    for text, size, bold in (
        (report.title, 40, True),
        (report.footer(), 18, False),
        (t("present.generated", lang, date=report.generated), 14, False),
    ):
        box = _text(slide, MARGIN, top, width, text, size, bold=bold, colour=None if bold else grey)
        top = box.top + box.height + GAP

    for section in report.sections:
        _section_slides(deck, blank, section, report, grey)

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _same(a: str, b: str) -> bool:
    return " ".join(b.split()).casefold() in " ".join(a.split()).casefold()


def _section_slides(deck, blank, section, report, grey) -> None:
    lang = report.lang
    width = SLIDE_W - 2 * MARGIN
    header: list[str] = []
    rows: list[list[str]] = []
    has_table = section.has_table
    if has_table:
        header, rows = _table_text(section, lang)
    notes = list(section.notes)

    def start(extra_notes: list[str]):
        """A slide with the headline (once), the finding if the headline does not already say it, and the
        footnote; returns the slide and the free band (top, bottom) between them."""
        slide = deck.slides.add_slide(blank)
        box = _text(slide, MARGIN, Inches(0.3), width, section.title, HEADLINE_PT, bold=True)
        top = box.top + box.height
        if section.finding and not _same(section.title, section.finding):
            box = _text(slide, MARGIN, top, width, section.finding, SUBTITLE_PT)
            top = box.top + box.height
        footnote = "  ".join([*extra_notes, report.footer(section)])
        if text_height(footnote, width, FOOTNOTE_PT) > MAX_FOOTNOTE_H:
            slide.notes_slide.notes_text_frame.text = footnote
            footnote = "  ".join([t("present.notes_moved", lang), report.footer(section)])
        foot_h = text_height(footnote, width, FOOTNOTE_PT)
        foot_top = SLIDE_H - Inches(0.2) - foot_h
        _text(slide, MARGIN, foot_top, width, footnote, FOOTNOTE_PT, colour=grey)
        return slide, top + GAP, foot_top - GAP

    def cut_note(shown: int) -> list[str]:
        return [t("present.rows_cut", lang, shown=shown, total=len(rows))] if shown < len(rows) else []

    image = None
    if section.chart:
        try:
            image = chart_png(slide_chart(section.chart))
        except Exception as exc:  # noqa: BLE001 - keep the slide with its numbers
            log.warning("chart rendering failed: %s", type(exc).__name__)
    chart_wanted = bool(section.chart)

    # Side by side when the table leaves the chart room enough; else the table gets a slide of its own.
    # (and only when it shows there as many rows as it would alone: long quotes are read full width)
    beside = None
    if chart_wanted and has_table:
        beside = column_widths(header, rows, width - MIN_CHART_W - GAP)
        if beside is not None:
            top0, bottom0 = _band(section, report, width, notes + cut_note(0))
            alone = column_widths(header, rows, width) or beside
            if _table_fit(header, rows, beside, bottom0 - top0)[1] < _table_fit(header, rows, alone, bottom0 - top0)[1]:
                beside = None

    if not chart_wanted or beside is not None:
        # one slide: chart (if any) on the left, table on the right (or alone, full width)
        widths = beside if beside is not None else column_widths(header, rows, width) if has_table else None
        if widths is None:  # too many columns even for the full width: equal shares (or no table)
            widths = [int(width / len(header))] * len(header) if header else []
        # the footnote depends on how many rows fit, which depends on the band: measure with the cut note
        slide_notes, shown = notes, 0
        if has_table:
            top0, bottom0 = _band(section, report, width, notes + cut_note(0))
            _, shown = _table_fit(header, rows, widths, bottom0 - top0)
            slide_notes = notes + cut_note(shown)
        slide, top, bottom = start(slide_notes)
        if has_table:
            heights = _table_fit(header, rows, widths, bottom - top)[0][: shown + 1]  # as many as the note says
            table_w = sum(widths)
            _draw_table(slide, header, rows, widths, heights, MARGIN + width - table_w, top)
            chart_w = width - table_w - GAP
        else:
            chart_w = width
        if chart_wanted:
            _chart_or_message(slide, image, MARGIN, top, chart_w, bottom - top, lang)
        return

    # chart slide, then the table under the same headline
    slide, top, bottom = start(notes)
    _chart_or_message(slide, image, MARGIN, top, width, bottom - top, lang)
    widths = column_widths(header, rows, width) or [int(width / len(header))] * len(header)
    top0, bottom0 = _band(section, report, width, cut_note(0))
    _, shown = _table_fit(header, rows, widths, bottom0 - top0)
    slide, top, bottom = start(cut_note(shown))
    heights = _table_fit(header, rows, widths, bottom - top)[0][: shown + 1]
    _draw_table(slide, header, rows, widths, heights, MARGIN, top)


def _band(section, report, width, extra_notes) -> tuple[int, int]:
    """The free band (top, bottom) a slide would have with ``extra_notes`` (a cut note is longest with
    0 rows shown, so rows measured against it fit whatever number the note ends up saying)."""
    top = Inches(0.3) + text_height(section.title, width, HEADLINE_PT)
    if section.finding and not _same(section.title, section.finding):
        top += text_height(section.finding, width, SUBTITLE_PT)
    footnote = "  ".join([*extra_notes, report.footer(section)])
    if text_height(footnote, width, FOOTNOTE_PT) > MAX_FOOTNOTE_H:
        footnote = "  ".join([t("present.notes_moved", report.lang), report.footer(section)])
    foot_top = SLIDE_H - Inches(0.2) - text_height(footnote, width, FOOTNOTE_PT)
    return top + GAP, foot_top - GAP


def _chart_or_message(slide, image, left, top, width, height, lang) -> None:
    if image is not None:
        _picture(slide, image, left, top, width, height)
    else:
        _text(slide, left, top, width, t("present.chart_failed", lang), 14)
