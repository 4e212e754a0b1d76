"""Personal data that patterns alone cannot see: checksummed numbers, addresses and people's names.

Used by :class:`~cx_core.themes.Redactor` on everything an LLM request carries, after the CRM's
account names and the patterns of :func:`~cx_core.themes.mask_pii`:

- payment cards (13-19 digits, spaces or dashes allowed, Luhn-checked), IBANs (plain or in groups
  of four, ISO 7064 mod-97 checksum), Japanese My Numbers (12 digits, check digit), US social
  security numbers (123-45-6789), IPv4 and IPv6 addresses (validated by :mod:`ipaddress`),
  passport numbers (after "passport"/旅券/パスポート, or the two-letters-seven-digits form of
  Japanese passports), any other run of 12 or more digits;
- street addresses: "221B Baker Street", "1-2-3 Marunouchi", "Chiyoda-ku", UK postcodes, and
  Japanese addresses found by the IPADIC dictionary's place names (東京都千代田区丸の内1-2-3);
- people's names without an honorific: an English first name from the US census lists shipped in
  the ``names`` package (with the capitalised words after it: "Jonathan Blake"), a romanised
  Japanese name before -san/-sama ("Tanaka-san"), and Japanese or katakana names tagged 人名 by
  MeCab with the IPADIC dictionary (``fugashi`` and ``ipadic``: 佐々木健太, ジョン・スミス).

Over-redacting is preferred to leaking: a first name that is also an English word (May, Will,
Grant) counts only before a capitalised surname, and every kanji word the dictionary knows as a
name is replaced, even where it is a word ("誠" in 誠実 is not: the dictionary reads 誠実 as one word).
"""

from __future__ import annotations

import ipaddress
import re
import threading
from functools import lru_cache
from pathlib import Path

from ._names import english_names_without_honorific, japanese_family_names_alone, japanese_full_names

CARD = "[card]"
IBAN = "[iban]"
ID_NUMBER = "[id number]"
IP = "[ip]"
PASSPORT = "[passport]"
ADDRESS = "[address]"
NUMBER = "[number]"
NAME = "[name]"
POSTAL = "[postal code]"

_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}")
_MY_NUMBER = re.compile(r"(?<![\d-])\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d])")
_SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])|(?i:ssn|social security(?: number)?)\W{0,3}\d{9}(?!\d)")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)")
_IPV6 = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])")
_PASSPORT = re.compile(
    r"((?i:passport|パスポート|旅券)(?:\s*(?i:no\.?|number|num\.?|#|番号))?\s*[:：]?\s*(?:は|が)?\s*)([A-Z0-9]{6,9})(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9])[A-Z]{2}\d{7}(?![A-Za-z0-9])"
)
_LONG_DIGITS = re.compile(r"(?<!\d)\d{12,}(?!\d)")
_STREET_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|"
    "Parkway|Pkwy|Highway|Hwy|Square|Sq|Close|Crescent|Row"
)
_EN_STREET = re.compile(
    rf"(?<![A-Za-z0-9])\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'-]*\.?\s+){{1,3}}(?:{_STREET_TYPES})(?![A-Za-z])\.?"
    r"(?:,?\s*(?:Suite|Ste|Apt|Unit|Floor|Fl|#)\.?\s*#?[A-Za-z0-9-]+)?"
)
_ROMAJI_ADDRESS = re.compile(
    r"(?<![A-Za-z0-9-])\d{1,4}(?:-\d{1,4}){1,3},?\s+[A-Z][a-z]+(?:-(?:cho|machi|ku|shi))?"  # 1-2-3 Marunouchi
    r"|(?<![A-Za-z])[A-Z][a-z]+-(?:ku|shi|cho|machi|gun|ken)(?![A-Za-z])"  # Chiyoda-ku
)
_US_ZIP = re.compile(r"(?<![A-Za-z])([A-Z]{2})\s+\d{5}(?:-\d{4})?(?!\d)")
_UK_POSTCODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}(?![A-Za-z0-9])")
_JA_BLOCK = re.compile(r"\d+(?:丁目|番地|番|号|[-‐−ー]\d+)+(?:\d+号?)?")
_ROMAJI_HONORIFIC = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+(?:[ -](?:san|sama|sensei|kun|chan|shi|dono))(?![A-Za-z])")
_WORD = re.compile(r"(?<![A-Za-z\u00c0-\u024f])(?:[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?|[A-Z]{2,})(?![A-Za-z\u00c0-\u024f])")
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")

