"""Polarity per mention that reads complaints right, in EN, JA, FR, DE and ES (issue 26).

Sentences written for these tests (none from an evaluation set): sarcastic thanks, questions,
waits that go on, negated praise, evaluative words in context and requests. The respondent's
score never turns a request or a neutral remark into praise.
"""

from __future__ import annotations

import numpy as np
import pytest

from cx_core.themes import CommentRecord, clause_polarity, extract_themes
from cx_core.themes._polarity import is_question


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for losing my luggage, great job",
        "Great, another two hour delay",
        "Love waiting on hold for an hour",
        "Merci pour les trois heures d'attente",
        "Super, encore un retard",
        "Danke für die tolle Verspätung von drei Stunden",
        "Gracias por perder mi maleta",
        "三時間も待たせてくれてありがとう",
    ],
)
def test_sarcastic_thanks_and_praise_of_something_bad_are_complaints(text):
    assert clause_polarity(text) == "negative"
    assert clause_polarity(text, score_hint=10) == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Still waiting for a reply",
        "Toujours pas de réponse",
        "Ich warte immer noch auf eine Antwort",
        "Sigo esperando una respuesta",
        "まだ返事を待っています",
        "まだ荷物が届いていない",
    ],
)
def test_a_wait_that_goes_on_is_a_complaint(text):
    assert clause_polarity(text) == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Not helpful at all",
        "The agent was not friendly",
        "Le vendeur n'était pas aimable",
        "Das Personal war nicht freundlich",
        "El personal no fue amable",
        "スタッフは親切ではなかった",
        "説明が分かりやすくない",
    ],
)
def test_negated_praise_is_a_complaint(text):
    assert clause_polarity(text) == "negative"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The prices are expensive", "negative"),
        ("Les prix sont élevés", "negative"),
        ("Prix élevés", "negative"),
        ("Die Preise sind hoch", "negative"),
        ("Los precios son elevados", "negative"),
        ("値段が高い", "negative"),
        ("技術力が高い", "positive"),
        ("High quality materials", "positive"),
        ("Die Parkplätze", "neutral"),  # German "die" is an article, not the English verb
        ("Die Parkplätze sind gut", "positive"),
    ],
)
def test_evaluative_words_read_in_context(text, expected):
    assert clause_polarity(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Is the lounge open today?",
        "Can you recommend a good plan for a team of five?",
        "Est-ce que le magasin est ouvert dimanche ?",
        "Wann kommt meine Bestellung?",
        "¿Tienen buenas ofertas esta semana?",
        "おすすめのプランはどれですか",
    ],
)
def test_a_question_is_never_praise(text):
    assert is_question(text)
    assert clause_polarity(text) != "positive"
    assert clause_polarity(text, score_hint=10) != "positive"


@pytest.mark.parametrize("text", ["What a great team!", "How nice of you!", "Great service", "Sehr gutes Essen"])
def test_an_exclamation_is_no_question(text):
    assert not is_question(text)
    assert clause_polarity(text) == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Please add an export to Excel",
        "Would love to see an offline mode",
        "It would be great to have more templates",
        "Il faudrait plus de caisses",
        "Ce serait bien d'avoir plus de choix",
        "Es wäre schön, mehr Auswahl zu haben",
        "Sería bueno tener más cajas abiertas",
        "Me gustaría más variedad",
        "もっと種類を増やしてほしい",
        "駐車場が欲しい",
    ],
)
def test_requests_are_requests_never_praise_even_from_promoters(text):
    assert clause_polarity(text) == "request"
    assert clause_polarity(text, score_hint=10) == "request"


@pytest.mark.parametrize("text", ["Delivery tracking", "Le parking", "Die Parkplätze", "El aparcamiento", "駐車場"])
def test_a_promoter_score_never_makes_a_neutral_remark_praise(text):
    assert clause_polarity(text, score_hint=10) == "neutral"
    assert clause_polarity(text, score_hint=9.0) == "neutral"


