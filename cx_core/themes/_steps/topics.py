"""Step 6, topics: what each mention is about.

"terms" (the former default, kept for comparison): each clause sits where its meaning and the meaning of its key terms
(without feeling words) meet; weighted spherical k-means with k = sqrt(comments / 2), at most
``max_themes``, pieces merged back at ``merge_threshold``; a topic above ``broad_share`` of the
comments is cut in two while the halves differ; small groups join the nearest topic when close
enough; clauses that were not embedded join the topic whose key terms they share.

"meaning" (the default): whole comments grouped by :func:`cx_core.themes._comment_topics.comment_topics`
(the number of topics at the knee of the dispersion curve, never capped; sub-themes with them); a
comment that changes subject ("Deliveries arrived late. Pricing is hard to understand") is cut into
parts (:mod:`cx_core.themes._segments`), each placed in its nearest topic
(:func:`cx_core.themes._comment_topics.place_cut_comments`), so it counts in both.
"""

from __future__ import annotations

import math

import numpy as np

from .._cluster import lexical_matrix, merge_close, spherical_kmeans
from .._comment_topics import comment_topics, place_cut_comments
from .._groups import centroids, nearest_by_terms
from .._naming import terms
from .._redact import mask_pii
from .._segments import long_enough, part_vectors, subject_parts
from .data import Clauses, ClauseVectors, CommentVectors, Mention, OfflineSettings, Report, Topics, Vectors


def find_topics(clauses: Clauses, vectors: Vectors, settings: OfflineSettings, report: Report) -> Topics:
    """The topic of each topical mention, numbered 0.. (largest first at the "terms" level)."""
    if isinstance(vectors, CommentVectors):
        return _comment_level(clauses, vectors, settings)
    if isinstance(vectors, ClauseVectors):
        return _clause_level(clauses, vectors, settings, report)
    return Topics(settings.topic_level)


def _topic_count(n_comments: int, max_topics: int) -> int:
    """How many topics to look for: the rule of thumb sqrt(n/2), at most ``max_topics``.

    18 comments get 3 topics, 100 get 8, 450 and more get ``max_topics``: few comments cannot
    support many themes, and a CX lead reads at most about fifteen.
    """
    return max(1, min(max_topics, math.ceil(math.sqrt(n_comments / 2))))


def _topic_space(v: ClauseVectors, term_lists: list[list[str]]) -> np.ndarray:
    """Where each clause sits by topic: its meaning and the meaning of its key terms, equally.

    A sentence encoder places "the waiter was rude" near "the soup was awful" (both complaints);
    the clause's key terms without their words of praise or complaint ("waiter" vs "soup") pull
    it towards what it is about. Terms are embedded one by one (IDF-weighted mean per clause), so
    "sushi" and "salmon" meet though no clause shares both words.
    """
    index = {w: i for i, w in enumerate(v.terms)}
    dim = v.term_table.shape[1] if v.terms else 1
    terms = np.zeros((len(term_lists), dim), dtype=np.float32)
    for i, words in enumerate(term_lists):
        for w in {w for w in words if w in index}:
            terms[i] += v.idf.get(w, 1.0) * v.term_table[index[w]]
    norms = np.linalg.norm(terms, axis=1, keepdims=True)
    x = v.vectors + terms / np.where(norms == 0, 1, norms)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms == 0, 1, norms)).astype(np.float32)


