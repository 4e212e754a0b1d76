"""Cut a comment where it changes subject, and nowhere else.

The topic level groups what people talk about; a comment that speaks of one thing ("My bag was
lost, nobody at the desk knew where it was") is one unit, because its clauses alone have lost what
they are about ("nobody knew where it was"). A comment that speaks of two ("Deliveries arrived
late again. Pricing is hard to understand") is two units, so it counts in both topics.

The rule reads the sentence encoder: clauses are taken in order, and a clause starts a new part
when its meaning is far from the part so far (cosine to the part's length-weighted mean below
``threshold``) and both the clause and the part so far say something topical and are long enough
to stand alone. Everything else (thanks, "2 hours now", a clause with no topical word) stays with
its neighbours. A part's meaning is the length-weighted mean of its clauses' embeddings.
"""

from __future__ import annotations

import re

import numpy as np

from ._split import is_japanese

MIN_WORDS = 3
MIN_JA_CHARS = 5
"""A clause of fewer words (Japanese: kana and kanji) never starts a part of its own: "2 hours now"
belongs to what came before; "納期が遅い" (5) can stand alone."""


def long_enough(text: str) -> bool:
    """True for a clause that can stand as a subject of its own."""
    if is_japanese(text):
        return len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff]", text)) >= MIN_JA_CHARS
    return len(re.findall(r"\w+", text)) >= MIN_WORDS


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) or 1.0)


def subject_parts(vectors: np.ndarray, weights: list[float], anchors: list[bool], threshold: float) -> list[int]:
    """The part (0, 1, ...) of each clause of one comment, in order.

    ``vectors``: the clauses' unit embeddings; ``weights``: their lengths; ``anchors``: whether each
    clause may start a part (topical and long enough). A part ends where an anchor clause is less
    similar than ``threshold`` to the part so far, which itself holds an anchor.
    """
    parts: list[int] = []
    total = np.zeros(vectors.shape[1], dtype=np.float64) if len(vectors) else np.zeros(1)
    has_anchor = False
    current = 0
    for v, w, anchor in zip(vectors, weights, anchors, strict=True):
        if parts and anchor and has_anchor and float(_unit(total) @ v) < threshold:
            current += 1
            total = np.zeros_like(total)
            has_anchor = False
        parts.append(current)
        total = total + w * v
        has_anchor = has_anchor or anchor
    return parts


def part_vectors(vectors: np.ndarray, weights: list[float], parts: list[int]) -> np.ndarray:
    """The unit length-weighted mean embedding of each part (rows in part order)."""
    out = np.zeros((max(parts) + 1 if parts else 0, vectors.shape[1]), dtype=np.float64)
    for v, w, p in zip(vectors, weights, parts, strict=True):
        out[p] += w * v
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)
