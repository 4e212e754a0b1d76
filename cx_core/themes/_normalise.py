"""Text as people write it, made plain before anything else reads it (first step of the theme engine).

Exports of social and support channels carry markup that is not what the customer said: HTML
entities ("&amp;", "&#39;"), retweet markers ("RT @brand:"), @handles, URLs, #tags and emoji. Left
in, they become theme names ("amp, bag") or pull unrelated comments together (every tweet to one
airline shares its handle). :func:`normalise_text` returns what a reader would read: entities decoded,
handles, URLs and emoji removed, a tag's '#' dropped (its word stays: "#delayed" says "delayed"),
whitespace collapsed. The quote a person sees keeps the comment as written.
"""

from __future__ import annotations

import html
import re
import unicodedata

_RETWEET = re.compile(r"^\s*(?:RT|MT)\s*(?:@\w+\s*)?:?\s*", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|net|org|ly|co|io|jp|fr|de|es)/\S*", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w.])@\w+")
_TAG = re.compile(r"(?<![\w&])#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Pictographs, dingbats, flags, variation selectors, joiners and skin tones (emoji as people type them).
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\U0000fe0e\U0000fe0f"
    "\U0000200d\U00002b00-\U00002bff\U0000231a-\U0000231b\U000023e9-\U000023fa\U00003030\U0000303d]+"
)
_SPACES = re.compile(r"[ \t\u00a0]+")


def _tag_words(match: re.Match) -> str:
    return _CAMEL.sub(" ", match.group(1)).replace("_", " ")


def normalise_text(text: str) -> str:
    """``text`` as a reader reads it: no entities, handles, URLs, emoji or retweet markers.

    >>> normalise_text("RT @united: Bags &amp; seats #NeverAgain 😡 https://t.co/x")
    'Bags & seats Never Again'
    """
    text = str(text or "")
    for _ in range(2):  # "&amp;amp;" from exports that escaped twice
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = unicodedata.normalize("NFKC", text)
    text = _RETWEET.sub("", text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _TAG.sub(_tag_words, text)
    text = _EMOJI.sub(" ", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
