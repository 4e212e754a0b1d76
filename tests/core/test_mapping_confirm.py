"""The rules of confirming a mapping (cx_core.ingest.confirm), without the Data page around them."""

from __future__ import annotations

import copy

import pytest
from real_layouts import product_nps, qualtrics_likert

from cx_core.ingest import confirm, preview_upload
from cx_core.ingest.mapping import Mapping
from cx_core.ingest.recognise import evidence_words
from cx_core.sample import sample_bytes

CHOSEN_BY_YOU = "chosen by you"


@pytest.fixture(scope="module")
def sample_preview():
    survey, crm = sample_bytes()
    return preview_upload(survey, "survey.csv", crm, "crm.csv")[0]


def confirm_as_suggested(preview):
    """What the Data page keeps when the person changes nothing."""
    suggested = copy.deepcopy(preview.mapping)
    columns = preview.columns
    nps = confirm.nps_choice(suggested, columns)
    fields = {name: column for name, column in suggested.fields.items()}
    fields["nps"] = confirm.field_value(nps.options[nps.index]) if nps.index is not None else None
    drivers = confirm.driver_entries(
        confirm.suggested_drivers(suggested, confirm.driver_candidates(columns, fields)), suggested, preview.questions
    )
    open_columns = confirm.open_question_columns(columns, fields, drivers)
    questions = confirm.question_entries(
        confirm.suggested_questions(suggested, open_columns, fields), suggested, preview.questions
    )
    free = confirm.dimension_candidates(columns, fields, drivers, questions)
    outcome = confirm.suggested_outcome(suggested, confirm.outcome_options(fields, drivers))
    return confirm.confirmed_mapping(
        "survey",
        suggested,
        columns,
        fields,
        drivers=drivers,
        dimensions=confirm.dimension_entries(confirm.suggested_dimensions(suggested, free), suggested),
        questions=questions,
        outcome=outcome,
        nps_declined=nps.declined(nps.options[nps.index] if nps.index is not None else None, suggested),
    )


@pytest.mark.parametrize("layout", ["sample", "qualtrics", "product"])
def test_confirming_the_suggestion_unchanged_keeps_it(layout, sample_preview):
    preview = {
        "sample": lambda: sample_preview,
        "qualtrics": lambda: preview_upload(qualtrics_likert(), "q.csv")[0],
        "product": lambda: preview_upload(product_nps(), "p.csv")[0],
    }[layout]()
    confirmed = confirm_as_suggested(preview)
    suggested = preview.mapping
    assert confirmed.fields == suggested.fields
    assert [d["column"] for d in confirmed.drivers] == [d["column"] for d in suggested.drivers]
    assert [(d["label"], d["need"]) for d in confirmed.drivers] == [(d["label"], d["need"]) for d in suggested.drivers]
    assert confirmed.dimensions == suggested.dimensions
    assert [q["column"] for q in confirmed.questions] == [q["column"] for q in suggested.questions]
    assert {k: v["evidence"] for k, v in confirmed.evidence.items() if v["evidence"] != CHOSEN_BY_YOU} == {
        k: v["evidence"] for k, v in suggested.evidence.items()
    }


def test_each_column_is_offered_for_one_role_only(sample_preview):
    suggested = sample_preview.mapping
    columns = sample_preview.columns
    fields = dict(suggested.fields)
    candidates = confirm.driver_candidates(columns, fields)
    assert not set(candidates) & {c for c in fields.values() if c}
    drivers = confirm.driver_entries(candidates[:2], suggested, sample_preview.questions)
    open_columns = confirm.open_question_columns(columns, fields, drivers)
    assert fields["comment"] in open_columns  # the comment field is also an open question
    assert not set(open_columns) & {d["column"] for d in drivers}
    questions = confirm.question_entries([fields["comment"]], suggested, sample_preview.questions)
    free = confirm.dimension_candidates(columns, fields, drivers, questions)
    assert not set(free) & ({c for c in fields.values() if c} | set(candidates[:2]) | {fields["comment"]})


