"""The offline parser: a question in English or Japanese -> a :class:`QuerySpec`, with no model.

It knows the workspace's own words (:class:`Vocabulary`: measures, dimensions, every value, drivers,
the column names of the person's file) plus the generic words of :mod:`._lexicon`, and reads the
shape of a question from a few markers: "by"/"別" (groups), "vs"/"compared to"/"比べ" (a comparison),
"top 3"/"lowest"/"一番低い" (order), and periods ("last quarter", "先月", "since April").
A word that names nothing in the data is never ignored: the question is then not understood, and
the reading says which word and what the data has instead.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from ..messages import has_message, t
from ..roles import KEY_ROLES, ROLE_LABELS
from ._lexicon import (
    DECISION_MAKER_WORDS,
    DIMENSION_WORDS,
    DRIVER_GLOSSES,
    JA_FUNCTION_WORDS,
    MEASURE_WORDS,
    NEGATIVE_MEASURE_WORDS,
    STOP_WORDS,
    VALUE_SYNONYMS,
)
from ._periods import Found, find_periods, previous_of, quarter_of, quarter_period
from ._spec import ALL_DRIVERS, DRIVER_PREFIX, Compare, Period, QuerySpec, Reading, normal_filters
from ._themes import ThemeName, find_themes, theme_name
from ._vocab import Vocabulary

_PUNCTUATION = re.compile(r"[?!.,;:()\[\]{}\"'“”‘’「」『』【】、。？！（）・/\\|*+=<>~〜…]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def normalise(text: str) -> str:
    """NFKC, lower case, punctuation and hyphens as spaces, one space between words.

    >>> normalise("Mid-Market NPS？（前四半期）")
    'mid market nps 前四半期'
    """
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = text.replace("'s ", " ").replace("’s ", " ")
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    text = _PUNCTUATION.sub(" ", text)
    text = re.sub(r"(?<=[a-z])\s*-\s*(?=[a-z])|\s-\s", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Term:
    """One phrase of the vocabulary and what it names."""

    phrase: str
    kind: str  # "measure", "dimension", "value", "driver", "time", "theme"
    target: tuple
    weight: int
    #: other values of the same weight the phrase names ("relationship": a stage and a survey type)
    alternatives: tuple = ()


@dataclass(frozen=True)
class Hit:
    term: Term
    start: int
    end: int


_TIME_WORDS: dict[str, tuple[str, ...]] = {
    "month": (
        "by month",
        "per month",
        "each month",
        "every month",
        "monthly",
        "month by month",
        "月別",
        "月ごと",
        "月毎",
        "毎月",
        "月次",
    ),
    "trend": ("trend", "trends", "over time", "推移", "時系列", "trend over time"),
    "quarter": (
        "by quarter",
        "per quarter",
        "each quarter",
        "every quarter",
        "quarterly",
        "quarter by quarter",
        "四半期別",
        "四半期ごと",
        "四半期毎",
        "四半期推移",
    ),
}


def _value_phrases(dimension: str, value: str) -> set[str]:
    phrases = {value}
    if dimension == "respondent_role":
        phrases |= set(ROLE_LABELS.get(value, {}).values())
    key = "code." + normalise(value).replace(" ", "_")
    if has_message(key):
        phrases |= {t(key, "en"), t(key, "ja")}
    normal = {normalise(p) for p in phrases}
    for group in VALUE_SYNONYMS:
        words = {normalise(w) for w in group}
        if normal & words:
            phrases |= set(group)
    out = {normalise(p) for p in phrases if p}
    out |= {p + "s" for p in out if p.isascii() and p.isalpha() and len(p) > 3 and not p.endswith("s")}
    return {p for p in out if p}


def _driver_phrases(key: str, label: str, column: str | None) -> set[str]:
    phrases = {normalise(label), normalise(key.replace("_", " "))}
    if column:
        phrases.add(normalise(column))
    return {p for p in phrases if p}


def terms_of(vocab: Vocabulary) -> tuple[Term, ...]:
    """Every phrase the parser looks for in a question over ``vocab`` (longest first)."""
    cached = vocab.phrases.get("terms")
    if cached is None:
        cached = vocab.phrases["terms"] = _build_terms(vocab)
    return cached


def _build_terms(vocab: Vocabulary) -> tuple[Term, ...]:
    terms: dict[str, Term] = {}

    def add(phrase: str, kind: str, target: tuple, weight: int) -> None:
        phrase = normalise(phrase)
        if not phrase:
            return
        old = terms.get(phrase)
        if old is None or weight > old.weight:
            terms[phrase] = Term(phrase, kind, target, weight)
        elif kind == old.kind == "value" and weight == old.weight and target != old.target:
            terms[phrase] = Term(phrase, kind, old.target, weight, (*old.alternatives, target))

    columns = dict(vocab.columns)
    for measure, words in MEASURE_WORDS.items():
        for word in words:
            add(word, "measure", (measure,), 3)
    for measure in ("nps", "csat", "ces"):
        if measure in columns:
            add(columns[measure], "measure", (measure,), 4)
            add(re.sub(r"\(.*?\)", "", columns[measure]), "measure", (measure,), 4)
    for grain, words in _TIME_WORDS.items():
        for word in words:
            add(word, "time", (grain,), 3)
    for dimension in vocab.dimensions:
        for word in DIMENSION_WORDS.get(dimension, ()):
            add(word, "dimension", (dimension,), 2)
        add(dimension.replace("_", " "), "dimension", (dimension,), 3)
        add(t(f"dim.{dimension}", "en") if has_message(f"dim.{dimension}") else dimension, "dimension", (dimension,), 3)
        if has_message(f"dim.{dimension}"):
            add(t(f"dim.{dimension}", "ja"), "dimension", (dimension,), 3)
        if dimension in columns:
            add(columns[dimension], "dimension", (dimension,), 3)
    roles = vocab.values_of("respondent_role")
    deciders = tuple(r for r in KEY_ROLES if r in roles)
    if deciders:
        for word in DECISION_MAKER_WORDS:
            add(word, "value", ("respondent_role", deciders), 4)
    for dimension, values in vocab.values:
        for value in values:
            for phrase in _value_phrases(dimension, value):
                add(phrase, "value", (dimension, (value,)), 5 if phrase == normalise(value) else 4)
    driver_columns = {}
    for key, label in vocab.drivers:
        driver_columns[key] = label
        for phrase in _driver_phrases(key, label, None):
            add(phrase, "driver", (key,), 4)
    # single words and pairs of a driver's label that name only that driver ("delivery", "account manager")
    pieces: dict[str, set[str]] = {}
    for key, label in vocab.drivers:
        label_words = [w for w in normalise(label).split() if w not in STOP_WORDS and w not in {"our", "us", "of"}]
        for size in (1, 2):
            for i in range(len(label_words) - size + 1):
                piece = " ".join(label_words[i : i + size])
                if len(piece) >= 4:
                    pieces.setdefault(piece, set()).add(key)
    for piece, keys in pieces.items():
        if len(keys) == 1 and piece not in terms:
            add(piece, "driver", (next(iter(keys)),), 1)
    for gloss, english in DRIVER_GLOSSES.items():
        term = terms.get(english)
        if term is not None and term.kind == "driver" and gloss not in terms:
            add(gloss, "driver", term.target, 2)
    for name in theme_names(vocab):  # a theme's whole name is the theme, whatever its words also name
        for phrase in {normalise(name.label), name.topic}:
            if len(phrase) >= 4 and len(phrase.split()) >= (1 if not phrase.isascii() else 2):
                if phrase not in terms or terms[phrase].kind != "value":
                    terms[phrase] = Term(phrase, "theme", ((name.id,),), 6)
    return tuple(sorted(terms.values(), key=lambda term: (-len(term.phrase), -term.weight, term.phrase)))


def theme_names(vocab: Vocabulary) -> list[ThemeName]:
    """The vocabulary's themes read for matching (kept with the vocabulary, like its phrases)."""
    cached = vocab.phrases.get("themes")
    if cached is None:
        words = dict(vocab.theme_words)
        cached = vocab.phrases["themes"] = [
            theme_name(k, label, normalise, words.get(k, ())) for k, label in vocab.themes
        ]
    return cached


