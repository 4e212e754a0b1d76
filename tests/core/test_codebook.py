"""The codebook: JSON format, proposal, applying it to this wave and the next, rules, candidates, diff, edits.

The engine and the codebook run with the character n-gram embedder here (no sentence-encoder model
in unit tests); the sentence encoder's figures are in docs/BENCHMARKS_CODEBOOK.md.
"""

from __future__ import annotations

import json
import random

import pytest

from cx_core.codebook import (
    Codebook,
    CodebookTheme,
    apply_codebook,
    apply_edit,
    codebook_from_json,
    contains_phrase,
    diff_codebooks,
    propose_codebook,
    search_comments,
)
from cx_core.errors import CodebookError
from cx_core.themes import CommentRecord, Embedder, extract_themes

NPS_COLUMN = "How likely are you to recommend us to a colleague? (0-10)"

NEW_TOPIC = [
    "The mobile app crashes every time I open the invoice screen.",
    "Your mobile app keeps crashing on my phone.",
    "The mobile app crashes after the last update.",
    "Mobile app crashes when I try to upload a photo of the delivery note.",
    "I cannot log in to the mobile app, it crashes on start.",
    "The mobile app is unusable, it crashes constantly.",
]


@pytest.fixture(scope="module")
def embedder():
    return Embedder("ngram")


@pytest.fixture(scope="module")
def wave1(sample):
    df = sample.survey
    return [
        CommentRecord(str(r), c, float(n))
        for r, c, n in zip(df["Response ID"], df["Comment"], df[NPS_COLUMN], strict=True)
        if isinstance(c, str)
    ]


@pytest.fixture(scope="module")
def engine(wave1, embedder):
    return extract_themes(wave1, embedder=embedder)


@pytest.fixture(scope="module")
def codebook(engine, wave1):
    return propose_codebook(engine, wave1)


@pytest.fixture(scope="module")
def coded1(codebook, wave1, embedder, engine):
    return apply_codebook(codebook, wave1, embedder=embedder, engine_result=engine)