def _centroid_similarity(x: np.ndarray, weights: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    ca = (x[a] * weights[a, None]).sum(axis=0)
    cb = (x[b] * weights[b, None]).sum(axis=0)
    return float(ca @ cb / ((np.linalg.norm(ca) * np.linalg.norm(cb)) or 1.0))


def _clause_level(clauses: Clauses, v: ClauseVectors, settings: OfflineSettings, report: Report) -> Topics:
    units = clauses.clauses
    n_sub = clauses.n_substantive
    min_count = settings.min_count_of(n_sub)
    embedded, rest = v.embedded, v.rest
    term_lists = [units[t].terms for t in embedded + rest]
    x = _topic_space(v, term_lists[: len(embedded)])
    weights = np.array([len(units[t].response_ids) for t in embedded], dtype=np.float64)
    labels = spherical_kmeans(x, weights, _topic_count(n_sub, settings.max_themes))
    labels = merge_close(x.astype(np.float64), weights, labels, settings.merge_threshold)

    def ids_of(members: np.ndarray) -> set[str]:
        return {rid for i in np.flatnonzero(members) for rid in units[embedded[i]].response_ids}

    def done(topic_of: dict[str, int]) -> Topics:
        return Topics("terms", of_clause=topic_of, space=x, weights=weights, term_lists=term_lists)

    groups = {int(lab): ids_of(labels == lab) for lab in np.unique(labels)}
    big = sorted(
        (lab for lab, ids in groups.items() if len(ids) >= min_count), key=lambda lab: (-len(groups[lab]), lab)
    )
    big = big[: settings.max_themes]
    # A topic above the broad share is split in two while both halves stand as topics.
    next_label = int(labels.max()) + 1
    for _ in range(3):
        wide = [lab for lab in big if len(groups[lab]) > settings.broad_share * n_sub]
        if not wide:
            break
        lab = wide[0]
        members = np.flatnonzero(labels == lab)
        if len(members) < 4:
            break
        halves = spherical_kmeans(x[members], weights[members], 2)
        a, b = members[halves == 0], members[halves == 1]
        if len(a) == 0 or len(b) == 0 or _centroid_similarity(x, weights, a, b) >= settings.broad_split_below:
            break  # one topic said many ways: reported in ``broad_topics`` instead of cut in two
        labels[b] = next_label
        groups[lab] = ids_of(labels == lab)
        groups[next_label] = ids_of(labels == next_label)
        big.append(next_label)
        next_label += 1
        big = [g for g in big if len(groups[g]) >= min_count]
        big.sort(key=lambda g: (-len(groups[g]), g))
    if not big:
        return done({})
    cmat = centroids(x, weights, [labels == lab for lab in big])
    topic_of: dict[str, int] = {}
    position = {lab: i for i, lab in enumerate(big)}
    sims = x @ cmat.T
    for i, t in enumerate(embedded):
        lab = int(labels[i])
        if lab in position:
            topic_of[t] = position[lab]
        else:
            nearest = int(np.argmax(sims[i]))
            if sims[i, nearest] >= settings.attach_threshold:
                topic_of[t] = nearest
    if rest:
        lexical = lexical_matrix(term_lists[: len(embedded)], v.idf)
        rows_of = [[j for j, t in enumerate(embedded) if topic_of.get(t) == i] for i in range(len(big))]
        lmat = centroids(lexical, weights, rows_of).astype(np.float32)
        for start, best, similarity in nearest_by_terms(term_lists[len(embedded) :], v.idf, lmat):
            chunk = rest[start : start + len(best)]
            for j, t in enumerate(chunk):
                if similarity[j] >= settings.lexical_attach_threshold:
                    topic_of[t] = int(best[j])
            report(0.6 + 0.25 * min(1.0, (start + len(chunk)) / len(rest)), "assigning")
    return done(topic_of)


def _comment_level(clauses: Clauses, v: CommentVectors, settings: OfflineSettings) -> Topics:
    units = clauses.clauses
    min_count = settings.min_count_of(clauses.n_substantive)
    text_of, uses, ranked, chosen, whole = v.text_of, v.uses, v.ranked, v.chosen, v.whole
    whole_of = {k: i for i, k in enumerate(chosen)}
    cuts: dict[tuple[str, ...], tuple[list[int], np.ndarray]] = {}
    for key in v.candidates:
        if all(c in v.clause_row for c in key):
            cv = v.clause_vectors[[v.clause_row[c] for c in key]]
            weights = [float(len(c)) for c in key]
            cut = subject_parts(
                cv, weights, [units[c].topical and long_enough(c) for c in key], settings.subject_change
            )
            if max(cut) > 0:
                cuts[key] = (cut, part_vectors(cv, weights, cut))
    # Grouped as distinct texts, each weighted by the comments that wrote it: the same answer given
    # by many is one point of the grouping, whatever the order of the comments.
    rids = list(text_of)
    key_id = {key: f"c{i}" for i, key in enumerate(ranked)}
    rest = [key_id[k] for k in ranked[settings.max_embedded :]]
    clause_terms: dict[str, list[str]] = {}  # a clause said in many comments is read once
    for key in ranked if rest else []:
        for c in key:
            if c not in clause_terms:
                clause_terms[c] = terms(mask_pii(c))
    term_lists = {key_id[k]: [w for c in k for w in clause_terms[c]] for k in ranked} if rest else {}
    embedded = [key_id[k] for k in chosen]
    topic, sub = comment_topics(
        embedded,
        whole,
        rest,
        term_lists,
        min_count=min_count,
        attach_threshold=settings.attach_threshold,
        max_parts=settings.max_subthemes,
        same_topic=settings.topic_merge,
        weights=np.array([uses[k] for k in chosen], dtype=np.float64),
    )
    placed = place_cut_comments(
        [key_id[k] for k in cuts],
        {key_id[k]: whole[whole_of[k]] for k in cuts},
        {key_id[k]: cut[1] for k, cut in cuts.items()},
        embedded,
        whole,
        topic,
        sub,
        margin=settings.subject_margin,
        attach_threshold=settings.attach_threshold,
    )
    part_topic: dict[Mention, int] = {}
    part_sub: dict[Mention, int] = {}
    for rid in rids:
        key = text_of[rid]
        kid = key_id[key]
        topics_of_parts, subs_of_parts = placed.get(kid, ([None], [None]))
        if kid in placed and not (kid in topic and len(set(topics_of_parts)) == 1):
            parts = cuts[key][0]  # two subjects: each clause in its part's topic
        else:
            parts = [0] * len(key)  # one subject: where the grouping put the comment
            topics_of_parts, subs_of_parts = [topic.get(kid)], [sub.get(kid)]
        for c, p in zip(key, parts, strict=True):
            if (c, rid) in part_topic or (c, rid) in part_sub:
                continue  # a clause said twice keeps its first part
            if (found := topics_of_parts[p]) is not None:
                part_topic[(c, rid)] = found
            if (found := subs_of_parts[p]) is not None:
                part_sub[(c, rid)] = found
    return Topics("meaning", of_mention=part_topic, parts=part_sub)