def test_mentions_of_complaints_in_five_languages_never_sit_on_a_praise_side():
    complaints = [
        "Thanks for losing my luggage, great job",
        "Great, another two hour delay at the gate",
        "Still waiting for a reply about my refund",
        "Merci pour les trois heures d'attente au guichet",
        "Toujours pas de réponse du service client",
        "Ich warte immer noch auf eine Antwort vom Kundenservice",
        "Gracias por perder mi maleta otra vez",
        "Sigo esperando una respuesta del servicio",
        "まだ返金の連絡を待っています",
        "三時間も待たせてくれてありがとう",
    ]
    requests = ["Please add an export to Excel", "Il faudrait plus de caisses", "駐車場が欲しい"]
    texts = (complaints + requests) * 3
    records = [CommentRecord(f"R{i:03d}", t, 10.0) for i, t in enumerate(texts)]  # all promoters
    result = extract_themes(records)
    sides: dict[str, set[str]] = {}
    for theme in result.themes:
        for rid in theme.response_ids:
            sides.setdefault(rid, set()).add(theme.side)
    assert sides, "no theme at all"
    for rid, found in sides.items():
        text = texts[int(rid[1:])]
        assert "praise" not in found, (text, found)
        if text in requests:
            assert found == {"request"}, (text, found)


def test_the_shipped_polarity_model_reads_plain_complaints_and_praise():
    from cx_core.themes import Embedder
    from cx_core.themes._embed import use_available
    from cx_core.themes._polarity_model import probabilities

    if not use_available():
        pytest.skip("the multilingual sentence encoder is not installed")
    texts = ["My flight was cancelled and nobody helped me", "The crew were lovely and the flight was smooth"]
    readings = probabilities(Embedder("use").encode(texts))
    assert readings is not None and readings.shape == (2, 3)
    assert np.allclose(readings.sum(axis=1), 1.0, atol=1e-5)
    assert readings[0].argmax() == 0 and readings[1].argmax() == 2


def test_ngram_features_of_a_text_do_not_depend_on_the_other_texts_read_with_it():
    from cx_core.themes._polarity_model import NGRAM_BUCKETS, ngram_occurrences

    alone_rows, alone = ngram_occurrences(["料理が冷めていた"])
    rows, buckets = ngram_occurrences(["Late again!", "料理が冷めていた", ""])
    assert sorted(buckets[rows == 1].tolist()) == sorted(alone.tolist())
    assert set(alone_rows.tolist()) == {0} and len(alone) == 10 + 9 + 8 + 7  # " 料理が冷めていた ": 10 characters
    assert not (rows == 2).any() or len(buckets[rows == 2]) <= 3  # an empty text is a space or two
    assert buckets.min() >= 0 and buckets.max() < NGRAM_BUCKETS
    assert ngram_occurrences(["Late again!"])[1].tolist() == ngram_occurrences(["late   AGAIN!"])[1].tolist()


def test_the_shipped_ngram_polarity_model_reads_plain_complaints_and_praise():
    from cx_core.themes._polarity_model import ngram_probabilities

    texts = [
        "My flight was cancelled and nobody helped me, terrible service",
        "The crew were lovely and the flight was great, thank you",
        "部屋が汚くて最悪でした",
        "スタッフの対応がとても親切で最高でした",
    ]
    readings = ngram_probabilities(texts)
    assert readings is not None and readings.shape == (4, 3)
    assert np.allclose(readings.sum(axis=1), 1.0, atol=1e-5)
    assert [int(r.argmax()) for r in readings] == [0, 2, 0, 2]


def test_ngram_readings_in_batches_equal_one_pass(monkeypatch):
    # Batches bound the memory (100,000 comments at once took 2.4 GB); the readings must not change.
    from cx_core.themes import _polarity_model

    texts = [f"Flight {i} was late again, terrible" if i % 3 else f"Lovely crew on flight {i}" for i in range(25)]
    texts += ["部屋が汚くて最悪でした", "", "ok"]
    one_pass = _polarity_model.ngram_probabilities(texts)
    monkeypatch.setattr(_polarity_model, "_NGRAM_BATCH", 4)
    batched = _polarity_model.ngram_probabilities(texts)
    assert one_pass is not None and batched is not None
    assert np.allclose(one_pass, batched, atol=1e-6)
