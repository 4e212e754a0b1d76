"""Issue 21: presenter slides fit 1280x720 and 1440x900 without scrolling, in English and Japanese.

Every page is stepped through in presenter mode with its Next control; on each slide, at both
sizes, no chart text may sit outside its chart (nor any other problem test_all_pages.py looks for),
the page must not need scrolling (Streamlit scrolls inside its main area, so that area's
scroll height is measured, not the document's) and the Next control must lie inside the window.
The first Overview slide must be the big number, not a table.

Screenshots of failures go to test-artifacts/browser/ (``presenter-fit-*``).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS, AppSession
from tests.browser.test_all_pages import _PROBLEMS_JS

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 720}
WIDE = {"width": 1440, "height": 900}
#: Pages that present sections (the Data page has no slides).
PAGES = ("overview", "segments", "drivers", "moments", "themes", "accounts", "account", "follow_up")
MAX_SLIDES = 20  # a page with more slides than this is stepping in a loop

#: How the presented page sits in the window: overflow of every scrolling area of the main column,
#: where the Next control is, and the window's height.
_FIT_JS = r"""
() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const overflow = [];
  for (let el = main; el; el = el.parentElement) {
    const style = getComputedStyle(el);
    const scrolls = /(auto|scroll)/.test(style.overflowY) || el === document.scrollingElement;
    if (scrolls && el.scrollHeight > el.clientHeight + 1) overflow.push(el.scrollHeight - el.clientHeight);
  }
  const next = [...document.querySelectorAll('div[class*="st-key-"][class*="_next"] button')]
    .find(b => b.getClientRects().length > 0);
  const box = next ? next.getBoundingClientRect() : null;
  return {
    overflow: overflow,
    next: box ? {top: box.top, bottom: box.bottom, disabled: next.disabled} : null,
    height: window.innerHeight,
  };
}
"""

#: Sizes of every chart and table: equal in two reads in a row once the page has laid itself out.
_LAYOUT_JS = """
() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg, [data-testid="stDataFrame"]')]
    .map(el => Math.round(el.getBoundingClientRect().width) + 'x' + Math.round(el.getBoundingClientRect().height))
    .join(',') + '|' + document.querySelector('[data-testid="stMainBlockContainer"]').scrollHeight
"""


def _settle(user: AppSession, timeout_ms: int = 8000) -> None:
    """Wait until charts and tables stop resizing (a chart is drawn after the script run ends)."""
    last, waited = None, 0
    while waited < timeout_ms:
        user.page.wait_for_timeout(200)
        waited += 200
        now = user.page.evaluate(_LAYOUT_JS)
        if now == last:
            return
        last = now
    raise AssertionError(f"{user.name}: the slide kept resizing for {timeout_ms} ms")


def _go(user: AppSession, url_path: str) -> None:
    """Switch page through the navigation menu, clicked by script (presenter mode hides it)."""
    link = f'a[href="{user.base_url}/"]' if url_path == "overview" else f'a[href$="/{url_path}"]'
    anchor = user.page.locator(f'[data-testid="stSidebarNav"] {link}').first
    anchor.wait_for(state="attached")
    anchor.evaluate("a => a.click()")
    user.page.wait_for_url(re.compile(rf"/{'' if url_path == 'overview' else re.escape(url_path)}(?:[?#].*)?$"))
    user.wait_idle()


def _check_slide(user: AppSession, label: str) -> tuple[list[str], bool]:
    """Problems of the slide shown, at both sizes; and whether Next can step further."""
    problems: list[str] = []
    can_step = False
    for viewport in (LAPTOP, WIDE):
        user.page.set_viewport_size(viewport)
        _settle(user)
        fit = user.page.evaluate(_FIT_JS)
        size = f"{viewport['width']}x{viewport['height']}"
        # what test_all_pages checks on first slides, on every slide: no label outside its chart...
        found = list(user.page.evaluate(_PROBLEMS_JS))
        if fit["overflow"]:
            found.append(f"needs scrolling ({max(fit['overflow'])} px)")
        nxt = fit["next"]
        if nxt is None:
            found.append("no Next control")
        else:
            can_step = not nxt["disabled"]
            if nxt["bottom"] > fit["height"] or nxt["top"] < 0:
                found.append(f"Next at {nxt['top']:.0f}-{nxt['bottom']:.0f} px of {fit['height']}")
        if found:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"presenter-fit-{label}-{size}")
            user.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        problems += [f"{label} {size}: {p}" for p in found]
    return problems, can_step


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_presenter_slide_fits_the_screen(browser, app_url, lang):
    user = AppSession(browser, app_url, f"presenter-fit-{lang}")
    try:
        user.page.set_viewport_size(LAPTOP)
        user.page.goto(f"{app_url}/?lang={lang}&present=1")
        user.wait_idle()
        assert user.widget("presenter_exit").is_visible()
        # the first Overview slide is the big number (a metric), not a table of it
        _settle(user)
        assert user.page.locator('[data-testid="stMetricValue"]').first.is_visible()
        assert not user.page.locator('[data-testid="stDataFrame"]').count()
        problems: list[str] = []
        slides = 0
        for page in PAGES:
            if page != "overview":
                _go(user, page)
            for number in range(1, MAX_SLIDES + 1):
                found, can_step = _check_slide(user, f"{lang}-{page}-{number}")
                problems += found
                slides += 1
                if not can_step:
                    break
                user.page.locator('div[class*="st-key-"][class*="_next"] button').first.click()
                user.wait_idle()
            else:
                problems.append(f"{lang}-{page}: more than {MAX_SLIDES} slides")
        assert slides >= len(PAGES) + 10  # pages with several slides were stepped through
        assert not problems, "\n".join(problems)
    finally:
        user.close()
