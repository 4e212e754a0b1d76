"""The corpus of real public exports (tests/fixtures/real/, sources in SOURCES.md): for each file
the expected encoding, repairs, rejections and warnings, with the expected figures computed here
from the bytes with the csv module, independently of the loader."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from collections import Counter
from pathlib import Path

import pytest

from cx_core.ingest import load_inputs, read_table
from cx_core.ingest.duplicates import respondent_id_column

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
_spec = importlib.util.spec_from_file_location("make_real_fixtures", REAL / "make_real_fixtures.py")
make_real_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_real_fixtures)

C1 = re.compile(r"[\x80-\x9f]")
# Windows-1252 glyphs of DOS 850 letters, and DOS 850 glyphs of Windows-1252 letters: what a
# half-decoded French verbatim shows instead of "é", "à", "è"
HALF_DECODED = re.compile(r"[‚„†‡ˆ‰‹ŠŒƒ]\w|\w[‚„†‡ˆ‰‹ŠŒƒ]|[a-zé][ÚÓÞÛþ]|[ÚÓÞÛþ][a-z]")


def real(name: str) -> bytes:
    return (REAL / name).read_bytes()


def _nps(scores) -> float:
    scores = list(scores)
    return round(100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores), 2)


@pytest.mark.parametrize("name", sorted(make_real_fixtures.GENERATED))
def test_generated_files_match_their_generator(name):
    assert real(name) == make_real_fixtures.GENERATED[name](), f"run {REAL / 'make_real_fixtures.py'}"


def test_sources_lists_every_file():
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    for path in REAL.iterdir():
        if path.suffix in (".csv", ".tsv", ".xlsx", ".txt") and path.name.startswith(("enc_", "dup_", "crm_")):
            assert f"| {path.name} |" in sources, path.name


def test_french_nps_mixing_windows_1252_and_dos_850_inside_lines():
    raw = real("enc_fr_nps_cp1252_cp850.csv")
    truth = list(csv.DictReader(io.StringIO(make_real_fixtures.french_text(raw))))
    latin1 = list(csv.DictReader(io.StringIO(raw.decode("latin-1"))))
    with_c1 = sum(1 for row in latin1 if C1.search(row["explication"]))
    assert with_c1 >= 10  # read as Latin-1 (main before issue 13), these verbatims carry controls
    loaded = load_inputs(raw, "enc_fr_nps_cp1252_cp850.csv")
    report = loaded.survey_report
    assert report.encoding == "cp1252"
    dos_bytes = sum(1 for b in raw if 0x80 <= b <= 0x9F)
    assert report.repairs.get("cp850_chars", 0) + report.repairs.get("cp850_lines", 0) > 0
    assert report.repairs.get("cp850_chars", 0) <= dos_bytes
    assert "encoding_repaired" in [w.code for w in report.warnings]
    assert report.rows_read == len(truth) == report.rows_loaded + report.rows_rejected
    responses = loaded.survey.responses
    by_row = {row: truth[row - 2] for row in responses["source_row"]}  # header is row 1
    for row, comment in zip(responses["source_row"], responses["comment"], strict=True):
        expected = " ".join(by_row[row]["explication"].split())
        assert (comment or "NA") == expected, row
        assert not C1.search(comment or "") and not HALF_DECODED.search(comment or ""), comment
    scored = [int(r["nps"]) for r in truth if r["nps"] != "NA"]
    got = responses["nps"].dropna().astype(int).tolist()
    assert sorted(got) == sorted(scored) and _nps(got) == _nps(scored)


def test_nps_export_with_19_digit_user_ids_duplicates_and_second_answers():
    raw = real("dup_nps_user_id.csv")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    table = read_table(raw, "dup_nps_user_id.csv")
    assert respondent_id_column(table) == "user_id"
    # independently: exact copies keep their first row, then each id keeps its latest answer
    seen, first_of, exact = set(), {}, []
    for number, row in enumerate(rows, start=2):
        key = tuple(row.values())
        if key in seen:
            exact.append((number, first_of[key]))
        else:
            seen.add(key)
            first_of[key] = number
    unique = [(n, r) for n, r in enumerate(rows, start=2) if n not in {e for e, _ in exact}]
    latest = {}
    for number, row in sorted(unique, key=lambda nr: (nr[1]["created_at"], nr[0])):
        latest[row["user_id"]] = number
    superseded = [n for n, r in unique if latest[r["user_id"]] != n]
    assert len(exact) == make_real_fixtures.EXACT_DUPLICATES and len(superseded) == make_real_fixtures.ANSWERED_AGAIN

    loaded = load_inputs(raw, "dup_nps_user_id.csv")
    report = loaded.survey_report
    assert report.encoding == "utf-8" and report.repairs == {}
    assert loaded.survey_mapping.fields["response_id"] == "user_id"
    by_code = Counter(r.code for r in report.rejected)
    assert by_code == Counter({"duplicate_row": len(exact), "superseded_answer": len(superseded)})
    assert sorted((r.row, r.values["row"]) for r in report.rejected if r.code == "duplicate_row") == sorted(exact)
    assert sorted(r.row for r in report.rejected if r.code == "superseded_answer") == sorted(superseded)
    assert report.rows_read == len(rows) == report.rows_loaded + report.rows_rejected
    ids = loaded.survey.responses["response_id"].tolist()
    assert all(re.fullmatch(r"\d{19}", i) for i in ids) and len(set(ids)) == len(ids)
    kept = [rows[n - 2] for n in sorted(latest.values())]
    recommend = make_real_fixtures.RECOMMEND
    assert _nps(loaded.survey.responses["nps"].astype(int)) == _nps(int(r[recommend]) for r in kept)
    (warning,) = [w for w in report.warnings if w.code == "duplicate_rows"]
    assert warning.values == {
        "file": "dup_nps_user_id.csv",
        "exact": len(exact),
        "repeated": len(superseded),
        "rule": "latest",
    }


def test_salesforce_exports_are_utf8_with_bom_and_need_no_repair():
    for name in ("crm_salesforce_account.csv", "crm_salesforce_case.csv"):
        raw = real(name)
        assert raw.startswith(b"\xef\xbb\xbf")
        table = read_table(raw, name)
        assert table.encoding == "utf-8-sig" and table.repairs == {}
        assert table.rows_read == len(list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))))
