"""AppTest: the Ask page answers a typed question, its chips re-run it, pins reach presenter mode."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_ask() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/ask.py")
    at.run()
    return at


def _ask(at: AppTest, question: str) -> None:
    at.text_input(key="ask_box").input(question)
    at.button[0].click().run()  # the form's submit button


def test_a_question_is_answered_and_a_chip_changes_the_answer():
    at = open_ask()
    assert not at.exception, [e.value for e in at.exception]
    _ask(at, "Which segment has the lowest NPS?")
    assert not at.exception, [e.value for e in at.exception]
    headers = " ".join(h.value for h in at.subheader).replace("\\", "")
    assert "Lowest NPS: SMB" in headers, headers
    at.selectbox(key="ask_chip_1_add_filter").set_value("respondent_role").run()
    at.multiselect(key="ask_chip_1_filter_respondent_role").set_value(["procurement"]).run()
    headers_after = " ".join(h.value for h in at.subheader).replace("\\", "")
    assert "Lowest NPS" in headers_after and headers_after != headers
    assert not at.exception and not at.error


def test_nonsense_gets_suggestions_and_a_pinned_answer_is_presented():
    at = open_ask()
    _ask(at, "what is the weather in Osaka")
    warnings = " ".join(w.value for w in at.warning)
    assert "osaka" in warnings.lower() or "weather" in warnings.lower()
    _ask(at, "NPS by segment")
    at.button(key="ask_pin").click().run()
    at.toggle(key="presenter_mode").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    headers = " ".join(h.value for h in at.header).replace("\\", "")  # Markdown-escaped on screen
    assert "Highest NPS: Mid-market" in headers, headers


def test_the_same_box_on_overview_answers_in_japanese():
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.radio(key="app_language").set_value("ja").run()
    at.text_input(key="overview_ask_box").input("購買担当のCSATが一番低いセグメントは?")
    next(b for b in at.button if b.label == "質問する").click().run()
    assert not at.exception, [e.value for e in at.exception]
    headers = " ".join(h.value for h in at.subheader).replace("\\", "")
    assert "最も低いのは 中小企業" in headers, headers


def test_one_figure_is_shown_with_its_n_and_interval_and_the_sql_on_request():
    at = open_ask()
    _ask(at, "NPS of enterprise customers last year")
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["NPS"].startswith(("+", "-")), metrics
    captions = " ".join(c.value for c in at.caption)
    assert "n = " in captions and "95% CI" in captions
    assert any("FROM facts" in c.value for c in at.code)  # the query behind the answer
