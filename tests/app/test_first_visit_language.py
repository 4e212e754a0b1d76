"""Issue 21: one language at a time, and worse never drawn as better.

Every page of the sample in Japanese shows no English word that is not data: words of the loaded
files (account names, owners, driver labels the survey asked) are data, except codes the app words
itself (``mid-market`` is 中堅企業). Acronyms and product names people write in Latin letters in
Japanese too (NPS, CSV, Excel, Salesforce...) are listed here, each on purpose.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx_core import t
from cx_core.ingest import preview_upload
from cx_core.messages import has_message
from cx_core.sample import sample_bytes
from ui.sync import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ("overview", "segments", "drivers", "moments", "themes", "accounts", "account", "follow_up", "data")

#: written in Latin letters in Japanese text as well: metric and file-format acronyms, products,
#: the statistical method's name, the sentence-embedding model's name
LATIN_IN_JAPANESE = {
    "NPS", "CSAT", "CES", "ARR", "CRM", "CSV", "TSV", "PPTX", "HTML", "LLM", "README", "USD", "MB",
    "Excel", "Qualtrics", "SurveyMonkey", "Typeform", "Google", "Salesforce", "HubSpot", "Zendesk",
    "Holm", "multilingual-USE-v",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z](?:[A-Za-z_']|-(?=[A-Za-z])){2,}")


def data_words() -> set[str]:
    """Words of the sample's files, minus the codes the app must word in the reader's language; the
    words of a driver's label are the survey's own ("Support responsiveness" keeps "Support", which is
    also the touchpoint code ``support``)."""
    survey, crm = sample_bytes()
    words = set(WORD.findall(survey.decode("utf-8") + crm.decode("utf-8")))
    drivers = preview_upload(survey, "survey.csv", crm, "crm.csv")[0].mapping.drivers
    asked = {w for driver in drivers for w in WORD.findall(driver["label"])}
    return {w for w in words if not has_message("code." + w.lower())} | asked


def page_texts(at: AppTest) -> list[str]:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    texts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    texts += [f"{m.label} {m.value} {m.proto.delta}" for m in at.metric]
    return [text.replace("\\", "") for text in texts]  # Markdown escapes ("Mid\\-market") are no words


def test_every_page_in_japanese_shows_no_english_word_that_is_not_data():
    allowed = LATIN_IN_JAPANESE | data_words()
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[state.LANGUAGE] = "ja"
    at.run()
    found = []
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        for text in page_texts(at):
            found += [f"{page}: {w!r} in {text[:120]!r}" for w in WORD.findall(text) if w not in allowed]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_segment_names_agree_between_headlines_and_charts(lang):
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[state.LANGUAGE] = lang
    at.run()
    at.switch_page("app_pages/segments.py")
    at.run()
    text = "\n".join(page_texts(at))
    names = [t(f"code.{code}", lang) for code in ("enterprise", "mid-market", "smb")]
    assert all(name in text for name in names), names
    if lang == "ja":
        assert not re.search(r"Mid-market|Enterprise|\bSMB\b", text)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_most_harmful_moment_is_red_and_down_in_every_language(lang):
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[state.LANGUAGE] = lang
    at.run()
    at.switch_page("app_pages/moments.py")
    at.run()
    worst = next(m for m in at.metric if m.label == t("moments.worst", lang))
    assert worst.proto.delta  # e.g. "全体比 -10 ポイント · 正味推奨者 -12"
    assert not re.fullmatch(r"[a-z_ ]+", worst.value), worst.value  # a word, not a code
    text = "\n".join(page_texts(at))
    assert "(use)" not in text and "(purchase)" not in text  # stage codes are words in the headline
    from streamlit.proto.Metric_pb2 import Metric

    assert worst.proto.color == Metric.MetricColor.Value("RED")
    assert worst.proto.direction == Metric.MetricDirection.Value("DOWN")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_data_page_words_codes_internal_names_and_repairs(lang):
    """The French survey (DOS 850 letters in Windows-1252 lines) on the Data page, as loaded."""
    from cx_core import Workspace, load_inputs
    from tests.real_layouts import french_nps

    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state[state.WORKSPACE] = Workspace.from_loaded(load_inputs(french_nps(), "nps.csv"))
    at.session_state[state.DATASET] = "upload"
    at.session_state[state.LANGUAGE] = lang
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(page_texts(at))
    assert "Cp850" not in text and "cp850" not in text
    assert t("ingest.repair.cp850_chars", lang, n=1).split("1", 1)[-1][:12] in text  # worded, with its count
    loaded, preview = at.dataframe[0].value, at.dataframe[-1].value  # "What is loaded" first, the preview last
    assert "survey" not in loaded.astype(str).to_numpy().ravel().tolist()
    internal = {"response_id", "respondent_role", "role_label", "submitted_at", "source_row"}
    assert not internal & set(preview.columns), list(preview.columns)
    assert t("field.response_id", lang) in preview.columns
    cells = preview.astype(str).to_numpy().ravel().tolist()
    assert not {"other", "Other", "その他", "None", "NaT"} & set(cells)  # the file has no role, account or date
