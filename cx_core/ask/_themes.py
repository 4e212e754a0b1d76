"""Themes in a question: "NPS of customers who mention late deliveries", 「納期について書いた人のNPS」.

The vocabulary holds the themes' names (id -> label, from the workspace's codebook when one is
saved, else the offline engine) and what their members say beyond the name (key terms and sub-theme
names: "lead time" under "納期 / deliveries", weaker evidence than the name); which responses belong
to a theme is looked up when answering (:class:`ThemeMembers`). A theme is read only where a question says so: its whole name, or the
words after "mention", "complain about", "wrote about"..., or before 「について」「を挙げた」「への不満」.
Words that merely share a word with a theme ("How do we rate delivery?") stay what they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..codebook import Codebook, themes_under_codebook
from ..filters import NO_FILTERS
from ..themes import ThemeEngine, ThemeResult, comments_from_workspace, extract_themes
from ..workspace import Workspace

#: words of a theme's name that say its side, not its topic (the engine's and a team's own names)
SIDE_WORDS: dict[str, str] = {
    "complaint": "complaint",
    "complaints": "complaint",
    "不満": "complaint",
    "praise": "praise",
    "好評": "praise",
    "request": "request",
    "requests": "request",
    "要望": "request",
    "mentions": "neutral",
    "言及": "neutral",
}
#: words people use for a topic a theme names differently (matched on stems, see :func:`stem`)
THEME_GLOSSES: dict[str, str] = {
    "billing": "invoice",
    "bill": "invoice",
    "bills": "invoice",
    "invoicing": "invoice",
    "pricing": "price",
    "prices": "price",
    "docs": "documentation",
    "manual": "manuals",
    "helpdesk": "help",
    "請求": "請求書",
    "価格": "価格体系",
    "サポート": "対応",
}

_EN_SIDES = (
    (re.compile(r"complain|complaint"), "complaint"),
    (re.compile(r"prais"), "praise"),
    (re.compile(r"request|asking|asked|ask for|wishing"), "request"),
)
_EN_MARKER = re.compile(
    r"\b(?:(?:mention|mentions|mentioned|mentioning)"
    r"|(?:talk|talks|talked|talking|wrote|write|writes|writing|comment|comments|commented|commenting|said|say|says"
    r"|saying|feedback|complain|complains|complained|complaining|complaint|complaints"
    r"|request|requests|requested|requesting|asking|asked)\s+(?:about|on|of|with|for|regarding)"
    r"|(?:praise|praises|praised|praising|raise|raised|raising|bring up|brought up|brings up|requesting"
    r"|asking for|asked for|ask for|wishing for))\s+"
)
#: a theme phrase after a marker stops at these words (what follows is the rest of the question)
_EN_STOP = frozenset(
    "by vs versus in for among last this since from during compared than per across each every with within "
    "over under at on what which how who whose where when is are was were and or".split()
)
_JA_MARKER = re.compile(
    r"(について|に関して|に関する|に言及|に触れ|を挙げ|をあげ|への不満|に不満|の不満|への苦情|の苦情"
    r"|への要望|の要望|を褒め|をほめ|を評価)"
)
_JA_SIDES = {
    "不満": "complaint",
    "苦情": "complaint",
    "要望": "request",
    "褒め": "praise",
    "ほめ": "praise",
    "評価": "praise",
}
_JA_CHUNK = re.compile(r"([\u30a0-\u30ff\u3400-\u9fffー]{2,}[ぁ-ん]{0,2}?)\s*$")
_JA_TAIL = re.compile(
    r"^\s*を?(?:書いている|書いてる|書いた|述べた|言及した|コメントした|回答した|挙げた|あげた|している|した|ている|いた|た|る)?"
)


def stem(word: str) -> str:
    """A word without its English plural or -ing ending ("deliveries" and "delivery" alike).

    >>> [stem(w) for w in ("deliveries", "delivery", "invoices", "pricing", "price")]
    ['delivery', 'delivery', 'invoic', 'pric', 'pric']
    """
    word = THEME_GLOSSES.get(word, word)
    if not word.isascii():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for ending in ("ing", "es", "s", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] if ending != "es" else _es(word)
    return word


def _es(word: str) -> str:
    base = word[:-1]  # "invoices" -> "invoice" -> drop the silent e as for "invoice"
    return base[:-1] if base.endswith("e") else base


@dataclass(frozen=True)
class ThemeName:
    """One theme's name read for matching: its topic pieces, their words' stems and its side."""

    id: str
    label: str
    topic: str
    pieces: tuple[str, ...]
    stems: frozenset[str]
    side: str
    word_pieces: tuple[str, ...] = ()
    """What its members say beyond the name (key terms, sub-theme names), normalised."""
    word_stems: frozenset[str] = frozenset()


def theme_name(theme_id: str, label: str, normalise, member_words: Iterable[str] = ()) -> ThemeName:
    """Split a theme's name into its topic pieces and its side ("納期・納品 / deliveries: 不満");
    ``member_words`` are what its members say beyond it (:func:`theme_words_of`), weaker evidence."""
    topic, _, side_text = str(label).rpartition(":")
    if not topic:
        topic, side_text = side_text, ""
    words = normalise(topic).split()
    side_word = normalise(side_text)
    side = SIDE_WORDS.get(side_word, "")
    if not side and words and words[-1] in SIDE_WORDS:  # "Billing complaints": a team's own name
        side = SIDE_WORDS[words[-1]]
    pieces = tuple(p for p in (normalise(x) for x in re.split(r"[/,・、]", topic)) if p)
    stems = frozenset(stem(w) for w in words if w not in SIDE_WORDS and (len(w) >= 3 or not w.isascii()))
    said = (normalise(x) for w in member_words for x in re.split(r"[/,・、]", str(w)))
    word_pieces = tuple(dict.fromkeys(p for p in said if p))
    word_stems = frozenset(
        stem(w) for p in word_pieces for w in p.split() if w not in SIDE_WORDS and (len(w) >= 3 or not w.isascii())
    )
    return ThemeName(str(theme_id), str(label), normalise(topic), pieces, stems, side, word_pieces, word_stems)


@dataclass(frozen=True)
class ThemeMatch:
    """Themes a question names: where (``start``/``end``), which ids, and the words read as them."""

    start: int
    end: int
    ids: tuple[str, ...]
    words: str
    exact: bool


def _pick(names: list[ThemeName], scored: dict[str, int], side: str) -> tuple[str, ...]:
    best = max(scored.values(), default=0)
    if best <= 0:
        return ()
    ids = [n for n in names if scored.get(n.id, 0) == best]
    if side:
        sided = [n for n in ids if n.side == side]
        ids = sided or ids
    return tuple(n.id for n in ids)


def find_themes(
    text: str, names: list[ThemeName], taken: list[tuple[int, int]], stops: frozenset[str]
) -> list[ThemeMatch]:
    """Themes named in ``text`` (normalised) after a marker, outside the ``taken`` spans.

    ``stops`` are the vocabulary's other one-word names (measures, dimensions, values): a theme phrase
    ends before one, so "mention deliveries enterprise" keeps its segment.
    """
    if not names:
        return []
    found: list[ThemeMatch] = []

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in taken + [(m.start, m.end) for m in found])

    for marker in _EN_MARKER.finditer(text):
        side = next((s for pattern, s in _EN_SIDES if pattern.search(marker.group(0))), "")
        position = marker.end()
        words: list[tuple[str, int, int]] = []
        for word in re.finditer(r"\S+", text[position:]):
            token = word.group(0)
            start, end = position + word.start(), position + word.end()
            if token in _EN_STOP or not free(start, end) or not token.isascii():
                break
            if token in stops and not any(stem(token) in n.stems | n.word_stems for n in names):
                break  # another name of the data ("enterprise"), unless it names a theme too ("support")
            words.append((token, start, end))
        while words and words[0][0] in ("the", "a", "an", "our", "their", "its"):
            words = words[1:]
        if not words:
            continue
        stems_said = {stem(w) for w, _, _ in words if len(w) >= 3}
        # The theme's own name weighs most; the words its members use ("lead time", "help desk") find
        # it when no name says the phrase.
        scored = {n.id: 2 * len(stems_said & n.stems) + len(stems_said & (n.word_stems - n.stems)) for n in names}
        for w, _, _ in words:
            if w in SIDE_WORDS and not side:
                side = SIDE_WORDS[w]
        ids = _pick(names, scored, side)
        if ids and free(marker.start(), words[-1][2]):
            phrase = " ".join(w for w, _, _ in words)
            found.append(ThemeMatch(marker.start(), words[-1][2], ids, phrase, False))
    for marker in _JA_MARKER.finditer(text):
        before = _JA_CHUNK.search(text[: marker.start()])
        if before is None:
            continue
        chunk = before.group(1)
        side = next((s for key, s in _JA_SIDES.items() if key in marker.group(0)), "")
        chunk_stem = stem(chunk)

        scored = {
            n.id: 2 * _said_in(chunk, chunk_stem, n.pieces) or _said_in(chunk, chunk_stem, n.word_pieces) for n in names
        }
        ids = _pick(names, scored, side)
        tail = _JA_TAIL.match(text[marker.end() :])
        end = marker.end() + (tail.end() if tail else 0)
        if ids and free(before.start(1), end):
            found.append(ThemeMatch(before.start(1), end, ids, chunk, False))
    return found


def _said_in(chunk: str, chunk_stem: str, pieces: tuple[str, ...]) -> int:
    """The length of the longest Japanese piece the question's chunk says (0 when none)."""
    return max(
        (len(p) for p in pieces if not p.isascii() and (p in chunk or chunk_stem in p or chunk in p)),
        default=0,
    )