# English words that are also common first names: a name only before a capitalised surname.
_WORD_NAMES = frozenset(
    """may june april august will bill mark grant hope joy faith art rich sandy rose iris ivy lily
    amber ruby crystal dawn summer autumn winter holly heather page dale glen guy jack frank gene earl
    major sterling chase miles lance drew pat sue don ray rod carol cliff brook wade chance hunter mason
    tanner taylor parker young long price penny destiny harmony honey precious star sunny river sky
    royal king prince bishop christian justice trinity unique patience grace charity mercy angel baby
    ocean rainbow storm forest jade pearl ginger olive violet daisy dusty rusty buck bud chip bobby
    mac max lou van von del le la de an ma mo jo al ed sol
    tom noble norman duke baron marshall sergeant my sonny in so an see sun man son ok era bee dot gay
    hue ha pa un ai china asia india paris georgia virginia carolina dakota florida london sydney kent
    york jersey chelsea madison austin houston denver phoenix aurora alexandria""".split()
)
_JA_PLACE_SUFFIX = frozenset("都道府県市区町村郡")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum of a payment card number (digits only)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    """The ISO 7064 mod-97 checksum of an IBAN (spaces ignored)."""
    code = text.replace(" ", "").upper()
    if not 15 <= len(code) <= 34 or not code[:2].isalpha() or not code[2:4].isdigit():
        return False
    moved = code[4:] + code[:4]
    try:
        return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1
    except ValueError:
        return False


