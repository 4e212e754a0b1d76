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
import warnings
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
    text = str(value)
    if text.isascii():  # NFKC leaves ASCII alone: skip it for the common case
        return text.strip().lower() in EMPTY_MARKERS
    return unicodedata.normalize("NFKC", text).strip().lower() in EMPTY_MARKERS


class Distinct:
    """A column factorised once: its distinct values, and for each cell which one it holds.

    Survey columns repeat a handful of values over millions of rows, so every parser below works
    on :attr:`uniques` and spreads the results back with :meth:`take`. Build one per column and
    pass it to several parsers (``parse_scores(d)``, ``empty_mask(d)``...) to factorise only once.
    """

    def __init__(self, values: pd.Series):
        self.index = values.index
        self.codes, raw = pd.factorize(values, use_na_sentinel=True)  # code -1: missing cell
        self._raw = raw
        # iterating an Arrow-backed array value by value is many times slower than an object array
        self.uniques = np.asarray(raw, dtype=object)
        self.has_missing = bool((self.codes < 0).any())

    def __len__(self) -> int:
        return len(self.codes)

    def arrow_uniques(self):
        """The distinct values as an Arrow string array (None when they are not all text)."""
        import pyarrow as pa

        try:
            return pa.array(self._raw, type=pa.string())
        except (pa.ArrowException, TypeError, ValueError):
            return None

    def take(self, per_unique, missing: object = None, dtype: object = object) -> pd.Series:
        """The column whose cells hold ``per_unique[code]`` (``missing`` for missing cells)."""
        table = np.empty(len(self.uniques) + 1, dtype=dtype)
        table[:-1] = per_unique
        table[-1] = missing if missing is not None or table.dtype == object else 0
        return pd.Series(table[self.codes], index=self.index, dtype=dtype)

    def map(self, func: Callable[[object], object], dtype: object = object) -> pd.Series:
        """``func`` applied once per distinct value (and once for missing cells, if any)."""
        per_unique = [func(u) for u in self.uniques]
        return self.take(per_unique, func(None) if self.has_missing else None, dtype)


def as_distinct(values: pd.Series | Distinct) -> Distinct:
    return values if isinstance(values, Distinct) else Distinct(values)


def map_unique(values: pd.Series | Distinct, func: Callable[[object], object], dtype: object = object) -> pd.Series:
    """``values.map(func)`` evaluated once per distinct value (same index as ``values``).

    ``dtype=bool`` (or another numpy dtype) builds the result in that dtype directly.
    """
    return as_distinct(values).map(func, dtype)


# Many distinct values (ids, comments): find the plain ones with Arrow instead of one Python call each.
_VECTOR_MIN = 5000
# printable ASCII words separated by single spaces: clean_text() returns them unchanged
_PLAIN_TEXT = r"^[!-~]+( [!-~]+)*$"


def _plain_uniques(d: Distinct) -> np.ndarray | None:
    """For each distinct value: True when it is plain text that is not an empty marker.

    Such a value is its own :func:`clean_text` and not :func:`is_empty`. None when there are too
    few distinct values for this to pay off.
    """
    if len(d.uniques) < _VECTOR_MIN:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = d.arrow_uniques()
    if texts is None:
        return None
    plain = pc.match_substring_regex(texts, _PLAIN_TEXT)
    marker = pc.is_in(pc.utf8_lower(texts), value_set=pa.array(sorted(m for m in EMPTY_MARKERS if m.isascii())))
    return pc.and_(plain, pc.invert(marker)).to_numpy(zero_copy_only=False).astype(bool)


def empty_mask(values: pd.Series | Distinct) -> pd.Series:
    """Vectorised :func:`is_empty` (a boolean Series), evaluated once per distinct value."""
    d = as_distinct(values)
    plain = _plain_uniques(d)
    if plain is None:
        return d.map(is_empty, dtype=bool)
    per_unique = np.zeros(len(d.uniques), dtype=bool)
    rest = np.flatnonzero(~plain)
    per_unique[rest] = [is_empty(u) for u in d.uniques[rest]]
    return d.take(per_unique, True, dtype=bool)


def clean_text(value: object) -> str | None:
    """A cell as text with spaces collapsed; None when empty."""
    if is_empty(value):
        return None
    return " ".join(str(value).split())


def clean_texts(values: pd.Series | Distinct) -> pd.Series:
    """Vectorised :func:`clean_text` (object Series of str or None), once per distinct value."""
    d = as_distinct(values)
    plain = _plain_uniques(d)
    if plain is None:
        return d.map(clean_text)
    per_unique = d.uniques.copy()
    rest = np.flatnonzero(~plain)
    cleaned = np.empty(len(rest), dtype=object)
    cleaned[:] = [clean_text(u) for u in d.uniques[rest]]
    per_unique[rest] = cleaned
    return d.take(per_unique, None)


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


def parse_scores(values: pd.Series | Distinct) -> pd.Series:
    """Vectorised :func:`parse_score`: float64 Series, NaN where no score could be read.

    Scores repeat a handful of values, so each distinct value is parsed once: a numeric fast path,
    then :func:`parse_score` for the leftovers ("10 - Extremely likely", "９").
    """
    d = as_distinct(values)
    if not len(d):
        return pd.Series([], index=d.index, dtype="float64")
    fast = pd.to_numeric(pd.Series(d.uniques, dtype=object), errors="coerce").astype("float64")
    fast = fast.where(np.isfinite(fast))
    leftover = fast.isna()
    if leftover.any():
        slow = [parse_score(v) for v in d.uniques[leftover.to_numpy()]]
        fast[leftover] = np.array([np.nan if v is None else v for v in slow], dtype="float64")
    return d.take(fast.to_numpy(dtype="float64", na_value=np.nan), np.nan, dtype="float64")


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


