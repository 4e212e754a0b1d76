"""Issue 21 in a real browser: a first visit with four real export layouts (tests/real_layouts.py).

A server of this module's own runs at the session memory limit the trap was found at (256 MiB)
and shows what a person sees when a page fails (``CX_PAGE_FAILURES`` unset: the plain message, not
the test suite's exception). Each file is uploaded on the Data page and loaded with the suggested
mapping; every page must then draw without an error, a raw message key or a literal "None".

Screenshots: test-artifacts/browser/all-pages-first-visit-*.png
"""

from __future__ import annotations

import os

import pytest

from cx_core import t
from tests.browser.conftest import _skip_or_fail, _unavailable_reason, streamlit_server
from tests.browser.test_all_pages import _PROBLEMS_JS, PAGES, _go, _shot, open_link
from tests.real_layouts import LAYOUTS

pytestmark = pytest.mark.browser

GENERIC_ERROR = "This app has encountered an error"


@pytest.fixture(scope="module")
def first_visit_server():
    reason = _unavailable_reason()
    if reason:
        _skip_or_fail(reason)
    env = {k: v for k, v in os.environ.items() if k != "CX_PAGE_FAILURES"}
    env["CX_DUCKDB_MEMORY_LIMIT"] = "256MiB"
    with streamlit_server("first-visit-server.log", env=env) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(browser, first_visit_server):
    """The session's one Chromium (a second sync Playwright in the same thread is refused)."""
    return browser


def upload(user, name: str) -> None:
    user.upload("data_upload_survey", name, LAYOUTS[name]())
    user.click("data_load_button")


def page_problems(user, label: str) -> list[str]:
    problems = []
    for url_path in PAGES:
        _go(user, url_path)
        body = user.text()
        found = list(user.page.evaluate(_PROBLEMS_JS))
        if GENERIC_ERROR in body:
            found.append("Streamlit's generic error")
        if t("guard.failed", "en") in body:
            found.append("the page failed (plain message shown)")
        _shot(user, f"first-visit-{label}-{url_path}")
        problems += [f"{label} {url_path}: {p}" for p in found]
    return problems


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_page_works_after_loading_a_real_layout_with_the_suggested_mapping(chromium, first_visit_server, name):
    user = open_link(chromium, first_visit_server, "/data?lang=en", f"first-visit-{name}")
    try:
        upload(user, name)
        assert "Loaded " in user.text() and "survey rows" in user.text(), user.text()[:1500]
        problems = page_problems(user, name.removesuffix(".csv"))
        assert not problems, "\n".join(problems)
        user.reload()  # a refresh reopens the upload's draft from ?ws=: still no trap
        assert "ws=" in user.page.url
        assert GENERIC_ERROR not in user.text() and t("guard.failed", "en") not in user.text()
    finally:
        user.close()


def test_the_qualtrics_study_then_the_sample_shows_the_whole_sample(chromium, first_visit_server):
    user = open_link(chromium, first_visit_server, "/overview?lang=en", "first-visit-back-to-sample")
    try:
        sample_nps = user.metric("overview_card_nps")
        _go(user, "data")
        upload(user, "qualtrics_likert.csv")
        assert "Loaded 47 of 47 survey rows" in user.text()
        _go(user, "overview")
        assert "25 Dec 2025" in user.text() or "2025-12-25" in user.text(), user.text()[:1500]
        _go(user, "data")
        user.click("data_back_to_sample")
        _go(user, "overview")
        assert user.metric("overview_card_nps") == sample_nps
        assert "filters: " + t("present.filters_all", "en") in user.text()
        assert "date_from" not in user.page.url
    finally:
        user.close()


def test_segments_of_a_survey_without_groupings_says_what_is_missing(chromium, first_visit_server):
    user = open_link(chromium, first_visit_server, "/data?lang=en", "first-visit-fr-segments")
    try:
        upload(user, "nps_fr.csv")
        _go(user, "segments")
        body = user.text()
        assert t("segments.no_groupings", "en") in body
        assert t("error.no_data", "en") not in body
    finally:
        user.close()
