"""Rebuild the small labelled feedback subsets in bench/data/ from their public sources.

    python -m bench.data.make_theme_sets CHABSA_JSON_DIR BANKING77_TEST_CSV

- ``CHABSA_JSON_DIR``: the ``*_ann.json`` files of chABSA-dataset (chakki-works, CC BY 4.0; the
  copy used was the one in github.com/sinjorjob/chABSA-dataset, data/chABSA/).
- ``BANKING77_TEST_CSV``: banking_data/test.csv of github.com/PolyAI-LDN/task-specific-datasets
  (BANKING77, CC BY 4.0).

Kept small and deterministic: chABSA sentences whose opinions share one category and one polarity
(at most 800, spread over documents); BANKING77: the first 20 test messages of each intent.
SemEval-2016 restaurants is not copied (its redistribution terms were not verified): see
bench/bench_theme_quality.py for how it is read from a path.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def chabsa(json_dir: Path, limit: int = 800) -> int:
    rows = []
    for path in sorted(json_dir.glob("*_ann.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for sentence in doc["sentences"]:
            opinions = sentence.get("opinions") or []
            categories = {o["category"] for o in opinions}
            polarities = {o["polarity"] for o in opinions}
            if len(categories) == 1 and len(polarities) == 1:
                rows.append(
                    {
                        "id": f"{doc['header']['document_id']}-{sentence['sentence_id']}",
                        "text": sentence["sentence"],
                        "topic": next(iter(categories)),
                        "polarity": next(iter(polarities)),
                    }
                )
    step = max(1, len(rows) // limit)
    rows = rows[::step][:limit]
    with open(HERE / "chabsa_ja.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def banking77(test_csv: Path, per_intent: int = 20) -> int:
    kept: dict[str, list[str]] = defaultdict(list)
    with open(test_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if len(kept[row["category"]]) < per_intent:
                kept[row["category"]].append(row["text"])
    n = 0
    with open(HERE / "banking77_en.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "topic"])
        for category in sorted(kept):
            for text in kept[category]:
                n += 1
                writer.writerow([f"B{n:05d}", text, category])
    return n


if __name__ == "__main__":  # pragma: no cover
    print("chabsa_ja.jsonl:", chabsa(Path(sys.argv[1])))
    print("banking77_en.csv:", banking77(Path(sys.argv[2])))
