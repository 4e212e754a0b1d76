"""The offline theme engine: split, judge polarity, group by topic, split by side, name. No network.

Pipeline:

1. Normalise text as people write it (:mod:`._normalise`: entities, handles, URLs, emoji), drop
   empty comments; count non-answers ("n/a", "特になし", "RAS", "keine"...), never a theme.
2. Split the rest into sentences/clauses (contrast words split: "great staff, but late delivery").
3. Each clause gets a polarity from its own words (:mod:`._polarity`); a clause whose words say
   nothing takes the polarity of its comment's other clauses, else the respondent's score, else
   a sentence-space polarity model fitted on public labelled tweets and reviews
   (:mod:`._polarity_model`, built by ``tools/build_polarity_model.py``). Thanks, silent clauses
   and words of praise in a comment the model reads as a complaint (its clauses' readings
   averaged, or the whole comment's at the comment topic level) take the comment's side
   (:func:`_mention_polarity`). A comment's main
   theme (the one of its longest clause) comes first in its assignments.
4. Clauses with no topical word ("Great!", "I love it", "最高です") go to "General praise" or
   "General complaint", shown apart from the topical themes.
5. Comments are grouped by topic. With ``topic_level="meaning"`` (the default): each comment's
   multilingual sentence embedding, k-means at the knee of the dispersion curve (the data's number
   of topics, :mod:`._comment_topics`); a comment that changes subject ("Deliveries arrived late.
   Pricing is hard to understand") is cut into parts, each in its own topic (:mod:`._segments`), so
   it counts in both; a comment about one thing stays whole. Above ``max_embedded`` distinct
   comments, the most frequent (then longest) are embedded and the rest join the topic whose key
   terms they share. Topics that get the same name become one. The former default ("terms"): each
   clause's embedding plus its key terms' without feeling words, k = sqrt(comments / 2) at most
   ``max_themes``, pieces merged back at ``merge_threshold``.
6. A topic above ``broad_share`` of comments is listed in ``broad_topics`` (at the "terms" level
   it is first split again).
7. Each topic is split by side (praise / complaint / request / neutral); each side big enough is its own
   theme, named "<topic>: complaints" with ``topic`` and ``side`` set, so no theme mixes praise
   and complaints. A topic's name is a phrase most of its members share, or its most typical
   members' phrase (:mod:`._topic_names`).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import numpy as np

from ._cluster import lexical_matrix, merge_close, spherical_kmeans
from ._comment_topics import comment_topics, place_cut_comments
from ._embed import Embedder, one_blas_thread
from ._naming import fold, is_japanese_term, name_theme, phrases, topical_terms
from ._nonanswers import is_non_answer
from ._normalise import normalise_text
from ._polarity import is_feeling_word, is_question, only_thanks, polarity_score
from ._polarity_model import probabilities as model_probabilities
from ._redact import mask_pii
from ._requests import is_request
from ._segments import long_enough, part_vectors, subject_parts
from ._split import is_japanese, split_units
from ._topic_names import Member, topic_name
from ._types import CommentRecord, ProgressCallback, Quote, SubTheme, Theme, ThemeResult

_PROPAGATE_MIN_SIMILARITY = 0.5  # the nearest polar clause must be at least this close (cosine)
_PROPAGATE_MIN_VOTE = 0.6  # and the similarity-weighted vote at least this one-sided
SIDES = {"positive": "praise", "negative": "complaint", "neutral": "neutral", "request": "request"}
_SIDE_WORDS = {
    False: {"praise": "praise", "complaint": "complaints", "neutral": "mentions", "request": "requests"},
    True: {"praise": "好評", "complaint": "不満", "neutral": "言及", "request": "要望"},
}
_GENERAL_LABELS = {"praise": "General praise", "complaint": "General complaint", "request": "General requests"}
_GENERAL_LABELS_JA = {"praise": "全般的な好評", "complaint": "全般的な不満", "request": "全般的な要望"}


def labels_in_language(result: ThemeResult, lang: str) -> ThemeResult:
    """``result`` with the offline engine's side words and general groups in the reader's language.

    The offline engine writes "<topic>: complaints" in the language of the comments; a Japanese
    reader of English comments sees "<topic>: 不満", an English reader of Japanese comments
    "<topic>: complaints". Topic names stay as the customers wrote them; names an LLM gave stay as
    they are. The CLI keeps the engine's own labels.
    """
    japanese = lang == "ja"
    themes = []
    for theme in result.themes:
        label = theme.label
        if theme.source == "offline" and theme.general and theme.side in _GENERAL_LABELS:
            label = (_GENERAL_LABELS_JA if japanese else _GENERAL_LABELS)[theme.side]
        elif theme.source == "offline" and theme.topic and theme.side in _SIDE_WORDS[japanese]:
            label = f"{_topic_in_language(theme.topic, japanese)}: {_SIDE_WORDS[japanese][theme.side]}"
        themes.append(replace(theme, label=label))
    broad = [_topic_in_language(topic, japanese) for topic in result.broad_topics]
    return replace(result, themes=themes, broad_topics=broad)


def _topic_in_language(topic: str, japanese: bool) -> str:
    """The reader's half of a two-language topic name ("納期・納品 / deliveries" -> "deliveries" in English);
    a name in one language stays as the customers wrote it."""
    parts = topic.split(" / ")
    if len(parts) != 2:
        return topic
    mine = [p for p in parts if is_japanese_term(p) == japanese]
    return mine[0] if len(mine) == 1 else topic


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
    """A clause that was not embedded joins the topic whose key terms it shares at least this much."""
    min_share: float = 0.01
    """A theme needs at least this share of substantive comments (and at least ``min_count``)."""
    min_count: int = 2
    max_themes: int = 15
    """Topics at most (each can give up to three themes, one per side); fewer for few comments."""
    n_quotes: int = 5
    max_embedded: int = 2000
    """Distinct topical clauses embedded at most (the most frequent); the rest join by key terms."""
    broad_share: float = 0.3
    """A topic above this share of comments is split again (or reported as broad)."""
    broad_split_below: float = 0.4
    """A broad topic is cut in two only if the halves' centroids are less similar than this."""
    max_subthemes: int = 6
    """Sub-themes per topic at most (the drill-down of a theme; fewer for small topics)."""
    topic_level: str = "meaning"
    """How broad topics are found. "meaning" (the default since issue 26): each comment's sentence
    embedding, the number of topics at the knee of the dispersion curve over 2 .. sqrt(comments),
    never capped (:mod:`._comment_topics`); a comment that changes subject is cut into parts, each in
    its own topic (:mod:`._segments`, ``subject_change`` and ``subject_margin``); every clause sits
    in its part's topic with its own side. Held-out halves of the public airline tweets
    (docs/BENCHMARKS_THEMES_QUALITY.md): topic NMI 0.194 on complaints and 0.153 on all tweets,
    against 0.101 / 0.077 for "terms" and 0.187 / 0.181 for USE + k-means given the true k;
    development halves (``python -m tools.themes_dev_eval``) 0.171 / 0.126. "terms" (the former
    default, kept for comparison): each clause's meaning plus its key terms, k = sqrt(n / 2) at
    most ``max_themes``, pieces merged back (step 5 above). The meaning level became the default
    once it met the speed and memory targets: numpy's BLAS on one thread
    (:func:`._embed.one_blas_thread`) and key terms read once per clause took 10,000 real messages
    from 74 s wall / 46 s CPU to 11.7 s CPU (bench, load 7.7), 100,000 to 51.6 s CPU, 577 MB peak."""
    topic_merge: float = 0.15
    """At the "meaning" level, topics whose comments are this alike on average (mean pairwise cosine)
    beyond what two topics of the set typically share (``typical + topic_merge * (1 - typical)``,
    :func:`._comment_topics._merged`) are one topic said two ways (often in two languages: "納期が遅い"
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
    than this (cosine) to the part so far (:mod:`._segments`)."""
    subject_margin: float = 0.075
    """... and the comment is cut only when every part that is nearer another topic than the whole
    comment's is at least this much nearer (cosine) to it. Chosen with the synthetic sample (comments
    with two planted themes given two themes: 0.83 at 0.05 and 0.075, 0.79 at 0.1; the test asks
    >= 0.8) and the development tweets (NMI 0.189 / 0.193 / 0.202 at 0.05 / 0.1 / 0.25, 0.204 never
    cut, measured before comments were grouped as distinct texts)."""