def test_a_column_picked_by_hand_is_chosen_by_you_and_a_changed_field_loses_its_evidence(sample_preview):
    suggested = sample_preview.mapping
    fields = dict(suggested.fields)
    fields["csat"] = None
    fields["touchpoint"] = "Product quality"  # a rating column, picked by hand as the touchpoint
    fields["ces"] = suggested.fields["ces"]
    confirmed = confirm.confirmed_mapping("survey", suggested, sample_preview.columns, fields)
    assert "csat" not in confirmed.evidence
    touchpoint = confirmed.evidence["touchpoint"]
    assert touchpoint["column"] == "Product quality" and touchpoint["evidence"] == CHOSEN_BY_YOU
    assert touchpoint["confidence"] == 1.0 and touchpoint["guessed"] is False
    assert evidence_words(touchpoint, "ja") == "あなたが選択"
    assert confirmed.evidence["ces"] == suggested.evidence["ces"]
    assert confirmed.scales[suggested.fields["nps"]] == [0, 10]


def test_a_new_driver_is_named_by_its_header_and_a_suggested_one_keeps_its_scale(sample_preview):
    suggested = sample_preview.mapping
    entries = confirm.driver_entries(["Product quality", "Survey type"], suggested, sample_preview.questions)
    known = next(d for d in suggested.drivers if d["column"] == "Product quality")
    assert entries[0]["label"] == known["label"] and entries[0]["need"] == known["need"]
    assert entries[0].get("scale") == known.get("scale")
    assert entries[1]["label"] == "Survey type" and entries[1]["need"]


def test_nps_is_asked_when_only_candidates_exist_and_declined_only_as_an_answer():
    candidates = [{"column": "Q5", "question": "0-10?", "evidence": "…", "confidence": 0.3}]
    undecided = Mapping(kind="survey", fields={"nps": None}, candidates={"nps": candidates})
    choice = confirm.nps_choice(undecided, ["Q1", "Q5", "Q9"])
    assert choice.ask and choice.index is None
    assert choice.options == (confirm.NO_NPS, "Q5", "Q1", "Q9")  # the candidate first
    assert choice.declined(confirm.NO_NPS, undecided)
    assert confirm.field_value(confirm.NO_NPS) is None

    no_candidates = Mapping(kind="survey", fields={"nps": None})
    plain = confirm.nps_choice(no_candidates, ["Q1"])
    assert not plain.ask and plain.index == 0
    assert not plain.declined(confirm.NO_NPS, no_candidates)  # the default, not an answer

    recognised = Mapping(kind="survey", fields={"nps": "Q9"}, candidates={"nps": candidates})
    assert confirm.nps_choice(recognised, ["Q1", "Q5", "Q9"]).index == 3
    confirmed = confirm.confirmed_mapping("survey", undecided, ["Q1", "Q5"], {"nps": None}, nps_declined=True)
    assert confirmed.nps_declined
    picked = confirm.confirmed_mapping("survey", undecided, ["Q1", "Q5"], {"nps": "Q5"}, nps_declined=True)
    assert not picked.nps_declined and picked.scales["Q5"] == [0, 10]


def test_a_crm_mapping_keeps_fields_and_groupings_only():
    suggested = Mapping(kind="crm", fields={"account_id": "Id"}, dimensions=[{"column": "Plan__c", "name": "Plan"}])
    dims = confirm.dimension_entries(["Plan__c", "Tier_Code"], suggested)
    assert dims[0] == {"column": "Plan__c", "name": "Plan"} and dims[1]["column"] == "Tier_Code"
    confirmed = confirm.confirmed_mapping("crm", suggested, ["Id", "Plan__c"], {"account_id": "Id"}, dimensions=dims)
    assert confirmed.evidence == {} and confirmed.dimensions == dims


def test_every_reason_is_said_in_the_readers_language(sample_preview):
    """The Data page's "Why" column: Japanese words around the quoted header, never the English sentence."""
    survey = preview_upload(qualtrics_likert(), "q.csv")[0].mapping
    entries = [*sample_preview.mapping.evidence.values(), *survey.evidence.values()]
    entries += [
        c for found in (*sample_preview.mapping.candidates.values(), *survey.candidates.values()) for c in found
    ]
    assert len(entries) > 20
    for entry in entries:
        english, japanese = evidence_words(entry, "en"), evidence_words(entry, "ja")
        assert english == entry["evidence"]
        assert japanese != english and not any(w in japanese for w in ("the header", "the question", "free text"))
    old_file = {"column": "Q1", "evidence": "the header is 'Q1'"}  # a mapping saved before the keys
    assert evidence_words(old_file, "ja") == "the header is 'Q1'"
    assert evidence_words({"evidence": "chosen by you"}, "ja") == "あなたが選択"
