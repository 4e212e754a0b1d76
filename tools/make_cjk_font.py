"""Regenerate the Japanese subset font shipped in ``cx_core/report/fonts/`` (developer tool).

Charts are rendered to PNG on the server; without a Japanese font every Japanese label becomes a
box ("tofu"). CI machines and fresh laptops have no CJK font, so the repository ships a subset of
Noto Sans CJK JP (SIL Open Font License 1.1, see the OFL.txt beside the font): ASCII, Latin-1,
punctuation, kana, full-width forms, the JIS X 0208 level-1 kanji (the common ones, covering
nearly all business text) and every character of the message catalogue and the sample data.

Usage (needs fontTools, which is not a runtime dependency):

    pip install --target /tmp/ft fonttools==4.60.1
    PYTHONPATH=/tmp/ft python tools/make_cjk_font.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "cx_core" / "report" / "fonts" / "CXSansJP-Regular.otf"
FAMILY = "CX Sans JP"


def level1_kanji() -> set[str]:
    """Kanji of JIS X 0208 level 1 (Shift_JIS lead bytes 0x88 (from 0x9F) to 0x98 (to 0x72))."""
    chars = set()
    for code in range(0x4E00, 0xA000):
        ch = chr(code)
        try:
            raw = ch.encode("shift_jis")
        except UnicodeEncodeError:
            continue
        if len(raw) == 2 and 0x889F <= int.from_bytes(raw, "big") <= 0x9872:
            chars.add(ch)
    return chars


def wanted_text() -> str:
    sys.path.insert(0, str(ROOT))
    from cx_core.messages import catalogue

    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x206F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF)]
    ranges += [(0x25A0, 0x25FF), (0x3000, 0x30FF), (0xFF00, 0xFFEF)]
    chars = {chr(c) for low, high in ranges for c in range(low, high + 1)} | level1_kanji()
    for texts in catalogue().values():
        for text in texts.values():
            chars.update(text)
    for path in (ROOT / "sample_data").glob("*.csv"):
        chars.update(path.read_text(encoding="utf-8-sig", errors="ignore"))
    return "".join(sorted(c for c in chars if c.isprintable()))


def main(source: str) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    collection = TTCollection(source)
    font = next(f for f in collection.fonts if "Noto Sans CJK JP" in f["name"].getDebugName(1))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=wanted_text())
    subsetter.subset(font)
    # A distinct family name, so the shipped subset never shadows a full system installation.
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (4,):
            names.setName(f"{FAMILY} Regular", record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (6,):
            names.setName("CXSansJP-Regular", record.nameID, record.platformID, record.platEncID, record.langID)
    font.save(OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(font.getGlyphOrder()):,} glyphs)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
