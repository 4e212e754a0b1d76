"""Respondent ids recognised, exact duplicates rejected as "duplicate of row N", repeated ids kept
per duplicates.KEEP_RULE; every figure is worked out here from how the file was made."""

from __future__ import annotations

import random

import pytest

from cx_core.ingest import load_inputs, read_table, rejection_text, warning_text
from cx_core.ingest.duplicates import respondent_id_column


def _nps(scores: list[int]) -> float:
    return round(100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores), 2)


def _nps_export(rows: list[tuple[str, int, str]], dup_after: dict[int, int]) -> bytes:
    """``rows`` (user_id, score, comment); ``dup_after[i] = j`` appends a copy of row j after row i."""
    lines = ["user_id,How likely are you to recommend us to a friend?,Why"]
    for i, (uid, score, comment) in enumerate(rows):
        lines.append(f"{uid},{score},{comment}")
        if i in dup_after:
            u, s, c = rows[dup_after[i]]
            lines.append(f"{u},{s},{c}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_exact_duplicates_of_an_nps_export_with_19_digit_ids():
    rng = random.Random(7)
    rows = [(str(1_000_000_000_000_000_000 + rng.randrange(10**17)), rng.randrange(11), f"c{i}") for i in range(60)]
    copies = {i: rng.randrange(0, i + 1) for i in rng.sample(range(60), 15)}  # 15 rows exported twice
    loaded = load_inputs(_nps_export(rows, copies), "nps.csv")
    report = loaded.survey_report
    assert loaded.survey_mapping.fields["response_id"] == "user_id"
    assert report.rows_read == 75 and report.rows_loaded == 60 and report.rows_rejected == 15
    assert report.rows_read == report.rows_loaded + report.rows_rejected
    # each copy names the file row (header is row 1) of the row it repeats
    file_row_of, expected, line = {}, set(), 2
    for i in range(60):
        file_row_of[i] = line
        line += 1
        if i in copies:
            expected.add((line, file_row_of[copies[i]]))
            line += 1
    assert {(r.row, r.values["row"]) for r in report.rejected} == expected
    assert all(r.code == "duplicate_row" and r.reason == f"duplicate of row {r.values['row']}" for r in report.rejected)
    ids = loaded.survey.responses["response_id"].tolist()
    assert ids == [uid for uid, _s, _c in rows] and all(len(i) == 19 for i in ids)
    assert _nps(loaded.survey.responses["nps"].tolist()) == _nps([s for _u, s, _c in rows])
    (warning,) = [w for w in report.warnings if w.code == "duplicate_rows"]
    assert warning.values["exact"] == 15 and warning.columns == ("user_id",)
    assert "15 exact duplicate row(s)" in warning_text(warning, "en")
    assert "15 行" in warning_text(warning, "ja")
    first = report.rejected[0]
    assert rejection_text(first, "ja") == f"{first.values['row']} 行目と重複"


def test_repeated_id_with_different_answers_keeps_the_latest_by_date():
    data = (
        b"RespondentID,Date,Recommend (0-10),Comment\n"
        b"A1,2026-03-05,3,second thoughts\n"  # row 2: A1 latest
        b"B2,2026-03-01,9,great\n"
        b"A1,2026-03-01,10,first answer\n"  # row 4: older answer of A1
        b"C3,2026-03-02,7,ok\n"
    )
    loaded = load_inputs(data, "again.csv")
    report = loaded.survey_report
    assert [(r.row, r.code, r.values) for r in report.rejected] == [(4, "superseded_answer", {"id": "A1", "row": 2})]
    assert report.rejected[0].reason == "respondent 'A1' answered again (row 2 is kept)"
    assert sorted(loaded.survey.responses["nps"]) == [3, 7, 9]
    (warning,) = [w for w in report.warnings if w.code == "duplicate_rows"]
    assert warning.values == {"file": "again.csv", "exact": 0, "repeated": 1, "rule": "latest"}
    assert "latest (by date)" in warning_text(warning, "en")


def test_repeated_id_without_dates_keeps_the_last():
    data = b"ResponseId,NPS,Comment\nx,3,a\ny,9,b\nx,10,c\n"
    loaded = load_inputs(data, "again.csv")
    assert [(r.row, r.values["row"]) for r in loaded.survey_report.rejected] == [(2, 4)]
    assert sorted(loaded.survey.responses["nps"]) == [9, 10]


def test_exact_duplicates_without_an_id_column():
    data = b"NPS,Comment\n9,good\n3,bad\n9,good\n9,good\n"
    report = load_inputs(data, "noid.csv").survey_report
    assert [(r.row, r.reason) for r in report.rejected] == [(4, "duplicate of row 2"), (5, "duplicate of row 2")]


def test_clean_file_has_no_duplicate_warning():
    report = load_inputs(b"id,NPS\n1,9\n2,3\n", "ok.csv").survey_report
    assert report.rejected == [] and report.warnings == []


@pytest.mark.parametrize("header", ["user_id", "RespondentID", "ResponseId", "#", "Id", "Guid", "回答ID"])
def test_respondent_id_headers_are_recognised(header):
    table = read_table(f"{header},Comment\n1001,a\n1002,b\n1003,c\n".encode(), "x.csv")
    assert respondent_id_column(table) == header


def test_a_repeated_code_is_not_an_id():
    table = read_table(b"id,Comment\nA,a\nA,b\nB,c\nA,d\nB,e\n", "x.csv")
    assert respondent_id_column(table) is None
