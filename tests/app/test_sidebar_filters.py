"""The sidebar filters are global: they survive switching pages (found by the browser e2e test)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_filters_survive_a_page_switch():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.multiselect(key="sidebar_segment").set_value(["SMB"]).run()
    filtered = {m.label: m.value for m in at.metric}["NPS"]
    at.switch_page("app_pages/data.py")
    at.run()
    assert at.multiselect(key="sidebar_segment").value == ["SMB"]
    at.switch_page("app_pages/overview.py")
    at.run()
    assert not at.exception
    assert at.multiselect(key="sidebar_segment").value == ["SMB"]
    assert {m.label: m.value for m in at.metric}["NPS"] == filtered


@pytest.mark.parametrize("page", ["overview", "drivers", "moments", "themes"])
def test_the_sidebar_min_n_reaches_every_page(page):
    """No page keeps its own minimum n: ?min_n=5000 (more answers than the sample has in any group, so every
    page has a small group to flag) shows up in each page's small-sample notes."""
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=180)
    at.query_params["min_n"] = "5000"
    at.run()
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.number_input(key="sidebar_min_n").value == 5000
    captions = " ".join(c.value for c in at.caption)
    assert "5,000" in captions or "5000" in captions
    assert "than 30 " not in captions
