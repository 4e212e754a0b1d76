"""AppTest: questions asked of a saved workspace are kept in the store and listed after a refresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import load_inputs
from cx_core.sample import sample_bytes
from cx_core.store import Store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture()
def saved_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CX_DATABASE_URL", raising=False)
    survey, crm = sample_bytes()
    store = Store.from_env()
    info = store.create_workspace("Q3 survey", load_inputs(survey, "survey.csv", crm, "crm.csv"))
    yield store, info.id
    store.close()


def open_ask(ws_id: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["ws"] = ws_id
    at.run()
    at.switch_page("app_pages/ask.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_questions_of_a_saved_workspace_are_kept_in_the_store(saved_workspace):
    store, ws_id = saved_workspace
    at = open_ask(ws_id)
    at.text_input(key="ask_box").input("NPS by segment")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.recent_questions(ws_id) == ["NPS by segment"]
    again = open_ask(ws_id)  # a refresh: a new session of the same workspace
    assert [b.label for b in again.button if b.key == "ask_recent_0"] == ["NPS by segment"]
