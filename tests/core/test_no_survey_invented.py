"""No survey invented (issue 23): an NPS-typed question about something else is a candidate, a
ranking is not a rating, numbers alone are a guess, and a facility list is not a survey.

Each file is generated in the layout of the real export it reproduces (Qualtrics' three header
rows with ImportIds and *_NPS_GROUP companions; SurveyMonkey's two header rows with a ranking
question spanning six columns; a municipal facility list of 277 rows)."""

from __future__ import annotations

import csv
import io
import random

import pytest

from cx_core import Workspace, build_summary
from cx_core.ingest import NotASurveyError, load_inputs, preview_upload
from cx_core.ingest.recognise import mapping_warnings


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


LLM_QUESTIONS = [
    ("Q7", "How would you rate your overall experience with the AI assistant's answers?"),
    ("Q8", "How often do you notice errors or made-up facts in the answers? (0 = never, 10 = every time)"),
    ("Q9", "How much do you trust the results enough to use them without checking?"),
]


def qualtrics_llm_nps_typed() -> bytes:
    """A Qualtrics export whose three 0-10 questions use Qualtrics' NPS question type (each with
    its *_NPS_GROUP companion) but ask about an LLM's answers, errors and trust."""
    rng = random.Random(23)
    ids = ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished", "ResponseId"]
    questions = ["Start Date", "End Date", "Response Type", "Progress", "Duration (in seconds)", "Finished"]
    questions += ["Response ID"]
    imports = [f'{{"ImportId":"{n}"}}' for n in ("startDate", "endDate", "status", "progress", "duration")]
    imports += ['{"ImportId":"finished"}', '{"ImportId":"_recordId"}']
    for code, text in LLM_QUESTIONS:
        number = code[1:]
        ids += [code, f"{code}_NPS_GROUP"]
        questions += [text, f"{text} - Group"]
        imports += [f'{{"ImportId":"QID{number}"}}', f'{{"ImportId":"QID{number}_NPS_GROUP"}}']
    ids.append("Q10")
    questions.append("Anything else about the assistant?")
    imports.append('{"ImportId":"QID10_TEXT"}')
    rows = [ids, questions, imports]
    for i in range(40):
        row = [f"2026-03-{1 + i % 28:02d} 09:00:00", f"2026-03-{1 + i % 28:02d} 09:04:00", "IP Address", "100"]
        row += [str(200 + i), "True", f"R_llm{i:03d}"]
        for _code, _text in LLM_QUESTIONS:
            score = rng.randint(0, 10)
            row += [str(score), "Promoter" if score >= 9 else "Passive" if score >= 7 else "Detractor"]
        row.append(rng.choice(["Sometimes it invents sources.", "Fast and useful.", "", "Needs citations."]))
        rows.append(row)
    return _csv(rows)


def surveymonkey_rank() -> bytes:
    """A SurveyMonkey export: a recommend question, then 'Please rank...' over six features (each
    respondent gives every rank 1-6 once), then an open question."""
    features = ["Speed", "Price", "Support", "Documentation", "Integrations", "Security"]
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    first += ["How likely is it that you would recommend us to a friend or colleague?"]
    first += ["Please rank the following features in order of importance to you."] + [""] * 5
    first += ["What is the one thing we should improve?"]
    second = ["", "", "", "", "", "Response", *features, "Open-Ended Response"]
    rows = [first, second]
    rng = random.Random(6)
    for i in range(30):
        ranks = list(range(1, 7))
        rng.shuffle(ranks)
        rows.append(
            [str(1140000000 + i), "431", "03/01/2026 10:00:00 AM", "03/01/2026 10:06:00 AM", "203.0.113.7"]
            + [str(rng.randint(0, 10))]
            + [str(r) for r in ranks]
            + [rng.choice(["Faster exports", "Better docs", "", "SSO"])]
        )
    return _csv(rows)


