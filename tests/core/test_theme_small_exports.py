"""Themes on small real-looking exports (issue 26): what a CX lead expects of 15-60 comments in
French, English, Japanese, German and Spanish, as a new user uploads them.

The sets are in ``small_exports.py`` (hand-written, with the side a reader accepts per comment).
Each set runs through the offline engine once per module; every test reads the same results.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from small_exports import NON_ANSWER, SETS, as_csv, export, rows  # noqa: E402

from cx_core import Workspace, load_inputs  # noqa: E402
from cx_core.themes import (  # noqa: E402
    CommentRecord,
    ThemeResult,
    clause_polarity,
    comments_from_workspace,
    extract_themes,
    is_non_answer,
    split_units,
)
from cx_core.themes._nonanswers import is_filler  # noqa: E402
from cx_core.themes._normalise import normalise_text  # noqa: E402
from cx_core.themes._requests import REQUEST_CUES, is_request, is_request_cue  # noqa: E402

_SIDE = {"praise": "praise", "complaint": "complaint", "request": "request", "neutral": "mention"}
_RESULTS: dict[str, ThemeResult] = {}


def _themes(name: str) -> ThemeResult:
    if name not in _RESULTS:
        _RESULTS[name] = extract_themes(export(name))
    return _RESULTS[name]


def _sides_of(result: ThemeResult) -> dict[str, set[str]]:
    """Each themed comment's sides (a general group counts on its side)."""
    side_of = {t.key: _SIDE.get(t.side, t.side) for t in result.themes}
    return {rid: {side_of[k] for k in keys} for rid, keys in result.assignments.items()}


# --- the engine on each set ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SETS))
def test_non_answers_are_counted_never_themed(name):
    result = _themes(name)
    skipped, themed = set(result.non_answer_ids), set(result.assignments)
    for rid, text, _nps, expected in rows(name):
        if expected == NON_ANSWER:
            assert rid in skipped, f"{text!r} answers nothing: counted as a non-answer"
            assert rid not in themed, f"{text!r} answers nothing: never themed"
        elif expected is not None and NON_ANSWER not in expected:
            assert rid not in skipped, f"{text!r} answers: never dropped as a non-answer"
    assert result.n_substantive == result.n_comments - len(skipped)


@pytest.mark.parametrize("name", SETS)
def test_each_comment_sits_on_a_side_a_reader_accepts(name):
    """Clear cases only: a request stays a request whatever the score (promoters ask too), a
    complaint is never praise, "rien à signaler" never a complaint."""
    sides = _sides_of(_themes(name))
    wrong = []
    for rid, text, nps, expected in rows(name):
        if expected is None or expected == NON_ANSWER:
            continue
        got = sides.get(rid, set())
        if not got <= set(expected):
            wrong.append(f"{text!r} (score {nps}): {sorted(got)}, expected {sorted(expected)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", list(SETS))
def test_the_score_never_makes_a_request_praise(name):
    sides = _sides_of(_themes(name))
    for rid, text, nps, expected in rows(name):
        if isinstance(expected, frozenset) and expected == {"request"} and nps is not None and nps >= 9:
            assert "praise" not in sides.get(rid, set()), f"{text!r} from a promoter asks; it does not praise"


@pytest.mark.parametrize("name", list(SETS))
def test_most_answers_get_a_theme(name):
    """Small sets still give themes: at least half of the clear comments sit in one."""
    result = _themes(name)
    clear = [rid for rid, _t, _n, expected in rows(name) if isinstance(expected, frozenset) and len(expected) == 1]
    themed = [rid for rid in clear if rid in result.assignments]
    assert len(themed) >= len(clear) / 2, f"{len(themed)} of {len(clear)} clear comments themed"


# Words that never name a theme, whatever the language: function words, pronouns, auxiliaries,
# elided forms and the words that only say a wish or a non-answer ("faudrait", "needs", "rien").
_NEVER_A_NAME = set(
    "the a an and or but of to in for with it its this that is are was were be have has had i we you they my our "
    "le la les un une des du de et ou est sont pas ne que qui dans pour par sur avec ce cette il elle nous vous je "
    "on au aux mais très trop ai avons c'est j'ai rien jour chose tout tous fait bien "
    "der die das ein eine und ist sind nicht mit von zu auf für sehr es ich wir sie nichts alles "
    "el los las una y es son muy con por para que en lo se su nada todo "
    "nothing none n/a ras signaler".split()
)
_ELIDED = re.compile(r"(?:^|\s)(?:[cdjlmnst]|qu|lorsqu|puisqu|jusqu|quelqu|quoiqu|presqu)'", re.IGNORECASE)
_MARKUP = re.compile(r"[&@#<>/]|https?|www|\.com|\b(?:amp|quot|nbsp|lt|gt|br|rt)\b", re.IGNORECASE)
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")


