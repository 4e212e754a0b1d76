"""The session's driver catalogue: suggested needs plus the person's edits, kept per session.

Stored in ``st.session_state[ui.sync.state.DRIVER_CATALOGUE]`` as a list of dicts (never in a global), and
reset when a different dataset is loaded.
"""

from __future__ import annotations

import streamlit as st

from cx_core.drivers import catalogue_from_workspace, normalise_catalogue
from cx_core.workspace import Workspace

from . import state

CATALOGUE_KEY = state.DRIVER_CATALOGUE
_OWNER_KEY = state.DRIVER_CATALOGUE_OWNER


def _fingerprint(ws: Workspace) -> tuple:
    return (id(ws), tuple(d.key for d in ws.drivers))


def session_catalogue(ws: Workspace) -> list[dict]:
    """The catalogue of this session's data (suggestions until the person edits a need)."""
    stored = st.session_state.get(CATALOGUE_KEY)
    if stored is None or st.session_state.get(_OWNER_KEY) != _fingerprint(ws):
        stored = catalogue_from_workspace(ws)
        st.session_state[CATALOGUE_KEY] = stored
        st.session_state[_OWNER_KEY] = _fingerprint(ws)
    return [dict(item) for item in stored]


def save_catalogue(ws: Workspace, catalogue: list[dict]) -> None:
    """Keep an edited catalogue (validated: unknown needs raise a CXError)."""
    normalise_catalogue(catalogue)
    st.session_state[CATALOGUE_KEY] = [dict(item) for item in catalogue]
    st.session_state[_OWNER_KEY] = _fingerprint(ws)


def reset_catalogue(ws: Workspace) -> None:
    """Back to the suggested needs."""
    st.session_state[CATALOGUE_KEY] = catalogue_from_workspace(ws)
    st.session_state[_OWNER_KEY] = _fingerprint(ws)
