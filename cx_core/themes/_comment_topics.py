"""Topics of comments: what each comment (or each part of one) is about, from all it says.

The topic level of the offline engine (``OfflineSettings(topic_level="meaning")``, the default):
each comment's text (normalised, personal data masked) is embedded by the multilingual sentence
encoder and the comments are grouped by :func:`._topics.broad_topics` (number of topics at the knee
of the dispersion curve, never capped; groups then merge as :func:`_merged` says). A comment that changes subject is cut into parts
(:mod:`._segments`) and :func:`place_cut_comments` puts each part in its nearest topic. Clauses get
their own side (praise, complaint, request, mention), so one comment can praise and complain within
its topic, and the sub-themes of a topic are groups of its comments.

Why comments, not clauses: on the development half of a public set of tweets to airlines (human
categories), clauses cut from a tweet and grouped alone agree with people's categories at NMI
0.12, the clause with its comment's meaning added at 0.21, the whole comment at 0.25 (same
encoder, same choice of k). A cut clause ("Thanks", "2 hours now") has lost what it is about.

Above ``max_embedded`` comments, the most frequent and longest are embedded (they say most) and the
rest take the meaning their words predict (:func:`predicted_vectors`: a ridge regression of the
embedded comments' sentence vectors on their words) and join the nearest group before groups are
counted. On the development halves of the airline tweets (6,141 complaints, 11,335 tweets; 2,000
embedded) topic NMI went from 0.142 / 0.092 (placed by the key terms they share with each group) to
0.215 / 0.149; embedding every comment gives 0.184 / 0.152 at four times the time. Nothing here
builds a comments-by-comments matrix of all comments: the largest products are embedded by embedded
comments (the ridge's dual) and comments by groups.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import numpy as np

from ._cluster import _weighted_sums, merge_close, spherical_kmeans
from ._topics import broad_topics

SAME_TOPIC = 0.15
"""Two topics are one when their comments are this alike (mean pairwise cosine) beyond what two
groups of the set typically share (:func:`_merged`)."""
FEW_GROUPS_SAME_TOPIC = 0.35
"""With fewer than three groups (no typical pair to read), the former absolute threshold."""


def _unit_mean(x: np.ndarray) -> np.ndarray:
    c = x.sum(axis=0)
    return c / (np.linalg.norm(c) or 1.0)


def _merged(x: np.ndarray, w: np.ndarray, labels: np.ndarray, same_topic: float) -> np.ndarray:
    """Groups merged while two of them are ``same_topic`` alike (mean pairwise cosine of their
    comments) beyond what two groups of this set typically share (the median over pairs of groups):
    ``typical + same_topic * (1 - typical)``.

    An absolute threshold (0.35) read comments of one trade as one topic: banking messages joined two
    or three to a comment are 0.46 alike on average, and every group of them merged into one.
    """
    k = int(labels.max()) + 1 if len(labels) else 0
    if k < 3:
        return merge_close(x, w, labels, FEW_GROUPS_SAME_TOPIC)  # no typical pair among fewer than 3 groups
    sums, mass = _weighted_sums(x, w, labels, k)
    means = sums / np.where(mass == 0, 1, mass)[:, None]
    typical = float(np.median((means @ means.T)[np.triu_indices(k, 1)]))
    return merge_close(x, w, labels, typical + same_topic * (1.0 - typical))


RIDGE = 1.0
"""Ridge penalty of :func:`predicted_vectors` (rows are unit TF-IDF vectors, so 1 weighs one comment's
words against the prior of no meaning; NMI on the development tweets was flat from 0.3 to 3)."""


def _rows(lists: list[list[str]], index: dict[str, int], idf: dict[str, float]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each term list as (vocabulary columns, unit TF-IDF weights), terms outside ``index`` left out."""
    out = []
    for words in lists:
        counts = Counter(t for t in words if t in index)
        cols = np.fromiter((index[t] for t in counts), dtype=np.int64, count=len(counts))
        vals = np.fromiter(((1 + math.log(c)) * idf.get(t, 1.0) for t, c in counts.items()), dtype=np.float64)
        out.append((cols, vals / (np.linalg.norm(vals) or 1.0)))
    return out


def predicted_vectors(
    embedded_terms: list[list[str]], x: np.ndarray, other_terms: list[list[str]], idf: dict[str, float]
) -> np.ndarray:
    """Unit sentence vectors of comments that were not embedded, predicted from their words (zero rows
    for comments that share no word with an embedded comment).

    A linear map from words to meaning is learnt on the embedded comments (ridge regression of their
    sentence vectors ``x`` on their TF-IDF word vectors, solved in its dual form: embedded comments by
    embedded comments, built from each word's comments, never a dense comments-by-words matrix), then
    applied to the others' words. "2 hours on hold" lands where the embedded hold complaints are
    because "hold" and "hours" mostly appear in them, wherever the word's comments sit, which a
    comparison of words with each topic's words (the former placement) could not see. On the
    development tweets the topic of a comment placed this way is the one its own embedding would give
    for 55-60 % of comments (30-40 % by shared words) and topic agreement with people's categories is
    that of embedding every comment.
    """
    return _word_meanings(embedded_terms, x, idf)(other_terms)


