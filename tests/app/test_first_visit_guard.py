"""Issue 21: a browser tab can never be stuck on Streamlit's generic error.

A page that fails shows a plain message in the person's language with a way back to the Data page
and to the sample; when the data in use is an unnamed draft of their upload (reopened by the
``?ws=`` link, so a refresh would fail again), that draft is offered for deletion.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import Workspace, load_inputs, t
from cx_core.errors import WorkspaceNotFoundError
from tests.real_layouts import product_nps
from ui.sync import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def plain_failures(monkeypatch):
    monkeypatch.delenv("CX_PAGE_FAILURES", raising=False)  # what a person sees, not the test's exception


def broken(ws: Workspace) -> Workspace:
    ws.con.close()  # every query of the page now fails, as the out-of-memory one did
    return ws


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_failing_page_says_so_plainly_and_offers_the_sample(sample_loaded, lang):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.LANGUAGE] = lang
    at.session_state[state.WORKSPACE] = broken(Workspace.from_loaded(sample_loaded))
    at.session_state[state.DATASET] = "upload"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("guard.failed", lang)]
    assert at.button(key="guard_sample")
    at.button(key="guard_sample").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "NPS" in {m.label for m in at.metric}  # the sample's Overview


def test_a_draft_that_fails_from_its_link_is_offered_for_deletion(monkeypatch):
    """The trap: a refresh reopens the upload's draft from ``?ws=`` and its sidebar runs out of memory."""
    import duckdb

    import ui.widgets.sidebar
    from ui.sync.identity import store_user
    from ui.sync.workspaces import get_store

    first = AppTest.from_file(APP, default_timeout=120)
    first.session_state[state.WORKSPACE] = Workspace.from_loaded(load_inputs(product_nps(), "product_nps.csv"))
    first.session_state[state.DATASET] = "upload"
    first.run()
    assert not first.exception and not first.error
    draft = first.query_params["ws"]  # the upload was kept as an unnamed draft, named by the link

    def out_of_memory(ws):
        raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate data of size 2.0 MiB")

    monkeypatch.setattr(ui.widgets.sidebar, "available_dimensions", out_of_memory)
    at = AppTest.from_file(APP, default_timeout=120)  # a refresh: a new session on the same link
    at.query_params["ws"] = draft
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("guard.failed", "en")]
    assert [link.proto.page for link in at.get("page_link")] == ["data"]  # the Data page's url_path
    monkeypatch.undo()
    at.button(key="guard_delete_draft").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert t("guard.draft_deleted", "en") in [s.value for s in at.success]
    assert at.query_params.get("ws") != draft  # the link no longer opens the deleted draft (the sample may be linked)
    assert "NPS" in {m.label for m in at.metric}  # the sample's Overview
    with pytest.raises(WorkspaceNotFoundError):
        get_store().get_workspace(draft, store_user())
