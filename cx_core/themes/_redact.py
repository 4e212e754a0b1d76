"""Redaction of personal data before any text leaves the machine.

Replaced by placeholders: e-mail addresses, URLs, phone numbers (Japanese 03-1234-5678,
090-1234-5678, +81 ..., international), postal codes (〒100-0001, 100-0001, US ZIP after a state),
person names after an honorific (田中様, 佐藤さん, 鈴木氏, Mr. Smith, Dr Lee) and account or company
names known from the CRM. Over-redacting is preferred to leaking.

Japanese text has no spaces and Python counts kana and kanji as word characters, so no pattern
here relies on ``\b`` next to personal data ("担当のhttps://example.com/tickets/99がとても親切"
has no word boundary before ``h`` or after ``99``): each pattern is bounded by ASCII look-arounds
and made of ASCII characters only, so it stops where the Japanese resumes. Text is NFKC-normalised
first, so full-width digits, ``＠`` and ``：／／`` are caught too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

EMAIL = "[email]"
URL = "[url]"
PHONE = "[phone]"
POSTAL = "[postal code]"
NAME = "[name]"
COMPANY = "[company]"

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%()]"
_URL = re.compile(
    rf"(?<![A-Za-z0-9])(?:(?i:https?|ftp)://|(?i:www)\.){_URL_CHARS}+"
    # a bare domain (lower-case top-level domain, so "ASP.NET" stays): example.co.jp/tickets/9, foo.com
    r"|(?<![A-Za-z0-9.@-])(?:[A-Za-z0-9-]+\.)+(?:com|net|org|info|biz|io|jp|co|uk|de|fr|us)(?![A-Za-z0-9-])"
    rf"(?:/{_URL_CHARS}*)?"
)
_URL_TRAILING = ".,;:!?)]"
_POSTAL_JP = re.compile(r"〒\s*\d{3}-?\d{4}|(?<![\d-])\d{3}-\d{4}(?![\d-])")
_PHONE = re.compile(
    r"(?:\+\d{1,3}[\s.-]?)?\(\d{1,4}\)[\s.-]?\d{2,4}[\s.-]?\d{3,4}(?!\d)"  # (03) 1234-5678, +1 (555) 123-4567
    r"|(?<!\d)\d{2,4}\(\d{2,4}\)\d{3,4}(?!\d)"  # 03(1234)5678
    r"|(?:\+\d{1,3}[\s.-]?)?(?<![\d,])(?!\d{1,2}[.-]\d{1,2}[.-](?:19|20)\d\d(?!\d))"  # not 15.01.2024
    r"\d{1,4}[\s.-]\d{2,4}[\s.-]\d{3,4}(?!\d)"  # 03-1234-5678, +81 90 1234 5678
    r"|\+\d{1,3}[\s.-]?\d{6,12}(?!\d)"  # +819012345678
    r"|(?<!\d)0\d{9,10}(?!\d)"  # 09012345678
)
_US_ZIP = re.compile(r"\b([A-Z]{2})\s+\d{5}(?:-\d{4})?\b")
_EN_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?")
_JA_HONORIFIC = re.compile(r"([\u4e00-\u9fff\u30a0-\u30ffA-Za-z]{1,12})(?=(様|さま|さん|氏|殿|君|くん|ちゃん))")
_KEEP_BEFORE_HONORIFIC = {
    "客",
    "お客",
    "皆",
    "各位",
    "御社",
    "貴社",
    "担当者",
    "ご担当者",
    "関係者",
    "利用者",
    "お得意",
}


def _url_placeholder(match: re.Match) -> str:
    """``[url]`` plus the sentence punctuation the URL pattern swallowed (a full stop, a comma)."""
    url = match.group(0)
    kept = url.rstrip(_URL_TRAILING)
    tail = url[len(kept) :]
    if ")" in tail and "(" in kept:  # a closing parenthesis that belongs to the URL
        tail = tail[tail.index(")") + 1 :]
    return URL + tail


def mask_pii(text: str) -> str:
    """Replace pattern-detectable personal data (no CRM names) with placeholders."""
    text = unicodedata.normalize("NFKC", str(text))
    text = _EMAIL.sub(EMAIL, text)
    text = _URL.sub(_url_placeholder, text)
    text = re.sub(r"〒\s*\d{3}-?\d{4}", POSTAL, text)
    text = _PHONE.sub(PHONE, text)
    text = _POSTAL_JP.sub(POSTAL, text)
    text = _US_ZIP.sub(lambda m: f"{m.group(1)} {POSTAL}", text)
    text = _EN_HONORIFIC.sub(lambda m: f"{m.group(1)}. {NAME}", text)
    text = _JA_HONORIFIC.sub(lambda m: m.group(1) if m.group(1) in _KEEP_BEFORE_HONORIFIC else NAME, text)
    return text


class Redactor:
    """Redacts pattern PII plus the given account/company names (case-insensitive, longest first)."""

    def __init__(self, names: Iterable[str] = ()):
        cleaned = {unicodedata.normalize("NFKC", str(n)).strip() for n in names if n and str(n).strip()}
        cleaned = {n for n in cleaned if len(n) >= 3}
        ordered = sorted(cleaned, key=lambda n: (-len(n), n))
        self._names = re.compile("|".join(re.escape(n) for n in ordered), re.IGNORECASE) if ordered else None

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", str(text))
        if self._names is not None:
            text = self._names.sub(COMPANY, text)
        return mask_pii(text)
