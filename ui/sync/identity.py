"""Who is acting: the signed-in person (Streamlit authentication) or a name the person types.

- With ``[auth]`` in ``.streamlit/secrets.toml`` (OpenID Connect, ``st.login``), the history
  records the signed-in person's e-mail and the store shows only the workspaces shared with them.
- Without it (one person on a laptop), nobody signs in, every workspace is listed, and the history
  records the name typed here, kept in the page's link (``?by=``) so a refresh keeps it.
"""

from __future__ import annotations

import streamlit as st

from cx_core import t

from ..widgets.render import md_escape

BY_PARAM = "by"
_NAME_KEY = "cx_acting_name"


def auth_configured() -> bool:
    """True when Streamlit authentication (``[auth]`` in secrets.toml) is set up."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: no authentication
        return False


def signed_in_user() -> str | None:
    """The signed-in person's e-mail (or name), or None."""
    if not auth_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        return str(st.user.get("email") or st.user.get("name") or st.user.get("sub") or "") or None
    except Exception:  # noqa: BLE001 - an identity provider answer without the expected claims
        return None


def store_user() -> str | None:
    """Whom the store shows workspaces for: the signed-in person; None (everyone) without sign-in."""
    return signed_in_user() if auth_configured() else None


def may_use_store() -> bool:
    """False only when sign-in is configured and nobody is signed in."""
    return not auth_configured() or signed_in_user() is not None


def actor() -> str | None:
    """The name recorded in the history for this person's changes."""
    if auth_configured():
        return signed_in_user()
    name = st.session_state.get(_NAME_KEY)
    if name is None:
        name = st.query_params.get(BY_PARAM, "")
        st.session_state[_NAME_KEY] = name
    return name.strip() or None


def keep_in_url() -> None:
    """Put the chosen name back in the link (a page switch drops the query string)."""
    name = st.session_state.get(_NAME_KEY)
    if name and not auth_configured() and st.query_params.get(BY_PARAM) != name:
        st.query_params[BY_PARAM] = name


def identity_widget(lang: str, *, key: str) -> str | None:
    """Sign-in state (with sign-in/out buttons) or the name input; returns :func:`actor`."""
    if auth_configured():
        user = signed_in_user()
        if user is None:
            st.info(t("who.sign_in_needed", lang))
            if st.button(t("who.sign_in", lang), key=f"{key}_sign_in"):
                st.login()
            return None
        c1, c2 = st.columns([4, 1])
        c1.caption(t("who.signed_in", lang, user=md_escape(user)))
        if c2.button(t("who.sign_out", lang), key=f"{key}_sign_out"):
            st.logout()
        return user
    current = actor() or ""

    def remember() -> None:
        typed = str(st.session_state.get(f"{key}_name", "")).strip()[:120]
        st.session_state[_NAME_KEY] = typed
        if typed:
            st.query_params[BY_PARAM] = typed
        elif BY_PARAM in st.query_params:
            del st.query_params[BY_PARAM]

    st.session_state[f"{key}_name"] = current
    st.text_input(t("who.name", lang), key=f"{key}_name", help=t("who.name_help", lang), on_change=remember)
    return actor()
