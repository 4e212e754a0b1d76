"""CRM account exports recognised, case exports told apart from account tables, and support cases
joined to accounts. Expected counts are worked out here from the real Salesforce files with the
csv module, independently of the loader."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from cx_core import Workspace
from cx_core.accounts import account_health, account_view, attach_cases, has_cases, reason_text
from cx_core.errors import InputFileError
from cx_core.ingest import InputReport, load_inputs, read_table, warning_text
from cx_core.ingest.cases import case_summary, validate_cases
from cx_core.sample import sample_bytes
from cx_core.sql import run_rows

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
AS_OF = dt.date(2024, 8, 1)  # the Salesforce demo cases were created on 2024-07-11


def real(name: str) -> bytes:
    return (REAL / name).read_bytes()


def rows(name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(real(name).decode("utf-8-sig"))))


def _survey_for(accounts: list[str]) -> bytes:
    """A small survey whose answers come from the given CRM account ids."""
    lines = ["Response ID,Account ID,Role,Date,How likely are you to recommend us? (0-10),Comment"]
    for i, account in enumerate(accounts):
        lines.append(f"R{i},{account},{'CEO' if i % 2 else 'Buyer'},2024-07-{10 + i % 15:02d},{(i * 3) % 11},note {i}")
    return ("\n".join(lines) + "\n").encode()


def test_salesforce_account_export_loads():
    accounts = rows("crm_salesforce_account.csv")
    loaded = load_inputs(
        _survey_for([a["Id"] for a in accounts[:5]]), "s.csv", real("crm_salesforce_account.csv"), "Account.csv"
    )
    assert loaded.crm_mapping.fields["account_id"] == "Id"
    assert loaded.crm_mapping.fields["account_name"] == "Name"
    assert loaded.crm_mapping.fields["industry"] == "Industry"
    assert loaded.crm_mapping.fields["arr"] == "AnnualRevenue"
    assert loaded.crm_mapping.fields["region"] == "BillingCountry"
    report = loaded.crm_report
    assert report.rows_read == len(accounts) == report.rows_loaded + report.rows_rejected
    assert report.rows_rejected == 0 and report.warnings == []


def test_dynamics_style_guid_account_export_loads():
    data = b"Guid,Name,Type,Industry,AnnualRevenue,BillingCountry,Plan__c\ng-1,Acme,Customer,Retail,100000,France,Gold\ng-2,Beta,Prospect,Energy,5000,Japan,Silver\n"
    loaded = load_inputs(_survey_for(["g-1", "g-2"]), "s.csv", data, "accounts.csv")
    assert loaded.crm_mapping.fields["account_id"] == "Guid"
    assert sorted(loaded.crm.accounts["account_id"]) == ["g-1", "g-2"]


def test_case_export_given_as_crm_is_loaded_as_cases_with_a_warning():
    cases = rows("crm_salesforce_case.csv")
    loaded = load_inputs(_survey_for(["x"]), "s.csv", real("crm_salesforce_case.csv"), "Case.csv")
    assert loaded.crm is None and loaded.crm_report is None
    report = loaded.cases_report
    assert report.kind == "cases" and report.rows_read == len(cases) == report.rows_loaded
    (warning,) = report.warnings
    repeated = sum(1 for n in Counter(c["AccountId"] for c in cases).values() if n > 1)
    assert warning.code == "not_an_account_table" and warning.columns == ("AccountId",)
    assert warning.values["ids"] == repeated and warning.values["rows"] == len(cases)
    assert "is not an account table" in warning_text(warning, "en")
    assert "取引先の表ではありません" in warning_text(warning, "ja")


def test_case_export_as_crm_with_a_cases_file_too_is_refused_in_one_sentence():
    with pytest.raises(InputFileError, match="is not an account table"):
        load_inputs(
            _survey_for(["x"]),
            "s.csv",
            real("crm_salesforce_case.csv"),
            "Case.csv",
            cases=real("crm_salesforce_case.csv"),
            cases_name="Case.csv",
        )


def test_a_table_of_events_is_not_an_account_table():
    orders = "Account ID,Order,Amount\n" + "".join(f"A{i % 4},O{i},{i * 10}\n" for i in range(40))
    with pytest.raises(InputFileError, match="not an account table.*list of events"):
        load_inputs(_survey_for(["A1"]), "s.csv", orders.encode(), "orders.csv")


def test_a_few_duplicate_accounts_are_still_rejected_row_by_row():
    crm = "Account ID,Name\n" + "".join(f"A{i},N{i}\n" for i in range(20)) + "A3,again\n"
    loaded = load_inputs(_survey_for(["A1"]), "s.csv", crm.encode(), "crm.csv")
    assert [r.row for r in loaded.crm_report.rejected] == [22]


def _expected_per_account(cases: list[dict], as_of: dt.date) -> dict[str, tuple[int, int, int]]:
    start = dt.datetime.combine(as_of - dt.timedelta(days=89), dt.time.min)
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min)
    out: dict[str, list[int]] = {}
    for c in cases:
        created = dt.datetime.fromisoformat(c["CreatedDate"][:19])
        total, open_, escalated = out.setdefault(c["AccountId"].upper(), [0, 0, 0])
        is_open = c["IsClosed"] not in ("1", "true", "True")
        is_escalated = c["IsEscalated"] in ("1", "true", "True") or "escalat" in c["Status"].lower()
        out[c["AccountId"].upper()] = [
            total + 1,
            open_ + is_open,
            escalated + (is_escalated and start <= created < end),
        ]
    return {k: tuple(v) for k, v in out.items()}


def test_cases_per_account_match_an_independent_count():
    cases = rows("crm_salesforce_case.csv")
    data = validate_cases(read_table(real("crm_salesforce_case.csv"), "Case.csv"))
    summary = case_summary(data.cases, AS_OF).set_index("account_key")
    expected = _expected_per_account(cases, AS_OF)
    got = {k: (int(r.cases_total), int(r.cases_open), int(r.cases_escalated)) for k, r in summary.iterrows()}
    assert got == expected
    assert sum(v[2] for v in expected.values()) == 4  # 4 cases with status Escalated
    reasons = Counter(c["Reason"] for c in cases if c["AccountId"].upper() == "001NQ00000J1MWNIAF")
    assert summary.loc["001NQ00000J1MWNIAF", "case_reasons"] == [r for r, _n in reasons.most_common(3)]
    # a year later nothing is escalated "in the last 90 days" any more
    assert case_summary(data.cases, dt.date(2025, 8, 1))["cases_escalated"].sum() == 0


def loaded_with_cases():
    """A survey of six real Salesforce accounts, their account export and their real case export."""
    accounts = rows("crm_salesforce_account.csv")
    return load_inputs(
        _survey_for([a["Id"] for a in accounts[:6]]),
        "s.csv",
        real("crm_salesforce_account.csv"),
        "Account.csv",
        cases=real("crm_salesforce_case.csv"),
        cases_name="Case.csv",
    )


def assert_same_case_health(before: Workspace, after: Workspace) -> None:
    """Both workspaces have cases and give every account the same case counts and risk."""
    assert has_cases(after)
    columns = ["account_key", "cases_total", "cases_open", "cases_escalated", "risk"]
    pd.testing.assert_frame_equal(
        account_health(after, AS_OF)[columns].reset_index(drop=True),
        account_health(before, AS_OF)[columns].reset_index(drop=True),
    )


def test_escalated_cases_join_account_health_and_the_account_view():
    cases = rows("crm_salesforce_case.csv")
    loaded = loaded_with_cases()
    ws = Workspace.from_loaded(loaded)
    try:
        assert has_cases(ws)
        health = account_health(ws, AS_OF).set_index("account_key")
        expected = _expected_per_account(cases, AS_OF)
        for key, (total, open_, escalated) in expected.items():
            row = health.loc[key]
            assert (row.cases_total, row.cases_open, row.cases_escalated) == (total, open_, escalated)
            assert ("escalated_cases" in row.reasons) == (escalated > 0)
            if escalated:
                assert row.risk in ("medium", "high")
        without = health[~health.index.isin(list(expected))]
        assert (without["cases_total"] == 0).all() and not any("escalated_cases" in r for r in without["reasons"])
        key = next(k for k, v in expected.items() if v[2])
        view = account_view(ws, key, AS_OF, lang="en")
        assert view.health["cases_escalated"] == expected[key][2]
        assert len(view.cases) == expected[key][0] and bool(view.cases["is_escalated"].iloc[0])
        assert "90" in reason_text("escalated_cases", "en") and reason_text("escalated_cases", "ja")
    finally:
        ws.close()


def test_cases_can_be_attached_to_a_loaded_workspace():
    survey, crm = sample_bytes()
    ws = Workspace.from_loaded(load_inputs(survey, "survey.csv", crm, "crm.csv"))
    try:
        assert not has_cases(ws)
        first = run_rows(ws.con, "SELECT account_id FROM accounts ORDER BY account_id LIMIT 1")[0][0]
        data = f"CaseNumber,AccountId,Status,Priority,Reason,CreatedDate\n1,{first},Escalated,High,Billing,2026-09-20\n"
        table = read_table(data.encode(), "cases.csv")
        report = InputReport("cases.csv", "cases", "csv", "utf-8", 1, 1, 1)
        attach_cases(ws, validate_cases(table), report)
        assert has_cases(ws) and ws.reports[-1].kind == "cases"
        health = account_health(ws, dt.date(2026, 10, 1))
        row = health[health["account_id"] == first].iloc[0]
        assert row["cases_escalated"] == 1 and "escalated_cases" in row["reasons"]
    finally:
        ws.close()