def _word_meanings(
    embedded_terms: list[list[str]], x: np.ndarray, idf: dict[str, float]
) -> Callable[[list[list[str]]], np.ndarray]:
    """What :func:`predicted_vectors` learns, as a function of term lists (float32 unit rows), so the
    comments that were not embedded can be read in batches and no vector of theirs is kept."""
    n, dim = x.shape
    vocabulary = sorted({t for words in embedded_terms for t in words})
    index = {t: i for i, t in enumerate(vocabulary)}
    by_word = np.zeros((0, dim))
    if vocabulary:
        postings: list[list[tuple[int, float]]] = [[] for _ in vocabulary]
        for r, (cols, vals) in enumerate(_rows(embedded_terms, index, idf)):
            for c, v in zip(cols.tolist(), vals.tolist(), strict=True):
                postings[c].append((r, v))
        kernel = np.zeros((n, n))
        docs = []
        for posting in postings:
            d = np.fromiter((r for r, _ in posting), dtype=np.int64, count=len(posting))
            v = np.fromiter((v for _, v in posting), dtype=np.float64, count=len(posting))
            kernel[np.ix_(d, d)] += np.outer(v, v)
            docs.append((d, v))
        kernel[np.diag_indices(n)] += RIDGE
        dual = np.linalg.solve(kernel, x)
        by_word = np.stack([v @ dual[d] for d, v in docs])  # each word's contribution to a comment's meaning

    def predict(lists: list[list[str]]) -> np.ndarray:
        out = np.zeros((len(lists), dim), dtype=np.float32)
        for i, (cols, vals) in enumerate(_rows(lists, index, idf)):
            if len(cols):
                z = vals @ by_word[cols]
                out[i] = z / (np.linalg.norm(z) or 1.0)
        return out

    return predict


def comment_topics(
    rids: list[str],
    vectors: np.ndarray,
    rest: list[str],
    term_lists: dict[str, list[str]],
    *,
    min_count: int,
    attach_threshold: float,
    max_parts: int,
    same_topic: float = SAME_TOPIC,
    weights: np.ndarray | None = None,
) -> tuple[dict[str, int], dict[str, int]]:
    """(topic of each comment, part of each comment) for embedded comments ``rids`` (unit rows of
    ``vectors``; ``weights``: how many comments each row stands for, 1 when not given) and comments
    ``rest`` that were not embedded (placed by the meaning their key terms predict,
    :func:`predicted_vectors`; ``term_lists``: the key terms of each comment, embedded or not).

    Topics are numbered 0.. by size (all their comments, embedded or placed by key terms), topics as
    alike as ``same_topic`` beyond the set's baseline merged; a group below ``min_count`` comments
    joins the nearest topic when at least ``attach_threshold`` similar, else its comments have no
    topic. Parts are
    numbered across topics: each topic of n comments is cut by spherical k-means into at most
    ``min(sqrt(n / 2), max_parts)`` parts, parts below ``min_count`` or 5 % of the topic joining the
    nearest kept part; a topic that does not give two parts has none (its comments get no part).
    """
    if not rids:
        return {}, {}
    x = vectors.astype(np.float64)
    w = np.ones(len(rids)) if weights is None else np.asarray(weights, dtype=np.float64)
    labels = _merged(x, w, broad_topics(x, w, same_topic=np.inf)[0], same_topic)
    n_groups = int(labels.max()) + 1
    centres = np.stack([_unit_mean(x[labels == g] * w[labels == g, None]) for g in range(n_groups)])
    sizes = np.bincount(labels, weights=w, minlength=n_groups)
    # The comments that were not embedded join the group nearest the meaning their words predict
    # before groups are counted, so a group's size is that of all its comments.
    rest_group = np.zeros(len(rest), dtype=np.int64)
    rest_sims = np.zeros((len(rest), n_groups), dtype=np.float32)
    predict: Callable[[list[list[str]]], np.ndarray] | None = None
    if rest:
        vocabulary = Counter(t for r in [*rids, *rest] for t in set(term_lists.get(r, [])))
        n = len(rids) + len(rest)
        idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in vocabulary.items()}
        predict = _word_meanings([term_lists.get(r, []) for r in rids], x, idf)
        for start in range(0, len(rest), 4096):  # in batches: no vector of a comment not embedded is kept
            z = predict([term_lists.get(r, []) for r in rest[start : start + 4096]])
            rest_sims[start : start + len(z)] = z @ centres.T
            rest_group[start : start + len(z)] = np.where(z.any(axis=1), np.argmax(z @ centres.T, axis=1), -1)
        sizes += np.bincount(rest_group[rest_group >= 0], minlength=n_groups)
    big = sorted((g for g in range(n_groups) if sizes[g] >= min_count), key=lambda g: (-sizes[g], g))
    if not big:
        return {}, {}
    position = {g: i for i, g in enumerate(big)}
    topic: dict[str, int] = {}
    for ids, groups, sims in ((rids, labels, x @ centres[big].T), (rest, rest_group, rest_sims[:, big])):
        for i, rid in enumerate(ids):
            g = int(groups[i])
            if g in position:
                topic[rid] = position[g]
            elif g >= 0 and sims[i].max() >= attach_threshold:  # a comment of a group too small joins the nearest topic
                topic[rid] = int(np.argmax(sims[i]))
    parts: dict[str, int] = {}
    next_part = 0
    row = {rid: i for i, rid in enumerate(rids)}
    for t in range(len(big)):
        members = [rid for rid in rids if topic.get(rid) == t]
        mw = w[[row[r] for r in members]]
        k = min(max_parts, int(math.sqrt(mw.sum() / 2)), len(members))
        if k < 2:
            continue
        xs = x[[row[r] for r in members]].astype(np.float32)
        part = spherical_kmeans(xs, mw, k)
        size: Counter = Counter()
        for p, n in zip(part, mw, strict=True):
            size[int(p)] += n
        floor = max(min_count, 0.05 * mw.sum())
        kept = sorted((p for p, n in size.items() if n >= floor), key=lambda p: (-size[p], p))
        if len(kept) < 2:
            continue
        pcentres = np.stack([_unit_mean(xs[part == p]) for p in kept])
        nearest = np.argmax(xs @ pcentres.T, axis=1)
        index = {p: i for i, p in enumerate(kept)}
        for rid, p, near in zip(members, part, nearest, strict=True):
            parts[rid] = next_part + index.get(int(p), int(near))
        others = [rid for rid in rest if topic.get(rid) == t]  # not embedded: the nearest part
        if others and predict is not None:
            nearest = np.argmax(predict([term_lists.get(r, []) for r in others]) @ pcentres.T, axis=1)
            parts.update({rid: next_part + int(near) for rid, near in zip(others, nearest, strict=True)})
        next_part += len(kept)
    return topic, parts


