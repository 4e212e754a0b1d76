"""Two languages: every key in both, every key a page uses exists, numbers and dates per language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from cx_core import Filters
from cx_core.i18n_format import chart_title, describe_filters, format_date, format_number, format_percent
from cx_core.messages import LANGUAGES, catalogue, missing_translations

ROOT = Path(__file__).resolve().parents[2]
# t("key"...) and t(f"prefix.{x}"...) calls in pages and UI helpers
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
FSTRING_PREFIX = re.compile(r"""\bt\(\s*f["']([a-z0-9_]+\.)[^"']*\{""")


def _sources() -> list[Path]:
    return sorted([*ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "app.py"])


def test_every_message_has_every_language():
    assert missing_translations() == []


def test_every_key_used_by_pages_and_ui_exists():
    known = set(catalogue())
    used, missing = set(), []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for key in LITERAL_KEY.findall(text):
            used.add(key)
            if key not in known:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
        for prefix in FSTRING_PREFIX.findall(text):  # t(f"metric.{name}"): some key must have the prefix
            if not any(k.startswith(prefix) for k in known):
                missing.append(f"{path.relative_to(ROOT)}: {prefix}*")
    assert len(used) > 20  # the scan really finds the pages' keys
    assert not missing, missing


def test_scan_catches_a_missing_key():
    assert LITERAL_KEY.findall('st.title(t("nope.not_here", lang))') == ["nope.not_here"]
    assert "nope.not_here" not in catalogue()


def test_placeholders_agree_between_languages():
    field = re.compile(r"\{(\w+)")
    for key, texts in catalogue().items():
        names = {lang: set(field.findall(texts[lang])) for lang in LANGUAGES}
        assert names["en"] == names["ja"], key


def test_numbers_and_dates_per_language():
    assert format_number(4856, lang="en") == "4,856" and format_number(4856, "ja") == "4,856"
    assert format_number(12.4, sign=True, lang="en") == "+12" and format_number(-0.2, sign=True, lang="en") == "0"
    assert format_number(None, lang="en") == "—" and format_percent(31.6, lang="en") == "32%"
    assert format_date(dt.date(2026, 10, 1), "ja") == "2026年10月1日"
    assert format_date("2026-10-01", "en") == "1 Oct 2026"


def test_filters_and_titles_in_both_languages():
    filters = Filters.make(dt.date(2026, 1, 1), dt.date(2026, 3, 31), segment=["SMB"], respondent_role=["executive"])
    assert describe_filters(filters, "ja") == "2026年1月1日〜2026年3月31日 · 役割: 経営層 · セグメント: SMB"
    assert describe_filters(Filters(), "en") == "all responses"
    assert chart_title("SMB trails", 4856, filters, "en") == (
        "SMB trails (n = 4,856 · 1 Jan 2026 – 31 Mar 2026 · Role: Executive · Segment: SMB)"
    )
    assert chart_title("SMBが最下位", 120, Filters(), "ja") == "SMBが最下位（n = 120 · 全回答）"
