"""The sidebar filters are global: they survive switching pages (found by the browser e2e test)."""

from pathlib import Path

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
