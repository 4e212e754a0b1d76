"""Step 4, redact: each distinct clause once, personal data masked, with what later steps read in it
(key terms for the topics, phrases for the names)."""

from __future__ import annotations

from .._naming import phrases, topical_terms
from .._redact import mask_pii
from .._split import is_japanese
from .data import Answers, Clause, Clauses


def redact(answers: Answers) -> Clauses:
    """The distinct clauses in the order the comments (by response id) first say them, each with the
    comments that say it (once each)."""
    clauses: dict[str, Clause] = {}
    for rid, kept in answers.clauses_of.items():
        for piece in kept:
            clause = clauses.get(piece)
            if clause is None:
                masked = mask_pii(piece)
                clause = clauses[piece] = Clause(
                    piece, masked, [], is_japanese(piece), topical_terms(masked), phrases(masked)
                )
            if not clause.response_ids or clause.response_ids[-1] != rid:
                clause.response_ids.append(rid)
    return Clauses(answers, clauses)
