"""Ask the data: a question in plain words (English or Japanese), answered with n, interval and query.

Public API::

    vocab = vocabulary(ws)                      # the workspace's own words (names only, never rows)
    reading = parse("NPS by segment", vocab)    # offline: a typed, frozen QuerySpec and what was guessed
    result = answer(ws, reading, lang="en")     # the pages' own views; rows, the SQL they ran, a sentence
    result = ask(ws, "購買担当のCSATが一番低いセグメントは?", lang="ja")   # both at once

Themes: ``themes = workspace_themes(ws)`` (or the page's themes under the codebook) gives the names
(``vocabulary(ws, themes=theme_ids_of(themes))``) and, when answering, who belongs to which
(``answer(ws, reading, lang=..., themes=ThemeMembers.of(themes))``): "NPS of customers who mention
late deliveries" counts only the respondents whose comments are in that theme.

With an LLM client, :func:`parse_with_llm` fills the same spec through a JSON schema made of the
workspace's names; the spec is validated exactly like the parser's.
"""

from __future__ import annotations

import datetime as dt

from ..messages import dimension_label, t
from ..metrics import DEFAULT_MIN_N
from ..workspace import Workspace
from ._answer import (
    Answer,
    AnswerRow,
    Difference,
    RecordingConnection,
    answer,
    group_text,
    measure_label,
    period_text,
    spec_filters,
)
from ._llm import parse_with_llm, spec_schema
from ._parse import normalise, parse, validate
from ._spec import ALL_DRIVERS, DRIVER_PREFIX, TIME_GROUPS, Compare, Period, QuerySpec, Reading
from ._themes import ThemeMembers, theme_ids_of, theme_words_of, workspace_themes
from ._vocab import Vocabulary, vocabulary

__all__ = [
    "ALL_DRIVERS",
    "DRIVER_PREFIX",
    "TIME_GROUPS",
    "Answer",
    "AnswerRow",
    "Compare",
    "Difference",
    "Period",
    "QuerySpec",
    "Reading",
    "RecordingConnection",
    "ThemeMembers",
    "Vocabulary",
    "answer",
    "ask",
    "group_text",
    "measure_label",
    "normalise",
    "parse",
    "parse_with_llm",
    "period_text",
    "preset_periods",
    "spec_filters",
    "spec_schema",
    "suggestions",
    "theme_ids_of",
    "theme_words_of",
    "validate",
    "vocabulary",
    "workspace_themes",
]


def preset_periods(vocab: Vocabulary) -> list[Period]:
    """Periods a person can pick for a question: last/this quarter, last month, this/last year, last 12 months."""
    from ._periods import find_periods

    phrases = ("last quarter", "this quarter", "last month", "this year", "last year", "last 12 months")
    found = [find_periods(p, vocab.anchor()) for p in phrases]
    return [f[0].period for f in found if f]


def suggestions(vocab: Vocabulary, lang: str, limit: int = 5) -> list[str]:
    """Questions this data can answer, built from its own measures, dimensions and values."""
    if not vocab.measures and not vocab.drivers:
        return []
    measure = t(f"metric.{vocab.measures[0]}", lang) if vocab.measures else t("ask.all_drivers", lang)
    out: list[str] = []
    dims = list(vocab.dimensions)
    if dims:
        out.append(
            t(
                "ask.suggest_by",
                lang,
                measure=measure,
                dimension=dimension_label(dims[0], lang).lower() if lang == "en" else dimension_label(dims[0], lang),
            )
        )
    for dimension in sorted(dims, key=lambda d: (d != "segment", d == "respondent_role", len(vocab.values_of(d)))):
        values = vocab.values_of(dimension)
        if len(values) >= 2:
            text = t(
                "ask.suggest_vs",
                lang,
                measure=measure,
                a=group_text(dimension, values[0], lang),
                b=group_text(dimension, values[-1], lang),
            )
            compare = parse(text, vocab, lang).spec.compare
            if compare is not None and compare.dimension == dimension:  # only a suggestion read as meant
                out.append(text)
                break
    if len(dims) >= 2:
        name = dimension_label(dims[1], lang)
        out.append(t("ask.suggest_lowest", lang, measure=measure, dimension=name.lower() if lang == "en" else name))
    if vocab.first_date and vocab.last_date and vocab.first_date < vocab.last_date:
        out.append(t("ask.suggest_trend", lang, measure=measure))
    if vocab.drivers:
        out.append(t("ask.suggest_drivers", lang))
    return out[:limit]


def ask(
    ws: Workspace,
    question: str,
    *,
    lang: str,
    min_n: int = DEFAULT_MIN_N,
    today: dt.date | None = None,
    vocab: Vocabulary | None = None,
    themes: ThemeMembers | None = None,
) -> Answer:
    """Read ``question`` offline and answer it; a question it cannot read gets suggestions, never an error.

    ``themes`` (the themes' membership) lets a question name a theme; their names then join ``vocab``."""
    vocab = vocab or vocabulary(
        ws,
        today=today,
        themes=themes.labels if themes is not None else (),
        theme_words=themes.words if themes is not None else (),
    )
    reading = parse(question, vocab, lang)
    if not reading.understood:
        from dataclasses import replace

        reading = replace(reading, suggestions=tuple(suggestions(vocab, lang)))
    return answer(ws, reading, lang=lang, min_n=min_n, themes=themes)
