"""Deterministic clustering of weighted unit vectors (no random state at all).

Average-linkage agglomerative clustering on cosine similarity: for unit vectors the average
pairwise similarity of two groups is the dot product of their (weighted) mean vectors, so each
merge costs one row update. Above ``max_points`` distinct vectors, a deterministic k-means
(farthest-point seeding from the heaviest point) first reduces them to ``max_points`` centroids.
"""

from __future__ import annotations

import numpy as np


def _weighted_sums(x: np.ndarray, w: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-label sums of ``x * w`` and of ``w`` (sorted segments: much faster than ``np.add.at``)."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    present = sorted_labels[starts]
    sums = np.zeros((k, x.shape[1]), dtype=np.float64)
    sums[present] = np.add.reduceat(x[order] * w[order, None], starts, axis=0)
    weights = np.bincount(labels, weights=w, minlength=k)
    return sums, weights


def _kmeans(x: np.ndarray, w: np.ndarray, k: int, iterations: int = 8) -> np.ndarray:
    """Labels of a weighted k-means with deterministic farthest-point seeding."""
    first = int(np.argmax(w))
    centers = [first]
    best = x @ x[first]
    for _ in range(1, k):
        nxt = int(np.argmin(best))
        centers.append(nxt)
        np.maximum(best, x @ x[nxt], out=best)
    c = x[centers].astype(x.dtype)
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        new = np.argmax(x @ c.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        sums, weights = _weighted_sums(x, w, labels, k)
        keep = weights > 0
        c[keep] = (sums[keep] / weights[keep, None]).astype(c.dtype)
        norms = np.linalg.norm(c, axis=1, keepdims=True)
        c = c / np.where(norms == 0, 1, norms)
    return labels


def agglomerate(x: np.ndarray, w: np.ndarray, threshold: float, max_points: int = 600) -> np.ndarray:
    """Cluster labels (0..k-1) for unit vectors ``x`` with weights ``w``.

    Groups keep merging while their average pairwise cosine similarity is at least ``threshold``.
    """
    n = len(x)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    base = np.arange(n)
    if n > max_points:
        base = _kmeans(x, w, max_points)
        k = int(base.max()) + 1
        sums, weights = _weighted_sums(x, w, base, k)
        used = np.flatnonzero(weights > 0)
        remap = np.full(k, -1)
        remap[used] = np.arange(len(used))
        base = remap[base]
        means = sums[used] / weights[used, None]
        mass = weights[used]
    else:
        means = x.astype(np.float64)
        mass = w.astype(np.float64)
    m = len(means)
    sim = means @ means.T
    np.fill_diagonal(sim, -np.inf)
    alive = np.ones(m, dtype=bool)
    owner = np.arange(m)
    while m > 1:
        flat = int(np.argmax(sim))
        i, j = divmod(flat, sim.shape[1])
        if sim[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        total = mass[i] + mass[j]
        means[i] = (means[i] * mass[i] + means[j] * mass[j]) / total
        mass[i] = total
        alive[j] = False
        owner[owner == j] = i
        row = means @ means[i]
        row[~alive] = -np.inf
        row[i] = -np.inf
        sim[i, :] = row
        sim[:, i] = row
        sim[j, :] = -np.inf
        sim[:, j] = -np.inf
        m -= 1
    roots = owner[base]
    _, labels = np.unique(roots, return_inverse=True)
    return labels.astype(np.int64)
