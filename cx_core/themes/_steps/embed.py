"""Step 5, embed: the sentence embeddings the topics are found in (multilingual sentence encoder,
:class:`cx_core.themes._embed.Embedder`; personal data masked before anything is embedded).

"terms" level: the most said topical clauses, at most ``max_embedded`` (the rest are placed by
their key terms), and each of their key terms without feeling words. "meaning" level: whole
comments (distinct texts, the most frequent then the longest, at most ``max_embedded``) and, for
the comments that may change subject (two clauses or more that could stand alone), their clauses.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from .._embed import Embedder
from .._polarity import is_feeling_word
from .._redact import mask_pii
from .._segments import long_enough
from .data import Clauses, ClauseVectors, CommentVectors, OfflineSettings, Report, Vectors


def embed(clauses: Clauses, settings: OfflineSettings, embedder: Embedder, report: Report) -> Vectors:
    """The embeddings of the comments' topical text at ``settings.topic_level`` (None: nothing topical)."""
    if settings.topic_level == "meaning":
        return _comments(clauses, settings, embedder, report)
    return _clauses(clauses, settings, embedder, report)


def _clauses(clauses: Clauses, settings: OfflineSettings, embedder: Embedder, report: Report) -> ClauseVectors | None:
    units = clauses.clauses
    topical = clauses.topical()
    if not topical:
        return None
    df: Counter = Counter()
    for t in topical:
        for w in set(units[t].terms):
            df[w] += len(units[t].response_ids)
    total = sum(len(units[t].response_ids) for t in topical)
    idf = {w: math.log((1 + total) / (1 + c)) + 1.0 for w, c in df.items()}
    embedded = topical[: settings.max_embedded]
    report(0.15, "embedding")
    vectors = embedder.encode([units[t].masked for t in embedded]).astype(np.float32)
    report(0.6, "clustering")
    # Key terms are embedded one by one, so "sushi" and "salmon" meet though no clause has both.
    vocab = sorted({w for t in embedded for w in units[t].terms if not is_feeling_word(w)})
    table = embedder.encode(vocab).astype(np.float32) if vocab else np.zeros((0, 1), dtype=np.float32)
    return ClauseVectors(embedded, topical[settings.max_embedded :], vectors, idf, vocab, table)


def _comments(clauses: Clauses, settings: OfflineSettings, embedder: Embedder, report: Report) -> CommentVectors | None:
    units = clauses.clauses
    answers = clauses.answers
    rids = sorted({rid for t in clauses.topical() for rid in units[t].response_ids})
    if not rids:
        return None
    text_of = {rid: tuple(answers.clauses_of[rid]) for rid in rids}
    uses = Counter(text_of.values())
    ranked = sorted(uses, key=lambda k: (-uses[k], -sum(map(len, k)), k))
    chosen = ranked[: settings.max_embedded]
    chosen_set = set(chosen)
    report(0.15, "embedding")
    plain = answers.comments.plain
    whole_text = {key: mask_pii(plain[rid]) for rid, key in text_of.items() if key in chosen_set}
    whole = embedder.encode([whole_text[k] for k in chosen]).astype(np.float64)
    # Comments that may change subject: two clauses or more that could stand alone.
    candidates = [k for k in chosen if sum(units[c].topical and long_enough(c) for c in k) >= 2]
    clause_list = list(dict.fromkeys(c for k in candidates for c in k))[: settings.max_embedded]
    clause_vectors = embedder.encode([units[c].masked for c in clause_list]).astype(np.float64)
    report(0.6, "clustering")
    return CommentVectors(
        text_of,
        dict(uses),
        ranked,
        chosen,
        whole,
        candidates,
        {c: i for i, c in enumerate(clause_list)},
        clause_vectors,
    )
