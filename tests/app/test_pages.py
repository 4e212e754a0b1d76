"""AppTest smoke tests: every page renders on the sample data without an exception."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["app_pages/overview.py", "app_pages/data.py"]


def open_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(page):
    at = open_app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_overview_shows_key_figures():
    at = open_app()
    metrics = {m.label: m.value for m in at.metric}
    assert "NPS" in metrics and metrics["NPS"].startswith(("+", "-"))
    captions = " ".join(c.value for c in at.caption)
    assert "n = 4," in captions and "95% CI" in captions


def test_segment_filter_changes_nps():
    at = open_app()
    before = {m.label: m.value for m in at.metric}["NPS"]
    at.multiselect(key="sidebar_segment").set_value(["SMB"]).run()
    after = {m.label: m.value for m in at.metric}["NPS"]
    assert before != after and after.startswith("-")


def test_language_switch_to_japanese():
    at = open_app()
    at.radio(key="app_language").set_value("ja").run()
    assert at.title[0].value == "概要"
