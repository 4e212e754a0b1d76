"""Turn the bytes of an upload into text, and say which encoding was used.

DuckDB cannot read CP932 without a network extension, so every file is transcoded here first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputFileError

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
"""Largest file the core accepts (the same limit as ``server.maxUploadSize`` in .streamlit/config.toml)."""

_BINARY_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file: save it as .xlsx or CSV"),
    (b"RIFF", "a media file"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
ZIP_SIGNATURE = b"PK\x03\x04"

# Kana and CJK punctuation: text decoded as CP932 that has none of these is probably not Japanese.
_JAPANESE = re.compile(r"[\u3000-\u30ff\uff01-\uff9f\u4e00-\u9fff]")
# Full-width kana: Latin bytes mis-decoded as CP932 give kanji and half-width kana, almost never these.
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with the encoding used and how many bytes were replaced."""

    text: str
    encoding: str
    replaced_bytes: int = 0
    utf8: bytes | None = None  # ``text`` as UTF-8 when the input already was exactly that (no copy)


def check_size(data: bytes, limit: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse files over ``limit`` bytes with a plain message (the page and the CLI alike)."""
    if len(data) > limit:
        raise InputFileError(
            f"The file is {len(data) / 1024 / 1024:,.0f} MB; the limit is {limit / 1024 / 1024:,.0f} MB. "
            "Export fewer columns or a shorter period."
        )


def sniff_binary(data: bytes) -> None:
    """Raise :class:`InputFileError` for images, archives and other files that are not exports."""
    if not data:
        raise InputFileError("The file is empty.")
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature) and what:
            raise InputFileError(f"This file looks like {what}, not a CSV or Excel export.")


def decode_bytes(data: bytes) -> DecodedText:
    """Decode ``data``: BOMs, UTF-16, UTF-8, CP932, Windows-1252; fall back with replacement.

    A file with a handful of invalid bytes still loads: it is decoded with the best candidate and
    the number of replaced characters is reported instead of failing the whole file.
    """
    sniff_binary(data)
    if data.startswith(b"\xef\xbb\xbf"):
        decoded = _decode_with(data[3:], "utf-8-sig")
        if not decoded.replaced_bytes and not data.startswith(b"\xef\xbb\xbf", 3):
            return DecodedText(decoded.text, decoded.encoding, 0, data[3:])
        return decoded
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_with(data, "utf-16")
    head = data[:4096]
    if _looks_utf16_without_bom(head):
        codec = "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"
        return _decode_with(data, codec)
    if b"\x00" in head:
        raise InputFileError("This file contains binary data, not text: export it as CSV or XLSX.")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", 0, data)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
        # Latin text with accents can be valid CP932 by accident; real Japanese has kana or kanji.
        if _JAPANESE.search(text):
            return DecodedText(text, "cp932")
    except UnicodeDecodeError:
        pass
    # A few damaged bytes in a UTF-8 or CP932 file: keep the encoding, report the replacements.
    best = None
    for codec in ("utf-8", "cp932"):
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        meaningful = _has_non_ascii(text.replace("\ufffd", "")) if codec == "utf-8" else bool(_KANA.search(text))
        if meaningful and bad <= max(3, len(data) // 2000) and (best is None or bad < best.replaced_bytes):
            best = DecodedText(text, codec, bad)
    if best is not None:
        return best
    for codec in ("cp1252", "latin-1"):
        try:
            return DecodedText(data.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    return _decode_with(data, "utf-8")  # pragma: no cover - latin-1 never fails


def _has_non_ascii(text: str) -> bool:
    return any(ord(ch) > 127 for ch in text[:65536])


def _looks_utf16_without_bom(head: bytes) -> bool:
    if len(head) < 4:
        return False
    even_zero = head[0::2].count(0)
    odd_zero = head[1::2].count(0)
    half = len(head) / 2
    return odd_zero > 0.4 * half or even_zero > 0.4 * half


def _decode_with(data: bytes, codec: str) -> DecodedText:
    try:
        return DecodedText(data.decode(codec), codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        return DecodedText(text, codec, text.count("\ufffd"))
