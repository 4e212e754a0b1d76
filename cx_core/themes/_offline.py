"""The offline theme engine: split, embed, cluster, label. No key, no network, deterministic.

Pipeline: drop empty comments and report non-answers; split the rest into sentences/clauses;
embed each distinct clause once (multilingual, so Japanese and English of one theme meet);
cluster with deterministic average-linkage; keep groups big enough to matter as themes and
attach the clauses of tiny groups to the nearest theme when they are close enough (so few
comments stay uncovered); a comment gets every theme one of its clauses belongs to.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from ._cluster import agglomerate
from ._embed import Embedder
from ._nonanswers import is_non_answer
from ._redact import mask_pii
from ._split import is_japanese, split_units
from ._types import CommentRecord, ProgressCallback, Quote, Theme, ThemeResult


@dataclass(frozen=True)
class OfflineSettings:
    """Knobs of the offline engine (the defaults suit survey comments of a few words to a few lines)."""

    merge_threshold: float = 0.26
    """Groups merge while their average cosine similarity is at least this."""
    attach_threshold: float = 0.2
    """A clause of a tiny group joins the nearest theme if at least this similar to it."""
    min_share: float = 0.01
    """A theme needs at least this share of substantive comments (and at least ``min_count``)."""
    min_count: int = 2
    max_themes: int = 15
    n_quotes: int = 5


_EN_STOP = set(
    "a an the and or but if of to in on at for with from by is are was were be been being it its this that "
    "these those we our us you your they their them i me my very too so not no more most much many some "
    "again also just than then there here has have had do does did can could would should will about into "
    "out up down over under all any each keep keeps name phone email url postal code company".split()
)
_TOKEN = re.compile(r"[a-z][a-z'-]{2,}|[\u30a0-\u30ff\u4e00-\u9fff]{2,}")


@dataclass
class _Unit:
    text: str
    response_ids: list[str]
    japanese: bool


def _only_placeholders(text: str) -> bool:
    """True for a clause that is nothing but personal data (e.g. a bare postal code or e-mail)."""
    return not re.search(r"\w", re.sub(r"\[(?:email|url|phone|postal code|name|company)\]", "", mask_pii(text)))


def _tokens(text: str) -> list[str]:
    return [w for w in _TOKEN.findall(text.lower()) if w not in _EN_STOP]


def _strip_end(text: str) -> str:
    return text.rstrip("。．.!！?？;；、, ")


def _nps_stats(nps_values: list[float]) -> tuple[float | None, float | None, float | None]:
    values = [v for v in nps_values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return None, None, None
    n = len(values)
    promoters = sum(v >= 9 for v in values) / n
    detractors = sum(v <= 6 for v in values) / n
    return round(sum(values) / n, 2), round(detractors, 4), round(100 * (promoters - detractors), 1)


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
                unit = units[piece] = _Unit(piece, [], is_japanese(piece))
            if not unit.response_ids or unit.response_ids[-1] != c.response_id:
                unit.response_ids.append(c.response_id)
    texts = sorted(units)
    report(0.1, "embedding")
    if texts:
        vectors = embedder.encode([mask_pii(t) for t in texts])
    else:
        vectors = np.zeros((0, 1), dtype=np.float32)
    weights = np.array([len(units[t].response_ids) for t in texts], dtype=np.float64)
    report(0.6, "clustering")
    labels = agglomerate(vectors, weights, settings.merge_threshold) if texts else np.zeros(0, dtype=np.int64)

    n_sub = len(substantive)
    min_count = max(settings.min_count, math.ceil(settings.min_share * n_sub))
    cluster_ids: dict[int, set[str]] = defaultdict(set)
    for t, lab in zip(texts, labels, strict=True):
        cluster_ids[int(lab)].update(units[t].response_ids)
    big = [lab for lab, ids in cluster_ids.items() if len(ids) >= min_count]
    big.sort(key=lambda lab: (-len(cluster_ids[lab]), lab))
    big = big[: settings.max_themes]

    centroids = {}
    for lab in big:
        members = labels == lab
        c = (vectors[members] * weights[members, None]).sum(axis=0)
        centroids[lab] = c / (np.linalg.norm(c) or 1.0)
    unit_theme: dict[str, int] = {}
    if big:
        cmat = np.stack([centroids[lab] for lab in big])
        sims = vectors @ cmat.T
        for i, (t, lab) in enumerate(zip(texts, labels, strict=True)):
            if int(lab) in centroids:
                unit_theme[t] = int(lab)
            else:
                best = int(np.argmax(sims[i]))
                if sims[i, best] >= settings.attach_threshold:
                    unit_theme[t] = big[best]
    report(0.85, "labelling")

    theme_units: dict[int, list[str]] = defaultdict(list)
    for t, lab in unit_theme.items():
        theme_units[lab].append(t)
    theme_ids: dict[int, set[str]] = {lab: set() for lab in big}
    for t, lab in unit_theme.items():
        theme_ids[lab].update(units[t].response_ids)
    order = sorted(big, key=lambda lab: (-len(theme_ids[lab]), lab))

    all_tokens = Counter(tok for t in texts for tok in set(_tokens(mask_pii(t))) for _ in units[t].response_ids)
    themes: list[Theme] = []
    assignments: dict[str, list[str]] = {c.response_id: [] for c in substantive}
    text_index = {t: i for i, t in enumerate(texts)}
    for rank, lab in enumerate(order, start=1):
        key = f"theme-{rank:02d}"
        members = sorted(theme_units[lab])
        sim = {t: float(vectors[text_index[t]] @ centroids[lab]) for t in members}
        label = _label(members, sim, units)
        ids = sorted(theme_ids[lab])
        for rid in ids:
            assignments[rid].append(key)
        mean_nps, det_share, nps = _nps_stats([by_id[r].nps for r in ids])
        tok_counts = Counter(tok for t in members for tok in set(_tokens(mask_pii(t))) for _ in units[t].response_ids)
        keywords = sorted(
            tok_counts,
            key=lambda w: (-(tok_counts[w] / all_tokens[w]) * math.log1p(tok_counts[w]), w),
        )[:5]
        themes.append(
            Theme(
                key=key,
                label=label,
                count=len(ids),
                share=round(len(ids) / n_sub, 4) if n_sub else 0.0,
                mean_nps=mean_nps,
                detractor_share=det_share,
                nps=nps,
                response_ids=ids,
                quotes=_quotes(members, sim, units, by_id, settings.n_quotes),
                keywords=keywords,
            )
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
    )


def _label(members: list[str], sim: dict[str, float], units: dict[str, _Unit]) -> str:
    """Short representative phrases: per language with a real share, the shortest of the most central."""
    weight = {True: 0.0, False: 0.0}
    for t in members:
        weight[units[t].japanese] += len(units[t].response_ids)
    total = sum(weight.values()) or 1.0
    languages = sorted((j for j in weight if weight[j] / total >= 0.2), key=lambda j: (-weight[j], j))
    parts = []
    for japanese in languages:
        pool = [t for t in members if units[t].japanese == japanese]
        top = max(sim[t] for t in pool)
        central = [t for t in pool if sim[t] >= top - 0.08]
        pick = min(central, key=lambda t: (len(t), -sim[t], t))
        parts.append(_strip_end(mask_pii(pick)))
    return " / ".join(parts)


def _quotes(members, sim, units, by_id, n_quotes: int) -> list[Quote]:
    """The most central distinct clauses, each with its first response (both languages when present)."""
    ranked = sorted(members, key=lambda t: (-sim[t], t))
    picked: list[str] = []
    for japanese in (False, True):  # the best clause of each language first, so both are shown
        best = next((t for t in ranked if units[t].japanese == japanese), None)
        if best is not None:
            picked.append(best)
    picked.sort(key=lambda t: (-sim[t], t))
    for t in ranked:
        if len(picked) >= n_quotes:
            break
        if t not in picked:
            picked.append(t)
    quotes, used = [], set()
    for t in picked[:n_quotes]:
        rid = next((r for r in units[t].response_ids if r not in used), units[t].response_ids[0])
        used.add(rid)
        quotes.append(Quote(response_id=rid, text=str(by_id[rid].text), excerpt=mask_pii(t)))
    # Few distinct clauses: show further responses with the same words (at least 3 quotes when possible).
    for t in picked:
        for rid in units[t].response_ids:
            if len(quotes) >= min(3, n_quotes):
                return quotes
            if rid not in used:
                used.add(rid)
                quotes.append(Quote(response_id=rid, text=str(by_id[rid].text), excerpt=mask_pii(t)))
    return quotes