@dataclass
class _Unit:
    text: str
    response_ids: list[str]
    japanese: bool
    score: float | None = None
    from_words: bool = False
    request: bool = False
    thanks: bool = False  # its only praise is thanks: it takes its comment's side when that complains
    model: np.ndarray | None = None  # the polarity model's (negative, neutral, positive), when embedded
    topical: bool = True
    phrases: set[str] = field(default_factory=set)
    topic: int = -1
    sub: int = -1  # the clause's sub-theme within its topic (numbered across topics); -1 for none


def _only_placeholders(text: str) -> bool:
    """True for a clause that is nothing but personal data (e.g. a bare postal code or e-mail)."""
    return not re.search(r"\w", re.sub(r"\[(?:email|url|phone|postal code|name|company)\]", "", mask_pii(text)))


def _nps_stats(nps_values: list[float | None]) -> tuple[float | None, float | None, float | None]:
    values = [v for v in nps_values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return None, None, None
    n = len(values)
    promoters = sum(v >= 9 for v in values) / n
    detractors = sum(v <= 6 for v in values) / n
    return round(sum(values) / n, 2), round(detractors, 4), round(100 * (promoters - detractors), 1)


def _merge_same_names(
    mentions: dict[tuple[int, str], list[tuple[str, str]]], topic_names: dict[int, tuple[str, float, bool]]
) -> dict[tuple[int, str], list[tuple[str, str]]]:
    """Topics whose members share the same name become one topic (two "pricing" themes confuse).

    The merged topic keeps the first (largest) topic's number and name; its support is the
    mention-weighted mean of the parts' supports.
    """
    size: Counter = Counter()
    for (topic, _side), ms in mentions.items():
        size[topic] += len(ms)
    first: dict[str, int] = {}
    target: dict[int, int] = {}
    for topic in sorted(topic_names, key=lambda k: (-size[k], k)):
        name = topic_names[topic][0]
        target[topic] = first.setdefault(name, topic)
    merged: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    support: dict[int, float] = defaultdict(float)
    for (topic, side), ms in sorted(mentions.items()):
        merged[(target[topic], side)].extend(ms)
        support[target[topic]] += topic_names[topic][1] * len(ms)
    for topic, weighted in support.items():
        total = sum(len(ms) for (k, _s), ms in merged.items() if k == topic) or 1
        name, _support, japanese = topic_names[topic]
        topic_names[topic] = (name, round(weighted / total, 3), japanese)
    return merged


_NAME_PARTS = re.compile(r" / |, |・")
MOST_MEMBERS = 0.5
"""A name made of shared terms stands when at least this share of the topic's mentions use them."""
_TYPICAL_CANDIDATES = 200  # members (the most used) the typical one is looked for among
_TYPICAL_SHORTLIST = 20  # the name is a phrase of one of the members closest to the topic's centre


def _without(phrase: str, exclude: frozenset[str]) -> str:
    """``phrase`` without the words in ``exclude`` (folded): "card payment" under "card" -> "payment"."""
    if not exclude:
        return phrase
    return " ".join(w for w in phrase.split(" ") if fold(w) not in exclude)


def _sub_labels(mentions, topic_names, units, corpus_df, n_corpus, sub_of) -> dict[tuple[int, int], str]:
    """The name of each (topic, sub-theme): what its members share beyond the topic's own name.

    "" for a part whose members say nothing more than the topic's words ("品質が悪い" under "品質"):
    the topic in general, worded in the reader's language where it is shown.
    """
    members: dict[tuple[int, int], set[str]] = defaultdict(set)
    for (topic, _side), ms in mentions.items():
        for t, rid in ms:
            if (sub := sub_of(t, rid)) >= 0:
                members[(topic, sub)].add(t)
    labels = {}
    for (topic, sub), ts in members.items():
        exclude = frozenset(fold(w) for p in _NAME_PARTS.split(topic_names[topic][0]) for w in p.split(" "))
        name, support, _japanese = _name(sorted(ts), units, corpus_df, n_corpus, exclude=exclude)
        labels[(topic, sub)] = name if support > 0 else ""  # nothing beyond the topic's own words
    return labels


def _subthemes(ms, topic, sub_labels, sub_of, min_count) -> list[SubTheme]:
    """One side of a topic drilled down: its comments per sub-theme (same-named parts as one).

    Empty unless at least two sub-themes have ``min_count`` comments on this side.
    """
    ids: dict[str, set[str]] = defaultdict(set)
    for t, rid in ms:
        if (sub := sub_of(t, rid)) >= 0:
            ids[sub_labels[(topic, sub)]].add(rid)
    subs = [SubTheme(label, len(rids), sorted(rids)) for label, rids in ids.items() if len(rids) >= min_count]
    subs.sort(key=lambda s: (-s.count, s.label))
    return subs if len(subs) >= 2 else []


COMMENT_NEGATIVE = 0.35
"""A comment the polarity model reads as negative with at least this probability complains: its thanks
and its clauses with no word of their own are complaints. Chosen on the development half of the
public airline tweets with the refitted model (``python -m tools.themes_dev_eval``; held-out half
never used): praise share on complaint tweets / polarity purity on all tweets at (override,
negative) 0.67 / 0.5: 16.2 % / 0.695; 0.5 / 0.4: 15.5 % / 0.697; 0.4 / 0.35: 14.5 % / 0.698;
0.33 / 0.33: 14.0 % / 0.699; 0.25 / 0.25: 13.3 % / 0.700. 0.4 / 0.35 keeps the reading clearly
above chance (a third); lower gains less than a point each step."""
COMMENT_OVERRIDE = 0.4
"""... and a clause whose words praise is read as a complaint when the model reads the whole comment
as negative with at least this probability ("Most of the time, amazing. Today: unacceptable")."""


def _mention_polarity(unit: _Unit, context: float | None, hint: float | None, overall: np.ndarray | None = None) -> str:
    """The polarity of one clause in one comment.

    In order: a request ("More templates", "公園が欲しい") is a request whatever else is said;
    thanks in a comment that complains are courtesy or sarcasm, not praise; the clause's own words,
    unless they praise and the polarity model reads the whole comment clearly as a complaint
    (``overall``: its negative, neutral and positive probabilities, when the comment was embedded;
    the model never turns words of complaint into praise: sarcasm reads as praise to it); else the
    words of the comment's other clauses ("The lava cake was incredible, I recommend it" -> "I recommend it"
    is praise too); else a detractor's score (0-4: complaint); else, unless it is a question, the
    model's reading of the clause or of its comment; else neutral. A promoter's score never makes a
    silent remark praise, and a question takes a complaint from its comment or its score ("Why can't
    I export?" from a detractor), never praise: it asks.
    """
    if unit.request:
        return "request"
    negative_comment = overall is not None and overall[0] >= COMMENT_NEGATIVE
    if unit.thanks and ((context is not None and context <= -0.05) or negative_comment):
        return "negative"  # "Thanks. Third delay this week": courtesy or sarcasm, not praise
    if unit.from_words:
        side = _polarity_of(unit.score, None)
        if overall is not None and side == "positive" and overall[0] >= COMMENT_OVERRIDE:
            return "negative"
        return side
    asks = is_question(unit.text)
    if context is not None and abs(context) >= 0.05 and (context < 0 or not asks):
        return "positive" if context > 0 else "negative"  # "I love the app. How do I add a card?" asks
    if hint is not None and not (isinstance(hint, float) and math.isnan(hint)) and hint <= 4:
        return "negative"  # a detractor's remark or question voices a complaint ("Why can't I export?")
    if asks:
        return "neutral"  # a question with no word of praise or complaint asks; it does not judge
    if unit.score is None and overall is not None and max(overall[0], overall[2]) >= _MODEL_MIN_PROBABILITY:
        return "positive" if overall[2] > overall[0] else "negative"
    return _polarity_of(unit.score, None)


def _polarity_of(score: float | None, hint: float | None) -> str:
    if score is not None:
        return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"
    if hint is None or (isinstance(hint, float) and math.isnan(hint)):
        return "neutral"
    return "negative" if hint <= 4 else "neutral"


def _topic_count(n_comments: int, max_topics: int) -> int:
    """How many topics to look for: the rule of thumb sqrt(n/2), at most ``max_topics``.

    18 comments get 3 topics, 100 get 8, 450 and more get ``max_topics``: few comments cannot
    support many themes, and a CX lead reads at most about fifteen.
    """
    return max(1, min(max_topics, math.ceil(math.sqrt(n_comments / 2))))


def _topic_space(
    vectors: np.ndarray, term_lists: list[list[str]], idf: dict[str, float], embedder: Embedder
) -> np.ndarray:
    """Where each clause sits by topic: its meaning and the meaning of its key terms, equally.

    A sentence encoder places "the waiter was rude" near "the soup was awful" (both complaints);
    the clause's key terms without their words of praise or complaint ("waiter" vs "soup") pull
    it towards what it is about. Terms are embedded one by one (IDF-weighted mean per clause), so
    "sushi" and "salmon" meet though no clause shares both words.
    """
    key_terms = [[w for w in words if not is_feeling_word(w)] for words in term_lists]
    x = vectors + _term_vectors(key_terms, idf, embedder)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms == 0, 1, norms)).astype(np.float32)


