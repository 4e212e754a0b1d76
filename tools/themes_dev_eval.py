"""Theme quality on the *development* half of the public airline tweets (even tweet ids), for tuning.

``bench/bench_theme_quality.py`` reports the held-out half (odd ids); settings of the engine are
chosen here, never there. Subsamples keep a run short on a shared machine: every 2nd complaint
tweet with a reason (3,071) and every 3rd tweet (3,779). Same metrics as the bench: NMI of each
comment's main theme's topic against the human category, polarity purity, share of mentions on a
praise side, name match.

Run: ``python -m tools.themes_dev_eval [terms|meaning ...]`` (needs Tweets.csv: ``CX_BENCH_AIRLINE``
or the local mirror the bench reads). ``--whole`` adds the clustering experiment behind the
comment topic level: the same knee on clauses alone, on each clause plus its comment, and on
whole comments.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict

import numpy as np

from bench.bench_theme_quality import kmeans_pp, load_airline, name_match, nmi, polarity_purity
from cx_core.themes import CommentRecord, Embedder, OfflineSettings, extract_themes
from cx_core.themes._normalise import normalise_text
from cx_core.themes._redact import mask_pii
from cx_core.themes._split import split_units
from cx_core.themes._topics import broad_topics


def evaluate(items: list[dict], embedder: Embedder, settings: OfflineSettings) -> dict:
    comments = [CommentRecord(str(it["id"]), it["text"], None) for it in items]
    start = time.perf_counter()
    result = extract_themes(comments, embedder=embedder, settings=settings)
    seconds = time.perf_counter() - start
    by_key = {th.key: th for th in result.themes}
    gold = {str(it["id"]): it["polarity"] for it in items}
    topic = []
    for it in items:
        keys = result.assignments.get(str(it["id"]), [])
        theme = by_key[keys[0]] if keys else None
        topic.append("(none)" if theme is None else (theme.label if theme.general else theme.topic))
    mentions = sum(sum(th.polarity.values()) for th in result.themes) or 1
    return {
        "nmi": round(nmi([it["topic"] for it in items], topic), 3),
        "purity": polarity_purity({th.key: [gold[r] for r in th.response_ids] for th in result.themes}),
        "praise_share": round(sum(th.polarity.get("positive", 0) for th in result.themes) / mentions, 3),
        "topics": len({th.topic for th in result.themes if not th.general}),
        "name_match": name_match(result, items, embedder)["share"],
        "seconds": round(seconds, 1),
    }


def whole_comment_experiment(items: list[dict], embedder: Embedder) -> dict:
    truth = [it["topic"] for it in items]
    texts = [mask_pii(normalise_text(it["text"])) for it in items]
    whole = embedder.encode(texts).astype(np.float64)
    units = [[mask_pii(u) for u in split_units(normalise_text(it["text"]))] for it in items]
    pairs = sorted({(u, i) for i, us in enumerate(units) for u in us})
    clause = embedder.encode([u for u, _ in pairs]).astype(np.float64)
    out = {
        "k-means true k, raw text": round(
            nmi(
                truth,
                list(kmeans_pp(embedder.encode([it["text"] for it in items]).astype(np.float64), len(set(truth)))),
            ),
            3,
        )
    }
    labels, _ = broad_topics(whole, np.ones(len(whole)))
    out["knee, whole comments"] = round(nmi(truth, list(labels)), 3)
    for name, alpha in (("knee, clauses alone (longest)", 0.0), ("knee, clause + its comment (longest)", 1.0)):
        x = clause + alpha * whole[[i for _, i in pairs]]
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        lab, _ = broad_topics(x, np.ones(len(x)))
        longest: dict[int, list] = defaultdict(list)
        for (u, i), label in zip(pairs, lab, strict=True):
            longest[i].append((len(u), int(label)))
        out[name] = round(nmi(truth, [max(longest[i])[1] if longest[i] else -1 for i in range(len(items))]), 3)
    return out


def main(argv: list[str]) -> None:
    levels = [a for a in argv if not a.startswith("--")] or ["terms", "meaning"]
    embedder = Embedder()
    sets = {
        "complaints (dev)": load_airline(complaints_only=True, held_out=False),
        "all (dev)": load_airline(complaints_only=False, held_out=False),
    }
    for name, items in sets.items():
        if isinstance(items, str):
            print(f"{name}: skipped: {items}")
            continue
        items = items[::2] if name.startswith("complaints") else items[::3]
        for level in levels:
            print(name, len(items), level, evaluate(items, embedder, OfflineSettings(topic_level=level)), flush=True)
        if "--whole" in argv:
            print(name, "clustering experiment", whole_comment_experiment(items, embedder), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
