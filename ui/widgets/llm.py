"""LLM settings for pages: an OpenAI-compatible endpoint from the environment, secrets or the page.

Reads ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``CX_LLM_MODEL``, ``CX_LLM_TIMEOUT``,
``CX_LLM_CONCURRENCY``, ``CX_LLM_FORMAT`` and ``CX_LLM_BUDGET`` (the same names the Themes page reads) from the
environment, then from ``.streamlit/secrets.toml``. Values are never displayed. What an endpoint
can do is discovered once per browser session and endpoint (``session_state``, never a global).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

import streamlit as st

from cx_core import t
from cx_core.themes import (
    ENV_KEYS,
    EndpointCapabilities,
    LLMConfig,
    ThemeEngine,
    ThemeResult,
    discover_capabilities,
    extract_themes,
    make_client,
)

from ..sync import state
from ..sync.session import OFFLINE_THEMES_SLOT, session_memo, session_memo_peek

CAPABILITIES_KEY = state.LLM_CAPABILITIES
_FORMAT_CHOICES = ("auto", "json_schema", "json_object_schema", "json_object", "plain")


def configured_values() -> dict[str, str]:
    """The LLM settings that are set, environment first, secrets overriding."""
    values = {k: os.environ[k] for k in ENV_KEYS if os.environ.get(k)}
    try:
        values.update({k: str(st.secrets[k]) for k in ENV_KEYS if k in st.secrets})
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        pass
    return values


def configured_llm(lang: str) -> LLMConfig | None:
    """An :class:`LLMConfig` from the environment/secrets, or None when no key is set."""
    return LLMConfig.from_mapping(configured_values(), language=lang)


def _comments_hash(comments) -> str:
    digest = hashlib.sha256()
    for c in comments:
        digest.update(f"{c.response_id}\x1f{c.text}\x1f{c.nps}\x1e".encode())
    return digest.hexdigest()


OFFLINE_MEMO_SIZE = 4  #: distinct sets of comments whose offline themes a session keeps (filters, questions)


def cached_offline_themes(comments) -> ThemeResult | None:
    """The offline themes of ``comments`` if this session already computed them, else None."""
    return session_memo_peek(OFFLINE_THEMES_SLOT, _comments_hash(comments))


def offline_themes(comments, progress: Callable[[float, str], None] | None = None) -> ThemeResult:
    """The offline themes of ``comments``, computed once per distinct set of comments in this session.

    Remembered in the session's own state (keyed on the comments' content hash), never in a cache
    shared between sessions: the Themes and Account pages share the slot, so the whole data set's
    themes are computed once per session; ``progress`` hears the engine's steps while they are computed.
    """
    return session_memo(
        OFFLINE_THEMES_SLOT,
        _comments_hash(comments),
        lambda: extract_themes(comments, ThemeEngine.OFFLINE, progress=progress),
        keep=OFFLINE_MEMO_SIZE,
    )


def llm_settings(lang: str, configured: dict[str, str], prefix: str = "themes") -> dict[str, str]:
    """The LLM settings widgets (key, base URL, model, timeout, requests at a time, format, budget).

    Starts from ``configured`` (environment/secrets); returns the values to build an
    :class:`LLMConfig` from. The key is typed in a password field and never echoed.
    """
    if "OPENAI_API_KEY" in configured:
        st.caption(t("themes.key_source", lang, source="env / secrets"))
    typed_key = st.text_input(t("themes.api_key", lang), type="password", key=f"{prefix}_api_key")
    base_url = st.text_input(
        t("themes.base_url", lang), value=configured.get("OPENAI_BASE_URL", ""), key=f"{prefix}_base_url"
    )
    model = st.text_input(
        t("themes.model", lang), value=configured.get("CX_LLM_MODEL", "gpt-4o-mini"), key=f"{prefix}_model"
    )
    defaults = LLMConfig.from_mapping({**configured, "OPENAI_API_KEY": "x"})
    assert defaults is not None  # a key is given, so the mapping always makes a config
    left, middle, right = st.columns(3)
    timeout = left.number_input(
        t("themes.llm_timeout", lang),
        min_value=1.0,
        max_value=600.0,
        value=float(defaults.timeout),
        step=5.0,
        key=f"{prefix}_llm_timeout",
    )
    concurrency = middle.number_input(
        t("themes.llm_concurrency", lang),
        min_value=0,
        max_value=16,
        value=int(defaults.concurrency),
        step=1,
        key=f"{prefix}_llm_concurrency",
    )
    fmt = right.selectbox(
        t("themes.llm_format", lang),
        list(_FORMAT_CHOICES),
        index=_FORMAT_CHOICES.index(defaults.output_format),
        format_func=lambda f: t(f"themes.format.{f}", lang),
        key=f"{prefix}_llm_format",
    )
    budget = st.number_input(
        t("themes.llm_budget", lang),
        min_value=0.0,
        max_value=3600.0,
        value=float(defaults.budget),
        step=30.0,
        help=t("themes.llm_budget_help", lang),
        key=f"{prefix}_llm_budget",
    )
    values = dict(configured)
    if typed_key:
        values["OPENAI_API_KEY"] = typed_key
    values.update(
        {
            "OPENAI_BASE_URL": base_url,
            "CX_LLM_MODEL": model,
            "CX_LLM_TIMEOUT": str(timeout),
            "CX_LLM_CONCURRENCY": str(concurrency),
            "CX_LLM_FORMAT": str(fmt),
            "CX_LLM_BUDGET": str(budget),
        }
    )
    return values


def _capabilities_key(config: LLMConfig) -> tuple:
    return (config.base_url or "", config.model, config.output_format, config.concurrency, config.timeout)


def known_capabilities(config: LLMConfig) -> EndpointCapabilities | None:
    """What this session already found out about the endpoint of ``config`` (no request is sent)."""
    return st.session_state.get(CAPABILITIES_KEY, {}).get(_capabilities_key(config))


def endpoint_capabilities(config: LLMConfig) -> EndpointCapabilities | None:
    """What the endpoint of ``config`` handles, discovered once per session and endpoint.

    None when discovery failed (the engine then reports the real reason itself).
    """
    store = st.session_state.setdefault(CAPABILITIES_KEY, {})
    key = _capabilities_key(config)
    if key not in store:
        try:
            capabilities, _reason, _sent = discover_capabilities(make_client(config), config)
        except Exception:  # noqa: BLE001 - a broken configuration must not break the page
            capabilities = None
        if capabilities is None:
            return None  # not cached: the next run tries again and reports why
        store[key] = capabilities
    return store[key]


def llm_notice(message: dict, lang: str) -> str:
    """One engine message (``{"code": key, **values}``) in words, every failure reason counted."""
    values = {k: v for k, v in message.items() if k not in ("code", "reasons", "not_sent")}
    if "format" in values:
        values["format"] = t(f"themes.format.{values['format']}", lang)
    if message.get("reasons"):
        values["reason"] = ", ".join(
            t("themes.reason_count", lang, reason=t(f"themes.reason.{r}", lang), n=n)
            for r, n in message["reasons"].items()
        )
    elif "reason" in values:
        values["reason"] = t(f"themes.reason.{values['reason']}", lang)
    text = t(message["code"], lang, **values)
    if message.get("not_sent"):
        reason = t(f"themes.reason.{message['reason']}", lang)
        text += " " + t("themes.msg.llm_not_sent", lang, n=message["not_sent"], reason=reason)
    if message.get("reason") == "timeout":
        text += " " + t("themes.msg.llm_timeout_hint", lang)
    return text


def render_llm_messages(messages: list[dict], lang: str) -> None:
    """The engine's notices: the endpoint summary as a caption, everything else as a warning."""
    for message in messages:
        if message.get("code") == "themes.msg.llm_endpoint":
            st.caption(llm_notice(message, lang))
        else:
            st.warning(llm_notice(message, lang))
