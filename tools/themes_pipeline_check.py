"""Same themes before and after a change of the offline engine's code (not of its behaviour).

Runs :func:`cx_core.themes.extract_offline` on fixed inputs at both topic levels and writes every
field of each result (labels, sides, response ids, sub-themes, quotes, assignments...) as JSON:

    python -m tools.themes_pipeline_check --write /tmp/themes_before.json   # on the old code
    python -m tools.themes_pipeline_check --check /tmp/themes_before.json   # on the new code

Inputs: the seeded sample's comments (``cx_core.sample``), 300 banking questions and 200 Japanese
sentences of ``bench/data``, and 400 tweets of the development half of the public airline tweets
when the local mirror (or ``CX_BENCH_AIRLINE``) has them. Scores are given to part of the bench
comments (from their position) so the respondent's-score paths of the sides are exercised too.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time

from cx_core.themes import CommentRecord, OfflineSettings, extract_offline

NPS_COLUMN = "How likely are you to recommend us to a colleague? (0-10)"


def _scored(items: list[dict]) -> list[CommentRecord]:
    """Comments with a score on two of three (0-10 cycling), none on the third."""
    return [
        CommentRecord(str(item["id"]), str(item["text"]), None if i % 3 == 2 else float((i * 7) % 11))
        for i, item in enumerate(items)
    ]


def inputs() -> dict[str, list[CommentRecord]]:
    from bench.bench_theme_quality import load_airline, load_banking, load_chabsa  # noqa: PLC0415
    from cx_core.sample import generate  # noqa: PLC0415

    survey = generate().survey
    sets = {
        "sample": [
            CommentRecord(str(r), c if isinstance(c, str) else "", float(n))
            for r, c, n in zip(survey["Response ID"], survey["Comment"], survey[NPS_COLUMN], strict=True)
        ],
        "banking": _scored(load_banking()[::5][:300]),
        "chabsa": _scored(load_chabsa()[::4][:200]),
    }
    airline = load_airline(complaints_only=False, held_out=False)
    if not isinstance(airline, str):
        sets["airline"] = _scored(airline[::7][:400])
    return sets


SETTINGS = {
    "terms": OfflineSettings(),
    "meaning": OfflineSettings(topic_level="meaning"),
    "terms-small": OfflineSettings(max_embedded=60, max_themes=6),
    "meaning-small": OfflineSettings(topic_level="meaning", max_embedded=60),
}


def outputs() -> dict[str, dict]:
    out = {}
    for name, comments in inputs().items():
        for level, settings in SETTINGS.items():
            if level.endswith("small") and name not in ("sample", "airline"):
                continue
            started = time.perf_counter()
            result = extract_offline(comments, settings)
            out[f"{name}/{level}"] = json.loads(json.dumps(dataclasses.asdict(result), default=str))
            themes = result.themes
            print(
                f"{name}/{level}: {len(comments)} comments, {len(themes)} themes, {time.perf_counter() - started:.1f} s"
            )
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("--write", "--check"):
        print(__doc__)
        return 2
    got = outputs()
    if argv[0] == "--write":
        with open(argv[1], "w", encoding="utf-8") as handle:
            json.dump(got, handle, ensure_ascii=False, indent=1, sort_keys=True)
        return 0
    with open(argv[1], encoding="utf-8") as handle:
        want = json.load(handle)
    bad = 0
    for key in sorted(set(want) | set(got)):
        if want.get(key) != got.get(key):
            bad += 1
            print(f"DIFFERENT: {key}")
            a, b = want.get(key) or {}, got.get(key) or {}
            for field in sorted(set(a) | set(b)):
                if a.get(field) != b.get(field):
                    print(f"  field {field} differs")
        else:
            print(f"same: {key}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
