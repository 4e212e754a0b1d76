"""Every metric optional, in the app: CSAT-only and comments-only uploads reach every page without an
error, and the Data page asks which column is NPS when only candidates exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import t

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
PAGES = ("overview", "segments", "drivers", "moments", "themes", "accounts", "account", "follow_up", "data")


def uploaded(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    at.file_uploader(key="data_upload_survey").upload(name, (REAL / name).read_bytes(), "text/csv")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def load(at: AppTest) -> AppTest:
    at.button(key="data_load_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def quote_table(at: AppTest):
    return next(d.value for d in at.dataframe if t("map.question", "en") in d.value.columns)


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("map_ja_csat_comments.csv", "coverage.no_nps"),  # CSAT and comments, no NPS
        ("map_reviews_id_text.csv", "coverage.no_scores"),  # comments only
    ],
)
def test_upload_without_nps_reaches_every_page_without_an_error(name, missing):
    at = load(uploaded(name))
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
    at.switch_page("app_pages/overview.py")
    at.run()
    # says what is missing and how to add it, and never shows an NPS card for data without NPS
    assert t(missing, "en") in infos(at)
    assert "NPS" not in [m.label for m in at.metric]


def test_csat_only_overview_leads_with_csat_on_its_scale():
    at = load(uploaded("map_ja_csat_comments.csv"))
    at.switch_page("app_pages/overview.py")
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["CSAT"].endswith("/ 5")
    assert t("coverage.lead_csat", "en") in infos(at)


def test_data_page_asks_for_nps_when_only_candidates_exist():
    at = uploaded("map_qualtrics_three_0_10.csv")
    assert t("map.nps_ask", "en") in [w.value for w in at.warning]
    box = at.selectbox(key="data_map_survey_nps")
    assert box.value is None  # undecided: nothing is taken as NPS in silence
    assert box.options[0] == t("map.nps_none", "en")
    assert [o.split(" · ")[0] for o in box.options[1:4]] == ["Q1", "Q2", "Q3"]  # candidates first
    candidates = next(d.value for d in at.dataframe if t("map.candidate", "en") in d.value.columns)
    assert list(candidates[t("map.candidate", "en")]) == ["Q1", "Q2", "Q3"]
    assert all("recommending" in e for e in candidates[t("map.evidence", "en")])
    # loaded without an answer: the Data page keeps saying NPS is missing, with the candidates
    at = load(at)
    assert any(w.value.startswith("No NPS") and "Q1" in w.value for w in at.warning)


def test_choosing_a_candidate_as_nps_or_no_nps():
    at = uploaded("map_qualtrics_three_0_10.csv")
    at.selectbox(key="data_map_survey_nps").set_value("Q1").run()
    at = load(at)
    at.switch_page("app_pages/overview.py")
    at.run()
    assert "NPS" in [m.label for m in at.metric]

    at = uploaded("map_qualtrics_three_0_10.csv")
    at.selectbox(key="data_map_survey_nps").select_index(0).run()  # "No NPS in this file"
    at = load(at)
    assert not any(w.value.startswith("No NPS") for w in at.warning)


def test_key_driver_outcome_chosen_on_the_data_page():
    at = uploaded("map_qualtrics_three_0_10.csv")
    outcome = at.selectbox(key="data_map_survey_outcome")
    assert outcome.options[0] == t("map.outcome_auto", "en") and "Q2" in outcome.options
    outcome.set_value("q2").run()
    at = load(at)
    at.switch_page("app_pages/drivers.py")
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="drivers_outcome").value == "q2"


def test_themes_per_open_question_and_each_quote_names_its_question():
    at = load(uploaded("map_formbricks_nps.csv"))
    at.switch_page("app_pages/themes.py")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    box = at.selectbox(key="themes_question")
    assert box.value == "" and len(box.options) == 1 + 4  # all open questions (""), or one of them
    quotes = quote_table(at)
    assert set(quotes[t("map.question", "en")]) - {""}  # across all questions: each quote's own question
    box.set_value("11. Why did you choose this number?").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    quotes = quote_table(at)
    assert set(quotes[t("map.question", "en")]) == {"11. Why did you choose this number?"}
