"""Step 8, parts: each topic cut one level further, for the drill-down of a theme (its sub-themes).

"terms" level: a topic of n comments is cut by the same weighted spherical k-means into at most
``min(sqrt(n / 2), max_subthemes)`` parts; a part with fewer than ``min_count`` comments or 5 % of
the topic joins the nearest larger part, and a topic that does not give two parts is left whole.
Clauses that were not embedded join the part whose key terms they share most. "meaning" level: the
parts were found with the topics (:func:`cx_core.themes._comment_topics.comment_topics` groups each
topic's comments); they are taken as they are.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from .._cluster import lexical_matrix, spherical_kmeans
from .._groups import centroids, nearest_by_terms
from .data import Clauses, ClauseVectors, OfflineSettings, Parts, Topics, Vectors


def find_parts(clauses: Clauses, vectors: Vectors, topics: Topics, settings: OfflineSettings) -> Parts:
    """The sub-theme of each clause (or mention) that has one."""
    if topics.level == "meaning":
        return Parts(of_mention=dict(topics.parts))
    if not isinstance(vectors, ClauseVectors) or topics.space is None or topics.weights is None:
        return Parts()
    units = clauses.clauses
    embedded, rest, topic_of = vectors.embedded, vectors.rest, topics.of_clause
    x, weights, term_lists, idf = topics.space, topics.weights, topics.term_lists, vectors.idf
    min_count = settings.min_count_of(clauses.n_substantive)
    sub: dict[str, int] = {}
    lexical = lexical_matrix(term_lists[: len(embedded)], idf) if rest else None
    positions = {t: len(embedded) + i for i, t in enumerate(rest)}
    rest_by_topic: dict[int, list[str]] = defaultdict(list)
    for t in rest:
        if t in topic_of:
            rest_by_topic[topic_of[t]].append(t)
    next_sub = 0
    for topic in sorted(set(topic_of.values())):
        rows = np.array([j for j, t in enumerate(embedded) if topic_of.get(t) == topic], dtype=np.int64)
        if len(rows) < 2:
            continue
        ids = [set(units[embedded[j]].response_ids) for j in rows]
        n_comments = len(set().union(*ids))
        k = min(settings.max_subthemes, int(math.sqrt(n_comments / 2)), len(rows))
        if k < 2:
            continue
        labels = spherical_kmeans(x[rows], weights[rows], k)
        size = {lab: len(set().union(*(ids[r] for r in np.flatnonzero(labels == lab)))) for lab in np.unique(labels)}
        floor = max(min_count, 0.05 * n_comments)
        kept = sorted((lab for lab, n in size.items() if n >= floor), key=lambda lab: (-size[lab], lab))
        if len(kept) < 2:
            continue
        nearest = np.argmax(x[rows] @ centroids(x, weights, [rows[labels == lab] for lab in kept]).T, axis=1)
        position = {lab: i for i, lab in enumerate(kept)}
        parts = np.array([position.get(int(lab), int(near)) for lab, near in zip(labels, nearest, strict=True)])
        for r, part in zip(rows, parts, strict=True):
            sub[embedded[r]] = next_sub + int(part)
        members = rest_by_topic.get(topic, [])
        if lexical is not None and members:
            lmat = centroids(lexical, weights, [rows[parts == part] for part in range(len(kept))]).astype(np.float32)
            member_terms = [term_lists[positions[t]] for t in members]
            for start, best, _similarity in nearest_by_terms(member_terms, idf, lmat):
                for t, part in zip(members[start : start + len(best)], best, strict=True):
                    sub[t] = next_sub + int(part)
        next_sub += len(kept)
    return Parts(of_clause=sub)
