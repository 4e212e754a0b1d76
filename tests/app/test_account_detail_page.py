"""AppTest: the Account page's themes and actions, exports, presenter mode and the LLM button."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import t
from tests.core.test_account_detail import ActionServer
from tests.helpers import shown_number

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
RISKIEST = "ACC-0111"


def open_account(at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
    at.switch_page("app_pages/account.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, column: str):
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {column!r}")


@pytest.fixture()
def no_llm(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CX_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def llm_server(monkeypatch):
    fake = ActionServer()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-page-secret")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("CX_LLM_MODEL", "fake-model")
    yield fake
    fake.close()


def test_riskiest_account_shows_its_themes_actions_and_exports(no_llm):
    at = open_account()
    assert at.selectbox(key="account_pick").value == RISKIEST
    themes = table_with(at, "Theme")
    assert len(themes) >= 2 and (themes["Recent complaints"].map(shown_number) > 0).any()
    assert themes["Response ID"].str.startswith("R").all() and themes["Example quote"].str.len().min() > 0
    actions = table_with(at, "Action")
    assert 1 <= len(actions) <= 4
    # one of the actions answers a theme, and says so with the theme's label and an example id
    assert any('Theme "' in why for why in actions["Why"])
    verbatims = table_with(at, "Comment")
    assert verbatims["Themes"].str.len().gt(0).any()
    keys = {d.key for d in at.get("download_button")}
    for section in ("actions", "themes", "timeline", "verbatims", "drivers"):
        assert {f"account_dl_table_{section}_csv", f"account_dl_table_{section}_xlsx"} <= keys
    assert {"account_dl_chart_timeline_png", "account_dl_chart_timeline_svg"} <= keys
    # each section: its finding as a one-line heading, then n and filters (the account) under it
    titles = " ".join(s.value for s in at.subheader) + " ".join(c.value for c in at.caption)
    assert "n = " in titles and RISKIEST in titles.replace("\\", "")
    captions = " ".join(c.value for c in at.caption)
    assert t("account_page.llm_off", "en") in captions  # plain words, no developer setup on the page
    assert "OPENAI_API_KEY" not in captions and "secrets.toml" not in captions
    assert "account_llm_phrase" not in {b.key for b in at.button}


def test_presenter_mode_shows_one_section_per_screen(no_llm):
    at = open_account()
    at.toggle(key="presenter_mode").set_value(True).run()
    assert not at.exception
    assert len(at.dataframe) == 1 and "Action" in at.dataframe[0].value.columns
    assert not at.get("download_button")  # exports are for the normal view
    assert at.query_params["present"] == "1"
    at.button(key="account_next").click().run()
    assert not at.exception
    assert "Theme" in at.dataframe[0].value.columns
    at.button(key="account_next").click().run()
    assert len(at.get("vega_lite_chart")) == 1  # the timeline chart, its finding as the screen's header
    assert at.header[0].value.startswith("Lowest mean score from")


def test_llm_button_phrases_actions_from_redacted_facts(llm_server):
    at = open_account()
    rules = table_with(at, "Action")
    at.button(key="account_llm_phrase").click().run()
    assert not at.exception
    assert at.success, "the phrasing succeeded"
    phrased = table_with(at, "Action")
    assert phrased["Action"].str.startswith("Meet the buyer").all() and len(phrased) <= 3
    body = json.dumps([r["body"] for r in llm_server.requests], ensure_ascii=False)
    assert "Nippon Logistics" not in body and RISKIEST not in body and "sk-page-secret" not in body
    assert all(r["auth"] == "Bearer sk-page-secret" for r in llm_server.requests)
    # the person can go back to the rule-based actions
    at.toggle(key="account_llm_show_rules").set_value(True).run()
    assert list(table_with(at, "Action")["Action"]) == list(rules["Action"])


def test_llm_failure_falls_back_with_a_message(llm_server):
    llm_server.mode = "malformed"
    at = open_account()
    rules = table_with(at, "Action")
    at.button(key="account_llm_phrase").click().run()
    assert not at.exception and not at.error
    assert any("rule-based" in w.value for w in at.warning)
    assert list(table_with(at, "Action")["Action"]) == list(rules["Action"])
    assert llm_server.requests
