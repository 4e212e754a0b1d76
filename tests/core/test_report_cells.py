"""Report table cells (HTML and PPTX) come from the kinds a section declares, never from header text:
NPS as a whole number in any language, missing as a dash, never "None"/"nan"."""

from __future__ import annotations

import pytest

from cx_core.cells import ColumnKind as K
from cx_core.report import Section, section_cells
from cx_core.report._html import _table
from cx_core.report.sections import typed_table


def _groups(lang_headers: tuple[str, str, str, str]) -> Section:
    group, nps, low, mean = lang_headers
    table, columns = typed_table(
        (group, K.CODE, ["smb", "mid-market"]),
        (nps, K.NPS, [-13.94, 23.17]),
        (low, K.NPS, [-17.5, None]),
        (mean, K.SCORE, [3.4167, float("nan")]),
        ("n", K.COUNT, [1800, 2410]),
        ("small", K.FLAG, [False, False]),
    )
    return Section("groups", "t", "f", 4210, "all", table, columns=columns)


@pytest.mark.parametrize(
    ("lang", "headers"),
    [
        ("en", ("Group", "NPS", "95% CI low", "CSAT mean (1-5)")),
        # Japanese headers carry no "NPS" or "CI" for a guess to find: the kinds decide
        ("ja", ("グループ", "推奨度", "95%区間 下限", "平均")),
    ],
)
def test_nps_and_its_interval_are_whole_numbers_means_keep_two_decimals(lang, headers):
    columns, rows = section_cells(_groups(headers), lang)
    assert [c.header for c in columns] == [*headers, "n"]  # an empty yes/no column says nothing
    assert rows[0][1:] == ["-14", "-18", "3.42", "1,800"] and rows[1][1:] == ["+23", "—", "—", "2,410"]
    assert rows[0][0] == ("SMB" if lang == "en" else "中小企業")


def test_a_table_that_does_not_declare_its_columns_is_refused():
    table, columns = typed_table(("Group", K.TEXT, ["a"]), ("NPS", K.NPS, [1.0]))
    with pytest.raises(ValueError):
        Section("x", "t", "f", 1, "all", table, columns=columns[:1])


def test_the_html_table_writes_nps_without_decimals_and_aligns_numbers():
    html = _table(_groups(("Group", "NPS", "95% CI low", "Mean")), "en")
    assert '<td class="num">-14</td>' in html and ">-18<" in html and "13.9" not in html and "None" not in html
    assert "<td>SMB</td>" in html
