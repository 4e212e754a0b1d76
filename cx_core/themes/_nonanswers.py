"""Non-answers ("no comment", "N/A", "特になし", "RAS", "keine", "nada"...): reported, never a theme.

Hand-written lists of stock non-answers in English, Japanese, French, German, Spanish, Portuguese
and Italian; matching ignores case, accents' width forms, punctuation and spacing.
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
}

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
    return norm in _NON_ANSWERS or _key(norm) in _KEYS
