"""The offline theme engine: split, judge polarity, group by topic, split by side, name. No network.

Pipeline:

1. Drop empty comments; count non-answers ("n/a", "特になし", "RAS", "keine"...), never a theme.
2. Split the rest into sentences/clauses (contrast words split: "great staff, but late delivery").
3. Each clause gets a polarity from its own words (:mod:`._polarity`); the respondent's score only
   decides for clauses whose words say nothing.
4. Clauses with no topical word ("Great!", "I love it", "最高です") go to "General praise" or
   "General complaint", shown apart from the topical themes.
5. Topical clauses are grouped by topic: multilingual sentence embeddings with the praise-complaint
   direction projected out (so "fast delivery" and "late delivery" meet) joined with their key
   terms, clustered deterministically (average linkage). Above ``max_embedded`` distinct clauses,
   the most frequent ones are embedded and the rest join the topic whose key terms they share.
6. A topic above ``broad_share`` of comments is split again, or listed in ``broad_topics``.
7. Each topic is split by side (praise / complaint / neutral); each side big enough is its own
   theme, named "<topic>: complaints" with ``topic`` and ``side`` set, so no theme mixes praise
   and complaints. Names come from the terms many members share (:mod:`._naming`).
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from ._cluster import _kmeans, agglomerate
from ._embed import Embedder
from ._naming import is_japanese_term, name_theme, phrases, topical_terms
from ._nonanswers import is_non_answer
from ._polarity import polarity_score
from ._redact import mask_pii
from ._split import is_japanese, split_units
from ._types import CommentRecord, ProgressCallback, Quote, Theme, ThemeResult

_LEX_DIM = 512
_PROJECT = False
_PROPAGATE_MIN_SIMILARITY = 0.5  # the nearest polar clause must be at least this close (cosine)
_PROPAGATE_MIN_VOTE = 0.6  # and the similarity-weighted vote at least this one-sided
_LEX_WEIGHT = 0.3  # key terms count a quarter as much as meaning (which also matches across languages)
SIDES = {"positive": "praise", "negative": "complaint", "neutral": "neutral"}
_SIDE_WORDS = {
    False: {"praise": "praise", "complaint": "complaints", "neutral": "mentions"},
    True: {"praise": "好評", "complaint": "不満", "neutral": "言及"},
}
_GENERAL_LABELS = {"praise": "General praise", "complaint": "General complaint"}


@dataclass(frozen=True)
class OfflineSettings:
    """Knobs of the offline engine (the defaults suit survey comments of a few words to a few lines)."""

    merge_threshold: float = 0.23
    """Groups merge while their average similarity (embedding and key terms) is at least this."""
    attach_threshold: float = 0.19
    """A clause of a tiny group joins the nearest topic if at least this similar to it."""
    lexical_attach_threshold: float = 0.05
    """A clause that was not embedded joins the topic whose key terms it shares at least this much."""
    min_share: float = 0.01
    """A theme needs at least this share of substantive comments (and at least ``min_count``)."""
    min_count: int = 2
    max_themes: int = 15
    """Topics at most (each can give up to three themes, one per side)."""
    n_quotes: int = 5
    max_embedded: int = 2000
    """Distinct topical clauses embedded at most (the most frequent); the rest join by key terms."""
    broad_share: float = 0.3
    """A topic above this share of comments is split again (or reported as broad)."""
    broad_split_below: float = 0.4
    """A broad topic is cut in two only if the halves' centroids are less similar than this."""


@dataclass
class _Unit:
    text: str
    response_ids: list[str]
    japanese: bool
    score: float | None = None
    topical: bool = True
    phrases: set[str] = field(default_factory=set)
    topic: int = -1


def _only_placeholders(text: str) -> bool:
    """True for a clause that is nothing but personal data (e.g. a bare postal code or e-mail)."""
    return not re.search(r"\w", re.sub(r"\[(?:email|url|phone|postal code|name|company)\]", "", mask_pii(text)))


