"""Ask the data about a theme's respondents: "NPS of customers who mention late deliveries"."""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from ask_scoring import TODAY, theme_result, themes, vocab, workspace  # noqa: E402

from cx_core import Filters, overview  # noqa: E402
from cx_core.ask import QuerySpec, Reading, ThemeMembers, answer, ask, parse, theme_ids_of, validate  # noqa: E402
from cx_core.ask import vocabulary as make_vocabulary  # noqa: E402
from cx_core.codebook import apply_edit, propose_codebook, themes_under_codebook  # noqa: E402
from cx_core.metrics import scores_by_group  # noqa: E402
from cx_core.themes import comments_from_workspace  # noqa: E402


@cache
def engine_themes():
    """The sample's comments and themes as the Themes page computes them (no filter, every open question)."""
    return comments_from_workspace(workspace("sample")), theme_result("sample")


def _ask(question: str, lang: str = "en"):
    return ask(workspace("sample"), question, lang=lang, vocab=vocab("sample"), themes=themes("sample"))


def _theme(key: str):
    theme = engine_themes()[1].theme(key)
    assert theme is not None
    return theme


def _key(side: str, *words: str) -> str:
    """The key of the sample's largest theme on ``side`` whose topic names one of ``words``: keys are
    numbered by size, so the test follows the engine's themes; the question still has to find it."""
    found = [
        t
        for t in engine_themes()[1].themes
        if not t.general and t.side == side and any(w in t.topic.lower() for w in words)
    ]
    assert found, [t.label for t in engine_themes()[1].themes]
    return max(found, key=lambda t: t.count).key


def test_a_theme_question_is_the_themes_respondents_figure_as_the_themes_page_shows_it():
    ws = workspace("sample")
    result = _ask("NPS of customers who mention late deliveries")
    assert result.understood and result.spec.themes == (_key("complaint", "deliver"),)
    deliveries = _theme(_key("complaint", "deliver"))
    [row] = result.rows
    # the Themes page's NPS of the theme's commenters, and the overview over exactly those respondents
    assert row.value is not None and round(row.value, 1) == deliveries.nps
    restricted = Filters().restricted_to(deliveries.response_ids, deliveries.label)
    ov = overview(ws, restricted)
    assert (row.value, row.n, row.ci95) == (ov.nps.score, ov.nps.n, ov.nps.ci95)
    assert 0 < row.n <= deliveries.count and row.n < overview(ws).nps.n  # the theme's people, not everybody
    assert "read as the theme" in " ".join(result.reading.guesses)  # a reading, said as a guess


def test_a_theme_by_segment_equals_the_segments_page_over_those_respondents():
    ws = workspace("sample")
    result = _ask("NPS of people complaining about billing by segment")
    assert result.spec.themes == (_key("complaint", "invoice"),) and result.spec.group_by == ("segment",)
    billing = _theme(_key("complaint", "invoice"))
    page = scores_by_group(ws, "segment", Filters().restricted_to(billing.response_ids), min_n=30)
    expected = {g.group: (g.nps.score, g.nps.n) for g in page if g.nps is not None and g.nps.n}
    assert {r.group_json(): (r.value, r.n) for r in result.rows} == expected
    members = set(billing.response_ids)
    with_nps = sum(1 for c in engine_themes()[0] if c.response_id in members and c.nps is not None)
    assert sum(n for _, n in expected.values()) == with_nps  # every respondent of the theme, once


def test_japanese_theme_questions_and_the_filters_they_keep():
    result = _ask("マニュアルについて書いた大企業の顧客のNPS", "ja")
    assert result.spec.themes == (_key("complaint", "マニュアル"),)
    assert result.spec.filter_dict() == {"segment": ["Enterprise"]}
    manuals = set(_theme(_key("complaint", "マニュアル")).response_ids)
    ws = workspace("sample")
    ov = overview(ws, Filters.make(segment=["Enterprise"]).restricted_to(manuals))
    assert (result.rows[0].value, result.rows[0].n) == (ov.nps.score, ov.nps.n)
    assert parse("納期について書いた人のNPS", vocab("sample"), "ja").spec.themes == (_key("complaint", "納期"),)


def test_the_ids_go_to_sql_as_one_parameter_and_the_caption_names_the_theme():
    result = _ask("NPS of customers who mention manuals")
    manuals = _key("complaint", "manual")
    assert result.spec.themes == (manuals,)
    assert any("list_contains($f_response_ids" in s for s in result.sql)
    assert not any(_theme(manuals).response_ids[0] + "'," in s.split("--")[0] for s in result.sql)
    assert "manuals" in result.rows[0].group_json() and "respondents" in result.rows[0].group_json()


def test_words_that_only_share_a_word_with_a_theme_keep_their_old_meaning():
    v = vocab("sample")
    assert parse("How do customers feel about delivery?", v, "en").spec.measure == "driver:on_time_delivery"
    assert parse("How do executives feel about us?", v, "en").spec.themes == ()
    assert not parse("NPS of customers who mention unicorns", v, "en").understood


def test_an_unknown_theme_id_is_refused_with_a_did_you_mean():
    v = vocab("sample")
    reading = validate(Reading("q", True, QuerySpec(themes=("theme-99",))), v, "en")
    assert not reading.understood and "theme-99" in " ".join(reading.notes)
    spec = QuerySpec(themes=("theme-01", "theme-08"))
    assert QuerySpec.from_dict(spec.to_dict()) == spec


