"""CLI: --as-of makes the account rules reproducible; accounts and follow_up keys with a CRM file."""

import json
import subprocess
import sys
from pathlib import Path

from cx_core.sample import generate

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["summarize", "--survey", "sample_data/survey.csv"]


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "cx_core", *args], cwd=ROOT, capture_output=True, text=True, timeout=180
    )


def test_accounts_and_follow_up_keys_as_of_the_sample_today():
    out = run_cli(*ARGS, "--crm", "sample_data/crm.csv", "--as-of", "2026-10-01")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["as_of"] == "2026-10-01"
    accounts = {a["account_id"]: a for a in doc["accounts"]}
    assert len(accounts) == 300
    required = {"account_id", "arr", "weighted_nps", "roles_responded", "roles_missing", "risk", "reasons"}
    assert all(required <= set(a) for a in accounts.values())
    planted = generate().truth["at_risk_accounts"]
    assert all(accounts[a]["risk"] == "high" for a in planted)
    listed = [f for f in doc["follow_up"] if f["kind"] == "account"]
    assert {f["account_id"] for f in listed} == {a for a, v in accounts.items() if v["risk"] == "high"}
    arr_at_risk = sum(a["arr"] for a in accounts.values() if a["risk"] == "high")
    assert doc["account_outcomes"]["arr_at_risk"] == arr_at_risk
    assert doc["account_outcomes"]["follow_up_totals"]["arr_at_risk"] == arr_at_risk
    assert all(f["due_date"] for f in doc["follow_up"])


def test_as_of_changes_the_result_and_bad_dates_exit_2():
    later = json.loads(run_cli(*ARGS, "--crm", "sample_data/crm.csv", "--as-of", "2027-06-01").stdout)
    assert later["as_of"] == "2027-06-01"
    assert not any(f["kind"] == "detractor" for f in later["follow_up"])  # no answers in its latest 90 days
    bad = run_cli(*ARGS, "--as-of", "2026-13-01")
    assert bad.returncode == 2 and "not a date" in bad.stderr and "Traceback" not in bad.stderr


def test_no_accounts_without_crm():
    doc = json.loads(run_cli(*ARGS, "--as-of", "2026-10-01").stdout)
    assert "accounts" not in doc and "follow_up" not in doc
