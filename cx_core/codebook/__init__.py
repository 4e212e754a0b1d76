"""The team's codebook: themes it corrected once and keeps, applied unchanged to every wave.

A layer on the theme engine's results (never inside it)::

    result = extract_themes(comments)                      # the engine's themes
    codebook = propose_codebook(result, comments)          # one codebook theme per engine theme
    codebook = apply_edit(codebook, {"op": "rename", "theme": codebook.ids[0], "label": "Delivery"})
    coded = apply_codebook(codebook, next_wave_comments)   # same ids and names on the next wave
    coded.result                                           # a ThemeResult: every theme view reads it
    coded.coverage, coded.uncoded_ids, coded.candidates    # what is not coded yet, and proposals

The JSON file (``codebook.to_json()`` / :func:`codebook_from_json`)::

    {"format": "cx-codebook", "version": 1,
     "themes": [{"id", "label", "description", "side", "examples": [...], "include": [...],
                 "exclude": [...], "pinned"}],
     "comments": {"<response id>": ["<theme id>", ...]}}

``id`` and ``label`` are required; a theme added by hand may carry only ``id``, ``label`` and
``include``. ``comments`` (optional) keeps the team's decisions about single comments.
"""

from __future__ import annotations

from ..themes import CommentRecord, ThemeResult
from ._apply import CANDIDATE_MIN_COUNT, DEFAULT_THRESHOLD, Candidate, CodedThemes, apply_codebook
from ._diff import diff_codebooks
from ._edits import OPS, apply_edit, touched
from ._model import FORMAT, Codebook, CodebookTheme, codebook_from_dict, codebook_from_json
from ._propose import propose_codebook
from ._rules import contains_phrase, search_terms
from ._versions import import_codebook, keep_mine, save_edit, saved_codebook, undo


def search_comments(comments: list[CommentRecord], query: str) -> list[str]:
    """Response ids of the comments that contain any phrase of ``query`` (like an include rule:
    case-insensitive, whole words in latin scripts, anywhere in Japanese/Chinese/Korean)."""
    from ._rules import any_phrase

    terms = search_terms(query)
    if not terms:
        return []
    return sorted(c.response_id for c in comments if c.text and any_phrase(str(c.text), terms))


def themes_under_codebook(
    codebook: Codebook | None, comments: list[CommentRecord], engine_result: ThemeResult
) -> ThemeResult:
    """The themes every view shows: ``engine_result`` when there is no codebook, else the comments
    coded by it (without candidate proposals, which only the Uncoded view needs)."""
    if codebook is None or not codebook.themes:
        return engine_result
    return apply_codebook(codebook, comments, engine_result=engine_result, candidates=False).result


__all__ = [
    "CANDIDATE_MIN_COUNT",
    "DEFAULT_THRESHOLD",
    "FORMAT",
    "OPS",
    "Candidate",
    "Codebook",
    "CodebookTheme",
    "CodedThemes",
    "apply_codebook",
    "apply_edit",
    "codebook_from_dict",
    "codebook_from_json",
    "contains_phrase",
    "diff_codebooks",
    "import_codebook",
    "keep_mine",
    "propose_codebook",
    "save_edit",
    "saved_codebook",
    "search_comments",
    "search_terms",
    "themes_under_codebook",
    "touched",
    "undo",
]
