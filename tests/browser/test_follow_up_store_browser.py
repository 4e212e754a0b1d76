"""The follow-up record in real browsers on a real server that is restarted: a note and a "done"
survive a refresh and a restart, a second browser sees them, and two concurrent edits of one item
end in a visible conflict, never a lost note.

This test runs its own Streamlit servers (one after the other, on free ports) on a data folder of
its own, so the restart is real: a new process that knows only what the store kept.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from tests.browser.conftest import AppSession, streamlit_server

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def app_server(data_dir: Path, name: str):
    """``streamlit run app.py`` on 127.0.0.1 and a free port, with ``CX_DATA_DIR=data_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CX_DATABASE", "CX_DATASETS"))}
    with streamlit_server(f"streamlit-{name}.log", env | {"CX_DATA_DIR": str(data_dir)}) as url:
        yield url


def visit(user: AppSession, url: str) -> None:
    user.page.goto(url)
    user.wait_idle()


def note_box(user: AppSession):
    return user.page.locator('[class*="st-key-fu_note_"] textarea')


def done_box(user: AppSession):
    return user.page.locator('[class*="st-key-fu_done_"] input[type="checkbox"]')


def tick_done(user: AppSession) -> None:
    """Click the Done checkbox's label, as a person does (the form holds it until Save)."""
    user.page.locator('[class*="st-key-fu_done_"] label').first.click()


def save(user: AppSession, expect: str) -> None:
    """Click Save and wait for ``expect`` (a text the page shows once the save has been handled)."""
    user.click("follow_up_save")
    user.page.get_by_text(expect).first.wait_for()
    user.wait_idle()


def first_item(user: AppSession) -> str:
    return user.widget("follow_up_item").inner_text()


def test_notes_survive_refresh_and_restart_and_concurrent_edits_conflict(browser, tmp_path):
    data_dir = tmp_path / "data"
    marker = "Called Tuesday: NOTE-5d21"
    with app_server(data_dir, "store-first") as url:
        ann = AppSession(browser, url, "store-ann")
        visit(ann, f"{url}/follow_up?by=Ann")
        item = first_item(ann)
        assert not done_box(ann).is_checked()
        tick_done(ann)
        note_box(ann).fill(marker)
        save(ann, "Saved (version 1)")
        ann.shot("saved")
        link = ann.page.url
        assert "ws=" in link and "by=Ann" in link, link

        ann.reload()  # a refresh is a new session: the link brings the saved workspace back
        assert note_box(ann).input_value() == marker and done_box(ann).is_checked()
        assert first_item(ann) == item
        ann.shot("after-refresh")
        ann.close()

    with app_server(data_dir, "store-restarted") as url:  # a new server process on the same data folder
        query = link.split("?", 1)[1]
        ann = AppSession(browser, url, "store-ann-2")
        bob = AppSession(browser, url, "store-bob")
        visit(ann, f"{url}/follow_up?{query}")
        visit(bob, f"{url}/follow_up?{query.replace('by=Ann', 'by=Bob')}")
        for user in (ann, bob):
            assert note_box(user).input_value() == marker and done_box(user).is_checked()
            user.shot("after-restart")
        # a colleague opening the bare app (no link) gets the team's shared list, with Ann's mark
        carol = AppSession(browser, url, "store-carol")
        visit(carol, f"{url}/follow_up")
        assert "The team's follow-up list" in carol.text()
        assert first_item(carol) == item
        assert note_box(carol).input_value() == marker and done_box(carol).is_checked()
        carol.shot("colleague")
        carol.close()
        saved_csv = bob.download("follow_up_download_csv").decode("utf-8-sig").splitlines()
        assert saved_csv[1].endswith(f",True,{marker}"), saved_csv[1]

        # both edit the same item; Bob saves first, Ann's save must not overwrite his note
        note_box(ann).fill("Ann: meeting booked for Friday")
        note_box(bob).fill("Bob: sent the price breakdown")
        save(bob, "Saved (version 2)")
        ann.click("follow_up_save")
        conflict = ann.widget("follow_up_conflict")
        conflict.wait_for()
        ann.wait_idle()
        ann.shot("conflict")
        assert "Bob: sent the price breakdown" in ann.widget("follow_up_theirs").inner_text()
        assert "Ann: meeting booked for Friday" in ann.widget("follow_up_mine").inner_text()
        assert "Nothing was overwritten" in conflict.inner_text()

        ann.click("follow_up_keep_mine")
        ann.page.get_by_text("Saved (version 3)").first.wait_for()
        ann.wait_idle()
        assert note_box(ann).input_value() == "Ann: meeting booked for Friday"
        bob.reload()
        assert note_box(bob).input_value() == "Ann: meeting booked for Friday"
        bob.page.get_by_text("History of this item").click()
        history = bob.grid("What changed")
        history.wait_for()
        changes = " ".join(bob.grid_cells(history))
        assert "Bob: sent the price breakdown → Ann: meeting booked for Friday" in changes, changes
        bob.shot("history")
        for user in (ann, bob):
            user.close()
