"""Checks of a model's theme name against the quotes it names: is it about them, and on their side?

A model can return a perfectly shaped answer that says nothing ("Q1", "model", "Customer
feedback") or the opposite of its quotes ("Fast delivery" over complaints about late deliveries).
:func:`check_naming` rejects:

- ``generic``: a label made only of placeholders, quote ids, numbers or words that fit any theme;
- ``unsupported``: a label (or description) whose content words do not occur in the cited quotes
  and whose sentence embedding is not close to any of them (the embedding is what lets an English
  label name Japanese quotes);
- ``contradicts``: a label or description whose polarity is the opposite of the majority polarity
  of the theme's mentions.

The polarity function is a parameter (``polarity(text, score_hint) -> "positive" | "negative" |
"neutral"``); by default it is resolved at call time from ``cx_core.themes._polarity`` when that
module exists, and without one the polarity check is skipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

Polarity = Callable[..., str]

LABEL_SIMILARITY = 0.40
"""Cosine (multilingual sentence encoder) above which a label is "near" a quote.

Measured on the test groups: right labels 0.58-0.78 with their own quotes, wrong or generic ones
-0.06-0.29 ("Q1" 0.10, "model" -0.01, "Customer feedback" 0.26, another theme's label <= 0.29)."""
DESCRIPTION_SIMILARITY = 0.35

_GENERIC = {
    # English: words that fit any theme of any survey
    "model",
    "theme",
    "themes",
    "topic",
    "topics",
    "feedback",
    "comment",
    "comments",
    "customer",
    "customers",
    "client",
    "clients",
    "user",
    "users",
    "issue",
    "issues",
    "other",
    "others",
    "misc",
    "miscellaneous",
    "general",
    "various",
    "label",
    "name",
    "group",
    "category",
    "response",
    "responses",
    "answer",
    "answers",
    "survey",
    "quote",
    "quotes",
    "text",
    "data",
    "json",
    "item",
    "items",
    "thing",
    "things",
    "stuff",
    "opinion",
    "opinions",
    "experience",
    "mentions",
    "unknown",
    "none",
    "null",
    "n/a",
    "example",
    "sample",
    # Japanese
    "テーマ",
    "その他",
    "コメント",
    "意見",
    "フィードバック",
    "顧客",
    "お客様",
    "問題",
    "回答",
    "アンケート",
    "一般",
    "不明",
    "なし",
}
_STOP = {
    "the",
    "and",
    "for",
    "with",
    "about",
    "from",
    "that",
    "this",
    "are",
    "was",
    "were",
    "has",
    "have",
    "not",
    "too",
    "very",
    "its",
    "our",
    "their",
    "they",
    "them",
    "into",
    "more",
    "less",
    "than",
    "some",
    "many",
    "much",
    "all",
    "any",
    "who",
    "what",
    "when",
    "how",
}
_PLACEHOLDER = re.compile(r"\[[^\]]{1,20}\]")
_QUOTE_ID = re.compile(r"^q\d+$", re.IGNORECASE)
_LATIN = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u30fc]+")
_CJK_STOP_CHARS = set("のはがをにでともへやかなたてしだす")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).lower()


def _stem(word: str) -> str:
    """A crude shared stem (deliveries/delivery/delivered -> deliv): enough to see the same word."""
    return word[:5] if len(word) > 5 else word


def content_terms(text: str) -> set[str]:
    """Content terms of ``text``: stems of Latin words and CJK character bigrams (placeholders out)."""
    text = _PLACEHOLDER.sub(" ", _norm(text))
    terms = {_stem(w) for w in _LATIN.findall(text) if w not in _STOP and w not in _GENERIC}
    for run in _CJK_RUN.findall(text):
        if run in _GENERIC:
            continue
        if len(run) == 1:
            if run not in _CJK_STOP_CHARS:
                terms.add(run)
            continue
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if not (set(pair) <= _CJK_STOP_CHARS):
                terms.add(pair)
    return terms