def my_number_valid(digits: str) -> bool:
    """The check digit of a Japanese Individual Number (マイナンバー, 12 digits)."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = digits[:11]
    total = sum(int(body[11 - n]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    remainder = total % 11
    return int(digits[11]) == (0 if remainder <= 1 else 11 - remainder)


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return CARD if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _iban(match: re.Match) -> str:
    text = match.group(0).rstrip()
    # the pattern may run into the next upper-case word: the longest prefix that checks out wins
    for end in range(len(text), 14, -1):
        if text[end - 1] != " " and iban_valid(text[:end]):
            return IBAN + match.group(0)[end:]
    return match.group(0)


def _my_number(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return ID_NUMBER if my_number_valid(digits) else match.group(0)


def _ip(match: re.Match) -> str:
    try:
        ipaddress.ip_address(match.group(0))
    except ValueError:
        return match.group(0)
    return IP


def _passport(match: re.Match) -> str:
    if match.group(2) is not None:
        return match.group(1) + PASSPORT if re.search(r"\d", match.group(2)) else match.group(0)
    return PASSPORT


def mask_numbers(text: str) -> str:
    """Cards, IBANs, My Numbers, SSNs, IP addresses and passport numbers replaced (NFKC text).

    Runs before the phone pattern of :func:`mask_pii`, which would otherwise take a card number's
    groups for a phone number and leave the rest."""
    text = _IBAN.sub(_iban, text)
    text = _CARD.sub(_card, text)
    text = _MY_NUMBER.sub(_my_number, text)
    text = _SSN.sub(ID_NUMBER, text)
    text = _IPV4.sub(_ip, text)
    text = _IPV6.sub(_ip, text)
    text = _PASSPORT.sub(_passport, text)
    return _LONG_DIGITS.sub(NUMBER, text)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    import names  # noqa: PLC0415 - the census lists are read once, when a request is first redacted

    folder = Path(names.__file__).parent
    found: set[str] = set()
    for file in ("dist.male.first", "dist.female.first"):
        for line in (folder / file).read_text().splitlines():
            if line.strip():
                found.add(line.split()[0].lower())
    return frozenset(found)


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    import names  # noqa: PLC0415

    folder = Path(names.__file__).parent
    lines = (folder / "dist.all.last").read_text().splitlines()
    return frozenset(line.split()[0].lower() for line in lines if line.strip())


_LOWER_WORD = re.compile(r"(?<![A-Za-z\u00c0-\u024f])[a-z]{2,}(?![A-Za-z\u00c0-\u024f])")


def _english_names(text: str) -> str:
    first, last = _first_names(), _surnames()
    words = list(_WORD.finditer(text))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        word = words[i].group(0).lower()
        if word in first and not words[i].group(0).isupper():
            j = i
            # the capitalised words right after it (one space apart) are the rest of the name
            while (
                j + 1 < len(words)
                and j + 1 - i <= 2
                and text[words[j].end() : words[j + 1].start()] in (" ", " - ")
                and not words[j + 1].group(0).isupper()
            ):
                j += 1
            if word in _WORD_NAMES and not (j > i and words[i + 1].group(0).lower() in last):
                i += 1
                continue
            spans.append((words[i].start(), words[j].end()))
            i = j + 1
            continue
        i += 1
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return _lower_case_names(text, first, last)


def _lower_case_names(text: str, first: frozenset[str], last: frozenset[str]) -> str:
    """Names written in lower case, as in the offline engine's key terms ("jonathan blake"): in a
    text of at most three words, a first name and the surname after it. Running text is left to the
    capitalised rule ("else may", "many miles": first names, and words)."""
    if len(text.split()) > 3:
        return text
    words = list(_LOWER_WORD.finditer(text))
    short = True
    spans: list[tuple[int, int]] = []
    for i, match in enumerate(words):
        word = match.group(0)
        if word not in first or word in _WORD_NAMES or (spans and spans[-1][1] > match.start()):
            continue
        following = words[i + 1] if i + 1 < len(words) else None
        if following is not None and text[match.end() : following.start()] == " " and following.group(0) in last:
            spans.append((match.start(), following.end()))
        elif short:
            spans.append((match.start(), match.end()))
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text


class _Japanese:
    """MeCab with the IPADIC dictionary (one tagger, used under a lock: it is not thread-safe)."""

    def __init__(self) -> None:
        import fugashi  # noqa: PLC0415 - loaded only when a request holds Japanese text
        import ipadic  # noqa: PLC0415

        self._tagger = fugashi.GenericTagger(ipadic.MECAB_ARGS)
        self._lock = threading.Lock()

    def tokens(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """``(start, end, features)`` of each token of ``text``."""
        with self._lock:
            nodes = [(node.surface, tuple(node.feature)) for node in self._tagger(text)]
        out, cursor = [], 0
        for surface, feature in nodes:
            start = text.find(surface, cursor)
            if start < 0:
                continue
            cursor = start + len(surface)
            out.append((start, cursor, feature))
        return out


@lru_cache(maxsize=1)
def _japanese() -> _Japanese:
    return _Japanese()


def _is_person(feature: tuple[str, ...]) -> bool:
    return len(feature) > 2 and feature[1] == "固有名詞" and feature[2] == "人名"


def _is_place(feature: tuple[str, ...], surface: str) -> bool:
    if len(feature) > 2 and feature[2] == "地域":
        return True  # 東京, 千代田, 丸の内; the suffixes 都, 区 are 名詞,接尾,地域
    return surface in _JA_PLACE_SUFFIX


def _japanese_names_and_addresses(text: str, tokens: list[tuple[int, int, tuple[str, ...]]] | None = None) -> str:
    tokens = _japanese().tokens(text) if tokens is None else tokens
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        start, end, feature = tokens[i]
        surface = text[start:end]
        if _is_person(feature):
            j = i
            while j + 1 < len(tokens) and (
                _is_person(tokens[j + 1][2])
                or (
                    text[tokens[j + 1][0] : tokens[j + 1][1]] in ("・", " ")
                    and j + 2 < len(tokens)
                    and tokens[j + 2][2][:2] == ("名詞", "固有名詞")
                )
            ):
                j += 2 if text[tokens[j + 1][0] : tokens[j + 1][1]] in ("・", " ") else 1
            # one kanji (等, 夏) or one katakana word (スマート of スマートフォン) alone is a word, not a name
            name = text[start : tokens[j][1]]
            if j > i or (len(name) >= 2 and _KANJI.fullmatch(name)):
                spans.append((start, tokens[j][1], NAME))
            i = j + 1
            continue
        if _is_place(feature, surface):
            j = i
            while j + 1 < len(tokens) and _is_place(tokens[j + 1][2], text[tokens[j + 1][0] : tokens[j + 1][1]]):
                j += 1
            block = _JA_BLOCK.match(text, tokens[j][1])
            places = j - i + 1
            if block is not None or (
                places >= 3 and any(text[s:e] in _JA_PLACE_SUFFIX for s, e, _f in tokens[i : j + 1])
            ):
                spans.append((start, block.end() if block is not None else tokens[j][1], ADDRESS))
                i = j + 1
                while i < len(tokens) and tokens[i][0] < spans[-1][1]:
                    i += 1
                continue
        i += 1
    for start, end, placeholder in reversed(spans):
        text = text[:start] + placeholder + text[end:]
    return text


def mask_addresses_and_names(text: str) -> str:
    """Street addresses, postcodes and people's names replaced (NFKC text, after :func:`mask_numbers`)."""
    text = _EN_STREET.sub(ADDRESS, text)
    text = _ROMAJI_ADDRESS.sub(ADDRESS, text)
    text = _UK_POSTCODE.sub(POSTAL, text)
    text = _US_ZIP.sub(lambda m: f"{m.group(1)} {POSTAL}", text)
    text = _ROMAJI_HONORIFIC.sub(NAME, text)
    text = _english_names(text)
    text = english_names_without_honorific(text)
    if _CJK.search(text):
        tokens = _japanese().tokens(text)
        named = japanese_full_names(text, tokens)
        text = _japanese_names_and_addresses(named, tokens if named == text else None)
        text = japanese_family_names_alone(text)
        text = _JA_BLOCK.sub(lambda m: ADDRESS if re.search(r"丁目|番|号", m.group(0)) else m.group(0), text)
    return text
