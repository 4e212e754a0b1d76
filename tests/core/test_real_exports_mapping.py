"""Mapping on the layouts of real public exports: no guessed NPS, every metric optional, scales.

Each ``map_*`` fixture reproduces a real export (tests/fixtures/real/SOURCES.md). For each file:
the expected mapping, NPS candidates, warnings and metrics, the metrics recomputed here with the
csv module (independently of the loader), and the row accounting.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest

from cx_core.ingest import load_inputs
from cx_core.ingest.mapping import Mapping
from cx_core.summary import build_summary
from cx_core.workspace import Workspace

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
_spec = importlib.util.spec_from_file_location("make_map_fixtures", REAL / "make_map_fixtures.py")
make_map_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_map_fixtures)


def data(name: str) -> bytes:
    return (REAL / name).read_bytes()


def rows_of(name: str, header_rows: int = 1) -> tuple[list[str], list[dict[str, str]]]:
    """The file read with the csv module: header and data rows (Qualtrics: 3 header rows)."""
    text = data(name).decode("utf-8-sig")
    grid = list(csv.reader(io.StringIO(text)))
    header = grid[0]
    return header, [dict(zip(header, r, strict=False)) for r in grid[header_rows:]]


def number(cell: str) -> float | None:
    """'5 - Very satisfied', '非常に満足 (5)', '7' -> the one number; '' -> None (test's own parser)."""
    found = re.findall(r"\d+(?:\.\d+)?", cell or "")
    return float(found[0]) if len(found) == 1 else None


def nps_of(values: list[float]) -> float:
    promoters = sum(v >= 9 for v in values)
    detractors = sum(v <= 6 for v in values)
    return round(100 * (promoters - detractors) / len(values), 2)


def summarize(name: str, mapping: Mapping | None = None) -> dict:
    loaded = load_inputs(data(name), name, survey_mapping=mapping)
    ws = Workspace.from_loaded(loaded)
    try:
        doc = build_summary(ws)
    finally:
        ws.close()
    json.dumps(doc, default=str)  # the CLI document is JSON
    report = doc["inputs"][0]
    assert report["rows_read"] == report["rows_loaded"] + report["rows_rejected"]
    # never rejected because one metric is blank: the only emptiness reason is "no answer at all"
    assert all("missing" not in r["reason"] for r in report["rejected"])
    return doc


def codes(doc: dict) -> list[str]:
    return [w["code"] for w in doc["warnings"]]


def test_committed_fixtures_match_the_generator():
    for name, content in make_map_fixtures.all_files().items():
        assert (REAL / name).read_bytes() == content, f"{name}: run make_map_fixtures.py"


def test_sources_lists_every_map_fixture():
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    for name in make_map_fixtures.all_files():
        assert f"| {name} |" in sources, name


def test_qualtrics_comments_only_is_a_valid_survey_with_three_questions():
    name = "map_qualtrics_comments_only.csv"
    doc = summarize(name)
    _, rows = rows_of(name, header_rows=3)
    assert doc["metrics"]["nps"] is None and doc["metrics"]["csat"] is None and doc["metrics"]["ces"] is None
    assert doc["metrics"]["responses"] == len(rows) == 6
    assert codes(doc) == ["nps_not_found"] and doc["warnings"][0]["columns"] == []
    # timing, click counts, display order and latitude are bookkeeping: never ratings
    assert doc["mapping"]["drivers"] == []
    answers = {q["column"]: q["answers"] for q in doc["questions"]}
    assert answers == {c: sum(1 for r in rows if r[c].strip()) for c in ("Q1", "Q4", "Q6")}
    question = {q["column"]: q["question"] for q in doc["questions"]}
    assert question["Q4"] == "What should we change in onboarding first?"


def test_formbricks_nps_from_the_question_text_and_every_open_question():
    name = "map_formbricks_nps.csv"
    doc = summarize(name)
    header, rows = rows_of(name)
    nps_column = header[23]
    survey = doc["mapping"]["survey"]
    assert survey["nps"] == nps_column and survey["response_id"] == "Response ID"
    assert survey["csat"] is None  # the 1-5 agreement item next to an NPS is a driver, not a CSAT guess
    assert codes(doc) == []
    evidence = doc["mapping_candidates"]["nps"][0]
    assert evidence["column"] == nps_column and "recommending" in evidence["evidence"]
    scores = [number(r[nps_column]) for r in rows if r[nps_column].strip()]
    assert doc["metrics"]["nps"]["score"] == nps_of(scores) and doc["metrics"]["nps"]["n"] == len(scores)
    # partial responses (no NPS answer) are kept: their other answers count
    assert doc["metrics"]["responses"] == len(rows) == 18
    open_columns = {header[i] for i in (16, 17, 18, 24)}
    assert {q["column"] for q in doc["questions"]} == open_columns
    # the ranking, the choice, the contact details and the url are not open questions
    for column in (header[19], header[20], header[21], header[22], "url"):
        assert column not in {q["column"] for q in doc["questions"]}
    assert "No." not in [d["column"] for d in doc["mapping"]["drivers"]]  # a running number
    (driver,) = doc["drivers"]
    values = [number(r[header[15]]) for r in rows if r[header[15]].strip()]
    assert driver["scale"] == [1, 5]
    assert driver["mean"] == round(sum(values) / len(values), 3)
    assert driver["top2_share"] == round(100 * sum(v >= 4 for v in values) / len(values), 2)


def test_typeform_without_recommend_question_has_no_nps_and_names_the_candidates():
    name = "map_typeform_no_recommend.csv"
    doc = summarize(name)
    header, rows = rows_of(name)
    physical, mental = header[3], header[4]
    assert doc["metrics"]["nps"] is None  # the "NPS -30" from an importance question
    (warning,) = doc["warnings"]
    assert warning["code"] == "nps_not_found" and warning["columns"] == [physical, mental]
    assert [c["confidence"] for c in doc["mapping_candidates"]["nps"]] == [0.3, 0.3]
    # a yes/no "is your role related to tech" item is never the respondent's role
    assert doc["mapping"]["survey"]["respondent_role"] is None
    assert doc["mapping"]["dimensions"]["survey"] == {}  # "anything else" is a comment, not a grouping
    assert header[7] in {q["column"] for q in doc["questions"]}
    by_column = {d["column"]: d for d in doc["mapping"]["drivers"]}
    assert set(by_column) == {physical, mental}  # age is not a rating
    assert all(d["scale"] == [0, 10] for d in by_column.values())
    # top-2 box of a 0-10 rating is 9-10 (the 93.6% "4 and above" was false)
    assert [item["scale"] for item in doc["drivers"]] == [[0, 10], [0, 10]]
    values = [number(r[physical]) for r in rows if r[physical].strip()]
    physical_item = next(d for d in doc["drivers"] if d["driver"] == physical)
    assert physical_item["top2_share"] == round(100 * sum(v >= 9 for v in values) / len(values), 2)
    assert physical_item["mean"] == round(sum(values) / len(values), 3)
    # rows with nothing analysable are rejected with that reason; blanks elsewhere are kept
    kept = [r for r in rows if any(r[c].strip() for c in (physical, mental, header[5], header[7]))]
    assert doc["metrics"]["responses"] == len(kept)


def test_japanese_satisfaction_survey_leads_with_csat_on_its_scale():
    name = "map_ja_csat_comments.csv"
    doc = summarize(name)
    header, rows = rows_of(name)
    survey = doc["mapping"]["survey"]
    assert survey["csat"] == header[2] and survey["comment"] == header[3] and survey["respondent_role"] == header[1]
    assert doc["mapping_candidates"]["csat"][0]["evidence"].startswith("the header")
    values = [number(r[header[2]]) for r in rows if r[header[2]].strip()]
    csat = doc["metrics"]["csat"]
    assert csat["scale"] == [1, 5]
    assert csat["score"] == round(sum(values) / len(values), 3) and csat["n"] == len(values)
    assert csat["top_box_share"] == round(100 * sum(v >= 4 for v in values) / len(values), 2)
    assert doc["metrics"]["nps"] is None and codes(doc) == ["nps_not_found"]
    roles = {r["role"] for r in doc["by_role"]}
    assert roles and roles != {"other"}  # roles come from the role column, not from Likert items


def test_reviews_with_only_an_id_and_a_text_load():
    name = "map_reviews_id_text.csv"
    doc = summarize(name)
    _, rows = rows_of(name)
    assert doc["mapping"]["survey"]["comment"] == "review_text"
    assert doc["metrics"]["responses"] == len(rows) and doc["questions"][0]["answers"] == len(rows)
    assert doc["metrics"]["nps"] is None and doc["metrics"]["csat"] is None


def test_three_0_10_questions_none_about_recommending():
    name = "map_qualtrics_three_0_10.csv"
    doc = summarize(name)
    assert doc["metrics"]["nps"] is None
    assert doc["warnings"][0]["columns"] == ["Q1", "Q2", "Q3"]
    columns = [d["column"] for d in doc["mapping"]["drivers"]]
    assert columns == ["Q1", "Q2", "Q3"] and "QuestionOrder" not in columns  # values 1-6, bookkeeping
    assert all(d["importance"] is None for d in doc["drivers"])  # no outcome: ratings only, no ranking


def test_nps_group_companion_makes_a_candidate_when_the_wording_is_not_about_recommending():
    # Qualtrics' NPS question type says nothing about what was asked ("Your score for us"): the
    # person is asked, and choosing it gives the NPS its companion column groups
    name = "map_qualtrics_nps_group.csv"
    doc = summarize(name)
    assert doc["mapping"]["survey"]["nps"] is None and doc["metrics"]["nps"] is None
    candidate = doc["mapping_candidates"]["nps"][0]
    assert candidate["column"] == "Q2" and candidate["nps_typed"] and "Q2_NPS_GROUP" in candidate["evidence"]
    assert codes(doc) == ["nps_typed_not_recommend"] and doc["warnings"][0]["columns"] == ["Q2"]
    chosen = load_inputs(data(name), name).survey_mapping
    chosen.set_nps("Q2")
    doc = summarize(name, Mapping.from_json(chosen.to_json()))
    assert doc["metrics"]["nps"]["score"] == nps_of(make_map_fixtures.GROUP_NPS)


@pytest.mark.parametrize("name", sorted(make_map_fixtures.MULTILINGUAL))
def test_recommend_question_in_french_german_spanish_and_labelled_csat(name):
    doc = summarize(name)
    question, scores = make_map_fixtures.MULTILINGUAL[name]
    assert doc["mapping"]["survey"]["nps"] == question
    assert doc["metrics"]["nps"]["score"] == nps_of(scores)
    labelled = [number(v) for v in make_map_fixtures.LABELLED_CSAT if v]
    assert doc["metrics"]["csat"]["score"] == round(sum(labelled) / len(labelled), 3)
    assert doc["mapping"]["survey"]["comment"] == "Commentaire"  # never a rating, despite any digits


def test_choosing_an_nps_candidate_and_declining_both_survive_json():
    name = "map_qualtrics_three_0_10.csv"
    suggested = load_inputs(data(name), name).survey_mapping
    chosen = Mapping.from_json(suggested.to_json())
    assert chosen.scales["Q2"] == [0, 10] and chosen.questions[0]["column"] == "Q4_TEXT"
    chosen.set_nps("Q1")
    doc = summarize(name, Mapping.from_json(chosen.to_json()))
    assert doc["metrics"]["nps"]["score"] == nps_of(make_map_fixtures.QUALTRICS_0_10[0][2])
    assert "nps_not_found" not in codes(doc)
    assert "Q1" not in [d["column"] for d in doc["mapping"]["drivers"]]
    declined = Mapping.from_json(suggested.to_json())
    declined.set_nps(None)
    doc = summarize(name, Mapping.from_json(declined.to_json()))
    assert doc["metrics"]["nps"] is None and "nps_not_found" not in codes(doc)


def test_a_chosen_rating_is_the_key_driver_outcome():
    name = "map_qualtrics_three_0_10.csv"
    mapping = load_inputs(data(name), name).survey_mapping
    mapping.outcome = "q1"  # the driver key of Q1
    doc = summarize(name, Mapping.from_json(mapping.to_json()))
    assert [d["driver"] for d in doc["drivers"]] and {d["outcome"] for d in doc["drivers"]} == {"q1"}
    assert "Q1" not in [d["driver"] for d in doc["drivers"]]
    assert sum(d["importance"] for d in doc["drivers"]) == pytest.approx(100, abs=0.1)


def test_saved_mapping_without_scales_detects_them_from_the_values():
    name = "map_typeform_no_recommend.csv"
    legacy = load_inputs(data(name), name).survey_mapping.to_dict()
    for key in ("scales", "evidence", "candidates", "questions"):
        legacy.pop(key)
    for driver in legacy["drivers"]:
        driver.pop("scale")
    doc = summarize(name, Mapping.from_dict(legacy))
    assert {tuple(d["scale"]) for d in doc["drivers"]} == {(0, 10)}


def test_saved_workspace_keeps_every_open_question_and_the_scales():
    from cx_core.workspace_file import open_workspace_file, save_workspace_file

    name = "map_formbricks_nps.csv"
    ws = Workspace.from_loaded(load_inputs(data(name), name))
    try:
        before = build_summary(ws)
        reopened = Workspace.from_loaded(open_workspace_file(save_workspace_file(ws)).loaded)
    finally:
        ws.close()
    try:
        after = build_summary(reopened)
    finally:
        reopened.close()
    assert after["questions"] == before["questions"] and len(after["questions"]) == 4
    assert after["metrics"]["nps"] == before["metrics"]["nps"]
    assert [d["scale"] for d in after["drivers"]] == [d["scale"] for d in before["drivers"]] == [[1, 5]]


def test_likert_items_about_roles_are_not_the_role_and_anything_else_is_not_a_grouping():
    answers = ["Strongly agree", "Agree", "Neutral", "Disagree", "Agree", "Strongly agree"] * 3
    roles = ["Buyer", "Engineer", "Executive"] * 6
    anything = ["", "No", "", "n/a", "", "No"] * 3
    lines = ["id,My role in the project is clear,Job role,Anything else?,Satisfaction (1-5)"]
    lines += [f"{i},{a},{r},{x},{1 + i % 5}" for i, (a, r, x) in enumerate(zip(answers, roles, anything, strict=True))]
    mapping = load_inputs("\n".join(lines).encode(), "likert.csv").survey_mapping
    assert mapping.fields["respondent_role"] == "Job role"
    assert "My role in the project is clear" not in [c["column"] for c in mapping.candidates["respondent_role"]]
    assert mapping.fields["comment"] == "Anything else?"
    assert "Anything else?" not in [d["column"] for d in mapping.dimensions]


def test_accounts_and_segments_without_nps_show_no_made_up_nps():
    root = Path(__file__).resolve().parents[2] / "sample_data"
    survey = list(csv.reader(io.StringIO((root / "survey.csv").read_text(encoding="utf-8"))))
    drop = survey[0].index("How likely are you to recommend us to a colleague? (0-10)")
    out = io.StringIO()
    csv.writer(out).writerows([row[:drop] + row[drop + 1 :] for row in survey[:400]])
    loaded = load_inputs(out.getvalue().encode(), "no_nps.csv", (root / "crm.csv").read_bytes(), "crm.csv")
    ws = Workspace.from_loaded(loaded)
    try:
        doc = build_summary(ws, as_of=dt.date(2026, 10, 1))
    finally:
        ws.close()
    assert doc["metrics"]["nps"] is None and doc["metrics"]["csat"]["n"] == 399
    answered = [a for a in doc["accounts"] if a["respondents"]]
    assert answered and all(a["weighted_nps"] is None for a in answered)  # never a 0 made from blanks
    assert all(g["nps"] is None and g["csat"] is not None for g in doc["by_segment"])
    assert {d["outcome"] for d in doc["drivers"]} == {"csat"}
