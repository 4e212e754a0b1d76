"""Every page, opened cold from a shared link, in a real browser.

This module starts a server of its own (not the session-wide one of conftest.py) so that its first
request really is a deep link on a freshly started server: the case a shared link hits after every
restart. One server and one Chromium serve the whole module.

Screenshots go to test-artifacts/browser/ (``all-pages-*``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from cx_core import t
from tests.browser.conftest import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SERVER_START_TIMEOUT_S,
    AppSession,
    _free_port,
    _skip_or_fail,
    _unavailable_reason,
)

pytestmark = pytest.mark.browser

WIDE = {"width": 1440, "height": 900}
LAPTOP = {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
def cold_server():
    """A Streamlit server started for this module only; nothing has opened a page on it yet."""
    reason = _unavailable_reason()
    if reason:
        _skip_or_fail(reason)
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "all-pages-server.log"
    env = dict(os.environ, PYTHONUNBUFFERED="1", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while True:  # only the health endpoint: no page is requested before the tests'
                if server.poll() is not None:
                    pytest.fail(f"streamlit exited with code {server.returncode}; see {log_path}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not become healthy in {SERVER_START_TIMEOUT_S}s; see {log_path}")
                time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)


@pytest.fixture(scope="module")
def chromium(cold_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_link(browser, base_url: str, path: str, name: str, viewport: dict = WIDE) -> AppSession:
    """A new browser session that opens ``base_url + path`` directly (a shared link), not ``/``."""
    session = AppSession(browser, base_url, f"all-pages-{name}")
    session.page.set_viewport_size(viewport)
    session.page.goto(base_url + path)
    session.wait_idle()
    return session


def main_width(session: AppSession) -> float:
    return session.page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').getBoundingClientRect().width"
    )


def test_a_deep_link_on_a_cold_server_opens_its_page_wide_in_its_language_and_mode(chromium, cold_server):
    # The first page request this server ever gets (module fixtures are fresh; this test runs first).
    user = open_link(chromium, cold_server, "/segments?lang=ja&present=1", "cold-segments")
    try:
        user.shot("cold-segments-ja-present")
        assert user.page.url.split("?")[0].endswith("/segments"), user.page.url
        body = user.text()
        assert t("segments.title", "ja") in body, body[:800]
        assert t("present.exit", "ja") in body  # presenter mode is on, with its way out
        assert user.widget("presenter_exit").is_visible()
        # Streamlit's automatic multipage list (triggered by a pages/ folder) would list "app".
        assert user.page.locator('[data-testid="stSidebarNav"] a', has_text="app").count() == 0
        # wide layout: the centred layout is at most 736 px wide
        assert main_width(user) > 1000, main_width(user)
    finally:
        user.close()


def test_the_default_page_has_its_own_link(chromium, cold_server):
    user = open_link(chromium, cold_server, "/overview?lang=en", "cold-overview")
    try:
        user.page.wait_for_timeout(500)  # the "Page not found" dialog comes after the run
        user.shot("cold-overview")
        assert user.page.get_by_text("Page not found").count() == 0
        assert user.page.url.split("?")[0].endswith("/overview"), user.page.url
        assert user.widget("overview_card_nps").is_visible()
    finally:
        user.close()


# --- every page, both languages, both sizes, normal and presenter mode ----------------------------------

#: README pictures, regenerated by ``CX_README_SCREENSHOTS=1 pytest tests/browser/test_all_pages.py``.
README_SHOTS = {
    ("sample-en", "overview", "1440x900"): "screenshot.png",
    ("sample-ja-present", "segments", "1440x900"): "screenshot-presenter-ja.png",
}
PAGES = ("overview", "segments", "drivers", "moments", "themes", "accounts", "account", "follow_up", "data")
VIEWPORTS = (LAPTOP, WIDE)

#: One pass over the page in the browser: every problem a person would see, as text.
_PROBLEMS_JS = r"""
() => {
  const problems = [];
  const visible = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
  const describe = (el) => (el.innerText || el.textContent || '').trim().slice(0, 80);
  for (const el of document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]')) {
    if (visible(el)) problems.push('error element: ' + describe(el));
  }
  const files = /\.(csv|tsv|xlsx|json|toml|md|py|cxw|zip|pptx|html|png|svg|txt)$/;
  const walker = document.createTreeWalker(document.querySelector('[data-testid="stApp"]'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    if (!text || !walker.currentNode.parentElement || !visible(walker.currentNode.parentElement)) continue;
    if (/^[a-z_]+\.[a-z_.]+$/.test(text) && !files.test(text)) problems.push('raw message key: ' + text);
    if (/^(None|nan|NaN|<NA>|NaT)$/.test(text)) problems.push('literal missing value: ' + text);
  }
  for (const cell of document.querySelectorAll('[role="gridcell"], [data-testid="stTable"] td')) {
    const text = (cell.innerText || cell.textContent || '').trim();
    if (/^(None|nan|NaN|<NA>|NaT)$/.test(text)) problems.push('grid cell reads ' + text);
  }
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    if (!visible(chart)) continue;
    const box = chart.getBoundingClientRect();
    for (const text of chart.querySelectorAll('svg text')) {
      const r = text.getBoundingClientRect();
      if (r.width === 0) continue;
      // 4 px: a rotated axis title's box includes the glyphs' ascent, which is empty
      if (r.right > box.right + 4 || r.left < box.left - 4) {
        problems.push('chart text outside its chart: ' + text.textContent.slice(0, 60));
      }
    }
  }
  for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    const parent = grid.parentElement.getBoundingClientRect();
    if (visible(grid) && grid.getBoundingClientRect().width > parent.width + 2) problems.push('table wider than its column');
  }
  for (const heading of document.querySelectorAll('h1, h2, h3')) {
    if (visible(heading) && heading.scrollWidth > heading.clientWidth + 2) {
      problems.push('heading wider than its container: ' + describe(heading));
    }
  }
  return problems;
}
"""


def _go(user: AppSession, url_path: str) -> None:
    """Switch page in this session through the navigation menu (clicked by script: presenter mode hides it)."""
    link = f'a[href="{user.base_url}/"]' if url_path == "overview" else f'a[href$="/{url_path}"]'
    anchor = user.page.locator(f'[data-testid="stSidebarNav"] {link}').first
    anchor.wait_for(state="attached")
    anchor.evaluate("a => a.click()")
    user.page.wait_for_url(re.compile(rf"/{'' if url_path == 'overview' else re.escape(url_path)}(?:[?#].*)?$"))
    user.wait_idle()


#: Sizes of every chart and table: equal in two reads in a row once the page has laid itself out.
_LAYOUT_JS = """
() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg, [data-testid="stDataFrame"]')]
    .map(el => Math.round(el.getBoundingClientRect().width) + 'x' + Math.round(el.getBoundingClientRect().height))
    .join(',')
