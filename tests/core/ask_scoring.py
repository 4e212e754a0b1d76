"""Scoring the offline parser on tests/core/ask_questions.yaml (shared by the test and by hand:
``PYTHONPATH=. .venv/bin/python tests/core/ask_scoring.py`` prints the development and held-out scores)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import yaml

from cx_core import Workspace, load_inputs
from cx_core.ask import QuerySpec, Reading, ThemeMembers, Vocabulary, parse, vocabulary, workspace_themes
from cx_core.sample import sample_bytes
from cx_core.themes import ThemeResult

QUESTIONS = Path(__file__).with_name("ask_questions.yaml")
TODAY = dt.date(2026, 10, 1)


def questions() -> list[dict]:
    items = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]
    for i, item in enumerate(items):
        item["split"] = item.get("split") or ("dev" if i % 2 == 0 else "heldout")
    return items


@cache
def workspace(data: str) -> Workspace:
    if data == "sample":
        survey, crm = sample_bytes()
    else:
        import sys

        sys.path.insert(0, str(Path(__file__).parent))
        from ask_generated import generated_files

        survey, crm = generated_files()
    return Workspace.from_loaded(load_inputs(survey, "survey.csv", crm, "crm.csv"))


@cache
def theme_result(data: str) -> ThemeResult:
    """The offline engine's themes of every comment of ``data`` (the Themes page with no filter)."""
    return workspace_themes(workspace(data))


@cache
def themes(data: str) -> ThemeMembers:
    """Who belongs to which theme of ``data``."""
    return ThemeMembers.of(theme_result(data))


@cache
def vocab(data: str) -> Vocabulary:
    return vocabulary(workspace(data), today=TODAY, themes=themes(data).labels, theme_words=themes(data).words)


def _day(value) -> str | None:
    return None if value is None else str(value)


def expected_spec(item: dict) -> dict:
    compare = item.get("c")
    if compare and "periods" in compare:
        compare = {"periods": [[_day(a), _day(b)] for a, b in compare["periods"]]}
    elif compare:
        compare = {"dimension": compare["dimension"], "values": [str(v) for v in compare["values"]]}
    return {
        "measure": item.get("m", "nps"),
        "group_by": list(item.get("g", [])),
        "filters": {k: sorted(str(v) for v in vs) for k, vs in (item.get("f") or {}).items()},
        "period": [_day(item["p"][0]), _day(item["p"][1])] if item.get("p") else None,
        "compare": compare,
        "order": item.get("o"),
        "top": item.get("k"),
        "themes": sorted(theme_ids(item["data"], item.get("th", []))),
    }


def theme_ids(data: str, refs: list[str]) -> set[str]:
    """The ids of the themes a question means: each ref is "topic" or "topic|side" (see the
    question file); a side the topic lacks falls back to every side of it."""
    from cx_core.ask._parse import normalise, theme_names

    names = theme_names(vocab(data))
    out: set[str] = set()
    for ref in refs:
        topic, _, side = ref.partition("|")
        of_topic = [n for n in names if normalise(topic) in n.topic]
        sided = [n for n in of_topic if n.side == side] if side else of_topic
        out.update(n.id for n in (sided or of_topic))
    assert out or not refs, refs
    return out


def actual_spec(spec: QuerySpec) -> dict:
    compare = None
    if spec.compare is not None and spec.compare.periods:
        compare = {"periods": [[_day(p.start), _day(p.end)] for p in spec.compare.periods]}
    elif spec.compare is not None:
        compare = {"dimension": spec.compare.dimension, "values": list(spec.compare.values)}
    return {
        "measure": spec.measure,
        "group_by": list(spec.group_by),
        "filters": {k: sorted(vs) for k, vs in spec.filters},
        "period": [_day(spec.period.start), _day(spec.period.end)] if spec.period else None,
        "compare": compare,
        "order": spec.order,
        "top": spec.top,
        "themes": sorted(spec.themes),
    }


def is_right(item: dict, reading: Reading) -> bool:
    if item.get("u") is False:
        return not reading.understood
    return reading.understood and actual_spec(reading.spec) == expected_spec(item)


def score(split: str | None = None, lang: str | None = None) -> tuple[int, int, list[tuple[dict, Reading]]]:
    right, total, wrong = 0, 0, []
    for item in questions():
        if (split and item["split"] != split) or (lang and item["lang"] != lang):
            continue
        reading = parse(item["q"], vocab(item["data"]), item["lang"])
        total += 1
        if is_right(item, reading):
            right += 1
        else:
            wrong.append((item, reading))
    return right, total, wrong


if __name__ == "__main__":  # pragma: no cover - a report for people
    import sys

    show = sys.argv[1] if len(sys.argv) > 1 else "dev"
    for split in ("dev", "heldout"):
        r, n, wrong = score(split)
        print(f"{split}: {r}/{n} = {r / n:.3f}")
        if split == show:
            for item, reading in wrong:
                print(
                    "  ",
                    item["q"],
                    "| expected",
                    expected_spec(item) if item.get("u") is not False else "not understood",
                )
                print("     got", reading.understood, actual_spec(reading.spec), reading.unknown, reading.notes)
    for lang in ("en", "ja"):
        r, n, _ = score(lang=lang)
        print(f"{lang}: {r}/{n} = {r / n:.3f}")
    r, n, _ = score()
    print(f"all: {r}/{n} = {r / n:.3f}")
