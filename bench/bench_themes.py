"""Benchmark: offline verbatim themes on synthetic comments (10,000 and 100,000 responses).

Ours: the full offline engine (non-answers, clause split, multilingual embeddings cached per
distinct clause, deterministic clustering, labels, quotes, stats).
Baseline, measured in the same run: the textbook approach, hashed character 2-3-gram TF-IDF over
every comment + k-means (k = 8, 10 iterations) in numpy: one topic per comment, no labels, no
quotes, no Japanese/English matching.

Note: synthetic comments reuse the sample's theme sentences, so there are few distinct clauses and
embedding is cheap; on real text every distinct clause is embedded once (roughly 150-200 clauses
per second per core with the pure-numpy encoder), which then dominates.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from bench.synthetic import NPS_COLUMN, synthetic_frames
from cx_core.themes import CommentRecord, Embedder, extract_themes, ngram_vectors


def _comments(n: int) -> list[CommentRecord]:
    survey, _ = synthetic_frames(n, max(n // 15, 10), seed=7)
    return [
        CommentRecord(str(r), str(c), float(s))
        for r, c, s in zip(survey["Response ID"], survey["Comment"], survey[NPS_COLUMN], strict=True)
        if c
    ]


def _baseline(texts: list[str], k: int = 8, iterations: int = 10) -> np.ndarray:
    x = ngram_vectors(texts, dim=512)
    centers = x[np.linspace(0, len(x) - 1, k).astype(int)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        labels = np.argmax(x @ centers.T, axis=1)
        for j in range(k):
            members = x[labels == j]
            if len(members):
                centers[j] = members.mean(axis=0)
    return labels


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(sizes: list[int]) -> list[dict]:
    """One row per size: ours vs the TF-IDF + k-means baseline (median of repeats, same run)."""
    Embedder().encode(["warm up the encoder once"])  # model load is per process, not per run
    rows = []
    for size in sizes:
        comments = _comments(size)
        texts = [c.text for c in comments]
        repeats = 3 if size <= 20_000 else 1
        result = extract_themes(comments)
        ours = _median_time(lambda c=comments: extract_themes(c), repeats)
        base = _median_time(lambda t=texts: _baseline(t), repeats)
        rows.append(
            {
                "area": "themes",
                "case": "offline themes (EN+JA comments)",
                "size": size,
                "ours_s": round(ours, 3),
                "baseline": "char n-gram TF-IDF + k-means (numpy)",
                "baseline_s": round(base, 3),
                "ratio": round(ours / base, 3) if base else None,
                "note": f"{len(comments):,} non-empty comments -> {len(result.themes)} themes, "
                f"{100 * result.uncovered_share:.1f}% uncovered; median of {repeats}; few distinct clauses "
                "(synthetic), so embedding is cached",
            }
        )
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run([10_000, 100_000]):
        print(row)
