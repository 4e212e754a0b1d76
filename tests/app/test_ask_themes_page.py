"""AppTest: a question naming a theme is answered over that theme's respondents; its chip re-runs it."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from cx_core import Filters, Workspace, load_inputs, overview
from cx_core.ask import workspace_themes
from cx_core.sample import sample_bytes

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def _expected_n() -> dict[str, int]:
    """NPS answers of each theme's respondents in the sample (the core's overview over them)."""
    survey, crm = sample_bytes()
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv", crm, "crm.csv"))
    try:
        result = workspace_themes(ws)
        return {th.key: overview(ws, Filters().restricted_to(th.response_ids)).nps.n for th in result.themes}
    finally:
        ws.close()


def test_a_theme_question_shows_a_theme_chip_and_editing_it_re_answers():
    expected = _expected_n()
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("app_pages/ask.py")
    at.run()
    at.text_input(key="ask_box").input("NPS of customers who mention late deliveries")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    chip = at.multiselect(key="ask_chip_1_themes")
    assert chip.value == ["theme-01"]
    captions = " ".join(c.value for c in at.caption)
    assert f"n = {expected['theme-01']:,}" in captions, captions
    assert "read as the theme" in captions  # the reading is said as a guess
    chip.set_value(["theme-08"]).run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert f"n = {expected['theme-08']:,}" in captions, captions
    assert expected["theme-08"] != expected["theme-01"]
