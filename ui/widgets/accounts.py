"""Streamlit helpers shared by the account pages: the as-of date and the role weights."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from cx_core import t
from cx_core.accounts import default_as_of

from ..sync import state
from ..sync.session import dataset_name

AS_OF_KEY = state.AS_OF
ROLE_WEIGHTS_KEY = state.ROLE_WEIGHTS  # set by the segmentation page when a person edits the weights


def as_of_input(lang: str, *, key: str) -> dt.date:
    """A date input for the rules' "today", shared by the account pages of this session.

    Defaults to :func:`cx_core.accounts.default_as_of` (the sample story's today on the sample).
    """
    dataset = dataset_name()
    stored = st.session_state.get(AS_OF_KEY)
    if not stored or stored[0] != dataset:
        stored = (dataset, default_as_of(dataset == "sample"))
    picked = st.date_input(t("accounts.as_of", lang), value=stored[1], key=key, help=t("accounts.as_of_help", lang))
    if not isinstance(picked, dt.date):
        picked = stored[1]
    st.session_state[AS_OF_KEY] = (dataset, picked)
    return picked


def role_weights() -> dict[str, float] | None:
    """The role weights chosen on the segmentation page, or None for the defaults."""
    weights = st.session_state.get(ROLE_WEIGHTS_KEY)
    return dict(weights) if isinstance(weights, dict) else None
