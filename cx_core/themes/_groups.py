"""Shared arithmetic of groups of vectors, for the topics and parts steps of the offline engine."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ._cluster import lexical_matrix


def centroids(x: np.ndarray, weights: np.ndarray, groups: list) -> np.ndarray:
    """The unit-length weighted mean of each group's rows of ``x`` (a group: row indices or a mask)."""
    out = []
    for rows in groups:
        c = (x[rows] * weights[rows, None]).sum(axis=0)
        out.append(c / (np.linalg.norm(c) or 1.0))
    return np.stack(out)


def nearest_by_terms(
    term_lists: list[list[str]], idf: dict[str, float], centres: np.ndarray
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """For clauses that were not embedded, in chunks: (first position, nearest centroid by key terms,
    its similarity), so 100k clauses never need one big matrix."""
    for start in range(0, len(term_lists), 4096):
        sims = lexical_matrix(term_lists[start : start + 4096], idf) @ centres.T
        best = np.argmax(sims, axis=1)
        yield start, best, sims[np.arange(len(best)), best]
