"""Every page, opened cold from a shared link, in a real browser.

This module starts a server of its own (not the session-wide one of conftest.py) so that its first
request really is a deep link on a freshly started server: the case a shared link hits after every
restart. One server and one Chromium serve the whole module.

Screenshots go to test-artifacts/browser/ (``all-pages-*``).
"""

from __future__ import annotations

import os
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
