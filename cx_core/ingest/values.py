"""Parsing single cell values the way people type them into survey tools and Excel."""

from __future__ import annotations

import math
import re
import unicodedata

import pandas as pd

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
EMPTY_MARKERS = frozenset({"", "na", "n/a", "#n/a", "null", "none", "nan", "-", "—", "#value!", "#ref!", "該当なし"})


def is_empty(value: object) -> bool:
    """True for blank cells and the markers exports use for 'no value' (``#N/A``, ``NA``...)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return unicodedata.normalize("NFKC", str(value)).strip().lower() in EMPTY_MARKERS


def parse_score(value: object) -> float | None:
    """Parse a rating such as ``"9"``, ``"９"``, ``"10 - Extremely likely"``, ``"非常に満足 (5)"``.

    Returns None when the cell is empty or holds no single clear number.
    """
    if is_empty(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    try:
        return float(text)
    except ValueError:
        pass
    numbers = _NUMBER.findall(text)
    if len(numbers) == 1:
        return float(numbers[0])
    leading = re.match(r"^\s*([-+]?\d+(?:\.\d+)?)\s*[-–:=)]", text)
    if leading:
        return float(leading.group(1))
    bracketed = re.search(r"\((\d+(?:\.\d+)?)\)\s*$", text)
    if bracketed:
        return float(bracketed.group(1))
    return None


def parse_number(value: object) -> float | None:
    """Parse an amount like ``"1,200,000"``, ``"¥1,200,000"``, ``"$12.5k"``, ``"1.03444E11"``."""
    if is_empty(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    text = re.sub(r"[¥$€£,\s]|円|jpy|usd|eur", "", text)
    multiplier = 1.0
    if text.endswith("k"):
        multiplier, text = 1e3, text[:-1]
    elif text.endswith("m"):
        multiplier, text = 1e6, text[:-1]
    elif text.endswith("万"):
        multiplier, text = 1e4, text[:-1]
    try:
        number = float(text) * multiplier
    except ValueError:
        return None
    return number if math.isfinite(number) else None


_TRUE = frozenset({"true", "yes", "y", "1", "churned", "lost", "closed lost", "はい", "解約", "解約済", "離反", "済"})
_FALSE = frozenset({"false", "no", "n", "0", "active", "retained", "いいえ", "継続", "契約中"})


def parse_bool(value: object) -> bool | None:
    """Parse yes/no style values in English and Japanese; None when unknown or empty."""
    if is_empty(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


_OFFSET = re.compile(r"(?<=\d)\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})$", re.IGNORECASE)


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse a column of dates written in mixed formats (ISO, 2026/3/1, 3/1/2026, 2026年3月1日)."""
    cleaned = values.map(lambda v: None if is_empty(v) else unicodedata.normalize("NFKC", str(v)).strip())
    cleaned = cleaned.map(
        lambda v: re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})日", r"\1-\2-\3", v) if isinstance(v, str) else v
    )
    try:
        parsed = pd.to_datetime(cleaned, errors="coerce", format="mixed")
    except ValueError:
        # Mixed UTC offsets ("...+09:00" next to "...-05:00" or none): keep each respondent's
        # local wall-clock time by dropping the offsets, rather than failing the whole file.
        cleaned = cleaned.map(lambda v: _OFFSET.sub("", v) if isinstance(v, str) else v)
        try:
            parsed = pd.to_datetime(cleaned, errors="coerce", format="mixed")
        except ValueError:  # offsets written some other way: convert them all to UTC instead
            parsed = pd.to_datetime(cleaned, errors="coerce", format="mixed", utc=True)
    try:
        parsed = parsed.dt.tz_localize(None)
    except (TypeError, AttributeError):
        pass
    return parsed


def normalise_account_key(value: object) -> str | None:
    """Normalise an account id for joining survey to CRM.

    Case, spaces, full-width characters and leading zeros of numeric ids are ignored, and Excel's
    scientific notation (``1.03444E11``) is expanded when it is exact.
    """
    if is_empty(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    text = re.sub(r"\s+", "", text)
    if re.fullmatch(r"\d+(\.0+)?", text):
        text = text.split(".")[0].lstrip("0") or "0"
    elif re.fullmatch(r"\d+(\.\d+)?E\+?\d+", text):
        try:
            number = float(text)
            if number.is_integer():
                text = str(int(number))
        except ValueError:
            pass
    return text or None
