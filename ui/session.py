"""Per-session state: each browser session owns its Workspace in ``st.session_state``.

Nothing uploaded is ever put in ``st.cache_resource`` or a module global: those are shared by every
session of the server. Only pure parsing is cached (``st.cache_data``), keyed on a SHA-256 of the
file bytes, so two different uploads can never collide.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from cx_core import LoadedData, Mapping, Workspace, load_inputs, t
from cx_core.messages import DEFAULT_LANGUAGE, LANGUAGES
from cx_core.sample import sample_bytes

from . import state

WORKSPACE_KEY = state.WORKSPACE
DATASET_KEY = state.DATASET
_DATASET_SLOT_KEY = "_cx_dataset_caption_slot"


def content_hash(*parts: bytes | None) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(b"\x00" if part is None else hashlib.sha256(part).digest())
    return digest.hexdigest()


@st.cache_data(max_entries=16, show_spinner=False, hash_funcs={bytes: lambda b: hashlib.sha256(b).hexdigest()})
def _load_cached(
    key: str,
    survey: bytes,
    survey_name: str,
    crm: bytes | None,
    crm_name: str | None,
    survey_mapping_json: str | None,
    crm_mapping_json: str | None,
    survey_sheet: str | None = None,
    crm_sheet: str | None = None,
) -> LoadedData:
    # ``key`` is the content hash of every input: it is what makes the cache entry unique.
    return load_inputs(
        survey,
        survey_name,
        crm,
        crm_name,
        survey_mapping=Mapping.from_json(survey_mapping_json) if survey_mapping_json else None,
        crm_mapping=Mapping.from_json(crm_mapping_json) if crm_mapping_json else None,
        survey_sheet=survey_sheet,
        crm_sheet=crm_sheet,
    )


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
    """Parse and validate files (cached by content) - raises CXError on unusable input."""
    sm = survey_mapping.to_json() if survey_mapping else None
    cm = crm_mapping.to_json() if crm_mapping else None
    sheets = f"{survey_sheet}\x00{crm_sheet}".encode()
    key = content_hash(survey, crm, (sm or "").encode(), (cm or "").encode(), sheets)
    return _load_cached(key, survey, survey_name, crm, crm_name, sm, cm, survey_sheet, crm_sheet)


def set_workspace(loaded: LoadedData, name: str) -> Workspace:
    """Replace this session's workspace with a new one built from ``loaded``."""
    old = st.session_state.get(WORKSPACE_KEY)
    ws = Workspace.from_loaded(loaded)
    st.session_state[WORKSPACE_KEY] = ws
    st.session_state[DATASET_KEY] = name
    if old is not None:
        old.close()
    slot = st.session_state.get(_DATASET_SLOT_KEY)
    if slot is not None:  # the sidebar is already drawn in this run: say at once which data is in use
        _draw_dataset_caption(slot)
    return ws


def get_workspace() -> Workspace:
    """This session's workspace: the saved one its link names, else the built-in sample data."""
    from .workspaces import restore_from_link, sync

    ws = st.session_state.get(WORKSPACE_KEY)
    if ws is None:
        ws = restore_from_link()  # a refresh or a shared link: ?ws=<id> reopens the saved workspace
    if ws is None:
        survey, crm = sample_bytes()
        ws = set_workspace(load_data(survey, "survey.csv", crm, "crm.csv"), "sample")
    if not sync(ws):  # keeps the link, an upload's draft and changed settings in the store
        return get_workspace()  # its saved workspace was deleted meanwhile: the sample
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


@st.cache_data(max_entries=16, show_spinner=False)
def _suggest_cached(key: str, data: bytes, name: str, kind: str) -> tuple[list[str], str]:
    from cx_core.ingest import read_table, suggest_mapping

    table = read_table(data, name)
    return list(table.frame.columns), suggest_mapping(table, kind).to_json()


def suggest_for_upload(data: bytes, name: str, kind: str) -> tuple[list[str], Mapping]:
    """Columns of an uploaded file and the suggested mapping (cached by content hash)."""
    columns, mapping_json = _suggest_cached(content_hash(data, kind.encode()), data, name, kind)
    return columns, Mapping.from_json(mapping_json)


@st.cache_data(max_entries=16, show_spinner=False, hash_funcs={bytes: lambda b: hashlib.sha256(b).hexdigest()})
def _preview_cached(
    key: str,
    survey: bytes,
    survey_name: str,
    crm: bytes | None,
    crm_name: str | None,
    survey_sheet: str | None,
    crm_sheet: str | None,
):
    from cx_core.ingest import preview_upload

    return preview_upload(survey, survey_name, crm, crm_name, survey_sheet, crm_sheet)


def preview_for_upload(
    survey: bytes,
    survey_name: str,
    crm: bytes | None = None,
    crm_name: str | None = None,
    survey_sheet: str | None = None,
    crm_sheet: str | None = None,
):
    """Columns, questions, sheets and suggested mappings of uploaded files (cached by content hash)."""
    key = content_hash(survey, crm, f"{survey_sheet}\x00{crm_sheet}".encode())
    return _preview_cached(key, survey, survey_name, crm, crm_name, survey_sheet, crm_sheet)
