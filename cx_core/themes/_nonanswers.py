"""Non-answers ("no comment", "N/A", "特になし"...): reported, never a theme."""

from __future__ import annotations

import re
import unicodedata

_NON_ANSWERS = {
    # English
    "no comment",
    "no comments",
    "n/a",
    "na",
    "none",
    "nothing",
    "nothing to add",
    "nothing else",
    "no",
    "nope",
    "nil",
    "null",
    "-",
    "--",
    "...",
    "no issues",
    "not applicable",
    "no feedback",
    "nothing to say",
    "none at this time",
    "not really",
    # Japanese
    "特になし",
    "特に無し",
    "とくになし",
    "なし",
    "無し",
    "ない",
    "特にない",
    "特にありません",
    "ありません",
    "特にございません",
    "ございません",
    "特に無いです",
    "特にないです",
    "特になしです",
    "なしです",
    "とくにありません",
    "コメントなし",
    "該当なし",
    "以上",
    "特になし。",
}

_STRIP = re.compile(r"[\s\.\,\!\?。、！？・…\-ー―~〜「」『』()（）\[\]]+")


def _key(text: str) -> str:
    norm = unicodedata.normalize("NFKC", text).strip().lower()
    return _STRIP.sub("", norm) if norm not in {"-", "--", "...", "n/a"} else norm


_KEYS = {_key(x) for x in _NON_ANSWERS}


def is_non_answer(text: str | None) -> bool:
    """True when a comment says nothing: empty, punctuation only, or a stock non-answer."""
    if text is None:
        return True
    norm = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not norm or not re.search(r"\w", norm):
        return True
    return norm in _NON_ANSWERS or _key(norm) in _KEYS
