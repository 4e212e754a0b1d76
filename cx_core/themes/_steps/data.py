"""The data that flows between the offline engine's steps (:mod:`cx_core.themes._pipeline`).

Each step takes the previous steps' data and returns its own, never changing what it was given:
:class:`Comments` (normalise) -> :class:`Pieces` (split) -> :class:`Answers` (non-answers) ->
:class:`Clauses` (redact) -> :class:`ClauseVectors` or :class:`CommentVectors` (embed) ->
:class:`Topics` (topics) -> :class:`Sides` (sides) -> :class:`Parts` (parts) -> :class:`Names`
(names) -> :class:`~cx_core.themes._types.ThemeResult` (assemble). A step module imports this
module and the shared text helpers (``cx_core.themes._split``, ``._polarity``...), never another
step nor the pipeline (``tests/core/test_theme_pipeline.py`` and the import-linter contracts hold it).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .._types import CommentRecord

Report = Callable[[float, str], None]
"""Progress: (fraction done, stage)."""
Mention = tuple[str, str]
"""One clause in one comment: (clause text, response id)."""

SIDES = {"positive": "praise", "negative": "complaint", "neutral": "neutral", "request": "request"}
"""The side of a theme for each mention polarity."""
SIDE_WORDS = {
    False: {"praise": "praise", "complaint": "complaints", "neutral": "mentions", "request": "requests"},
    True: {"praise": "好評", "complaint": "不満", "neutral": "言及", "request": "要望"},
}
GENERAL_LABELS = {"praise": "General praise", "complaint": "General complaint", "request": "General requests"}
GENERAL_LABELS_JA = {"praise": "全般的な好評", "complaint": "全般的な不満", "request": "全般的な要望"}


@dataclass(frozen=True)
class OfflineSettings:
    """Knobs of the offline engine (the defaults suit survey comments of a few words to a few lines)."""

    merge_threshold: float = 0.4
    """Pieces of the k-means merge back while their average similarity is at least this (chosen on
    our synthetic sample and bilingual test sets, where the true topics are known; checked, not
    tuned, on the labelled public sets of ``bench/bench_theme_quality.py``)."""
    attach_threshold: float = 0.19
    """A clause of a tiny group joins the nearest topic if at least this similar to it."""
    lexical_attach_threshold: float = 0.05
    """At the "terms" level, a clause that was not embedded joins the topic whose key terms it shares at
    least this much (the "meaning" level places comments that were not embedded by the meaning their
    words predict, :func:`cx_core.themes._comment_topics.predicted_vectors`)."""
    min_share: float = 0.01
    """A theme needs at least this share of substantive comments (and at least ``min_count``)."""
    min_count: int = 2
    max_themes: int = 15
    """Topics at most (each can give up to three themes, one per side); fewer for few comments."""
    n_quotes: int = 5
    max_embedded: int = 2000
    """Distinct topical clauses ("terms" level) or comment texts ("meaning" level) embedded at most (the
    most frequent, then the longest); the rest join by their key terms ("terms") or by the meaning their
    words predict ("meaning", :func:`cx_core.themes._comment_topics.predicted_vectors`)."""
    broad_share: float = 0.3
    """A topic above this share of comments is split again (or reported as broad)."""
    broad_split_below: float = 0.4
    """A broad topic is cut in two only if the halves' centroids are less similar than this."""
    max_subthemes: int = 6
    """Sub-themes per topic at most (the drill-down of a theme; fewer for small topics)."""
    topic_level: str = "meaning"
    """How broad topics are found. "meaning" (the default since issue 26): each comment's sentence
    embedding, the number of topics at the knee of the dispersion curve over 2 .. sqrt(comments),
    never capped (:mod:`cx_core.themes._comment_topics`); a comment that changes subject is cut into parts, each in
    its own topic (:mod:`cx_core.themes._segments`, ``subject_change`` and ``subject_margin``); every clause sits
    in its part's topic with its own side. Held-out halves of the public airline tweets
    (docs/BENCHMARKS_THEMES_QUALITY.md): topic NMI 0.194 on complaints and 0.153 on all tweets,
    against 0.101 / 0.077 for "terms" and 0.187 / 0.181 for USE + k-means given the true k;
    development halves (``python -m tools.themes_dev_eval``) 0.171 / 0.126. "terms" (the former
    default, kept for comparison): each clause's meaning plus its key terms, k = sqrt(n / 2) at
    most ``max_themes``, pieces merged back (:mod:`.topics`). The meaning level became the default
    once it met the speed and memory targets: numpy's BLAS on one thread
    (:func:`cx_core.themes._embed.one_blas_thread`) and key terms read once per clause took 10,000 real messages
    from 74 s wall / 46 s CPU to 11.7 s CPU (bench, load 7.7), 100,000 to 51.6 s CPU, 577 MB peak."""
    topic_merge: float = 0.15
    """At the "meaning" level, topics whose comments are this alike on average (mean pairwise cosine)
    beyond what two topics of the set typically share (``typical + topic_merge * (1 - typical)``,
    :func:`cx_core.themes._comment_topics._merged`) are one topic said two ways (often in two languages: "納期が遅い"
    and "Deliveries arrived late"). Formerly an absolute 0.35 (chosen with the synthetic bilingual
    sample: planted themes ARI 0.95 / 0.84 / 0.70 at 0.3 / 0.35 / 0.4), which merged every topic of
    comments that share a trade (banking messages joined two or three to a comment: one topic at
    100,000). Chosen with the sample and the development tweets: at 0.15 / 0.2 / 0.25 the sample's
    planted themes ARI 0.924 / 0.841 / 0.839 (comments with two planted themes given two themes 0.85 /
    0.89 / 0.83), development NMI 0.171 / 0.176 / 0.176 on complaints and 0.126 / 0.134 / - on all
    tweets (0.176 / 0.134 with the absolute 0.35). 0.15 because at 0.2 a one-subject comment of
    synthetic late deliveries ("Orders come late and the lead time is too long, the parcel arrived
    two weeks after the date") sits in two late-delivery topics (tests/core/test_topic_parts.py), and
    the sample's two-language topics stay one ("担当営業 / account manager", "価格体系 / quotes")."""
    subject_change: float = 0.3
    """A clause starts a new part of its comment (a second subject) when its meaning is less similar
    than this (cosine) to the part so far (:mod:`cx_core.themes._segments`)."""
    subject_margin: float = 0.075
    """... and the comment is cut only when every part that is nearer another topic than the whole
    comment's is at least this much nearer (cosine) to it. Chosen with the synthetic sample (comments
    with two planted themes given two themes: 0.83 at 0.05 and 0.075, 0.79 at 0.1; the test asks
    >= 0.8) and the development tweets (NMI 0.189 / 0.193 / 0.202 at 0.05 / 0.1 / 0.25, 0.204 never
    cut, measured before comments were grouped as distinct texts)."""

    def min_count_of(self, n_substantive: int) -> int:
        """Comments a topic needs to be a theme: ``min_count``, or ``min_share`` of the comments if more."""
        return max(self.min_count, math.ceil(self.min_share * n_substantive))


