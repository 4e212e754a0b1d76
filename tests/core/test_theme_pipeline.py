"""The offline theme engine as a line of steps (issue 26, "One pipeline you can read").

The order and the one-way flow are read from the code (ast): the pipeline calls the steps in
``STEPS`` order, one line each, each step fed only what earlier lines made; a step imports the
shared data and helpers, never another step or an engine. Then each step is called alone on data
made by hand. That the restructure changed no theme: ``python -m tools.themes_pipeline_check``.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from cx_core.themes import CommentRecord, Embedder, Theme
from cx_core.themes._pipeline import STEPS
from cx_core.themes._steps.assemble import assemble
from cx_core.themes._steps.data import (
    Answers,
    Clauses,
    ClauseVectors,
    Comments,
    CommentVectors,
    Names,
    OfflineSettings,
    Parts,
    Pieces,
    Sides,
    Topics,
)
from cx_core.themes._steps.embed import embed
from cx_core.themes._steps.names import name_topics
from cx_core.themes._steps.nonanswers import drop_non_answers
from cx_core.themes._steps.normalise import normalise
from cx_core.themes._steps.parts import find_parts
from cx_core.themes._steps.redact import redact
from cx_core.themes._steps.sides import judge_sides
from cx_core.themes._steps.split import split
from cx_core.themes._steps.topics import find_topics

THEMES = Path(__file__).resolve().parents[2] / "cx_core" / "themes"
ENGINES = {"_pipeline", "_offline", "_llm", "_labels", "_analysis"}
"""Modules that run or present the engine: no step and no helper may import them."""


def _imports(path: Path) -> set[str]:
    """The cx_core.themes modules ``path`` imports (relative imports resolved; "_steps.data" for a step's data)."""
    package = ["cx_core", "themes"] + (["_steps"] if path.parent.name == "_steps" else [])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = [*base, *(node.module.split(".") if node.module else [])]
            names = [module + [a.name] for a in node.names] if node.module is None else [module]
        elif isinstance(node, ast.Import):
            names = [a.name.split(".") for a in node.names]
        else:
            continue
        for parts in names:
            if parts[:2] == ["cx_core", "themes"] and len(parts) > 2:
                found.add(".".join(parts[2:4]))
    return found


def test_each_step_imports_only_the_data_and_shared_helpers():
    steps = {f"_steps.{name}" for name in STEPS}
    assert {p.stem for p in (THEMES / "_steps").glob("*.py")} == set(STEPS) | {"data", "__init__"}
    for name in [*STEPS, "data"]:
        imported = _imports(THEMES / "_steps" / f"{name}.py")
        assert not imported & steps, (name, imported & steps)  # never another step
        assert not {m for m in imported if m.split(".")[0] in ENGINES}, (name, imported)
        if name == "data":
            assert imported <= {"_types"}, imported
    for helper in THEMES.glob("_*.py"):
        if helper.stem in ENGINES or helper.stem == "__init__":
            continue
        imported = _imports(helper)
        assert not {m for m in imported if m.startswith("_steps")}, (helper.stem, imported)
        assert not {m for m in imported if m.split(".")[0] in ENGINES}, (helper.stem, imported)
    assert "_offline" not in {m.split(".")[0] for m in _imports(THEMES / "_llm.py")}  # the LLM step gets the groups


def test_the_pipeline_reads_as_the_steps_in_order_and_data_flows_one_way():
    tree = ast.parse((THEMES / "_pipeline.py").read_text(encoding="utf-8"))
    entry = {}  # step function -> its module
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("_steps."):
            module = node.module.split(".")[1]
            if module in STEPS:
                assert len(node.names) == 1
                entry[node.names[0].name] = module
    assert sorted(entry.values()) == sorted(STEPS)
    for name, module in entry.items():  # one public function per step module: its entry
        body = ast.parse((THEMES / "_steps" / f"{module}.py").read_text(encoding="utf-8")).body
        public = [n.name for n in body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
        assert public == [name], (module, public)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "extract_offline")
    known = {a.arg for a in function.args.args + function.args.kwonlyargs}
    called = []
    for statement in function.body:
        if not isinstance(statement, ast.Assign):
            continue
        call = statement.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in entry:
            called.append(entry[call.func.id])
            arguments = [*call.args, *(k.value for k in call.keywords)]
            used = {n.id for arg in arguments for n in ast.walk(arg) if isinstance(n, ast.Name)}
            assert used <= known, (call.func.id, used - known)  # only what earlier lines made
            assert not any(isinstance(n, ast.Call) for arg in arguments for n in ast.walk(arg))  # one step a line
        known |= {t.id for t in statement.targets if isinstance(t, ast.Name)}
    assert tuple(called) == STEPS


# Each step alone.


def _comments(*texts: str, nps: float | None = 5.0) -> list[CommentRecord]:
    return [CommentRecord(f"r{i:02d}", t, nps) for i, t in enumerate(texts)]


def test_normalise_keeps_comments_with_text_by_id_and_plain():
    got = normalise(
        [CommentRecord("b", "Fish &amp; chips https://x.example/a"), CommentRecord("a", "  "), CommentRecord("c", "ok")]
    )
    assert [c.response_id for c in got.records] == ["b", "c"]
    assert "&amp;" not in got.plain["b"] and "https" not in got.plain["b"] and "Fish" in got.plain["b"]


def test_split_cuts_sentences_and_long_contrasting_clauses():
    text = "The staff were really great, but the delivery was very late again. Mr. Sato helped."
    comments = Comments([CommentRecord("r1", "x"), CommentRecord("r2", "x")], {"r1": text, "r2": ""})
    assert split(comments).pieces == {
        "r1": ["The staff were really great", "the delivery was very late again.", "Mr. Sato helped."],
        "r2": [],
    }


def test_non_answers_are_counted_and_empty_clauses_dropped():
    records = [CommentRecord("r1", "n/a"), CommentRecord("r2", "x"), CommentRecord("r3", "@airline")]
    comments = Comments(records, {"r1": "n/a", "r2": "The app crashes. N/A. jane@example.com", "r3": ""})
    pieces = Pieces(comments, {"r1": ["n/a"], "r2": ["The app crashes.", "N/A.", "jane@example.com"], "r3": []})
    answers = drop_non_answers(pieces)
    assert answers.non_answer_ids == ["r1", "r3"]
    assert list(answers.substantive) == ["r2"] and answers.clauses_of == {"r2": ["The app crashes."]}


def test_redact_gives_each_clause_once_with_its_comments_and_masked_text():
    records = [CommentRecord("r1", "x"), CommentRecord("r2", "x")]
    answers = Answers(
        Comments(records, {}),
        [],
        {c.response_id: c for c in records},
        {"r1": ["Mail jane@example.com about the invoice", "Great!"], "r2": ["Great!", "Great!"]},
    )
    clauses = redact(answers).clauses
    assert list(clauses) == ["Mail jane@example.com about the invoice", "Great!"]
    assert clauses["Great!"].response_ids == ["r1", "r2"] and not clauses["Great!"].topical
    invoice = clauses["Mail jane@example.com about the invoice"]
    assert "jane@example.com" not in invoice.masked and invoice.topical and "invoice" in " ".join(invoice.terms)


def _clauses(*texts: str, nps: float | None = 5.0) -> Clauses:
    return redact(drop_non_answers(split(normalise(_comments(*texts, nps=nps)))))


def test_embed_takes_the_most_said_clauses_at_the_terms_level_and_comments_at_the_meaning_level():
    clauses = _clauses(*["The delivery was late"] * 3, "Pricing is unclear", "Great!")
    terms = embed(clauses, OfflineSettings(max_embedded=1, topic_level="terms"), Embedder("ngram"), lambda f, s: None)
    assert isinstance(terms, ClauseVectors)
    assert terms.embedded == ["The delivery was late"] and terms.rest == ["Pricing is unclear"]
    assert terms.vectors.shape[0] == 1 and terms.term_table.shape[0] == len(terms.terms) > 0
    meaning = embed(clauses, OfflineSettings(topic_level="meaning"), Embedder("ngram"), lambda f, s: None)
    assert isinstance(meaning, CommentVectors) and meaning.chosen[0] == ("The delivery was late",)
    assert meaning.whole.shape[0] == len(meaning.chosen) == 2  # "Great!" has no topic
    assert embed(_clauses("Great!"), OfflineSettings(), Embedder("ngram"), lambda f, s: None) is None


def _blobs(n: int, dim: int = 16, groups: int = 2, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.vstack([np.eye(dim)[g] + 0.05 * rng.standard_normal((n, dim)) for g in range(groups)])
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_topics_groups_clauses_whose_vectors_meet():
    texts = [f"delivery late {i}" for i in range(20)] + [f"pricing unclear {i}" for i in range(20)]
    clauses = _clauses(*texts)
    vectors = ClauseVectors(texts, [], _blobs(20).astype(np.float32), {}, [], np.zeros((0, 1), dtype=np.float32))
    topics = find_topics(clauses, vectors, OfflineSettings(topic_level="terms"), lambda f, s: None)
    first, second = {topics.of_clause[t] for t in texts[:20]}, {topics.of_clause[t] for t in texts[20:]}
    assert len(first) == 1 and len(second) == 1 and first != second
    assert find_topics(clauses, None, OfflineSettings(topic_level="terms"), lambda f, s: None).of_clause == {}


def test_sides_reads_each_mention_and_sorts_them_by_topic_and_side():
    clauses = _clauses("The delivery was late and slow.", "Please add a dark mode.", "Great!", "Great!")
    delivery, request = "The delivery was late and slow.", "Please add a dark mode."
    sides = judge_sides(clauses, None, Topics("terms", of_clause={delivery: 0, request: 1}))
    assert sides.polarity[(delivery, "r00")] == "negative" and sides.polarity[(request, "r01")] == "request"
    assert sides.mentions == {(0, "complaint"): [(delivery, "r00")], (1, "request"): [(request, "r01")]}
    assert sides.general == {"praise": [("Great!", "r02"), ("Great!", "r03")]}


def test_a_silent_remark_takes_a_detractors_side_never_a_promoters():
    for nps, side in ((2.0, "negative"), (10.0, "neutral")):
        clauses = _clauses("The invoice arrived on Tuesday.", nps=nps)
        sides = judge_sides(clauses, None, Topics("terms", of_clause={"The invoice arrived on Tuesday.": 0}))
        assert sides.polarity[("The invoice arrived on Tuesday.", "r00")] == side


def test_parts_cut_a_topic_in_two_where_its_members_differ():
    texts = [f"delivery late {i}" for i in range(8)] + [f"delivery damaged {i}" for i in range(8)]
    clauses = _clauses(*texts)  # 16 comments: at most sqrt(16 / 2) = 2 parts
    x = _blobs(8).astype(np.float32)
    vectors = ClauseVectors(texts, [], x, {}, [], np.zeros((0, 1), dtype=np.float32))
    topics = Topics(
        "terms", of_clause=dict.fromkeys(texts, 0), space=x, weights=np.ones(16), term_lists=[["delivery"]] * 16
    )
    parts = find_parts(clauses, vectors, topics, OfflineSettings())
    first, second = {parts.of(t, "r00") for t in texts[:8]}, {parts.of(t, "r00") for t in texts[8:]}
    assert len(first) == 1 and len(second) == 1 and first | second == {0, 1}
    meaning = Topics("meaning", parts={("a", "r1"): 3})
    assert find_parts(clauses, None, meaning, OfflineSettings()).of("a", "r1") == 3


def test_names_are_what_the_members_share_and_same_names_merge():
    texts = ["The delivery was late", "Late delivery again", "The delivery is always late", "Billing is confusing"]
    clauses = _clauses(*texts)
    ms = {(0, "complaint"): [(t, f"r{i:02d}") for i, t in enumerate(texts[:2])], (1, "complaint"): [(texts[2], "r02")]}
    ms[(2, "complaint")] = [(texts[3], "r03")]
    names = name_topics(clauses, Sides({}, ms, {}), Parts(), OfflineSettings(), Embedder("ngram"))
    assert "delivery" in names.topics[0][0] and "billing" in names.topics[2][0].lower()
    assert names.topics[0][0] == names.topics[1][0] and (1, "complaint") not in names.mentions  # merged into 0
    assert sorted(names.mentions[(0, "complaint")]) == sorted((t, f"r{i:02d}") for i, t in enumerate(texts[:3]))


def test_assemble_writes_one_theme_per_topic_side_with_its_comments():
    texts = ["The delivery was late", "Late delivery again", "Great delivery", "Fast delivery, great"]
    clauses = _clauses(*texts)
    mentions = {
        (0, "complaint"): [(texts[0], "r00"), (texts[1], "r01")],
        (0, "praise"): [(texts[2], "r02"), (texts[3], "r03")],
    }
    polarity = {
        m: ("negative" if side == "complaint" else "positive") for (_, side), ms in mentions.items() for m in ms
    }
    names = Names({0: ("delivery", 1.0, False)}, mentions, {})
    result = assemble(
        clauses, Sides(polarity, mentions, {}), Parts(), names, OfflineSettings(), engine="offline (test)"
    )
    assert [(t.label, t.side, t.response_ids) for t in result.themes] == [
        ("delivery: complaints", "complaint", ["r00", "r01"]),
        ("delivery: praise", "praise", ["r02", "r03"]),
    ]
    assert result.assignments == {"r00": ["theme-01"], "r01": ["theme-01"], "r02": ["theme-02"], "r03": ["theme-02"]}
    assert (
        result.engine == "offline (test)" and result.n_substantive == 4 and result.themes[0].polarity["negative"] == 2
    )


@pytest.mark.parametrize("kind", ["compact", "full"])
def test_the_llm_step_renames_and_describes_but_never_regroups(kind):
    from cx_core.schema import NEEDS
    from cx_core.themes._llm import NAMED_FIELDS, CompactNaming, ThemeNaming, apply_naming
    from cx_core.themes._types import Quote

    theme = Theme(
        key="theme-01",
        label="delivery: complaints",
        count=2,
        share=0.5,
        mean_nps=3.0,
        detractor_share=1.0,
        nps=-100.0,
        response_ids=["r1", "r2"],
        quotes=[Quote("r1", "late", "late"), Quote("r2", "very late", "very late")],
        keywords=["delivery"],
        topic="delivery",
        side="complaint",
    )
    if kind == "compact":
        naming = CompactNaming(label="Late deliveries", description="Orders arrive late.", quote_ids=["Q2"])
    else:
        naming = ThemeNaming(
            label="Late deliveries",
            description="Orders arrive late.",
            need=NEEDS[0],
            category="rational",
            action="Track carriers.",
            quote_ids=["Q2"],
        )
    named = apply_naming(theme, naming, {"Q1": "r1", "Q2": "r2"})
    changed = {f.name for f in dataclasses.fields(Theme) if getattr(named, f.name) != getattr(theme, f.name)}
    assert "label" in changed and changed <= NAMED_FIELDS
    assert named.response_ids == theme.response_ids and named.quotes[0].response_id == "r2"
