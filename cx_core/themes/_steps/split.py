"""Step 2, split: each comment into sentences and clauses (:func:`cx_core.themes._split.split_units`:
long enough clauses are cut at ", but" and " and ", Japanese ones at 、 after a clause ending),
so a comment mixing two themes gets both."""

from __future__ import annotations

from .._split import split_units
from .data import Comments, Pieces


def split(comments: Comments) -> Pieces:
    """Each comment's pieces, in order (an empty text has none)."""
    return Pieces(comments, {rid: split_units(text) for rid, text in comments.plain.items()})
