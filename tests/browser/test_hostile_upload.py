"""A hostile upload in the browser: one plain sentence for its person, and the server keeps
answering everyone else (the memory and time of the bombs are measured in tests/core/test_hostile_files.py)."""

import pytest

from tests.hostile_files import dimension_bomb, unclosed_quote_csv

pytestmark = pytest.mark.browser


def test_a_dimension_bomb_is_refused_in_one_sentence_while_another_session_keeps_answering(open_session, tmp_path):
    bob = open_session("bob")
    sample_nps = bob.metric("overview_card_nps")
    ann = open_session("ann")
    ann.go_to("data")
    # 4.8 KB declaring A1:XFD1048576, with its far corner filled: refused for its columns
    bomb = dimension_bomb(tmp_path / "corner.xlsx", far_cell=True).read_bytes()
    ann.upload("data_upload_survey", "corner.xlsx", bomb)
    ann.page.get_by_text("corner.xlsx has 16,384 columns").wait_for()
    message = ann.page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "CX_READ_MAX_COLUMNS" in message and "Traceback" not in ann.text()
    ann.shot("bomb-refused")

    # the other person's session answers, with its own data
    bob.go_to("segments")
    bob.go_to("overview")
    assert bob.metric("overview_card_nps") == sample_nps
    bob.shot("still-answering")

    # the refused person's session works too, and a broken quote is told with its line
    ann.upload("data_upload_survey", "quote.csv", unclosed_quote_csv(tmp_path / "quote.csv").read_bytes())
    ann.click("data_load_button")
    ann.page.get_by_text("a quote opened on line 102").first.wait_for()
    assert "Loaded 1,101 of 1,101" in ann.text()
    ann.shot("quote-reported")
