"""The name of a broad topic: what a person would write above it.

One phrase per language of the topic (a topic said in Japanese and English is "納期 / deliveries"):

1. a phrase (a key term or two adjacent ones, :func:`._naming.phrases`) that most of the topic's
   mentions use (``MOST_MEMBERS``) and that sets the topic apart (used at least ``LIFT`` times as
   often in it as in all comments, so "flight" never names every topic of an airline's tweets);
2. else the phrase of the topic's most typical members: of the members closest to the topic's
   centre (mean sentence embedding), the phrase most of the topic's mentions use, weighted by how
   much it sets the topic apart, two-word phrases preferred (said in two different clauses; a word
   in two mentions), else a key word of the most typical member. A word that wins is said as the
   two-word phrase with it that says the topic better, when at least ``EXTEND`` of the word's
   mentions write that phrase ("flight" -> "cancelled flight"; both orders and plurals count as one).

Its support is the share of the topic's mentions that use it, shown beside the name. Phrases never
hold stop words, pronouns, elisions ("j'ai", "c'est"), HTML entities, @handles, URLs or numbers
(:func:`._naming.terms`), nor words of praise or complaint (the side says how it felt).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ._embed import Embedder
from ._naming import fold, is_japanese_term
from ._redact import mask_pii

MOST_MEMBERS = 0.5
"""A shared phrase names the topic when at least this share of its mentions use it."""
LIFT = 2.0
"""... and it is used at least this many times as often in the topic as in all comments."""
EXTEND = 0.1
"""A typical members' one-word name becomes a two-word phrase with it used by at least this share of its mentions."""
_CANDIDATES = 200  # members (the most used) the typical ones are looked for among
_SHORTLIST = 20  # the members closest to the topic's centre
_TWO_WORDS = 1.15  # a two-word phrase ("lost bag") says more than one of its words


@dataclass(frozen=True)
class Member:
    """One distinct clause of a topic: its text, its phrases, how many mentions, its language."""

    text: str
    phrases: frozenset[str]
    weight: int
    japanese: bool


def _key(phrase: str) -> str:
    """One key for the forms of a phrase: singular and plural, and both orders of two words
    ("cancelled flights" and "flight cancelled" say the same thing)."""
    return " ".join(sorted(fold(phrase).split(" ")))


def _surface(forms: Counter) -> str:
    return min(forms, key=lambda f: (-forms[f], f))


def _same_words(a: str, b: str) -> bool:
    """True when two phrases share a word or its inflection ("caisse" and "caisses", "prix" and "prix")."""

    def same(x: str, y: str) -> bool:
        short, long_ = sorted((x, y), key=len)
        return x == y or (len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 2)

    return any(same(x, y) for x in a.split(" ") for y in b.split(" "))


