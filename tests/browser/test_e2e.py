"""The main flow in a real browser: sample NPS, upload survey + CRM, confirm mapping, see the new
NPS, switch pages and filters, download the mapping. Screenshots of each step go to
test-artifacts/browser/.

New pages add a step here (``session.go_to("<url_path>")`` then check what the page shows) or a
flow of their own in this directory using the ``open_session`` and ``make_upload`` fixtures.
"""

import json

import pytest

pytestmark = pytest.mark.browser


def test_upload_flow_shows_the_uploaded_data(open_session, make_upload):
    upload = make_upload("E2E", n_responses=400, n_accounts=40, seed=7)
    user = open_session("flow")

    sample_nps = user.metric("overview_card_nps")
    assert sample_nps.startswith(("+", "-")), sample_nps
    assert "built-in sample" in user.text()
    user.shot("overview-sample")

    user.go_to("data")
    user.upload("data_upload_survey", upload.survey_name, upload.survey)
    user.upload("data_upload_crm", upload.crm_name, upload.crm)
    assert user.widget("data_load_button").is_visible()
    user.shot("data-mapping-suggested")

    user.click("data_load_button")
    body = user.text()
    assert f"Loaded {upload.responses:,} of {upload.rows:,} survey rows" in body, body[:2000]
    user.shot("data-loaded")

    mapping = json.loads(user.download("data_download_mapping"))
    assert mapping["survey"]["fields"]["nps"] == upload.nps_column
    assert mapping["crm"]["fields"]["account_id"] == "Account ID"

    user.go_to("overview")
    assert "your upload" in user.text()
    expected = upload.nps_text()
    assert expected != sample_nps, "the test data must not have the sample's NPS"
    assert user.metric("overview_card_nps") == expected
    assert f"{upload.responses:,} responses from {upload.accounts:,} accounts" in user.text()
    user.shot("overview-uploaded")

    user.choose("sidebar_segment", "SMB")
    assert user.metric("overview_card_nps") == upload.nps_text("SMB")
    assert "segment: smb" in user.text().lower()
    user.shot("overview-filter-smb")

    # the filter and the upload survive a page switch (same session)
    user.go_to("data")
    assert "your upload" in user.text()
    user.go_to("overview")
    assert user.metric("overview_card_nps") == upload.nps_text("SMB")
    user.shot("overview-after-page-switch")


def test_language_switch_in_browser(open_session):
    user = open_session("lang")
    user.page.locator(".st-key-app_language").get_by_text("日本語").click()
    user.wait_idle()
    assert "概要" in user.page.locator("h1").first.inner_text()
    user.shot("overview-japanese")
