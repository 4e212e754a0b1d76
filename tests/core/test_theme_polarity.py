"""Polarity per clause (EN/JA/FR/DE/ES), multilingual non-answers, general groups and the polarity split."""

from __future__ import annotations

import pytest

from cx_core.themes import CommentRecord, clause_polarities, clause_polarity, extract_themes, is_non_answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The staff were friendly and helpful", "positive"),
        ("Connection is extremely unstable and slow", "negative"),
        ("Late delivery again.", "negative"),
        ("The staff was not friendly", "negative"),
        ("not bad at all", "positive"),
        ("Pricing is hard to understand.", "negative"),
        ("Please fix the sync", "request"),  # asks for a change: its own side (issue 26)
        ("We went for lunch on Saturday", "neutral"),
        ("サポートがとても丁寧", "positive"),
        ("納期が遅い", "negative"),
        ("使いやすくない", "negative"),
        ("約束の納期が守られないことが多い。", "negative"),
        ("自転車で走りやすい", "positive"),
        ("最高です", "positive"),
        ("Difficile de trouver un vendeur", "negative"),
        ("le vendeur était très aimable", "positive"),
        ("Lieferung war zu spät", "negative"),
        ("Nicht gut", "negative"),
        ("El servicio fue excelente", "positive"),
        ("no es bueno", "negative"),
    ],
)
def test_clause_polarity(text, expected):
    assert clause_polarity(text) == expected


def test_score_is_only_a_secondary_signal():
    assert clause_polarity("Delivery tracking", score_hint=2) == "negative"  # words silent: the score decides
    assert clause_polarity("Delivery tracking", score_hint=None) == "neutral"
    assert clause_polarity("The support team is wonderful", score_hint=0) == "positive"  # words win
    assert clause_polarities(["great", "awful"], None) == ["positive", "negative"]


@pytest.mark.parametrize(
    "text", ["RAS", "R.A.S.", "rien", "Aucune remarque", "aucun", "keine", "Nichts", "nada", "Ninguno", "no comment"]
)
def test_non_answers_in_many_languages(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["rien ne marche", "Keine Probleme mit der Lieferung", "nada funciona bien"])
def test_sentences_starting_like_non_answers_are_answers(text):
    assert not is_non_answer(text)


def _records(texts):
    return [CommentRecord(f"R{i:03d}", t, None) for i, t in enumerate(texts)]


def test_praise_and_complaints_never_share_a_theme_and_general_goes_apart():
    praise = ["Delivery was fast and on time", "Super fast delivery, thank you", "Quick delivery as always"]
    complaints = ["Delivery was late again", "The delivery arrived two weeks late", "Slow delivery, very annoying"]
    general = ["Great!", "I love it", "thanks", "最高です", "Awesome", "Terrible.", "Awful", "Horrible experience"]
    texts = (praise * 4) + (complaints * 4) + (general * 2) + ["n/a", "RAS", "特になし", "keine"]
    texts.append("Great staff, but the delivery was late")
    result = extract_themes(_records(texts))
    assert result.n_non_answers == 4
    topical = [t for t in result.themes if not t.general]
    assert topical
    for theme in topical:
        assert theme.side in ("praise", "complaint", "neutral") and theme.topic
        counts = theme.polarity
        assert max(counts.values()) == sum(counts.values())  # one polarity per theme
    sides = {t.side for t in topical if "deliver" in t.label.lower()}
    assert {"praise", "complaint"} <= sides
    general_themes = {t.label: t for t in result.themes if t.general}
    assert set(general_themes) == {"General praise", "General complaint"}
    assert not any(t.general for t in result.themes[: len(topical)])  # general groups listed after topics
    mixed = result.assignments[f"R{len(texts) - 1:03d}"]
    mixed_sides = {result.theme(k).side for k in mixed}
    assert "complaint" in mixed_sides  # the late delivery clause counts as a complaint
    for theme in result.themes:
        assert not any(ch in theme.label for ch in "@#") and "http" not in theme.label


def test_names_come_from_shared_terms_not_one_sentence():
    texts = [
        "@acme the mobile app crashes when I upload photos",
        "Mobile app keeps crashing on login #fail",
        "The mobile app crashed twice today",
        "mobile app crashes every time I open it https://t.co/x1",
    ] * 3
    result = extract_themes(_records(texts))
    theme = result.themes[0]
    assert "mobile app" in theme.label.lower() and theme.support >= 0.5
    assert theme.label.lower() not in {t.lower() for t in texts}
    assert 2 <= len(theme.topic.replace(",", " ").split()) <= 6


