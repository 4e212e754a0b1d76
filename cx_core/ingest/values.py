"""Parsing cell values the way people type them into survey tools and Excel.

Each single-value parser (``parse_score``, ``parse_number``...) has a column twin
(``parse_scores``, ``parse_numbers``...) that is vectorised: a fast numeric path first, then the
single-value parser only once per *distinct* leftover value. Survey columns repeat a handful of
values over millions of rows, so this is what makes a 1M-row file load in seconds.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

# a number standing on its own ("Score: 9", "満足度5"), not part of a word ("user0@x.com", "tok0001")
_NUMBER = re.compile(r"(?<![A-Za-z0-9@._#-])[-+]?\d+(?:\.\d+)?(?![A-Za-z0-9@_#])")
_LEADING = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(?:[-–—:=)./]|$)")
_BRACKETED = re.compile(r"[(（\[]\s*(\d+(?:\.\d+)?)\s*[)）\]]\s*$")
_JA_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_SPACES = re.compile(r"\s+")
EMPTY_MARKERS = frozenset(
    {
        "",
        "na",
        "n/a",
        "#n/a",
        "null",
        "none",
        "nan",
        "-",
        "—",
        "#value!",
        "#ref!",
        "#div/0!",
        "#name?",
        "#null!",
        "#num!",
        "該当なし",
        "無回答",
    }
)


def is_empty(value: object) -> bool:
    """True for blank cells and the markers exports use for 'no value' (``#N/A``, ``NA``...)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return unicodedata.normalize("NFKC", str(value)).strip().lower() in EMPTY_MARKERS


def map_unique(values: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """``values.map(func)`` evaluated once per distinct value (same index as ``values``)."""
    if values.empty:
        return pd.Series([], index=values.index, dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(u) for u in uniques]
    mapped[-1] = func(None) if (codes < 0).any() else None  # index -1: the missing values
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def _as_text(values: pd.Series) -> pd.Series:
    return values if values.dtype == "str" else values.astype("str")


def empty_mask(values: pd.Series) -> pd.Series:
    """Vectorised :func:`is_empty` (a boolean Series)."""
    if values.empty:
        return pd.Series([], index=values.index, dtype=bool)
    text = _as_text(values)
    mask = text.str.strip().str.lower().isin(EMPTY_MARKERS) | text.isna()
    # full-width markers ("＃Ｎ/Ａ") need NFKC: only for the few non-ASCII cells, once per value
    wide = ~text.str.isascii().fillna(True).astype(bool)
    if wide.any():
        mask[wide] = map_unique(text[wide], is_empty).astype(bool)
    return mask.astype(bool)


def clean_text(value: object) -> str | None:
    """A cell as text with spaces collapsed; None when empty."""
    if is_empty(value):
        return None
    return " ".join(str(value).split())


def clean_texts(values: pd.Series) -> pd.Series:
    """Vectorised :func:`clean_text` (object Series of str or None)."""
    if values.empty:
        return pd.Series([], index=values.index, dtype=object)
    text = _as_text(values).str.strip()
    # collapsing inner whitespace runs per cell is slow: only for the cells that have one
    messy = pd.Series(False, index=text.index)
    for needle in ("  ", "\t", "\n", "\r", "\u3000", "\xa0"):  # literal searches stay in Arrow
        messy |= text.str.contains(needle, regex=False, na=False)
    result = text.astype(object)
    if messy.any():
        result[messy] = [" ".join(str(v).split()) for v in text[messy]]
    result[empty_mask(values)] = None
    return result


def parse_score(value: object) -> float | None:
    """Parse a rating such as ``"9"``, ``"９"``, ``"10 - Extremely likely"``, ``"非常に満足 (5)"``.

    Returns None when the cell is empty or holds no single clear number.
    """
    if is_empty(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    try:
        number = float(text)
        return number if math.isfinite(number) else None
    except ValueError:
        pass
    leading = _LEADING.match(text)
    if leading:
        return float(leading.group(1))
    bracketed = _BRACKETED.search(text)
    if bracketed:
        return float(bracketed.group(1))
    numbers = _NUMBER.findall(text)
    if len(numbers) == 1:
        return float(numbers[0])
    return None


def parse_scores(values: pd.Series) -> pd.Series:
    """Vectorised :func:`parse_score`: float64 Series, NaN where no score could be read.

    Scores repeat a handful of values, so each distinct value is parsed once: a numeric fast path,
    then :func:`parse_score` for the leftovers ("10 - Extremely likely", "９").
    """
    if values.empty:
        return pd.Series([], index=values.index, dtype="float64")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    unique_values = pd.Series(np.asarray(uniques, dtype=object))
    fast = pd.to_numeric(unique_values, errors="coerce").astype("float64")
    fast = fast.where(np.isfinite(fast))
    leftover = fast.isna()
    if leftover.any():
        slow = [parse_score(v) for v in unique_values[leftover]]
        fast[leftover] = np.array([np.nan if v is None else v for v in slow], dtype="float64")
    table = np.append(fast.to_numpy(dtype="float64", na_value=np.nan), np.nan)  # index -1: missing cells
    return pd.Series(table[codes], index=values.index, dtype="float64")


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


def parse_numbers(values: pd.Series) -> pd.Series:
    """Vectorised :func:`parse_number` (float64, NaN when unreadable)."""
    return pd.to_numeric(map_unique(values, parse_number), errors="coerce").astype("float64")


_TRUE = frozenset(
    {"true", "yes", "y", "1", "churned", "lost", "closed lost", "はい", "解約", "解約済", "離反", "済", "✓"}
)
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


def parse_bools(values: pd.Series) -> pd.Series:
    """Vectorised :func:`parse_bool` (object Series of True/False/None)."""
    return map_unique(values, parse_bool)


def _clean_date(value: object) -> str | None:
    if is_empty(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = _JA_DATE.sub(lambda m: f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", text)
    # 令和/平成 era dates and other local forms stay unreadable (reported, not guessed)
    return text


def _parse_one_date(text: str | None) -> pd.Timestamp | None:
    if text is None:
        return None
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        # Excel serial date numbers (days since 1899-12-30) survive some exports as plain numbers
        try:
            serial = float(text)
        except ValueError:
            return None
        if 20000 < serial < 80000:
            return pd.Timestamp("1899-12-30") + pd.Timedelta(days=serial)
        return None
    if stamp is pd.NaT:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(None)
    return stamp


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse a column of dates written in mixed formats (ISO, 2026/3/1, 3/1/2026, 2026年3月1日).

    Each distinct value is parsed once; unreadable dates become NaT.
    """
    if values.empty:
        return pd.Series([], index=values.index, dtype="datetime64[us]")
    cleaned = map_unique(values, _clean_date)
    uniques = pd.Series(cleaned.dropna().unique(), dtype=object)
    parsed_uniques: dict[str, object] = {}
    if len(uniques):
        # 24/03/2026 somewhere in the column means every a/b/yyyy date of it is day-first
        slashed = uniques.str.extract(r"^(\d{1,2})[/.](\d{1,2})[/.]\d{4}")
        first = pd.to_numeric(slashed[0], errors="coerce")
        second = pd.to_numeric(slashed[1], errors="coerce")
        dayfirst = bool((first > 12).any() and not (second > 12).any())
        bulk = pd.to_datetime(uniques, errors="coerce", format="mixed", utc=True, dayfirst=dayfirst).dt.tz_convert(None)
        for text, stamp in zip(uniques, bulk, strict=True):
            parsed_uniques[text] = stamp if stamp is not pd.NaT else _parse_one_date(text)
    result = cleaned.map(lambda v: parsed_uniques.get(v) if v is not None else None)
    return pd.to_datetime(result, errors="coerce").astype("datetime64[us]")


_KEY_DIGITS = re.compile(r"\d+(\.0+)?")
_KEY_SCIENTIFIC = re.compile(r"\d+(\.\d+)?E\+?\d+")


def normalise_account_key(value: object) -> str | None:
    """Normalise an account id for joining survey to CRM.

    Case, spaces, full-width characters and leading zeros of numeric ids are ignored, and Excel's
    scientific notation (``1.03444E11``) is expanded when it is exact.
    """
    if is_empty(value):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    text = _SPACES.sub("", text)
    if _KEY_DIGITS.fullmatch(text):
        text = text.split(".")[0].lstrip("0") or "0"
    elif _KEY_SCIENTIFIC.fullmatch(text):
        try:
            number = float(text)
            if number.is_integer():
                text = str(int(number))
        except ValueError:
            pass
    return text or None


def normalise_account_keys(values: pd.Series) -> pd.Series:
    """Vectorised :func:`normalise_account_key`."""
    return map_unique(values, normalise_account_key)
