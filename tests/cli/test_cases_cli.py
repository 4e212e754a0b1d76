"""The CLI's support cases: --cases summarised per account, a case export given as --crm is
recognised (warning not_an_account_table), and inputs[] report encoding and repairs."""

from __future__ import annotations

import csv
import io
import json

from tests.cli.test_cli import ROOT, run_cli

CASES = ROOT / "tests" / "fixtures" / "real" / "crm_salesforce_case.csv"
ACCOUNTS = ROOT / "tests" / "fixtures" / "real" / "crm_salesforce_account.csv"


def _cases() -> list[dict]:
    return list(csv.DictReader(io.StringIO(CASES.read_bytes().decode("utf-8-sig"))))


def test_cases_are_summarised_per_account():
    out = run_cli(
        "summarize",
        "--survey",
        "sample_data/survey.csv",
        "--crm",
        str(ACCOUNTS),
        "--cases",
        str(CASES),
        "--as-of",
        "2024-08-01",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    cases = _cases()
    kinds = {i["kind"]: i for i in doc["inputs"]}
    assert kinds["cases"]["rows_read"] == len(cases) == kinds["cases"]["rows_loaded"]
    assert all({"encoding", "repairs"} <= set(i) for i in doc["inputs"])
    summary = doc["cases"]
    assert summary["cases"] == len(cases)
    assert summary["open"] == sum(c["IsClosed"] != "1" for c in cases)
    assert summary["escalated"] == sum(c["Status"] == "Escalated" for c in cases)
    assert summary["accounts"] == len({c["AccountId"] for c in cases})
    escalated_ids = {c["AccountId"] for c in cases if c["Status"] == "Escalated"}
    flagged = {a["account_id"] for a in doc["accounts"] if "escalated_cases" in a["reasons"]}
    assert flagged == escalated_ids & {a["account_id"] for a in doc["accounts"]}


def test_case_export_given_as_crm_is_recognised():
    out = run_cli("summarize", "--survey", "sample_data/survey.csv", "--crm", str(CASES), "--as-of", "2024-08-01")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [w["code"] for w in doc["warnings"]] == ["not_an_account_table"]
    assert set(doc["warnings"][0]) == {"code", "message", "columns"}
    assert [i["kind"] for i in doc["inputs"]] == ["survey", "cases"]
    assert "accounts" not in doc  # no account table: no accounts at risk invented from case ids


def test_not_a_survey_exits_2_with_one_line_and_the_warning(tmp_path):
    facilities = tmp_path / "facilities.csv"
    facilities.write_text(
        "Facility ID,Facility Name,City,Beds\nF1,St Mary,Springfield,250\nF2,County Clinic,Peoria,40\n",
        encoding="utf-8",
    )
    out = run_cli("summarize", "--survey", str(facilities))
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "error: facilities.csv does not look like a survey: no score or comment column was found. "
        "Columns seen: Facility ID, Facility Name, City, Beds."
    ]
    doc = json.loads(out.stdout)
    assert doc["warnings"][0]["code"] == "not_a_survey"
    assert doc["warnings"][0]["columns"] == ["Facility ID", "Facility Name", "City", "Beds"]