def _one_language(
    members: list[Member], corpus_df: Counter, n_corpus: int, embedder: Embedder
) -> tuple[str, float] | None:
    total = sum(m.weight for m in members) or 1
    use: Counter = Counter()
    said_by: Counter = Counter()  # distinct clauses using it
    forms: dict[str, Counter] = {}
    for m in members:
        for p in m.phrases:
            forms.setdefault(_key(p), Counter())[p] += m.weight
        for key in {_key(p) for p in m.phrases}:
            use[key] += m.weight
            said_by[key] += 1
    if not use:
        return None
    corpus: Counter = Counter()
    for p, n in corpus_df.items():
        if (key := _key(p)) in use:
            corpus[key] += n

    def specificity(key: str) -> float:
        return math.log(1 + n_corpus / (1 + corpus[key]))

    def precision(key: str) -> float:  # the share of the phrase's uses in all comments that are in this topic
        return use[key] / max(corpus[key], use[key], 1)

    def lift(key: str) -> float:
        return (use[key] / total) / (max(corpus[key], use[key]) / (n_corpus or 1))

    ranked = sorted(members, key=lambda m: (-m.weight, m.text))[:_CANDIDATES]
    embedded: dict[str, np.ndarray] = {}  # the members' embeddings and their centre, when needed

    def centre() -> np.ndarray:  # the topic's meaning: mean embedding of its most used members
        if not embedded:
            vectors = embedded["members"] = embedder.encode([mask_pii(m.text) for m in ranked]).astype(np.float64)
            c = (vectors * np.array([m.weight for m in ranked], dtype=np.float64)[:, None]).sum(axis=0)
            embedded["centre"] = c / (np.linalg.norm(c) or 1.0)
        return embedded["centre"]

    def best_of(options: list[str]) -> str:
        """The phrase most used (as specific and as long as possible); among phrases used as much
        (words of the same members: "documentation" and "follow"), the one nearest the topic's
        meaning (mean embedding of its members), as keyword extraction by embeddings does."""

        def score(k: str) -> float:
            return use[k] * specificity(k) * (_TWO_WORDS if " " in k else 1.0)

        top = max(score(k) for k in options)
        tied = sorted(k for k in options if score(k) >= top * (1 - 1e-9))
        if len(tied) == 1:
            return tied[0]
        near = embedder.encode([mask_pii(_surface(forms[k])) for k in tied]).astype(np.float64) @ centre()
        return max(zip(tied, near.tolist(), strict=True), key=lambda kc: (kc[1], kc[0]))[0]

    def extended(word: str) -> str:
        """A one-word name as the two-word phrase with it that says the topic better ("flight" ->
        "cancelled flight", "bag" -> "lost bag"): used by at least ``EXTEND`` of the word's
        mentions, nearer the topic's meaning than the word alone and at least as specific to the
        topic (as large a share of its uses in all comments fall in this topic); the most used,
        most specific and nearest of those."""
        if " " in word:
            return word
        pairs = [k for k in use if word in k.split(" ") and said_by[k] >= 2 and use[k] >= EXTEND * use[word]]
        pairs = [k for k in pairs if " " in k and precision(k) >= precision(word)]
        if not pairs:
            return word
        near = embedder.encode([mask_pii(_surface(forms[k])) for k in [word, *pairs]]).astype(np.float64) @ centre()
        scored = [(near[i] * use[k] * specificity(k), k) for i, k in enumerate(pairs, start=1) if near[i] > near[0]]
        return max(scored)[1] if scored else word

    shared = [k for k in use if use[k] >= MOST_MEMBERS * total and (lift(k) >= LIFT or n_corpus <= total)]
    if shared:
        best = best_of(shared)
        return _surface(forms[best]), round(use[best] / total, 3)
    middle = centre()
    order = np.argsort(-(embedded["members"] @ middle), kind="stable")
    central = {_key(p) for i in order[:_SHORTLIST] for p in ranked[i].phrases}

    # A phrase of the topic, not of one member: a two-word phrase said in two different clauses, a
    # word in two mentions; else the most typical member's own key word.
    def common(k: str) -> bool:
        return said_by[k] >= 2 if " " in k else use[k] >= 2

    # A phrase no more used in the topic than in all comments ("flight" in a topic of an airline's
    # tweets that is not about flights more than the others are) does not set it apart.
    apart = [k for k in central if common(k) and lift(k) >= 1.0] or [k for k in use if common(k) and lift(k) >= 1.0]
    options = apart or [k for k in central if common(k)] or [k for k in use if common(k)]
    options = options or [_key(p) for p in ranked[int(order[0])].phrases if " " not in p]
    if not options:
        return None
    best = best_of(options)
    if (phrase := extended(best)) != best:  # its support is the share using the phrase itself
        return _surface(forms[phrase]), round(use[phrase] / total, 3)
    # Said two ways: when the phrase alone is used by less than most mentions, the other members'
    # word for the same thing joins it ("取扱説明書・マニュアル", "documentation, manuals"): of the
    # phrases of the members that do not use it (in two mentions at least), the one nearest it in
    # meaning, when the two together are used by most mentions.
    uncovered: Counter = Counter()
    covered = 0  # mentions using the phrase or an inflection of it
    for m in members:
        keys = {_key(p) for p in m.phrases}
        if any(_same_words(k, best) for k in keys):
            covered += m.weight
            continue
        for k in keys:
            if common(k):
                uncovered[k] += m.weight
    if covered >= MOST_MEMBERS * total:
        return _surface(forms[best]), round(covered / total, 3)
    if uncovered:
        others = sorted(uncovered)
        vectors = embedder.encode([mask_pii(_surface(forms[k])) for k in [best, *others]]).astype(np.float64)
        near = vectors[1:] @ vectors[0]
        second = max(zip(others, near.tolist(), strict=True), key=lambda kc: (kc[1], kc[0]))[0]
        if covered + uncovered[second] >= MOST_MEMBERS * total:
            joiner = "・" if is_japanese_term(best) else ", "
            name = f"{_surface(forms[best])}{joiner}{_surface(forms[second])}"
            return name, round((covered + uncovered[second]) / total, 3)
    return _surface(forms[best]), round(use[best] / total, 3)


def topic_name(
    members: list[Member], corpus_df: Counter, n_corpus: int, embedder: Embedder
) -> tuple[str, float, bool] | None:
    """(name, support, japanese?) of a topic from its members, one phrase per language that holds at
    least a fifth of its mentions; None when its members share no phrase at all."""
    weight = {True: 0, False: 0}
    for m in members:
        weight[m.japanese] += m.weight
    total = sum(weight.values()) or 1
    languages = sorted((j for j in weight if weight[j] / total >= 0.2), key=lambda j: (-weight[j], j))
    parts, supports = [], []
    for japanese in languages:
        pool = [
            Member(m.text, frozenset(p for p in m.phrases if is_japanese_term(p) == japanese), m.weight, m.japanese)
            for m in members
            if m.japanese == japanese
        ]
        named = _one_language(pool, corpus_df, n_corpus, embedder)
        if named is not None:
            parts.append(named[0])
            supports.append((named[1], weight[japanese]))
    if not parts:
        return None
    support = sum(s * w for s, w in supports) / (sum(w for _, w in supports) or 1)
    return " / ".join(parts), round(support, 3), languages[0]
