"""How many people's names without an honorific get through the LLM-path redaction, and how many
ordinary texts get a [name] they did not need.

- leaks: 300 Japanese full names (a family name and a given name drawn at random, seed 1, from
  ``cx_core/themes/lexicons/ja_names.tsv``), written together and with a space, in three sentences;
  a name leaks when any of its characters is left (one the sentence itself does not hold). The names come from the lists the detector
  uses, so this measures the rule, not how well the lists cover real people's names;
- a family name of the lists alone after a role or before an act (担当のXが, Xに確認);
- over-redaction: texts that hold no names (1,500 BANKING77 + 1,500 chABSA sentences from
  bench/data, and the sample's 3,568 comments) in which ``Redactor`` puts a ``[name]`` that
  ``mask_pii`` did not.

    .venv/bin/python tools/measure_names.py
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from cx_core.themes import Redactor, mask_pii  # noqa: E402

SENTENCES = [
    "納期が遅い。{}に確認してください。",
    "{}のサポート対応が早くて助かりました。",
    "担当の{}が対応してくれた。",
]


def main() -> None:
    lists: dict[str, list[str]] = {"last": [], "first": []}
    for line in (ROOT / "cx_core/themes/lexicons/ja_names.tsv").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            kind, _kana, forms = line.split("\t")
            lists[kind] += forms.split()
    redactor = Redactor(["Tokai Precision Works Co., Ltd.", "東海精密工業株式会社"])
    rng = random.Random(1)
    for separator in ("", " "):
        leaks = 0
        for i in range(300):
            name = rng.choice(lists["last"]) + separator + rng.choice(lists["first"])
            sentence = SENTENCES[i % 3]
            out = redactor(sentence.format(name))
            leaks += any(ch in out and ch not in sentence for ch in name.replace(" ", ""))
        print(f"Japanese full names {'with a space' if separator else 'written together'}: {leaks} of 300 leak")
    family = sorted(set(lists["last"]))
    for sentence in ("担当の{}が対応してくれた。", "{}に確認してください。"):
        leaks = sum(name in redactor(sentence.format(name)) for name in family)
        print(f"a family name alone, {sentence.format('X')}: {leaks} of {len(family)} leak")
    data = ROOT / "bench" / "data"
    with (data / "banking77_en.csv").open(encoding="utf-8") as handle:
        en = [row["text"] for row in csv.DictReader(handle)]
    ja = [json.loads(line)["text"] for line in (data / "chabsa_ja.jsonl").read_text(encoding="utf-8").splitlines()]
    comments = pd.read_csv(ROOT / "sample_data" / "survey.csv")["Comment"].dropna().astype(str).tolist()
    for label, texts in (("BANKING77 + chABSA", (en * 2)[:1500] + (ja * 2)[:1500]), ("sample comments", comments)):
        added = [out for text in texts if (out := redactor(text)).count("[name]") != mask_pii(text).count("[name]")]
        print(f"{label}: {len(added)} of {len(texts)} texts get a [name] they did not need")
        for out in added:
            print("   ", out[:150])


if __name__ == "__main__":
    main()
