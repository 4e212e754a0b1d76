"""Build ``cx_core/themes/lexicons/polarity_classifier.npy``: praise vs complaint in the sentence space.

The offline theme engine judges a clause by its words first (VADER and our seed lists, see
``cx_core/themes/_polarity.py``). Many clauses carry no listed word ("the fish was raw",
"料理が冷めていた"); for those, a linear classifier in the multilingual sentence encoder's space
decides. It is built here from the same general-purpose word lists and nothing else:

- every single word of the VADER lexicon (MIT licence) with ``|valence| >= 0.5``, alone and in two
  neutral frames ("It was {w}.", "The service was {w}.");
- our hand-written Japanese, French, German and Spanish seed words, alone and in neutral frames.

No labelled review, complaint or feedback set is used (those are how ``bench/bench_theme_quality.py``
checks us). Because the encoder places languages in one space, words listed mainly in English
teach the classifier about Japanese sentences too.

Plain logistic regression, full-batch gradient descent from zero, so the result is deterministic
for a given encoder. Run ``python -m tools.build_polarity_classifier`` after changing the lexicons;
the output is 513 float32 numbers (512 weights and a bias).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cx_core.themes._embed import Embedder
from cx_core.themes._polarity import _JA_SEED, _SEEDS, _english

OUT = Path(__file__).resolve().parents[1] / "cx_core" / "themes" / "lexicons" / "polarity_classifier.npy"
_EN_FRAMES = ("{w}", "It was {w}.", "The service was {w}.")
_JA_FRAMES = ("{w}", "{w}です。", "対応が{w}")
_OTHER_FRAMES = ("{w}", "{w}!")
_MIN_VALENCE = 0.5
_ITERATIONS = 600
_LEARNING_RATE = 5.0
_L2 = 1e-3


def training_pairs() -> list[tuple[str, bool]]:
    """(text, is_praise) pairs from the general-purpose word lists."""
    pairs = []
    for word, valence in sorted(_english().items()):
        if abs(valence) >= _MIN_VALENCE and word.isalpha():
            pairs += [(frame.format(w=word), valence > 0) for frame in _EN_FRAMES]
    for word, valence in sorted(_JA_SEED.items()):
        pairs += [(frame.format(w=word), valence > 0) for frame in _JA_FRAMES]
    for language in ("fr", "de", "es"):
        for word, valence in sorted(_SEEDS[language][0].items()):
            if abs(valence) >= _MIN_VALENCE:
                pairs += [(frame.format(w=word), valence > 0) for frame in _OTHER_FRAMES]
    return pairs


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weights and bias (last element) of an L2-regularised logistic regression."""
    w = np.zeros(x.shape[1])
    b = 0.0
    for _ in range(_ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        w -= _LEARNING_RATE * (x.T @ (p - y) / len(y) + _L2 * w)
        b -= _LEARNING_RATE * float((p - y).mean())
    return np.append(w, b).astype(np.float32)


def main() -> None:
    embedder = Embedder("use")
    pairs = training_pairs()
    x = embedder.encode([text for text, _ in pairs]).astype(np.float64)
    y = np.array([praise for _, praise in pairs], dtype=np.float64)
    weights = fit(x, y)
    accuracy = float((((x @ weights[:-1] + weights[-1]) > 0) == (y > 0)).mean())
    np.save(OUT, weights)
    print(f"{len(pairs)} training texts, training accuracy {accuracy:.3f} -> {OUT}")


if __name__ == "__main__":
    main()
