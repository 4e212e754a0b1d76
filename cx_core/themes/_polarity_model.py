"""The sentence-space polarity model: (negative, neutral, positive) probabilities of embedded texts.

``lexicons/polarity_model.npz`` is built by ``tools/build_polarity_model.py`` from public
human-labelled general sentiment data (tweets in EN/FR/DE/ES, Japanese product reviews; sources and
licences in ``bench/data/SOURCES.md``). It is either a softmax regression (``weights``, ``bias``)
or one hidden ReLU layer before it (``hidden``, ``hidden_bias``), over the 512-dimension USE
embeddings the engine already computes. Shipped in the repository; nothing is downloaded.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

_PATH = Path(__file__).with_name("lexicons") / "polarity_model.npz"
CLASSES = ("negative", "neutral", "positive")


@lru_cache(maxsize=1)
def polarity_model() -> dict[str, np.ndarray] | None:
    """The model's arrays (float32), or None when it is not shipped or not of the expected classes."""
    if not _PATH.is_file():
        return None
    with np.load(_PATH) as data:
        if tuple(str(c) for c in data["classes"]) != CLASSES:
            return None
        return {k: data[k].astype(np.float32) for k in ("weights", "bias", "hidden", "hidden_bias") if k in data}


def input_dimension() -> int | None:
    """The embedding size the model reads (512 for USE), or None without a model."""
    model = polarity_model()
    if model is None:
        return None
    return int((model["hidden"] if "hidden" in model else model["weights"]).shape[0])


def probabilities(vectors: np.ndarray) -> np.ndarray | None:
    """Rows of (negative, neutral, positive) probabilities for embedded texts, or None when the model
    is missing or was fitted on embeddings of another size (the n-gram fallback embedder)."""
    model = polarity_model()
    if model is None or vectors.ndim != 2 or vectors.shape[1] != input_dimension():
        return None
    x = vectors.astype(np.float32)
    if "hidden" in model:
        x = np.maximum(x @ model["hidden"] + model["hidden_bias"], 0)
    logits = x @ model["weights"] + model["bias"]
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


# -- the character n-gram polarity model: reads every comment, embedded or not ------------------

_NGRAM_PATH = Path(__file__).with_name("lexicons") / "polarity_ngrams.npz"
NGRAM_BUCKETS = 2**17
NGRAM_SIZES = (1, 2, 3, 4)
_MULTIPLIER = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of h * _MIX pick the bucket
_SHIFT = np.uint64(64 - 17)
_NGRAM_BATCH = 2_000  # texts hashed at once (a text's reading never depends on the others read with it)


def ngram_occurrences(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every character n-gram (1 to 4 characters) of the texts, NFKC, lower case, whitespace
    collapsed, a space at both ends: (row of its text, hashed bucket in ``[0, NGRAM_BUCKETS)``).
    The hash is integer arithmetic on code points, the same in every process and on every machine;
    all texts are hashed at once (a few numpy operations), so reading 10,000 comments costs little."""
    norm = [" " + " ".join(unicodedata.normalize("NFKC", t).lower().replace("\x00", " ").split()) + " " for t in texts]
    codes = np.frombuffer("\x00".join(norm).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    row = np.repeat(np.arange(len(norm)), [len(t) + 1 for t in norm])[: len(codes)]
    zeros = np.concatenate([[0], np.cumsum(codes == 0)])
    rows, buckets = [], []
    h = np.zeros(len(codes), dtype=np.uint64)
    for n in NGRAM_SIZES:
        if len(codes) < n:
            break
        h = h[: len(codes) - n + 1] * _MULTIPLIER + codes[n - 1 :] + np.uint64(n)  # wraps modulo 2**64
        clean = zeros[n:] == zeros[: len(codes) - n + 1]  # no separator inside the n-gram
        rows.append(row[: len(codes) - n + 1][clean])
        buckets.append(((h[clean] * _MIX) >> _SHIFT).astype(np.int64))
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(buckets)


def ngram_logits(
    n_texts: int, rows: np.ndarray, buckets: np.ndarray, weights: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    """Logits of texts from their n-gram occurrences: the bias plus the sum of their n-grams'
    weights divided by the square root of their number."""
    counts = np.bincount(rows, minlength=n_texts).astype(np.float64)
    picked = weights[buckets]
    out = np.stack([np.bincount(rows, picked[:, c], minlength=n_texts) for c in range(weights.shape[1])], axis=1)
    return out / np.sqrt(np.maximum(counts, 1))[:, None] + bias


@lru_cache(maxsize=1)
def ngram_model() -> dict[str, np.ndarray] | None:
    """The n-gram model's arrays (``weights``: buckets x 3, ``bias``), or None when not shipped."""
    if not _NGRAM_PATH.is_file():
        return None
    with np.load(_NGRAM_PATH) as data:
        if tuple(str(c) for c in data["classes"]) != CLASSES or data["weights"].shape[0] != NGRAM_BUCKETS:
            return None
        return {"weights": data["weights"].astype(np.float32), "bias": data["bias"].astype(np.float32)}


def ngram_probabilities(texts: list[str]) -> np.ndarray | None:
    """Rows of (negative, neutral, positive) probabilities of texts from their character n-grams,
    or None when the model is not shipped."""
    model = ngram_model()
    if model is None:
        return None
    # In batches: the occurrences take about 100 bytes per character, 2 GB for 100,000 comments at once.
    parts = []
    for start in range(0, len(texts), _NGRAM_BATCH):
        batch = texts[start : start + _NGRAM_BATCH]
        rows, buckets = ngram_occurrences(batch)
        parts.append(ngram_logits(len(batch), rows, buckets, model["weights"], model["bias"]))
    logits = np.concatenate(parts) if parts else np.zeros((0, len(CLASSES)))
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)
