"""Turn the bytes of an upload into text, say which encoding was used and what was repaired.

The encoding is decided from the whole file, then line by line: exports stitched together from
several sources mix code pages (Windows-1252 lines next to DOS code page 850 lines, a few legacy
lines in a UTF-8 file), so each line that does not read as the file's own encoding is decoded
with the code page that makes it read as text. Every repair is counted in
:attr:`DecodedText.repairs` so the input report can say what was done.

DuckDB cannot read CP932 without a network extension, so every file is transcoded here first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import InputFileError, Phrase

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
"""The upload limit's floor (``server.maxUploadSize`` in .streamlit/config.toml, for a server started
without ``make run``); the limit itself comes from the machine: :func:`.limits.upload_limit`."""

_BINARY_SIGNATURES = (
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7z"),
    (b"Rar!", "rar"),
    (b"\xd0\xcf\x11\xe0", "old_office"),
    (b"RIFF", "media"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
ZIP_SIGNATURE = b"PK\x03\x04"

# The single-byte code pages a Western export comes in: Windows (Excel), DOS (old ERP/POS
# exports, French and German call centres) and classic Mac OS (CR-only files).
LEGACY_CODECS = ("cp1252", "cp850", "mac_roman")

_NON_ASCII_BYTES = re.compile(rb"[\x80-\xff]")
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080-U+009F in UTF-8
# MOJIBAKE_HINT (below) in UTF-8 bytes: U+00C2-U+00EF, then U+00A0-U+00BF or Windows punctuation
_MOJIBAKE_UTF8 = re.compile(
    rb"\xc3[\x82-\xaf](?:\xc2[\xa0-\xbf]|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92|\xcb[\x86\x9c]"
    rb"|\xe2\x80[\x93\x94\x98-\x9a\x9c-\x9e\xa0-\xa2\xa6\xb0\xb9\xba]|\xe2\x82\xac|\xe2\x84\xa2)"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_C1 = re.compile(r"[\x80-\x9f]")
# Accented letters of the languages these exports are written in: reading the wrong code page
# turns them into symbols, box drawings or capitals in the middle of a word.
_COMMON_LOWER = frozenset("éèêëàâäáãåçîïíìôöóòõúùûüñœæßø")
# where in a word those letters turn up: "à", "été", "œuvre" start words; "î", "ì" never end one
_WORD_INITIAL = frozenset("àâéèêôœæüöäñáó")
_NEVER_FINAL = frozenset("îïìòûâ")
_COMMON_UPPER = frozenset("ÉÈÊËÀÂÄÁÃÅÇÎÏÍÌÔÖÓÒÕÚÙÛÜÑŒÆØ")
_TYPOGRAPHY = frozenset("’‘“”«»–—…€£°§·•¿¡±×²³½¼¾µ©®™")
_APOSTROPHES = frozenset("’‘")
_SYMBOLS = frozenset("€£°§±×²³½¼¾µ©®™·•")
_JAPANESE_CHAR = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e\u2460-\u24ff\u2116]")
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with the encoding used and what was repaired on the way.

    ``repairs`` counts each kind of repair (``replaced_characters``, ``c1_controls_removed``,
    ``c1_controls_repaired``, ``<codec>_lines`` for lines read in another code page than the
    file's).
    """

    text: str
    encoding: str
    replaced_bytes: int = 0
    utf8: bytes | None = None  # ``text`` as UTF-8 when the input already was exactly that (no copy)
    repairs: dict[str, int] = field(default_factory=dict)
    mojibake_suspect: bool = True  # False when a scan found no sign of UTF-8 mojibake


def check_size(data: bytes, limit: int | None = None) -> None:
    """Refuse files over ``limit`` bytes (this server's :func:`.limits.upload_limit` by default) with
    a plain message (the page and the CLI alike)."""
    if limit is None:
        from .limits import upload_limit  # noqa: PLC0415 - reads the machine only when a file is checked

        limit = upload_limit()
    if len(data) > limit:
        raise InputFileError(
            "error.file_too_big", size_mb=f"{len(data) / 1024 / 1024:,.0f}", limit_mb=f"{limit / 1024 / 1024:,.0f}"
        )


