"""How faithfully a proposed codebook reproduces the engine's themes on comments it has not seen.

``python -m bench.codebook_eval`` (writes docs/BENCHMARKS_CODEBOOK.md). On each labelled public set
of ``bench/data`` (see SOURCES.md): the offline engine (multilingual USE) runs on every comment;
the codebook is proposed with examples from the *train* half only; the closeness threshold is the
one whose coding agrees best with the engine on the *development* quarter; agreement, coverage and
the next-wave stability are reported on the *held-out* quarter, never used for choosing.

Agreement is micro-F1 over (comment, theme) pairs against the engine's own themes, and the share
of comments given exactly the engine's set of themes.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import zlib
from pathlib import Path

from bench.bench_theme_quality import load_banking, load_chabsa, nmi
from cx_core.codebook import apply_codebook, propose_codebook
from cx_core.themes import CommentRecord, Embedder, extract_themes

GRID = [round(0.30 + 0.02 * i, 2) for i in range(26)]
OUT = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS_CODEBOOK.md"


def split_of(rid: str) -> str:
    bucket = zlib.crc32(rid.encode()) % 4
    return "train" if bucket < 2 else "dev" if bucket == 2 else "held-out"


def agreement(truth: dict[str, set[str]], coded: dict[str, list[str]], ids: list[str]) -> tuple[float, float]:
    tp = fp = fn = exact = 0
    for rid in ids:
        want, got = truth.get(rid, set()), set(coded.get(rid, []))
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
        exact += want == got
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return round(f1, 3), round(exact / len(ids), 3) if ids else 0.0


def prepare(name: str, rows: list[dict]) -> dict:
    """The engine's themes of every comment and the codebook proposed from the train half."""
    comments = [CommentRecord(str(r["id"]), str(r["text"])) for r in rows]
    topics = {str(r["id"]): str(r["topic"]) for r in rows}
    embedder = Embedder()
    started = time.perf_counter()
    result = extract_themes(comments, embedder=embedder)
    engine_s = time.perf_counter() - started
    split = {c.response_id: split_of(c.response_id) for c in comments}
    train = {r for r, s in split.items() if s == "train"}
    codebook = propose_codebook(result, comments, example_ids=train)
    key_to_id = {t.key: codebook.themes[i].id for i, t in enumerate(result.themes)}
    truth = {rid: {key_to_id[k] for k in keys} for rid, keys in result.assignments.items()}
    dev = [c for c in comments if split[c.response_id] == "dev"]
    scores = {}
    for threshold in GRID:
        coded = apply_codebook(codebook, dev, embedder=embedder, threshold=threshold, candidates=False)
        scores[threshold] = agreement(
            truth, coded.result.assignments, [c.response_id for c in dev if c.response_id in truth]
        )
    return {
        "name": name,
        "comments": comments,
        "embedder": embedder,
        "result": result,
        "split": split,
        "codebook": codebook,
        "truth": truth,
        "dev_scores": scores,
        "engine_s": engine_s,
        "topics": topics,
    }


def evaluate(prepared: dict, threshold: float) -> dict:
    """Held-out figures at ``threshold`` (chosen on the development quarters)."""
    comments, split, truth = prepared["comments"], prepared["split"], prepared["truth"]
    codebook, embedder = prepared["codebook"], prepared["embedder"]
    held = [c for c in comments if split[c.response_id] == "held-out"]
    held_ids = [c.response_id for c in held if c.response_id in truth]
    started = time.perf_counter()
    coded = apply_codebook(codebook, held, embedder=embedder, threshold=threshold)
    apply_s = time.perf_counter() - started
    f1, exact = agreement(truth, coded.result.assignments, held_ids)
    # next wave: the held-out comments again (new response ids) plus 10 % new comments from the train half
    repeat = [CommentRecord("next-" + c.response_id, c.text) for c in held]
    extra = [CommentRecord("new-" + c.response_id, c.text) for c in comments if split[c.response_id] == "train"]
    wave = repeat + extra[: max(1, len(repeat) // 10)]
    again = apply_codebook(codebook, wave, embedder=embedder, threshold=threshold, candidates=False)
    kept = sum(
        sorted(coded.result.assignments.get(c.response_id, []))
        == sorted(again.result.assignments.get("next-" + c.response_id, []))
        for c in held
    )
    dev_f1, dev_exact = prepared["dev_scores"][threshold]
    # against the people's labels: each held-out comment's first theme (engine vs codebook)
    topics = prepared["topics"]
    labelled = [c.response_id for c in held if c.response_id in topics]
    engine_of = {rid: sorted(keys)[0] if keys else "none" for rid, keys in truth.items()}
    coded_of = {rid: (keys[0] if keys else "none") for rid, keys in coded.result.assignments.items()}
    truth_labels = [topics[r] for r in labelled]
    nmi_engine = nmi(truth_labels, [engine_of.get(r, "none") for r in labelled])
    nmi_codebook = nmi(truth_labels, [coded_of.get(r, "none") for r in labelled])
    return {
        "set": prepared["name"],
        "comments": len(comments),
        "themes": len(codebook.themes),
        "threshold": threshold,
        "dev_f1": dev_f1,
        "dev_exact": dev_exact,
        "held_f1": f1,
        "held_exact": exact,
        "held_coverage": coded.coverage,
        "engine_uncovered": prepared["result"].uncovered_share,
        "next_wave_kept": round(kept / len(held), 4) if held else 1.0,
        "candidates": len(coded.candidates),
        "nmi_engine": round(nmi_engine, 3),
        "nmi_codebook": round(nmi_codebook, 3),
        "engine_s": round(prepared["engine_s"], 1),
        "apply_s": round(apply_s, 1),
    }


def main(argv: list[str] | None = None) -> int:
    prepared = [prepare("banking77-en", load_banking()), prepare("chabsa-ja", load_chabsa())]
    # one threshold for every language: the best mean F1 over the development quarters
    threshold = max(GRID, key=lambda th: (sum(p["dev_scores"][th][0] for p in prepared), -th))
    rows = [evaluate(p, threshold) for p in prepared]
    per_set = ", ".join(f"{p['name']} {max(GRID, key=lambda th, p=p: (p['dev_scores'][th][0], -th))}" for p in prepared)
    lines = [
        "# Codebook: applying a proposed codebook to comments it has not seen",
        "",
        f"`python -m bench.codebook_eval`, {dt.date.today().isoformat()}. Engine: offline, multilingual USE. "
        "Examples from the train half, one threshold chosen on the development quarters of both sets "
        f"(grid {GRID[0]}-{GRID[-1]}; best per set alone: {per_set}), "
        "figures on the held-out quarter. F1: (comment, theme) pairs against the engine's own themes; "
        "exact: comments given exactly the engine's themes; next wave: held-out comments repeated with new ids "
        "plus 10 % others, share whose themes stay the same. NMI: held-out comments' first theme against the "
        "people's topic labels, for the engine's themes and for the codebook's coding.",
        "",
        "| set | comments | themes | threshold (dev) | dev F1 | held-out F1 | held-out exact | held-out coverage "
        "| engine uncovered | next wave kept | candidates | NMI vs labels: engine | NMI: codebook | engine s | apply s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['set']} | {r['comments']} | {r['themes']} | {r['threshold']} | {r['dev_f1']} | {r['held_f1']} "
            f"| {r['held_exact']} | {r['held_coverage']} | {r['engine_uncovered']} | {r['next_wave_kept']} "
            f"| {r['candidates']} | {r['nmi_engine']} | {r['nmi_codebook']} | {r['engine_s']} | {r['apply_s']} |"
        )
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
