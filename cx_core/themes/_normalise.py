"""Text as people write it, made plain before anything else reads it (first step of the theme engine).

Exports of social and support channels carry markup that is not what the customer said: HTML
entities ("&amp;", "&#39;"), HTML tags of web forms ("<br>", "<p>"), retweet markers ("RT @brand:"),
@handles, URLs and bare web addresses, #tags, emoji and typographic apostrophes ("j’ai"). Left
in, they become theme names ("amp, bag") or pull unrelated comments together (every tweet to one
airline shares its handle), and "j’ai" written with a phone's apostrophe escapes the elision rules
that "j'ai" meets. :func:`normalise_text` returns what a reader would read: entities decoded, line
breaks of HTML kept as line breaks and other tags dropped, handles, URLs and emoji removed, a tag's
'#' dropped (its word stays: "#delayed" says "delayed"), apostrophes made plain, whitespace collapsed. The quote a person sees keeps the comment as written.
"""

from __future__ import annotations

import html
import re
import unicodedata

# "RT @brand:" at the start, or after an emoji or a comment ("😎 RT @brand: ...", "so true RT @x: ...").
_RETWEET = re.compile(r"^\s*(?:RT|MT)\s*(?:@\w+\s*)?:?\s*|(?<!\w)(?:RT|MT)\s*@\w+\s*:?\s*", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|net|org|ly|co|io|jp|fr|de|es)/\S*", re.IGNORECASE)
# A bare web address ("see acme.com", "www.x.fr"); not the domain of an e-mail address (redacted later).
_DOMAIN = re.compile(
    r"(?<![\w@.-])(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|fr|de|es|jp|uk|eu|app|ly)\b(?![@.\w-])", re.IGNORECASE
)
# HTML of web-form exports: line breaks and blocks become line breaks, other known tags vanish
# (only tag names, so "<3" and "a < b" stay).
_BLOCK_TAG = re.compile(r"</?(?:br|p|div|li|ul|ol|tr|td|h[1-6])\b[^<>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(?:b|i|u|em|strong|span|font|a|small|sup|sub)\b[^<>]*>", re.IGNORECASE)
# Typographic apostrophes and look-alikes typed by phones and word processors ("j’ai", "l`accueil").
_APOSTROPHE = re.compile(r"(?<=\w)[\u2019\u2018\u02bc\u00b4`\u2032](?=\w)")
_HANDLE = re.compile(r"(?<![\w.])@\w+(?:\s*:)?")  # with the colon of a quoted tweet ("@brand: ...")
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
    r"""``text`` as a reader reads it: no entities, tags, handles, URLs, emoji or retweet markers.

    >>> normalise_text("RT @united: Bags &amp; seats #NeverAgain 😡 https://t.co/x")
    'Bags & seats Never Again'
    >>> normalise_text("Great tool<br/>J’aimerais un mode sombre, voir acme.com")
    "Great tool\nJ'aimerais un mode sombre, voir"
    """
    text = str(text or "")
    for _ in range(2):  # "&amp;amp;" from exports that escaped twice
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = _BLOCK_TAG.sub("\n", text)
    text = _INLINE_TAG.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _APOSTROPHE.sub("'", text)
    text = _RETWEET.sub("", text)
    text = _URL.sub(" ", text)
    text = _DOMAIN.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _TAG.sub(_tag_words, text)
    text = _EMOJI.sub(" ", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
