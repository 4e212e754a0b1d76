"""The upload limit the page's file widgets show and enforce: this server's, in whole MB."""

from __future__ import annotations

import streamlit as st

from cx_core.capacity import MIB
from cx_core.ingest.limits import upload_limit


def upload_limit_mb() -> int:
    """:func:`cx_core.ingest.limits.upload_limit` in MB, never above what the running server accepts
    (``server.maxUploadSize``: ``make run`` sets it to the same limit; a server started without it
    keeps the config's 200 MB, and a bigger widget limit would only end in the server's refusal)."""
    server = st.get_option("server.maxUploadSize")
    return max(1, min(upload_limit() // MIB, int(server)))
