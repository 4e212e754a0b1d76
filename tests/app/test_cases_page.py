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
    assert list(loaded["Kind"]) == ["Survey", "CRM", "Support cases"]  # kinds in words, not codes (issue 21)
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


def test_duplicates_are_stated_on_the_data_page_in_both_languages():
    from tests.core.test_real_exports_files import real

    at = upload(data_page(), "data_upload_survey", "dup_nps_user_id.csv", real("dup_nps_user_id.csv"))
    at.button(key="data_load_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    warnings = " ".join(w.value for w in at.warning)
    assert "15 exact duplicate row" in warnings and "latest \\(by date\\)" in warnings
    reasons = next(d.value for d in at.dataframe if "Reason" in d.value.columns)["Reason"].tolist()
    assert sum(r.startswith("duplicate of row ") for r in reasons) == 15
    at.radio(key="app_language").set_value("ja").run()
    assert not at.exception
    reasons = next(d.value for d in at.dataframe if "理由" in d.value.columns)["理由"].tolist()
    assert sum(r.endswith("行目と重複") for r in reasons) == 15
    assert "完全に重複した 15 行" in " ".join(w.value for w in at.warning)
