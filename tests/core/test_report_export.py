"""Chart and table exports: Japanese renders as glyphs (not boxes), spreadsheets cannot run formulas."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from cx_core.export import neutralise_cell
from cx_core.export import to_csv_bytes as table_csv
from cx_core.export import to_xlsx_bytes as table_xlsx
from cx_core.messages import catalogue
from cx_core.report import chart_png, chart_svg, ensure_fonts
from cx_core.report.charts import FONT_DIR, horizontal_bars

JAPANESE = ["推奨者", "批判者", "経営層", "購買担当"]


def _spec(labels: list[str], title: str) -> dict:
    return horizontal_bars(
        [{"label": label, "value": 10 * (i + 1)} for i, label in enumerate(labels)],
        title=title,
        x_title="NPS",
        y_title="",
    )


def test_shipped_font_is_registered():
    assert (FONT_DIR / "CXSansJP-Regular.otf").is_file() and (FONT_DIR / "OFL.txt").is_file()
    assert ensure_fonts() is True


def test_svg_keeps_japanese_text():
    svg = chart_svg(_spec(JAPANESE, "役割別NPS"))
    assert svg.lstrip().startswith("<svg") and "役割別NPS" in svg
    assert all(label in svg for label in JAPANESE)
    assert "CX Sans JP" in svg  # the text asks for the shipped font


def test_png_draws_japanese_glyphs_not_boxes():
    # Private-use characters have no glyph anywhere: they render as the "tofu" box. Japanese labels
    # of the same length must render differently, i.e. as real glyphs.
    real = Image.open(io.BytesIO(chart_png(_spec(JAPANESE, "役割別NPS"))))
    tofu_labels = ["\ue000" * len(label) for label in JAPANESE]
    tofu = Image.open(io.BytesIO(chart_png(_spec(tofu_labels, "\ue000" * 6))))
    assert real.format == "PNG"
    differs = real.size != tofu.size or ImageChops.difference(real.convert("RGB"), tofu.convert("RGB")).getbbox()
    assert differs


def test_shipped_font_covers_every_japanese_message():
    font = ImageFont.truetype(str(FONT_DIR / "CXSansJP-Regular.otf"), 24)

    def bitmap(ch: str) -> bytes:
        image = Image.new("L", (40, 40))
        ImageDraw.Draw(image).text((4, 4), ch, font=font, fill=255)
        return image.tobytes()

    notdef = bitmap("\ue000")
    assert bitmap("推") != notdef
    text = {ch for texts in catalogue().values() for ch in texts["ja"] if not ch.isspace() and ch.isprintable()}
    missing = sorted(ch for ch in text if bitmap(ch) == notdef)
    assert not missing, f"characters without a glyph in the shipped font: {''.join(missing[:40])}"


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_cells_are_neutralised(dangerous):
    assert neutralise_cell(dangerous) == "'" + dangerous
    frame = pd.DataFrame({"comment": [dangerous, "fine"], "nps": [-12, 5]})
    csv_text = table_csv(frame).decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith(("'", "\"'"))
    sheet = openpyxl.load_workbook(io.BytesIO(table_xlsx(frame))).active
    assert sheet["A2"].value == "'" + dangerous and sheet["A3"].value == "fine"
    assert sheet["B2"].value == -12  # numbers stay numbers


def test_csv_has_bom_for_excel_and_keeps_japanese():
    data = table_csv(pd.DataFrame({"役割": ["経営層"], "n": [3]}))
    assert data.startswith(b"\xef\xbb\xbf") and "経営層" in data.decode("utf-8-sig")
