"""Report table cells (HTML and PPTX): NPS as a whole number, missing as a dash, never "None"/"nan"."""

from __future__ import annotations

import pandas as pd

from cx_core.report._cells import cell_text, column_digits
from cx_core.report._html import _table


def test_nps_and_its_interval_are_whole_numbers_other_means_keep_their_decimals():
    columns = ["Group", "NPS", "95% CI low", "95% CI high", "CSAT mean (1-5)", "95% CI low "]
    assert column_digits(columns) == [None, 0, 0, 0, None, None]
    assert cell_text(23.17, "en", 0) == "23" and cell_text(3.4167, "en") == "3.4"


def test_missing_values_are_a_dash():
    assert cell_text(None, "en") == "—" and cell_text(float("nan"), "ja", 0) == "—"


def test_the_html_table_writes_nps_without_decimals():
    frame = pd.DataFrame({"Group": ["SMB"], "NPS": [-13.94], "95% CI low": [-17.5], "n": [1800]})
    html = _table(frame, "en")
    assert ">-14<" in html and ">-18<" in html and "13.9" not in html and "None" not in html
