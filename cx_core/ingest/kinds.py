"""Is this file a survey at all? A facility list or a product catalogue is not.

The minimum of a survey is one score column or one comment column (the rule the mapping follows
too). A comment column found from its values alone does not count here: the long text of a
product description or a facility name reads like a comment, so a comment must be named as one
(comment, feedback, why, 自由回答...) or asked as a question (a header ending in "?", or a long
question text).
"""

from __future__ import annotations

import re

import pandas as pd

from .mapping import Mapping, _asked_as_rating, _name_score
from .notices import NOT_A_SURVEY, InputWarning, WarningError
from .parse import RawTable

_QUESTION = re.compile(r"[?？]\s*$")
_INTEGER = re.compile(r"^\s*\d{1,3}\s*$")


class NotASurveyError(WarningError):
    """The file has no score and no comment column (``warning`` says which columns it has)."""

    code = "not_a_survey"


def _asks_for_text(table: RawTable, column: str) -> bool:
    question = table.questions.get(column, "") or column
    if _name_score("comment", column, question, "survey") > 0:
        return True
    return bool(_QUESTION.search(question)) or len(question) >= 40


def _rating_like(values: pd.Series) -> bool:
    """Mostly whole numbers on a 0-10 range with at least three distinct answers."""
    filled = values[values.astype(str).str.strip().ne("")].astype(str)
    if len(filled) < 3:
        return False
    whole = filled[filled.str.match(_INTEGER)]
    if len(whole) < 0.9 * len(filled):
        return False
    numbers = whole.astype(int)
    return bool(numbers.between(0, 10).all() and numbers.nunique() >= 3)


def not_a_survey(table: RawTable, mapping: Mapping) -> InputWarning | None:
    """The ``not_a_survey`` warning when ``table`` has no score and no comment column."""
    # a score or rating counts only when a text says so: numbers alone (a facility list's flood
    # level or plan class) do not make a survey
    for name in ("nps", "csat", "ces"):
        column = mapping.fields.get(name)
        if column and (not (mapping.evidence.get(name) or {}).get("guessed") or _asked_as_rating(table, column)):
            return None
    guessed = {c["column"] for c in mapping.candidates.get("rating_guess", [])}
    if any(d["column"] not in guessed for d in mapping.drivers):
        return None
    if mapping.candidates.get("nps") and any(c.get("confidence", 0) >= 0.5 for c in mapping.candidates["nps"]):
        return None  # a question the survey tool calls NPS: the person is asked which, not refused
    comment = mapping.fields.get("comment")
    if comment and _asks_for_text(table, comment):
        return None
    for column in table.frame.columns:
        question = table.questions.get(column, "") or column
        if any(_name_score(score, column, question, "survey") >= 0.7 for score in ("nps", "csat", "ces")):
            return None  # a score named as one, whatever its values (the mapping says what is wrong)
        if _rating_like(table.frame[column]) and _asked_as_rating(table, column):
            return None  # a rating the mapping has not placed yet: the person is asked, not refused
    return InputWarning(NOT_A_SURVEY, {}, tuple(str(c) for c in table.frame.columns))


def check_is_survey(table: RawTable, mapping: Mapping, name: str) -> None:
    """Raise :class:`NotASurveyError` (one sentence, EN/JA) when ``table`` is not a survey."""
    warning = not_a_survey(table, mapping)
    if warning is not None:
        file = name.replace("\\", "/").rsplit("/", 1)[-1]
        raise NotASurveyError(InputWarning(warning.code, {"file": file}, warning.columns))