"""


def _wait_for_layout(user: AppSession, timeout_s: float = 10) -> None:
    """Wait until charts and tables stop resizing (after a page switch or a new window size)."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        user.page.wait_for_timeout(250)
        now = user.page.evaluate(_LAYOUT_JS)
        if now == last:
            return
        last = now
    raise AssertionError(f"{user.name}: the page kept resizing for {timeout_s}s")


def _check_all_pages(user: AppSession, label: str, problems: list[str]) -> None:
    for url_path in PAGES:
        # Each page is drawn at the smaller size first, then the window grows (as a person opens a
        # link on a laptop, then on a big screen); one screenshot per page and size.
        for index, viewport in enumerate(VIEWPORTS):
            user.page.set_viewport_size(viewport)
            if index == 0:
                _go(user, url_path)
            _wait_for_layout(user)
            found = user.page.evaluate(_PROBLEMS_JS)
            size = f"{viewport['width']}x{viewport['height']}"
            problems += [f"{label} {url_path} {size}: {p}" for p in found]
            _shot(user, f"{label}-{url_path}-{size}")
            if os.environ.get("CX_README_SCREENSHOTS") == "1" and (label, url_path, size) in README_SHOTS:
                user.page.screenshot(path=str(ROOT / "docs" / README_SHOTS[(label, url_path, size)]))


def _shot(user: AppSession, label: str) -> None:
    """A screenshot of the window (the app scrolls inside it, so a full-page one shows no more)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    user.page.screenshot(path=str(ARTIFACTS / f"all-pages-{re.sub(r'[^A-Za-z0-9_.-]+', '-', label)}.png"))


def _sweep(user: AppSession, dataset: str) -> list[str]:
    """Every page in English and Japanese, normal and presenter mode; the problems found."""
    problems: list[str] = []
    for lang in ("en", "ja"):
        if lang == "ja":
            user.page.locator('[data-testid="stSidebar"] label', has_text="日本語").click()
            user.wait_idle()
        _check_all_pages(user, f"{dataset}-{lang}", problems)
        user.page.locator(".st-key-presenter_mode label").first.click()  # presenter mode on
        user.wait_idle()
        assert user.widget("presenter_exit").is_visible()
        _check_all_pages(user, f"{dataset}-{lang}-present", problems)
        user.click("presenter_exit")
        assert not user.widget("presenter_exit").count()
    return problems


def test_every_page_in_both_languages_sizes_and_modes_on_the_sample(chromium, cold_server):
    # a deep link into a page that is not the default one starts this session
    user = open_link(chromium, cold_server, "/themes?lang=en", "sample", viewport=LAPTOP)
    try:
        problems = _sweep(user, "sample")
        assert not problems, "\n".join(problems)
    except BaseException:
        _shot(user, "sample-failure")
        raise
    finally:
        user.close()


def test_every_page_in_both_languages_sizes_and_modes_after_a_survey_only_upload(chromium, cold_server, make_upload):
    upload = make_upload("SO", n_responses=300, n_accounts=30, seed=11)
    user = open_link(chromium, cold_server, "/data?lang=en", "survey-only")
    try:
        user.upload("data_upload_survey", upload.survey_name, upload.survey)
        user.click("data_load_button")
        assert "your upload" in user.text()
        problems = _sweep(user, "survey-only")
        assert not problems, "\n".join(problems)
    except BaseException:
        _shot(user, "survey-only-failure")
        raise
    finally:
        user.close()
