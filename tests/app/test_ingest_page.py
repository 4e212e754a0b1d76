"""The Data page end to end: upload -> mapping -> load -> overview, and the CLI gives the same NPS."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.core.test_ingest_fixtures import FIXTURES, fixture
from tests.helpers import unescape_md

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def data_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    return at


def upload(at: AppTest, key: str, name: str, data: bytes) -> AppTest:
    at.file_uploader(key=key).upload(name, data, "application/octet-stream")
    at.run()
    return at


def page_nps(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}["NPS"]


def cli_nps(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "cx_core", "summarize", *args], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["metrics"]["nps"]


def test_upload_mapping_load_overview_matches_cli():
    at = upload(data_page(), "data_upload_survey", "qualtrics.csv", fixture("qualtrics.csv"))
    at = upload(at, "data_upload_crm", "salesforce_crm.csv", fixture("salesforce_crm.csv"))
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox(key="data_map_survey_nps").value == "Q1"
    assert at.selectbox(key="data_map_survey_response_id").value == "ResponseId"
    assert at.selectbox(key="data_map_crm_account_id").value == "Id"
    assert at.multiselect(key="data_map_survey_drivers").value == ["Q3_1", "Q3_2", "Q3_3"]
    at.button(key="data_load_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Loaded 6 of 8 survey rows (2 rejected" in at.success[0].value
    rejected = next(d.value for d in at.dataframe if "Reason" in d.value.columns)
    assert sorted(rejected["Reason"]) == [
        "Qualtrics status: flagged as spam",
        "Qualtrics status: survey preview",
        "account id is missing",
        "duplicate account id 'acc-001'",
    ]
    at.switch_page("app_pages/overview.py")
    at.run()
    assert not at.exception
    shown = page_nps(at)
    cli = cli_nps("--survey", str(FIXTURES / "qualtrics.csv"), "--crm", str(FIXTURES / "salesforce_crm.csv"))
    assert shown == f"{cli['score']:+.0f}" == "+17"
    assert cli["n"] == 6


def test_overriding_the_mapping_changes_the_answer(tmp_path):
    at = upload(data_page(), "data_upload_survey", "utf8.csv", fixture("utf8.csv"))
    at.selectbox(key="data_map_survey_nps").set_value("Product quality").run()
    at.button(key="data_load_button").click().run()
    assert not at.exception and not at.error
    # Product quality ratings 5,5,4,3,2,4 read as NPS: all detractors
    at.switch_page("app_pages/overview.py")
    at.run()
    assert page_nps(at) == "-100"
    # the same mapping, saved as JSON and given to the CLI, gives the same answer
    mapping = {"survey": {"fields": {"response_id": "Response ID", "nps": "Product quality"}}}
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    assert cli_nps("--survey", str(FIXTURES / "utf8.csv"), "--mapping", str(path))["score"] == -100


def test_saved_mapping_json_is_applied_on_upload():
    mapping = {"survey": {"kind": "survey", "fields": {"nps": "Q2", "comment": "Q4_TEXT"}, "drivers": []}}
    at = upload(data_page(), "data_upload_mapping", "mapping.json", json.dumps(mapping).encode())
    at = upload(at, "data_upload_survey", "qualtrics.csv", fixture("qualtrics.csv"))
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox(key="data_map_survey_nps").value == "Q2"
    # the saved mapping, not the suggestion, decides: it names no response id column
    assert at.selectbox(key="data_map_survey_response_id").value == "(not in my file)"
    assert at.info[0].value.startswith("The saved mapping was applied")


def test_xlsx_offers_a_sheet_choice():
    at = upload(data_page(), "data_upload_survey", "book.xlsx", fixture("two_sheets.xlsx"))
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox(key="data_sheet_survey").value == "Responses"
    assert at.selectbox(key="data_map_survey_nps").value.startswith("How likely")
    at.selectbox(key="data_sheet_survey").set_value("Wave 2").run()
    assert at.selectbox(key="data_map_survey_nps").value == "Likelihood to recommend"


def test_unusable_upload_gives_one_message_and_page_keeps_running():
    at = upload(data_page(), "data_upload_survey", "image.csv", fixture("image.csv"))
    assert not at.exception
    # the message is shown escaped (a file name in it must never render as Markdown); read as it displays
    assert [unescape_md(e.value) for e in at.error] == ["This file looks like a PNG image, not a CSV or Excel export."]
    assert any("Rows read" in d.value.columns for d in at.dataframe)  # the rest of the page still renders


def test_extra_grouping_columns_are_offered_and_become_sidebar_filters():
    from tests.core.test_ingest_dimensions import _crm, _csv, _survey

    at = upload(data_page(), "data_upload_survey", "survey.csv", _csv(_survey()))
    at = upload(at, "data_upload_crm", "crm.csv", _csv(_crm()))
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.multiselect(key="data_map_survey_dimensions").value == ["Product line", "Country", "プラン"]
    assert at.multiselect(key="data_map_crm_dimensions").value == ["Tier__c", "Plan__c"]
    at.multiselect(key="data_map_survey_dimensions").set_value(["Product line"]).run()
    at.button(key="data_load_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.run()  # the sidebar was drawn before the load button loaded the files
    assert at.multiselect(key="sidebar_Product line").options == ["Gadgets", "Gizmos", "Widgets"]
    assert at.multiselect(key="sidebar_Tier__c").options == ["Bronze", "Gold", "Silver"]
    with pytest.raises(KeyError):
        at.multiselect(key="sidebar_Country")  # not chosen in the editor
    at.switch_page("app_pages/segments.py")
    at.run()
    assert not at.exception
    assert {"Product line", "Tier__c", "Plan__c"} <= set(at.selectbox(key="segments_dimension").options)


@pytest.mark.parametrize("mapping_first", [True, False])
def test_uploaded_mapping_keeps_driver_labels_and_needs(mapping_first):
    mapping = {
        "survey": {
            "kind": "survey",
            "fields": {"response_id": "ResponseId", "account_id": "AccountId", "nps": "Q1"},
            "drivers": [
                {"column": "Q3_1", "label": "Delivery speed", "need": "trust"},
                {"column": "Q3_2", "label": "Invoices", "need": "feeling_valued"},
            ],
        }
    }
    uploads = [
        ("data_upload_mapping", "mapping.json", json.dumps(mapping).encode()),
        ("data_upload_survey", "qualtrics.csv", fixture("qualtrics.csv")),
    ]
    at = data_page()
    for key, name, data in uploads if mapping_first else uploads[::-1]:
        at = upload(at, key, name, data)
    assert at.multiselect(key="data_map_survey_drivers").value == ["Q3_1", "Q3_2"]
    at.button(key="data_load_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    drivers = {d.label: d.need for d in at.session_state["cx_workspace"].drivers}
    assert drivers == {"Delivery speed": "trust", "Invoices": "feeling_valued"}


def test_an_unusable_upload_is_refused_in_the_readers_language():
    from ui.sync import state

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.LANGUAGE] = "ja"
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    at = upload(at, "data_upload_survey", "image.csv", fixture("image.csv"))
    assert not at.exception
    # the core raised a message key; the page words it (and the binary type in it) in Japanese
    assert [unescape_md(e.value) for e in at.error] == [
        "このファイルはPNG 画像のようです。CSV か Excel の書き出しではありません。"
    ]
