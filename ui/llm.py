"""LLM settings for pages: an OpenAI-compatible endpoint from the environment or secrets.

Reads ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` and ``CX_LLM_MODEL`` (the same names the Themes page
reads) from the environment, then from ``.streamlit/secrets.toml``. Values are never displayed.
"""

from __future__ import annotations

import os

import streamlit as st

from cx_core.themes import ENV_KEYS, LLMConfig


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
