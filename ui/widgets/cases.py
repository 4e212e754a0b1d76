"""The support cases uploader of the Data page: cases join the loaded workspace's accounts."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - used in the signature
import hashlib

import streamlit as st

from cx_core import t
from cx_core.accounts import account_cases, attach_cases, default_as_of, has_cases
from cx_core.ingest import load_cases
from ui.sync.session import dataset_name
from ui.widgets.presenter import md_escape
from ui.widgets.render import show_table
from ui.widgets.uploads import upload_limit_mb

_DIGEST_KEY = "data_cases_digest"


def render_cases_upload(ws, lang: str, as_of: dt.date | None = None) -> None:
    """Upload a case/ticket export; its cases join the accounts of ``ws`` (this session's workspace).

    The file is read once per upload (its digest is kept in the session), and again when a new
    survey/CRM load replaced the workspace, so the cases stay with what the person loaded.
    """
    st.subheader(t("cases.title", lang))
    st.caption(t("cases.help", lang))
    upload = st.file_uploader(
        t("cases.upload", lang),
        type=["csv", "tsv", "txt", "xlsx", "xlsm"],
        key="data_upload_cases",
        max_upload_size=upload_limit_mb(),
    )
    if upload is not None:
        data = upload.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        if st.session_state.get(_DIGEST_KEY) != digest or not has_cases(ws):
            cases, report = load_cases(data, upload.name)
            attach_cases(ws, cases, report)
            st.session_state[_DIGEST_KEY] = digest
    if has_cases(ws):
        per_account = account_cases(ws, as_of or default_as_of(dataset_name() == "sample"))
        st.write(
            t(
                "cases.loaded",
                lang,
                cases=int(per_account["cases_total"].sum()),
                accounts=len(per_account),
                escalated=int(per_account["cases_escalated"].sum()),
                open=int(per_account["cases_open"].sum()),
            )
        )
        if not ws.has_crm:
            st.caption(t("cases.no_crm", lang))


def render_account_cases(view, lang: str) -> None:
    """The account's support cases on the Account page: counts, top reasons, open/escalated ones."""
    cases = getattr(view, "cases", None)
    if cases is None or cases.empty:
        return
    acc = view.health
    st.markdown(
        t(
            "accounts.cases_line",
            lang,
            escalated=int(acc.get("cases_escalated", 0)),
            open=int(acc.get("cases_open", 0)),
            total=int(acc.get("cases_total", 0)),
        )
    )
    reasons = list(acc.get("case_reasons") or [])
    if reasons:
        st.caption(t("accounts.cases_reasons", lang, reasons=md_escape(", ".join(reasons))))
    pending = cases[cases["is_open"] | cases["is_escalated"]]
    if not pending.empty:
        show_table(pending.head(20), "account_table_cases", lang)  # the one table layout
