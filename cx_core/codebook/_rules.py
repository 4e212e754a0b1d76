"""Include/exclude phrases and searches: where a phrase occurs in a comment, in any language.

Latin, Cyrillic, Greek... phrases match whole words, case-insensitively ("app" is not in "happy");
Japanese, Chinese and Korean text has no spaces between words, so a phrase in those scripts matches
as a substring ("納期" in "納期が遅い").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f]")


def normalise(text: str) -> str:
    """Width-folded (NFKC) and case-folded text, so "ＡＰＩ" and "api" match."""
    return unicodedata.normalize("NFKC", str(text)).casefold()


@lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern | None:
    folded = normalise(phrase).strip()
    if not folded:
        return None
    words = [re.escape(w) for w in folded.split()]
    body = r"\s+".join(words)
    if _CJK.search(folded):
        return re.compile(body)
    return re.compile(rf"(?<!\w){body}(?!\w)")


def contains_phrase(text: str, phrase: str) -> bool:
    """True when ``phrase`` occurs in ``text`` (whole words for latin scripts, anywhere for CJK).

    >>> contains_phrase("The mobile App crashed", "app"), contains_phrase("Happy with it", "app")
    (True, False)
    >>> contains_phrase("納期が遅いです", "納期")
    True
    """
    pattern = _pattern(phrase)
    return bool(pattern is not None and pattern.search(normalise(text)))


def any_phrase(text: str, phrases: tuple[str, ...] | list[str]) -> bool:
    if not phrases:
        return False
    folded = normalise(text)
    for phrase in phrases:
        pattern = _pattern(phrase)
        if pattern is not None and pattern.search(folded):
            return True
    return False


def search_terms(query: str) -> list[str]:
    """The phrases of a search box: comma/semicolon/読点-separated, or quoted ("late delivery")."""
    quoted = re.findall(r'"([^"]+)"|“([^”]+)”', query)
    phrases = [a or b for a, b in quoted]
    rest = re.sub(r'"[^"]*"|“[^”]*”', " ", query)
    phrases += [p for p in re.split(r"[,;、，；\n]+", rest)]
    return [p.strip() for p in phrases if p.strip()][:50]
