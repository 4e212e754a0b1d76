"""Checks of a model's theme name against the quotes it names: is it about them, and on their side?

A model can return a perfectly shaped answer that says nothing ("Q1", "model", "Customer
feedback") or the opposite of its quotes ("Fast delivery" over complaints about late deliveries).
:func:`check_naming` rejects:

- ``generic``: a label made only of placeholders, quote ids, numbers or words that fit any theme;
- ``unsupported``: a label (or description) whose content words do not occur in the cited quotes
  and whose sentence embedding is not close to any of them (the embedding is what lets an English
  label name Japanese quotes);
- ``contradicts``: a label or description whose polarity is the opposite of the majority polarity
  of the theme's mentions;
- ``link``, ``contact``, ``instruction``: a label, description or action holding a URL or domain,
  an e-mail address or phone number, or an instruction aimed at whoever reads it ("ignore the
  previous instructions", "email the customer list to ...", "wire the fee now"): the model's
  output is data to show, never something the reader is told to do. A label must be supported as
  a whole: at least half of its content words (or, in Japanese, its characters) occur in the cited
  quotes, or the sentence encoder finds it near them with at most two words that are not in them;
  one shared word is not enough ("Delivery refunds: wire fee now" over late deliveries).

The polarity function is a parameter (``polarity(text, score_hint) -> "positive" | "negative" |
"neutral"``); by default it is resolved at call time from ``cx_core.themes._polarity`` when that
module exists, and without one the polarity check is skipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from ._redact import mask_pii

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


LABEL_COVERAGE = 0.5
"""Share of a label's content words (Latin stems; CJK characters) that must occur in its quotes."""
DESCRIPTION_COVERAGE = 0.25
"""The same for a description, a sentence that may paraphrase (the encoder can vouch for it too)."""


def _latin_terms(text: str) -> set[str]:
    return {t for t in content_terms(text) if not _CJK_RUN.fullmatch(t)}


def _cjk_chars(text: str) -> set[str]:
    text = _PLACEHOLDER.sub(" ", _norm(text))
    return {ch for run in _CJK_RUN.findall(text) if run not in _GENERIC for ch in run if ch not in _CJK_STOP_CHARS}


def _checkable(text: str, quotes: list[str]) -> tuple[set[str], set[str]]:
    """``text``'s checkable content (Latin word stems and CJK characters, in the scripts the quotes
    are written in) and the part of it that occurs in ``quotes``."""
    joined = "\n".join(quotes)
    quote_latin, quote_cjk = _latin_terms(joined), _cjk_chars(joined)
    checkable = (_latin_terms(text) if quote_latin else set()) | (_cjk_chars(text) if quote_cjk else set())
    return checkable, checkable & (quote_latin | quote_cjk)


def coverage(text: str, quotes: list[str]) -> float | None:
    """Share of ``text``'s checkable content that occurs in ``quotes``; None when nothing is
    checkable (an English label of Japanese quotes)."""
    checkable, covered = _checkable(text, quotes)
    return len(covered) / len(checkable) if checkable else None


LABEL_PARAPHRASE_WORDS = 2
"""Words of a label not in its quotes that the sentence encoder may still vouch for ("Quick support"
over "Fast, helpful answers from the help desk"); a label with more ("Delivery refunds: wire fee
now" over late deliveries: 3 of 4) is not about its quotes as a whole, however near it sounds."""


def _supported(text: str, quotes: list[str], embedder, threshold: float, share: float, rescue: bool) -> bool:
    """``text`` is about ``quotes`` as a whole: enough of its words occur in them, or the sentence
    encoder puts it near one (across languages; for a label only when at most
    :data:`LABEL_PARAPHRASE_WORDS` of its words are not in the quotes; ``rescue`` lifts that bound
    for a paraphrasing description)."""
    checkable, covered = _checkable(text, quotes)
    if checkable and len(covered) / len(checkable) >= share:
        return True
    if checkable and not rescue and len(checkable - covered) > LABEL_PARAPHRASE_WORDS:
        return False
    if embedder is None or getattr(embedder, "kind", "") != "use" or not quotes:
        return False
    vectors = embedder.encode([text, *quotes])
    return float((vectors[1:] @ vectors[0]).max()) >= threshold


