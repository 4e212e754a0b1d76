"""Issue 21: no false message after a survey-only upload of a real layout.

Each file is loaded with the mapping the Data page suggests, as a first visitor would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import Workspace, load_inputs, t
from cx_core.ingest import read_table, suggest_mapping
from tests.real_layouts import LAYOUTS
from ui.sync import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_upload(name: str, page: str, lang: str = "en") -> AppTest:
    data = LAYOUTS[name]()
    mapping = suggest_mapping(read_table(data, name), "survey")
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state[state.WORKSPACE] = Workspace.from_loaded(load_inputs(data, name, survey_mapping=mapping))
    at.session_state[state.DATASET] = "upload"
    at.session_state[state.LANGUAGE] = lang
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_segments_without_groupings_does_not_blame_filters(lang):
    at = open_upload("nps_fr.csv", "segments", lang)
    text = shown(at)
    assert t("error.no_data", lang) not in text
    assert t("segments.no_groupings", lang) in [i.value for i in at.info]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_overview_of_a_survey_without_accounts_states_only_what_it_has(lang):
    at = open_upload("satisfaction_ja.csv", "overview", lang)
    caption = next(c.value for c in at.caption if t("overview.caption_filters", lang, filters="") in c.value)
    # the Japanese file's ``datetime`` column is its answer date: 2,000 answers from 1 Apr to 22 May 2024
    assert caption.startswith(t("overview.caption_responses", lang, responses="2,000") + " · "), caption
    assert "2024" in caption and "?" not in caption
    assert ("0 accounts" if lang == "en" else "0社") not in caption
    # its 職種 (会社員, 学生...) names no buyer role: no one-bar "NPS by role" of "Other"
    assert t("overview.by_role", lang) not in shown(at)
    assert "職種" in [s.label for s in at.multiselect]  # it is offered as a grouping of its own instead


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_themes_never_name_a_group_the_data_does_not_have(lang):
    at = open_upload("satisfaction_ja.csv", "themes", lang)
    text = shown(at)
    assert "(not set)" not in text
    assert "\\(not set\\)" not in text
    # one group per answer (no segment, no role): no "…is mentioned most by" finding at all
    assert {"en": "is mentioned most by", "ja": "に最も多く言及しているのは"}[lang] not in text


def test_drivers_of_a_file_with_one_rating_explains_instead_of_failing():
    """The product NPS export: its 0-10 ``score`` is only a candidate NPS, so it is the one rating."""
    at = open_upload("product_nps.csv", "drivers")
    assert not at.error, [e.value for e in at.error]
    assert t("drivers.one_rating", "en") in [i.value for i in at.info]
