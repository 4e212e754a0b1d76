"""Per-session state: each browser session owns its Workspace in ``st.session_state``.

Nothing a person uploaded, nor anything derived from it, is kept anywhere that outlives their
session: not in ``st.cache_resource``, ``st.cache_data`` or a module global (those are shared by
every session of the server and kept until they expire). Work worth keeping between reruns is
memoised in the session's own state (:func:`session_memo`), which Streamlit frees with the
session. The only process-wide cache holds the built-in sample, which is nobody's data.
"""

from __future__ import annotations

import copy
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cx_core import LoadedData, Mapping, Workspace, load_inputs, t
from cx_core.messages import DEFAULT_LANGUAGE, LANGUAGES
from cx_core.sample import sample_bytes

from ..runtime.lifecycle import register_workspace
from . import state

WORKSPACE_KEY = state.WORKSPACE
DATASET_KEY = state.DATASET
_DATASET_SLOT_KEY = "_cx_dataset_caption_slot"
MEMO_KEY = state.MEMO
OFFLINE_THEMES_SLOT = state.OFFLINE_THEMES_SLOT


def content_hash(*parts: bytes | None) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(b"\x00" if part is None else hashlib.sha256(part).digest())
    return digest.hexdigest()


def session_memo(slot: str, key: Hashable, compute: Callable[[], Any], *, keep: int = 1) -> Any:
    """``compute()``, or this session's remembered result for the same ``slot`` and ``key``.

    The result lives in this session's state only (freed with the session, never seen by another
    one); each slot keeps its ``keep`` most recently used results. ``key`` must name every input
    the result depends on (a content hash of an upload, the workspace version, the filters...).
    """
    memo = st.session_state.setdefault(MEMO_KEY, {})
    entries = memo.setdefault(slot, OrderedDict())
    try:
        entries.move_to_end(key)
        return entries[key]
    except KeyError:  # not remembered (or dropped meanwhile by an overlapping run of this session)
        pass
    value = compute()
    entries[key] = value
    while len(entries) > keep:
        entries.popitem(last=False)
    return value


def session_memo_peek(slot: str, key: Hashable) -> Any:
    """This session's remembered result for ``slot`` and ``key``, or None (never computes)."""
    entries = st.session_state.get(MEMO_KEY, {}).get(slot)
    return None if entries is None else entries.get(key)


def forget_views() -> None:
    """Drop this session's memoised page views (new data was loaded: the old views would keep it alive)."""
    memo = st.session_state.get(MEMO_KEY)
    if memo:
        for slot in [s for s in memo if s.startswith("view:")]:
            memo.pop(slot, None)


def memo_view(slot: str, ws: Workspace, inputs: Hashable, compute: Callable[[], Any], *, keep: int = 4) -> Any:
    """A page's core view, computed once per (workspace version, ``inputs``) in this session.

    A rerun that changed none of the page's inputs (a click elsewhere, a widget of another
    section, a page switch and back) gets the same object back without touching the database.
    ``inputs`` must hold everything the view depends on besides the workspace: the filters, the
    page's options, the language of its texts.
    """
    return session_memo(f"view:{slot}", (ws.token, ws.version, _hashable(inputs)), compute, keep=keep)


