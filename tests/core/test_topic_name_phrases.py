"""Topic names are noun phrases the members write ("cancelled flight", "lost bag"), support shown."""

from __future__ import annotations

from collections import Counter

from cx_core.themes import Embedder
from cx_core.themes._naming import nameable, phrases
from cx_core.themes._steps.names import _without
from cx_core.themes._topic_names import Member, topic_name


def test_a_past_participle_with_a_noun_says_what_happened_but_never_names_alone():
    assert "lost bag" in phrases("They lost bag number two, my lost bag is still missing")
    assert "delayed flight" in phrases("Another delayed flight tonight")
    assert "flight cancelled" in phrases("flight cancelled again")
    assert not {"lost", "delayed", "cancelled"} & phrases("lost, delayed and cancelled")  # never alone
    assert "rude staff" not in phrases("Rude staff at the desk")  # a judgement: the side says it
    assert "unexpected charges" not in phrases("Unexpected charges on my card")  # negated: a judgement too
    assert not nameable("delayed") and nameable("delayed flight") and not nameable("product")
    # a part's name never keeps a word that may not name alone once the topic's word is taken out
    assert _without("shipments delayed", frozenset({"shipment"})) == ""
    assert _without("production line", frozenset({"shipment"})) == "production line"


def _members(texts: list[str]) -> list[Member]:
    said = Counter(texts)
    return [Member(t, frozenset(phrases(t)), n, False) for t, n in sorted(said.items())]


def test_a_one_word_name_becomes_the_phrase_with_it_that_says_the_topic_both_orders_as_one():
    texts = (
        ["Cancelled flight and no hotel for the night"] * 3
        + ["flight cancelled again, no rebooking offered"] * 2
        + ["They cancelled my flight to Boston with no notice"] * 9
        + ["My flight was cancelled two hours before departure"] * 8
        + ["Flight to Denver got cancelled, the weather was fine"] * 8
    )
    members = _members(texts)
    # the whole corpus says each phrase ten times as often, "flight" in half its comments (an
    # airline's tweets): alone it says little, but more of this topic's members write it than any other
    corpus = Counter({p: 10 * n for p, n in Counter(p for t in texts for p in phrases(t)).items()})
    corpus["flight"] = 550
    named = topic_name(members, corpus, 1000, Embedder())
    assert named is not None
    name, support, japanese = named
    assert name.lower() in {"cancelled flight", "flight cancelled"} and not japanese
    # its support is the share of mentions using the phrase itself (either order), not the word's
    assert support == round(5 / len(texts), 3)


def test_a_word_no_more_used_in_the_topic_than_in_all_comments_never_names_it():
    texts = ["The seat was broken on my flight"] * 8 + ["Cold food on the flight"] * 6 + ["No legroom at all"] * 6
    # "flight" is in 90% of all comments but in 70% of this topic's: it does not set the topic apart
    corpus = Counter({"flight": 900, "seat": 400, "food": 400, "legroom": 400})
    named = topic_name(_members(texts), corpus, 1000, Embedder())
    assert named is not None and named[0].startswith("seat") and "flight" not in named[0], named
