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


_LEGAL_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|\(株\)|\(有\)|(?<![A-Za-z])(?:inc|corp|corporation|co|ltd|llc|plc|gmbh|ag|"
    r"s\.?a|k\.?k|limited|company)\.?(?![A-Za-z])",
    re.IGNORECASE,
)
_GENERIC_PARTS = {
    # words of a company name that alone identify no one; they are redacted as part of the name
    "the",
    "and",
    "of",
    "group",
    "holdings",
    "works",
    "systems",
    "solutions",
    "services",
    "industries",
    "international",
    "global",
    "japan",
    "partners",
    "technologies",
    "trading",
}
_JA_GENERIC_SUFFIXES = (
    "ホールディングス",
    "ソリューションズ",
    "システムズ",
    "システム",
    "グループ",
    "ジャパン",
    "製作所",
    "不動産",
    "自動車",
    "工業",
    "商事",
    "産業",
    "電機",
    "電気",
    "精密",
    "精機",
    "化学",
    "物流",
    "運輸",
    "建設",
    "技研",
    "興業",
    "商会",
    "販売",
    "製薬",
    "食品",
    "銀行",
    "証券",
    "保険",
    "通信",
)
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def name_parts(name: str) -> set[str]:
    """The strings by which an account name can be recognised: the whole name, the name without
    its legal form, every run of its words but the generic ones alone ("Tokai Precision Works Co.,
    Ltd." -> "tokai", "precision", "precision works", ...), and for a Japanese name every head
    left when generic endings are taken off (東海精密工業株式会社 -> 東海精密工業, 東海精密, 東海)."""
    name = unicodedata.normalize("NFKC", str(name)).strip()
    parts = {name}
    core = " ".join(_LEGAL_FORMS.sub(" ", name).replace(",", " ").split()).strip(" .&-")
    if core:
        parts.add(core)
    words = [w for w in re.split(r"[\s・/&,]+", core) if w]
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            run = words[i:j]
            if len(run) == 1 and (run[0].lower() in _GENERIC_PARTS or run[0].isdigit()):
                continue
            parts.add(" ".join(run))
    for word in [core, *words]:
        head = word
        while _CJK_CHAR.search(head):
            for suffix in _JA_GENERIC_SUFFIXES:
                if head.endswith(suffix) and len(head) > len(suffix):
                    head = head[: -len(suffix)]
                    parts.add(head)
                    break
            else:
                break
    return {p for p in parts if len(p) >= 3 or (len(p) >= 2 and _CJK_CHAR.search(p))}


_COMPANY_RUN = re.compile(
    r"\[company\](?:[\s・]*(?:\[company\]|(?i:" + "|".join(sorted(_GENERIC_PARTS)) + r")(?![A-Za-z])))+"
)


class Redactor:
    """Redacts personal data before a request leaves the machine: the given account/company names
    and their parts (case-insensitive, longest first), then :func:`mask_pii`'s patterns, checksummed
    numbers, addresses and people's names (:mod:`._pii`).

    ``redactor(text)`` redacts one text; ``redactor.payload(obj)`` every string of a JSON-like
    request (dicts, lists), so that no field is sent unredacted."""

    def __init__(self, names: Iterable[str] = ()):
        parts: set[str] = set()
        for name in names:
            if name and str(name).strip():
                parts |= name_parts(str(name))
        ordered = sorted(parts, key=lambda n: (-len(n), n))
        alternatives = [
            re.escape(n) if _CJK_CHAR.search(n) else rf"(?<![A-Za-z0-9]){re.escape(n)}(?![A-Za-z0-9])" for n in ordered
        ]
        self._names = re.compile("|".join(alternatives), re.IGNORECASE) if ordered else None

    def __call__(self, text: str) -> str:
        from ._pii import mask_addresses_and_names, mask_numbers  # noqa: PLC0415 - only the LLM path needs them

        text = unicodedata.normalize("NFKC", str(text))
        if self._names is not None:
            text = self._names.sub(COMPANY, text)
            text = _COMPANY_RUN.sub(COMPANY, text)
        text = mask_numbers(text)
        text = mask_pii(text)
        return mask_addresses_and_names(text)

    def payload(self, value):
        """``value`` (a JSON-like structure) with every string redacted; numbers and keys as they are."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {k: self.payload(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.payload(v) for v in value]
        return value