def _other_names(vocab: Vocabulary) -> frozenset[str]:
    """One-word names of measures, dimensions, values and periods: where a theme phrase ends."""
    cached = vocab.phrases.get("stops")
    if cached is None:
        kinds = ("measure", "dimension", "value", "time")
        cached = frozenset(t.phrase for t in terms_of(vocab) if t.kind in kinds and " " not in t.phrase)
        vocab.phrases["stops"] = cached
    return cached


def _boundary_ok(text: str, start: int, end: int, phrase: str) -> bool:
    if _CJK.search(phrase):
        return True
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def find_terms(text: str, vocab: Vocabulary, taken: list[tuple[int, int]]) -> list[Hit]:
    """Vocabulary phrases in ``text``, longest first, never two on the same characters."""
    hits: list[Hit] = []
    spans = list(taken)
    for term in terms_of(vocab):
        start = text.find(term.phrase)
        while start >= 0:
            end = start + len(term.phrase)
            if _boundary_ok(text, start, end, term.phrase) and not any(start < e and s < end for s, e in spans):
                spans.append((start, end))
                hits.append(Hit(term, start, end))
            start = text.find(term.phrase, start + 1)
    hits.sort(key=lambda h: h.start)
    return hits


# --- markers of a question's shape -----------------------------------------------------------------