def _nps_stats(nps_values: list[float]) -> tuple[float | None, float | None, float | None]:
    values = [v for v in nps_values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return None, None, None
    n = len(values)
    promoters = sum(v >= 9 for v in values) / n
    detractors = sum(v <= 6 for v in values) / n
    return round(sum(values) / n, 2), round(detractors, 4), round(100 * (promoters - detractors), 1)


def _polarity_of(score: float | None, hint: float | None) -> str:
    if score is not None:
        return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"
    if hint is None or (isinstance(hint, float) and math.isnan(hint)):
        return "neutral"
    return "negative" if hint <= 4 else "positive" if hint >= 9 else "neutral"


def _lexical_matrix(term_lists: list[list[str]], idf: dict[str, float]) -> np.ndarray:
    """L2-normalised hashed TF-IDF of key terms (``(n, _LEX_DIM)`` float32)."""
    out = np.zeros((len(term_lists), _LEX_DIM), dtype=np.float32)
    for i, words in enumerate(term_lists):
        for w, c in Counter(words).items():
            out[i, zlib.crc32(w.encode("utf-8")) % _LEX_DIM] += (1 + math.log(c)) * idf.get(w, 1.0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def _without_direction(vectors: np.ndarray, direction: np.ndarray | None) -> np.ndarray:
    if direction is None:
        return vectors
    out = vectors - np.outer(vectors @ direction, direction)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


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
    non_answers = [c.response_id for c in records if is_non_answer(c.text)]
    non_answer_set = set(non_answers)
    substantive = [c for c in records if c.response_id not in non_answer_set]
    by_id = {c.response_id: c for c in substantive}

    units: dict[str, _Unit] = {}
    for c in substantive:
        for piece in split_units(c.text):
            if is_non_answer(piece) or _only_placeholders(piece):
                continue
            unit = units.get(piece)
            if unit is None:
                masked = mask_pii(piece)
                unit = units[piece] = _Unit(piece, [], is_japanese(piece), polarity_score(masked))
                unit.phrases = phrases(masked)
                unit.topical = bool(topical_terms(masked))
            if not unit.response_ids or unit.response_ids[-1] != c.response_id:
                unit.response_ids.append(c.response_id)
    report(0.1, "polarity")
    n_sub = len(substantive)
    min_count = max(settings.min_count, math.ceil(settings.min_share * n_sub))

    topical = sorted((t for t, u in units.items() if u.topical), key=lambda t: (-len(units[t].response_ids), t))
    topic_of = _topics(topical, units, settings, embedder, min_count, n_sub, report)
    report(0.85, "naming")

    # Mentions: (unit, response) with the polarity of the clause's words (or of the score when silent).
    mentions: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)  # (topic, side) -> [(unit, rid)]
    general: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for t, unit in units.items():
        for rid in unit.response_ids:
            side = SIDES[_polarity_of(unit.score, by_id[rid].nps)]
            if unit.topical and t in topic_of:
                mentions[(topic_of[t], side)].append((t, rid))
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
        topic_names[topic] = _name(members, units, corpus_df, n_corpus)

    entries: list[tuple[list[tuple[str, str]], dict]] = []
    for (topic, side), ms in mentions.items():
        if len({rid for _, rid in ms}) < min_count:
            continue
        name, support, japanese = topic_names[topic]
        label = f"{name}: {_SIDE_WORDS[japanese][side]}"
        entries.append((ms, {"topic": name, "side": side, "label": label, "support": support}))
    for side, ms in general.items():
        if len({rid for _, rid in ms}) >= min_count:
            entries.append((ms, {"topic": "", "side": side, "label": _GENERAL_LABELS[side], "general": True}))
    entries.sort(key=lambda e: (bool(e[1].get("general")), -len({rid for _, rid in e[0]}), e[1]["label"]))

    themes: list[Theme] = []
    assignments: dict[str, list[str]] = {c.response_id: [] for c in substantive}
    for rank, (ms, meta) in enumerate(entries, start=1):
        key = f"theme-{rank:02d}"
        ids = sorted({rid for _, rid in ms})
        for rid in ids:
            assignments[rid].append(key)
        mean_nps, det_share, nps = _nps_stats([by_id[r].nps for r in ids])
        polarity = Counter(_polarity_of(units[t].score, by_id[rid].nps) for t, rid in ms)
        member_units = sorted({t for t, _ in ms})
        keywords = [w for w, _ in Counter(p for t in member_units for p in units[t].phrases).most_common(5)]
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
                polarity={p: int(polarity.get(p, 0)) for p in ("positive", "negative", "neutral")},
                general=bool(meta.get("general")),
                support=float(meta.get("support", 0.0)),
            )
        )
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
    scores = np.array([units[t].score or 0.0 for t in embedded])
    direction = None
    if (scores > 0.05).any() and (scores < -0.05).any():
        d = vectors[scores > 0.05].mean(axis=0) - vectors[scores < -0.05].mean(axis=0)
        direction = d / (np.linalg.norm(d) or 1.0)
    semantic = _without_direction(vectors, direction if _PROJECT else None)
    lexical = _lexical_matrix(term_lists[: len(embedded)], idf)
    x = np.hstack([semantic, _LEX_WEIGHT * lexical]) / math.sqrt(1.0 + _LEX_WEIGHT**2)
    weights = np.array([len(units[t].response_ids) for t in embedded], dtype=np.float64)
    labels = agglomerate(x, weights, settings.merge_threshold)

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
        halves = _kmeans(x[members], weights[members], 2)
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
    centroids = []
    for lab in big:
        members = labels == lab
        c = (x[members] * weights[members, None]).sum(axis=0)
        centroids.append(c / (np.linalg.norm(c) or 1.0))
    cmat = np.stack(centroids)
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
        lex_centroids = []
        for i in range(len(big)):
            member_rows = [j for j, t in enumerate(embedded) if topic_of.get(t) == i]
            c = (lexical[member_rows] * weights[member_rows, None]).sum(axis=0)
            lex_centroids.append(c / (np.linalg.norm(c) or 1.0))
        lmat = np.stack(lex_centroids).astype(np.float32)
        for start in range(0, len(rest), 4096):
            chunk = rest[start : start + 4096]
            sims = _lexical_matrix(term_lists[len(embedded) + start : len(embedded) + start + len(chunk)], idf) @ lmat.T
            best = np.argmax(sims, axis=1)
            for j, t in enumerate(chunk):
                if sims[j, best[j]] >= settings.lexical_attach_threshold:
                    topic_of[t] = int(best[j])
            report(0.6 + 0.25 * min(1.0, (start + len(chunk)) / len(rest)), "assigning")
    return topic_of