def _term_vectors(term_lists: list[list[str]], idf: dict[str, float], embedder: Embedder) -> np.ndarray:
    """IDF-weighted mean of each list's term embeddings (unit rows; zero rows for empty lists)."""
    vocab = sorted({w for words in term_lists for w in words})
    index = {w: i for i, w in enumerate(vocab)}
    table = embedder.encode(vocab).astype(np.float32) if vocab else np.zeros((0, 1), dtype=np.float32)
    dim = table.shape[1] if vocab else 1
    out = np.zeros((len(term_lists), dim), dtype=np.float32)
    for i, words in enumerate(term_lists):
        for w in set(words):
            out[i] += idf.get(w, 1.0) * table[index[w]]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


@one_blas_thread
def extract_offline(
    comments: list[CommentRecord],
    settings: OfflineSettings | None = None,
    *,
    embedder: Embedder | None = None,
    progress: ProgressCallback | None = None,
) -> ThemeResult:
    """Themes of ``comments`` without any network access (see the module docstring)."""
    settings = settings or OfflineSettings()
    embedder = embedder or Embedder()
    report = progress or (lambda _f, _s: None)
    report(0.0, "splitting")
    records = sorted((c for c in comments if c.text and str(c.text).strip()), key=lambda c: str(c.response_id))
    plain = {c.response_id: normalise_text(c.text) for c in records}  # no entities, handles, URLs, emoji
    # A comment with nothing left once normalised (a bare link or handle) is a non-answer, counted.
    non_answers = [c.response_id for c in records if not plain[c.response_id] or is_non_answer(plain[c.response_id])]
    non_answer_set = set(non_answers)
    substantive = [c for c in records if c.response_id not in non_answer_set]
    by_id = {c.response_id: c for c in substantive}

    units: dict[str, _Unit] = {}
    clauses_of: dict[str, list[str]] = {}  # each comment's clauses, in order
    for c in substantive:
        kept = clauses_of[c.response_id] = []
        for piece in split_units(plain[c.response_id]):
            if is_non_answer(piece) or _only_placeholders(piece):
                continue
            kept.append(piece)
            unit = units.get(piece)
            if unit is None:
                masked = mask_pii(piece)
                unit = units[piece] = _Unit(piece, [], is_japanese(piece), polarity_score(masked))
                if unit.score is not None and unit.score > 0 and is_question(piece):
                    unit.score = None  # "which cards are accepted?": a question asks, it does not praise
                unit.from_words = unit.score is not None
                unit.thanks = unit.score is not None and unit.score > 0 and only_thanks(masked)
                unit.request = is_request(masked)
                unit.phrases = phrases(masked)
                unit.topical = bool(topical_terms(masked))
            if not unit.response_ids or unit.response_ids[-1] != c.response_id:
                unit.response_ids.append(c.response_id)
    report(0.1, "polarity")
    n_sub = len(substantive)
    min_count = max(settings.min_count, math.ceil(settings.min_share * n_sub))

    topical = sorted((t for t, u in units.items() if u.topical), key=lambda t: (-len(units[t].response_ids), t))
    overall: dict[str, np.ndarray] = {}  # each embedded comment's (negative, neutral, positive) from the model
    if settings.topic_level == "meaning":
        part_topic, part_sub = _part_level(
            topical, units, clauses_of, plain, settings, embedder, min_count, report, overall
        )

        def topic_for(t: str, rid: str) -> int | None:
            return part_topic.get((t, rid)) if units[t].topical else None

        def sub_of(t: str, rid: str) -> int:
            return part_sub.get((t, rid), -1)

    else:
        topic_of = _topics(topical, units, settings, embedder, min_count, n_sub, report)

        def topic_for(t: str, rid: str) -> int | None:
            return topic_of.get(t) if units[t].topical else None

        def sub_of(t: str, rid: str) -> int:
            return units[t].sub

    if not overall and COMMENT_FROM_CLAUSES:
        overall.update(_comment_readings(units))
    report(0.85, "naming")

    # Mentions: (unit, response) with the polarity of the clause's words (or of the score when silent).
    mentions: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)  # (topic, side) -> [(unit, rid)]
    general: dict[str, list[tuple[str, str]]] = defaultdict(list)
    words_context: dict[str, float] = defaultdict(float)  # the words' polarity of each comment's clauses
    for unit in units.values():
        if unit.from_words and unit.score is not None and not unit.thanks:
            for rid in unit.response_ids:
                words_context[rid] += unit.score
    mention_polarity = {
        (t, rid): _mention_polarity(unit, words_context.get(rid), by_id[rid].nps, overall.get(rid))
        for t, unit in units.items()
        for rid in unit.response_ids
    }
    for t, unit in units.items():
        for rid in unit.response_ids:
            side = SIDES[mention_polarity[(t, rid)]]
            if (topic := topic_for(t, rid)) is not None:
                mentions[(topic, side)].append((t, rid))
            elif not unit.topical and side in _GENERAL_LABELS:
                general[side].append((t, rid))

    corpus_df: Counter = Counter()
    for unit in units.values():
        for p in unit.phrases:
            corpus_df[p] += len(unit.response_ids)
    n_corpus = sum(len(u.response_ids) for u in units.values())
    topic_names: dict[int, tuple[str, float, bool]] = {}
    for topic in sorted({k for k, _ in mentions}):
        members = sorted({t for (k, _s), ms in mentions.items() if k == topic for t, _ in ms})
        if settings.topic_level == "meaning":  # one phrase most members share, or the typical members'
            said = Counter(t for (k, _s), ms in mentions.items() if k == topic for t, _ in ms)
            pool = [Member(t, frozenset(units[t].phrases), said[t], units[t].japanese) for t in members]
            named = topic_name(pool, corpus_df, n_corpus, embedder)
            topic_names[topic] = named or _name(members, units, corpus_df, n_corpus)
            continue
        topic_names[topic] = _name(members, units, corpus_df, n_corpus, _closeness(members, units, embedder))
        if topic_names[topic][1] < MOST_MEMBERS:  # no phrase most members share: the typical member says it
            topic_names[topic] = _typical_name(members, units, embedder) or topic_names[topic]
    mentions = _merge_same_names(mentions, topic_names)
    sub_labels = _sub_labels(mentions, topic_names, units, corpus_df, n_corpus, sub_of)

    entries: list[tuple[list[tuple[str, str]], dict]] = []
    topic_size: dict[int, set[str]] = defaultdict(set)
    for (topic, _side), ms in mentions.items():
        topic_size[topic].update(rid for _, rid in ms)
    for (topic, side), ms in mentions.items():
        # A topic big enough to be shown shows each side with at least ``min_count`` (2) comments, so a
        # small side of it is not lost; a topic too small to be a theme is not shown at all.
        if len(topic_size[topic]) < min_count or len({rid for _, rid in ms}) < settings.min_count:
            continue
        name, support, japanese = topic_names[topic]
        label = f"{name}: {_SIDE_WORDS[japanese][side]}"
        subs = _subthemes(ms, topic, sub_labels, sub_of, settings.min_count)
        entries.append((ms, {"topic": name, "side": side, "label": label, "support": support, "subthemes": subs}))
    for side, ms in general.items():
        if len({rid for _, rid in ms}) >= min_count:
            entries.append((ms, {"topic": "", "side": side, "label": _GENERAL_LABELS[side], "general": True}))
    entries.sort(key=lambda e: (bool(e[1].get("general")), -len({rid for _, rid in e[0]}), e[1]["label"]))

    themes: list[Theme] = []
    assignments: dict[str, list[str]] = {c.response_id: [] for c in substantive}
    main_clause: dict[str, tuple[str, int]] = {}  # each comment's theme of its longest clause (key, length)
    for rank, (ms, meta) in enumerate(entries, start=1):
        key = f"theme-{rank:02d}"
        ids = sorted({rid for _, rid in ms})
        for rid in ids:
            assignments[rid].append(key)
        for t, rid in ms:
            if len(t) > main_clause.get(rid, ("", 0))[1]:
                main_clause[rid] = (key, len(t))
        mean_nps, det_share, nps = _nps_stats([by_id[r].nps for r in ids])
        polarity = Counter(mention_polarity[(t, rid)] for t, rid in ms)
        member_units = sorted({t for t, _ in ms})
        used = Counter(p for t in member_units for p in units[t].phrases)
        keywords = sorted(used, key=lambda p: (-used[p], p))[:5]  # ties by name: the same on every run
        themes.append(
            Theme(
                key=key,
                label=meta["label"],
                count=len(ids),
                share=round(len(ids) / n_sub, 4) if n_sub else 0.0,
                mean_nps=mean_nps,
                detractor_share=det_share,
                nps=nps,
                response_ids=ids,
                quotes=_quotes(ms, units, by_id, settings.n_quotes),
                keywords=keywords,
                topic=meta["topic"],
                side=meta["side"],
                polarity={p: int(polarity.get(p, 0)) for p in ("positive", "negative", "neutral", "request")},
                general=bool(meta.get("general")),
                support=float(meta.get("support", 0.0)),
                subthemes=list(meta.get("subthemes", [])),
            )
        )
    for rid, (key, _length) in main_clause.items():
        # A comment's main theme first: the one holding most of what it says (its longest clause),
        # not the largest theme it touches; a reader who takes one theme per comment takes that one.
        keys = assignments[rid]
        keys.insert(0, keys.pop(keys.index(key)))
    broad = sorted(
        {
            th.topic
            for th in themes
            if not th.general and sum(x.count for x in themes if x.topic == th.topic) > settings.broad_share * n_sub
        }
    )
    uncovered = sum(1 for rid in assignments if not assignments[rid])
    report(1.0, "done")
    return ThemeResult(
        themes=themes,
        assignments=assignments,
        non_answer_ids=non_answers,
        n_comments=len(records),
        n_substantive=n_sub,
        uncovered_share=round(uncovered / n_sub, 4) if n_sub else 0.0,
        engine=f"offline ({embedder.name})",
        broad_topics=broad,
    )