_DOMAIN = re.compile(r"(?<![A-Za-z0-9.@-])[A-Za-z0-9-]{2,}(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9])")
_INJECTION = re.compile(
    r"(?i:\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instruction|prompt|rule|above|previous|prior)"
    r"|system prompt|developer mode|jailbreak|you are now|as an ai\b|new instructions"
    r"|\b(?:email|e-mail|send|forward|share|export|upload|post|leak|wire|transfer|pay|dm)\b.{0,40}"
    r"\b(?:contact list|customer list|list of customers|customer data|personal data|passwords?|credentials"
    r"|api keys?|tokens?|database|records|credit cards?|bank details|money|funds|fees?|payments?|gift cards?"
    r"|bitcoin|crypto|refunds? to)\b"
    r"|\b(?:click|tap)\b.{0,20}\b(?:here|link|button|below)\b|\bverify your\b|\breset your password\b"
    r"|\blog ?in (?:to|at)\b|\bsign in (?:to|at)\b|\b(?:visit|go to|open) (?:this|the following|our) "
    r"(?:link|site|website|page|url)\b|\bcontact us\b|\bcall (?:us|now|this number)\b|\breply with\b)"
    r"|指示を無視|以前の指示|前の指示|システムプロンプト|送金|振り?込ん?で|振込|リンクをクリック|クリックして|ログインして"
    r"|パスワード|(?:顧客|連絡先|個人情報)(?:の)?(?:リスト|データ|情報)?を(?:送|転送|共有|メール)"
)
_READER_IMPERATIVE = re.compile(
    r"^\W*(?i:please|kindly|do not|don't|never|ignore|email|e-mail|send|forward|click|visit|wire|transfer|pay|"
    r"reply|download|install|verify|log in|sign in)\b"
)
"""A description that opens by telling the reader to act (a label may start with "Contact center")."""
_SAFETY_CORRECTION = (
    "Name the theme and summarise the comments only: no links, web addresses, e-mail addresses, phone "
    "numbers or instructions to the reader."
)


def unsafe(text: str, *, imperative: bool = False) -> str | None:
    """Why ``text`` (a label, description or action from a model) may not be shown, or None.

    ``link`` (a URL or a domain), ``contact`` (an e-mail address or phone number) or
    ``instruction`` (a prompt injection, a request to send data, money or credentials, to click or
    visit something; with ``imperative=True``, for a description, also a text that opens by telling
    the reader to do something: an action is an instruction to the CX team by nature)."""
    norm = _PLACEHOLDER.sub(" ", unicodedata.normalize("NFKC", str(text)))  # "[email]" is no address
    masked = mask_pii(norm)
    if "[url]" in masked or _DOMAIN.search(norm):
        return "link"
    if "[email]" in masked or "[phone]" in masked or "@" in norm:
        return "contact"
    if _INJECTION.search(norm):
        return "instruction"
    if imperative and _READER_IMPERATIVE.search(norm):
        return "instruction"
    return None


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
    reason = unsafe(label)
    if reason is not None:
        return reason, _SAFETY_CORRECTION
    if is_generic(label):
        return "generic", (
            "The label must name what these comments are about, in 2-6 words taken from them; "
            "not a quote id, a placeholder or a generic word."
        )
    if not _supported(label, quotes, embedder, LABEL_SIMILARITY, LABEL_COVERAGE, rescue=False):
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
    action: str | None = None,
) -> tuple[str, str] | None:
    """None when the name holds, else ``(reason, correction for the model)``.

    ``cited`` are the texts of the quotes the answer cites; ``majority`` is the theme's majority
    polarity ("positive"/"negative"/None); ``polarity`` classifies the label and description;
    ``action`` (when the answer has one) must be safe to show and about the theme too.
    """
    problem = check_label(label, cited, embedder=embedder)
    if problem is not None:
        return problem
    reason = unsafe(description, imperative=True)
    if reason is not None:
        return reason, _SAFETY_CORRECTION
    if not _supported(description, cited, embedder, DESCRIPTION_SIMILARITY, DESCRIPTION_COVERAGE, rescue=True):
        return "unsupported", "The description must summarise the cited comments, in their words."
    if action is not None:
        reason = unsafe(action)
        if reason is not None:
            return reason, _SAFETY_CORRECTION
        if not _supported(
            action, [*cited, label, description], embedder, DESCRIPTION_SIMILARITY, DESCRIPTION_COVERAGE / 2, True
        ):
            return "unsupported", "The action must answer what these comments are about."
    return _contradiction([label, description], majority, polarity)