@dataclass(frozen=True)
class Comments:
    """Step 1 (normalise): the comments with text, by response id, and their text as people meant it
    (no HTML entities, handles, URLs, emoji)."""

    records: list[CommentRecord]
    plain: dict[str, str]


@dataclass(frozen=True)
class Pieces:
    """Step 2 (split): each comment's sentences and clauses, in order."""

    comments: Comments
    pieces: dict[str, list[str]]


@dataclass(frozen=True)
class Answers:
    """Step 3 (non-answers): what is left to theme. ``non_answer_ids``: comments that answer nothing
    ("n/a", "特になし", a bare link), counted, never themed; ``substantive``: the others by response
    id; ``clauses_of``: each of their clauses that says something (no "n/a", no bare personal data)."""

    comments: Comments
    non_answer_ids: list[str]
    substantive: dict[str, CommentRecord]
    clauses_of: dict[str, list[str]]


@dataclass(frozen=True)
class Clause:
    """One distinct clause text and what the later steps read in it (its words, personal data masked)."""

    text: str
    masked: str
    """``text`` with personal data masked: what is embedded, read and quoted."""
    response_ids: list[str]
    """The comments that say it, each once, in order."""
    japanese: bool
    terms: list[str]
    """Its key (topical) terms; none: a clause with no topic ("Great!"), for the general groups."""
    phrases: set[str]
    """Its naming phrases."""

    @property
    def topical(self) -> bool:
        return bool(self.terms)


@dataclass(frozen=True)
class Clauses:
    """Step 4 (redact): each distinct clause once, in the order the comments first say it."""

    answers: Answers
    clauses: dict[str, Clause]

    @property
    def n_substantive(self) -> int:
        return len(self.answers.substantive)

    def topical(self) -> list[str]:
        """Clauses with a topic, the most said first (ties by text)."""
        units = self.clauses
        return sorted((t for t, u in units.items() if u.topical), key=lambda t: (-len(units[t].response_ids), t))


