"""AppTest: presenter mode, downloads and the one-click report on every analysis page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

PAGES = ["segments", "drivers", "moments", "themes", "accounts", "follow_up"]
# The controls each page must hide in presenter mode (drawn, so their values are kept, but hidden).
CONTROLS = {
    "segments": {"segments_dimension", "segments_crosstab_rows", "segments_trend_grain", "segments_weight_executive"},
    "drivers": {"drivers_needs_by", "drivers_outcome", "drivers_performance", "drivers_split_by"},
    "moments": {"moments_include_relationship"},
    "themes": {"themes_engine"},
    "accounts": {"accounts_as_of"},
    "follow_up": {"follow_up_as_of"},
}
# Charts (PNG + SVG) and tables (CSV + XLSX) each page must offer.
CHARTS = {
    "segments": ["groups", "segments", "crosstab", "weighted", "trend"],
    "drivers": ["drivers", "needs"],
    "moments": ["moments"],
    "themes": ["themes", "trend"],
    "accounts": ["by_band"],
    "follow_up": [],
}
TABLES = {
    "segments": ["groups", "segments", "crosstab", "weighted", "trend"],
    "drivers": ["drivers", "needs"],
    "moments": ["moments", "moments_role"],
    "themes": ["themes", "theme_list", "by_segment", "by_role", "impact", "trend", "quotes", "all_quotes"],
    "accounts": ["by_category", "by_band"],
    "follow_up": [],
}


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def hidden_and_shown_keys(at: AppTest) -> tuple[set[str], set[str]]:
    """Widget keys inside a presenter-hidden ``ctl_`` container, and the other widget keys."""
    hidden, shown = set(), set()

    def walk(node, inside: bool) -> None:
        block_id = getattr(getattr(node, "proto", None), "id", "") if hasattr(node, "children") else ""
        inside = inside or "ctl_" in str(block_id)
        key = getattr(node, "key", None)
        if key and not hasattr(node, "children"):
            (hidden if inside else shown).add(key)
        for child in getattr(node, "children", {}).values():
            walk(child, inside)

    walk(at._tree, False)
    return hidden, shown


@pytest.mark.parametrize("page", PAGES)
def test_presenter_mode_hides_controls_and_shows_one_insight(page):
    at = open_page(page, present="1")
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert 'div[class*="st-key-ctl_"]' in styles and "display: none" in styles  # the CSS that hides controls
    hidden, shown = hidden_and_shown_keys(at)
    assert CONTROLS[page] <= hidden, (CONTROLS[page] - hidden, shown)
    # Nothing else to operate but the presenter's own buttons (exit, previous/next).
    operable = {k for k in shown if not k.startswith(("sidebar_", "app_language", "presenter_"))}
    assert operable <= {f"{page}_previous", f"{page}_next"}, operable
    assert at.header, "a slide states its finding as a large heading"
    assert "n = " in " ".join(c.value for c in at.caption)  # ... and its n and filters under it
    assert not {d.key for d in at.get("download_button")} & shown  # no export clutter on the projector


def test_presenter_mode_steps_through_the_segments_insights():
    at = open_page("segments", present="1")
    first = at.header[0].value
    assert "1 of 5" in " ".join(m.value for m in at.markdown)  # groups, segment x role, cross-tab, accounts, trend
    at.button(key="segments_next").click().run()
    assert not at.exception and at.header[0].value != first
    at.button(key="presenter_exit").click().run()
    assert not at.exception and at.selectbox(key="segments_dimension").value == "segment"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_offers_downloads_and_a_report(page):
    at = open_page(page)
    keys = {d.key for d in at.get("download_button")}
    assert {f"{page}_report_html", f"{page}_report_pptx"} <= keys
    for name in CHARTS[page]:
        assert {f"{page}_dl_chart_{name}_png", f"{page}_dl_chart_{name}_svg"} <= keys, name
    for name in TABLES[page]:
        assert {f"{page}_dl_table_{name}_csv", f"{page}_dl_table_{name}_xlsx"} <= keys, name
