"""What the LLM-path redaction costs and what it over-redacts, on 3,000 real texts.

1,500 English banking messages (BANKING77) and 1,500 Japanese sentences (chABSA), from bench/data:
seconds for ``Redactor`` (names, addresses, checksummed numbers, account names) against
``mask_pii`` alone, and how many texts got a placeholder that ``mask_pii`` did not put (these
texts hold no planted personal data: every such placeholder is over-redaction).

    .venv/bin/python tools/measure_redact.py
"""

from __future__ import annotations

import collections
import csv
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cx_core.themes import Redactor, mask_pii  # noqa: E402


def main() -> None:
    data = ROOT / "bench" / "data"
    with (data / "banking77_en.csv").open(encoding="utf-8") as handle:
        en = [row["text"] for row in csv.DictReader(handle)]
    ja = [json.loads(line)["text"] for line in (data / "chabsa_ja.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = (en * 2)[:1500] + (ja * 2)[:1500]
    redactor = Redactor(["Tokai Precision Works Co., Ltd.", "東海精密工業株式会社"])
    redactor("warm up 日本語")  # loads the name lists and the dictionary once
    start = time.perf_counter()
    redacted = [redactor(t) for t in texts]
    full = time.perf_counter() - start
    start = time.perf_counter()
    masked = [mask_pii(t) for t in texts]
    patterns = time.perf_counter() - start
    added: collections.Counter = collections.Counter()
    texts_changed = 0
    for base, out in zip(masked, redacted, strict=True):
        new = collections.Counter(re.findall(r"\[[a-z ]+\]", out)) - collections.Counter(
            re.findall(r"\[[a-z ]+\]", base)
        )
        texts_changed += bool(new)
        added.update(new)
    print(f"{len(texts)} texts: Redactor {full:.2f} s, mask_pii alone {patterns:.2f} s")
    print(
        f"over-redacted texts: {texts_changed} ({100 * texts_changed / len(texts):.1f}%), placeholders: {dict(added)}"
    )


if __name__ == "__main__":
    main()