def may_name_theme(question: str) -> bool:
    """True when ``question`` has a marker a theme follows ("mention", 「について」...)."""
    from ._parse import normalise

    text = normalise(question)
    return _EN_MARKER.search(text) is not None or _JA_MARKER.search(text) is not None


def theme_words_of(result: ThemeResult) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per theme (id), the words its members use beyond its name: its key terms and its sub-themes'
    names ("lead time" in "納期 / deliveries", 「請求書」 in "費用 / invoices"). A question that names
    a theme by one of them still finds it, when no theme's own name says it better."""
    out = []
    for th in result.themes:
        words = [str(k) for k in (th.keywords or ())]
        words += [str(s.label) for s in (th.subthemes or ()) if s.label]
        out.append((str(th.key), tuple(dict.fromkeys(w for w in words if w.strip()))))
    return tuple(out)


def theme_ids_of(result: ThemeResult) -> tuple[tuple[str, str], ...]:
    """The names the vocabulary keeps of ``result``: (theme id, label), largest theme first."""
    return tuple((str(th.key), str(th.label)) for th in result.themes)


@dataclass(frozen=True)
class ThemeMembers:
    """Which responses belong to each theme (id -> response ids) and its name, for answering."""

    members: tuple[tuple[str, tuple[str, ...]], ...]
    labels: tuple[tuple[str, str], ...] = ()
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Per theme, what its members say beyond its name: key terms and sub-theme names."""

    @classmethod
    def of(cls, result: ThemeResult) -> ThemeMembers:
        """The membership of every theme of ``result`` (the themes a page shows)."""
        return cls(
            tuple((str(th.key), tuple(str(r) for r in th.response_ids)) for th in result.themes),
            theme_ids_of(result),
            theme_words_of(result),
        )

    @classmethod
    def from_mapping(cls, members: Mapping[str, Iterable[str]], labels: Mapping[str, str] | None = None):
        return cls(
            tuple((str(k), tuple(str(r) for r in v)) for k, v in members.items()),
            tuple((labels or {}).items()),
        )

    def responses(self, ids: Iterable[str]) -> tuple[str, ...]:
        """Every response that belongs to any of the themes ``ids`` (a theme unknown here adds none)."""
        table = dict(self.members)
        return tuple(sorted({r for theme_id in ids for r in table.get(theme_id, ())}))

    def label(self, theme_id: str) -> str:
        return dict(self.labels).get(theme_id, theme_id)


def workspace_themes(ws: Workspace, codebook: Codebook | None = None) -> ThemeResult:
    """The themes of every comment of ``ws``, as the Themes page shows them with no filter and every
    open question: the offline engine's, coded by ``codebook`` when one is given (its ids and names)."""
    comments = comments_from_workspace(ws, NO_FILTERS, None)
    engine = extract_themes(comments, ThemeEngine.OFFLINE)
    return themes_under_codebook(codebook, comments, engine)