def _hashable(value: Any) -> Hashable:
    """``value`` as a memo key: dicts, lists and sets become sorted tuples (role weights, catalogues...)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(v) for v in value))
    hash(value)  # raises TypeError for anything else that cannot name an input
    return value


@st.cache_data(max_entries=1, show_spinner=False)
def _load_sample() -> LoadedData:
    # The built-in sample is nobody's data: the one parse worth sharing between sessions.
    # st.cache_data hands every caller its own copy.
    survey, crm = sample_bytes()
    return load_inputs(survey, "survey.csv", crm, "crm.csv")


def load_data(
    survey: bytes,
    survey_name: str,
    crm: bytes | None = None,
    crm_name: str | None = None,
    survey_mapping: Mapping | None = None,
    crm_mapping: Mapping | None = None,
    survey_sheet: str | None = None,
    crm_sheet: str | None = None,
) -> LoadedData:
    """Parse and validate files (a fresh result each call) - raises CXError on unusable input.

    Not cached: it runs once per click on the Load button, and a cache shared between sessions
    would keep a copy of every upload after its owner left.
    """
    return load_inputs(
        survey,
        survey_name,
        crm,
        crm_name,
        survey_mapping=survey_mapping,
        crm_mapping=crm_mapping,
        survey_sheet=survey_sheet,
        crm_sheet=crm_sheet,
    )


def set_workspace(loaded: LoadedData, name: str) -> Workspace:
    """Replace this session's workspace with a new one built from ``loaded``."""
    old = st.session_state.get(WORKSPACE_KEY)
    ws = Workspace.from_loaded(loaded)
    ctx = get_script_run_ctx()
    register_workspace(ctx.session_id if ctx else None, ws)  # released by the reaper when the session ends
    st.session_state[WORKSPACE_KEY] = ws
    st.session_state[DATASET_KEY] = name
    forget_views()
    if old is not None:
        old.close()
    slot = st.session_state.get(_DATASET_SLOT_KEY)
    if slot is not None:  # the sidebar is already drawn in this run: say at once which data is in use
        _draw_dataset_caption(slot)
    return ws


def dataset_name() -> str:
    return st.session_state.get(DATASET_KEY, "sample")


def _draw_dataset_caption(slot) -> None:
    lang = language()
    name = t("sidebar.sample", lang) if dataset_name() == "sample" else t("sidebar.uploaded", lang)
    slot.caption(t("sidebar.dataset", lang, name=name))


def forget_dataset_caption() -> None:
    """Forget the previous run's caption slot (called first thing in each run by the sidebar)."""
    st.session_state.pop(_DATASET_SLOT_KEY, None)


def dataset_caption() -> None:
    """The caption naming the data in use ("Data: your upload").

    Drawn in a slot that :func:`set_workspace` redraws, so loading new data in the middle of a run
    (the Data page's load button) updates it at once instead of on the next run.
    """
    slot = st.empty()
    st.session_state[_DATASET_SLOT_KEY] = slot
    _draw_dataset_caption(slot)


def language() -> str:
    lang = st.session_state.get(state.LANGUAGE, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def suggest_for_upload(data: bytes, name: str, kind: str) -> tuple[list[str], Mapping]:
    """Columns of an uploaded file and the suggested mapping (remembered in this session)."""
    from cx_core.ingest import read_table, suggest_mapping

    def compute() -> tuple[list[str], str]:
        table = read_table(data, name)
        return list(table.frame.columns), suggest_mapping(table, kind).to_json()

    columns, mapping_json = session_memo("suggest", (content_hash(data, kind.encode()), name), compute, keep=2)
    return list(columns), Mapping.from_json(mapping_json)


def preview_for_upload(
    survey: bytes,
    survey_name: str,
    crm: bytes | None = None,
    crm_name: str | None = None,
    survey_sheet: str | None = None,
    crm_sheet: str | None = None,
):
    """Columns, questions, sheets and suggested mappings of uploaded files (remembered in this session).

    Every rerun of the Data page asks for it while files are uploaded; only new files or sheets
    parse again. The previous files' preview is dropped (``keep=1``).
    """
    from cx_core.ingest import preview_upload

    key = (content_hash(survey, crm, f"{survey_sheet}\x00{crm_sheet}".encode()), survey_name, crm_name)
    preview = session_memo(
        "preview",
        key,
        lambda: preview_upload(survey, survey_name, crm, crm_name, survey_sheet, crm_sheet),
        keep=1,
    )
    return copy.deepcopy(preview)  # the page may adjust the suggestions; the remembered ones stay as parsed
