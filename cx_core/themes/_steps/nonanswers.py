"""Step 3, non-answers: comments that answer nothing ("n/a", "特になし", "RAS", "keine", a bare link) are
counted, never themed; so are clauses that say nothing or hold nothing but personal data."""

from __future__ import annotations

import re

from .._nonanswers import is_non_answer
from .._redact import mask_pii
from .data import Answers, Pieces


def _only_placeholders(text: str) -> bool:
    """True for a clause that is nothing but personal data (e.g. a bare postal code or e-mail)."""
    return not re.search(r"\w", re.sub(r"\[(?:email|url|phone|postal code|name|company)\]", "", mask_pii(text)))


def drop_non_answers(pieces: Pieces) -> Answers:
    """The non-answers (a comment empty once normalised, or a non-answer as a whole) and, for the
    other comments, their clauses that say something."""
    comments = pieces.comments
    plain = comments.plain
    non_answers = [
        c.response_id for c in comments.records if not plain[c.response_id] or is_non_answer(plain[c.response_id])
    ]
    skipped = set(non_answers)
    substantive = {c.response_id: c for c in comments.records if c.response_id not in skipped}
    clauses_of = {
        rid: [p for p in pieces.pieces[rid] if not (is_non_answer(p) or _only_placeholders(p))] for rid in substantive
    }
    return Answers(comments, non_answers, substantive, clauses_of)
