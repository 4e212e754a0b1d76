"""AppTest: the follow-up form writes to the workspace store; a refresh, a second session and a
concurrent edit of the same item behave as a team's shared record."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core.store import Store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    """Each test has a store of its own (the app reads CX_DATA_DIR when it opens the store)."""
    monkeypatch.setenv("CX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CX_DATABASE_URL", raising=False)
    yield Store.from_env


def open_follow_up(ws_id: str | None = None, by: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if ws_id:
        at.query_params["ws"] = ws_id
    if by:
        at.query_params["by"] = by
    at.run()
    at.switch_page("app_pages/follow_up.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def form_widget(at: AppTest, kind: str, label: str):
    return next(w for w in getattr(at, kind) if w.label == label and getattr(w, "form_id", "") == "follow_up_form")


def save(at: AppTest, *, done: bool | None = None, note: str | None = None) -> AppTest:
    if done is not None:
        form_widget(at, "checkbox", "Done").set_value(done)
    if note is not None:
        form_widget(at, "text_area", "Note").set_value(note)
    at.button(key="follow_up_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def grid(at: AppTest):
    return at.dataframe(key="follow_up_editor").value.set_index("item_id")


def linked_id(at: AppTest) -> str:
    return at.query_params["ws"][0] if isinstance(at.query_params["ws"], list) else at.query_params["ws"]


def test_a_saved_note_survives_a_refresh_and_a_restart_and_is_recorded_with_its_author(own_store):
    at = open_follow_up(by="Aiko")
    item = at.selectbox(key="follow_up_item").value
    save(at, done=True, note="Called the CFO; meeting on Friday")
    assert any("Saved (version 1)" in s.value for s in at.success)
    assert bool(grid(at).loc[item, "done"]) and grid(at).loc[item, "note"] == "Called the CFO; meeting on Friday"
    ws_id = linked_id(at)  # the sample was saved as a draft on the first save; the link names it

    store = own_store()  # what any other process sees
    record = store.follow_up(ws_id)[item]
    assert (record.done, record.note, record.updated_by, record.version) == (
        True,
        "Called the CFO; meeting on Friday",
        "Aiko",
        1,
    )

    # a refresh is a new session with the same link; a restart loses nothing either (new AppTest, new Store)
    again = open_follow_up(ws_id)
    assert bool(grid(again).loc[item, "done"]) and grid(again).loc[item, "note"].startswith("Called the CFO")
    assert form_widget(again, "text_area", "Note").value == "Called the CFO; meeting on Friday"


def test_two_sessions_see_each_others_changes_and_a_concurrent_edit_is_a_conflict(own_store):
    ann = open_follow_up(by="Ann")
    item = ann.selectbox(key="follow_up_item").value
    save(ann, done=True, note="Ann: left a voicemail")
    ws_id = linked_id(ann)

    bob = open_follow_up(ws_id, by="Bob")
    assert bob.selectbox(key="follow_up_item").value == item
    assert grid(bob).loc[item, "note"] == "Ann: left a voicemail"  # Bob sees Ann's save

    # both now edit the same item from version 1: Bob saves first, Ann's save is refused
    form_widget(ann, "text_area", "Note").set_value("Ann: meeting booked for Friday")
    save(bob, note="Bob: sent the price breakdown")
    save(ann)
    texts = " ".join(t.value for t in ann.text)
    assert "Bob: sent the price breakdown" in texts and "Ann: meeting booked for Friday" in texts
    assert any("Bob" in w.value and "Nothing was overwritten" in w.value for w in ann.warning)
    assert own_store().follow_up(ws_id)[item].note == "Bob: sent the price breakdown"  # nothing lost yet

    ann.button(key="follow_up_keep_mine").click().run()
    assert not ann.exception
    saved = own_store().follow_up(ws_id)[item]
    assert (saved.note, saved.version, saved.updated_by) == ("Ann: meeting booked for Friday", 3, "Ann")
    history = own_store().follow_up_history(ws_id, item)
    assert [h.by for h in history] == ["Ann", "Bob", "Ann"]
    assert history[1].changes["note"] == ["Ann: left a voicemail", "Bob: sent the price breakdown"]
    assert history[2].changes["note"] == ["Bob: sent the price breakdown", "Ann: meeting booked for Friday"]

    bob.run()  # Bob's next rerun shows Ann's note in the list
    assert grid(bob).loc[item, "note"] == "Ann: meeting booked for Friday"


def test_keep_theirs_discards_only_the_refused_edit(own_store):
    ann = open_follow_up(by="Ann")
    item = ann.selectbox(key="follow_up_item").value
    save(ann, note="first")
    bob = open_follow_up(linked_id(ann), by="Bob")
    save(bob, note="Bob's")
    save(ann, note="Ann's")
    ann.button(key="follow_up_keep_theirs").click().run()
    assert form_widget(ann, "text_area", "Note").value == "Bob's"
    assert own_store().follow_up(linked_id(ann))[item].version == 2


def test_the_data_page_saves_lists_opens_and_deletes_workspaces(own_store):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    at.text_input(key="data_ws_name").set_value("Q3 sample")
    at.button(key="data_ws_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Saved as “Q3 sample”" in s.value for s in at.success)
    store = own_store()
    (info,) = store.list_workspaces()
    assert info.name == "Q3 sample" and linked_id(at) == info.id

    other = AppTest.from_file(APP, default_timeout=120)
    other.run()
    other.switch_page("app_pages/data.py")
    other.run()
    assert other.selectbox(key="data_ws_pick").value == info.id
    other.button(key="data_ws_open").click().run()
    assert any("Opened “Q3 sample”" in s.value for s in other.success)
    assert linked_id(other) == info.id

    other.checkbox(key="data_ws_delete_confirm").check().run()
    other.button(key="data_ws_delete").click().run()
    assert not other.exception
    assert store.list_workspaces(drafts=True) == []
    assert "ws" not in other.query_params


AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "test-only",
    "client_id": "cx",
    "client_secret": "test-only",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def signed_in_app(email: str | None, ws_id: str | None = None, first_run: list | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    if ws_id:
        at.query_params["ws"] = ws_id
    at.run()
    if first_run is not None:  # what the page of the link showed
        first_run.extend(w.value for w in at.warning)
    at.switch_page("app_pages/follow_up.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_with_sign_in_the_history_records_the_signed_in_person_and_workspaces_are_private(own_store):
    aiko = signed_in_app("aiko@example.com")
    # the caption's Markdown source escapes the address (shown as typed, never as a link)
    assert any("Signed in as aiko\u2060@example\\.com" in c.value for c in aiko.caption)
    assert not [w for w in aiko.text_input if w.key == "follow_up_name"]  # no name to type
    item = aiko.selectbox(key="follow_up_item").value
    save(aiko, note="Aiko called")
    ws_id = linked_id(aiko)
    store = own_store()
    assert store.follow_up(ws_id)[item].updated_by == "aiko@example.com"
    assert store.get_workspace(ws_id).owner == "aiko@example.com"

    # Ben has the link but the workspace is not shared with him: he gets the sample, not her notes
    warnings: list[str] = []
    ben = signed_in_app("ben@example.com", ws_id, warnings)
    assert any("no longer exists (or is not shared with you)" in w for w in warnings), warnings
    assert "ws" not in ben.query_params
    assert "Aiko called" not in set(grid(ben)["note"].dropna())

    store.rename(ws_id, "Aiko's accounts", user="aiko@example.com")
    store.share(ws_id, ["ben@example.com"], user="aiko@example.com")
    ben = signed_in_app("ben@example.com", ws_id)
    assert grid(ben).loc[item, "note"] == "Aiko called"
    save(ben, note="Ben followed up")
    assert [h.by for h in store.follow_up_history(ws_id, item)] == ["aiko@example.com", "ben@example.com"]

    nobody = signed_in_app(None)
    assert any(b.key == "follow_up_sign_in" for b in nobody.button)
    assert not [b for b in nobody.button if b.key == "follow_up_save"]


def test_a_workspace_deleted_elsewhere_leaves_every_session_that_had_it_open(own_store):
    ann = open_follow_up(by="Ann")
    item = ann.selectbox(key="follow_up_item").value
    save(ann, note="soon gone")
    ws_id = linked_id(ann)
    bob = open_follow_up(ws_id, by="Bob")
    assert grid(bob).loc[item, "note"] == "soon gone"

    own_store().delete_workspace(ws_id)  # e.g. from the CLI or another browser
    bob.run()
    assert not bob.exception
    assert any("no longer exists" in w.value for w in bob.warning)
    assert "ws" not in bob.query_params
    assert "soon gone" not in set(grid(bob)["note"].dropna())


def test_owner_and_due_date_are_reassigned_through_the_form(own_store):
    import datetime as dt

    at = open_follow_up(by="Aiko")
    item = at.selectbox(key="follow_up_item").value
    before = grid(at).loc[item]
    form_widget(at, "text_input", "Owner").set_value("Chika Mori")
    new_due = before["due_date"] + dt.timedelta(days=7)
    form_widget(at, "date_input", "Due date").set_value(new_due)
    at.button(key="follow_up_save").click().run()
    assert not at.exception
    after = grid(at).loc[item]
    assert after["owner"] == "Chika Mori" and after["due_date"] == new_due
    (entry,) = own_store().follow_up_history(linked_id(at), item)
    assert entry.changes == {"owner": [None, "Chika Mori"], "due_date": [None, new_due.isoformat()]}

    # clearing the owner gives the item back to the CRM's owner
    form_widget(at, "text_input", "Owner").set_value("")
    at.button(key="follow_up_save").click().run()
    assert grid(at).loc[item, "owner"] == before["owner"]
    assert own_store().follow_up(linked_id(at))[item].owner is None


def test_the_saved_record_is_mirrored_into_the_session_once_per_change(own_store):
    """The session's database mirrors the record (for its workspace file): a change moves the workspace's
    version (views memoised on the old notes are recomputed), a rerun that changed nothing does not."""
    from ui.sync import state

    at = open_follow_up(by="Aiko")
    save(at, done=True, note="Called")
    ws = at.session_state[state.WORKSPACE]
    version = ws.version
    at.run()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert ws.version == version, "a rerun that changed nothing wrote the mirror again"
    save(at, note="Called again")
    assert ws.version > version


def test_a_done_mark_on_the_sample_is_what_a_colleague_opening_the_app_sees(own_store):
    """Issue 21: the shared list is the default. A colleague opens the bare app (no link) and sees
    the item done; the mark lives in the store's shared sample, not on one tab's draft."""
    from ui.sync.workspaces import SHARED_SAMPLE_NAME

    first = open_follow_up(by="Aiko")
    item = first.selectbox(key="follow_up_item").value
    save(first, done=True, note="Called")
    shared = own_store().get_workspace(SHARED_SAMPLE_NAME)
    assert linked_id(first) == shared.id and shared.listed

    colleague = open_follow_up()  # a new browser, no ?ws= link
    assert bool(grid(colleague).loc[item, "done"]) and grid(colleague).loc[item, "note"] == "Called"
    assert linked_id(colleague) == shared.id


def test_a_colleague_finds_the_item_by_search_sees_it_done_and_is_told_the_list_is_the_teams(own_store):
    """Issue 21, finding 8: no dropdown of every item (a search narrows the table and the form's
    choice), a row clicked in the table opens its item, and the done mark saved by one person is on
    the team's stored list that a colleague's new session shows by default, and says so."""
    first = open_follow_up(by="Aiko")
    all_items = grid(first)
    assert len(all_items) > 100
    target = all_items.iloc[7]
    # a table row picked by the person opens that item in the form
    first.session_state["follow_up_editor"] = {"selection": {"rows": [7], "columns": [], "cells": []}}
    first.run()
    assert not first.exception, [e.value for e in first.exception]
    assert first.selectbox(key="follow_up_item").value == target.name
    save(first, done=True, note="Called about the invoice")

    colleague = open_follow_up()  # a new browser, no ?ws= link
    assert any("team's follow-up list" in c.value for c in colleague.caption)
    colleague.text_input(key="follow_up_search").input(str(target["account_name"])).run()
    assert not colleague.exception, [e.value for e in colleague.exception]
    found = grid(colleague)
    assert target.name in found.index and len(found) < len(all_items)
    assert all(str(target["account_name"]).casefold() in " ".join(map(str, row)).casefold() for row in found.values)
    assert len(colleague.selectbox(key="follow_up_item").options) == len(found)
    assert bool(found.loc[target.name, "done"]) and found.loc[target.name, "note"] == "Called about the invoice"