COMMENT_FROM_CLAUSES = True
"""At the clause topic level, a comment's reading is the model's readings of its embedded clauses,
averaged by length (no extra embedding)."""


def _comment_readings(units: dict[str, _Unit]) -> dict[str, np.ndarray]:
    """Each comment's (negative, neutral, positive) reading: the length-weighted mean of the polarity
    model's readings of its clauses that were embedded (comments with none are left out)."""
    sums: dict[str, np.ndarray] = {}
    weights: Counter = Counter()
    for unit in units.values():
        if unit.model is None:
            continue
        for rid in unit.response_ids:
            sums[rid] = sums.get(rid, 0.0) + len(unit.text) * unit.model
            weights[rid] += len(unit.text)
    return {rid: total / weights[rid] for rid, total in sums.items() if weights[rid]}


def _part_level(topical, units, clauses_of, plain, settings, embedder, min_count, report, overall):
    """(topic of each (clause, comment), sub-theme of each): topics of whole comments
    (:mod:`._comment_topics`), a comment that changes subject cut into parts (:mod:`._segments`),
    each part in its own topic.

    The comments embedded are the most frequent texts, then the longest (they say most), at most
    ``max_embedded``; the rest are placed whole by their key terms. Fills ``overall`` with the
    polarity model's reading of each embedded comment.
    """
    rids = sorted({rid for t in topical for rid in units[t].response_ids})
    if not rids:
        return {}, {}
    text_of = {rid: tuple(clauses_of[rid]) for rid in rids}
    uses = Counter(text_of.values())
    ranked = sorted(uses, key=lambda k: (-uses[k], -sum(map(len, k)), k))
    chosen = ranked[: settings.max_embedded]
    chosen_set = set(chosen)
    report(0.15, "embedding")
    whole_text = {key: mask_pii(plain[rid]) for rid, key in text_of.items() if key in chosen_set}
    whole = embedder.encode([whole_text[k] for k in chosen]).astype(np.float64)
    whole_of = {k: i for i, k in enumerate(chosen)}
    readings = model_probabilities(whole) if len(chosen) else None
    if readings is not None:
        for rid, key in text_of.items():
            if key in whole_of:
                overall[rid] = readings[whole_of[key]]
    # Comments that may change subject: two clauses or more that could stand alone.
    candidates = [k for k in chosen if sum(units[c].topical and long_enough(c) for c in k) >= 2]
    clause_list = list(dict.fromkeys(c for k in candidates for c in k))[: settings.max_embedded]
    clause_row = {c: i for i, c in enumerate(clause_list)}
    clause_vectors = embedder.encode([mask_pii(c) for c in clause_list]).astype(np.float64)
    report(0.6, "clustering")
    cuts: dict[tuple[str, ...], tuple[list[int], np.ndarray]] = {}
    for key in candidates:
        if all(c in clause_row for c in key):
            v = clause_vectors[[clause_row[c] for c in key]]
            weights = [float(len(c)) for c in key]
            parts = subject_parts(
                v, weights, [units[c].topical and long_enough(c) for c in key], settings.subject_change
            )
            if max(parts) > 0:
                cuts[key] = (parts, part_vectors(v, weights, parts))
    # Grouped as distinct texts, each weighted by the comments that wrote it: the same answer given
    # by many is one point of the grouping, whatever the order of the comments.
    key_id = {key: f"c{i}" for i, key in enumerate(ranked)}
    rest = [key_id[k] for k in ranked[settings.max_embedded :]]
    clause_terms: dict[str, list[str]] = {}  # a clause said in many comments is read once
    for key in ranked if rest else []:
        for c in key:
            if c not in clause_terms:
                clause_terms[c] = topical_terms(mask_pii(c))
    term_lists = {key_id[k]: [w for c in k for w in clause_terms[c]] for k in ranked} if rest else {}
    embedded = [key_id[k] for k in chosen]
    topic, sub = comment_topics(
        embedded,
        whole,
        rest,
        term_lists,
        min_count=min_count,
        attach_threshold=settings.attach_threshold,
        lexical_attach_threshold=settings.lexical_attach_threshold,
        max_parts=settings.max_subthemes,
        same_topic=settings.topic_merge,
        weights=np.array([uses[k] for k in chosen], dtype=np.float64),
    )
    placed = place_cut_comments(
        [key_id[k] for k in cuts],
        {key_id[k]: whole[whole_of[k]] for k in cuts},
        {key_id[k]: cut[1] for k, cut in cuts.items()},
        embedded,
        whole,
        topic,
        sub,
        margin=settings.subject_margin,
        attach_threshold=settings.attach_threshold,
    )
    part_topic: dict[tuple[str, str], int] = {}
    part_sub: dict[tuple[str, str], int] = {}
    for rid in rids:
        key = text_of[rid]
        kid = key_id[key]
        topics_of_parts, subs_of_parts = placed.get(kid, ([None], [None]))
        if kid in placed and not (kid in topic and len(set(topics_of_parts)) == 1):
            parts = cuts[key][0]  # two subjects: each clause in its part's topic
        else:
            parts = [0] * len(key)  # one subject: where the grouping put the comment
            topics_of_parts, subs_of_parts = [topic.get(kid)], [sub.get(kid)]
        for c, p in zip(key, parts, strict=True):
            if (c, rid) in part_topic or (c, rid) in part_sub:
                continue  # a clause said twice keeps its first part
            if topics_of_parts[p] is not None:
                part_topic[(c, rid)] = topics_of_parts[p]
            if subs_of_parts[p] is not None:
                part_sub[(c, rid)] = subs_of_parts[p]
    return part_topic, part_sub


