"""Non-answers ("no comment", "N/A", "特になし", "RAS", "keine", "nada"...): reported, never a theme.

Hand-written lists of stock non-answers in English, Japanese, French, German, Spanish, Portuguese
and Italian; matching ignores case, accents' width forms, punctuation and spacing, and the thanks
around a non-answer ("RAS merci", "Nothing, thanks", "Nein danke", "特になし、ありがとうございます").
Saying that nothing is wrong without naming anything ("rien à redire", "nichts zu meckern",
"no complaints", "特に不満はありません") is a non-answer too: it names no subject, and read word by
word it looks like a complaint ("不満", "meckern"). Thanks alone ("Merci !") is not a non-answer.
A comment that is only filler (:func:`is_filler`: a number alone, the score typed again "9", "9/10";
one letter or digit "x", "xx") answers nothing either; inside a comment the same bits are kept (a
flight number "4595." or a tweet counter "1/2" belongs to what surrounds it).
"""

from __future__ import annotations

import re
import unicodedata

_NON_ANSWERS = {
    # English
    "no comment",
    "no comments",
    "n/a",
    "na",
    "none",
    "nothing",
    "nothing to add",
    "nothing else",
    "no",
    "nope",
    "nil",
    "null",
    "-",
    "--",
    "...",
    "no issues",
    "not applicable",
    "no feedback",
    "nothing to say",
    "none at this time",
    "not really",
    # Japanese
    "特になし",
    "特に無し",
    "とくになし",
    "なし",
    "無し",
    "ない",
    "特にない",
    "特にありません",
    "ありません",
    "特にございません",
    "ございません",
    "特に無いです",
    "特にないです",
    "特になしです",
    "なしです",
    "とくにありません",
    "コメントなし",
    "該当なし",
    "以上",
    "特になし。",
    "とくにない",
    "特になし です",
    "ないです",
    "なしです。",
    "特にございません。",
    "特に意見はありません",
    "特にコメントはありません",
    "n.a.",
    "none.",
    "no comment at this time",
    "nothing to report",
    "nothing in particular",
    "nothing really",
    "nothing at all",
    "not at this time",
    "no opinion",
    "no suggestions",
    "no idea",
    "idk",
    "nothing comes to mind",
    "can't think of anything",
    "cannot think of anything",
    "nothing more",
    # French
    "ras",
    "r.a.s",
    "r.a.s.",
    "rien",
    "rien à dire",
    "rien a dire",
    "rien à signaler",
    "rien a signaler",
    "rien de plus",
    "rien à ajouter",
    "rien a ajouter",
    "aucun",
    "aucune",
    "aucune remarque",
    "aucun commentaire",
    "aucune idée",
    "sans commentaire",
    "pas de commentaire",
    "pas de remarque",
    "néant",
    "non",
    # German
    "keine",
    "kein",
    "keine angabe",
    "keine angaben",
    "keine anmerkungen",
    "keine anmerkung",
    "keine kommentare",
    "kein kommentar",
    "nichts",
    "nichts zu sagen",
    "nichts hinzuzufügen",
    "nein",
    "entfällt",
    # Spanish / Portuguese / Italian
    "nada",
    "nada que decir",
    "nada que agregar",
    "nada que añadir",
    "ninguno",
    "ninguna",
    "sin comentarios",
    "sin comentario",
    "no aplica",
    "nenhum",
    "nenhuma",
    "nessuno",
    "niente",
    # More stock answers of small surveys (issue 26): nothing specific, no opinion, don't know, and
    # "nothing wrong" that names nothing.
    "nothing specific",
    "nothing special",
    "nothing much",
    "nothing for now",
    "nothing at the moment",
    "none at the moment",
    "none for now",
    "nothing further",
    "nothing else to add",
    "no further comments",
    "no additional comments",
    "no comments at this time",
    "no suggestion",
    "no complaints",
    "no complaint",
    "no issue",
    "no problems",
    "not sure",
    "dunno",
    "don't know",
    "i don't know",
    "nah",
    "rien de spécial",
    "rien de special",
    "rien de particulier",
    "rien pour l'instant",
    "rien pour le moment",
    "rien de plus à dire",
    "rien d'autre",
    "rien à redire",
    "rien a redire",
    "pas d'avis",
    "sans avis",
    "aucun avis",
    "pas de commentaires",
    "pas de remarques",
    "pas de suggestion",
    "aucune suggestion",
    "je ne sais pas",
    "nsp",
    "nichts weiter",
    "nichts besonderes",
    "nichts zu meckern",
    "nichts auszusetzen",
    "keine weiteren anmerkungen",
    "keine weiteren kommentare",
    "keine vorschläge",
    "keine ahnung",
    "weiß nicht",
    "k.a.",
    "nada más",
    "nada en particular",
    "nada por ahora",
    "ninguna sugerencia",
    "ningún comentario",
    "no tengo comentarios",
    "nada que objetar",
    "no sé",
    "特に不満はありません",
    "特に不満はない",
    "特に不満なし",
    "不満はありません",
    "不満はない",
    "特に要望はありません",
    "特に要望なし",
    "特に意見なし",
    "特に思いつきません",
    "思いつきません",
    "わからない",
    "分からない",
    "わかりません",
    "分かりません",
    "とくにないです",
    "nothing to say really",
    "nothing really to say",
    "n/a n/a",
    # a test entry or a keyboard run
    "test",
    "testing",
    "asdf",
    "qwerty",
}
# A number alone (the score typed again), or one Latin letter or digit, or one repeated ("x", "xxx"):
# filler as a whole comment (see is_filler).
_FILLER = re.compile(r"[\d\s.,/+-]+|([a-z0-9])\1{0,3}")

