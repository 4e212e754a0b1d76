"""The codebook in real browsers on a real server that is restarted: rename, merge, move a comment and
create a theme from a search; a reload, a second browser and a restart keep them; a concurrent edit of
the same theme shows both versions.

Runs its own Streamlit servers on a data folder of its own (see test_follow_up_store_browser.py).
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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CX_DATABASE", "CX_DATASETS"))}
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CX_LLM_MODEL"):
        env.pop(key, None)
    with streamlit_server(f"streamlit-{name}.log", env | {"CX_DATA_DIR": str(data_dir)}) as url:
        yield url


PAGE_READY_MS = 240_000  # a new session computes the engine's themes first: slow on a busy 2-core machine


def ready(user: AppSession) -> None:
    user.widget("codebook_op").wait_for(timeout=PAGE_READY_MS)
    user.wait_idle()


def visit(user: AppSession, url: str) -> None:
    user.page.goto(url)
    ready(user)


OP_WIDGET = {
    "Rename / describe": "codebook_rename_theme",
    "Merge themes": "codebook_merge_others",
    "Move comments": "codebook_move_pick",
    "Create a theme": "codebook_create_label",
}


def op(user: AppSession, label: str) -> None:
    """Choose an edit and wait until its form is drawn (the rerun may start late on a busy machine)."""
    user.widget("codebook_op").get_by_text(label, exact=True).click()
    user.widget(OP_WIDGET[label]).wait_for(timeout=PAGE_READY_MS)
    user.wait_idle()


def type_into(user: AppSession, locator, text: str) -> None:
    locator.fill(text)
    locator.press("Enter")
    user.wait_idle()


def save(user: AppSession, version: int) -> None:
    user.click("codebook_save")
    try:
        user.page.get_by_text(f"Saved as codebook version {version}.").first.wait_for()
    except Exception:
        user.shot(f"not-saved-{version}")
        raise
    user.wait_idle()


def pick_first(user: AppSession, key: str) -> str:
    """Pick the first option of the multiselect with key ``key``; returns its text."""
    user.open_options(key)
    options = user.page.get_by_role("option")
    # the dropdown's first row may be the bulk "Select all" action: pick the first real option
    option = next(o for o in options.all() if not o.inner_text().startswith(("Select all", "Select ")))
    text = option.inner_text()
    option.click()
    user.wait_idle()
    user.page.keyboard.press("Escape")
    return text


def rename_box(user: AppSession):
    return user.page.locator('[class*="st-key-codebook_rename_label_"] input')


def theme_names(user: AppSession) -> list[str]:
    """The codebook's theme names as the page offers them (the rename picker's options)."""
    op(user, "Rename / describe")
    user.open_options("codebook_rename_theme")
    options = user.page.get_by_role("option")
    names = options.all_inner_texts()
    user.page.keyboard.press("Escape")
    return names


def test_codebook_edits_last_and_conflicts_show_both_versions(browser, tmp_path):
    data_dir = tmp_path / "data"
    with app_server(data_dir, "codebook-first") as url:
        ann = AppSession(browser, url, "codebook-ann")
        visit(ann, f"{url}/themes?by=Ann")
        assert "Coded:" in ann.text()
        type_into(ann, rename_box(ann), "Deliveries are late")
        save(ann, 2)  # version 1 is the engine's proposal, kept so the first edit can be undone
        assert "Deliveries are late" in ann.text()

        op(ann, "Merge themes")
        merged = pick_first(ann, "codebook_merge_others")
        save(ann, 3)

        op(ann, "Move comments")
        moved = pick_first(ann, "codebook_move_pick")
        ann.shot("move-picked")
        assert moved
        save(ann, 4)

        op(ann, "Create a theme")
        type_into(ann, ann.widget("codebook_create_label").locator("input"), "Firmware issues")
        type_into(ann, ann.widget("codebook_create_search").locator("input"), "firmware, ファームウェア")
        save(ann, 5)
        ann.shot("edited")
        names = theme_names(ann)
        assert "Firmware issues" in names and "Deliveries are late" in names and merged not in names
        assert "Deliveries are late" in " ".join(ann.grid_cells(ann.grid("Theme")))  # the largest theme, on top
        link = ann.page.url
        assert "ws=" in link, link

        ann.page.reload()
        ready(ann)
        names = theme_names(ann)
        assert "Firmware issues" in names and "Deliveries are late" in names and "version 5" in ann.text()
        ann.close()

    with app_server(data_dir, "codebook-restarted") as url:  # a new server process on the same data folder
        query = link.split("?", 1)[1]
        ann = AppSession(browser, url, "codebook-ann-2")
        bob = AppSession(browser, url, "codebook-bob")
        visit(ann, f"{url}/themes?{query}")
        visit(bob, f"{url}/themes?{query.replace('by=Ann', 'by=Bob')}")
        for user in (ann, bob):
            names = theme_names(user)
            assert "Firmware issues" in names and "Deliveries are late" in names and merged not in names
            user.shot("after-restart")

        # both rename the same theme; Bob saves first, Ann's save must not overwrite his name
        rename_box(ann).fill("Ann's name")
        type_into(bob, rename_box(bob), "Bob's name")
        save(bob, 6)
        rename_box(ann).press("Enter")
        ann.wait_idle()
        ann.click("codebook_save")
        conflict = ann.widget("codebook_conflict")
        conflict.wait_for()
        ann.wait_idle()
        ann.shot("conflict")
        assert "Bob's name" in " ".join(
            ann.grid_cells(ann.widget("codebook_theirs").locator('[data-testid="stDataFrame"]'))
        )
        assert "Ann's name" in " ".join(
            ann.grid_cells(ann.widget("codebook_mine").locator('[data-testid="stDataFrame"]'))
        )
        assert "nothing was overwritten" in conflict.inner_text()
        ann.click("codebook_keep_mine")
        ann.page.get_by_text("Saved as codebook version 7.").first.wait_for()
        ann.wait_idle()
        bob.page.reload()
        ready(bob)
        assert "Ann's name" in theme_names(bob)
        for user in (ann, bob):
            user.close()
