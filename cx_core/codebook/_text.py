"""Clauses of a comment, their side (praise/complaint/neutral), and vectors that do not depend on the batch."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..themes import Embedder, clause_polarity, is_non_answer, mask_pii, ngram_vectors, polarity_score, split_units

_POLARITY_SIDE = {"positive": "praise", "negative": "complaint", "neutral": "neutral"}
_CHUNK = 512


def clauses(text: str) -> list[str]:
    """The sentences/clauses of a comment that say something (non-answers dropped)."""
    return [p for p in split_units(str(text)) if p.strip() and not is_non_answer(p)]


def clause_sides(parts: list[str], nps: float | None, memo: dict | None = None) -> list[str]:
    """The side of each clause: its own words, else its comment's other clauses, else the score.

    Mirrors the offline engine's order of evidence, so the side a codebook gives a mention is the
    side the engine gave it. ``memo`` keeps each clause's words' verdict for one run (comments
    repeat clauses); it is the caller's, never shared between sessions.
    """
    memo = {} if memo is None else memo
    judged = []
    for p in parts:
        if p not in memo:
            masked = mask_pii(p)
            score = polarity_score(masked)
            memo[p] = (score, None if score is None else _POLARITY_SIDE[clause_polarity(masked)])
        judged.append(memo[p])
    scores = [s for s, _ in judged]
    sides: list[str] = []
    for i, part in enumerate(parts):
        own = judged[i][1]
        if own is not None:
            sides.append(own)
            continue
        context = sum(s for j, s in enumerate(scores) if j != i and s is not None)
        asks = part.rstrip().endswith(("?", "？", "か"))
        if abs(context) >= 0.05 and (context < 0 or not asks):
            sides.append("praise" if context > 0 else "complaint")
        elif nps is not None and not (isinstance(nps, float) and math.isnan(nps)) and (nps <= 4 or nps >= 9):
            sides.append("complaint" if nps <= 4 else ("neutral" if asks else "praise"))
        else:
            sides.append("neutral")
    return sides


def allowed(theme_side: str, clause_side: str) -> bool:
    """Whether a theme of ``theme_side`` takes a mention on ``clause_side`` ("" takes any)."""
    if not theme_side:
        return True
    if theme_side == "request":  # a wish is said neutrally or as a complaint ("no export, please add one")
        return clause_side in ("neutral", "complaint")
    return theme_side == clause_side


def encode(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """Unit vectors of ``texts`` where each text's vector depends on that text alone.

    The sentence encoder already works so; the character n-gram fallback weighs n-grams by the batch,
    so there each text is encoded alone (a comment must get the same theme whatever else is loaded).
    """
    if getattr(embedder, "kind", "use") != "ngram":
        return np.asarray(embedder.encode(texts), dtype=np.float32)
    if not texts:
        return np.zeros((0, 2**14), dtype=np.float32)
    return np.vstack([ngram_vectors([t]) for t in texts]).astype(np.float32)


def best_matches(queries: np.ndarray, examples: np.ndarray, owners: list[int], n_owners: int) -> Iterable[np.ndarray]:
    """Per chunk of query rows: the best similarity of each query to each owner's examples
    (``(rows, n_owners)``), computed in chunks so memory stays bounded."""
    owner_index = np.asarray(owners, dtype=np.int64)
    for start in range(0, len(queries), _CHUNK):
        sims = queries[start : start + _CHUNK] @ examples.T
        best = np.full((sims.shape[0], n_owners), -1.0, dtype=np.float32)
        if sims.size:
            np.maximum.at(best.T, owner_index, sims.T)
        yield best