def _topics(topical, units, settings, embedder, min_count, n_sub, report) -> dict[str, int]:
    """Topic number of each topical clause that belongs to a topic (see the module docstring)."""
    if not topical:
        return {}
    term_lists = [topical_terms(mask_pii(t)) for t in topical]
    df: Counter = Counter()
    for t, words in zip(topical, term_lists, strict=True):
        for w in set(words):
            df[w] += len(units[t].response_ids)
    total = sum(len(units[t].response_ids) for t in topical)
    idf = {w: math.log((1 + total) / (1 + c)) + 1.0 for w, c in df.items()}
    embedded = topical[: settings.max_embedded]
    rest = topical[settings.max_embedded :]
    report(0.15, "embedding")
    vectors = embedder.encode([mask_pii(t) for t in embedded]).astype(np.float32)
    report(0.6, "clustering")
    _propagate_polarity(embedded, vectors, units)
    x = _topic_space(vectors, term_lists[: len(embedded)], idf, embedder)
    weights = np.array([len(units[t].response_ids) for t in embedded], dtype=np.float64)
    labels = spherical_kmeans(x, weights, _topic_count(n_sub, settings.max_themes))
    labels = merge_close(x.astype(np.float64), weights, labels, settings.merge_threshold)

    def ids_of(members: np.ndarray) -> set[str]:
        return {rid for i in np.flatnonzero(members) for rid in units[embedded[i]].response_ids}

    groups = {int(lab): ids_of(labels == lab) for lab in np.unique(labels)}
    big = sorted(
        (lab for lab, ids in groups.items() if len(ids) >= min_count), key=lambda lab: (-len(groups[lab]), lab)
    )
    big = big[: settings.max_themes]
    # A topic above the broad share is split in two while both halves stand as topics.
    next_label = int(labels.max()) + 1
    for _ in range(3):
        wide = [lab for lab in big if len(groups[lab]) > settings.broad_share * n_sub]
        if not wide:
            break
        lab = wide[0]
        members = np.flatnonzero(labels == lab)
        if len(members) < 4:
            break
        halves = spherical_kmeans(x[members], weights[members], 2)
        a, b = members[halves == 0], members[halves == 1]
        if len(a) == 0 or len(b) == 0 or _centroid_similarity(x, weights, a, b) >= settings.broad_split_below:
            break  # one topic said many ways: reported in ``broad_topics`` instead of cut in two
        labels[b] = next_label
        groups[lab] = ids_of(labels == lab)
        groups[next_label] = ids_of(labels == next_label)
        big.append(next_label)
        next_label += 1
        big = [g for g in big if len(groups[g]) >= min_count]
        big.sort(key=lambda g: (-len(groups[g]), g))
    if not big:
        return {}
    cmat = _centroids(x, weights, [labels == lab for lab in big])
    topic_of: dict[str, int] = {}
    position = {lab: i for i, lab in enumerate(big)}
    sims = x @ cmat.T
    for i, t in enumerate(embedded):
        lab = int(labels[i])
        if lab in position:
            topic_of[t] = position[lab]
        else:
            best = int(np.argmax(sims[i]))
            if sims[i, best] >= settings.attach_threshold:
                topic_of[t] = best
    if rest:
        lexical = lexical_matrix(term_lists[: len(embedded)], idf)
        rows_of = [[j for j, t in enumerate(embedded) if topic_of.get(t) == i] for i in range(len(big))]
        lmat = _centroids(lexical, weights, rows_of).astype(np.float32)
        for start, best, similarity in _nearest_by_terms(term_lists[len(embedded) :], idf, lmat):
            chunk = rest[start : start + len(best)]
            for j, t in enumerate(chunk):
                if similarity[j] >= settings.lexical_attach_threshold:
                    topic_of[t] = int(best[j])
            report(0.6 + 0.25 * min(1.0, (start + len(chunk)) / len(rest)), "assigning")
    _subtopics(embedded, rest, topic_of, x, weights, term_lists, idf, units, settings, min_count)
    return topic_of


