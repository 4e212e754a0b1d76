"""The comment-level topics of the opt-in topic level and the polarity model's reading of a whole comment."""

from __future__ import annotations

import numpy as np

from cx_core.themes._comment_topics import comment_topics, predicted_vectors
from cx_core.themes._steps.sides import _mention_polarity
from cx_core.themes._steps.sides import _Reading as _Unit


def _blobs(n_per: int, centres: list[np.ndarray], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = [c + 0.05 * rng.standard_normal(len(c)) for c in centres for _ in range(n_per)]
    x = np.array(rows)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_comments_of_well_apart_meanings_get_their_own_topics_and_the_rest_joins_by_key_terms():
    dim = 16
    centres = [np.eye(dim)[0], np.eye(dim)[5], np.eye(dim)[10]]
    x = _blobs(30, centres)
    rids = [f"r{i}" for i in range(len(x))]
    terms = {
        rid: (["bag", "luggage"] if i < 30 else ["staff", "rude"] if i < 60 else ["refund"])
        for i, rid in enumerate(rids)
    }
    terms.update({"late-bag": ["luggage", "lost"], "late-staff": ["rude", "agent"], "late-none": ["zebra"]})
    topic, parts = comment_topics(
        rids,
        x,
        ["late-bag", "late-staff", "late-none"],
        terms,
        min_count=2,
        attach_threshold=0.19,
        max_parts=6,
    )
    groups = [{topic[r] for r in rids[i : i + 30]} for i in (0, 30, 60)]
    assert all(len(g) == 1 for g in groups)  # each blob is one topic ...
    assert len(set.union(*groups)) == 3  # ... of its own
    assert topic["late-bag"] == topic["r0"] and topic["late-staff"] == topic["r30"]
    assert "late-none" not in topic  # shares no key term with any topic: no topic rather than a guess
    assert set(parts) <= set(topic)


def test_a_comment_not_embedded_takes_the_meaning_of_the_comments_that_use_its_words():
    hold, bag = np.eye(8)[0], np.eye(8)[3]
    x = np.array([hold] * 3 + [bag] * 3)
    embedded = [
        ["hold", "hours"],
        ["hold", "phone"],
        ["hours", "agent"],
        ["bag", "lost"],
        ["bag", "belt"],
        ["hours", "bag"],
    ]
    idf = dict.fromkeys(["hold", "hours", "phone", "agent", "bag", "lost", "belt"], 1.0)
    z = predicted_vectors(embedded, x, [["hours"], ["belt", "lost"], ["zebra"], []], idf)
    assert z[0] @ hold > z[0] @ bag + 0.3  # "hours" is said mostly with hold complaints
    assert z[1] @ bag > 0.9
    assert not z[2].any() and not z[3].any()  # no word any embedded comment uses: no meaning, no guess
    assert np.allclose(np.linalg.norm(z[:2], axis=1), 1.0)


def test_too_few_comments_give_no_topic():
    assert comment_topics([], np.zeros((0, 4)), [], {}, min_count=2, attach_threshold=0.2, max_parts=6) == ({}, {})


def _unit(text: str, score: float | None, *, thanks: bool = False, request: bool = False) -> _Unit:
    return _Unit(text, ["r1"], False, score, from_words=score is not None, thanks=thanks, request=request)


NEGATIVE = np.array([0.8, 0.15, 0.05])  # the model's (negative, neutral, positive) for a complaining comment
POSITIVE = np.array([0.05, 0.15, 0.8])
UNSURE = np.array([0.25, 0.45, 0.3])  # below COMMENT_OVERRIDE (0.3, chosen on the development halves): the words stand


def test_thanks_and_praise_words_in_a_comment_the_model_reads_as_a_complaint_are_not_praise():
    assert _mention_polarity(_unit("thanks", 0.4, thanks=True), None, None, NEGATIVE) == "negative"
    assert _mention_polarity(_unit("great job", 0.6), None, None, NEGATIVE) == "negative"
    assert _mention_polarity(_unit("great job", 0.6), None, None, UNSURE) == "positive"  # unsure: the words stand
    assert _mention_polarity(_unit("great job", 0.6), None, None, POSITIVE) == "positive"


def test_a_silent_clause_takes_the_comment_reading_but_a_request_or_a_question_never_becomes_praise():
    assert _mention_polarity(_unit("the bag arrived two days later", None), None, None, NEGATIVE) == "negative"
    assert _mention_polarity(_unit("crew got us there early", None), None, None, POSITIVE) == "positive"
    assert _mention_polarity(_unit("crew got us there", None), None, None, UNSURE) == "neutral"
    assert _mention_polarity(_unit("please add more flights", None, request=True), None, 10, POSITIVE) == "request"
    assert _mention_polarity(_unit("which lounge is open?", None), None, 10, POSITIVE) == "neutral"
    assert _mention_polarity(_unit("crew got us there", None), None, 10, None) == "neutral"  # a promoter's score
