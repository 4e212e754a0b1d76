"""AppTest: the Accounts, Account and Follow-up pages on the sample data (as of 2026-10-01)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import Workspace, load_inputs
from cx_core.sample import AS_OF

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
AS_OF_KEYS = {
    "app_pages/accounts.py": "accounts_as_of",
    "app_pages/account.py": "account_as_of",
    "app_pages/follow_up.py": "follow_up_as_of",
}
PAGES = list(AS_OF_KEYS)


def open_page(page: str, at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
    at.switch_page(page)
    at.run()
    return at


def table_with(at: AppTest, column: str):
    """The st.dataframe holding ``column`` (read-only tables carry no key in AppTest)."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {column!r}")


def download_keys(at: AppTest) -> set[str]:
    return {d.key for d in at.get("download_button")}


@pytest.mark.parametrize("page", PAGES)
def test_account_pages_render(page):
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.date_input(key=AS_OF_KEYS[page]).value == AS_OF  # the sample story's today by default


@pytest.fixture(scope="module")
def expected(sample_loaded):
    """What the core says for the sample as of its story date: the pages must show the same."""
    from cx_core.accounts import account_health, follow_up_list, risk_summary

    ws = Workspace.from_loaded(sample_loaded)
    try:
        high = risk_summary(account_health(ws, AS_OF))["high"]
        return {"high": high["accounts"], "arr": high["arr"], "follow_up": len(follow_up_list(ws, AS_OF, lang="en"))}
    finally:
        ws.close()


def test_accounts_page_shows_arr_at_risk_and_downloads(expected):
    at = open_page("app_pages/accounts.py")
    metrics = {m.label: m.value for m in at.metric}
    assert expected["high"] >= 12  # at least the planted at-risk accounts
    assert metrics["High-risk accounts"] == str(expected["high"])
    assert metrics["ARR at risk (USD)"] == f"{expected['arr']:,.0f}"  # with its currency
    table = table_with(at, "Risk")
    assert len(table) == 300
    assert {"accounts_dl_table_health_csv", "accounts_dl_table_health_xlsx"} <= download_keys(at)
    at.multiselect(key="accounts_risk_filter").set_value(["high"]).run()
    assert len(table_with(at, "Risk")) == expected["high"]


def test_account_page_shows_one_account_with_actions():
    at = open_page("app_pages/account.py")
    picker = at.selectbox(key="account_pick")
    assert picker.value == "ACC-0111"  # riskiest, then largest ARR, first
    actions = table_with(at, "Action")
    assert len(actions) >= 1
    verbatims = table_with(at, "Comment")
    assert len(verbatims) >= 1
    drivers = table_with(at, "Gap")
    assert len(drivers) == 10
    at.selectbox(key="account_pick").set_value("ACC-0002").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["ARR (USD)"] == "19,000"  # with its currency


def test_follow_up_done_and_note_persist_across_reruns_and_pages(expected):
    at = open_page("app_pages/follow_up.py")
    assert {"follow_up_download_csv", "follow_up_download_xlsx"} <= download_keys(at)
    before = at.dataframe(key="follow_up_editor").value
    assert len(before) == expected["follow_up"] and not before["done"].any()
    first = before["item_id"].iloc[0]
    assert at.selectbox(key="follow_up_item").value == first
    # the form (not the grid) takes the change: typed text waits for Save, a rerun cannot drop it
    form = [w for w in (*at.checkbox, *at.text_area) if getattr(w, "form_id", "") == "follow_up_form"]
    next(w for w in form if w.label == "Done").check()
    next(w for w in form if w.label == "Note").input("Called the CFO; meeting on Friday")
    at.button(key="follow_up_save").click().run()
    assert not at.exception
    assert any("Saved (version 1)" in s.value for s in at.success)
    after = at.dataframe(key="follow_up_editor").value.set_index("item_id")
    assert bool(after.loc[first, "done"]) and after.loc[first, "note"] == "Called the CFO; meeting on Friday"
    at.run()
    again = at.dataframe(key="follow_up_editor").value.set_index("item_id")
    assert bool(again.loc[first, "done"])
    at = open_page("app_pages/follow_up.py", open_page("app_pages/accounts.py", at))
    back = at.dataframe(key="follow_up_editor").value.set_index("item_id")
    assert bool(back.loc[first, "done"]) and back.loc[first, "note"].startswith("Called the CFO")
    at.toggle(key="follow_up_show_done").set_value(False).run()
    hidden = at.dataframe(key="follow_up_editor").value
    assert first not in set(hidden["item_id"]) and len(hidden) == expected["follow_up"] - 1


def test_as_of_is_shared_and_changes_the_list(expected):
    at = open_page("app_pages/follow_up.py")
    at.date_input(key="follow_up_as_of").set_value(AS_OF - dt.timedelta(days=200)).run()
    assert not at.exception
    earlier = at.dataframe(key="follow_up_editor").value
    assert len(earlier) != expected["follow_up"]
    at = open_page("app_pages/accounts.py", at)
    assert at.date_input(key="accounts_as_of").value == AS_OF - dt.timedelta(days=200)


def test_pages_without_crm_say_what_to_load(sample_files):
    survey, _ = sample_files
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["cx_workspace"] = Workspace.from_loaded(load_inputs(survey, "survey.csv"))
    at.session_state["cx_dataset_name"] = "upload"
    at.run()
    for page in PAGES:
        open_page(page, at)
        assert not at.exception and not at.error
        assert any("CRM" in i.value for i in at.info), page


def test_japanese_labels():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    open_page("app_pages/follow_up.py", at)
    at.radio(key="app_language").set_value("ja").run()
    assert at.title[0].value == "フォローアップ"
    assert not at.exception
