"""Split a comment into sentences and clauses, so a comment mixing two themes gets both.

Japanese is split at 。！？ and, when both sides are long enough to stand alone, at 、 after a
clause ending (e.g. "…が遅く、…"); English at . ! ? ; and at ", but" / " and " between two long
enough clauses. Abbreviations such as "Mr." and the dots inside e-mail addresses and numbers do
not end a sentence. A stock non-answer is cut off the rest however short either side ("Rien à
signaler, j'ai trouvé ce que je cherchais", "Alles gut, nichts zu meckern"), so the non-answers
step drops it and the rest is read alone. Words are counted in any Latin script ("à", "élevés").
"""

from __future__ import annotations

import re
import unicodedata

from ._nonanswers import AMBIGUOUS_INSIDE, is_non_answer

_SENTENCE_END = re.compile(
    r"(?<=[。！？!?；;])"  # Japanese and hard punctuation: always a boundary
    r"|(?<=\.)(?<!\b[MD]r\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bSt\.)(?<!\bNo\.)(?=\s)"  # full stop + space
    r"|\n+"
)
_JA_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# A comma ends a clause, except before a French, German or Spanish subordinate clause, which says
# what the main clause wishes or judges ("Es wäre schön, wenn Sie samstags öffnen", "Ce serait bien,
# si vous ouvriez", "parce que ..."): cut there, the wish and its object would sit on two sides.
_SUBORDINATE = (
    r"(?!(?:wenn|dass|weil|ob|damit|falls|obwohl|sodass|que|qui|quand|lorsque|parce|puisque|si|porque|cuando|"
    r"donde|para)\b|(?:qu|lorsqu|puisqu)')"
)
_EN_CLAUSE = re.compile(
    r",?\s+(?:and|but|while|although|however|mais|cependant|et|aber|jedoch|und|pero|aunque|y)\s+|,\s+(?=[a-z])"
    + _SUBORDINATE,
    re.IGNORECASE,
)
_JA_CLAUSE = re.compile(r"(?<=[くてでがしりど])、|(?<=けど)|(?<=ものの)、?|(?=しかし)")
_MIN_EN_WORDS = 3
_MIN_JA_CHARS = 6


def is_japanese(text: str) -> bool:
    """True when a text is mostly Japanese (kana/kanji) rather than Latin script."""
    ja = len(_JA_CHAR.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return ja > 0 and ja >= latin / 3


def _clean(part: str) -> str:
    return part.strip(" \t\r\n、,;；")


def _long_enough(part: str) -> bool:
    if is_japanese(part):
        return len(_JA_CHAR.findall(part)) >= _MIN_JA_CHARS
    return len(_WORD.findall(part)) >= _MIN_EN_WORDS


_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


# Where a non-answer is cut off: a comma or semicolon, never a conjunction ("Nothing but delays").
_LIST_CUT = re.compile(r"\s*[,;、，；]\s*")


def _says_nothing(segment: str, first: bool) -> bool:
    """True for a comma-separated segment that is a stock non-answer: at the start of a sentence
    any ("Rien à signaler, ...", "Nothing, it just works"), elsewhere only one of several words
    ("..., nichts zu meckern", "..., nothing else, ..."; "tap the X, nothing" says that nothing
    happened). A lone "no" / "non" is never cut."""
    words = segment.strip().lower()
    if not re.search(r"\w", words) or words in AMBIGUOUS_INSIDE or not is_non_answer(segment):
        return False
    return first or is_japanese(segment) or len(_WORD.findall(segment)) >= 2


def _cut_non_answers(piece: str) -> list[str]:
    """``piece`` with its stock non-answers cut off as pieces of their own; what lies between them
    stays one piece, as written."""
    spans, start = [], 0
    for cut in _LIST_CUT.finditer(piece):
        spans.append((start, cut.start()))
        start = cut.end()
    spans.append((start, len(piece)))
    if len(spans) < 2:
        return [piece]
    nothing = [_says_nothing(piece[a:b], i == 0) for i, (a, b) in enumerate(spans)]
    if not any(nothing) or all(nothing):
        return [piece]
    out: list[str] = []
    run: tuple[int, int] | None = None
    for (a, b), empty in zip(spans, nothing, strict=True):
        if empty:
            if run is not None:
                out.append(_clean(piece[run[0] : run[1]]))
                run = None
            out.append(_clean(piece[a:b]))
        else:
            run = (run[0] if run else a, b)
    if run is not None:
        out.append(_clean(piece[run[0] : run[1]]))
    return [p for p in out if p]


def _split_clauses(sentence: str) -> list[str]:
    pattern = _JA_CLAUSE if is_japanese(sentence) else _EN_CLAUSE
    pieces = [_clean(p) for p in pattern.split(sentence)]
    pieces = [p for p in pieces if p]
    # Only split when every piece can stand alone; otherwise keep the sentence whole.
    if not (len(pieces) > 1 and all(_long_enough(p) for p in pieces)):
        pieces = [_clean(sentence)]
    return [cut for p in pieces for cut in _cut_non_answers(p)]


def split_units(text: str) -> list[str]:
    """The sentences/clauses of a comment, in order, NFKC-normalised, without empty pieces."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip()
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = _clean(sentence or "")
        if not sentence or not re.search(r"\w", sentence):
            continue
        units.extend(_split_clauses(sentence))
    return units