def test_a_broad_topic_is_split_or_explained_and_progress_is_reported():
    billing = [
        "The invoice amount was wrong",
        "Invoices arrive with the wrong amount",
        "Billing charged us twice this month",
        "Double charge on the invoice again",
        "The invoice total does not match the contract",
    ]
    other = ["The mobile app crashes on login", "Mobile app is slow to load"]
    texts = billing * 6 + other * 3
    steps: list[tuple[float, str]] = []
    result = extract_themes(_records(texts), progress=lambda f, s: steps.append((f, s)))
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    n = result.n_substantive
    topics: dict[str, int] = {}
    for theme in result.themes:
        if not theme.general:
            topics[theme.topic] = topics.get(theme.topic, 0) + theme.count
    for topic, count in topics.items():
        assert count <= 0.3 * n or topic in result.broad_topics


def test_theme_table_carries_side_and_topic_split():
    from cx_core.themes import theme_table, topic_split

    praise = ["Delivery was fast and on time", "Super fast delivery, thank you"] * 4
    complaints = ["Delivery was late again", "The delivery arrived two weeks late"] * 4
    result = extract_themes(_records(praise + complaints))
    split = topic_split(result)
    table = theme_table(result)
    assert {"topic", "side", "general", "topic_praise", "topic_complaint", "topic_neutral"} <= set(table.columns)
    for row in table.itertuples():
        if row.topic:
            assert split[row.topic][row.side] == row.count
            assert row.topic_praise == split[row.topic]["praise"]


def test_a_silent_clause_takes_its_comments_polarity_then_the_classifier():
    from cx_core.themes._polarity_model import input_dimension

    assert input_dimension() == 512  # built by tools/build_polarity_model.py over the USE embeddings
    texts = ["The onboarding was wonderful, the trainer came to our office."] * 3
    texts += ["The fish was raw."] * 3  # no listed word: the sentence-space classifier decides
    texts += ["How do I change the delivery address?"] * 3  # a question with no listed word asks
    result = extract_themes(_records(texts))
    side_of = {}
    for theme in result.themes:
        for rid in theme.response_ids:
            side_of.setdefault(int(rid[1:]), set()).add(theme.side)
    assert side_of[0] == {"praise"}  # "the trainer came to our office" counts as praise, not neutral
    assert side_of[3] == {"complaint"}
    assert side_of[6] == {"neutral"}


def test_names_say_what_members_are_about_not_how_it_felt():
    texts = [
        "The pasta was delicious",
        "Delicious pasta, fresh and hot",
        "The pasta tasted delicious tonight",
        "Rude waiter, rude staff",
        "The waiter was rude to us",
        "A rude waiter ignored our table",
    ] * 3
    result = extract_themes(_records(texts))
    topics = {t.topic for t in result.themes if not t.general}
    assert any("pasta" in t for t in topics) and any("waiter" in t for t in topics), topics
    for topic in topics:
        assert "delicious" not in topic and "rude" not in topic


def test_topics_with_the_same_name_become_one():
    from cx_core.themes._steps.names import _merge_same_names

    mentions = {(0, "complaint"): [("a", "r1")], (1, "complaint"): [("b", "r2"), ("c", "r3")], (2, "praise"): []}
    names = {0: ("pricing", 1.0, False), 1: ("pricing", 0.5, False), 2: ("support", 1.0, False)}
    merged = _merge_same_names(mentions, names)
    assert sorted(merged[(1, "complaint")]) == [("a", "r1"), ("b", "r2"), ("c", "r3")]
    assert (0, "complaint") not in merged
    assert names[1] == ("pricing", round((1.0 * 1 + 0.5 * 2) / 3, 3), False)