def _wave2(wave1: list[CommentRecord]) -> tuple[list[CommentRecord], list[str]]:
    """Last wave's comments again (new response ids) plus 10 % new ones about a new topic."""
    rng = random.Random(7)
    repeated = [CommentRecord("W2-" + c.response_id, c.text, c.nps) for c in wave1]
    new = []
    for i in range(len(wave1) // 10):
        text = rng.choice(NEW_TOPIC)
        new.append(CommentRecord(f"W2-NEW{i:04d}", text, float(rng.choice([2, 3, 5, 6]))))
    return repeated + new, [c.response_id for c in new]


def test_proposal_has_stable_ids_labels_sides_and_examples(engine, codebook, wave1):
    assert len(codebook.themes) == len(engine.themes)
    assert [t.label for t in codebook.themes] == [t.label for t in engine.themes]
    assert len(set(codebook.ids)) == len(codebook.ids)
    assert all(t.examples for t in codebook.themes)
    assert {t.side for t in codebook.themes} <= {"praise", "complaint", "neutral", ""}
    assert propose_codebook(engine, wave1).to_json() == codebook.to_json()  # same data: same ids


def test_json_round_trip_and_hand_made_theme():
    text = json.dumps(
        {"format": "cx-codebook", "version": 3, "themes": [{"id": "app", "label": "App", "include": ["app"]}]}
    )
    cb = codebook_from_json(text)
    assert cb.version == 3 and cb.themes[0].include == ("app",) and cb.themes[0].side == ""
    assert codebook_from_json(cb.to_json()) == cb
    for bad in ("{", '{"format": "other", "themes": []}', '{"format": "cx-codebook", "themes": [{"id": "x"}]}'):
        with pytest.raises(CodebookError):
            codebook_from_json(bad)
    dup = '{"format": "cx-codebook", "themes": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]}'
    with pytest.raises(CodebookError) as info:
        codebook_from_json(dup)
    assert info.value.key == "error.codebook_duplicate_id"


def test_phrases_whole_words_in_latin_scripts_substrings_in_cjk():
    assert contains_phrase("The APP froze", "app")
    assert not contains_phrase("We are happy", "app")
    assert contains_phrase("Lieferung zu spät", "lieferung")
    assert contains_phrase("納期が遅い", "納期")
    assert contains_phrase("ＡＰＩ is slow", "api")  # full-width letters fold
    assert contains_phrase("late  delivery again", "late delivery")


def test_applying_reproduces_the_engine_and_covers_the_sample(engine, codebook, coded1):
    key_to_id = {t.key: codebook.themes[i].id for i, t in enumerate(engine.themes)}
    same = sum(
        {key_to_id[k] for k in keys} == set(coded1.result.assignments.get(rid, []))
        for rid, keys in engine.assignments.items()
    )
    assert same / len(engine.assignments) >= 0.85
    assert coded1.coverage >= 0.9
    assert {t.key for t in coded1.result.themes} <= set(codebook.ids)
    for theme in coded1.result.themes:
        assert theme.label == codebook.theme(theme.key).label
        assert theme.count == len(theme.response_ids) and theme.quotes
        assert {q.response_id for q in theme.quotes} <= set(theme.response_ids)


def test_same_data_and_codebook_give_identical_themes(codebook, wave1, embedder, coded1):
    again = apply_codebook(codebook, list(reversed(wave1)), embedder=Embedder("ngram"), candidates=False)
    assert again.result.assignments == coded1.result.assignments
    assert [t.to_dict() for t in again.result.themes] == [
        {**t.to_dict(), "subthemes": []} for t in coded1.result.themes
    ]


def test_next_wave_keeps_repeated_comments_and_finds_the_new_topic(codebook, wave1, embedder, coded1):
    wave2, new_ids = _wave2(wave1)
    coded2 = apply_codebook(codebook, wave2, embedder=embedder)
    repeated = [c.response_id for c in wave1 if c.response_id in coded1.result.assignments]
    kept = sum(
        coded1.result.assignments[r] == coded2.result.assignments.get("W2-" + r, ["(missing)"]) for r in repeated
    )
    assert kept / len(repeated) >= 0.95
    new = set(new_ids)
    uncoded_new = new & set(coded2.uncoded_ids)
    assert len(uncoded_new) / len(new) >= 0.8  # no saved theme claims the new topic
    proposed = [c for c in coded2.candidates if len(new & set(c.response_ids)) > len(c.response_ids) / 2]
    found = set().union(*(set(c.response_ids) for c in proposed)) if proposed else set()
    assert len(found & new) / len(new) >= 0.8  # the new topic's comments are in candidate groups
    assert len(found & new) / len(found) >= 0.9  # made of new comments, not of old ones
    assert any("app" in c.label.lower() or "crash" in c.label.lower() for c in proposed)


def test_an_include_rule_puts_its_comments_in_its_theme(codebook, wave1, embedder):
    rule = CodebookTheme("firmware", "Firmware", include=("firmware", "ファームウェア"))
    cb = Codebook(themes=(*codebook.themes, rule))
    coded = apply_codebook(cb, wave1, embedder=embedder, candidates=False)
    matching = [c.response_id for c in wave1 if contains_phrase(c.text, "firmware") or "ファームウェア" in c.text]
    assert matching
    inside = sum("firmware" in coded.result.assignments.get(r, []) for r in matching)
    assert inside / len(matching) >= 0.95
    assert coded.by_rule["firmware"] == inside


def test_exclude_wins_over_include_and_examples():
    comments = [
        CommentRecord("1", "Delivery was late again", 3.0),
        CommentRecord("2", "Delivery was late, but the firmware fix was quick", 6.0),
        CommentRecord("3", "Nothing to add beyond the firmware", 8.0),
    ]
    theme = CodebookTheme("d", "Delivery", include=("delivery",), exclude=("firmware",), examples=("late delivery",))
    coded = apply_codebook(Codebook((theme,)), comments, embedder=Embedder("ngram"), candidates=False)
    assert coded.result.assignments["1"] == ["d"]
    assert coded.result.assignments.get("2") == []
    assert "3" in coded.uncoded_ids


def test_comment_decisions_win_and_excluded_comments_leave_the_coverage(codebook, wave1, embedder, coded1):
    first = coded1.result.themes[0]
    moved_rid = first.response_ids[0]
    target = coded1.result.themes[1].key
    cb = apply_edit(
        codebook,
        {
            "op": "move",
            "response_ids": [moved_rid],
            "source": [first.key],
            "to": target,
            "current": {moved_rid: coded1.result.assignments[moved_rid]},
        },
    )
    dropped = coded1.result.themes[2].response_ids[0]
    cb = apply_edit(cb, {"op": "exclude_comments", "response_ids": [dropped]})
    coded = apply_codebook(cb, wave1, embedder=embedder, candidates=False)
    assert target in coded.result.assignments[moved_rid] and first.key not in coded.result.assignments[moved_rid]
    assert dropped in coded.set_aside_ids and dropped not in coded.result.assignments


def test_edits_rename_merge_split_create_exclude_side(codebook, coded1):
    a, b, c = codebook.themes[0], codebook.themes[1], codebook.themes[2]
    renamed = apply_edit(codebook, {"op": "rename", "theme": a.id, "label": "Deliveries", "description": "Late"})
    assert renamed.theme(a.id).label == "Deliveries" and renamed.theme(a.id).pinned
    merged = apply_edit(renamed, {"op": "merge", "into": a.id, "others": [b.id]})
    assert merged.theme(b.id) is None and set(b.examples) <= set(merged.theme(a.id).examples)
    assert diff_codebooks(codebook, merged) == {
        "renamed": [{"id": a.id, "old": a.label, "new": "Deliveries"}],
        "added": [],
        "removed": [],
        "merged": [{"from": [b.id], "into": a.id, "label": "Deliveries"}],
    }
    created = apply_edit(merged, {"op": "create", "label": "Mobile app", "include": ["mobile app"]})
    new = [t for t in created.themes if t.label == "Mobile app"]
    assert new and new[0].include == ("mobile app",) and new[0].pinned
    assert diff_codebooks(merged, created)["added"] == [{"id": new[0].id, "label": "Mobile app"}]
    excluded = apply_edit(created, {"op": "exclude_theme", "theme": c.id})
    assert excluded.theme(c.id).excluded
    theme = coded1.result.theme(a.id)
    parts = [{"label": "part", "response_ids": theme.response_ids[:3]}]
    split = apply_edit(codebook, {"op": "split", "theme": a.id, "parts": parts})
    assert len(split.themes) == len(codebook.themes) + 1
    rid = theme.response_ids[0]
    side = "praise" if a.side != "praise" else "complaint"
    corrected = apply_edit(
        codebook, {"op": "correct_side", "theme": a.id, "side": side, "response_ids": [rid], "current": {rid: [a.id]}}
    )
    twin = corrected.theme(corrected.comments[rid][0])
    assert twin.side == side and (twin.topic == a.topic or not a.topic)
    with pytest.raises(CodebookError):
        apply_edit(codebook, {"op": "rename", "theme": "no-such-theme", "label": "x"})


def test_search_finds_phrases_in_any_language(wave1):
    found = search_comments(wave1, "firmware, ファームウェア")
    assert found and all(
        "firmware" in c.text.lower() or "ファームウェア" in c.text for c in wave1 if c.response_id in set(found)
    )
    assert search_comments(wave1, "  ") == []
