"""Comments cut where they change subject, and topic names a person would write (issue 26)."""

from __future__ import annotations

import re

import numpy as np

from cx_core.themes import CommentRecord, OfflineSettings, extract_themes
from cx_core.themes._comment_topics import place_cut_comments
from cx_core.themes._segments import long_enough, part_vectors, subject_parts

MEANING = OfflineSettings(topic_level="meaning")  # the opt-in level these parts belong to


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


def test_a_clause_far_from_the_part_so_far_starts_a_new_part_but_a_short_or_silent_one_never_does():
    a, a2, b = _unit([1, 0.1, 0]), _unit([0.9, 0.2, 0]), _unit([0, 0, 1])
    v = np.stack([a, a2, b])
    assert subject_parts(v, [30, 20, 30], [True, True, True], 0.3) == [0, 0, 1]
    assert subject_parts(v, [30, 20, 30], [True, True, False], 0.3) == [0, 0, 0]  # "2 hours now" stays
    assert subject_parts(v, [30, 20, 30], [False, False, True], 0.3) == [0, 0, 0]  # nothing to leave yet
    parts = subject_parts(v, [30, 20, 30], [True, True, True], 0.3)
    pv = part_vectors(v, [30, 20, 30], parts)
    assert pv.shape == (2, 3) and np.allclose(np.linalg.norm(pv, axis=1), 1.0) and pv[1] @ b > 0.99
    assert long_enough("Pricing is hard to understand") and not long_enough("2 hours")
    assert long_enough("納期が遅い") and not long_enough("遅い")


def test_a_comment_is_cut_only_when_each_moved_part_is_clearly_nearer_another_topic():
    delivery, pricing = np.eye(4)[0], np.eye(4)[1]
    members = [f"m{i}" for i in range(8)]
    vectors = np.stack([delivery] * 4 + [pricing] * 4)
    topic = {m: (0 if i < 4 else 1) for i, m in enumerate(members)}
    two = np.stack([_unit([1, 0.05, 0.3, 0]), _unit([0.05, 1, 0, 0.3])])  # late delivery. unclear pricing.
    one = np.stack([_unit([1, 0.4, 0.5, 0]), _unit([0.7, 0.75, 0, 0.5])])  # pricing only a little nearer
    placed = place_cut_comments(
        ["two", "one"],
        {"two": _unit(two.sum(axis=0)), "one": _unit([1, 0.3, 0.3, 0.3])},
        {"two": two, "one": one},
        members,
        vectors,
        topic,
        {},
        margin=0.1,
        attach_threshold=0.19,
    )
    assert placed["two"][0] == [0, 1]  # in both topics
    assert placed["one"][0] == [0, 0]  # one subject said in two clauses: the whole comment's topic


def test_a_comment_of_two_subjects_counts_in_both_topics_and_one_of_one_subject_stays_whole():
    delivery = [
        "Deliveries arrived late again this quarter.",
        "Shipments keep missing the promised date.",
        "Orders come late and the lead time is too long.",
        "The parcel arrived two weeks after the promised date.",
    ]
    pricing = [
        "Pricing is hard to understand and the quote changed without explanation.",
        "We need a clearer price breakdown in quotes.",
        "Invoices contain unexpected charges every month.",
        "The price list is confusing and the fees are not explained.",
    ]
    texts = delivery * 5 + pricing * 5
    texts += [
        "Deliveries arrived late again this quarter. The price list is confusing and the fees are not explained."
    ] * 4
    texts += ["Orders come late and the lead time is too long, the parcel arrived two weeks after the date."] * 4
    comments = [CommentRecord(f"r{i:03d}", t, None) for i, t in enumerate(texts)]
    result = extract_themes(comments, settings=MEANING)
    topic_of = {th.key: th.topic for th in result.themes if not th.general}
    topics = {rid: {topic_of[k] for k in keys if k in topic_of} for rid, keys in result.assignments.items()}
    late = topics["r000"]
    price = topics["r020"]
    assert len(late) == 1 and len(price) == 1 and late != price
    for i in range(40, 44):
        assert topics[f"r{i:03d}"] == late | price, (texts[i], topics[f"r{i:03d}"])
    for i in range(44, 48):
        assert topics[f"r{i:03d}"] == late, (texts[i], topics[f"r{i:03d}"])


def test_topic_names_are_phrases_members_share_never_stop_words_elisions_entities_handles_or_urls():
    texts = [
        "J'ai attendu en caisse pendant 20 minutes, c'est trop long &amp; pénible @magasin https://x.co/a",
        "Trop d'attente en caisse, j'ai failli partir",
        "L'attente en caisse est interminable, c'est toujours pareil",
        "Pas assez de caisses ouvertes, j'ai attendu longtemps",
        "Les prix sont trop élevés, c'est dommage #cher",
        "Prix un peu élevés pour la qualité, j'ai comparé",
        "Tarifs élevés, merci de baisser les prix",
        "Les prix ont encore augmenté, c'est abusé",
    ] * 3
    result = extract_themes([CommentRecord(f"r{i}", t, None) for i, t in enumerate(texts)], settings=MEANING)
    names = {th.topic for th in result.themes if not th.general}
    assert names
    words = " ".join(texts).lower()
    for name in names:
        for language in name.split(" / "):
            said = re.split(r", |・", language)
            assert len(said) <= 2  # a phrase, or one thing said two ways ("documentation, manuals")
            for part in said:
                assert part.lower() in words  # the members' own words
                assert not re.search(r"[@#&]|https?:|\bamp\b|\b(?:j'ai|c'est|ai|est|les|trop)\b", part.lower()), name
                assert len(part.split()) <= 3  # a phrase, not a list of words
    assert any("caisse" in n for n in names) and any("prix" in n for n in names), names