def _centroids(x: np.ndarray, weights: np.ndarray, groups: list) -> np.ndarray:
    """The unit-length weighted mean of each group's rows of ``x`` (a group: row indices or a mask)."""
    out = []
    for rows in groups:
        c = (x[rows] * weights[rows, None]).sum(axis=0)
        out.append(c / (np.linalg.norm(c) or 1.0))
    return np.stack(out)


def _nearest_by_terms(term_lists: list[list[str]], idf: dict[str, float], centroids: np.ndarray):
    """For clauses that were not embedded, in chunks: (first position, nearest centroid by key terms,
    its similarity), so 100k clauses never need one big matrix."""
    for start in range(0, len(term_lists), 4096):
        sims = lexical_matrix(term_lists[start : start + 4096], idf) @ centroids.T
        best = np.argmax(sims, axis=1)
        yield start, best, sims[np.arange(len(best)), best]


def _subtopics(embedded, rest, topic_of, x, weights, term_lists, idf, units, settings, min_count) -> None:
    """Each topic's clauses cut one level further (``_Unit.sub``), for a drill-down into a theme.

    A topic of n comments is cut by the same weighted spherical k-means into at most
    ``min(sqrt(n / 2), max_subthemes)`` parts; a part with fewer than ``min_count`` comments or 5 %
    of the topic joins the nearest larger part, and a topic that does not give two parts is left
    whole. Clauses that were not embedded join the part whose key terms they share most.
    """
    lexical = lexical_matrix(term_lists[: len(embedded)], idf) if rest else None
    positions = {t: len(embedded) + i for i, t in enumerate(rest)}
    rest_by_topic: dict[int, list[str]] = defaultdict(list)
    for t in rest:
        if t in topic_of:
            rest_by_topic[topic_of[t]].append(t)
    next_sub = 0
    for topic in sorted(set(topic_of.values())):
        rows = np.array([j for j, t in enumerate(embedded) if topic_of.get(t) == topic], dtype=np.int64)
        if len(rows) < 2:
            continue
        ids = [set(units[embedded[j]].response_ids) for j in rows]
        n_comments = len(set().union(*ids))
        k = min(settings.max_subthemes, int(math.sqrt(n_comments / 2)), len(rows))
        if k < 2:
            continue
        labels = spherical_kmeans(x[rows], weights[rows], k)
        size = {lab: len(set().union(*(ids[r] for r in np.flatnonzero(labels == lab)))) for lab in np.unique(labels)}
        floor = max(min_count, 0.05 * n_comments)
        kept = sorted((lab for lab, n in size.items() if n >= floor), key=lambda lab: (-size[lab], lab))
        if len(kept) < 2:
            continue
        nearest = np.argmax(x[rows] @ _centroids(x, weights, [rows[labels == lab] for lab in kept]).T, axis=1)
        position = {lab: i for i, lab in enumerate(kept)}
        parts = np.array([position.get(int(lab), int(near)) for lab, near in zip(labels, nearest, strict=True)])
        for r, part in zip(rows, parts, strict=True):
            units[embedded[r]].sub = next_sub + int(part)
        members = rest_by_topic.get(topic, [])
        if lexical is not None and members:
            lmat = _centroids(lexical, weights, [rows[parts == part] for part in range(len(kept))]).astype(np.float32)
            member_terms = [term_lists[positions[t]] for t in members]
            for start, best, _similarity in _nearest_by_terms(member_terms, idf, lmat):
                for t, part in zip(members[start : start + len(best)], best, strict=True):
                    units[t].sub = next_sub + int(part)
        next_sub += len(kept)