def parse_numbers(values: pd.Series | Distinct) -> pd.Series:
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


def parse_bools(values: pd.Series | Distinct) -> pd.Series:
    """Vectorised :func:`parse_bool` (object Series of True/False/None)."""
    return map_unique(values, parse_bool)


def _clean_date(value: object) -> str | None:
    if is_empty(value):
        return None
    text = str(value)
    if text.isascii():
        return text.strip()
    text = unicodedata.normalize("NFKC", text).strip()
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


_DAY_MONTH_YEAR = re.compile(r"^(?P<first>\d{1,2})[/.](?P<second>\d{1,2})[/.]\d{4}")
_GUESS_MIN = 20  # fewer distinct leftovers than this are parsed by pandas' mixed parser directly
_GUESS_CHECK = 50  # values of a guessed format re-checked against the mixed parser


def _is_dayfirst(texts: list[str]) -> bool:
    # 24/03/2026 somewhere in the column means every a/b/yyyy date of it is day-first
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.extract_regex(pa.array(texts, type=pa.string()), _DAY_MONTH_YEAR.pattern)
    parts = parts.filter(pc.is_valid(parts))
    first = pc.cast(parts.field("first"), pa.int32())
    second = pc.cast(parts.field("second"), pa.int32())
    return bool(pc.any(pc.greater(first, 12)).as_py()) and not pc.any(pc.greater(second, 12)).as_py()


def _to_naive_utc(texts, **options) -> pd.Series:
    parsed = pd.to_datetime(pd.Series(texts, dtype=object), errors="coerce", utc=True, **options)
    return parsed.dt.tz_convert(None).astype("datetime64[us]")


def _guessed_format(texts: list[str], dayfirst: bool) -> str | None:
    """The strftime format most of a sample of ``texts`` follows (None when unsure)."""
    from pandas.tseries.api import guess_datetime_format

    guesses = [guess_datetime_format(t, dayfirst=dayfirst) for t in texts[:25]]
    guesses = [g for g in guesses if g]
    if not guesses:
        return None
    best = max(set(guesses), key=guesses.count)
    # two-digit years: strptime and the mixed parser disagree on the century, so never guess them
    return None if "%y" in best else best


def _parse_date_texts(texts: list[str], dayfirst: bool) -> np.ndarray:
    """datetime64[us] for each distinct cleaned date text (NaT when unreadable).

    Parsing every text with ``format="mixed"`` costs tens of microseconds per value, too slow for
    timestamp columns with a million distinct values. So: ISO 8601 first (C speed), then the
    format most leftovers share (guessed on a sample, and only kept when it agrees with the
    mixed parser on a sample), then the mixed parser and finally Excel serial numbers for the rest.
    """
    result = np.full(len(texts), np.datetime64("NaT"), dtype="datetime64[us]")
    todo = np.arange(len(texts))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format" notices
        iso = _to_naive_utc(texts, format="ISO8601").to_numpy()
        result[:] = iso
        todo = todo[np.isnat(iso)]
        if len(todo) >= _GUESS_MIN:
            left = [texts[i] for i in todo]
            fmt = _guessed_format(left, dayfirst)
            if fmt:
                guessed = _to_naive_utc(left, format=fmt).to_numpy()
                hits = np.flatnonzero(~np.isnat(guessed))
                check = hits[:: max(1, len(hits) // _GUESS_CHECK)][:_GUESS_CHECK]
                mixed = _to_naive_utc([left[i] for i in check], format="mixed", dayfirst=dayfirst).to_numpy()
                if len(hits) and np.array_equal(mixed, guessed[check]):
                    result[todo[hits]] = guessed[hits]
                    todo = todo[np.isnat(guessed)]
        if len(todo):
            mixed = _to_naive_utc([texts[i] for i in todo], format="mixed", dayfirst=dayfirst).to_numpy()
            result[todo] = mixed
            for i in todo[np.isnat(mixed)]:
                stamp = _parse_one_date(texts[i])
                if stamp is not None:
                    result[i] = np.datetime64(stamp.as_unit("us").to_datetime64(), "us")
    return result


def parse_dates(values: pd.Series | Distinct) -> pd.Series:
    """Parse a column of dates written in mixed formats (ISO, 2026/3/1, 3/1/2026, 2026年3月1日).

    Each distinct value is parsed once; unreadable dates become NaT.
    """
    d = as_distinct(values)
    if not len(d):
        return pd.Series([], index=d.index, dtype="datetime64[us]")
    uniques = d.uniques
    cleaned = np.empty(len(uniques), dtype=object)
    cleaned[:] = [_clean_date(u) for u in uniques]
    text_codes, texts = pd.factorize(cleaned, use_na_sentinel=True)  # empty cells: -1
    texts = [str(t) for t in texts]
    stamps = _parse_date_texts(texts, _is_dayfirst(texts)) if texts else np.array([], dtype="datetime64[us]")
    nat = np.array([np.datetime64("NaT")], dtype="datetime64[us]")
    per_unique = np.concatenate([stamps, nat])[text_codes] if len(uniques) else nat[:0]
    return d.take(per_unique, np.datetime64("NaT"), dtype="datetime64[us]")


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


def normalise_account_keys(values: pd.Series | Distinct) -> pd.Series:
    """Vectorised :func:`normalise_account_key`."""
    return map_unique(values, normalise_account_key)
