"""AppTest: the Themes page's codebook: an edit is saved at once, shown everywhere, undoable, seen by a
second session, and a concurrent edit of the same theme shows both versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core.codebook import saved_codebook
from cx_core.store import Store, codebook_history

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CX_DATABASE_URL", raising=False)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CX_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    yield Store.from_env


def open_themes(ws_id: str | None = None, by: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    if ws_id:
        at.query_params["ws"] = ws_id
    if by:
        at.query_params["by"] = by
    at.run()
    at.switch_page("app_pages/themes.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def linked_id(at: AppTest) -> str:
    value = at.query_params["ws"]
    return value[0] if isinstance(value, list) else value


def labels(at: AppTest) -> list[str]:
    return list(at.dataframe[1].value.iloc[:, 0])  # the list of every theme


def rename(at: AppTest, label: str) -> str:
    at.radio(key="codebook_op").set_value("rename").run()
    theme_id = at.selectbox(key="codebook_rename_theme").value
    at.text_input(key=f"codebook_rename_label_{theme_id}").set_value(label)
    at.button(key="codebook_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return theme_id


def test_rename_is_saved_shown_undone_and_seen_by_another_session(own_store):
    at = open_themes(by="Aiko")
    assert any("Coded:" in c.value for c in at.caption)  # coverage beside the theme list
    first = labels(at)[0]
    theme_id = rename(at, "Deliveries are late")
    assert any("version 2" in s.value for s in at.success)
    assert "Deliveries are late" in labels(at) and first not in labels(at)
    ws_id = linked_id(at)
    codebook, version = saved_codebook(own_store(), ws_id)
    assert version == 2 and codebook.theme(theme_id).label == "Deliveries are late" and codebook.theme(theme_id).pinned
    assert [h.by for h in codebook_history(own_store(), ws_id)] == ["Aiko", "Aiko"]

    # a second session (a refresh, a colleague with the link, after a restart: a new AppTest and Store)
    other = open_themes(ws_id, by="Ben")
    assert "Deliveries are late" in labels(other)
    # the quotes picker reads the codebook's ids
    assert other.selectbox(key="themes_quote_theme").value in saved_codebook(own_store(), ws_id)[0].ids

    at.button(key="codebook_undo").click().run()
    assert not at.exception
    assert first in labels(at) and "Deliveries are late" not in labels(at)
    assert saved_codebook(own_store(), ws_id)[1] == 3


def test_merge_create_from_search_and_a_conflict_shows_both_versions(own_store):
    ann = open_themes(by="Ann")
    before = labels(ann)
    ann.radio(key="codebook_op").set_value("merge").run()
    into = ann.selectbox(key="codebook_merge_into").value
    other = ann.multiselect(key="codebook_merge_others").options[0]
    ann.multiselect(key="codebook_merge_others").set_value([other])
    ann.button(key="codebook_save").click().run()
    assert not ann.exception, [e.value for e in ann.exception]
    ws_id = linked_id(ann)
    codebook, _ = saved_codebook(own_store(), ws_id)
    assert len(codebook.themes) == len(before) - 1 and other not in codebook.ids
    merged_label = codebook.theme(into).label
    assert merged_label in labels(ann) and other not in labels(ann)

    ann.radio(key="codebook_op").set_value("create").run()
    ann.text_input(key="codebook_create_label").set_value("Firmware")
    ann.text_input(key="codebook_create_search").set_value("firmware, ファームウェア").run()
    ann.button(key="codebook_save").click().run()
    assert not ann.exception, [e.value for e in ann.exception]
    codebook, _ = saved_codebook(own_store(), ws_id)
    created = next(t for t in codebook.themes if t.label == "Firmware")
    assert created.include == ("firmware", "ファームウェア") and "Firmware" in labels(ann)

    bob = open_themes(ws_id, by="Bob")
    ann.radio(key="codebook_op").set_value("rename").run()  # Ann starts renaming the same theme...
    rename(bob, "Bob's name")  # ...Bob saves his name first...
    theme_id = ann.selectbox(key="codebook_rename_theme").value
    ann.text_input(key=f"codebook_rename_label_{theme_id}").set_value("Ann's name")
    ann.button(key="codebook_save").click().run()  # ...then Ann saves hers
    assert ann.get("container")  # the page still renders
    texts = " ".join(str(d.value.to_dict()) for d in ann.dataframe)
    assert "Bob's name" in texts and "Ann's name" in texts  # both versions side by side
    assert any("Bob" in w.value and "nothing was overwritten" in w.value for w in ann.warning), [
        w.value for w in ann.warning
    ]
    assert saved_codebook(own_store(), ws_id)[0].theme(theme_id).label == "Bob's name"
    ann.button(key="codebook_keep_mine").click().run()
    assert saved_codebook(own_store(), ws_id)[0].theme(theme_id).label == "Ann's name"


def test_split_by_comments_from_a_search_then_exclude_that_theme(own_store):
    at = open_themes(by="Aiko")
    at.radio(key="codebook_op").set_value("split").run()
    theme_id = at.selectbox(key="codebook_split_theme").value
    at.text_input(key="codebook_split_label").set_value("Part A")
    at.text_input(key="codebook_split_search").set_value("納期").run()
    at.button(key="codebook_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    ws_id = linked_id(at)
    codebook, _ = saved_codebook(own_store(), ws_id)
    part = next(th for th in codebook.themes if th.label.endswith("Part A"))
    assert codebook.comments and all(part.id in ids and theme_id not in ids for ids in codebook.comments.values())
    assert any(label.endswith("Part A") for label in labels(at))

    at.radio(key="codebook_op").set_value("exclude").run()
    at.selectbox(key="codebook_exclude_theme").set_value(part.id)
    at.button(key="codebook_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert saved_codebook(own_store(), ws_id)[0].theme(part.id).excluded
    assert not any(label.endswith("Part A") for label in labels(at))


def test_the_account_page_uses_the_codebook(own_store):
    at = open_themes(by="Aiko")
    first = labels(at)[0]
    rename(at, "Deliveries are late")
    codebook, _ = saved_codebook(own_store(), linked_id(at))
    at.switch_page("app_pages/account.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    themes = next(f.value for f in at.dataframe if "Theme" in f.value.columns)
    names = set(themes["Theme"])
    assert names and names <= {th.label for th in codebook.themes} and first not in names