def sniff_binary(data: bytes) -> None:
    """Raise :class:`InputFileError` for images, archives and other files that are not exports."""
    if not data:
        raise InputFileError("error.file_empty")
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature) and what:
            raise InputFileError("error.file_looks_like", what=Phrase(f"error.binary_{what}"))


def decode_bytes(data: bytes) -> DecodedText:
    """Decode ``data``: BOMs, UTF-16, UTF-8, CP932, Windows-1252, DOS 850, Mac Roman, mixed.

    A file with a handful of invalid bytes still loads: they are replaced and counted instead of
    failing the whole file. C1 control characters never survive (they are what Windows-1252
    punctuation becomes when a file went through Latin-1 on its way).
    """
    sniff_binary(data)
    if data.startswith(b"\xef\xbb\xbf"):
        decoded = _decode_with(data[3:], "utf-8-sig")
        if not decoded.replaced_bytes and not data.startswith(b"\xef\xbb\xbf", 3):
            return _finish(decoded.text, "utf-8-sig", {}, data[3:])
        return _finish(decoded.text, "utf-8-sig", {"replaced_characters": decoded.replaced_bytes})
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        decoded = _decode_with(data, "utf-16")
        return _finish(decoded.text, "utf-16", {"replaced_characters": decoded.replaced_bytes})
    head = data[:4096]
    if _looks_utf16_without_bom(head):
        codec = "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"
        decoded = _decode_with(data, codec)
        return _finish(decoded.text, codec, {"replaced_characters": decoded.replaced_bytes})
    if b"\x00" in head:
        raise InputFileError("error.file_binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_mixed(data)
    # the clean UTF-8 file's fast path: both scans run on the bytes, where they are memchr-fast
    if not _C1_UTF8.search(data):
        return DecodedText(text, "utf-8", 0, data, {}, bool(_MOJIBAKE_UTF8.search(data)))
    return _finish(text, "utf-8", {}, data)


def _finish(text: str, encoding: str, repairs: dict[str, int], utf8: bytes | None = None) -> DecodedText:
    """Remove C1 controls (repairing those that are Windows-1252 punctuation) and drop zero counts."""
    repairs = dict(repairs)
    if _C1.search(text):
        text, repaired, removed = _repair_c1(text)
        repairs["c1_controls_repaired"] = repairs.get("c1_controls_repaired", 0) + repaired
        repairs["c1_controls_removed"] = repairs.get("c1_controls_removed", 0) + removed
        utf8 = None
    repairs = {k: v for k, v in repairs.items() if v}
    return DecodedText(text, encoding, repairs.get("replaced_characters", 0), utf8, repairs)


def _repair_c1(text: str) -> tuple[str, int, int]:
    """U+0080-U+009F are Windows-1252 bytes that went through Latin-1: map them back ("\\x92" is
    "’"); the five bytes Windows-1252 leaves undefined are removed."""
    counts = [0, 0]

    def fix(match: re.Match) -> str:
        try:
            char = match.group().encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            counts[1] += 1
            return ""
        counts[0] += 1
        return char

    return _C1.sub(fix, text), counts[0], counts[1]


def plausibility(text: str) -> float:
    """How much the non-ASCII characters of ``text`` read like written Western text.

    Accented letters inside words score up; symbols, box drawings and controls inside words,
    and capitals after a lower-case letter, score down. Used to choose a code page per line.
    """
    score = 0.0
    end = len(text)
    for match in _NON_ASCII.finditer(text):
        ch = match.group()
        i = match.start()
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if ch.isalpha():
            if ch.islower():
                if ch not in _COMMON_LOWER:
                    continue
                if not prev.isalpha():
                    score += 2.0 if ch in _WORD_INITIAL else 0.5
                elif not nxt.isalpha():
                    score += 2.0 if ch not in _NEVER_FINAL else 0.5
                else:
                    score += 2.0
            elif prev.isalpha() and prev.islower():
                score -= 2.0  # a capital in the middle of a word
            elif not prev.isalpha() and not nxt.isalpha():
                score -= 1.0  # a one-letter word in capitals
            else:
                score += 1.0 if ch in _COMMON_UPPER else 0.0
            continue
        if ch in _TYPOGRAPHY:
            inside = prev.isalpha() and nxt.isalpha()
            if ch in _APOSTROPHES:
                score += 2.0 if inside else 1.0
            elif ch in _SYMBOLS:
                # currency and units stand apart from words: "5 €", not "€a"
                score += -1.0 if (prev.isalpha() or nxt.isalpha()) else 1.5
            else:
                score += -2.0 if inside else 1.5
            continue
        category = unicodedata.category(ch)
        if category[0] == "C" or ch == "\ufffd":
            score -= 5.0
        elif prev.isalpha() or nxt.isalpha():
            score -= 2.0
        else:
            score -= 1.0
    return score


def _japanese_plausibility(text: str) -> float:
    """How much ``text`` (decoded as CP932) reads as Japanese rather than Latin bytes misread.

    Latin letters with accents decode as CP932 lead bytes, so a misread produces kanji glued to
    ASCII letters, half-width katakana and private-use characters; real Japanese has none of these.
    """
    score = 0.0
    end = len(text)
    for match in _JAPANESE_CHAR.finditer(text):
        i = match.start()
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < end else " "
        glued = (prev.isascii() and prev.isalpha()) or (nxt.isascii() and nxt.isalpha())
        score += -3.0 if glued else 2.0
    score -= len(_HALFWIDTH_KANA.findall(text))
    score -= 5 * len(_PRIVATE_USE.findall(text))
    return score


def _decode_mixed(data: bytes) -> DecodedText:
    """A file that is not UTF-8 throughout: choose the file's encoding, then read each line in
    the encoding that makes it text (UTF-8 lines stay UTF-8)."""
    lines = data.splitlines(keepends=True)
    non_ascii = [i for i, line in enumerate(lines) if _NON_ASCII_BYTES.search(line)]
    utf8_lines: set[int] = set()
    for i in non_ascii:
        try:
            lines[i].decode("utf-8")
            utf8_lines.add(i)
        except UnicodeDecodeError:
            pass
    legacy = [i for i in non_ascii if i not in utf8_lines]
    cr_only = b"\r" in data and b"\n" not in data
    main = _main_encoding(data, lines, legacy, utf8_lines, cr_only)
    parts: list[str] = []
    repairs: dict[str, int] = {}
    line_codec: dict[int, str] = {}
    if main not in ("utf-8", "cp932"):
        line_codec = _legacy_line_codecs(lines, legacy, main, cr_only)
    legacy_set = set(legacy)
    # DOS 850 letters inside Windows-1252 lines are only looked for where the file has 850 lines
    dos_letters = main == "cp850" or "cp850" in line_codec.values()
    for i, line in enumerate(lines):
        if i not in legacy_set:
            parts.append(line.decode("utf-8", errors="replace") if i in utf8_lines else line.decode("ascii"))
            if i in utf8_lines and main != "utf-8":
                repairs["utf-8_lines"] = repairs.get("utf-8_lines", 0) + 1
            continue
        if main == "cp932":
            try:
                parts.append(line.decode("cp932"))
            except UnicodeDecodeError:
                text = line.decode("cp932", errors="replace")
                repairs["replaced_characters"] = repairs.get("replaced_characters", 0) + text.count("\ufffd")
                parts.append(text)
            continue
        if main == "utf-8":
            codec, score = _best_legacy(line, cr_only)
            # a line can hold UTF-8 cells and Windows-1252 cells (pasted from two sources):
            # its valid UTF-8 stays UTF-8, each invalid byte is read as Windows-1252 when that
            # gives a letter or a typographic mark, else replaced
            mixed, windows, replaced = _utf8_with_windows_bytes(line)
            legacy_text = line.decode(codec)
            if score > 0 and (legacy_text == mixed or plausibility(legacy_text) > plausibility(mixed)):
                name = _codec_name(codec)
                repairs[f"{name}_lines"] = repairs.get(f"{name}_lines", 0) + 1
                parts.append(legacy_text)
            else:
                if windows:
                    repairs["cp1252_chars"] = repairs.get("cp1252_chars", 0) + windows
                if replaced:
                    repairs["replaced_characters"] = repairs.get("replaced_characters", 0) + replaced
                parts.append(mixed)
            continue
        codec = line_codec.get(i, main)
        if dos_letters and codec in ("cp1252", "cp850"):
            # the two code pages mix inside lines too: Windows-1252 with the DOS letters read
            # as 850, unless the whole line reads better as 850
            mixed, repaired = _windows_with_dos_letters(line)
            whole = _decode_legacy(line, codec)
            if mixed != whole and (codec == "cp1252" or plausibility(mixed) >= plausibility(whole)):
                if repaired:
                    repairs["cp850_chars"] = repairs.get("cp850_chars", 0) + repaired
                if codec != "cp1252" and main != "cp1252":
                    repairs["cp1252_lines"] = repairs.get("cp1252_lines", 0) + 1
                parts.append(mixed)
                continue
        if codec != main:
            repairs[f"{_codec_name(codec)}_lines"] = repairs.get(f"{_codec_name(codec)}_lines", 0) + 1
        parts.append(_decode_legacy(line, codec))
    return _finish("".join(parts), main, repairs)


def _utf8_with_windows_bytes(line: bytes) -> tuple[str, int, int]:
    """``line`` as UTF-8 where it is valid; each invalid byte as its Windows-1252 character when
    that is an accented letter or typographic mark, else U+FFFD. Returns the text, how many
    bytes were read as Windows-1252 and how many were replaced."""
    parts: list[str] = []
    windows = replaced = 0
    rest = line
    while rest:
        try:
            parts.append(rest.decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(rest[: exc.start].decode("utf-8"))
            byte = rest[exc.start : exc.start + 1]
            try:
                char = byte.decode("cp1252")
            except UnicodeDecodeError:
                char = ""
            if char and (char in _COMMON_LOWER or char in _COMMON_UPPER or char in _TYPOGRAPHY):
                parts.append(char)
                windows += 1
            else:
                parts.append("\ufffd")
                replaced += 1
            rest = rest[exc.start + 1 :]
    return "".join(parts), windows, replaced


def _codec_name(codec: str) -> str:
    return codec.replace("-", "_")


# DOS code page 850 letters typed into a Windows-1252 file, byte by byte (a cell edited on an old
# till, then the file saved from Excel): bytes 0x80-0x9F are punctuation in Windows-1252 but
# letters in 850 (0x82 is "é", 0x85 "à", 0x87 "ç", 0x8A "è", 0x96 "û"). Inside a word they are
# read as 850; at a word's edge only the bytes no Windows-1252 text puts there. Apostrophes,
# "œ", "š", "ž" and "Ž" stay Windows-1252 (they are real letters or marks of words).
_DOS_IN_WORD = frozenset(range(0x80, 0xA0)) - {0x91, 0x92, 0x9A, 0x9C, 0x9E, 0x8E}
_DOS_WORD_START = frozenset({0x82, 0x90, 0x81, 0x8D, 0x8F, 0x9D})
_DOS_WORD_END = frozenset({0x82, 0x97, 0x81, 0x8D, 0x8F, 0x9D})
_DOS_BYTE = re.compile(rb"[\x80-\x9f]")


def _is_letter_byte(byte: int) -> bool:
    return 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A or byte >= 0xC0


def _windows_with_dos_letters(line: bytes) -> tuple[str, int]:
    """``line`` read as Windows-1252, with the DOS 850 letters inside it read as 850; returns
    the text and how many characters were read as 850."""
    parts: list[str] = []
    start = repaired = 0
    for match in _DOS_BYTE.finditer(line):
        i = match.start()
        byte = line[i]
        before = i > 0 and (_is_letter_byte(line[i - 1]) or line[i - 1] in _DOS_IN_WORD)
        after = i + 1 < len(line) and _is_letter_byte(line[i + 1])
        dos = (
            (before and after and byte in _DOS_IN_WORD)
            or (after and not before and byte in _DOS_WORD_START)
            or (before and not after and byte in _DOS_WORD_END)
        )
        if dos:
            parts.append(_decode_legacy(line[start:i], "cp1252"))
            parts.append(line[i : i + 1].decode("cp850"))
            start = i + 1
            repaired += 1
    if not repaired:
        return _decode_legacy(line, "cp1252"), 0
    parts.append(_decode_legacy(line[start:], "cp1252"))
    return "".join(parts), repaired


def _decode_legacy(line: bytes, codec: str) -> str:
    try:
        return line.decode(codec)
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined: read them as Latin-1 (C1, removed later)
        return line.decode("latin-1") if codec == "cp1252" else line.decode(codec, errors="replace")


def _legacy_scores(line: bytes, cr_only: bool) -> dict[str, float]:
    scores = {}
    for codec in LEGACY_CODECS:
        try:
            text = line.decode(codec)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if codec == "mac_roman":
            # a tie goes to Windows: Mac Roman is rare, and rarer still outside CR-only files
            score -= 0.25 * len(_NON_ASCII_BYTES.findall(line)) + (0 if cr_only else 1.0)
        scores[codec] = score
    return scores


def _best_legacy(line: bytes, cr_only: bool) -> tuple[str, float]:
    scores = _legacy_scores(line, cr_only)
    codec = max(scores, key=lambda c: scores[c])
    return codec, scores[codec]


def _main_encoding(data: bytes, lines: list[bytes], legacy: list[int], utf8_lines: set[int], cr_only: bool) -> str:
    """The file's own encoding, from every line that is not ASCII."""
    if len(utf8_lines) >= len(legacy):
        return "utf-8"
    sample = legacy if len(legacy) <= 4000 else legacy[:: max(1, len(legacy) // 4000)]
    totals = dict.fromkeys(LEGACY_CODECS, 0.0)
    for i in sample:
        scores = _legacy_scores(lines[i], cr_only)
        for codec in LEGACY_CODECS:
            totals[codec] += scores.get(codec, -10.0 * len(_NON_ASCII_BYTES.findall(lines[i])))
    best = max(LEGACY_CODECS, key=lambda c: totals[c])
    if _cp932_fits(data, lines, sample, totals[best]):
        return "cp932"
    if totals[best] <= 0:
        return "utf-8"  # no code page makes these bytes text: damaged UTF-8, replaced and counted
    return best


def _cp932_fits(data: bytes, lines: list[bytes], sample: list[int], legacy_total: float) -> bool:
    japanese = 0.0
    failed = 0
    for i in sample:
        try:
            text = lines[i].decode("cp932")
        except UnicodeDecodeError:
            failed += 1
            continue
        japanese += _japanese_plausibility(text)
    # a few damaged lines are tolerated in a Japanese file, not a majority
    if failed > max(3, len(sample) // 50):
        return False
    return japanese > 0 and japanese > legacy_total


def _legacy_line_codecs(lines: list[bytes], legacy: list[int], main: str, cr_only: bool) -> dict[int, str]:
    """Lines that read better in another code page than the file's own.

    First the lines that read clearly better elsewhere (by a margin); once a second code page is
    known to be in the file, the doubtful lines go to whichever of the two reads better.
    """
    chosen: dict[int, str] = {}
    doubtful: dict[int, float] = {}
    for i in legacy:
        line = lines[i]
        try:
            own = plausibility(line.decode(main))
        except UnicodeDecodeError:
            own = float("-inf")
        if own >= 2 * len(_NON_ASCII_BYTES.findall(line)):
            continue  # every character reads as text: no need to weigh the others
        scores = _legacy_scores(line, cr_only)
        best = max(scores, key=lambda c: scores[c])
        if best != main and scores[best] >= own + 2:
            chosen[i] = best
        else:
            doubtful[i] = own
    others = set(chosen.values())
    for i, own in doubtful.items():
        scores = _legacy_scores(lines[i], cr_only)
        candidates = [c for c in others if c in scores and scores[c] > own]
        if candidates:
            chosen[i] = max(candidates, key=lambda c: scores[c])
    return chosen


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


# UTF-8 read as Windows-1252 or Latin-1 ("donâ€™t", "cafÃ©"): a lead byte shown as Â-ï followed
# by a continuation byte shown as Windows-1252 punctuation or U+00A0-U+00BF.
MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00ef][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def repair_mojibake(text: str) -> str:
    """``text`` with UTF-8 mojibake undone ("donâ€™t" -> "don’t"), or unchanged.

    ftfy decides: it only re-decodes where the result is clearly more plausible, so "naïve café"
    and "«café»" are left alone. Only the encoding is fixed: quotes, widths and ligatures stay.
    """
    if not MOJIBAKE_HINT.search(text):
        return text
    import ftfy  # imported on demand: most files never need it

    return ftfy.fix_encoding(text)
