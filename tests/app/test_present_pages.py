"""AppTest: presenter mode, the language switch and link state, and the export widgets on the pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import sample_response_count

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_app(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _keys(at: AppTest, kind: str) -> set[str]:
    return {w.key for w in at.get(kind) if getattr(w, "key", None)}


def test_presenter_mode_shows_one_insight_per_screen():
    at = open_app()
    assert at.metric, "normal mode shows the score cards"
    at.toggle(key="presenter_mode").set_value(True).run()
    assert not at.exception
    assert at.query_params["present"] == "1"
    # the cards and all sections are replaced by one screen: the headline's scores as big numbers
    assert [m.label for m in at.metric] == ["NPS", "CSAT", "CES"] and not at.dataframe
    first = at.header[0].value
    assert at.button(key="overview_previous").disabled and not at.button(key="overview_next").disabled
    assert "1 of 5" in " ".join(m.value for m in at.markdown)
    assert f"n = {sample_response_count():,}" in " ".join(c.value for c in at.caption)  # the title states n and filters
    at.button(key="overview_next").click().run()
    assert at.header[0].value != first and at.query_params["slide"] == "2"
    assert "2 of 5" in " ".join(m.value for m in at.markdown)
    at.switch_page("app_pages/data.py")
    at.run()
    assert at.session_state["presenter_mode"] is True and at.button(key="presenter_exit")
    at.switch_page("app_pages/overview.py")
    at.run()
    at.button(key="presenter_exit").click().run()
    assert not at.exception and at.metric and "present" not in at.query_params


def test_presenter_mode_and_slide_from_the_link():
    at = open_app(present="1", slide="4")
    assert at.session_state["presenter_mode"] is True
    assert "4 of 5" in " ".join(m.value for m in at.markdown)
    assert at.button(key="presenter_exit")


def test_presenter_mode_hides_controls_with_css_only():
    at = open_app(present="1")
    styles = [h.proto.body for h in at.get("html")]
    assert any('section[data-testid="stSidebar"]' in body and "display: none" in body for body in styles)


def test_language_switch_updates_labels_and_link():
    at = open_app()
    assert at.title[0].value == "Overview"
    at.radio(key="app_language").set_value("ja").run()
    assert at.title[0].value == "概要" and at.query_params["lang"] == "ja"
    captions = " ".join(c.value for c in at.caption)
    assert "年" in captions and "日" in captions  # dates written the Japanese way
    at.switch_page("app_pages/data.py")
    at.run()
    assert at.title[0].value == "データ"


def test_language_from_the_link():
    at = open_app(lang="ja")
    assert at.title[0].value == "概要" and at.radio(key="app_language").value == "ja"


def test_language_defaults_to_the_browser(monkeypatch):
    import ui.widgets.presenter

    monkeypatch.setattr(ui.widgets.presenter, "_browser_language", lambda: "ja")
    at = open_app()
    assert at.title[0].value == "概要"
    at.radio(key="app_language").set_value("en").run()  # only the first run follows the browser
    assert at.title[0].value == "Overview"


def test_overview_offers_chart_table_and_report_exports():
    at = open_app()
    keys = _keys(at, "download_button")
    assert {"overview_report_html", "overview_report_pptx"} <= keys
    for section in ("nps_split", "nps_distribution", "by_segment", "by_role"):
        assert f"overview_dl_chart_{section}_png" in keys and f"overview_dl_chart_{section}_svg" in keys
        assert f"overview_dl_table_{section}_csv" in keys and f"overview_dl_table_{section}_xlsx" in keys


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_data_page_offers_workspace_save_and_open(lang):
    at = open_app("app_pages/data.py", lang=lang)
    assert "data_workspace_download" in _keys(at, "download_button")
    assert not at.error