_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_NUM = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
_TOP_RULES: tuple[tuple[str, str, int, int], ...] = (
    (rf"\b(?:top|best|highest|strongest)\s+{_NUM}\b", "desc", 1, 0),
    (rf"\b(?:bottom|worst|lowest|weakest)\s+{_NUM}\b", "asc", 1, 0),
    (rf"\b{_NUM}\s+(?:best|highest|strongest|top)\b", "desc", 1, 0),
    (rf"\b{_NUM}\s+(?:worst|lowest|weakest)\b", "asc", 1, 0),
    (r"(?:上位|ベスト|トップ)\s*(\d+)", "desc", 1, 0),
    (r"(?:下位|ワースト)\s*(\d+)", "asc", 1, 0),
)
_ASC = re.compile(
    r"\b(?:lowest|worst|weakest|bottom|poorest|least|lowest scoring|most room for improvement)\b"
    r"|一番低|最も低|いちばん低|最低|低い|悪い|最悪|ワースト|下位|低め|弱い"
)
_DESC = re.compile(
    r"\b(?:highest|best|strongest|top|greatest|most|happiest|highest scoring|rank|ranked|ranking)\b"
    r"|一番高|最も高|いちばん高|最高|高い|良い|よい|ベスト|上位|トップ|強い|ランキング|順位"
)
_COMPARE = re.compile(
    r"\b(?:vs|versus|compared|compare|comparing|comparison|against|than|relative to)\b|と比べ|に比べ|比較|と比|対|比で|前年比|前月比|前四半期比"
)
_BEFORE = re.compile(
    r"\b(?:the\s+)?(?:one|quarter|month|year|period)\s+before\b|\bthe\s+previous\s+(?:one|period)\b"
    r"|\bthe\s+one\s+prior\b|\bprevious\s+period\b|\bprior\s+period\b|\bpreceding\s+(?:quarter|month|year|period|one)\b"
    r"|その前|前の期間|1つ前|ひとつ前|直前の(?:四半期|月|期間)"
)
_BY = re.compile(
    r"\b(?:by|per|for each|for every|across|broken down by|split by|each|every|among|which|what)\s*$|(?:どの|各)\s*$"
)


