"""Step 3, non-answers: comments that answer nothing ("n/a", "特になし", "RAS", "keine", a bare link, "9") are
counted, never themed; so are clauses that say nothing ("Rien à signaler, j'ai trouvé ce que je
cherchais": the first clause) or hold nothing but personal data. What a substantive comment says
beyond them is its text from here on (``Answers.comments.plain``: what the "meaning" level embeds
whole), so "Rien à signaler" never colours the reading of the rest."""

from __future__ import annotations

import re

from .._nonanswers import is_filler, is_non_answer
from .._redact import mask_pii
from .data import Answers, Comments, Pieces

_LEFT_OVER = re.compile(r"(?:\s*[,;、，]\s*){2,}")
_EDGES = " \t\n,;、，.。!！?？:-"


def _only_placeholders(text: str) -> bool:
    """True for a clause that is nothing but personal data (e.g. a bare postal code or e-mail)."""
    return not re.search(r"\w", re.sub(r"\[(?:email|url|phone|postal code|name|company)\]", "", mask_pii(text)))


def _without(text: str, dropped: list[str]) -> str:
    """``text`` without the pieces said to say nothing (each once, where it stands)."""
    for piece in dropped:
        text = text.replace(piece, " ", 1)
    lines = [_LEFT_OVER.sub(", ", line).strip(_EDGES) for line in text.splitlines()]
    return "\n".join(re.sub(r"\s{2,}", " ", line) for line in lines if line)


def drop_non_answers(pieces: Pieces) -> Answers:
    """The non-answers (a comment empty once normalised, or a non-answer as a whole) and, for the
    other comments, their clauses that say something and their text without their non-answers."""
    comments = pieces.comments
    plain = comments.plain
    non_answers = [
        c.response_id
        for c in comments.records
        if not plain[c.response_id] or is_non_answer(plain[c.response_id]) or is_filler(plain[c.response_id])
    ]
    skipped = set(non_answers)
    substantive = {c.response_id: c for c in comments.records if c.response_id not in skipped}
    clauses_of: dict[str, list[str]] = {}
    answered = dict(plain)
    for rid in substantive:
        said = [p for p in pieces.pieces[rid] if not is_non_answer(p)]
        clauses_of[rid] = [p for p in said if not _only_placeholders(p)]
        if said and len(said) < len(pieces.pieces[rid]):  # personal data stays: it is masked, not empty
            answered[rid] = _without(plain[rid], [p for p in pieces.pieces[rid] if p not in said]) or plain[rid]
    return Answers(Comments(comments.records, answered), non_answers, substantive, clauses_of)
