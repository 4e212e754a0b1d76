"""A workspace's codebook in the store: each edit a version with who and when, undo, conflicts, import."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cx_core.codebook import Codebook, CodebookTheme, import_codebook, keep_mine, save_edit, saved_codebook, undo
from cx_core.errors import CodebookConflictError, CodebookError
from cx_core.store import Store, StoreConfig, codebook_history
from cx_core.store._schema import codebook_versions
from tests.helpers import fresh_postgres_database, postgres_admin_url

PROPOSED = Codebook(
    (
        CodebookTheme("d", "Delivery: complaints", side="complaint", examples=("late delivery",)),
        CodebookTheme("s", "Support: praise", side="praise", examples=("quick support",)),
        CodebookTheme("p", "Price: complaints", side="complaint", examples=("unclear prices",)),
    )
)


@pytest.fixture(params=["embedded", "postgresql"])
def store(request, tmp_path):
    if request.param == "embedded":
        opened = Store(StoreConfig.build(tmp_path / "data"))
        yield opened
        opened.close()
        return
    url, drop = fresh_postgres_database(postgres_admin_url())
    opened = Store(StoreConfig.build(tmp_path / "data", database_url=url))
    yield opened
    opened.close()
    drop()


@pytest.fixture()
def workspace_id(store, sample_loaded):
    return store.create_workspace("Q3", sample_loaded, dataset="sample").id


def test_first_edit_saves_the_proposal_then_the_edit_with_who_and_when(store, workspace_id):
    assert saved_codebook(store, workspace_id) == (None, 0)
    saved = save_edit(
        store,
        workspace_id,
        {"op": "rename", "theme": "d", "label": "Late deliveries"},
        base=PROPOSED,
        base_version=0,
        by="Aiko",
    )
    assert saved.version == 2 and saved.by == "Aiko" and saved.at is not None
    codebook, version = saved_codebook(store, workspace_id)
    assert version == 2 and codebook.theme("d").label == "Late deliveries" and codebook.theme("d").pinned
    history = codebook_history(store, workspace_id)
    assert [h.edit["op"] for h in history] == ["propose", "rename"]


def test_undo_restores_the_previous_version_and_keeps_the_history(store, workspace_id):
    save_edit(store, workspace_id, {"op": "rename", "theme": "d", "label": "A"}, base=PROPOSED, base_version=0, by="x")
    cb, v = saved_codebook(store, workspace_id)
    save_edit(store, workspace_id, {"op": "merge", "into": "d", "others": ["p"]}, base=cb, base_version=v, by="x")
    cb, v = saved_codebook(store, workspace_id)
    assert cb.theme("p") is None
    undone = undo(store, workspace_id, expected_version=v, by="y")
    cb, v = saved_codebook(store, workspace_id)
    assert cb.theme("p") is not None and cb.theme("d").label == "A" and undone.edit["op"] == "undo"
    undo(store, workspace_id, expected_version=v, by="y")  # undo twice: back to the proposal
    cb, v = saved_codebook(store, workspace_id)
    assert cb.theme("d").label == "Delivery: complaints"
    assert len(codebook_history(store, workspace_id)) == 5
    with pytest.raises(CodebookConflictError):
        undo(store, workspace_id, expected_version=v - 1, by="y")


def test_edits_of_different_themes_both_succeed_edits_of_the_same_theme_conflict(store, workspace_id):
    save_edit(store, workspace_id, {"op": "pin", "theme": "s"}, base=PROPOSED, base_version=0, by="x")
    base, version = saved_codebook(store, workspace_id)
    save_edit(
        store,
        workspace_id,
        {"op": "rename", "theme": "d", "label": "Aiko's"},
        base=base,
        base_version=version,
        by="Aiko",
    )
    # Ben started from the same version, on another theme: applied on top of Aiko's
    save_edit(
        store, workspace_id, {"op": "rename", "theme": "p", "label": "Ben's"}, base=base, base_version=version, by="Ben"
    )
    now, _ = saved_codebook(store, workspace_id)
    assert now.theme("d").label == "Aiko's" and now.theme("p").label == "Ben's"
    # Chika started from the same version too, on Aiko's theme: refused, both versions given
    with pytest.raises(CodebookConflictError) as info:
        save_edit(
            store,
            workspace_id,
            {"op": "rename", "theme": "d", "label": "Chika's"},
            base=base,
            base_version=version,
            by="Chika",
        )
    conflict = info.value
    assert conflict.mine.theme("d").label == "Chika's"
    assert conflict.theirs.codebook["themes"][0]["label"] == "Aiko's"
    assert conflict.theirs.by == "Ben"
    kept = keep_mine(
        store,
        workspace_id,
        conflict.mine,
        conflict.edit,
        over=conflict.theirs.version,
        theirs=conflict.theirs.codebook,
        by="Chika",
    )
    after = saved_codebook(store, workspace_id)[0]
    assert after.theme("d").label == "Chika's" and kept.edit["kept_over"]
    assert after.theme("p").label == "Ben's"  # Ben's change to another theme stays


def test_import_saves_a_new_version_and_delete_removes_the_codebook(store, workspace_id):
    save_edit(store, workspace_id, {"op": "pin", "theme": "s"}, base=PROPOSED, base_version=0, by="x")
    hand = Codebook((CodebookTheme("app", "Mobile app", include=("app",)),))
    saved = import_codebook(store, workspace_id, hand, by="cli")
    assert saved.version == 3 and saved_codebook(store, workspace_id)[0] == hand
    with pytest.raises(CodebookError):
        save_edit(
            store, workspace_id, {"op": "rename", "theme": "zzz", "label": "x"}, base=hand, base_version=3, by="x"
        )
    store.delete_workspace(workspace_id)
    with store.engine.connect() as con:
        left = con.execute(select(codebook_versions).where(codebook_versions.c.workspace_id == workspace_id)).all()
    assert left == []


def test_save_as_keeps_the_codebook(store, workspace_id, sample_loaded):
    save_edit(
        store, workspace_id, {"op": "rename", "theme": "d", "label": "Kept"}, base=PROPOSED, base_version=0, by="x"
    )
    copy = store.create_workspace("Q3 copy", sample_loaded, dataset="sample", history_from=workspace_id)
    assert saved_codebook(store, copy.id)[0].theme("d").label == "Kept"
