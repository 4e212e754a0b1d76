"""Deterministic clustering of weighted unit vectors: spherical k-means with a fixed seed."""

from __future__ import annotations

import math
import zlib
from collections import Counter

import numpy as np

LEX_DIM = 512
"""Width of the hashed key-term vectors (the sentence encoder's, so both can be stacked)."""


def lexical_matrix(term_lists: list[list[str]], idf: dict[str, float]) -> np.ndarray:
    """L2-normalised hashed TF-IDF of key terms (``(n, LEX_DIM)`` float32)."""
    out = np.zeros((len(term_lists), LEX_DIM), dtype=np.float32)
    for i, words in enumerate(term_lists):
        for w, c in Counter(words).items():
            out[i, zlib.crc32(w.encode("utf-8")) % LEX_DIM] += (1 + math.log(c)) * idf.get(w, 1.0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


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


def spherical_kmeans(
    x: np.ndarray, w: np.ndarray, k: int, *, restarts: int = 3, iterations: int = 30, seed: int = 0
) -> np.ndarray:
    """Labels of a weighted spherical k-means, k-means++ seeding, best of ``restarts`` (fixed seed).

    k-means++ seeds spread over the dense regions rather than the outliers, so topics follow
    where comments are; the fixed seed makes every run give the same answer.
    """
    n = len(x)
    k = max(1, min(k, n))
    rng = np.random.default_rng(seed)
    best_labels, best_score = np.zeros(n, dtype=np.int64), -np.inf
    for _ in range(restarts):
        first = int(rng.choice(n, p=w / w.sum()))
        centers = [first]
        closest = 1.0 - x @ x[first]
        for _ in range(1, k):
            mass = np.clip(closest, 0, None) * w
            if mass.sum() <= 0:
                break
            nxt = int(rng.choice(n, p=mass / mass.sum()))
            centers.append(nxt)
            np.minimum(closest, 1.0 - x @ x[nxt], out=closest)
        c = x[centers].astype(np.float64)
        labels = np.full(n, -1, dtype=np.int64)
        for _ in range(iterations):
            new = np.argmax(x @ c.T, axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            sums, weights = _weighted_sums(x, w, labels, len(c))
            keep = weights > 0
            c[keep] = sums[keep] / weights[keep, None]
            norms = np.linalg.norm(c, axis=1, keepdims=True)
            c = c / np.where(norms == 0, 1, norms)
        score = float((w * (x * c[labels]).sum(axis=1)).sum())
        if score > best_score:
            best_labels, best_score = labels, score
    _, best_labels = np.unique(best_labels, return_inverse=True)
    return best_labels.astype(np.int64)


def merge_close(x: np.ndarray, w: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Merge clusters while the average pairwise similarity of two of them is >= ``threshold``.

    For unit vectors the average pairwise cosine of two groups is the dot product of their
    weighted mean vectors (average linkage). k-means with a fixed k cuts a topic that has fewer
    natural groups into pieces (by phrasing, or by language: "納期が遅い" apart from "late
    delivery"); this puts the pieces back together. Labels are renumbered 0..k-1.
    """
    k = int(labels.max()) + 1 if len(labels) else 0
    if k < 2:
        return labels
    sums, mass = _weighted_sums(x, w, labels, k)
    alive = mass > 0
    means = np.where(alive[:, None], sums / np.where(mass == 0, 1, mass)[:, None], 0.0)
    owner = np.arange(k)
    while alive.sum() > 1:
        sim = means @ means.T
        sim[~alive, :] = -np.inf
        sim[:, ~alive] = -np.inf
        np.fill_diagonal(sim, -np.inf)
        i, j = divmod(int(np.argmax(sim)), k)
        if sim[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        means[i] = (means[i] * mass[i] + means[j] * mass[j]) / (mass[i] + mass[j])
        mass[i] += mass[j]
        alive[j] = False
        owner[owner == j] = i
    _, merged = np.unique(owner[labels], return_inverse=True)
    return merged.astype(np.int64)