def _propagate_polarity(embedded: list[str], vectors: np.ndarray, units: dict[str, _Unit], k: int = 7) -> None:
    """Clauses whose words carry no polarity take a weak one from their nearest clauses that do.

    The sentence encoder places "the fish was raw" near other complaints about food even when no
    lexicon word says so; a clear majority of the most similar polar clauses decides, else the
    clause stays without polarity (then neutral, or the respondent's score decides).
    """
    _classifier_polarity(embedded, vectors, units)
    known = [i for i, t in enumerate(embedded) if (score := units[t].score) is not None and abs(score) >= 0.05]
    unknown = [i for i, t in enumerate(embedded) if units[t].score is None]
    if len(known) < k or not unknown:
        return
    signs = np.sign(np.array([units[embedded[i]].score for i in known]))
    known_vectors = vectors[known]
    for start in range(0, len(unknown), 1024):
        rows = unknown[start : start + 1024]
        sims = vectors[rows] @ known_vectors.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r, i in enumerate(rows):
            near = top[r]
            weight = np.clip(sims[r, near], 0, None)
            if weight.max() < _PROPAGATE_MIN_SIMILARITY or weight.sum() == 0:
                continue
            vote = float((weight * signs[near]).sum() / weight.sum())
            if abs(vote) >= _PROPAGATE_MIN_VOTE:
                units[embedded[i]].score = 0.06 * math.copysign(1.0, vote)


_MODEL_MIN_PROBABILITY = 0.5  # the model's side must hold a majority of its probability to count
# ... and two thirds of it to overturn the words (at a simple majority the model overturned clear
# praise of our synthetic sample, "solved the issue." at 0.56; see _classifier_polarity)
_MODEL_OVERRIDE_PROBABILITY = 2 / 3


def _classifier_polarity(embedded: list[str], vectors: np.ndarray, units: dict[str, _Unit]) -> None:
    """Clauses whose words carry no polarity take the side of the sentence-space polarity model.

    The model (``lexicons/polarity_model.npz``, built by ``tools/build_polarity_model.py``: a small
    classifier over the sentence encoder (:mod:`._polarity_model`), fitted on public human-labelled
    tweets in EN/FR/DE/ES and Japanese product reviews) reads the whole clause, so "the fish was raw" or "料理が冷めていた" get a
    side though no listed word says so. Its guess counts only when negative or positive holds a
    majority of its probability, and only as a weak score (±0.06).

    The model also corrects the words where it clearly reads the opposite: a clause whose listed
    words say praise but whose meaning the model reads as a complaint with two thirds of its
    probability ("pretty lame response", "I'm honestly fed up") becomes a complaint. Never the
    reverse: a complaint the words found ("thanks for losing my bag, great job") is not turned into
    praise by a model that reads sarcasm as praise. On the development half of a public set of tweets to airlines (800 tweets, human
    polarity), words alone agreed with people on 61.4 % of tweets, words corrected at 0.6 / 0.7 on
    64.4 % / 63.1 %; tweets of a complaint read as praise 12.2 % -> 9.6 % / 10.9 %.
    """
    rows = [i for i, t in enumerate(embedded) if not units[t].request]
    probabilities = model_probabilities(vectors[rows]) if rows else None
    if probabilities is None:
        return
    for i, (negative, _neutral, positive) in zip(rows, probabilities, strict=True):
        unit = units[embedded[i]]
        unit.model = np.array([negative, _neutral, positive])
        if unit.score is None:
            if max(negative, positive) >= _MODEL_MIN_PROBABILITY:
                unit.score = 0.06 if positive > negative else -0.06
        elif unit.score >= 0.05 and negative >= _MODEL_OVERRIDE_PROBABILITY:
            unit.score = -0.06