def facility_list(japanese: bool) -> bytes:
    """A municipal list of 277 facilities: names, addresses, coordinates, a flood level (1-5) and
    a plan class (1-4); no question, no score, no comment."""
    rng = random.Random(277)
    if japanese:
        header = ["番号", "施設名", "所在地", "緯度", "経度", "浸水レベル", "計画区分", "電話番号"]
        name, street = "市民センター", "中央区本町"
    else:
        header = ["No", "Facility name", "Address", "Latitude", "Longitude", "Flood level", "Plan class", "Phone"]
        name, street = "Community Center", "Main Street"
    rows = [header]
    for i in range(1, 278):
        rows.append(
            [
                str(i),
                f"{name} {i}",
                f"{street} {rng.randint(1, 40)}-{rng.randint(1, 20)}",
                f"{35 + rng.random():.6f}",
                f"{139 + rng.random():.6f}",
                str(rng.randint(1, 5)),
                str(rng.randint(1, 4)),
                f"03-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            ]
        )
    return _csv(rows)


def test_nps_typed_questions_about_something_else_are_candidates_not_nps():
    data = qualtrics_llm_nps_typed()
    loaded = load_inputs(data, "llm_survey.csv")
    mapping = loaded.survey_mapping
    assert mapping.fields["nps"] is None
    candidates = mapping.candidates["nps"]
    assert [c["column"] for c in candidates] == ["Q7", "Q8", "Q9"]
    assert all(c["nps_typed"] and c["confidence"] < 0.9 for c in candidates)
    assert "not about recommending" in candidates[0]["evidence"]
    warnings = mapping_warnings(mapping)
    assert [w["code"] for w in warnings][0] == "nps_typed_not_recommend"
    assert warnings[0]["columns"] == ["Q7", "Q8", "Q9"]
    ws = Workspace.from_loaded(loaded)
    try:
        doc = build_summary(ws)
    finally:
        ws.close()
    assert doc["metrics"]["nps"] is None  # no NPS -30 from a question about the assistant
    # the Data page is built on the preview: it asks which candidate, if any, is the NPS
    preview = preview_upload(data, "llm_survey.csv")[0]
    assert [c["column"] for c in preview.mapping.candidates["nps"]] == ["Q7", "Q8", "Q9"]


def test_a_question_about_recommending_still_maps_nps_with_its_companion():
    data = qualtrics_llm_nps_typed().replace(
        b"How much do you trust the results enough to use them without checking?",
        b"How likely are you to recommend the assistant to a colleague?",
    )
    mapping = load_inputs(data, "llm_survey.csv").survey_mapping
    assert mapping.fields["nps"] == "Q9"


def test_ranking_question_is_not_ratings():
    loaded = load_inputs(surveymonkey_rank(), "sm_rank.csv")
    mapping = loaded.survey_mapping
    assert mapping.fields["nps"] == "How likely is it that you would recommend us to a friend or colleague?"
    assert mapping.drivers == []  # ranks 1-6 were read as six 1-7 ratings before
    ranked = [c["column"] for c in mapping.candidates["ranking"]]
    assert len(ranked) == 6 and ranked[0].endswith("- Speed")
    assert "rank_not_rating" in [w["code"] for w in mapping_warnings(mapping)]


def test_ranks_found_from_their_values_when_the_question_does_not_say_rank():
    data = surveymonkey_rank().replace(
        b"Please rank the following features in order of importance to you.", b"Which features matter most?"
    )
    mapping = load_inputs(data, "sm_rank.csv").survey_mapping
    assert mapping.drivers == [] and len(mapping.candidates["ranking"]) == 6


@pytest.mark.parametrize("japanese", [False, True])
def test_facility_list_is_not_a_survey(japanese):
    data = facility_list(japanese)
    with pytest.raises(NotASurveyError) as caught:
        load_inputs(data, "facilities.csv")
    assert caught.value.code == "not_a_survey"
    assert ("浸水レベル" if japanese else "Flood level") in caught.value.warning.columns


def test_numbers_alone_are_flagged_as_guessed_ratings():
    topics = ["The delivery", "Our invoice", "The support desk", "The documentation", "The portal"]
    moods = ["was late again", "is hard to read", "answered kindly", "misses pages"]
    rows = [["id", "What could we do better?", "Zone", "Tier"]]
    for i in range(20):
        rows.append([str(i), f"{topics[i % 5]} {moods[i // 5]}", str(1 + i % 5), str(1 + i % 4)])
    mapping = load_inputs(_csv(rows), "feedback.csv").survey_mapping
    warnings = {w["code"]: w["columns"] for w in mapping_warnings(mapping)}
    # 'Zone' was taken as CSAT and 'Tier' as a rating from their values alone: both said to be guesses
    assert warnings["field_guessed"] == ["Zone"] and warnings["rating_guessed"] == ["Tier"]
    named = [["id", "What could we do better?", "Delivery", "Price transparency"], *rows[1:]]
    mapping = load_inputs(_csv(named), "feedback.csv").survey_mapping
    assert "rating_guessed" not in [w["code"] for w in mapping_warnings(mapping)]
    assert [d["column"] for d in mapping.drivers] == ["Price transparency"]