@dataclass(frozen=True)
class ClauseVectors:
    """Step 5 (embed) at the "terms" topic level: the sentence embeddings of the most said topical
    clauses (``embedded``, at most ``max_embedded``; ``rest`` are placed by their key terms), the
    IDF of the key terms and the embedding of each key term (``terms``) for the topic space."""

    embedded: list[str]
    rest: list[str]
    vectors: np.ndarray
    idf: dict[str, float]
    terms: list[str]
    term_table: np.ndarray


@dataclass(frozen=True)
class CommentVectors:
    """Step 5 (embed) at the "meaning" topic level: each comment as the tuple of its clauses
    (``text_of``), distinct texts ``ranked`` by use then length, the ``chosen`` ones embedded whole
    (``whole``, one row each), and the clauses of those that may change subject (``candidates``)
    embedded one by one (``clause_vectors``, row ``clause_row[clause]``)."""

    text_of: dict[str, tuple[str, ...]]
    uses: dict[tuple[str, ...], int]
    ranked: list[tuple[str, ...]]
    chosen: list[tuple[str, ...]]
    whole: np.ndarray
    candidates: list[tuple[str, ...]]
    clause_row: dict[str, int]
    clause_vectors: np.ndarray


Vectors = ClauseVectors | CommentVectors | None
"""What step 5 gives (None: nothing topical to embed)."""


@dataclass(frozen=True)
class Topics:
    """Step 6 (topics): the topic of each mention (None: no topic). At the "terms" level a clause has
    one topic wherever it is said (``of_clause``) and ``space``/``weights``/``term_lists`` (one row per
    embedded clause, then one term list per other topical clause) are what the parts step cuts; at
    the "meaning" level ``of_mention`` holds each (clause, comment)'s topic and ``parts`` its
    sub-theme, found with the topics (:func:`cx_core.themes._comment_topics.comment_topics`)."""

    level: str
    of_clause: dict[str, int] = field(default_factory=dict)
    of_mention: dict[Mention, int] = field(default_factory=dict)
    parts: dict[Mention, int] = field(default_factory=dict)
    space: np.ndarray | None = None
    weights: np.ndarray | None = None
    term_lists: list[list[str]] = field(default_factory=list)

    def topic(self, clause: Clause, rid: str) -> int | None:
        """The topic of ``clause`` said in comment ``rid`` (None: no topic, or not topical)."""
        if not clause.topical:
            return None
        if self.level == "meaning":
            return self.of_mention.get((clause.text, rid))
        return self.of_clause.get(clause.text)


@dataclass(frozen=True)
class Sides:
    """Step 7 (sides): the polarity of each mention ("positive", "negative", "neutral", "request"),
    the topical mentions by (topic, side) and the topic-less ones by side (the general groups)."""

    polarity: dict[Mention, str]
    mentions: dict[tuple[int, str], list[Mention]]
    general: dict[str, list[Mention]]


@dataclass(frozen=True)
class Parts:
    """Step 8 (parts): the sub-theme of each clause wherever it is said ("terms" level) or of each
    mention ("meaning" level), numbered across topics (missing: none)."""

    of_clause: dict[str, int] = field(default_factory=dict)
    of_mention: dict[Mention, int] = field(default_factory=dict)

    def of(self, text: str, rid: str) -> int:
        """The sub-theme of clause ``text`` said in comment ``rid`` (-1: none)."""
        return self.of_mention.get((text, rid), self.of_clause.get(text, -1))


@dataclass(frozen=True)
class Names:
    """Step 9 (names): each topic's (name, support, japanese?), the mentions by (topic, side) with
    same-named topics merged, and the name of each (topic, sub-theme) ("" for the topic in general)."""

    topics: dict[int, tuple[str, float, bool]]
    mentions: dict[tuple[int, str], list[Mention]]
    parts: dict[tuple[int, int], str]


def nps_stats(nps_values: list[float | None]) -> tuple[float | None, float | None, float | None]:
    """(mean score, detractor share, NPS) of the scores given (None and NaN left out)."""
    values = [v for v in nps_values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return None, None, None
    n = len(values)
    promoters = sum(v >= 9 for v in values) / n
    detractors = sum(v <= 6 for v in values) / n
    return round(sum(values) / n, 2), round(detractors, 4), round(100 * (promoters - detractors), 1)
