"""A browser tab is never stuck: a page that fails shows a plain message and ways out.

Before this, a failure while drawing a page (DuckDB out of memory on an upload's mapping, a bug)
showed Streamlit's generic "This app has encountered an error" on every page, the Data page
included, and a refresh reopened the same broken draft from the ``?ws=`` link. Now the person reads
what happened in their language and gets three ways out: the Data page, the sample data, and, when
the data in use is an unnamed draft of their upload, deleting that draft.

The actions run as ``on_click`` callbacks: they happen at the start of the next run, before the
page (which may fail again) is drawn.

Tests set ``CX_PAGE_FAILURES=raise`` (tests/conftest.py) so a failing page is still an exception
there; the tests of this module turn it off.
"""

from __future__ import annotations

import logging
import os

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from cx_core import CXError, t

from ..sync import state
from ..sync.session import language

log = logging.getLogger(__name__)

DATA_PAGE = "app_pages/data.py"
_FLASH_KEY = state.FLASH


def run_page(page) -> None:
    """``page.run()``; a failure becomes a plain message with ways back (never a traceback)."""
    flash = st.session_state.pop(_FLASH_KEY, None)
    if flash:  # a message key (set by whoever deleted a draft), worded here in the reader's language
        st.success(t(str(flash), language()))
    try:
        page.run()
    except ScriptControlException:  # st.rerun, st.stop, st.switch_page: Streamlit's own control flow
        raise
    except Exception as exc:
        if os.environ.get("CX_PAGE_FAILURES") == "raise":
            raise
        log.exception("a page failed: %s", type(exc).__name__)
        show_failure(language())


def show_failure(lang: str) -> None:
    """The message and the ways out of a page that could not be drawn."""
    from ..sync.workspaces import current

    st.error(t("guard.failed", lang))
    st.page_link(DATA_PAGE, label=t("guard.to_data", lang), icon=":material/upload_file:")
    st.button(t("guard.sample", lang), key="guard_sample", on_click=open_sample)
    entry = current()
    if entry is not None and not entry["listed"]:
        st.button(
            t("guard.delete_draft", lang),
            key="guard_delete_draft",
            type="primary",
            on_click=delete_draft,
            args=(entry["id"],),
        )


def open_sample() -> None:
    """Leave the data in use (kept in the store if it was saved) for the built-in sample."""
    from ..sync.workspaces import forget

    forget()
    old = st.session_state.pop(state.WORKSPACE, None)
    st.session_state.pop(state.DATASET, None)
    if old is not None:
        try:
            old.close()
        except Exception:  # noqa: BLE001 - a broken workspace may fail to close; it is dropped anyway
            log.warning("a failed workspace could not be closed cleanly")


def delete_draft(draft_id: str) -> None:
    """Delete the unnamed draft the link reopens, then show the sample."""
    from ..sync.identity import store_user
    from ..sync.workspaces import get_store

    store = get_store()
    if store is not None:
        try:
            store.delete_workspace(draft_id, user=store_user())
        except CXError as exc:
            log.warning("a draft could not be deleted: %s", type(exc).__name__)
    open_sample()
    st.session_state[_FLASH_KEY] = "guard.draft_deleted"
