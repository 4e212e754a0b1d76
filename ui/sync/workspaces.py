"""Saved workspaces in the app: the list on the Data page, reopening after a refresh, and keeping a
session's edits (role weights, driver needs) in its workspace.

The session's workspace is linked to its saved workspace by ``?ws=<id>`` in the page's link: a
refresh (a new session) reopens it from the store. An upload is kept as an unnamed draft at once
(opened only through that link) until the person saves it under a name. The :class:`Store` is one
per server process (``Store.for_process``): it is a connection pool and holds nobody's data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import uuid

import streamlit as st

from cx_core import CXError, Workspace, t
from cx_core.errors import InvalidParameterError, StoreError, WorkspaceExistsError, WorkspaceNotFoundError
from cx_core.store import Store, StoreConfig, StoredWorkspace

from ..runtime.lifecycle import ensure_session_reaper
from ..widgets.render import md_escape
from .identity import actor, auth_configured, identity_widget, keep_in_url, may_use_store, store_user
from .session import DATASET_KEY, WORKSPACE_KEY, _load_sample, dataset_name, language, set_workspace
from .state import DRIVER_CATALOGUE as CATALOGUE_KEY
from .state import FLASH as FLASH_KEY
from .state import ROLE_WEIGHTS as ROLE_WEIGHTS_KEY
from .state import SCORE_WEIGHTS as SCORE_WEIGHTS_KEY
from .state import SCORE_WEIGHTS_WIDGETS

log = logging.getLogger(__name__)

WS_PARAM = "ws"
STORED_KEY = "cx_stored_workspace"  # {"ws": Workspace, "id", "name", "listed", "settings"}
_RESTORED_KEY = "_cx_ws_link_restored"  # the link was tried once in this session
_FLASH_KEY = "_cx_ws_flash"
_DRAFT_TRIED_KEY = "_cx_ws_draft_tried"  # the Workspace whose draft was attempted
#: the workspace holding the built-in sample and the team's follow-up record on it
SHARED_SAMPLE_NAME = "Sample data · サンプルデータ"
DRAFT_DAYS = 30  # unnamed drafts untouched this long are deleted when a server starts


def get_store() -> Store | None:
    """The store configured by the environment (one per server process: a connection pool holding
    nobody's data), or None when it cannot be used."""
    try:
        store, opened_now = Store.for_process(StoreConfig.from_env())
    except CXError as exc:
        log.warning("the workspace store cannot be used: %s", type(exc).__name__)
        return None
    if opened_now:  # a server start: unnamed drafts nobody touched for a while go
        try:
            store.delete_drafts(dt.timedelta(days=int(os.environ.get("CX_DRAFT_DAYS", DRAFT_DAYS))))
        except (CXError, ValueError):
            log.warning("old drafts could not be deleted")
        try:  # data sets left by a process killed while saving one
            store.delete_orphan_datasets()
        except CXError:
            log.warning("orphan data sets could not be deleted")
    return store


def current() -> dict | None:
    """The saved workspace this session's data came from (or was saved as), if any."""
    entry = st.session_state.get(STORED_KEY)
    ws = st.session_state.get(WORKSPACE_KEY)
    return entry if entry is not None and ws is not None and entry["ws"] is ws else None


def _settings_snapshot() -> str:
    return json.dumps(
        {
            "w": st.session_state.get(ROLE_WEIGHTS_KEY),
            "c": st.session_state.get(CATALOGUE_KEY),
            "s": st.session_state.get(SCORE_WEIGHTS_KEY),
        },
        sort_keys=True,
        default=str,
    )


def _link(ws: Workspace, info, *, settings: str | None = None) -> dict:
    entry = {
        "ws": ws,
        "id": info.id,
        "name": info.name,
        "listed": info.listed,
        "settings": settings if settings is not None else _settings_snapshot(),
    }
    st.session_state[STORED_KEY] = entry
    st.query_params[WS_PARAM] = info.id
    return entry


def _activate(opened: StoredWorkspace) -> Workspace:
    """Make a saved workspace this session's workspace, with its weights and driver needs."""
    from .catalogue import save_catalogue

    dataset = "sample" if opened.info.dataset == "sample" else opened.info.dataset
    ws = set_workspace(opened.loaded, dataset)
    if opened.role_weights:
        st.session_state[ROLE_WEIGHTS_KEY] = dict(opened.role_weights)
    else:
        st.session_state.pop(ROLE_WEIGHTS_KEY, None)
    _use_score_weights(opened.score_weights)
    st.session_state.pop(CATALOGUE_KEY, None)
    if opened.driver_catalogue:
        try:
            save_catalogue(ws, list(opened.driver_catalogue))
        except (CXError, TypeError, ValueError):
            log.warning("a saved driver catalogue did not fit its data; suggestions are used")
    _link(ws, opened.info)
    return ws


def _use_score_weights(saved: dict | None) -> None:
    """The workspace's saved score weights become the session's (and the Overview's control's)."""
    for key in SCORE_WEIGHTS_WIDGETS:  # the Overview's control starts again from these weights
        st.session_state.pop(key, None)
    if isinstance(saved, dict):
        st.session_state[SCORE_WEIGHTS_KEY] = saved
    else:
        st.session_state.pop(SCORE_WEIGHTS_KEY, None)


def get_workspace() -> Workspace:
    """This session's workspace: the saved one its link names, else the built-in sample data.

    It lives here, beside the link it reads, so that ``ui.sync.session`` needs nothing of this module (the
    two imported each other)."""
    ensure_session_reaper()  # once per server process: sessions that ended give their memory back
    ws = st.session_state.get(WORKSPACE_KEY)
    if ws is None:
        ws = restore_from_link()  # a refresh or a shared link: ?ws=<id> reopens the saved workspace
    if ws is None:
        ws = set_workspace(_load_sample(), "sample")
    if not sync(ws):  # keeps the link, an upload's draft and changed settings in the store
        return get_workspace()  # its saved workspace was deleted meanwhile: the sample
    return ws


def restore_from_link() -> Workspace | None:
    """On a session's first run: reopen the workspace named by ``?ws=`` (a refresh, a shared link)."""
    if st.session_state.get(_RESTORED_KEY):
        return None
    st.session_state[_RESTORED_KEY] = True
    ref = st.query_params.get(WS_PARAM)
    if not ref or not may_use_store():
        return None
    store = get_store()
    if store is None:
        return None
    try:
        return _activate(store.open_workspace(ref, store_user()))
    except WorkspaceNotFoundError:
        del st.query_params[WS_PARAM]
        st.warning(t("store.gone", language()))  # said where the person is, not later on the Data page
    except CXError as exc:
        log.warning("a linked workspace could not be opened: %s", type(exc).__name__)
        _offer_broken_link(store, ref)
    return None


def _offer_broken_link(store: Store, ref: str) -> None:
    """Say that the link's workspace could not be opened; an unnamed draft may be deleted."""
    lang = language()
    st.warning(t("guard.link_failed", lang))
    try:
        info = store.get_workspace(ref, store_user())
    except CXError:
        return
    if not info.listed:
        st.button(t("guard.delete_draft", lang), key="ws_delete_broken_draft", on_click=_delete_draft, args=(ref,))


def _delete_draft(ref: str) -> None:
    """on_click: delete an unnamed draft that cannot be opened (runs before the next run draws)."""
    store = get_store()
    if store is None:
        return
    try:
        store.delete_workspace(ref, user=store_user())
        st.session_state[FLASH_KEY] = "guard.draft_deleted"  # a message key: ui.runtime.guard words it
    except CXError as exc:
        log.warning("a draft could not be deleted: %s", type(exc).__name__)


def _draft_name() -> str:
    return f"{dataset_name()} · {dt.datetime.now():%Y-%m-%d %H:%M} · {uuid.uuid4().hex[:6]}"


def _notes_frame(ws: Workspace):
    from cx_core.accounts import follow_up_state

    try:
        frame = follow_up_state(ws)
    except Exception:  # noqa: BLE001 - a workspace without the table has no notes
        return None
    return frame if len(frame) else None


def save_current(ws: Workspace, name: str | None = None) -> dict | None:
    """Save this session's data as a workspace (a draft without ``name``) and link the session to it.

    Saved from a workspace of the store ("Save as"), the new one keeps its follow-up history.
    """
    store = get_store()
    if store is None or ws.loaded is None or not may_use_store():
        return None
    source = current()
    info = store.create_workspace(
        name or _draft_name(),
        ws.loaded,
        dataset=dataset_name(),
        owner=store_user(),
        role_weights=st.session_state.get(ROLE_WEIGHTS_KEY),
        driver_catalogue=st.session_state.get(CATALOGUE_KEY),
        follow_up_notes=_notes_frame(ws),
        score_weights=st.session_state.get(SCORE_WEIGHTS_KEY),
        by=actor(),
        listed=name is not None,
        history_from=source["id"] if source is not None else None,
    )
    return _link(ws, info)


def ensure_saved(ws: Workspace) -> dict | None:
    """The session's saved workspace, saved now if it was not yet: the team's shared sample for the
    built-in sample (so a colleague who opens the app sees the same follow-up list), else a draft."""
    return current() or link_shared_sample(ws, create=True) or save_current(ws)


def shown_name(name: str, lang: str) -> str:
    """A workspace's name as the reader sees it: the team's shared sample in the reader's language."""
    return t("store.shared_sample_name", lang) if name == SHARED_SAMPLE_NAME else name


def link_shared_sample(ws: Workspace, *, create: bool) -> dict | None:
    """Link a session showing the built-in sample to the one workspace of the store that holds the
    sample for everyone (created with ``create``): its follow-up record is the team's, not a tab's.

    A "done" mark used to live on a draft only its own tab's link opened: a colleague opening the
    app saw every item still open. Without sign-in everyone sees everything anyway; with sign-in,
    workspaces are private and the sample is saved per person as before.
    """
    if dataset_name() != "sample" or ws.loaded is None or not may_use_store() or auth_configured():
        return None  # with sign-in, each person's record stays theirs until they share it
    store = get_store()
    if store is None:
        return None
    try:
        info = store.get_workspace(SHARED_SAMPLE_NAME, store_user())
    except WorkspaceNotFoundError:
        if not create:
            return None
        try:
            info = store.create_workspace(
                SHARED_SAMPLE_NAME,
                ws.loaded,
                dataset="sample",
                owner=None,
                by=actor(),
                listed=True,
                score_weights=st.session_state.get(SCORE_WEIGHTS_KEY),
            )
        except WorkspaceExistsError:  # another session created it meanwhile
            info = store.get_workspace(SHARED_SAMPLE_NAME, store_user())
        else:
            return _link(ws, info)
    if not create:  # a session opening the team's sample: the team's weights are its weights
        _use_score_weights(store.settings(info.id, store_user()).get("score_weights"))
    return _link(ws, info)


def sync(ws: Workspace) -> bool:
    """Every run: keep the link in the URL, keep an upload as a draft, save changed settings.

    False when the saved workspace of this session was deleted meanwhile (its data is dropped)."""
    keep_in_url()
    entry = current()
    if entry is None and not st.session_state.get(_RESTORED_KEY + "_sample_tried"):
        st.session_state[_RESTORED_KEY + "_sample_tried"] = True  # once per session: no store query per run
        try:
            entry = link_shared_sample(ws, create=False)  # the team's follow-up list is the default
        except CXError as exc:
            log.warning("the shared sample could not be opened: %s", type(exc).__name__)
    if entry is None:
        tried = st.session_state.get(_DRAFT_TRIED_KEY)
        if dataset_name() != "sample" and ws.loaded is not None and may_use_store() and tried is not ws:
            st.session_state[_DRAFT_TRIED_KEY] = ws  # once per loaded data set, even when it fails
            try:
                save_current(ws)
            except CXError as exc:
                log.warning("an upload could not be kept as a draft: %s", type(exc).__name__)
        elif WS_PARAM in st.query_params and st.session_state.get(_RESTORED_KEY):
            del st.query_params[WS_PARAM]  # the link named data this session no longer shows
        return True
    store = get_store()
    if store is None:
        return True
    try:
        store.get_workspace(entry["id"], store_user())
    except WorkspaceNotFoundError:  # deleted by someone (or no longer shared): its data goes here too
        forget()
        st.session_state.pop(WORKSPACE_KEY, None)
        st.session_state.pop(DATASET_KEY, None)
        st.warning(t("store.gone", language()))
        return False
    except CXError:
        return True
    if st.query_params.get(WS_PARAM) != entry["id"]:
        st.query_params[WS_PARAM] = entry["id"]
    snapshot = _settings_snapshot()
    if snapshot != entry["settings"]:
        try:
            store.save_settings(
                entry["id"],
                role_weights=st.session_state.get(ROLE_WEIGHTS_KEY),
                driver_catalogue=st.session_state.get(CATALOGUE_KEY),
                score_weights=st.session_state.get(SCORE_WEIGHTS_KEY),
                user=store_user(),
            )
            entry["settings"] = snapshot
        except WorkspaceNotFoundError:
            forget()
        except CXError as exc:
            log.warning("settings could not be saved: %s", type(exc).__name__)
    return True


def forget() -> None:
    """Unlink the session from its saved workspace (deleted, or the person went back to the sample)."""
    st.session_state.pop(STORED_KEY, None)
    if WS_PARAM in st.query_params:
        del st.query_params[WS_PARAM]


def error_text(exc: CXError, lang: str, name: str = "") -> str:
    if isinstance(exc, WorkspaceExistsError):
        return t("store.exists", lang, name=name)
    if isinstance(exc, InvalidParameterError) and "owner" in str(exc):
        return t("store.only_owner", lang)
    if isinstance(exc, WorkspaceNotFoundError):
        return t("store.gone", lang)
    if isinstance(exc, StoreError):
        return t("store.unavailable", lang)
    return str(exc)


def workspaces_panel(lang: str) -> None:
    """The Data page's list of saved workspaces: save as, open, delete (and share, when signed in)."""
    from cx_core.i18n_format import format_date

    st.subheader(t("store.heading", lang), anchor=False)
    st.caption(t("store.help", lang))
    flash = st.session_state.pop(_FLASH_KEY, None)
    if flash:
        getattr(st, flash[0])(flash[1])  # its values (names typed by a person) were escaped when it was made
    identity_widget(lang, key="data_ws_who")
    if not may_use_store():
        return
    store = get_store()
    if store is None:
        st.warning(t("store.unavailable", lang))
        return
    ws = get_workspace()
    entry = current()
    if entry is None:
        st.caption(t("store.not_saved", lang))
    elif entry["listed"]:
        st.markdown(t("store.current", lang, name=md_escape(shown_name(entry["name"], lang))))
    else:
        st.caption(t("store.current_draft", lang))

    with st.form("data_ws_save_form", clear_on_submit=False):
        name = st.text_input(t("store.name", lang), key="data_ws_name", max_chars=200)
        save = st.form_submit_button(t("store.save_as", lang), key="data_ws_save")
    if save and name.strip():
        try:
            if entry is not None and not entry["listed"]:
                info = store.rename(entry["id"], name, user=store_user())
                entry.update(name=info.name, listed=True)
            else:
                entry = save_current(ws, name.strip())
            st.session_state[_FLASH_KEY] = ("success", t("store.saved_as", lang, name=md_escape(name.strip())))
            st.rerun()
        except CXError as exc:
            st.error(md_escape(error_text(exc, lang, name.strip())))

    infos = store.list_workspaces(store_user())
    if not infos:
        st.caption(t("store.list_empty", lang))
        return
    labels = {
        i.id: t(
            "store.row",
            lang,
            name=shown_name(i.name, lang),
            responses=f"{i.responses:,}",
            changed=format_date(i.updated_at.date().isoformat(), lang),
        )
        for i in infos
    }
    picked = st.selectbox(
        t("store.pick", lang), list(labels), format_func=lambda i: labels.get(i, i), key="data_ws_pick"
    )
    chosen = next(i for i in infos if i.id == picked)
    c1, c2 = st.columns([1, 3])
    if c1.button(t("store.open", lang), key="data_ws_open"):
        try:
            opened = store.open_workspace(chosen.id, store_user())
            _activate(opened)
            st.session_state[_FLASH_KEY] = (
                "success",
                t("store.opened", lang, name=md_escape(chosen.name), responses=f"{chosen.responses:,}"),
            )
            st.rerun()
        except CXError as exc:
            st.error(md_escape(error_text(exc, lang)))
    confirm = c2.checkbox(t("store.delete_confirm", lang, name=md_escape(chosen.name)), key="data_ws_delete_confirm")
    if confirm and c2.button(t("store.delete", lang), key="data_ws_delete", type="primary"):
        try:
            store.delete_workspace(chosen.id, user=store_user())
            if entry is not None and entry["id"] == chosen.id:
                forget()
                st.session_state.pop(WORKSPACE_KEY, None)
                st.session_state.pop(DATASET_KEY, None)
            st.session_state[_FLASH_KEY] = ("success", t("store.deleted", lang, name=md_escape(chosen.name)))
            st.session_state.pop("data_ws_delete_confirm", None)
            st.rerun()
        except CXError as exc:
            st.error(md_escape(error_text(exc, lang)))
    if auth_configured() and entry is not None and entry["listed"]:
        _sharing(store, entry, lang)


def _sharing(store: Store, entry: dict, lang: str) -> None:
    info = store.get_workspace(entry["id"], store_user())
    if info.owner is None or info.owner.casefold() != (store_user() or "").casefold():
        return
    with st.form("data_ws_share_form"):
        people = st.text_input(t("store.share_with", lang), value=", ".join(info.shared_with), key="data_ws_share")
        if st.form_submit_button(t("store.share_save", lang), key="data_ws_share_save"):
            store.share(info.id, people.split(","), user=store_user())
            st.success(t("store.shared", lang))
