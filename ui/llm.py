"""LLM settings for pages: an OpenAI-compatible endpoint from the environment or secrets.

Reads ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` and ``CX_LLM_MODEL`` (the same names the Themes page
reads) from the environment, then from ``.streamlit/secrets.toml``. Values are never displayed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

import streamlit as st

from cx_core import t
from cx_core.themes import ENV_KEYS, LLMConfig, ThemeEngine, ThemeResult, extract_themes
from ui import state


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


OFFLINE_MEMO_SIZE = 8  #: distinct sets of comments whose offline themes a session keeps


def cached_offline_themes(comments) -> ThemeResult | None:
    """The offline themes of ``comments`` if this session already computed them, else None."""
    return st.session_state.get(state.THEMES_OFFLINE_RESULTS, {}).get(_comments_hash(comments))


def offline_themes(comments, progress: Callable[[float, str], None] | None = None) -> ThemeResult:
    """The offline themes of ``comments``, computed once per session and distinct set of comments
    (by content hash; the Themes and Account pages share them); ``progress`` hears the engine's
    steps while they are computed."""
    memo = st.session_state.setdefault(state.THEMES_OFFLINE_RESULTS, {})
    key = _comments_hash(comments)
    if key not in memo:
        result = extract_themes(comments, ThemeEngine.OFFLINE, progress=progress)
        while len(memo) >= OFFLINE_MEMO_SIZE:
            memo.pop(next(iter(memo)))
        memo[key] = result
    return memo[key]
