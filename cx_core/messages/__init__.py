"""The message catalogue: every word a page shows, in English and Japanese.

Each module in this package defines ``MESSAGES = {key: {"en": ..., "ja": ...}}`` for one area
(``common``, ``data``, ``overview``...). Modules are discovered automatically, so adding an area is
adding a file. A test fails when a key lacks a language or is defined twice.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGUAGES: tuple[str, ...] = ("en", "ja")
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All messages from every module of the package, merged (duplicate keys are an error)."""
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, texts in getattr(module, "MESSAGES", {}).items():
            if key in merged:
                raise ValueError(f"message key {key!r} is defined twice (second time in {info.name})")
            merged[key] = texts
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The message ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``.

    An unknown key returns the key itself so a page never breaks on a missing message (a test
    catches missing keys instead).
    """
    texts = catalogue().get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or key
    return text.format(**values) if values else text


def missing_translations() -> list[tuple[str, str]]:
    """(key, language) pairs with no text: must be empty."""
    return [(key, lang) for key, texts in catalogue().items() for lang in LANGUAGES if not texts.get(lang)]
