"""Build ``cx_core/themes/lexicons/polarity_model.npz``: negative / neutral / positive from a sentence's meaning.

The offline theme engine reads each clause's words first (``cx_core/themes/_polarity.py``). Word
lists miss what a sentence says without a listed word ("the fish was raw", "料理が冷めていた") and
misread sarcasm ("thanks for the 3 hour delay"). This model reads the whole clause: a small
classifier over the multilingual sentence encoder the engine already ships (USE v3, 512
dimensions), fitted on public human-labelled *general* sentiment data, three classes:

- tweets in English, French, German and Spanish (SemEval-2017 task 4 tweets, DEFT 2017, SB-10k,
  InterTASS 2017 as gathered in https://github.com/tyqiangz/multilingual-sentiment-datasets,
  folders ``data/{english,french,german,spanish}``);
- Japanese product reviews (Multilingual Amazon Reviews Corpus, 1 star negative, 3 neutral, 5
  positive, same repository, ``data/japanese``; only its ``valid`` split is in the snapshot we have);
- more English tweets: the SemEval-2017 task 4 sentiment tweets as gathered in TweetEval
  (https://github.com/cardiffnlp/tweeteval, ``datasets/sentiment/{val,test}_*.txt``: 14,284 tweets;
  its train file is not in the snapshot we have). Any of them whose text is also in a held-out
  ``test`` split below is dropped.

None of them is an aspect-sentiment, intent or feedback-classification benchmark. The ``test``
splits of the first repository are held out and the accuracy on them is printed per language.
Settings were fixed before looking at them: the model kind (``--kind``) was chosen on a
development part of the training data (every 5th row), never on the test splits.

Each training text is weighted so that every language weighs the same and, within a language,
every class weighs the same (complaints are the minority in most sets and the class that matters
most here).

A second model is fitted on the same rows: a softmax regression over hashed character n-grams (1 to
4 characters, 2**17 buckets, ``cx_core/themes/_polarity_model.ngram_occurrences``), written to
``polarity_ngrams.npz`` (float16 weights, about 0.7 MB). It needs no embedding, so the engine reads
every comment with it, including those above its embedding budget that the sentence-space model
never sees. Its held-out accuracy is printed too.

Run: ``python -m tools.build_polarity_model TYQIANGZ [TWEETEVAL] [--kind linear|mlp] [--dev]``,
each a checkout (or bare git mirror) of the repositories above. Full-batch gradient descent from a
fixed seed: the same data and encoder give the same weights. ``--dev`` fits on 4/5 of the training
rows and prints accuracy on the other fifth (for choosing the kind), and writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
from pathlib import Path

import numpy as np

from cx_core.themes._embed import Embedder
from cx_core.themes._normalise import normalise_text
from cx_core.themes._polarity_model import NGRAM_BUCKETS, ngram_logits, ngram_occurrences

OUT = Path(__file__).resolve().parents[1] / "cx_core" / "themes" / "lexicons" / "polarity_model.npz"
NGRAM_OUT = OUT.with_name("polarity_ngrams.npz")
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
_HIDDEN = 128  # the MLP's hidden units (512 x 128 + 128 x 3 weights, about 260 KB)
_MLP_STEPS = 600
_MLP_RATE = 0.01  # Adam


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
        for name in names:
            for record in csv.DictReader(io.StringIO(_read(root, f"data/{language}/{name}.csv"))):
                text = normalise_text(record["text"])
                if text and record["label"] in CLASSES:
                    rows.append((language, text[:500], CLASSES.index(record["label"])))
    return rows


def load_tweeteval(root: Path, exclude: set[str]) -> list[tuple[str, str, int]]:
    """English rows of TweetEval sentiment (val and test files; labels 0 negative, 1 neutral, 2 positive)."""
    rows = []
    seen = set(exclude)
    for name in ("val", "test"):
        texts = _read(root, f"datasets/sentiment/{name}_text.txt").splitlines()
        labels = _read(root, f"datasets/sentiment/{name}_labels.txt").splitlines()
        for raw, label in zip(texts, labels, strict=True):
            text = normalise_text(raw)[:500]
            if text and text not in seen and label.strip() in ("0", "1", "2"):
                seen.add(text)
                rows.append(("english", text, int(label)))
    return rows


def sample_weights(rows: list[tuple[str, str, int]]) -> np.ndarray:
    """Every language the same total weight, every class within a language the same (mean weight 1)."""
    counts: dict[tuple[str, int], int] = {}
    for language, _, c in rows:
        counts[(language, c)] = counts.get((language, c), 0) + 1
    languages = {lang for lang, _ in counts}
    per_language = {lang: sum(1 for (la, _c) in counts if la == lang) for lang in languages}
    w = np.array([1.0 / (len(languages) * per_language[lang] * counts[(lang, c)]) for lang, _, c in rows])
    return w * len(rows)


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def fit_linear(x: np.ndarray, y: np.ndarray, w8: np.ndarray) -> dict[str, np.ndarray]:
    """Weights (dim x classes) and biases of a weighted, L2-regularised softmax regression."""
    onehot = np.eye(len(CLASSES))[y]
    w = np.zeros((x.shape[1], len(CLASSES)))
    b = np.zeros(len(CLASSES))
    scale = w8[:, None] / w8.sum()
    for _ in range(_ITERATIONS):
        g = (_softmax(x @ w + b) - onehot) * scale
        w -= _LEARNING_RATE * (x.T @ g + _L2 * w)
        b -= _LEARNING_RATE * g.sum(axis=0)
    return {"weights": w, "bias": b}


def fit_mlp(x: np.ndarray, y: np.ndarray, w8: np.ndarray, seed: int = 0) -> dict[str, np.ndarray]:
    """One hidden ReLU layer, weighted cross-entropy, full-batch Adam with L2, fixed seed."""
    rng = np.random.default_rng(seed)
    onehot = np.eye(len(CLASSES))[y]
    params = {
        "hidden": rng.normal(0, np.sqrt(2 / x.shape[1]), (x.shape[1], _HIDDEN)),
        "hidden_bias": np.zeros(_HIDDEN),
        "weights": rng.normal(0, np.sqrt(1 / _HIDDEN), (_HIDDEN, len(CLASSES))),
        "bias": np.zeros(len(CLASSES)),
    }
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    scale = w8[:, None] / w8.sum()
    for step in range(1, _MLP_STEPS + 1):
        h = np.maximum(x @ params["hidden"] + params["hidden_bias"], 0)
        g = (_softmax(h @ params["weights"] + params["bias"]) - onehot) * scale
        gh = (g @ params["weights"].T) * (h > 0)
        grads = {
            "weights": h.T @ g + _L2 * params["weights"],
            "bias": g.sum(axis=0),
            "hidden": x.T @ gh + _L2 * params["hidden"],
            "hidden_bias": gh.sum(axis=0),
        }
        for k, grad in grads.items():
            m, v = moments[k]
            m[:] = 0.9 * m + 0.1 * grad
            v[:] = 0.999 * v + 0.001 * grad * grad
            params[k] -= _MLP_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return params


_NGRAM_STEPS = 150
_NGRAM_RATE = 0.05  # Adam
_NGRAM_L2 = 1e-6


def fit_ngrams(texts: list[str], y: np.ndarray, w8: np.ndarray) -> dict[str, np.ndarray]:
    """Softmax regression over hashed character n-grams (``_polarity_model.ngram_occurrences``):
    weighted cross-entropy, full-batch Adam with L2, from zeros (deterministic)."""
    rows, buckets = ngram_occurrences(texts)
    onehot = np.eye(len(CLASSES))[y]
    scale = w8[:, None] / w8.sum()
    norm = 1 / np.sqrt(np.maximum(np.bincount(rows, minlength=len(texts)), 1))
    params = {"weights": np.zeros((NGRAM_BUCKETS, len(CLASSES))), "bias": np.zeros(len(CLASSES))}
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    for step in range(1, _NGRAM_STEPS + 1):
        g = (_softmax(ngram_logits(len(texts), rows, buckets, params["weights"], params["bias"])) - onehot) * scale
        per = g * norm[:, None]
        grads = {
            "weights": np.stack(
                [np.bincount(buckets, per[rows, c], minlength=NGRAM_BUCKETS) for c in range(len(CLASSES))], axis=1
            )
            + _NGRAM_L2 * params["weights"],
            "bias": g.sum(axis=0),
        }
        for k, grad in grads.items():
            m, v = moments[k]
            m[:] = 0.9 * m + 0.1 * grad
            v[:] = 0.999 * v + 0.001 * grad * grad
            params[k] -= _NGRAM_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return params


def predict_ngrams(params: dict[str, np.ndarray], texts: list[str]) -> np.ndarray:
    """(negative, neutral, positive) probabilities, as ``_polarity_model.ngram_probabilities``."""
    rows, buckets = ngram_occurrences(texts)
    return _softmax(ngram_logits(len(texts), rows, buckets, params["weights"], params["bias"]))


def predict(params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """(negative, neutral, positive) probabilities, as ``cx_core.themes._polarity_model`` computes them."""
    if "hidden" in params:
        x = np.maximum(x @ params["hidden"] + params["hidden_bias"], 0)
    return _softmax(x @ params["weights"] + params["bias"])


def report(name: str, rows: list[tuple[str, str, int]], probabilities: np.ndarray) -> None:
    predicted = np.argmax(probabilities, axis=1)
    for language in _FIT:
        idx = [i for i, (lang, _, _) in enumerate(rows) if lang == language]
        if not idx:
            continue
        truth = np.array([rows[i][2] for i in idx])
        accuracy = float((predicted[idx] == truth).mean())
        polar = truth != 1
        flipped = float(((predicted[idx] == 2 - truth) & polar).sum() / max(1, polar.sum()))
        negative = truth == 0
        recall = float((predicted[idx][negative] == 0).mean()) if negative.any() else float("nan")
        print(
            f"{name} {language}: {len(idx)} texts, accuracy {accuracy:.3f}, polar read as the opposite "
            f"{flipped:.3f}, negatives found {recall:.3f}"
        )


def _encode(embedder: Embedder, rows: list[tuple[str, str, int]]) -> np.ndarray:
    return embedder.encode([t for _, t, _ in rows]).astype(np.float64)


def main(tyqiangz: Path, tweeteval: Path | None, kind: str, dev: bool) -> None:
    embedder = Embedder("use")
    test = load(tyqiangz, _HELD_OUT)
    train = load(tyqiangz, _FIT)
    if tweeteval is not None:
        train += load_tweeteval(tweeteval, {t for _, t, _ in test})
    x = _encode(embedder, train)
    y = np.array([c for _, _, c in train])
    fit = fit_mlp if kind == "mlp" else fit_linear
    if dev:
        keep = np.arange(len(train)) % 5 != 0
        params = fit(x[keep], y[keep], sample_weights([r for r, k in zip(train, keep, strict=True) if k]))
        rest = [r for r, k in zip(train, keep, strict=True) if not k]
        report(f"dev ({kind})", rest, predict(params, x[~keep]))
        return
    params = fit(x, y, sample_weights(train))
    np.savez_compressed(
        OUT, **{k: v.astype(np.float32) for k, v in params.items()}, classes=np.array(CLASSES), kind=np.array(kind)
    )
    print(f"{len(train)} training texts, {kind} -> {OUT} ({OUT.stat().st_size // 1024} KB)")
    report("held-out", test, predict(params, _encode(embedder, test)))
    ngrams = fit_ngrams([t for _, t, _ in train], y, sample_weights(train))
    np.savez_compressed(
        NGRAM_OUT,
        weights=ngrams["weights"].astype(np.float16),
        bias=ngrams["bias"].astype(np.float32),
        classes=np.array(CLASSES),
    )
    print(f"character n-grams -> {NGRAM_OUT} ({NGRAM_OUT.stat().st_size // 1024} KB)")
    report("held-out (n-grams)", test, predict_ngrams(ngrams, [t for _, t, _ in test]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tyqiangz", type=Path)
    parser.add_argument("tweeteval", type=Path, nargs="?")
    parser.add_argument("--kind", choices=("linear", "mlp"), default="linear")
    parser.add_argument("--dev", action="store_true")
    args = parser.parse_args()
    main(args.tyqiangz, args.tweeteval, args.kind, args.dev)