def place_cut_comments(
    rids: list[str],
    whole: dict[str, np.ndarray],
    parts: dict[str, np.ndarray],
    members: list[str],
    member_vectors: np.ndarray,
    topic: dict[str, int],
    part_of: dict[str, int],
    *,
    margin: float,
    attach_threshold: float,
) -> dict[str, tuple[list[int | None], list[int | None]]]:
    """(topic of each part, sub-theme of each part) of comments that may change subject.

    ``whole``: each comment's embedding; ``parts``: its parts' embeddings (:mod:`._segments`);
    ``members``/``member_vectors``/``topic``/``part_of``: the comments grouped by
    :func:`comment_topics`, whose centres the parts are compared with. A comment is cut when a part
    is nearer another topic than the whole comment's, and every such part is at least ``margin``
    nearer (cosine) to that topic than to the comment's: "Deliveries arrived late. Pricing is hard
    to understand" is two subjects; "Flight delayed 3 hours, missed my connection" is one, said in
    two clauses. Otherwise every part takes the whole comment's topic. A part (or comment) less similar than
    ``attach_threshold`` to every topic gets none.
    """
    row = {r: i for i, r in enumerate(members)}
    n_topics = max(topic.values()) + 1 if topic else 0
    if not rids or not n_topics:
        return {}
    dim = member_vectors.shape[1]

    def centres_of(groups: dict[int, list[int]], n: int) -> np.ndarray:
        out = np.zeros((n, dim))
        for g, rows in groups.items():
            out[g] = _unit_mean(member_vectors[rows])
        return out

    by_topic: dict[int, list[int]] = {}
    by_part: dict[int, list[int]] = {}
    for r, i in row.items():
        if r in topic:
            by_topic.setdefault(topic[r], []).append(i)
        if r in part_of:
            by_part.setdefault(part_of[r], []).append(i)
    centres = centres_of(by_topic, n_topics)
    n_parts = max(by_part) + 1 if by_part else 0
    part_centres = centres_of(by_part, n_parts) if n_parts else np.zeros((0, dim))
    part_topic = {p: topic[members[rows[0]]] for p, rows in by_part.items()}

    def sub_for(v: np.ndarray, t: int | None) -> int | None:
        options = [p for p, pt in part_topic.items() if pt == t]
        if t is None or not options:
            return None
        return options[int(np.argmax(part_centres[options] @ v))]

    placed: dict[str, tuple[list[int | None], list[int | None]]] = {}
    for rid in rids:
        sw = centres @ whole[rid]
        own = int(np.argmax(sw))
        sp = parts[rid] @ centres.T
        nearest = np.argmax(sp, axis=1)
        best = sp[np.arange(len(nearest)), nearest]
        moved = nearest != own
        if moved.any() and float((best - sp[:, own])[moved].min()) >= margin:
            topics = [int(t) if b >= attach_threshold else None for t, b in zip(nearest, best, strict=True)]
            placed[rid] = (topics, [sub_for(v, t) for v, t in zip(parts[rid], topics, strict=True)])
        else:
            t = own if sw[own] >= attach_threshold else None
            placed[rid] = ([t] * len(parts[rid]), [sub_for(whole[rid], t)] * len(parts[rid]))
    return placed
