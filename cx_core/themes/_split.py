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
_EN_CLAUSE = re.compile(
    r",?\s+(?:and|but|while|although|however|mais|cependant|et|aber|jedoch|und|pero|aunque|y)\s+|,\s+(?=[a-z])",
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


def _says_nothing(piece: str) -> bool:
    return piece.strip().lower() not in AMBIGUOUS_INSIDE and is_non_answer(piece)


def _split_clauses(sentence: str) -> list[str]:
    pattern = _JA_CLAUSE if is_japanese(sentence) else _EN_CLAUSE
    spans, start = [], 0
    for cut in pattern.finditer(sentence):
        spans.append((start, cut.start()))
        start = cut.end()
    spans.append((start, len(sentence)))
    spans = [(a, b) for a, b in spans if _clean(sentence[a:b])]
    pieces = [_clean(sentence[a:b]) for a, b in spans]
    # Only split when every piece can stand alone; otherwise keep the sentence whole.
    if len(pieces) > 1 and all(_long_enough(p) for p in pieces):
        return pieces
    nothing = [_says_nothing(p) for p in pieces]
    if len(pieces) > 1 and any(nothing) and not all(nothing):
        # Cut the non-answers off; what lies between them stays one piece, as written.
        out: list[str] = []
        run: tuple[int, int] | None = None
        for (a, b), piece, empty in zip(spans, pieces, nothing, strict=True):
            if empty:
                if run is not None:
                    out.append(_clean(sentence[run[0] : run[1]]))
                    run = None
                out.append(piece)
            else:
                run = (run[0] if run else a, b)
        if run is not None:
            out.append(_clean(sentence[run[0] : run[1]]))
        return out
    return [_clean(sentence)]


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
