"""The ingestion fixture corpus: each layout, encoding and hostile case, with its expected answers.

Expected NPS values are worked out by hand from tests/fixtures/ingest/make_fixtures.py (the BASE
story is 3 promoters, 1 passive, 2 detractors out of 6: +16.67).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from cx_core import InputFileError, MappingError, Workspace, build_summary, overview
from cx_core.ingest import list_sheets, load_inputs, read_table, rejected_rows_csv
from cx_core.summary import join_report

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)

NPS_PLAIN = "How likely are you to recommend us to a colleague? (0-10)"
PLAIN_FIELDS = {
    "response_id": "Response ID",
    "account_id": "Account ID",
    "respondent_role": "Role",
    "submitted_at": "Submitted",
    "nps": NPS_PLAIN,
    "csat": "Overall satisfaction (1-5)",
    "ces": "Easy to deal with (1-7)",
    "comment": "Comment",
}
PLAIN_DRIVERS = ["On-time delivery", "Price transparency", "Product quality"]

# name -> (format, encoding, header_rows, rows_read, rows_loaded, nps, expected fields, driver labels)
CASES = {
    "utf8.csv": ("csv", "utf-8", 1, 6, 6, 16.67, PLAIN_FIELDS, PLAIN_DRIVERS),
    "utf8_bom_crlf.csv": ("csv", "utf-8-sig", 1, 6, 6, 16.67, PLAIN_FIELDS, PLAIN_DRIVERS),
    "utf16_excel_unicode.txt": ("tsv", "utf-16", 1, 6, 6, 16.67, PLAIN_FIELDS, PLAIN_DRIVERS),
    "utf16le_no_bom.tsv": ("tsv", "utf-16-le", 1, 6, 6, 16.67, PLAIN_FIELDS, PLAIN_DRIVERS),
    "cr_only.csv": ("csv", "utf-8", 1, 6, 6, 16.67, PLAIN_FIELDS, PLAIN_DRIVERS),
    "invalid_bytes.csv": ("csv", "utf-8", 1, 6, 6, 16.67, PLAIN_FIELDS, PLAIN_DRIVERS),
    "cp1252_semicolon.csv": (
        "semicolon",
        "cp1252",
        1,
        4,
        4,
        25.0,  # 10, 4, 9, 7: (2 - 1) / 4
        {
            "response_id": "Response ID",
            "account_id": "Account ID",
            "respondent_role": "Role",
            "submitted_at": "Date",
            "nps": "Recommend (0-10)",
            "comment": "Comment",
        },
        [],
    ),
    "cp932.csv": (
        "csv",
        "cp932",
        1,
        5,
        5,
        20.0,  # 10, ９, 6, 9, 2: (3 - 2) / 5
        {
            "response_id": "回答ID",
            "account_id": "取引先ID",
            "respondent_role": "役職",
            "submitted_at": "回答日",
            "nps": "推奨度",
            "csat": "満足度",
            "comment": "ご意見",
        },
        [],
    ),
    "qualtrics.csv": (
        "qualtrics",
        "utf-8-sig",
        3,
        8,
        6,
        16.67,
        {
            "response_id": "ResponseId",
            "account_id": "AccountId",
            "respondent_role": "Role",
            "submitted_at": "EndDate",
            "nps": "Q1",
            "csat": "Q2",
            "ces": "Q5 (2)",
            "comment": "Q4_TEXT",
        },
        PLAIN_DRIVERS,
    ),
    "surveymonkey.csv": (
        "surveymonkey",
        "utf-8",
        2,
        6,
        6,
        16.67,
        {
            "response_id": "Respondent ID",
            "respondent_role": "What is your role?",
            "submitted_at": "End Date",
            "nps": "How likely is it that you would recommend Acme to a friend or colleague?",
            "csat": "How satisfied are you with Acme overall?",
            "comment": "What could we do better?",
        },
        PLAIN_DRIVERS,
    ),
    "typeform.csv": (
        "csv",
        "utf-8",
        1,
        6,
        6,
        16.67,
        {
            "response_id": "#",
            "account_id": "Account ID",
            "respondent_role": "What is your role?",
            "submitted_at": "Submit Date (UTC)",
            "nps": "How likely are you to recommend Acme to a colleague?",
            "csat": "How satisfied are you with Acme?",
            "comment": "Why?",
        },
        [],
    ),
    "google_forms_ja.csv": (
        "csv",
        "utf-8",
        1,
        6,
        6,
        16.67,
        {
            "account_id": "取引先ID",
            "respondent_role": "役職",
            "submitted_at": "タイムスタンプ",
            "nps": "当社を同僚に薦める可能性はどのくらいありますか？（0〜10）",
            "csat": "当社の対応への満足度",
            "comment": "ご意見・ご要望",
        },
        [],
    ),
    # bare 0-10 columns (Q1, score) are NPS *candidates*, not NPS: no header or question says so
    "values_only.csv": ("csv", "utf-8", 1, 10, 10, None, {"csat": "Q2", "comment": "Q3"}, ["Q1"]),
    "hostile_headers.csv": ("csv", "utf-8", 1, 6, 6, None, {}, ["score", "score (2)"]),
    "bad_rows.csv": (
        "csv",
        "utf-8",
        1,
        13,
        5,
        33.33,  # loaded: 10, (blank), (#N/A), 0, 9: a blank NPS is missing for NPS only
        {
            "response_id": "Response ID",
            "account_id": "Account ID",
            "nps": "NPS",
            "csat": "CSAT",
            "comment": "Comment",
        },
        [],
    ),
}


def fixture(name: str) -> bytes:
    if name in make_fixtures.NOT_COMMITTED:
        return make_fixtures.all_files()[name]
    return (FIXTURES / name).read_bytes()


def test_committed_fixtures_match_the_generator():
    for name, data in make_fixtures.all_files().items():
        if name not in make_fixtures.NOT_COMMITTED:
            assert (FIXTURES / name).read_bytes() == data, f"{name}: run make_fixtures.py"


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_loads_with_expected_answers(name):
    fmt, encoding, header_rows, read, loaded_rows, nps, fields, drivers = CASES[name]
    loaded = load_inputs(fixture(name), name)
    report = loaded.survey_report
    assert (report.format, report.encoding, report.header_rows) == (fmt, encoding, header_rows)
    assert (report.rows_read, report.rows_loaded) == (read, loaded_rows)
    assert report.rows_read == report.rows_loaded + report.rows_rejected
    assert {k: v for k, v in loaded.survey_mapping.fields.items() if v} == fields
    assert [d["label"] for d in loaded.survey_mapping.drivers] == drivers
    ws = Workspace.from_loaded(loaded)
    try:
        assert overview(ws).nps.score == nps
        if "nps" in fields:
            blank = {"bad_rows.csv": 2}.get(name, 0)
            assert overview(ws).nps.n == loaded_rows - blank
        else:
            assert overview(ws).nps.n == 0
    finally:
        ws.close()


def test_text_survives_each_encoding():
    assert (
        "№1の取引先です。①納期②品質ともに満足"
        in load_inputs(fixture("cp932.csv"), "x").survey.responses["comment"].tolist()
    )
    comments = load_inputs(fixture("cp1252_semicolon.csv"), "x").survey.responses["comment"].tolist()
    assert "Lieferung zu spät, Größe falsch" in comments
    for name in ("utf16_excel_unicode.txt", "utf16le_no_bom.tsv", "cr_only.csv", "utf8_bom_crlf.csv"):
        responses = load_inputs(fixture(name), name).survey.responses
        assert "対応が迅速で助かります。" in responses["comment"].tolist()
        # the quoted line break inside R4's comment stays one cell (spaces collapsed)
        assert "Late deliveries again, three times this quarter." in responses["comment"].tolist()
        assert responses["role_label"].tolist()[-1] == "購買担当"


def test_invalid_bytes_are_reported_not_fatal():
    report = load_inputs(fixture("invalid_bytes.csv"), "x").survey_report
    assert any("2 character(s) could not be decoded" in note for note in report.notes)


def test_european_dates_are_read_day_first():
    dates = load_inputs(fixture("cp1252_semicolon.csv"), "x").survey.responses["submitted_at"]
    assert [d.strftime("%Y-%m-%d") for d in dates] == ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-24"]


def test_qualtrics_preview_and_spam_are_rejected_with_reason():
    report = load_inputs(fixture("qualtrics.csv"), "q.csv").survey_report
    assert [r.to_dict() for r in report.rejected] == [
        {"row": 10, "reason": "Qualtrics status: survey preview"},
        {"row": 11, "reason": "Qualtrics status: flagged as spam"},
    ]
    table = read_table(fixture("qualtrics.csv"), "q.csv")
    assert table.import_ids["Q1"] == "QID1"
    assert table.questions["Q1"] == "How likely are you to recommend Acme to a colleague?"
    assert "Q5" in table.frame.columns and "Q5 (2)" in table.frame.columns  # duplicate ids kept apart


def test_qualtrics_nps_group_is_never_mapped():
    mapping = load_inputs(fixture("qualtrics.csv"), "q.csv").survey_mapping
    used = set(mapping.fields.values()) | {d["column"] for d in mapping.drivers}
    assert "Q1_NPS_GROUP" not in used
    assert "Finished" not in used and "Status" not in used and "DistributionChannel" not in used


def test_bad_rows_each_keep_their_reason():
    report = load_inputs(fixture("bad_rows.csv"), "b.csv").survey_report
    reasons = {r.row: r.reason for r in report.rejected}
    # B1 answered twice (rows 2 and 9) without dates: the last answer is kept (duplicates.KEEP_RULE)
    assert reasons == {
        2: "respondent 'B1' answered again (row 9 is kept)",
        3: "NPS 11 is outside 0-10",
        4: "NPS -1 is outside 0-10",
        5: "NPS 7.5 is not a whole number on the 0-10 scale",
        6: "NPS value 'abc' is not a number",
        10: "empty row",
        11: "CSAT 9 is outside 1-5",
        13: "row has 7 values but the header has 5 columns",
    }


def test_rejected_rows_download_keeps_cells_and_defuses_formulas():
    loaded = load_inputs(fixture("bad_rows.csv"), "b.csv")
    text = rejected_rows_csv(loaded.reports).decode("utf-8-sig")
    assert text.splitlines()[0] == "file,kind,row,reason,Response ID,Account ID,NPS,CSAT,Comment"
    assert "b.csv,survey,3,NPS 11 is outside 0-10,B2,ACC-002,11,4,eleven is out of range" in text
    assert len(text.strip().splitlines()) == 1 + 8
    formula = b'id,nps,comment\n1,abc,"=HYPERLINK(""http://x"",""y"")"\n2,9,ok\n'
    text = rejected_rows_csv(load_inputs(formula, "f.csv").reports).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_crm_join_normalises_ids_and_lists_unmatched():
    loaded = load_inputs(fixture("crm_join_survey.csv"), "s.csv", fixture("salesforce_crm.csv"), "crm.csv")
    crm = loaded.crm_report
    assert (crm.rows_read, crm.rows_loaded) == (7, 5)
    assert {r.reason for r in crm.rejected} == {"duplicate account id 'acc-001'", "account id is missing"}
    ws = Workspace.from_loaded(loaded)
    try:
        join = join_report(ws)
        assert (join["matched"], join["unmatched"], join["unmatched_account_ids"]) == (5, 1, ["ACC-999"])
        accounts = ws.con.execute("SELECT account_id, segment, arr, renewal_date FROM accounts ORDER BY 1").fetchall()
    finally:
        ws.close()
    by_id = {a[0]: a[1:] for a in accounts}
    assert by_id["0012345678901234567"][0] == "Enterprise"  # long id kept as text
    assert by_id["ACC-002"][0] is None and by_id["ACC-002"][1] == 3_000_000  # #N/A segment, ¥ amount
    assert by_id["ACC-001"][2].isoformat() == "2026-10-01"  # 2026年10月1日
    assert by_id["ACC-003"][1] is None  # #N/A arr
    assert by_id["103444000000"][1] == 550_000  # 5.5E5


def test_account_id_suggested_from_values_that_join():
    alone = load_inputs(fixture("surveymonkey.csv"), "sm.csv")
    assert alone.survey_mapping.fields["account_id"] is None
    joined = load_inputs(fixture("surveymonkey.csv"), "sm.csv", fixture("salesforce_crm.csv"), "crm.csv")
    assert joined.survey_mapping.fields["account_id"] == "Custom Data 1"
    values = load_inputs(fixture("values_only.csv"), "v.csv", fixture("salesforce_crm.csv"), "crm.csv")
    assert values.survey_mapping.fields["account_id"] == "cust"


def test_xlsx_first_sheet_by_default_and_chosen_sheet():
    data = fixture("two_sheets.xlsx")
    assert list_sheets(data) == ["Responses", "Wave 2"]
    first = load_inputs(data, "book.xlsx")
    assert (first.survey_report.format, first.survey_report.sheet, first.survey_report.rows_loaded) == (
        "xlsx",
        "Responses",
        6,
    )
    assert first.survey.responses["submitted_at"].iloc[0].isoformat() == "2026-03-01T00:00:00"
    second = load_inputs(data, "book.xlsx", survey_sheet="Wave 2")
    assert second.survey_mapping.fields["nps"] == "Likelihood to recommend"
    assert second.survey.responses["nps"].tolist() == [10, 0]
    with pytest.raises(InputFileError, match="no sheet named"):
        load_inputs(data, "book.xlsx", survey_sheet="Nope")


@pytest.mark.parametrize(
    "name,message",
    [
        ("empty.csv", "empty"),
        ("image.csv", "PNG image"),
        ("binary_nul.csv", "binary data"),
        ("header_only.csv", "no data rows"),
        ("single_line_3mb.csv", "no data rows"),
    ],
)
def test_hostile_files_get_one_clear_message(name, message):
    with pytest.raises(InputFileError, match=message) as info:
        load_inputs(fixture(name), name)
    assert len(str(info.value)) < 200 and "\n" not in str(info.value)


def test_broken_xlsx_and_oversized_files_are_refused(monkeypatch):
    with pytest.raises(InputFileError, match="Excel"):
        load_inputs(b"PK\x03\x04 not really a zip", "book.xlsx")
    from cx_core.ingest import decode

    monkeypatch.setattr(decode, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(InputFileError, match="limit"):
        decode.check_size(b"x" * 11, decode.MAX_UPLOAD_BYTES)


def test_upload_limit_matches_streamlit_config():
    from cx_core.ingest import MAX_UPLOAD_BYTES

    config = (FIXTURES.parents[2] / ".streamlit" / "config.toml").read_text()
    assert f"maxUploadSize = {MAX_UPLOAD_BYTES // (1024 * 1024)}" in config


def test_hostile_headers_load_cleanly_and_stay_data():
    loaded = load_inputs(fixture("hostile_headers.csv"), "h.csv")
    columns = loaded.survey_columns
    assert columns[0] == 'He said "hi"'
    assert columns[1] == '"; DROP TABLE responses; --'
    assert len(columns[3]) == 200  # 10,000 characters cut for display
    assert columns[4:8] == ["column_5", "column_6", "score", "score (2)"]
    assert columns[8] == "alert(1)"  # tags stripped from the name
    ws = Workspace.from_loaded(loaded)
    try:
        doc = build_summary(ws)
        json.dumps(doc, default=str)
        assert doc["metrics"]["nps"] is None  # 'score' is a 0-10 candidate, never NPS in silence
        assert [c["column"] for c in doc["mapping_candidates"]["nps"]] == ["score"]  # score (2) is 0-1
        assert ws.con.execute("SELECT count(*) FROM responses").fetchone()[0] == 6
    finally:
        ws.close()


def test_mapping_naming_a_missing_column_is_a_mapping_error():
    from cx_core import Mapping

    mapping = Mapping(kind="survey", fields={"nps": "nope"})
    with pytest.raises(MappingError, match="not in the file"):
        load_inputs(fixture("utf8.csv"), "x.csv", survey_mapping=mapping)


def test_all_rows_rejected_is_one_clear_message():
    from cx_core import Mapping

    with pytest.raises(MappingError, match="No score or comment column"):  # 99 and 42 are not NPS answers
        load_inputs(b"id,nps\n1,99\n2,42\n", "x.csv")
    chosen = Mapping(kind="survey", fields={"nps": "nps"})
    with pytest.raises(InputFileError, match="None of the 2 rows.*NPS 99 is outside 0-10"):
        load_inputs(b"id,nps\n1,99\n2,42\n", "x.csv", survey_mapping=chosen)
