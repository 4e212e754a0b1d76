"""Identifier-like columns (participant ids, hashes, codes) are never offered as open questions (issue 26)."""

from __future__ import annotations

import hashlib

import pandas as pd

from cx_core.ingest import read_table, suggest_mapping
from cx_core.ingest.recognise import looks_like_identifier

ANSWERS = [
    "The onboarding took too long and nobody called back",
    "Great support team, very quick to answer",
    "More templates please",
    "Prices went up again this year",
    "The mobile app crashes when I upload files",
    "Invoices are hard to read",
]


def _survey_csv(n: int = 60) -> bytes:
    frame = pd.DataFrame(
        {
            "Prolific ID": [hashlib.sha1(str(i).encode()).hexdigest()[:24] for i in range(n)],
            "Voucher": [f"PX-2024-{i:04d}" for i in range(n)],
            "How likely are you to recommend us? (0-10)": [i % 11 for i in range(n)],
            "What could we improve?": [
                f"{ANSWERS[i % len(ANSWERS)]}; {ANSWERS[(i // len(ANSWERS)) % len(ANSWERS)].lower()}" for i in range(n)
            ],
        }
    )
    return frame.to_csv(index=False).encode("utf-8")


def test_hex_ids_and_codes_are_never_open_questions():
    mapping = suggest_mapping(read_table(_survey_csv(), "survey.csv"), "survey")
    columns = {q["column"] for q in mapping.questions}
    assert columns == {"What could we improve?"}
    assert mapping.fields.get("comment") == "What could we improve?"


def test_identifier_values_decide_not_the_header_alone():
    hexes = [hashlib.md5(str(i).encode()).hexdigest() for i in range(30)]
    assert looks_like_identifier("Prolific ID", hexes)
    assert looks_like_identifier("anything", hexes)
    assert looks_like_identifier("回答者ID", [f"R{i:05d}" for i in range(30)])
    assert not looks_like_identifier("Key takeaways", ANSWERS * 5)
    assert not looks_like_identifier("Comment", ["Good", "Bad", "OK", "Fine", "Great"] * 6)