def _name_words(result: ThemeResult) -> list[tuple[str, str]]:
    """(theme label, word) of each non-general theme's topic name, commas and language slashes dropped."""
    out = []
    for theme in result.themes:
        if theme.general:
            continue
        for part in re.split(r",| / ", theme.topic or theme.label):  # "boards / 納期": one name per language
            out.extend((theme.label, w) for w in part.strip().lower().split())
    return out


@pytest.mark.parametrize("name", SETS)
def test_names_hold_no_markup_no_emoji_no_elision(name):
    for label, word in _name_words(_themes(name)):
        assert not _MARKUP.search(word), f"{label!r}: markup in a name"
        assert not _EMOJI.search(word), f"{label!r}: emoji in a name"
        assert not _ELIDED.search(word), f"{label!r}: an elision names a theme"


@pytest.mark.parametrize("name", SETS)
def test_names_are_no_function_or_cue_words(name):
    bad = [(label, w) for label, w in _name_words(_themes(name)) if w in _NEVER_A_NAME or is_request_cue(w)]
    assert not bad, f"names made of words that say nothing about a topic: {bad}"


# The probe: three requests, a complaint-or-request and a non-answer clause, each three times.
_PROBE = [
    "Please add dark mode",
    "Needs better export to PDF",
    "Few templates",
    "Rien à signaler, j'ai trouvé ce que je cherchais",
    "Il faudrait plus de choix en rayon plantes",
]


@pytest.fixture(scope="module")
def probe() -> tuple[list[CommentRecord], ThemeResult]:
    comments = [CommentRecord(f"r{i:02d}", t, nps=9 if i % 2 else 3) for i, t in enumerate(_PROBE * 3)]
    return comments, extract_themes(comments)


def test_probe_non_answer_clause_is_never_what_a_theme_quotes(probe):
    comments, result = probe
    text_of = {c.response_id: c.text for c in comments}
    for theme in result.themes:
        for quote in theme.quotes:
            assert "rien à signaler" not in quote.excerpt.lower(), f"{theme.label!r} quotes a non-answer"
        if theme.side in {"complaint", "request"}:
            assert not any(text_of[r].startswith("Rien") for r in theme.response_ids), theme.label
    sides = _sides_of(result)
    for c in comments:
        if c.text.startswith(("Please", "Il faudrait")):
            assert sides.get(c.response_id, set()) <= {"request"}, c.text


def test_probe_names_are_what_is_asked_for(probe):
    _comments, result = probe
    for theme in result.themes:
        words = [w for part in (theme.topic or theme.label).split(",") for w in part.strip().split()]
        assert not any(is_request_cue(w) for w in words), theme.label


# --- the steps this file checks, one by one --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("Great tool<br>Needs a dark mode", "Great tool\nNeeds a dark mode"),
        ("Great tool<br />Please add dark mode", "Great tool\nPlease add dark mode"),
        ("<p>Pricing is too expensive</p>", "Pricing is too expensive"),
        ("Pricing&nbsp;is way too high", "Pricing is way too high"),
        ("&lt;br&gt;", ""),
        ("&quot;Few templates&quot; honestly", '"Few templates" honestly'),
        ("RT @acme: Love the boards &amp; templates 😍 https://t.co/abc", "Love the boards & templates"),
        ("Check www.example.com/help , search is slow", "Check , search is slow"),
        ("see acme.com for the bug", "see for the bug"),
        ("J’aimerais plus de choix, c’est dommage", "J'aimerais plus de choix, c'est dommage"),
        ("mail bob@acme.com please", "mail bob@acme.com please"),  # e-mails stay for the redaction step
        ("I <3 it, a < b", "I <3 it, a < b"),  # not tags
        ("Sync fails 😡😡 @acme #fail", "Sync fails fail"),
        ("😎 RT @acme: You’ve met your match", "You've met your match"),
        ("so true RT @acme: great boards", "so true great boards"),
        ("“@acme: Our boards are on fleek” meh", "“ Our boards are on fleek” meh"),
    ],
)
def test_text_is_normalised_before_anything_reads_it(raw, plain):
    assert normalise_text(raw) == plain


@pytest.mark.parametrize(
    "text",
    [
        "RAS merci",
        "Rien de spécial",
        "Rien à ajouter, merci !",
        "Pas d'avis",
        "Nothing, thanks",
        "nothing specific",
        "No thanks",
        "Nein danke",
        "Keine weiteren Anmerkungen",
        "nada que añadir",
        "特になし！",
        "特になし、ありがとうございます",
        "特に不満はありません",
        "とくにないです",
        "-",
        "test",
    ],
)
def test_stock_non_answers(text):
    assert is_non_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Merci !",
        "Thanks",
        "- thanks",
        "A+",
        "ok",
        "5 stars",
        "良",
        "Thanks for nothing",
        "Thank you, great staff",
        "Nothing works",
        "Rien ne marche",
        "なし崩し",
    ],
)
def test_thanks_and_answers_are_not_non_answers(text):
    assert not is_non_answer(text)