def _centroid_similarity(x: np.ndarray, weights: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    ca = (x[a] * weights[a, None]).sum(axis=0)
    cb = (x[b] * weights[b, None]).sum(axis=0)
    return float(ca @ cb / ((np.linalg.norm(ca) * np.linalg.norm(cb)) or 1.0))


def _closeness(members: list[str], units: dict[str, _Unit], embedder: Embedder) -> dict[str, float]:
    """How close each phrase of a topic's members is to the topic as a whole (cosine, >= 0).

    The topic is the mention-weighted mean embedding of its members' common phrases; a phrase close to
    it ("dishes", "food") says what the members share better than one frequent member's word
    ("chicken"), though fewer members spell it out.
    """
    weights: Counter = Counter()
    for t in members:
        for p in units[t].phrases:
            weights[p] += len(units[t].response_ids)
    if not weights:
        return {}
    total = sum(len(units[t].response_ids) for t in members)
    # Only phrases that could become the name are embedded (the rule of ``name_theme``); the
    # centroid is taken over them too, weighted by use, which keeps naming cheap on 100k comments.
    candidates = sorted(p for p, n in weights.items() if n >= max(2, 0.05 * total) or total < 20)
    if not candidates:
        return {}
    vectors = embedder.encode(candidates).astype(np.float64)
    w = np.array([weights[p] for p in candidates], dtype=np.float64)
    centroid = (vectors * w[:, None]).sum(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    return {p: max(0.0, float(v)) for p, v in zip(candidates, vectors @ centroid, strict=True)}


def _typical_name(members: list[str], units: dict[str, _Unit], embedder: Embedder) -> tuple[str, float, bool] | None:
    """(name, support, japanese?) from the topic's most typical members: of the members closest to the
    topic's centre (mention-weighted mean of their sentence embeddings), the two-word phrase that
    most of the topic's mentions use ("lost bag", "customer service"), with the share of mentions
    using it as support. None when the typical members share no two-word phrase with others."""
    ranked = sorted(members, key=lambda t: (-len(units[t].response_ids), t))[:_TYPICAL_CANDIDATES]
    if not ranked:
        return None
    vectors = embedder.encode([mask_pii(t) for t in ranked]).astype(np.float64)
    w = np.array([len(units[t].response_ids) for t in ranked], dtype=np.float64)
    centre = (vectors * w[:, None]).sum(axis=0)
    order = np.argsort(-(vectors @ (centre / (np.linalg.norm(centre) or 1.0))), kind="stable")
    central = [ranked[i] for i in order[:_TYPICAL_SHORTLIST]]
    use: Counter = Counter()  # mentions using each phrase (folded)
    said_by: Counter = Counter()  # distinct clauses using it
    for t in members:
        for p in {fold(p) for p in units[t].phrases}:
            use[p] += len(units[t].response_ids)
            said_by[p] += 1
    candidates = {fold(p): p for t in central for p in units[t].phrases if " " in p and said_by[fold(p)] >= 2}
    if not candidates:
        return None
    best = max(candidates, key=lambda k: (use[k], k))
    total = sum(len(units[t].response_ids) for t in members) or 1
    return candidates[best], round(use[best] / total, 3), is_japanese_term(candidates[best])


def _name(
    members: list[str],
    units: dict[str, _Unit],
    corpus_df: Counter,
    n_corpus: int,
    closeness: dict[str, float] | None = None,
    exclude: frozenset[str] = frozenset(),
) -> tuple[str, float, bool]:
    """(name, support, japanese?) of a topic: one name per language with a real share of its members.

    ``exclude`` holds words (folded) a name may not use: a sub-theme says what its topic's name
    does not already say.
    """
    weight = {True: 0, False: 0}
    for t in members:
        weight[units[t].japanese] += len(units[t].response_ids)
    total = sum(weight.values()) or 1
    languages = sorted((j for j in weight if weight[j] / total >= 0.2), key=lambda j: (-weight[j], j))
    parts, supports = [], []
    for japanese in languages:
        pool = [
            (
                {q for p in units[t].phrases if is_japanese_term(p) == japanese and (q := _without(p, exclude))},
                len(units[t].response_ids),
            )
            for t in members
            if units[t].japanese == japanese
        ]
        name = name_theme(pool, corpus_df, n_corpus, closeness, widen_weak=not exclude)  # sub-names stay short
        if name.text:
            parts.append(name.text)
            supports.append((name.support, weight[japanese]))
    if not parts:  # members share no term (each says it differently): say so rather than pick one
        return ("その他の話題" if languages and languages[0] else "Other topics"), 0.0, bool(languages and languages[0])
    support = sum(s * w for s, w in supports) / (sum(w for _, w in supports) or 1)
    return " / ".join(parts), round(support, 3), languages[0]


def _quotes(ms: list[tuple[str, str]], units, by_id, n_quotes: int) -> list[Quote]:
    """Clauses of the theme used by most responses, each with a different response (both languages first)."""
    counts = Counter(t for t, _ in ms)
    ranked = sorted(counts, key=lambda t: (-counts[t], len(t), t))
    picked: list[str] = []
    for japanese in (False, True):  # the most used clause of each language first, so both are shown
        best = next((t for t in ranked if units[t].japanese == japanese), None)
        if best is not None:
            picked.append(best)
    for t in ranked:
        if len(picked) >= n_quotes:
            break
        if t not in picked:
            picked.append(t)
    rids: dict[str, list[str]] = defaultdict(list)
    for t, rid in ms:
        rids[t].append(rid)
    quotes, used = [], set()
    for t in picked[:n_quotes]:
        rid = next((r for r in rids[t] if r not in used), rids[t][0])
        used.add(rid)
        quotes.append(Quote(response_id=rid, text=str(by_id[rid].text), excerpt=mask_pii(t)))
    for t in picked:  # few distinct clauses: show further responses with the same words
        for rid in rids[t]:
            if len(quotes) >= min(3, n_quotes):
                return quotes
            if rid not in used:
                used.add(rid)
                quotes.append(Quote(response_id=rid, text=str(by_id[rid].text), excerpt=mask_pii(t)))
    return quotes
