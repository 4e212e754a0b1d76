"""The flows people use in meetings, in a real browser: offline themes with quotes, the one-click
HTML report, follow-up notes that persist, and presenter mode. Screenshots of each step go to
test-artifacts/browser/.
"""

import re

import pytest

pytestmark = pytest.mark.browser
# The quotes grid's own column, matched whole: the theme table's "Quotes (response ID in brackets)"
# header contains the same words, and a substring match found whichever grid was drawn first.


def _sample_comments() -> dict[str, str]:
    """Response id -> comment of the built-in sample, read independently of the app."""
    import io

    import pandas as pd

    from cx_core.sample import sample_bytes

    survey = pd.read_csv(io.BytesIO(sample_bytes()[0]), dtype=str)
    id_column = next(c for c in survey.columns if "response" in c.lower() and "id" in c.lower())
    return dict(zip(survey[id_column], survey["Comment"].fillna(""), strict=True))


def test_offline_themes_show_labels_and_quotes_with_response_ids(open_session):
    user = open_session("themes")
    user.go_to("themes")
    assert "engine: offline" in user.text()

    themes = user.grid("Theme")
    labels = [label for label in user.grid_cells(themes) if re.search(r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff]", label)]
    assert labels, "no theme label on the page"
    box = user.widget("themes_quote_theme")
    picked = " ".join([box.inner_text(), *(i.input_value() for i in box.locator("input").all())])
    assert any(label in picked for label in labels), (picked, labels[:5])
    user.shot("themes-offline")

    # each quote names its response, and the quote is that response's comment
    quotes = user.grid("Part about this theme")  # the quotes table (the summary also names response IDs)
    cells = user.grid_cells(quotes)
    comments = _sample_comments()
    ids = [cell for cell in cells if cell in comments]
    assert ids, cells[:6]
    row = cells.index(ids[0])
    excerpt, quote = cells[row + 1], cells[row + 2]
    assert quote == comments[ids[0]].strip()
    assert excerpt.rstrip("…") in quote
    user.widget("themes_quote_theme").scroll_into_view_if_needed()
    user.shot("themes-quotes")

    # drill down: the first theme's parts, then one part's comments only
    assert "What the theme breaks down into" in user.text()
    part_box = user.widget("themes_subtheme_theme-01")
    part_box.scroll_into_view_if_needed()
    user.open_options("themes_subtheme_theme-01")
    option = user.page.get_by_role("option").nth(1)  # the largest part ("All comments" comes first)
    part = option.inner_text().strip()
    option.click()
    user.wait_idle()
    heading = user.page.get_by_text(re.compile(r"The \d+ comments of this theme about ")).first
    heading.wait_for()
    assert part in heading.inner_text(), (heading.inner_text(), part)
    user.shot("themes-part")


def test_report_download_carries_the_nps_on_screen_and_presenter_mode_steps(open_session, app_url):
    user = open_session("report")
    nps = user.metric("overview_card_nps")
    html = user.download("overview_report_html").decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html"), html[:80]
    assert re.search(rf"(?<![\d+-]){re.escape(nps)}(?!\d)", html), f"the report does not show the NPS {nps}"
    assert "n =" in html or "n=" in html
    user.widget("overview_report_html").scroll_into_view_if_needed()
    user.shot("overview-report-downloaded")

    # a shared presenter link: one insight per screen, the sidebar hidden, next moves on
    user.page.goto(f"{app_url}/?present=1")
    user.wait_idle()
    assert not user.page.locator('section[data-testid="stSidebar"]').is_visible()
    position = re.compile(r"^1 of (\d+)$", re.M)
    found = position.search(user.text())
    assert found, user.text()[:1000]
    total = int(found.group(1))
    assert total >= 2
    first = user.page.locator("h2").first.inner_text()
    assert user.page.locator('[data-testid="stVegaLiteChart"]').count() <= 1
    user.shot("presenter-slide-1")
    user.click("overview_next")
    assert re.search(rf"^2 of {total}$", user.text(), re.M), user.text()[:1000]
    assert user.page.locator("h2").first.inner_text() != first
    user.shot("presenter-slide-2")


def test_follow_up_done_and_note_persist_across_pages(open_session):
    user = open_session("followup")
    user.go_to("follow_up")
    totals = re.search(r"(\d[\d,]*) items · (\d[\d,]*) open", user.text())
    assert totals, user.text()[:1500]
    items, still_open = (int(x.replace(",", "")) for x in totals.groups())
    after_done = f"{items:,} items · {still_open - 1:,} open"
    # The form holds "done" and the note until Save: nothing reruns while the person types, so
    # nothing can be lost or land on another row (the old grid edit could, under load).
    user.page.locator('[class*="st-key-fu_done_"] label').first.click()
    marker = "Called on Tuesday: NOTE-7f3a"
    user.page.locator('[class*="st-key-fu_note_"] textarea').fill(marker)
    user.click("follow_up_save")
    # the sample's follow-up list is the team's shared one: another test may have saved this item first
    user.page.get_by_text(re.compile(r"Saved \(version \d+\)")).first.wait_for()
    user.wait_idle()
    assert after_done in user.text()
    user.shot("follow-up-saved")

    user.go_to("overview")
    user.go_to("follow_up")
    assert after_done in user.text()
    assert user.page.locator('[class*="st-key-fu_note_"] textarea').input_value() == marker
    saved = user.download("follow_up_download_csv").decode("utf-8-sig").splitlines()
    header, first = saved[0].split(","), saved[1]
    assert header[-2:] == ["Done", "Note"], header
    assert first.endswith(f",True,{marker}"), first
    user.shot("follow-up-after-page-switch")
