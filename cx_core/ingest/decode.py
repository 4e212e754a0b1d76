"""Turn the bytes of an upload into text, and say which encoding was used.

DuckDB cannot read CP932 without a network extension, so every file is transcoded here first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputFileError

# Tried in order after the byte-order marks. CP932 before Latin-1: Latin-1 accepts any byte and
# would turn Japanese text into mojibake.
_CANDIDATES = ("utf-8", "cp932", "cp1252", "latin-1")

_BINARY_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with the encoding used and how many bytes were replaced."""

    text: str
    encoding: str
    replaced_bytes: int = 0


def decode_bytes(data: bytes) -> DecodedText:
    """Decode ``data`` trying BOMs, UTF-8, CP932, Windows-1252; fall back with replacement.

    A file with a handful of invalid bytes still loads: it is decoded with the best candidate and
    the number of replaced characters is reported instead of failing the whole file.
    """
    if not data:
        raise InputFileError("The file is empty.")
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputFileError(f"This file looks like {what}, not a CSV or Excel export.")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_with(data[3:], "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_with(data, "utf-16")
    head = data[:4096]
    if _looks_utf16_without_bom(head):
        codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return _decode_with(data, codec)
    if b"\x00" in head:
        raise InputFileError("This file contains binary data, not text: export it as CSV or XLSX.")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a few damaged bytes is still UTF-8: keep it, report the replacements.
    utf8_lossy = data.decode("utf-8", errors="replace")
    utf8_bad = utf8_lossy.count("\ufffd")
    if utf8_bad <= max(3, len(data) // 1000) and _has_utf8_multibyte(data):
        return DecodedText(utf8_lossy, "utf-8", utf8_bad)
    for codec in _CANDIDATES[1:]:
        try:
            return DecodedText(data.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    return DecodedText(utf8_lossy, "utf-8", utf8_bad)  # pragma: no cover - latin-1 never fails


def _has_utf8_multibyte(data: bytes) -> bool:
    sample = data[:65536].decode("utf-8", errors="ignore")
    return any(ord(ch) > 127 for ch in sample)


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
