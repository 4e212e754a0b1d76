"""Step 9, names: each topic's name, same-named topics merged, and the names of its parts.

A topic's name is a phrase most of its members share (support shown), or its most typical members'
phrase; at the "meaning" level :func:`cx_core.themes._topic_names.topic_name` first. Topics that get
the same name become one. A part (sub-theme) is named by what its members share beyond the
topic's own name. Phrases are compared by meaning with the sentence encoder, so this step embeds
candidate phrases and typical members of each topic.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np

from .._embed import Embedder
from .._naming import fold, is_japanese_term, name_theme, nameable
from .._topic_names import Member, topic_name
from .data import Clause, Clauses, Mention, Names, OfflineSettings, Parts, Sides

_NAME_PARTS = re.compile(r" / |, |・")
MOST_MEMBERS = 0.5
"""A name made of shared terms stands when at least this share of the topic's mentions use them."""
_TYPICAL_CANDIDATES = 200  # members (the most used) the typical one is looked for among
_TYPICAL_SHORTLIST = 20  # the name is a phrase of one of the members closest to the topic's centre


def name_topics(clauses: Clauses, sides: Sides, parts: Parts, settings: OfflineSettings, embedder: Embedder) -> Names:
    """Names of the topics (merged when the same) and of their parts."""
    units = clauses.clauses
    mentions = sides.mentions
    corpus_df: Counter = Counter()
    for unit in units.values():
        for p in unit.phrases:
            corpus_df[p] += len(unit.response_ids)
    n_corpus = sum(len(u.response_ids) for u in units.values())
    topic_names: dict[int, tuple[str, float, bool]] = {}
    for topic in sorted({k for k, _ in mentions}):
        members = sorted({t for (k, _s), ms in mentions.items() if k == topic for t, _ in ms})
        if settings.topic_level == "meaning":  # one phrase most members share, or the typical members'
            said = Counter(t for (k, _s), ms in mentions.items() if k == topic for t, _ in ms)
            pool = [Member(t, frozenset(units[t].phrases), said[t], units[t].japanese) for t in members]
            named = topic_name(pool, corpus_df, n_corpus, embedder)
            topic_names[topic] = named or _name(members, units, corpus_df, n_corpus)
            continue
        topic_names[topic] = _name(members, units, corpus_df, n_corpus, _closeness(members, units, embedder))
        if topic_names[topic][1] < MOST_MEMBERS:  # no phrase most members share: the typical member says it
            topic_names[topic] = _typical_name(members, units, embedder) or topic_names[topic]
    merged = _merge_same_names(mentions, topic_names)
    return Names(topic_names, merged, _sub_labels(merged, topic_names, units, corpus_df, n_corpus, parts))


def _merge_same_names(
    mentions: dict[tuple[int, str], list[Mention]], topic_names: dict[int, tuple[str, float, bool]]
) -> dict[tuple[int, str], list[Mention]]:
    """Topics whose members share the same name become one topic (two "pricing" themes confuse).

    The merged topic keeps the first (largest) topic's number and name; its support is the
    mention-weighted mean of the parts' supports.
    """
    size: Counter = Counter()
    for (topic, _side), ms in mentions.items():
        size[topic] += len(ms)
    first: dict[str, int] = {}
    target: dict[int, int] = {}
    for topic in sorted(topic_names, key=lambda k: (-size[k], k)):
        name = topic_names[topic][0]
        target[topic] = first.setdefault(name, topic)
    merged: dict[tuple[int, str], list[Mention]] = defaultdict(list)
    support: dict[int, float] = defaultdict(float)
    for (topic, side), ms in sorted(mentions.items()):
        merged[(target[topic], side)].extend(ms)
        support[target[topic]] += topic_names[topic][1] * len(ms)
    for topic, weighted in support.items():
        total = sum(len(ms) for (k, _s), ms in merged.items() if k == topic) or 1
        name, _support, japanese = topic_names[topic]
        topic_names[topic] = (name, round(weighted / total, 3), japanese)
    return merged


def _without(phrase: str, exclude: frozenset[str]) -> str:
    """``phrase`` without the words in ``exclude`` (folded): "card payment" under "card" -> "payment";
    "" when what is left may not name anything alone ("shipments delayed" under "shipments")."""
    if not exclude:
        return phrase
    rest = " ".join(w for w in phrase.split(" ") if fold(w) not in exclude)
    return rest if rest == phrase or nameable(rest) else ""


def _sub_labels(mentions, topic_names, units, corpus_df, n_corpus, parts: Parts) -> dict[tuple[int, int], str]:
    """The name of each (topic, sub-theme): what its members share beyond the topic's own name.

    "" for a part whose members say nothing more than the topic's words ("品質が悪い" under "品質"):
    the topic in general, worded in the reader's language where it is shown.
    """
    members: dict[tuple[int, int], set[str]] = defaultdict(set)
    for (topic, _side), ms in mentions.items():
        for t, rid in ms:
            if (sub := parts.of(t, rid)) >= 0:
                members[(topic, sub)].add(t)
    labels = {}
    for (topic, sub), ts in members.items():
        exclude = frozenset(fold(w) for p in _NAME_PARTS.split(topic_names[topic][0]) for w in p.split(" "))
        name, support, _japanese = _name(sorted(ts), units, corpus_df, n_corpus, exclude=exclude)
        labels[(topic, sub)] = name if support > 0 else ""  # nothing beyond the topic's own words
    return labels