def is_generic(label: str) -> bool:
    """True for a label that could name any theme: ids, numbers, placeholders, generic words only."""
    text = _norm(label).strip(" .:;!?\"'「」。、")
    if not text or _QUOTE_ID.match(text):
        return True
    words = [w for w in re.split(r"[\s/,・、。:;()\-]+", _PLACEHOLDER.sub(" ", text)) if w]
    if not words:
        return True
    meaningful = [
        w for w in words if not _QUOTE_ID.match(w) and not w.isdigit() and w not in _GENERIC and w not in _STOP
    ]
    if not meaningful:
        return True
    return not content_terms(" ".join(meaningful))


def default_polarity() -> Polarity | None:
    """``cx_core.themes._polarity.clause_polarity`` when that module exists, else None."""
    try:
        from ._polarity import clause_polarity  # noqa: PLC0415 - optional, may not exist yet
    except ImportError:
        return None
    return clause_polarity


def majority_polarity(counts: dict[str, int] | None) -> str | None:
    """ "positive" or "negative" when it holds more than half of the mentions, else None."""
    if not counts:
        return None
    total = sum(int(v) for v in counts.values())
    for side in ("positive", "negative"):
        if total and int(counts.get(side, 0)) * 2 > total:
            return side
    return None


def polarity_counts(texts: Iterable[str], polarity: Polarity, hints: Iterable[float | None] | None = None) -> dict:
    """``{"positive": n, "negative": n, "neutral": n}`` of ``texts`` under ``polarity``."""
    counts = {"positive": 0, "negative": 0, "neutral": 0}
    hints = list(hints) if hints is not None else None
    for i, text in enumerate(texts):
        side = polarity(text, hints[i] if hints else None)
        counts[side if side in counts else "neutral"] += 1
    return counts


def _supported(text: str, quotes: list[str], embedder, threshold: float) -> bool:
    terms = content_terms(text)
    quote_terms = set().union(*(content_terms(q) for q in quotes)) if quotes else set()
    if terms & quote_terms:
        return True
    if embedder is None or getattr(embedder, "kind", "") != "use" or not quotes:
        return False
    vectors = embedder.encode([text, *quotes])
    return float((vectors[1:] @ vectors[0]).max()) >= threshold


_OPPOSITE = {"positive": "negative", "negative": "positive"}


def check_label(
    label: str,
    quotes: list[str],
    *,
    majority: str | None = None,
    polarity: Polarity | None = None,
    embedder=None,
) -> tuple[str, str] | None:
    """The label's part of :func:`check_naming`: None when it holds, else ``(reason, correction)``.

    It needs no description, so it can run on a streamed answer as soon as the label is complete
    and hang up on a wrong one before the model writes the rest (``quotes``: the texts the label
    must be about)."""
    if is_generic(label):
        return "generic", (
            "The label must name what these comments are about, in 2-6 words taken from them; "
            "not a quote id, a placeholder or a generic word."
        )
    if not _supported(label, quotes, embedder, LABEL_SIMILARITY):
        return "unsupported", (
            "The label is not about the cited comments. Use words that occur in them for the label, "
            "and cite the ids of the comments it names."
        )
    return _contradiction([label], majority, polarity)


def _contradiction(texts: list[str], majority: str | None, polarity: Polarity | None) -> tuple[str, str] | None:
    if polarity is not None and majority in _OPPOSITE:
        for text in texts:
            if polarity(text, None) == _OPPOSITE[majority]:
                side = "complaints" if majority == "negative" else "praise"
                return "contradicts", (
                    f"Most of these comments are {side}: the label and description must say so, not the opposite."
                )
    return None


def check_naming(
    label: str,
    description: str,
    cited: list[str],
    *,
    majority: str | None = None,
    polarity: Polarity | None = None,
    embedder=None,
) -> tuple[str, str] | None:
    """None when the name holds, else ``(reason, correction for the model)``.

    ``cited`` are the texts of the quotes the answer cites; ``majority`` is the theme's majority
    polarity ("positive"/"negative"/None); ``polarity`` classifies the label and description.
    """
    problem = check_label(label, cited, embedder=embedder)
    if problem is not None:
        return problem
    if not _supported(description, cited, embedder, DESCRIPTION_SIMILARITY):
        return "unsupported", "The description must summarise the cited comments, in their words."
    return _contradiction([label, description], majority, polarity)
