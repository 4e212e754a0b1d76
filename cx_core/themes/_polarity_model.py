"""The sentence-space polarity model: (negative, neutral, positive) probabilities of embedded texts.

``lexicons/polarity_model.npz`` is built by ``tools/build_polarity_model.py`` from public
human-labelled general sentiment data (tweets in EN/FR/DE/ES, Japanese product reviews; sources and
licences in ``bench/data/SOURCES.md``). It is either a softmax regression (``weights``, ``bias``)
or one hidden ReLU layer before it (``hidden``, ``hidden_bias``), over the 512-dimension USE
embeddings the engine already computes. Shipped in the repository; nothing is downloaded.
"""

from __future__ import annotations

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
