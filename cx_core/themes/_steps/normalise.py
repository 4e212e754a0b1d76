"""Step 1, normalise: text as people meant it (no HTML entities, handles, URLs, emoji, retweet marks)."""

from __future__ import annotations

from .._normalise import normalise_text
from .._types import CommentRecord
from .data import Comments


def normalise(comments: list[CommentRecord]) -> Comments:
    """The comments with any text, by response id, and each one's normalised text (may be empty:
    a bare link or handle)."""
    records = sorted((c for c in comments if c.text and str(c.text).strip()), key=lambda c: str(c.response_id))
    return Comments(records, {c.response_id: normalise_text(c.text) for c in records})
