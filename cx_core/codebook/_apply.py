"""Apply a codebook to comments: decisions about single comments, then rules, then closeness to examples.

Each comment is coded from its own text, score and the codebook alone (never from the other
comments loaded with it), so the same comment gets the same themes in every wave, and the same
data with the same codebook gives identical themes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..themes import (
    CommentRecord,
    Embedder,
    OfflineSettings,
    Quote,
    SubTheme,
    Theme,
    ThemeEngine,
    ThemeResult,
    extract_themes,
    is_non_answer,
    mask_pii,
)
from ..themes._steps.data import nps_stats as _nps_stats  # one NPS summary for engine and codebook themes
from ._model import Codebook, CodebookTheme
from ._rules import any_phrase, normalise
from ._text import allowed, best_matches, clause_sides, clauses, encode

DEFAULT_THRESHOLD = 0.42
"""Cosine similarity a clause needs to its nearest example to join a theme (USE embeddings).

Chosen on development splits of two labelled public sets, English and Japanese (``python -m
bench.codebook_eval``: examples from one half of the comments, the one threshold whose coding agrees
best with the engine on a quarter of each set, figures reported on the other quarter); see
docs/BENCHMARKS_CODEBOOK.md."""

NGRAM_THRESHOLD = 0.6
"""The same for the character n-gram fallback (no sentence encoder installed; unit tests): its
similarities run higher between unrelated texts that share common words. Set by hand on the sample,
not tuned on a held-out split: the sentence encoder is the supported path."""

CANDIDATE_MIN_COUNT = 3
_GENERAL_PREFIXES = ("general", "全般的")  # the engine's "General praise" / 「全般的な好評」 groups
N_QUOTES = 5


@dataclass(frozen=True)
class Candidate:
    """A group of uncoded comments that may deserve a theme of its own (proposed by the engine)."""

    label: str
    count: int
    response_ids: list[str]
    side: str = ""
    examples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"label": self.label, "count": self.count, "response_ids": list(self.response_ids), "side": self.side}


@dataclass
class CodedThemes:
    """The themes of some comments under a codebook.

    ``result`` is an ordinary :class:`~cx_core.themes.ThemeResult` whose theme keys are the codebook
    ids (so impact, segments, trends and reports read it as they read the engine's); ``uncoded_ids``
    are substantive comments no theme took; ``set_aside_ids`` were excluded by a person (a comment
    excluded, or closest to an excluded theme) and count neither as coded nor as uncoded;
    ``coverage`` is the share of the other substantive comments that are coded; ``counts`` gives
    every codebook theme's comments, 0 included (the preview before applying to a new wave).
    """

    result: ThemeResult
    uncoded_ids: list[str]
    set_aside_ids: list[str]
    candidates: list[Candidate]
    coverage: float
    counts: dict[str, int]
    by_rule: dict[str, int]

    @property
    def uncoded_share(self) -> float:
        """Share of the substantive comments (those not set aside) that no theme took."""
        return round(1.0 - self.coverage, 4) if self.result.n_substantive > len(self.set_aside_ids) else 0.0

    def preview(self, codebook: Codebook) -> list[dict]:
        """One row per codebook theme: id, label, comments it gets (0 included), comments by rule."""
        return [
            {
                "id": th.id,
                "label": th.label,
                "count": self.counts.get(th.id, 0),
                "by_rule": self.by_rule.get(th.id, 0),
                "excluded": th.excluded,
            }
            for th in codebook.themes
        ]


def apply_codebook(
    codebook: Codebook,
    comments: list[CommentRecord],
    *,
    embedder: Embedder | None = None,
    threshold: float | None = None,
    engine_result: ThemeResult | None = None,
    candidates: bool = True,
    candidate_settings: OfflineSettings | None = None,
) -> CodedThemes:
    """The themes of ``comments`` under ``codebook``.

    For each comment, in order: a person's decision about that comment (``codebook.comments``);
    each theme whose ``include`` phrase it contains; each of its clauses joins the theme with the
    closest example (at least ``threshold`` similar, by default :data:`DEFAULT_THRESHOLD`, on a side the theme takes). A theme's
    ``exclude`` phrases keep a comment out of it whatever else says so. ``engine_result`` (the
    engine's themes of the same comments) lends each coded theme the engine's drill-down into parts;
    ``candidates`` runs the engine on the uncoded comments to propose new themes.
    """
    embedder = embedder or Embedder()
    if threshold is None:
        threshold = NGRAM_THRESHOLD if getattr(embedder, "kind", "use") == "ngram" else DEFAULT_THRESHOLD
    records = sorted((c for c in comments if c.text and str(c.text).strip()), key=lambda c: str(c.response_id))
    non_answers = [c.response_id for c in records if is_non_answer(c.text)]
    skip = set(non_answers)
    substantive = [c for c in records if c.response_id not in skip]
    by_id = {c.response_id: c for c in substantive}
    themes = list(codebook.themes)
    index = {th.id: i for i, th in enumerate(themes)}

    # examples: exact text first (no model needed), closeness for the rest
    example_owner: dict[str, int] = {}
    example_texts: list[str] = []
    owners: list[int] = []
    for i, th in enumerate(themes):
        for ex in th.examples:
            key = normalise(ex)
            example_owner.setdefault(key, i)
            example_texts.append(ex)
            owners.append(i)

    parts_of: dict[str, list[str]] = {}
    sides_of: dict[str, list[str]] = {}
    todo: dict[str, None] = {}
    memo: dict = {}
    for c in substantive:
        if c.response_id in codebook.comments:
            continue
        parts = clauses(c.text)
        parts_of[c.response_id] = parts
        sides_of[c.response_id] = clause_sides(parts, c.nps, memo)
        for p in parts:
            todo.setdefault(p, None)
    distinct = list(todo)
    best: dict[str, np.ndarray] = {}
    if distinct and example_texts:
        examples = encode(embedder, example_texts)
        queries = encode(embedder, distinct)
        row = 0
        for chunk in best_matches(queries, examples, owners, len(themes)):
            for sims in chunk:
                best[distinct[row]] = sims
                row += 1

    members: dict[int, list[tuple[str, str, str]]] = defaultdict(list)  # theme -> (rid, clause, side)
    by_rule: Counter = Counter()
    set_aside: list[str] = []
    for c in substantive:
        rid = c.response_id
        if rid in codebook.comments:
            chosen = [index[t] for t in codebook.comments[rid] if t in index and not themes[index[t]].excluded]
            if not chosen:
                set_aside.append(rid)
            for i in chosen:
                members[i].append((rid, _first_clause(c.text), ""))
            continue
        text = str(c.text)
        blocked = {i for i, th in enumerate(themes) if th.exclude and any_phrase(text, th.exclude)}
        got: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for i, th in enumerate(themes):
            if th.include and i not in blocked and any_phrase(text, th.include):
                got[i].append((_clause_with(text, th), ""))
                by_rule[th.id] += 1
        closest_excluded = False
        for part, side in zip(parts_of[rid], sides_of[rid], strict=True):
            pick = _closest(part, side, themes, blocked, example_owner, best.get(part), threshold)
            if pick is None:
                continue
            if themes[pick].excluded:
                closest_excluded = True
                continue
            got[pick].append((part, side))
        chosen_themes = [i for i in got if not themes[i].excluded]
        if not chosen_themes and closest_excluded:
            set_aside.append(rid)
        for i in chosen_themes:
            for part, side in got[i]:
                members[i].append((rid, part, side))

    set_aside_set = set(set_aside)
    coded_ids = {rid for ms in members.values() for rid, _, _ in ms}
    decided = coded_ids | set_aside_set
    uncoded = [c.response_id for c in substantive if c.response_id not in decided]
    base = len(substantive) - len(set_aside)
    coverage = round(len(coded_ids) / base, 4) if base else 0.0

    built: list[Theme] = []
    counts: dict[str, int] = {}
    assignments: dict[str, list[str]] = {c.response_id: [] for c in substantive if c.response_id not in set_aside_set}
    for i, th in enumerate(themes):
        ms = members.get(i, [])
        ids = sorted({rid for rid, _, _ in ms})
        counts[th.id] = len(ids)
        if not ids or th.excluded:
            continue
        for rid in ids:
            assignments[rid].append(th.id)
        built.append(_theme(th, ms, ids, by_id, len(substantive), engine_result))
    built.sort(key=lambda t: (t.general, -t.count, index[t.key]))
    for rid in assignments:  # a comment's themes in the list's order
        assignments[rid].sort(key=lambda k: index[k])

    result = ThemeResult(
        themes=built,
        assignments=assignments,
        non_answer_ids=non_answers,
        n_comments=len(records),
        n_substantive=len(substantive),
        uncovered_share=round(1 - coverage, 4) if base else 0.0,
        engine="codebook",
    )
    proposed = _candidates(uncoded, by_id, embedder, candidate_settings) if candidates else []
    return CodedThemes(result, uncoded, sorted(set_aside_set), proposed, coverage, counts, dict(by_rule))


def _first_clause(text: str) -> str:
    parts = clauses(text)
    return parts[0] if parts else str(text)


def _clause_with(text: str, theme: CodebookTheme) -> str:
    """The clause of ``text`` that holds one of the theme's include phrases (the quote's excerpt)."""
    for part in clauses(text):
        if any_phrase(part, theme.include):
            return part
    return _first_clause(text)


def _closest(part, side, themes, blocked, example_owner, sims, threshold) -> int | None:
    """The theme a clause joins: its exact example, else the closest theme at least ``threshold``
    similar; the clause's side then picks among the sides of that theme's topic (a praise clause
    closest to "delivery: complaints" joins "delivery: praise" when the codebook has it)."""
    pick = example_owner.get(normalise(part))
    if pick is not None and pick in blocked:
        pick = None
    if pick is None and sims is not None:
        for i in np.argsort(-sims, kind="stable"):
            if sims[i] < threshold:
                break
            if int(i) not in blocked:
                pick = int(i)
                break
    if pick is None or allowed(themes[pick].side, side):
        return pick
    topic = themes[pick].topic
    if topic:
        twins = [i for i, th in enumerate(themes) if th.topic == topic and i not in blocked and allowed(th.side, side)]
        if twins:
            return max(twins, key=lambda i: (-1.0 if sims is None else float(sims[i]), -i))
    return pick


def _theme(th: CodebookTheme, ms, ids, by_id, n_sub, engine_result) -> Theme:
    mean_nps, det_share, nps = _nps_stats([by_id[r].nps for r in ids])
    used = Counter(part for _, part, _ in ms)
    quotes: list[Quote] = []
    seen_rids: set[str] = set()
    for part in sorted(used, key=lambda p: (-used[p], len(p), p)):
        rid = next((r for r, p, _ in ms if p == part and r not in seen_rids), None)
        if rid is None:
            continue
        seen_rids.add(rid)
        quotes.append(Quote(response_id=rid, text=str(by_id[rid].text), excerpt=mask_pii(part)))
        if len(quotes) >= N_QUOTES:
            break
    sides = Counter(side for _, _, side in ms if side)
    polarity = {
        "positive": sides.get("praise", 0),
        "negative": sides.get("complaint", 0),
        "neutral": sides.get("neutral", 0),
    }
    general = th.side in ("praise", "complaint") and not th.topic and th.label.lower().startswith(_GENERAL_PREFIXES)
    return Theme(
        key=th.id,
        label=th.label,
        count=len(ids),
        share=round(len(ids) / n_sub, 4) if n_sub else 0.0,
        mean_nps=mean_nps,
        detractor_share=det_share,
        nps=nps,
        response_ids=ids,
        quotes=quotes,
        keywords=list(th.include[:5]),
        description=th.description,
        source="codebook",
        topic=th.topic,
        side=th.side,
        polarity=polarity,
        general=general,
        support=1.0,
        subthemes=_parts(ids, engine_result),
    )


def _parts(ids: list[str], engine_result: ThemeResult | None) -> list[SubTheme]:
    """The engine's drill-down of the engine theme that shares most comments with this one, kept to
    this theme's comments (parts of at least two comments)."""
    if engine_result is None or not ids:
        return []
    members = set(ids)
    best, overlap = None, 0
    for theme in engine_result.themes:
        shared = len(members.intersection(theme.response_ids))
        if shared > overlap and theme.subthemes:
            best, overlap = theme, shared
    if best is None:
        return []
    parts = []
    for sub in best.subthemes:
        kept = [r for r in sub.response_ids if r in members]
        if len(kept) >= 2:
            parts.append(SubTheme(sub.label, len(kept), kept))
    parts.sort(key=lambda s: (-s.count, s.label))
    return parts


def _candidates(uncoded, by_id, embedder, settings) -> list[Candidate]:
    """New groups among the uncoded comments: the engine's topical themes of them alone."""
    if len(uncoded) < CANDIDATE_MIN_COUNT:
        return []
    found = extract_themes([by_id[r] for r in uncoded], ThemeEngine.OFFLINE, settings=settings, embedder=embedder)
    out = []
    for theme in found.themes:
        if theme.general or theme.count < CANDIDATE_MIN_COUNT:
            continue
        examples = [q.excerpt or q.text for q in theme.quotes]
        out.append(Candidate(theme.label, theme.count, list(theme.response_ids), theme.side, examples))
    out.sort(key=lambda c: (-c.count, c.label))
    return out
