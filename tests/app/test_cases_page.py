"""The Data page's support cases uploader: cases join the session's accounts, and say so."""

from __future__ import annotations

from tests.app.test_account_detail_page import RISKIEST, open_account
from tests.app.test_ingest_page import data_page, upload


def test_cases_upload_joins_the_loaded_accounts():
    at = data_page()
    cases = (
        b"CaseNumber,AccountId,Status,Priority,Reason,CreatedDate\n"
        b"00001,ACC-0111,Escalated,High,Billing,2026-09-20\n"
        b"00002,ACC-0111,New,Low,Login,2026-09-25\n"
        b"00003,ACC-0002,Closed,Low,Login,2026-08-01\n"
    )
    at = upload(at, "data_upload_cases", "cases.csv", cases)
    assert not at.exception and not at.error, [e.value for e in at.error]
    text = " ".join(m.value for m in at.markdown)
    assert "3 support cases for 2 accounts: 2 open, 1 escalated in the last 90 days." in text
    loaded = next(d.value for d in at.dataframe if "Kind" in d.value.columns)
    assert list(loaded["Kind"]) == ["survey", "crm", "cases"]
    at.run()  # a rerun keeps the cases (read once per upload, kept in the session's workspace)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "3 support cases for 2 accounts" in text
    # the Account page of the riskiest account shows its cases
    assert RISKIEST == "ACC-0111"
    at = open_account(at)
    text = " ".join(m.value for m in at.markdown)
    assert "1 escalated case(s) in 90 days, 2 open, 2 in all" in text
    assert "Escalated support cases in the last 90 days" in text  # a health reason now
    cases_table = next(d.value for d in at.dataframe if "case_id" in d.value.columns)
    assert list(cases_table["case_id"]) == ["00001", "00002"]