def test_kmeans_is_deterministic_and_pieces_of_one_topic_merge_back():
    import numpy as np

    from cx_core.themes._cluster import merge_close, spherical_kmeans

    rng = np.random.default_rng(7)
    centres = np.eye(8)[:2]
    x = np.vstack([c + 0.15 * rng.standard_normal((40, 8)) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    w = np.ones(len(x))
    labels = spherical_kmeans(x, w, 6)
    assert np.array_equal(labels, spherical_kmeans(x, w, 6)) and labels.max() == 5
    merged = merge_close(x, w, labels, 0.4)
    assert merged.max() == 1  # two true groups
    assert len(set(merged[:40])) == 1 and len(set(merged[40:])) == 1 and merged[0] != merged[40]


def test_side_words_and_general_groups_follow_the_readers_language():
    from cx_core.themes import labels_in_language

    texts = ["納期が遅い。"] * 4 + ["配送の遅延が続いています。"] * 4 + ["最高です"] * 3
    result = extract_themes(_records(texts))
    topical = next(t for t in result.themes if not t.general)
    assert topical.label.endswith(": 不満")  # the engine writes in the comments' language
    english = labels_in_language(result, "en")
    assert english.themes[0].label == f"{topical.topic}: complaints" and english.themes[0].topic == topical.topic
    assert {t.label for t in english.themes if t.general} == {"General praise"}
    japanese = labels_in_language(result, "ja")
    assert {t.label for t in japanese.themes if t.general} == {"全般的な好評"}
    assert result.themes[0].label == topical.label  # the engine's own result is left as it was


def test_a_theme_drills_down_into_named_subthemes():
    arrival = ["My new card has not arrived yet", "The card still has not arrived after two weeks"]
    declined = ["My card payment was declined at the shop", "The card was declined when paying online"]
    pin = ["I forgot the PIN of my card", "How do I reset the card PIN"]
    texts = (arrival + declined + pin) * 6 + ["The app crashes on login", "The app login fails"] * 4
    result = extract_themes(_records(texts))
    card = [t for t in result.themes if "card" in t.topic]
    assert card
    subs = {s.label: s for t in card for s in t.subthemes}
    assert len(subs) >= 2  # the card theme drills down into named parts
    # each kind of card trouble is a part of the card theme, or a topic of its own (PIN resets are)
    found = [*subs, *(t.topic for t in result.themes if not t.general and "card" not in t.topic)]
    assert any("arriv" in label or "weeks" in label for label in found), found
    assert any("declin" in label or "payment" in label for label in found), found
    assert any(word in label.lower() for label in found for word in ("pin", "forgot", "reset")), found
    for theme in result.themes:
        for sub in theme.subthemes:
            assert set(sub.response_ids) <= set(theme.response_ids) and sub.count == len(sub.response_ids)
            assert sub.label != theme.topic and "card" != sub.label  # says what the topic name does not
        assert [s.count for s in theme.subthemes] == sorted((s.count for s in theme.subthemes), reverse=True)
    entry = next(t for t in card if t.subthemes).to_dict()
    assert {"label", "count", "response_ids"} <= set(entry["subthemes"][0])  # the CLI's JSON carries them


def test_a_small_topic_is_not_drilled_down():
    texts = ["The invoice was wrong", "Invoice totals were wrong", "Wrong invoice again"] * 2
    result = extract_themes(_records(texts))
    assert result.themes and all(not t.subthemes for t in result.themes)


def test_questions_and_requests_in_support_messages_are_never_praise():
    from cx_core.themes import clause_polarity

    # words VADER scores positive name a topic or a wish in customer messages
    assert clause_polarity("Customer support was slow") == "negative"
    assert clause_polarity("The support team is great") == "positive"
    assert clause_polarity("Help! I can't find my card.") == "request"  # a call for help asks (issue 26)
    assert clause_polarity("I want a virtual card") != "positive"
    texts = [
        "Which credit cards do you support?",
        "Can I get a virtual card for online shopping?",
        "Is it ok if I use both visa and mastercard",
        "How do I top up my card?",
    ] * 3
    texts += ["What a great team!"] * 3  # an exclamation, not a question
    records = [CommentRecord(f"R{i:03d}", t, 10.0) for i, t in enumerate(texts)]  # promoters asking
    result = extract_themes(records)
    sides = {}
    for theme in result.themes:
        for rid in theme.response_ids:
            sides.setdefault(int(rid[1:]), set()).add(theme.side)
    for i in range(12):
        assert "praise" not in sides.get(i, set()), (texts[i], sides.get(i))
    assert sides[12] == {"praise"}


def test_a_question_after_praise_asks_and_after_a_complaint_complains():
    texts = ["I love the new dashboard. How do I add a second card to my account?"] * 3
    texts += ["The export keeps failing. How do I add a second card to my account?"] * 3
    result = extract_themes(_records(texts))
    question_sides = {
        int(q.response_id[1:]): theme.side
        for theme in result.themes
        for q in theme.quotes
        if q.excerpt.startswith("How do I add")
    }
    assert set(question_sides.values()) == {"neutral", "complaint"}, question_sides
    assert all(side == ("neutral" if rid < 3 else "complaint") for rid, side in question_sides.items()), question_sides


def test_theme_keywords_break_ties_by_name_so_every_run_agrees():
    from cx_core.themes._naming import phrases

    text = "The billing portal invoice export keeps failing"
    result = extract_themes(_records([text] * 6))
    topical = [t for t in result.themes if not t.general]
    assert topical
    # every phrase of the one clause is used equally often: the order must not depend on set order
    assert topical[0].keywords == sorted(phrases(text))[:5]
