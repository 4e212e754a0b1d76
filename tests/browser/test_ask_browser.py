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


def test_ask_in_japanese_shows_no_raw_keys_missing_values_or_text_outside_charts(open_session):
    from test_all_pages import _PROBLEMS_JS

    user = open_session("ask-ja")
    user.page.locator('[data-testid="stSidebar"]').get_by_text("日本語", exact=True).click()
    user.wait_idle()
    user.go_to("ask")
    box = user.widget("ask_box").locator("input")
    box.fill("中小企業の役割別・地域別のNPS、一番低いのは?")
    box.press("Enter")
    user.wait_idle()
    user.page.get_by_text("NPS が最も低いのは").first.wait_for()
    problems = user.page.evaluate(_PROBLEMS_JS)
    user.shot("ask-ja")
    assert problems == [], problems
    box.fill("ブラジルのNPS")
    box.press("Enter")
    user.wait_idle()
    assert "ブラジル" in user.text() and "このデータで答えられる質問" in user.text()
    assert user.page.evaluate(_PROBLEMS_JS) == []


def test_ask_finds_a_theme_by_a_word_its_members_use(open_session):
    # "pricing" is in no theme's name, only in what the quotes theme's members say (a sub-theme)
    user = open_session("ask-theme-words")
    user.go_to("ask")
    box = user.widget("ask_box").locator("input")
    box.fill("NPS of customers who mention pricing")
    box.press("Enter")
    user.wait_idle()
    user.page.get_by_text("How I read your question").first.wait_for()
    text = user.text()
    user.shot("ask-theme-words")
    assert "quotes" in text and "I could not read" not in text, text[:2000]