def test_a_comment_of_filler_answers_nothing_a_number_in_a_comment_stays():
    assert all(is_filler(t) for t in ("x", "xx", "10", "9/10", " 7 "))
    assert not any(is_filler(t) for t in ("A+", "ok", "5 stars", "良", "24/7 support", ""))
    assert split_units("4595. We are going back to the gate") == ["4595.", "We are going back to the gate"]
    assert not is_non_answer("4595.")  # the flight number belongs to the comment


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Rien à signaler, j'ai trouvé ce que je cherchais", ["Rien à signaler", "j'ai trouvé ce que je cherchais"]),
        ("Alles gut, nichts zu meckern", ["Alles gut", "nichts zu meckern"]),
        ("Good staff, nothing else, cheap and quick", ["Good staff", "nothing else", "cheap and quick"]),
        ("特になし、強いて言えば駐車場が狭い", ["特になし", "強いて言えば駐車場が狭い"]),
        ("Fine, no", ["Fine, no"]),  # a lone "no" inside a sentence is no non-answer
        ("Nothing but constant problems with this bank", ["Nothing but constant problems with this bank"]),
        ("I swipe, tap the X, nothing.", ["I swipe, tap the X, nothing."]),  # nothing happened: said
        ("でしたけど。", ["でしたけど。"]),
        # a wish and what it wishes for stay one clause
        (
            "Es wäre schön, wenn Sie samstags länger geöffnet hätten",
            ["Es wäre schön, wenn Sie samstags länger geöffnet hätten"],
        ),
        ("Ce serait bien, si vous ouvriez le dimanche", ["Ce serait bien, si vous ouvriez le dimanche"]),
        ("prix un peu élevés", ["prix un peu élevés"]),
        ("Great tool\nNeeds a dark mode", ["Great tool", "Needs a dark mode"]),
    ],
)
def test_non_answers_are_cut_off_the_rest(text, pieces):
    assert split_units(text) == pieces


@pytest.mark.parametrize("name", list(SETS))
def test_requests_of_the_sets_are_requests_and_nothing_else_is(name):
    for _rid, text, _nps, expected in rows(name):
        if expected == NON_ANSWER or expected is None:
            continue
        plain = normalise_text(text)
        if expected == {"request"}:
            assert is_request(plain), text
        elif "request" not in expected:
            assert not any(is_request(p) for p in split_units(plain)), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Needs a dark mode", True),
        ("It needs offline mode", True),
        ('"Few templates" honestly', True),
        ("- more templates", True),
        ("Rien à ajouter, merci !", False),
        ("nada que añadir", False),
        ("needs work", False),
        ('"Better seat" is cabin select', False),
        ("Few free apps are giving excellent audio quality", False),
        ("Need to wait hours for support", False),
    ],
)
def test_request_edges(text, expected):
    assert is_request(text) is expected


def test_request_cues_are_the_wish_not_the_thing():
    assert {"faudrait", "needs", "please", "bitte", "más"} <= REQUEST_CUES
    assert not {"templates", "caisse", "option", "feature", "support", "help"} & REQUEST_CUES
    assert [is_request_cue(t) for t in ("add dark", "dark mode", "欲しい", "駐車場", "Few templates")] == [
        True,
        False,
        True,
        False,
        True,
    ]


@pytest.mark.parametrize("name", ["garden-fr", "retail-ja"])
def test_the_csv_a_user_uploads_gives_the_same_comments_and_non_answers(name):
    """The export as a file, through ingest and the workspace, as a new user meets it."""
    assert all(15 <= len(rows_) <= 200 for rows_ in SETS.values())
    ws = Workspace.from_loaded(load_inputs(as_csv(name).encode("utf-8"), f"{name}.csv"))
    try:
        comments = comments_from_workspace(ws)
    finally:
        ws.close()
    assert {(c.response_id, c.text, c.nps) for c in comments} == {
        (rid, text, float(nps)) for rid, text, nps, _ in rows(name)
    }
    assert sorted(extract_themes(comments).non_answer_ids) == sorted(_themes(name).non_answer_ids)


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("Keine Probleme, super", "positive"),  # a negation ends at its clause
        ("Sin problemas, rápido", "positive"),
        ("Sin colas", "positive"),  # "sin" negates; it is no English "sin"
        ("Lange Wartezeit an der Kasse", "negative"),
        ("Mucha cola en caja", "negative"),
        ("The staff was not helpful", "negative"),
    ],
)
def test_negation_stays_in_its_clause_and_waits_complain(text, polarity):
    assert clause_polarity(text) == polarity