def _propagate_polarity(embedded: list[str], vectors: np.ndarray, units: dict[str, _Unit], k: int = 7) -> None:
    """Clauses whose words carry no polarity take a weak one from their nearest clauses that do.

    The sentence encoder places "the fish was raw" near other complaints about food even when no
    lexicon word says so; a clear majority of the most similar polar clauses decides, else the
    clause stays without polarity (then neutral, or the respondent's score decides).
    """
    _anchor_polarity(embedded, vectors, units)
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


# Hand-written anchor sentences (ours, general praise and complaint in five languages): a clause whose
# words carry no polarity takes the side whose anchors it is clearly closer to in the sentence space.
_POSITIVE_ANCHORS = (
    "I am very happy with this.",
    "Excellent, highly recommended.",
    "The staff were friendly and helpful.",
    "It works perfectly and saves us time.",
    "とても満足しています。",
    "対応が素晴らしかったです。",
    "Très satisfait, excellent service.",
    "Sehr gut, ich bin zufrieden.",
    "Excelente servicio, muy contento.",
)
_NEGATIVE_ANCHORS = (
    "I am very disappointed with this.",
    "This is terrible and does not work.",
    "The staff were rude and unhelpful.",
    "It keeps failing and nobody fixes it.",
    "とても不満です。",
    "対応が最悪でした。",
    "Très déçu, service horrible.",
    "Sehr schlecht, ich bin enttäuscht.",
    "Pésimo servicio, muy decepcionado.",
)
_ANCHOR_MARGIN = 0.08  # chosen a priori, not tuned on any labelled set


def _anchor_polarity(embedded: list[str], vectors: np.ndarray, units: dict[str, _Unit]) -> None:
    unknown = [i for i, t in enumerate(embedded) if units[t].score is None]
    if not unknown or vectors.shape[1] != 512:  # the anchors need the sentence encoder's space
        return
    anchors = _anchor_vectors()
    if anchors is None:
        return
    positive, negative = anchors
    sims_pos = np.sort(vectors[unknown] @ positive.T, axis=1)[:, -3:].mean(axis=1)
    sims_neg = np.sort(vectors[unknown] @ negative.T, axis=1)[:, -3:].mean(axis=1)
    for i, p, n in zip(unknown, sims_pos, sims_neg, strict=True):
        if p - n >= _ANCHOR_MARGIN:
            units[embedded[i]].score = 0.06
        elif n - p >= _ANCHOR_MARGIN:
            units[embedded[i]].score = -0.06


def _anchor_vectors() -> tuple[np.ndarray, np.ndarray] | None:
    from ._embed import Embedder as _Embedder  # noqa: PLC0415

    encoder = _Embedder()
    if encoder.kind != "use":
        return None
    return encoder.encode(list(_POSITIVE_ANCHORS)), encoder.encode(list(_NEGATIVE_ANCHORS))


def _centroid_similarity(x: np.ndarray, weights: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    ca = (x[a] * weights[a, None]).sum(axis=0)
    cb = (x[b] * weights[b, None]).sum(axis=0)
    return float(ca @ cb / ((np.linalg.norm(ca) * np.linalg.norm(cb)) or 1.0))


def _name(members: list[str], units: dict[str, _Unit], corpus_df: Counter, n_corpus: int) -> tuple[str, float, bool]:
    """(name, support, japanese?) of a topic: one name per language with a real share of its members."""
    weight = {True: 0, False: 0}
    for t in members:
        weight[units[t].japanese] += len(units[t].response_ids)
    total = sum(weight.values()) or 1
    languages = sorted((j for j in weight if weight[j] / total >= 0.2), key=lambda j: (-weight[j], j))
    parts, supports = [], []
    for japanese in languages:
        pool = [
            ({p for p in units[t].phrases if is_japanese_term(p) == japanese}, len(units[t].response_ids))
            for t in members
            if units[t].japanese == japanese
        ]
        name = name_theme(pool, corpus_df, n_corpus)
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
