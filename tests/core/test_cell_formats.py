"""One cell formatter (cx_core.cells.format_cell): each kind written one way, in English and Japanese,
and every cell of every default report section the same string on the page, in the HTML report and
in the PPTX."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation

from cx_core.cells import Column, ColumnKind, format_cell
from cx_core.report import DEFAULT_SECTIONS, build_report, render_html, render_pptx, section_cells
from ui.widgets.render import section_frame

K = ColumnKind


@pytest.mark.parametrize(
    ("value", "kind", "lang", "text"),
    [
        # NPS: whole, signed points (an NPS of 23.17 claims a precision a survey does not have)
        (12.4, K.NPS, "en", "+12"),
        (-13.94, K.NPS, "ja", "-14"),
        (-0.4, K.NPS, "en", "0"),  # never "-0" nor "+0"
        (np.float64(23.5), K.NPS, "ja", "+24"),
        # mean ratings: two decimals; their differences signed
        (4.266, K.SCORE, "en", "4.27"),
        (3.0, K.SCORE, "ja", "3.00"),
        (-0.347, K.SCORE_CHANGE, "en", "-0.35"),
        (0.1, K.SCORE_CHANGE, "ja", "+0.10"),
        # shares (0-100): whole percent, one decimal below 10% where it tells groups apart
        (45.2, K.SHARE, "en", "45%"),
        (4.7, K.SHARE, "ja", "4.7%"),
        (5.0, K.SHARE, "en", "5.0%"),
        (9.96, K.SHARE, "ja", "10%"),
        (0.0, K.SHARE, "en", "0%"),
        (99.96, K.SHARE, "en", "100%"),
        # counts and money: thousands grouped with a comma in both languages
        (1234, K.COUNT, "en", "1,234"),
        (np.int64(13612), K.COUNT, "ja", "13,612"),
        (1454300.0, K.MONEY, "ja", "1,454,300"),
        (3.4167, K.NUMBER, "en", "3.4"),
        (0.00002, K.P_VALUE, "en", "< 0.001"),
        (0.0123, K.P_VALUE, "ja", "0.012"),
        # yes/no, dates, codes, text
        (True, K.FLAG, "en", "✓"),
        (np.bool_(False), K.FLAG, "ja", ""),
        (None, K.FLAG, "en", ""),
        (dt.date(2026, 10, 1), K.DATE, "en", "1 Oct 2026"),
        (pd.Timestamp("2026-10-01"), K.DATE, "ja", "2026年10月1日"),
        ("2026-10-01", K.DATE, "ja", "2026年10月1日"),
        ("mid-market", K.CODE, "ja", "中堅企業"),
        ("Order delivery (use)", K.CODE, "en", "Order delivery (Use)"),
        ("中堅企業", K.CODE, "ja", "中堅企業"),  # a code already worded stays as it is
        ("ACC-0111", K.CODE, "en", "ACC-0111"),
        ("use", K.TEXT, "en", "use"),  # text from people is never reworded
    ],
)
def test_each_kind_is_written_one_way(value, kind, lang, text):
    assert format_cell(value, kind, lang) == text


@pytest.mark.parametrize("kind", [k for k in K if k is not K.FLAG])
@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_values_are_a_dash_never_none_or_nan(kind, missing):
    assert format_cell(missing, kind, "en") == "—" and format_cell(missing, kind, "ja") == "—"


def test_text_in_a_numeric_column_is_shown_as_it_is():
    assert format_cell("—", K.NPS, "en") == "—" and format_cell("n/a", K.SHARE, "ja") == "n/a"


def test_a_column_of_measures_writes_each_row_as_its_own_kind():
    column = Column("Score", K.SCORE, row_kinds=(K.NPS, K.SCORE, K.SCORE))
    assert [format_cell(v, column.kind_at(i), "en") for i, v in enumerate([23.4, 4.1234, 5.5, 3.0])] == [
        "+23",
        "4.12",
        "5.50",
        "3.00",
    ]
    assert column.numeric and not Column("Group", K.CODE).numeric


# --- the same cell on the page, in the HTML report and in the PPTX ---------------------------------


class _HtmlTables(HTMLParser):
    """The header and cell texts of each ``<section id=...>``'s table, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.sections.append((dict(attrs)["id"], [], []))
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            _, header, rows = self.sections[-1]
            if header:
                rows.append(self._row)
            else:
                header.extend(self._row)
            self._row = None


def _pptx_tables(deck_bytes: bytes) -> list[tuple[str, list[str], list[list[str]]]]:
    """(the slide's headline, the table's header, its rows) of every slide with a table."""
    deck = Presentation(io.BytesIO(deck_bytes))
    tables = []
    for slide in deck.slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        for shape in slide.shapes:
            if shape.has_table:
                grid = [[cell.text for cell in row.cells] for row in shape.table.rows]
                tables.append((texts[0], grid[0], grid[1:]))
    return tables


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_cell_reads_the_same_on_the_page_in_html_and_in_pptx(ws, lang):
    report = build_report(ws, lang=lang, sections=DEFAULT_SECTIONS)
    sections = [s for s in report.sections if s.has_table]
    assert {s.key for s in sections} >= {"headline", "by_segment", "segments", "drivers", "moments", "accounts"}
    html_tables = _HtmlTables()
    html_tables.feed(render_html(report).decode("utf-8"))
    in_html = {key: (header, rows) for key, header, rows in html_tables.sections if header}
    in_pptx: dict[str, tuple[list[str], list[list[str]]]] = {}
    for headline, header, rows in _pptx_tables(render_pptx(report)):
        in_pptx.setdefault(headline, (header, rows))
    compared = 0
    for section in sections:
        page = section_frame(section, lang)
        page_rows = page.astype(str).values.tolist()
        columns, _ = section_cells(section, lang)
        headers = [c.header for c in columns]
        # the page's money headers say their currency (a session setting the files do not know)
        assert [h for h, c in zip(page.columns, columns, strict=True) if c.kind is not ColumnKind.MONEY] == [
            c.header for c in columns if c.kind is not ColumnKind.MONEY
        ]
        for edge, (header, rows) in (("html", in_html[section.key]), ("pptx", in_pptx[section.title])):
            assert header == headers, (edge, section.key)
            assert 0 < len(rows) <= len(page_rows), (edge, section.key)  # reports cut long tables, never add
            for i, row in enumerate(rows):
                assert row == page_rows[i], (edge, section.key, i)
                compared += len(row)
    assert compared > 300  # every section's cells, twice


def test_the_page_shows_no_raw_number_code_or_none(ws):
    report = build_report(ws, lang="ja", sections=DEFAULT_SECTIONS)
    for section in report.sections:
        if not section.has_table:
            continue
        frame = section_frame(section, "ja")
        text = " ".join(frame.astype(str).values.ravel())
        assert not re.search(r"\bNone\b|\bnan\b|\d\.\d{3,}", text), section.key  # no 6.17xxx, no None
        for column, header in zip(section_cells(section, "ja")[0], frame.columns, strict=True):
            for i, value in enumerate(frame[header]):
                if column.kind_at(i) is ColumnKind.NPS:  # whole signed points
                    assert re.fullmatch(r"[+-]?[\d,]+|—", value), (section.key, header, value)