# Thanks and sign-offs said around a non-answer ("RAS merci", "Nothing, thanks"): said alone they
# thank (praise), around a non-answer they add nothing.
_COURTESY = re.compile(
    r"^(?:(?:merci|merci beaucoup|thanks?|thank you|thx|cheers|danke|danke schön|vielen dank|gracias|"
    r"muchas gracias|ありがとう(?:ございます|ございました)?|以上です|以上)(?:[\s,.!、。！]+|$))+"
    r"|(?:[\s,.!、。！]*(?:merci|merci beaucoup|thanks?|thank you|thx|cheers|danke|danke schön|vielen dank|"
    r"gracias|muchas gracias|ありがとう(?:ございます|ございました)?|以上です|以上)[\s.!。！]*)+$",
    re.IGNORECASE,
)
# One-word answers too common inside a sentence to end a clause there ("Fine, no", "Precio alto y no").
AMBIGUOUS_INSIDE = frozenset({"no", "non", "na", "nein", "ない", "nope", "nah", "nil", "null"})

_STRIP = re.compile(r"[\s\.\,\!\?。、！？・…\-ー―~〜「」『』()（）\[\]]+")


def _key(text: str) -> str:
    norm = unicodedata.normalize("NFKC", text).strip().lower()
    return _STRIP.sub("", norm) if norm not in {"-", "--", "...", "n/a"} else norm


_KEYS = {_key(x) for x in _NON_ANSWERS}


def is_non_answer(text: str | None) -> bool:
    """True when a comment says nothing: empty, punctuation only, or a stock non-answer."""
    if text is None:
        return True
    norm = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not norm or not re.search(r"\w", norm):
        return True
    if norm in _NON_ANSWERS or _key(norm) in _KEYS:
        return True
    bare = _COURTESY.sub("", norm).strip()
    said = bare != norm and re.search(r"\w", bare) is not None  # "- thanks" is thanks, not "-"
    return said and (bare in _NON_ANSWERS or _key(bare) in _KEYS)


def is_filler(text: str | None) -> bool:
    """True for a whole comment that is only a number, one letter or digit, or one repeated: the
    score typed again ("9", "9/10") or a key pressed to get past a required box ("x", "xx").

    >>> [is_filler(t) for t in ("9", "9/10", "x", "A+", "5 stars")]
    [True, True, True, False, False]
    """
    norm = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return bool(norm) and _FILLER.fullmatch(norm) is not None
