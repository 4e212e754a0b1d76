"""LLM settings for pages: an OpenAI-compatible endpoint from the environment or secrets.

Reads ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` and ``CX_LLM_MODEL`` (the same names the Themes page
reads) from the environment, then from ``.streamlit/secrets.toml``. Values are never displayed.
"""

from __future__ import annotations

import hashlib
import os

import streamlit as st

from cx_core import t
from cx_core.themes import ENV_KEYS, LLMConfig, ThemeEngine, ThemeResult, extract_themes


def configured_values() -> dict[str, str]:
    """The LLM settings that are set, environment first, secrets overriding."""
    values = {k: os.environ[k] for k in ENV_KEYS if os.environ.get(k)}
    try:
        values.update({k: str(st.secrets[k]) for k in ENV_KEYS if k in st.secrets})
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        pass
    return values


def configured_llm(lang: str = "en") -> LLMConfig | None:
    """An :class:`LLMConfig` from the environment/secrets, or None when no key is set."""
    return LLMConfig.from_mapping(configured_values(), language=lang)


def notice_text(message: dict, lang: str) -> str:
    """A theme or phrasing notice (``{"code": key, **values}``, e.g. an LLM failure) in ``lang``."""
    values = {k: v for k, v in message.items() if k != "code"}
    if "reason" in values:
        values["reason"] = t(f"themes.reason.{values['reason']}", lang)
    return t(message["code"], lang, **values)


def _comments_hash(comments) -> str:
    digest = hashlib.sha256()
    for c in comments:
        digest.update(f"{c.response_id}\x1f{c.text}\x1f{c.nps}\x1e".encode())
    return digest.hexdigest()


@st.cache_data(max_entries=8, show_spinner=False)
def _offline_cached(key: str, _comments) -> ThemeResult:
    # ``key`` is the content hash of the comments: it alone identifies the cache entry.
    return extract_themes(_comments, ThemeEngine.OFFLINE)


def offline_themes(comments) -> ThemeResult:
    """The offline themes of ``comments``, computed once per distinct set of comments (by content hash)."""
    return _offline_cached(_comments_hash(comments), comments)