def _top_and_order(text: str, taken: list[tuple[int, int]]) -> tuple[str | None, int | None]:
    for pattern, order, group, _ in _TOP_RULES:
        match = re.search(pattern, text)
        if match:
            taken.append(match.span())
            value = match[group]
            lowest = [m for m in _ASC.finditer(text) if m.end() <= match.start() or m.start() >= match.end()]
            if order == "desc" and lowest:  # "the top 3 worst", "低い業界トップ3": the top of the lowest
                taken += [m.span() for m in lowest]
                order = "asc"
            return order, int(_NUMBER.get(value, 0) or value)
    asc, desc = _ASC.search(text), _DESC.search(text)
    taken += [m.span() for m in (asc, desc) if m is not None]
    if asc and desc:  # "highest and lowest": the first said wins
        return ("asc", None) if asc.start() < desc.start() else ("desc", None)
    if asc:
        return "asc", None
    if desc:
        return "desc", None
    return None, None


def _marker_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in (_COMPARE, _BEFORE) for m in pattern.finditer(text)]


def _current_like(found: Found, anchor) -> Period:
    if found.grain == "quarter":
        year, quarter = quarter_of(anchor)
        return Period("this_quarter", quarter_period(year, quarter, "").start, anchor)
    if found.grain == "month":
        return Period("this_month", anchor.replace(day=1), anchor)
    if found.grain == "year":
        return Period("this_year", anchor.replace(month=1, day=1), anchor)
    return Period("to_date", found.period.end, anchor) if found.period.end else found.period


# --- the parser --------------------------------------------------------------------------------------


def _vocab_words(vocab: Vocabulary) -> list[str]:
    words = {w for term in terms_of(vocab) for w in term.phrase.split() if w.isascii() and w.isalpha() and len(w) >= 4}
    return sorted(words - STOP_WORDS)


def _leftover_words(text: str, spans: list[tuple[int, int]]) -> list[str]:
    rest = _blanked(text, spans)
    words: list[str] = []
    for token in re.findall(r"[a-z][a-z0-9']*", rest):
        token = token.strip("'")
        if len(token) >= 3 and token not in STOP_WORDS and not token.isdigit():
            words.append(token)
    japanese = rest
    for word in sorted(JA_FUNCTION_WORDS, key=len, reverse=True):
        japanese = japanese.replace(word, " ")
    for chunk in re.findall(r"[\u30a0-\u30ff\u3400-\u9fff]{2,}", japanese):
        words.append(chunk)
    return words


