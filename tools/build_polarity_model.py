"""Build ``cx_core/themes/lexicons/polarity_model.npz``: negative / neutral / positive from a sentence's meaning.

The offline theme engine reads each clause's words first (``cx_core/themes/_polarity.py``). Word
lists miss what a sentence says without a listed word ("the fish was raw", "料理が冷めていた") and
misread sarcasm ("thanks for the 3 hour delay"). This model reads the whole clause: a softmax
logistic regression over the multilingual sentence encoder the engine already ships (USE v3, 512
dimensions), fitted on public human-labelled *general* sentiment data, three classes:

- tweets in English, French, German and Spanish (SemEval-2017 task 4 tweets, DEFT 2017, SB-10k,
  InterTASS 2017 as gathered in https://github.com/tyqiangz/multilingual-sentiment-datasets,
  folders ``data/{english,french,german,spanish}``);
- Japanese product reviews (Multilingual Amazon Reviews Corpus, 1 star negative, 3 neutral, 5
  positive, same repository, ``data/japanese``; only its ``valid`` split is in the snapshot we have).

None of them is an aspect-sentiment, intent or feedback-classification benchmark. The repository's
``train`` (and Japanese ``valid``) splits fit the model; its ``test`` splits are held out and the
accuracy on them is printed (nothing is tuned on them: the settings below were fixed before).
Licences of the sources differ (see ``bench/data/SOURCES.md``); only the fitted weights (512 x 3
numbers) are committed, no text.

Run: ``python -m tools.build_polarity_model PATH`` with PATH a checkout (or bare git mirror) of
that repository. Full-batch gradient descent from zero: the same data and encoder give the same
weights.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np

from cx_core.themes._embed import Embedder
from cx_core.themes._normalise import normalise_text

OUT = Path(__file__).resolve().parents[1] / "cx_core" / "themes" / "lexicons" / "polarity_model.npz"
CLASSES = ("negative", "neutral", "positive")
_FIT = {
    "english": ("train", "valid"),
    "french": ("train", "valid"),
    "german": ("train", "valid"),
    "spanish": ("train", "valid"),
    "japanese": ("valid",),
}
_HELD_OUT = {lang: ("test",) for lang in _FIT}
_ITERATIONS = 800
_LEARNING_RATE = 4.0
_L2 = 1e-4
_MAX_PER_LANGUAGE = 3000  # so Japanese reviews do not outweigh the tweets


def _read(root: Path, relative: str) -> str:
    if (root / relative).is_file():
        return (root / relative).read_text(encoding="utf-8")
    return subprocess.run(
        ["git", "-C", str(root), "show", f"HEAD:{relative}"], check=True, capture_output=True, text=True
    ).stdout


def load(root: Path, splits: dict[str, tuple[str, ...]]) -> list[tuple[str, str, int]]:
    """(language, text, class index) rows of the given splits, texts normalised as the engine does."""
    rows = []
    for language, names in splits.items():
        kept = []
        for name in names:
            for record in csv.DictReader(io.StringIO(_read(root, f"data/{language}/{name}.csv"))):
                text = normalise_text(record["text"])
                if text and record["label"] in CLASSES:
                    kept.append((language, text[:500], CLASSES.index(record["label"])))
        rows += kept[:_MAX_PER_LANGUAGE]
    return rows


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weights (dim x classes) and biases of an L2-regularised softmax regression."""
    onehot = np.eye(len(CLASSES))[y]
    w = np.zeros((x.shape[1], len(CLASSES)))
    b = np.zeros(len(CLASSES))
    for _ in range(_ITERATIONS):
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        w -= _LEARNING_RATE * (x.T @ (p - onehot) / len(y) + _L2 * w)
        b -= _LEARNING_RATE * (p - onehot).mean(axis=0)
    return w, b


def main(root: Path) -> None:
    embedder = Embedder("use")
    train = load(root, _FIT)
    test = load(root, _HELD_OUT)
    x = embedder.encode([t for _, t, _ in train]).astype(np.float64)
    y = np.array([c for _, _, c in train])
    w, b = fit(x, y)
    np.savez_compressed(OUT, weights=w.astype(np.float32), bias=b.astype(np.float32), classes=np.array(CLASSES))
    print(f"{len(train)} training texts -> {OUT}")
    xt = embedder.encode([t for _, t, _ in test]).astype(np.float64)
    predicted = np.argmax(xt @ w + b, axis=1)
    for language in _FIT:
        rows = [i for i, (lang, _, _) in enumerate(test) if lang == language]
        truth = np.array([test[i][2] for i in rows])
        accuracy = float((predicted[rows] == truth).mean())
        polar = truth != 1
        flipped = float(((predicted[rows] == 2 - truth) & polar).sum() / max(1, polar.sum()))
        print(
            f"held-out {language}: {len(rows)} texts, accuracy {accuracy:.3f}, polar texts read as the opposite {flipped:.3f}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
