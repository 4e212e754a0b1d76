"""The HTML writer: one self-contained file, every piece of text escaped, no scripts.

Charts are embedded as ``<img src="data:image/svg+xml;base64,...">``: an SVG inside an ``img`` is
inert (browsers never run scripts or load resources from it), and stays sharp when printed.
"""

from __future__ import annotations

import base64
import html
import logging

from ..messages import t
from .charts import FONT_STACK, chart_svg
from .sections import section_cells

MAX_REPORT_ROWS = 25  # longer tables are cut in HTML (the full table is in the CSV/XLSX export)

log = logging.getLogger("cx_core.report")

_CSS = """
body { font-family: %(font)s; margin: 2rem auto; max-width: 1100px; color: #212121; line-height: 1.5; }
header { border-bottom: 3px solid #1f5fa8; margin-bottom: 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 0 0 .4rem; }
.meta { color: #555; margin: .2rem 0; }
section { page-break-inside: avoid; border: 1px solid #ddd; border-radius: 8px; padding: 1.2rem; margin: 0 0 1.5rem; }
.finding { font-size: 1.1rem; margin: .3rem 0 .8rem; }
.chart img { max-width: 100%%; height: auto; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .95rem; }
th, td { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; white-space: pre-line; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note, footer { color: #666; font-size: .9rem; }
"""


def _table(section, lang: str) -> str:
    columns, rows = section_cells(section, lang, MAX_REPORT_ROWS)
    head = "".join(f"<th>{html.escape(c.header)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = [
            ('<td class="num">' if column.numeric else "<td>") + html.escape(text) + "</td>"
            for column, text in zip(columns, row, strict=True)
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    total = len(section.table)
    if total > len(rows):
        more = f'<p class="note">{html.escape(t("present.rows_cut", lang, shown=len(rows), total=total))}</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _chart(spec: dict, title: str, lang: str) -> str:
    try:
        svg = chart_svg(spec)
    except Exception as exc:  # noqa: BLE001 - a chart that cannot render must not lose the report
        log.warning("chart rendering failed: %s", type(exc).__name__)
        return f'<p class="note">{html.escape(t("present.chart_failed", lang))}</p>'
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<div class="chart"><img alt="{html.escape(title)}" src="data:image/svg+xml;base64,{encoded}"></div>'


def render(report) -> bytes:
    lang = report.lang
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(report.title)}</title>",
        f"<style>{_CSS % {'font': FONT_STACK}}</style></head><body>",
        f"<header><h1>{esc(report.title)}</h1>",
        f'<p class="meta">{esc(report.footer())}</p>',
        f'<p class="meta">{esc(t("present.generated", lang, date=report.generated))}</p></header>',
    ]
    for section in report.sections:
        parts.append(f'<section id="{esc(section.key)}">')
        parts.append(f"<h2>{esc(section.title)}</h2>")
        parts.append(f'<p class="finding">{esc(section.finding)}</p>')
        if section.chart:
            parts.append(_chart(section.chart, section.title, lang))
        if section.has_table:
            parts.append(_table(section, lang))
        for note in section.notes:
            parts.append(f'<p class="note">{esc(note)}</p>')
        parts.append(f"<footer>{esc(report.footer(section))}</footer></section>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")