def _correct(text: str, words: list[str], vocab: Vocabulary) -> tuple[str, list[tuple[str, str]]]:
    """Misspelt words replaced by the closest word of the vocabulary (edit-distance ratio >= 0.8)."""
    known = _vocab_words(vocab)
    fixes = []
    for word in words:
        if not word.isascii() or len(word) < 4:
            continue
        close = difflib.get_close_matches(word, known, n=1, cutoff=0.8)
        if close and close[0] != word:
            text = re.sub(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", close[0], text)
            fixes.append((word, close[0]))
    return text, fixes


def parse(question: str, vocabulary: Vocabulary, lang: str) -> Reading:
    """Read ``question`` (English or Japanese) over the workspace's ``vocabulary``, with no model.

    >>> vocab = Vocabulary(measures=("nps", "csat"), dimensions=("segment",),
    ...     values=(("segment", ("Enterprise", "SMB")),))
    >>> parse("NPS by segment", vocab, "en").spec.group_by
    ('segment',)
    >>> parse("大企業と中小企業の満足度を比較", vocab, "ja").spec.compare.values
    ('Enterprise', 'SMB')
    """
    text = normalise(question)[:500]
    anchor = vocabulary.anchor()
    scan = _scan(text, vocabulary, anchor)
    guesses: list[str] = []
    if scan.leftovers:
        corrected, fixes = _correct(text, scan.leftovers, vocabulary)
        if fixes:
            text = corrected
            scan = _scan(text, vocabulary, anchor)
            guesses += [t("ask.guess_spelling", lang, word=a, meant=b) for a, b in fixes]
    return _reading(question, text, vocabulary, lang, scan, guesses)


@dataclass
class _Scan:
    hits: list[Hit]
    found: list[Found]
    order: str | None
    top: int | None
    blank: str  # the text with every recognised name blanked: where the markers are looked for
    leftovers: list[str]


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return "".join(chars)


def _scan(text: str, vocab: Vocabulary, anchor) -> _Scan:
    found = find_periods(text, anchor)
    taken = [(f.start, f.end) for f in found]
    themes = find_themes(text, theme_names(vocab), taken, _other_names(vocab))
    taken += [(m.start, m.end) for m in themes]
    theme_hits = [Hit(Term(m.words, "theme", (m.ids,), 0), m.start, m.end) for m in themes]
    hits = sorted(find_terms(text, vocab, taken) + theme_hits, key=lambda h: h.start)
    blank = _blanked(text, taken + [(h.start, h.end) for h in hits])
    markers: list[tuple[int, int]] = []
    order, top = _top_and_order(blank, markers)
    markers += _marker_spans(blank)
    return _Scan(hits, found, order, top, blank, _leftover_words(blank, markers))


def _reading(question, text, vocab, lang, scan: _Scan, guesses) -> Reading:
    anchor = vocab.anchor()
    hits, found, order, top, leftovers = scan.hits, scan.found, scan.order, scan.top, scan.leftovers
    measures = [h for h in hits if h.term.kind in ("measure", "driver")]
    dims = [h for h in hits if h.term.kind == "dimension"]
    values = [h for h in hits if h.term.kind == "value"]
    times = [h for h in hits if h.term.kind == "time"]
    theme_hits = [h for h in hits if h.term.kind == "theme"]
    compare_marked = _COMPARE.search(scan.blank) is not None
    if compare_marked:
        leftovers = [w for w in leftovers if not _COMPARE.search(w)]
    recognised = bool(measures or dims or values or times or found or theme_hits)
    if not recognised or leftovers:
        return Reading(question, False, QuerySpec(), tuple(guesses), tuple(dict.fromkeys(leftovers)))

    # measure: the first one named; "drivers" means every driver; a negative word flips the order
    measure = None
    negative = False
    for hit in measures:
        if hit.term.kind == "driver":
            measure = DRIVER_PREFIX + hit.term.target[0]
        else:
            measure = hit.term.target[0]
            negative = hit.term.phrase in NEGATIVE_MEASURE_WORDS
        break
    if measure == ALL_DRIVERS and any(h.term.kind == "driver" for h in measures):
        measure = next(DRIVER_PREFIX + h.term.target[0] for h in measures if h.term.kind == "driver")
    if measure is None:
        measure = "nps" if "nps" in vocab.measures else (vocab.measures[0] if vocab.measures else "nps")
        guesses.append(t("ask.guess_measure", lang, measure=t(f"metric.{measure}", lang)))
    if negative and order is not None:
        order = "asc" if order == "desc" else "desc"

    # values: one value term of a dimension filters; two or more of one dimension compare
    by_dimension: dict[str, list[tuple[str, ...]]] = {}
    named = {h.term.target[0] for h in values if not h.term.alternatives}
    for hit in values:
        dimension, picked = hit.term.target
        for other in hit.term.alternatives:  # an ambiguous word takes the dimension the others name
            if dimension not in named and other[0] in named:
                dimension, picked = other
        by_dimension.setdefault(dimension, [])
        if picked not in by_dimension[dimension]:
            by_dimension[dimension].append(picked)
    group_by: list[str] = []
    for hit in dims:
        dimension = hit.term.target[0]
        before = text[: hit.start]
        explicit = _BY.search(before) is not None or re.search(r"^\s*(?:別|ごと|毎)", text[hit.end :]) is not None
        if dimension in by_dimension and not explicit:
            continue  # "the SMB segment": the name of the value's dimension, not a grouping
        if dimension not in group_by:
            group_by.append(dimension)
    grains = [h.term.target[0] for h in times]
    if "trend" in grains:  # "the trend by quarter": the grain said; "the trend": by month, as the Segments page
        grains = [g for g in grains if g != "trend"] or ["month"]
    for grain in grains[:1]:
        if grain not in group_by:
            group_by.append(grain)
    compare: Compare | None = None
    filters: dict[str, list[str]] = {}
    for dimension, picks in by_dimension.items():
        if len(picks) >= 2 and compare is None and dimension not in group_by:
            compare = Compare(dimension=dimension, values=tuple(v for pick in picks for v in pick))
        else:
            filters[dimension] = [v for pick in picks for v in pick]

    # periods: two periods compare; one period and "vs the one before" compares with the previous
    period: Period | None = None
    if len(found) >= 2 and compare is None:
        first, second = found[0], found[1]
        second_period = second.period
        if second_period == first.period:
            second_period = previous_of(first.period, first.grain) or second_period
        compare = Compare(periods=(first.period, second_period))
    elif len(found) == 1:
        only = found[0]
        if compare is None and _BEFORE.search(scan.blank):
            previous = previous_of(only.period, only.grain)
            compare = Compare(periods=(only.period, previous)) if previous else None
            if compare is None:
                period = only.period
        elif compare is None and compare_marked and only.grain in ("quarter", "month", "year") and not group_by:
            compare = Compare(periods=(_current_like(only, anchor), only.period))
        else:
            period = only.period
    elif found:
        period = found[0].period

    theme_ids: list[str] = []
    for hit in theme_hits:
        theme_ids += [i for i in hit.term.target[0] if i not in theme_ids]
        if hit.term.weight == 0:  # read after "mention"/「について」: said as a guess, never in silence
            names = ", ".join(f"“{vocab.theme_label(i)}”" for i in hit.term.target[0])
            guesses.append(t("ask.guess_theme", lang, words=hit.term.phrase, themes=names))

    if measure == ALL_DRIVERS:
        group_by = []  # one row per driver: a grouping of drivers by segment is the Drivers page's job
    group_by = group_by[:2]
    ranked = bool(group_by) or measure == ALL_DRIVERS
    spec = QuerySpec(
        measure=measure,
        group_by=tuple(group_by),
        filters=normal_filters(filters),
        period=period,
        compare=compare,
        order=order if ranked else None,
        top=top if ranked else None,
        themes=tuple(theme_ids),
    )
    return validate(Reading(question, True, spec, tuple(guesses)), vocab, lang)


def validate(reading: Reading, vocab: Vocabulary, lang: str) -> Reading:
    """Check every name of the reading's spec against ``vocab``; unknown names make it not understood,
    each with a "did you mean" from the data."""
    spec = reading.spec
    problems: list[str] = []
    measures = vocab.measure_names()
    if spec.measure not in measures:
        problems.append(_did_you_mean(spec.measure, measures, lang, "ask.unknown_measure"))
    known_groups = list(vocab.dimensions) + ["month", "quarter"]
    for dimension in spec.group_by:
        if dimension not in known_groups:
            problems.append(_did_you_mean(dimension, known_groups, lang, "ask.unknown_dimension"))
    named = list(spec.filters)
    if spec.compare is not None and spec.compare.dimension:
        named.append((spec.compare.dimension, spec.compare.values))
    for dimension, picked in named:
        if dimension not in vocab.dimensions:
            problems.append(_did_you_mean(str(dimension), list(vocab.dimensions), lang, "ask.unknown_dimension"))
            continue
        allowed = vocab.values_of(dimension)
        for value in picked:
            if value not in allowed:
                problems.append(_did_you_mean(value, list(allowed), lang, "ask.unknown_value"))
    known_themes = [k for k, _ in vocab.themes]
    for theme_id in spec.themes:
        if theme_id not in known_themes:
            labels = [label for _, label in vocab.themes]
            problems.append(_did_you_mean(theme_id, labels, lang, "ask.unknown_theme"))
    if spec.order not in (None, "asc", "desc"):
        problems.append(t("ask.unknown_order", lang))
    if spec.top is not None and not (1 <= spec.top <= 100):
        problems.append(t("ask.unknown_order", lang))
    if problems:
        return Reading(
            reading.question,
            False,
            spec,
            reading.guesses,
            reading.unknown,
            source=reading.source,
            notes=tuple(dict.fromkeys(problems)),  # a model repeating one bad value is told once
        )
    return reading


def _did_you_mean(name: str, choices: list[str], lang: str, key: str) -> str:
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.5)
    text = t(key, lang, name=str(name)[:60])
    if close:
        text += " " + t("ask.did_you_mean", lang, name=close[0])
    return text
