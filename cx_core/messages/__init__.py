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


def t(key: str, lang: str, **values) -> str:
    """The message ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``.

    A text missing in ``lang`` falls back to English. An unknown key never reaches the screen as
    ``area.name``: it is written as readable words (``"Follow up"`` for ``follow_up.title``'s last
    part) and a test proves every key the code uses exists in both languages.

    >>> t("metric.nps", "ja"), t("no.such_key", "en")
    ('NPS', 'Such key')
    """
    texts = catalogue().get(key)
    if texts is None:
        return _readable(key)
    text = texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or _readable(key)
    return text.format(**values) if values else text


def _readable(key: str) -> str:
    last = key.rsplit(".", 1)[-1].replace("_", " ").strip()
    return last[:1].upper() + last[1:] if last else key


def has_message(key: str) -> bool:
    """True when ``key`` is in the catalogue."""
    return key in catalogue()


def dimension_label(name: str, lang: str) -> str:
    """The readable name of a dimension: the catalogue's ``dim.<name>``, else the column's own name.

    Extra grouping columns the person mapped (``Product line``) have no catalogue entry and are
    shown as they are named in the file, never as ``dim.Product line``.

    >>> dimension_label("segment", "ja"), dimension_label("Product line", "ja")
    ('セグメント', 'Product line')
    """
    key = f"dim.{name}"
    return t(key, lang) if key in catalogue() else str(name)


def missing_translations() -> list[tuple[str, str]]:
    """(key, language) pairs with no text: must be empty."""
    return [(key, lang) for key, texts in catalogue().items() for lang in LANGUAGES if not texts.get(lang)]