def _closeness(members: list[str], units: dict[str, Clause], embedder: Embedder) -> dict[str, float]:
    """How close each phrase of a topic's members is to the topic as a whole (cosine, >= 0).

    The topic is the mention-weighted mean embedding of its members' common phrases; a phrase close to
    it ("dishes", "food") says what the members share better than one frequent member's word
    ("chicken"), though fewer members spell it out.
    """
    weights: Counter = Counter()
    for t in members:
        for p in units[t].phrases:
            weights[p] += len(units[t].response_ids)
    if not weights:
        return {}
    total = sum(len(units[t].response_ids) for t in members)
    # Only phrases that could become the name are embedded (the rule of ``name_theme``); the
    # centroid is taken over them too, weighted by use, which keeps naming cheap on 100k comments.
    candidates = sorted(p for p, n in weights.items() if n >= max(2, 0.05 * total) or total < 20)
    if not candidates:
        return {}
    vectors = embedder.encode(candidates).astype(np.float64)
    w = np.array([weights[p] for p in candidates], dtype=np.float64)
    centroid = (vectors * w[:, None]).sum(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    return {p: max(0.0, float(v)) for p, v in zip(candidates, vectors @ centroid, strict=True)}


def _typical_name(members: list[str], units: dict[str, Clause], embedder: Embedder) -> tuple[str, float, bool] | None:
    """(name, support, japanese?) from the topic's most typical members: of the members closest to the
    topic's centre (mention-weighted mean of their sentence embeddings), the two-word phrase that
    most of the topic's mentions use ("lost bag", "customer service"), with the share of mentions
    using it as support. None when the typical members share no two-word phrase with others."""
    ranked = sorted(members, key=lambda t: (-len(units[t].response_ids), t))[:_TYPICAL_CANDIDATES]
    if not ranked:
        return None
    vectors = embedder.encode([units[t].masked for t in ranked]).astype(np.float64)
    w = np.array([len(units[t].response_ids) for t in ranked], dtype=np.float64)
    centre = (vectors * w[:, None]).sum(axis=0)
    order = np.argsort(-(vectors @ (centre / (np.linalg.norm(centre) or 1.0))), kind="stable")
    central = [ranked[i] for i in order[:_TYPICAL_SHORTLIST]]
    use: Counter = Counter()  # mentions using each phrase (folded)
    said_by: Counter = Counter()  # distinct clauses using it
    for t in members:
        for p in {fold(p) for p in units[t].phrases}:
            use[p] += len(units[t].response_ids)
            said_by[p] += 1
    candidates = {fold(p): p for t in central for p in units[t].phrases if " " in p and said_by[fold(p)] >= 2}
    if not candidates:
        return None
    best = max(candidates, key=lambda k: (use[k], k))
    total = sum(len(units[t].response_ids) for t in members) or 1
    return candidates[best], round(use[best] / total, 3), is_japanese_term(candidates[best])


def _name(
    members: list[str],
    units: dict[str, Clause],
    corpus_df: Counter,
    n_corpus: int,
    closeness: dict[str, float] | None = None,
    exclude: frozenset[str] = frozenset(),
) -> tuple[str, float, bool]:
    """(name, support, japanese?) of a topic: one name per language with a real share of its members.

    ``exclude`` holds words (folded) a name may not use: a sub-theme says what its topic's name
    does not already say.
    """
    weight = {True: 0, False: 0}
    for t in members:
        weight[units[t].japanese] += len(units[t].response_ids)
    total = sum(weight.values()) or 1
    languages = sorted((j for j in weight if weight[j] / total >= 0.2), key=lambda j: (-weight[j], j))
    parts, supports = [], []
    for japanese in languages:
        pool = [
            (
                {q for p in units[t].phrases if is_japanese_term(p) == japanese and (q := _without(p, exclude))},
                len(units[t].response_ids),
            )
            for t in members
            if units[t].japanese == japanese
        ]
        name = name_theme(pool, corpus_df, n_corpus, closeness, widen_weak=not exclude)  # sub-names stay short
        if name.text:
            parts.append(name.text)
            supports.append((name.support, weight[japanese]))
    if not parts:  # members share no term (each says it differently): say so rather than pick one
        return ("その他の話題" if languages and languages[0] else "Other topics"), 0.0, bool(languages and languages[0])
    support = sum(s * w for s, w in supports) / (sum(w for _, w in supports) or 1)
    return " / ".join(parts), round(support, 3), languages[0]
