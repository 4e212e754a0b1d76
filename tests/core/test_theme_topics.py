"""Broad topics chosen by the data, names a person would write, thanks next to a complaint (issue 26)."""

from __future__ import annotations

import numpy as np

from cx_core.themes import CommentRecord, extract_themes
from cx_core.themes._polarity import only_thanks
from cx_core.themes._topics import broad_topics, dispersion, knee, topic_grid


def _blobs(k: int, per: int, dim: int = 32, spread: float = 0.05, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.eye(dim)[:k]
    x = np.vstack([c + spread * rng.standard_normal((per, dim)) for c in centres])
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.repeat(np.arange(k), per)


def _agree(found: np.ndarray, truth: np.ndarray) -> bool:
    """Same partition up to renumbering."""
    pairs = set(zip(found.tolist(), truth.tolist(), strict=True))
    return len(pairs) == len(set(found.tolist())) == len(set(truth.tolist()))


def test_the_number_of_topics_is_the_datas():
    # Known limit: with many groups of equal size (16-20) the knee comes too early (10-15 topics),
    # because the dispersion curve falls almost in a straight line up to the true number.
    for k in (3, 7):
        x, truth = _blobs(k, 40)
        labels, curve = broad_topics(x, np.ones(len(x)))
        assert _agree(labels, truth), (k, curve)
        again, _ = broad_topics(x, np.ones(len(x)))
        assert np.array_equal(labels, again)  # fixed seeds: every run the same


def test_the_knee_is_where_more_topics_stop_paying():
    assert knee([2, 3, 4, 5, 6, 7], [100, 60, 20, 18, 16, 15]) == 4
    assert knee([2, 3, 4], [5, 5, 5]) == 2  # flat: no structure, fewest topics
    x, truth = _blobs(5, 30)
    assert dispersion(x, np.ones(len(x)), truth) < dispersion(x, np.ones(len(x)), np.zeros(len(x), dtype=np.int64))
    assert topic_grid(10_000, 10_000)[:10] == list(range(2, 12)) and topic_grid(10_000, 10_000)[-1] <= 100


def test_too_few_clauses_are_one_topic():
    assert topic_grid(2, 50) == [] and topic_grid(50, 3) == []
    labels, curve = broad_topics(np.eye(3)[:2], np.ones(2))
    assert labels.tolist() == [0, 0] and curve == {}


def test_thanks_next_to_a_complaint_are_never_praise():
    assert (
        only_thanks("Thanks!")
        and only_thanks("Thanks so much")
        and only_thanks("Thank you!")
        and only_thanks("ありがとうございます")
    )
    assert not only_thanks("Thanks for the great service") and not only_thanks("The crew was great")
    texts = [
        "Thanks. My flight was delayed three hours",
        "Thank you. The flight was delayed again and nobody told us",
        "Thanks a lot. Flight delayed for the third time this week",
        "Thanks. My flight got delayed and I missed the meeting",
    ] * 3
    result = extract_themes([CommentRecord(f"r{i}", t, None) for i, t in enumerate(texts)])
    assert result.themes
    for theme in result.themes:
        assert theme.side != "praise", theme.label
        assert theme.polarity["positive"] == 0


def test_a_topic_said_many_ways_is_named_by_its_most_typical_member():
    lost = [
        "my suitcase never showed up at the carousel",
        "they lost my luggage on the way to Denver",
        "baggage went missing after the connection",
        "still no sign of my bag after two days",
        "the airline misplaced my checked case",
        "where is my luggage, it did not arrive",
    ]
    food = [
        "the sandwich on board was stale",
        "meals served in economy were cold",
        "no vegetarian meal even though I ordered one",
        "snacks ran out before our row",
        "the coffee tasted burnt",
        "dinner portion was tiny",
    ]
    result = extract_themes([CommentRecord(f"r{i}", t, None) for i, t in enumerate((lost + food) * 2)])
    topical = [t for t in result.themes if not t.general]
    assert topical
    texts = " ".join(lost + food).lower()
    for theme in topical:
        for part in theme.topic.replace(" / ", ", ").split(", "):
            assert part.lower() in texts, theme.topic  # words the members wrote, never invented
        if theme.support < 0.5 and " " in theme.topic:  # a typical member's two-word phrase: used by 2+
            assert sum(theme.topic.lower() in t.lower() for t in lost + food) >= 2