def test_restricted_filters_are_hashable_and_an_empty_theme_counts_nobody():
    ws = workspace("sample")
    restricted = Filters.make(segment=["SMB"]).restricted_to(["b", "a", "a"], "X")
    assert restricted.response_ids == ("a", "b") and hash(restricted) == hash(Filters.from_dict(restricted.to_dict()))
    assert Filters.from_dict(restricted.to_dict()) == restricted
    assert restricted.describe("ja").endswith("X（回答者 2 人）")
    assert overview(ws, Filters().restricted_to([], "empty")).nps.n == 0
    members = ThemeMembers.from_mapping({"t": []}, {"t": "Nothing"})
    result = answer(ws, QuerySpec(themes=("t",)), lang="en", themes=members)
    assert result.rows[0].n == 0


def test_a_codebook_names_the_themes_and_its_membership_answers():
    ws = workspace("sample")
    comments, engine = engine_themes()
    codebook = propose_codebook(engine, comments)
    first = codebook.ids[0]
    codebook = apply_edit(codebook, {"op": "rename", "theme": first, "label": "Late shipments"})
    coded = themes_under_codebook(codebook, comments, engine)
    members = ThemeMembers.of(coded)
    v = make_vocabulary(ws, today=TODAY, themes=theme_ids_of(coded))
    assert dict(v.themes)[first] == "Late shipments"
    result = ask(ws, "NPS of customers who mention late shipments", lang="en", vocab=v, themes=members)
    assert result.spec.themes == (first,)
    coded_theme = coded.theme(first)
    assert coded_theme is not None
    ov = overview(ws, Filters().restricted_to(coded_theme.response_ids))
    assert (result.rows[0].value, result.rows[0].n) == (ov.nps.score, ov.nps.n)


def test_an_llm_names_a_theme_by_its_name_and_gets_its_id_never_its_members():
    from test_ask_llm import SpecServer, _config

    from cx_core.ask import parse_with_llm
    from cx_core.themes import make_client

    server = SpecServer()
    try:
        billing = _theme(_key("complaint", "invoice"))
        server.spec = {"measure": "nps", "group_by": [], "filters": [], "period": None, "order": None, "top": None}
        server.spec["themes"] = [billing.label]
        question = "How loyal are the folks grumbling over what we charge them?"
        v = vocab("sample")
        reading, reason = parse_with_llm(question, v, make_client(_config(server)), _config(server), lang="en")
        assert reason == "" and reading is not None and reading.understood
        assert reading.spec.themes == (billing.key,)
        sent = json.dumps([r["body"] for r in server.requests], ensure_ascii=False)
        assert billing.label in sent  # the name is sent (through the redactor) ...
        assert not any(rid in sent for rid in billing.response_ids[:200])  # ... never who is in it
        offline = _ask("NPS of people complaining about billing")
        assert [
            (r.value, r.n) for r in answer(workspace("sample"), reading, lang="en", themes=themes("sample")).rows
        ] == [(r.value, r.n) for r in offline.rows]
        server.spec["themes"] = ["Complaints about unicorns"]
        refused, _ = parse_with_llm(question, v, make_client(_config(server)), _config(server), lang="en")
        assert refused is not None and not refused.understood  # a made-up theme is refused, never answered
    finally:
        server.close()


def test_happy_with_stays_a_satisfaction_word():
    reading = parse("Are enterprise customers happy with support?", vocab("sample"), "en")
    assert reading.spec.measure == "csat" and reading.spec.themes == ()


def _hand_vocab(words: dict[str, tuple[str, ...]]):
    labels = (("theme-01", "納期・納品 / deliveries: 不満"), ("theme-02", "費用 / invoices: 不満"))
    return make_vocabulary(workspace("sample"), today=TODAY, themes=labels, theme_words=tuple(words.items()))


def test_a_theme_is_found_by_what_its_members_say_when_its_name_does_not_say_it():
    words = {"theme-01": ("lead time", "配送 / リードタイム"), "theme-02": ("予期・請求書", "billing run")}
    found = make_vocabulary(workspace("sample"), today=TODAY, themes=(), theme_words=())
    assert parse("NPS of customers complaining about lead time", found, "en").spec.themes == ()
    vocab_with_words = _hand_vocab(words)
    assert parse("NPS of customers complaining about lead time", vocab_with_words, "en").spec.themes == ("theme-01",)
    assert parse("請求書への不満を書いた顧客のNPS", vocab_with_words, "ja").spec.themes == ("theme-02",)
    assert parse("リードタイムに不満な顧客のNPS", vocab_with_words, "ja").spec.themes == ("theme-01",)
    # without the members' words, the names alone do not say these
    bare = _hand_vocab({})
    assert not parse("NPS of customers complaining about lead time", bare, "en").spec.themes


def test_a_themes_own_name_outweighs_another_themes_member_words():
    # "invoices" is theme-02's name and a word theme-01's members use: the name wins
    vocab_with_words = _hand_vocab({"theme-01": ("invoices late",)})
    assert parse("NPS of customers who mention invoices", vocab_with_words, "en").spec.themes == ("theme-02",)
