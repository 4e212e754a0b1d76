"""AppTest: two periods compared on the Overview (scores) and the Themes page (theme shares), the
figures those of the core, every difference stated with its clustered test, in English and Japanese."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from cx_core.cells import ColumnKind, format_cell
from cx_core.segments import compare_periods, latest_quarters
from tests.helpers import shown_number

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_page(page: str | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    if lang != "en":
        at.radio(key="app_language").set_value(lang).run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_overview_compares_the_latest_quarter_with_the_one_before_as_the_core_does(ws):
    at = open_page()
    a, b = latest_quarters(ws)
    expected = compare_periods(ws, a, b, min_n=30)
    table = table_with(at, "Reading").set_index("Measure")
    assert list(table.index) == ["NPS", "CSAT", "CES"]
    # written as every edge writes them (cx_core.cells.format_cell): counts grouped, NPS in whole points
    assert table.loc["NPS", "n A"] == format_cell(expected.scores_a.nps.n, ColumnKind.COUNT, "en")
    assert table.loc["NPS", "n B"] == format_cell(expected.scores_b.nps.n, ColumnKind.COUNT, "en")
    nps_a = table.loc["NPS"].filter(like="A: ").iloc[0]
    assert nps_a == format_cell(expected.scores_a.nps.score, ColumnKind.NPS, "en")
    readings = set(table["Reading"])
    assert readings <= {"clear difference at 95%", "no clear difference: could be chance"}
    captions = " ".join(c.value for c in at.caption)
    assert "the quarter of the latest answer in the data" in captions  # the guess is shown as a guess
    notes = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
    assert "clustered in accounts" in notes and "Holm" in notes


def test_two_date_ranges_and_a_period_too_small_to_test():
    at = open_page()
    at.radio(key="overview_periods_mode").set_value("ranges").run()
    first = at.date_input(key="overview_periods_a").value[0]
    import datetime as dt

    at.date_input(key="overview_periods_a").set_value((first, first + dt.timedelta(days=2))).run()
    assert not at.exception, [e.value for e in at.exception]
    table = table_with(at, "Reading").set_index("Measure")
    assert table.loc["NPS", "Reading"] == "not tested: a period has fewer than 30 answers"
    assert shown_number(table.loc["NPS", "n A"]) < 30


def test_japanese_words():
    at = open_page(lang="ja")
    table = table_with(at, "判定")
    assert set(table["判定"]) <= {"95%で明確な差", "明確な差なし（偶然の範囲）"}
    assert "ホルム補正" in " ".join(table.columns)


def test_themes_page_compares_theme_shares_of_two_periods_with_clustered_tests():
    at = open_page("app_pages/themes.py")
    table = table_with(at, "A − B (points)")
    assert len(table) >= 3 and table.filter(like="A: ").iloc[:, 0].map(shown_number).between(0, 100).all()
    assert set(table["Reading"]) <= {
        "clear difference at 95%",
        "no clear difference: could be chance",
        "not tested: a period has fewer than 30 answers",
    }
    notes = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "twenty comments of one account are one account's view" in notes
