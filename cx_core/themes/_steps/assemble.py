"""Step 10, assemble: the themes as shown. Each topic's sides big enough are themes of their own,
named "<topic>: complaints" with ``topic`` and ``side`` set, so no theme mixes praise and
complaints; each with its count, scores, quotes, keywords and sub-themes; the general groups
after the topical themes; each comment's themes, its main theme (its longest clause's) first.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .._redact import mask_pii
from .._types import Quote, SubTheme, Theme, ThemeResult
from .data import GENERAL_LABELS, SIDE_WORDS, Clauses, Mention, Names, OfflineSettings, Parts, Sides, nps_stats


def assemble(
    clauses: Clauses, sides: Sides, parts: Parts, names: Names, settings: OfflineSettings, engine: str
) -> ThemeResult:
    """The result of the offline engine (``engine``: its name as shown, e.g. "offline (use)")."""
    units = clauses.clauses
    answers = clauses.answers
    by_id = answers.substantive
    n_sub = len(by_id)
    min_count = settings.min_count_of(n_sub)
    topic_names, mentions, sub_labels = names.topics, names.mentions, names.parts
    mention_polarity = sides.polarity

    entries: list[tuple[list[Mention], dict]] = []
    topic_size: dict[int, set[str]] = defaultdict(set)
    for (topic, _side), ms in mentions.items():
        topic_size[topic].update(rid for _, rid in ms)
    for (topic, side), ms in mentions.items():
        # A topic big enough to be shown shows each side with at least ``min_count`` (2) comments, so a
        # small side of it is not lost; a topic too small to be a theme is not shown at all.
        if len(topic_size[topic]) < min_count or len({rid for _, rid in ms}) < settings.min_count:
            continue
        name, support, japanese = topic_names[topic]
        label = f"{name}: {SIDE_WORDS[japanese][side]}"
        subs = _subthemes(ms, topic, sub_labels, parts, settings.min_count)
        entries.append((ms, {"topic": name, "side": side, "label": label, "support": support, "subthemes": subs}))
    for side, ms in sides.general.items():
        if len({rid for _, rid in ms}) >= min_count:
            entries.append((ms, {"topic": "", "side": side, "label": GENERAL_LABELS[side], "general": True}))
    entries.sort(key=lambda e: (bool(e[1].get("general")), -len({rid for _, rid in e[0]}), e[1]["label"]))

    themes: list[Theme] = []
    assignments: dict[str, list[str]] = {c.response_id: [] for c in by_id.values()}
    main_clause: dict[str, tuple[str, int]] = {}  # each comment's theme of its longest clause (key, length)
    for rank, (ms, meta) in enumerate(entries, start=1):
        key = f"theme-{rank:02d}"
        ids = sorted({rid for _, rid in ms})
        for rid in ids:
            assignments[rid].append(key)
        for t, rid in ms:
            if len(t) > main_clause.get(rid, ("", 0))[1]:
                main_clause[rid] = (key, len(t))
        mean_nps, det_share, nps = nps_stats([by_id[r].nps for r in ids])
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
    return ThemeResult(
        themes=themes,
        assignments=assignments,
        non_answer_ids=answers.non_answer_ids,
        n_comments=len(answers.comments.records),
        n_substantive=n_sub,
        uncovered_share=round(uncovered / n_sub, 4) if n_sub else 0.0,
        engine=engine,
        broad_topics=broad,
    )


def _subthemes(ms, topic, sub_labels, parts: Parts, min_count) -> list[SubTheme]:
    """One side of a topic drilled down: its comments per sub-theme (same-named parts as one).

    Empty unless at least two sub-themes have ``min_count`` comments on this side.
    """
    ids: dict[str, set[str]] = defaultdict(set)
    for t, rid in ms:
        if (sub := parts.of(t, rid)) >= 0:
            ids[sub_labels[(topic, sub)]].add(rid)
    subs = [SubTheme(label, len(rids), sorted(rids)) for label, rids in ids.items() if len(rids) >= min_count]
    subs.sort(key=lambda s: (-s.count, s.label))
    return subs if len(subs) >= 2 else []


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
