"""Ask the data in a real browser: type a question, edit a chip, pin the answer, see it in presenter mode."""

import pytest

pytestmark = pytest.mark.browser


def test_ask_edit_a_chip_pin_and_present(open_session):
    user = open_session("ask")
    user.go_to("ask")
    box = user.widget("ask_box").locator("input")
    box.fill("Which segment has the lowest NPS?")
    box.press("Enter")
    user.wait_idle()
    user.page.get_by_text("Lowest NPS: SMB").first.wait_for()
    assert "How I read your question" in user.text()
    user.shot("ask-answered")

    # the reading's measure chip: CSAT instead of NPS re-runs the question
    user.widget("ask_chip_1_measure").get_by_text("CSAT", exact=True).click()
    user.wait_idle()
    user.page.get_by_text("Lowest CSAT: SMB").first.wait_for()
    user.shot("ask-chip-csat")

    user.click("ask_pin")
    user.page.locator(".st-key-presenter_mode label").first.click()  # presenter mode on
    user.wait_idle()
    user.page.get_by_role("heading", name="Lowest CSAT: SMB").first.wait_for()
    assert user.widget("presenter_exit").is_visible()
    assert "Asked: Which segment has the lowest NPS?" in user.text()
    user.shot("ask-presenter")
