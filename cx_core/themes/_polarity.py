"""Polarity of one clause (positive / negative / neutral) from its own words, offline.

Sources, all general-purpose (none is fitted to a labelled review or complaint benchmark; those
are what ``bench/bench_theme_quality.py`` checks us against):

- English: the VADER sentiment lexicon (Hutto & Gilbert 2014, MIT licence, copied unchanged apart
  from dropping its per-rater columns into ``lexicons/vader_lexicon.tsv``; licence text in
  ``lexicons/VADER_LICENSE.txt``), plus a short hand-written list of ours for what customer
  feedback says about service without sentiment words ("late", "slow", "never arrived").
- Japanese, French, German and Spanish: hand-written seed lists of ours (below), general words of
  praise and complaint, with each language's negation.

Rules (after VADER): a negator shortly before a word flips it; after a contrast word ("but",
"しかし", "mais", "aber", "pero") the later part counts more; an excess ("too slow", "trop d'attente",
"zu teuer", "高すぎ") or a wait that goes on ("still waiting") is a complaint; thanks next to a
complaint are not praise ("thanks for the 3 hour delay"). A request ("please add", "してほしい",
"il faudrait", see :mod:`._requests`) is its own side, never praise or complaint. The respondent's
score is a secondary signal: it only decides when the words carry no polarity at all, and only
ever towards a complaint (a promoter's silent remark stays a mention).
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ._requests import is_request

Polarity = Literal["positive", "negative", "neutral", "request"]
POLARITIES: tuple[Polarity, ...] = ("positive", "negative", "neutral", "request")

_LEXICON_DIR = Path(__file__).with_name("lexicons")
_THRESHOLD = 0.05  # VADER's own cut-off on its normalised compound score

# --- hand-written seed lists (ours) ----------------------------------------------------------------
# English words that carry a complaint or praise in feedback but are neutral or absent in VADER.
_EN_SEED = {
    # Words VADER scores that customer messages use for a topic or a wish, not a feeling: "customer
    # support", "which cards do you support?", "I want a refund". 0 = no polarity.
    "support": 0.0,
    "supports": 0.0,
    "supported": 0.0,
    "want": 0.0,
    "help": 0.0,
    "wants": 0.0,
    "wanted": 0.0,
    "late": -1.5,
    "later": 0.0,
    "slow": -1.5,
    "slower": -1.5,
    "slowly": -1.2,
    "delayed": -1.5,
    "delays": -1.3,
    "expensive": -1.5,
    "overpriced": -2.0,
    "pricey": -1.2,
    "costly": -1.2,
    "crash": -1.8,
    "crashes": -1.8,
    "crashed": -1.8,
    "crashing": -1.8,
    "bug": -1.5,
    "bugs": -1.5,
    "buggy": -2.0,
    "glitch": -1.5,
    "glitches": -1.5,
    "freezes": -1.5,
    "freeze": -1.3,
    "lag": -1.3,
    "laggy": -1.8,
    "unstable": -1.8,
    "unreliable": -1.8,
    "error": -1.3,
    "errors": -1.3,
    "fail": -2.0,
    "fails": -2.0,
    "failed": -2.0,
    "missing": -1.3,
    "wrong": -1.8,
    "incorrect": -1.5,
    "confusing": -1.5,
    "complicated": -1.3,
    "cumbersome": -1.5,
    "clunky": -1.5,
    "outdated": -1.3,
    "noisy": -1.3,
    "dirty": -1.8,
    "cold": -0.5,
    "bland": -1.3,
    "tasteless": -1.8,
    "overcooked": -1.5,
    "undercooked": -1.5,
    "soggy": -1.5,
    "stale": -1.5,
    "greasy": -1.2,
    "small": -0.3,
    "tiny": -0.8,
    "cramped": -1.3,
    "crowded": -1.0,
    "wait": -0.6,
    "waited": -1.2,
    "waiting": -1.0,
    "rushed": -1.2,
    "unresponsive": -1.8,
    "unprofessional": -2.0,
    "inattentive": -1.5,
    "ignored": -1.8,
    "cancelled": -1.2,
    "canceled": -1.2,
    "refund": -0.8,
    "overcharged": -2.0,
    "hidden": -0.8,
    "fees": -0.5,
    "downtime": -1.5,
    "outage": -1.8,
    "hard": -0.6,
    "difficult": -1.3,
    "unusable": -2.2,
    "useless": -2.0,
    "poor": -2.0,
    "mediocre": -1.5,
    "average": -0.3,
    "meh": -1.0,
    "fast": 1.2,
    "quick": 1.2,
    "quickly": 1.0,
    "prompt": 1.2,
    "promptly": 1.2,
    "responsive": 1.3,
    "reliable": 1.5,
    "stable": 1.0,
    "intuitive": 1.5,
    "easy": 1.9,
    "affordable": 1.3,
    "reasonable": 1.2,
    "cheap": 0.5,
    "fresh": 1.3,
    "tasty": 1.8,
    "delicious": 2.7,
    "attentive": 1.5,
    "knowledgeable": 1.5,
    "professional": 1.3,
    "courteous": 1.8,
    "polite": 1.5,
    "clean": 1.5,
    "spacious": 1.3,
    "cozy": 1.5,
    "recommend": 1.5,
    "recommended": 1.5,
    "must": 0.0,
    "worth": 1.0,
    "seamless": 1.5,
    "smooth": 1.2,
    "please": 0.0,
    "promise": 0.0,
    "promised": 0.0,
    "dropped": -1.0,
    "understands": 1.2,
    "understood": 0.8,
    "solved": 1.5,
    "resolved": 1.3,
    "fixed": 1.0,
    "old": -0.3,
    "unexpected": -0.8,
    "cheaper": 0.0,
    "delay": -1.5,
    # In feedback a joke is what the service is ("your airline is a joke", "the app is a joke"), and
    # a nightmare what it was; VADER scores "joke" as praise and has no "nightmare".
    "joke": -1.5,
    "nightmare": -2.5,
    "nightmares": -2.0,
    "nightmarish": -2.5,
    "shambles": -2.0,
}
# Phrases whose words mislead one by one ("hard to understand", "without notice").
_EN_PHRASES = (
    (re.compile(r"\b(?:hard|difficult|impossible|tough|confusing|not easy) to \w+"), " difficult "),
    (re.compile(r"\beasy to \w+"), " easy "),
    (re.compile(r"\bwithout (?:any )?(?:explanation|notice|warning|reason|response|reply)\b"), " bad "),
    # topics VADER would score: "top up" (a payment), "credit card"
    (re.compile(r"\btop(?:ped|ping|s)?[ -]?ups?\b"), " topup "),
    (re.compile(r"\bcredit (?=cards?\b)"), " "),
    # "high" is a complaint about what costs money, praise of what is good ("high quality")
    (
        re.compile(
            r"\b(?:prices?|costs?|fees?|rates?|pricing|charges?|fares?|bills?) (?:are |is |were |was )?(?:too |very |so |quite |a bit )?high\b"
        ),
        " expensive ",
    ),
    (re.compile(r"\bhigh (?:prices?|costs?|fees?|rates?|pricing|charges?|fares?)\b"), " expensive "),
    (re.compile(r"\bhigh (?:quality|standards?)\b"), " excellent "),
    (re.compile(r"\bfor nothing\b"), " useless "),
    (
        re.compile(
            r"\bstill (?:waiting|no|not|nothing|haven'?t|hasn'?t|havent|hasnt|didn'?t|can'?t|unable|stuck|on hold)\b"
        ),
        " still bad ",
    ),
    # FR / DE / ES: dear things are complaints ("prix élevés", "Preise zu hoch", "precios altos")
    (re.compile(r"\b(?:prix|tarifs?|coûts?) (?:un peu |très |trop |assez )?(?:élevés?|hauts?)\b"), " cher "),
    (
        re.compile(
            r"\b(?:preise?|kosten|gebühren) (?:sind |ist )?(?:etwas |sehr |zu )?(?:hoch|hohe)\b|\bhohe (?:preise|kosten|gebühren)\b"
        ),
        " teuer ",
    ),
    (
        re.compile(r"\b(?:precios?|costos?|tarifas?) (?:son |es |muy |demasiado )*(?:altos?|altas?|elevados?)\b"),
        " caro ",
    ),
)
# Thanks, read as praise only when nothing in the clause complains ("thanks for the 3 hour delay").
_GRATITUDE = frozenset("thanks thank thx ty appreciate appreciated merci danke gracias".split())
_EN_NEGATORS = {
    "not",
    "no",
    "never",
    "nothing",
    "none",
    "nobody",
    "nowhere",
    "neither",
    "nor",
    "without",
    "hardly",
    "barely",
    "scarcely",
    "cannot",
    "cant",
    "dont",
    "doesnt",
    "didnt",
    "isnt",
    "wasnt",
    "arent",
    "werent",
    "wont",
    "wouldnt",
    "couldnt",
    "shouldnt",
    "havent",
    "hasnt",
    "hadnt",
    "aint",
    "lack",
    "lacks",
    "lacking",
}
# Too much of something is a complaint ("too slow", "way too expensive"); a wish is a request (._requests).
_EN_EXCESS = re.compile(
    r"\b(?:too (?:much|many|long|slow|expensive|high|few|little|late|hard|complicated|small|noisy|busy|crowded)|"
    r"could (?:be|use) (?:better|faster|more)|not enough)\b"
)
_FR_SEED = {
    "bien": 1.5,
    "bon": 1.5,
    "bonne": 1.5,
    "bons": 1.5,
    "excellent": 2.5,
    "excellente": 2.5,
    "super": 2.0,
    "parfait": 2.5,
    "parfaite": 2.5,
    "génial": 2.5,
    "top": 1.8,
    "merci": 1.2,
    "rapide": 1.3,
    "rapides": 1.3,
    "efficace": 1.5,
    "agréable": 1.8,
    "sympa": 1.5,
    "aimable": 1.8,
    "compétent": 1.5,
    "satisfait": 1.8,
    "satisfaite": 1.8,
    "facile": 1.5,
    "pratique": 1.3,
    "recommande": 1.5,
    "ravi": 2.0,
    "ravie": 2.0,
    "professionnel": 1.3,
    "délicieux": 2.5,
    "propre": 1.3,
    "mauvais": -2.0,
    "mauvaise": -2.0,
    "nul": -2.2,
    "nulle": -2.2,
    "lent": -1.5,
    "lente": -1.5,
    "lenteur": -1.5,
    "retard": -1.5,
    "retards": -1.5,
    "cher": -1.3,
    "chère": -1.3,
    "chers": -1.3,
    "problème": -1.5,
    "problèmes": -1.5,
    "difficile": -1.3,
    "déçu": -2.0,
    "déçue": -2.0,
    "décevant": -2.0,
    "déception": -2.0,
    "erreur": -1.3,
    "erreurs": -1.3,
    "bug": -1.5,
    "bugs": -1.5,
    "panne": -1.8,
    "impossible": -1.5,
    "compliqué": -1.3,
    "incompétent": -2.0,
    "sale": -1.5,
    "bruyant": -1.3,
    "attente": -1.0,
    "manque": -1.2,
    "dommage": -1.2,
    "horrible": -2.5,
    "catastrophique": -2.8,
    "inadmissible": -2.5,
    "insatisfait": -2.0,
    "froid": -0.6,
    "élevé": -1.2,
    "élevés": -1.2,
    "élevée": -1.2,
    "élevées": -1.2,
    "attendre": -0.8,
    "perdu": -1.5,
    "perdue": -1.5,
    "perdus": -1.5,
}
_FR_NEGATORS = {"pas", "jamais", "rien", "sans", "aucun", "aucune", "ni", "guère", "plus"}
_DE_SEED = {
    "gut": 1.5,
    "gute": 1.5,
    "guter": 1.5,
    "gutes": 1.5,
    "sehr gut": 2.0,
    "super": 2.0,
    "toll": 2.0,
    "prima": 1.8,
    "perfekt": 2.5,
    "ausgezeichnet": 2.5,
    "hervorragend": 2.5,
    "schnell": 1.3,
    "freundlich": 1.8,
    "hilfsbereit": 1.8,
    "zufrieden": 1.8,
    "einfach": 1.0,
    "empfehlen": 1.5,
    "danke": 1.2,
    "lecker": 2.0,
    "sauber": 1.3,
    "kompetent": 1.5,
    "zuverlässig": 1.5,
    "schlecht": -2.0,
    "schlechte": -2.0,
    "langsam": -1.5,
    "teuer": -1.3,
    "spät": -1.5,
    "verspätet": -1.5,
    "verspätung": -1.5,
    "problem": -1.5,
    "probleme": -1.5,
    "fehler": -1.3,
    "enttäuscht": -2.0,
    "enttäuschend": -2.0,
    "schwierig": -1.3,
    "kompliziert": -1.3,
    "unfreundlich": -2.0,
    "schmutzig": -1.8,
    "laut": -1.0,
    "katastrophe": -2.8,
    "mangelhaft": -2.0,
    "unzufrieden": -2.0,
    "leider": -1.0,
    "ärgerlich": -1.8,
    "abgestürzt": -1.8,
    "absturz": -1.8,
    "kalt": -0.6,
    "verloren": -1.5,
    "warte": -0.8,
    "warten": -0.8,
    "wartezeit": -1.0,  # the French "attente" (-1.0): a wait named in feedback is one too long
    "wartezeiten": -1.0,
    "schlange": -0.8,  # a queue
}
_DE_NEGATORS = {"nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals", "ohne", "nichts", "kaum"}
_ES_SEED = {
    "bien": 1.5,
    "bueno": 1.5,
    "buena": 1.5,
    "buenos": 1.5,
    "excelente": 2.5,
    "genial": 2.3,
    "perfecto": 2.5,
    "rápido": 1.3,
    "rápida": 1.3,
    "amable": 1.8,
    "amables": 1.8,
    "gracias": 1.2,
    "fácil": 1.5,
    "recomiendo": 1.5,
    "encanta": 2.0,
    "contento": 1.8,
    "satisfecho": 1.8,
    "delicioso": 2.5,
    "limpio": 1.3,
    "eficiente": 1.5,
    "malo": -2.0,
    "mala": -2.0,
    "pésimo": -2.8,
    "pésima": -2.8,
    "lento": -1.5,
    "lenta": -1.5,
    "tarde": -1.2,
    "retraso": -1.5,
    "caro": -1.3,
    "cara": -0.3,
    "problema": -1.5,
    "problemas": -1.5,
    "error": -1.3,
    "difícil": -1.3,
    "decepcionado": -2.0,
    "decepción": -2.0,
    "horrible": -2.5,
    "sucio": -1.8,
    "complicado": -1.3,
    "falla": -1.5,
    "fallos": -1.5,
    "espera": -0.8,
    "insatisfecho": -2.0,
    "frío": -0.6,
    "perder": -1.5,
    "perdido": -1.5,
    "perdida": -1.5,
    "perdieron": -1.5,
    "perdió": -1.5,
    "esperando": -0.8,
    "cola": -0.8,  # a queue ("mucha cola en caja"), as "attente" / "Wartezeit"
    "colas": -0.8,
}
_ES_NEGATORS = {"no", "nunca", "jamás", "sin", "nada", "ningún", "ninguna", "ni", "tampoco"}
# Japanese: stems matched inside the text (no tokenizer needed); "ない"-style endings right after a stem
# flip it ("良くない", "分かりやすくない"); longest stem wins.
_JA_SEED = {
    "良い": 1.8,
    "良か": 1.8,
    "良く": 1.5,
    "よい": 1.8,
    "よか": 1.8,
    "いい": 1.5,
    "素晴らし": 2.5,
    "すばらし": 2.5,
    "最高": 2.5,
    "満足": 1.8,
    "丁寧": 1.8,
    "親切": 1.8,
    "迅速": 1.5,
    "速い": 1.3,
    "早い": 1.0,
    "便利": 1.5,
    "快適": 1.8,
    "使いやす": 1.8,
    "分かりやす": 1.5,
    "わかりやす": 1.5,
    "見やす": 1.3,
    "安心": 1.5,
    "助か": 1.8,
    "感謝": 1.8,
    "ありがと": 1.5,
    "嬉し": 1.8,
    "うれし": 1.8,
    "美味し": 2.0,
    "おいし": 2.0,
    "楽し": 1.8,
    "綺麗": 1.5,
    "きれい": 1.5,
    "清潔": 1.5,
    "好き": 1.8,
    "気に入": 1.8,
    "おすすめ": 1.5,
    "お勧め": 1.5,
    "信頼": 1.3,
    "充実": 1.3,
    "好調": 1.5,
    "増加": 0.8,
    "増収": 1.3,
    "増益": 1.5,
    "改善し": 1.0,
    "向上": 1.0,
    "安定": 1.0,
    "スムーズ": 1.3,
    "優し": 1.5,
    "頼も": 1.3,
    "素早": 1.5,
    "的確": 1.5,
    "悪い": -2.0,
    "悪か": -2.0,
    "悪く": -1.8,
    "遅い": -1.5,
    "遅く": -1.5,
    "遅れ": -1.5,
    "遅延": -1.5,
    "遅か": -1.5,
    "高い": -0.8,
    "高す": -1.5,
    "不満": -2.0,
    "不便": -1.8,
    "煩雑": -1.5,
    "複雑すぎ": -1.5,
    "高すぎ": -1.5,
    "不安": -1.5,
    "不親切": -2.0,
    "不明": -1.0,
    "不具合": -1.8,
    "不良": -1.8,
    "分かりにく": -1.5,
    "わかりにく": -1.5,
    "使いにく": -1.8,
    "見にく": -1.3,
    "難し": -1.3,
    "面倒": -1.5,
    "残念": -1.8,
    "最悪": -2.8,
    "ひど": -2.3,
    "酷い": -2.3,
    "困": -1.5,
    "問題": -1.3,
    "エラー": -1.3,
    "落ち": -1.0,
    "重い": -1.2,
    "汚": -1.8,
    "うるさ": -1.5,
    "狭": -1.0,
    "待た": -1.0,
    "待ち": -0.8,
    "混雑": -1.3,
    "苦情": -1.8,
    "がっかり": -2.0,
    "失望": -2.0,
    "減少": -0.8,
    "減収": -1.3,
    "減益": -1.5,
    "低下": -1.0,
    "悪化": -1.8,
    "損失": -1.5,
    "低迷": -1.5,
    "厳し": -1.3,
    "不透明": -1.0,
    "伸び悩": -1.3,
    "落ち込": -1.5,
    "下回": -1.0,
    "上回": 1.0,
    "不足": -1.3,
    "欠け": -1.2,
    "ミス": -1.5,
    "間違": -1.5,
    "返事がない": -1.8,
    "連絡がない": -1.8,
    "高額": -1.0,
    "安い": 1.0,
    "守": 1.0,
    "予期しない": -1.5,
    "予期せぬ": -1.5,
    "想定外": -1.3,
    "古い": -1.0,
    "古く": -1.0,
    "理解して": 1.2,
    "理解し": 1.0,
    "解決": 1.3,
    "やすい": 1.2,
    "やすか": 1.2,
    "にくい": -1.2,
    "にくか": -1.2,
    "づらい": -1.3,
    "づらか": -1.3,
}
_JA_NEG_AFTER = re.compile(r"^[\u3040-\u309f]{0,3}?(?:ない|なく|なかっ|ません|ず|ぬ)")
# Too much of something ("高すぎ", "待ち時間が長すぎる"): a complaint. Wishes are requests (._requests).
_JA_EXCESS = re.compile(
    r"(?:すぎ|過ぎ|足りな|足りません|まだ[^。!?！？]{0,12}(?:待っ|待ち|届いてい|届きませ|来てい|来ませ|返事|連絡|返金され))"
)
# "高い" praises what should be high (quality, ratings, skill) and complains about what costs.
_JA_HIGH_PRAISE = re.compile(
    r"(?:品質|質|性能|評価|満足度|精度|レベル|技術力?|意識|専門性|完成度|信頼性|満足)(?:が|も|は)?(?:とても|非常に|大変)?高"
)
_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|yet|mais|cependant|pourtant|aber|jedoch|doch|pero|sin embargo|aunque)\b|"
    r"しかし|しかしながら|けれど|けど|ものの|だが|ですが|が、"
)
_FR_EXCESS = re.compile(r"\b(?:trop|pas assez|manque|toujours pas|jamais)\b")
_DE_EXCESS = re.compile(
    r"\b(?:zu (?:teuer|langsam|lange|viel|hoch|wenig|spät|kompliziert|laut)|immer noch (?:nicht|kein\w*|nichts)|"
    r"(?:warte|warten|wartet) (?:\w+ )?immer noch|nicht genug)\b"
)
_ES_EXCESS = re.compile(
    r"\b(?:demasiado|demasiados|demasiadas|todavía no|aún no|no hay suficiente|"
    r"(?:sigo|seguimos|sigue|siguen|todavía estoy|aún estoy|todavía estamos) esperando)\b"
)
_LATIN_WORD = re.compile(r"[a-zà-öø-ÿ']+")
_SCOPE_END = re.compile(r"[,;:.!?()\n]")
_JA_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_LANG_HINTS = {
    "fr": {
        "le",
        "la",
        "les",
        "est",
        "et",
        "très",
        "pas",
        "une",
        "des",
        "du",
        "je",
        "il",
        "ce",
        "sont",
        "avec",
        "trouver",
    },
    "de": {"der", "die", "das", "und", "ist", "nicht", "sehr", "ein", "eine", "ich", "zu", "mit", "war", "auch"},
    "es": {"el", "los", "las", "es", "y", "muy", "que", "una", "del", "por", "con", "fue", "pero", "está"},
    "en": {"the", "and", "is", "was", "are", "it", "very", "to", "of", "with", "for", "this", "not", "but", "my"},
}
_SEEDS = {"fr": (_FR_SEED, _FR_NEGATORS, _FR_EXCESS), "de": (_DE_SEED, _DE_NEGATORS, _DE_EXCESS)}
_SEEDS["es"] = (_ES_SEED, _ES_NEGATORS, _ES_EXCESS)
_ANY_EXCESS = re.compile("|".join(p.pattern for p in (_EN_EXCESS, _FR_EXCESS, _DE_EXCESS, _ES_EXCESS)))
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu)'(?=\w)")  # French "d'attente" -> "attente", "j'ai" -> "ai"


@lru_cache(maxsize=1)
def _english() -> dict[str, float]:
    """VADER's lexicon (single words only) overlaid with our feedback seed list."""
    lexicon: dict[str, float] = {}
    with open(_LEXICON_DIR / "vader_lexicon.tsv", encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.rstrip("\n").partition("\t")
            if word and value:
                lexicon[word] = float(value)
    lexicon.update(_EN_SEED)
    return lexicon


@lru_cache(maxsize=1)
def _japanese_pattern() -> re.Pattern:
    stems = sorted(_JA_SEED, key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in stems))


def _normalise(valence: float) -> float:
    return valence / math.sqrt(valence * valence + 15.0)  # VADER's compound normalisation


def _guess_latin_language(words: list[str]) -> str | None:
    """ "en", "fr", "de" or "es" by stop words; None when no stop word says (short texts)."""
    counts = {lang: sum(w in hints for w in words) for lang, hints in _LANG_HINTS.items()}
    best = max(counts, key=lambda lang: (counts[lang], lang == "en"))
    return best if counts[best] > 0 else None


# Praise said of something bad is sarcasm, a complaint: "great, another delay", "love waiting on hold",
# "thanks for losing my bag" (thanks are handled with _GRATITUDE). Grammar of irony, hand-written.
_SARCASM = re.compile(
    r"\b(?:great|nice|awesome|wonderful|fantastic|perfect|brilliant|lovely|amazing|super|excellent|génial|"
    r"parfait|toll|super|genial|perfecto)\b[\s,!.]*(?:another|yet another|again|encore (?:un|une)|"
    r"schon wieder|noch eine?|otra vez|otro|otra)\b|"
    r"\b(?:love|loving|enjoy|enjoying|nothing like|j'adore|adore|liebe|me encanta)\b "
    r"(?:waiting|being (?:on hold|stuck|ignored|delayed|charged)|sitting|spending \w+ (?:on hold|waiting)|"
    r"attendre|warten|esperar)\b"
)


def _latin_valence(text: str) -> tuple[float, bool]:
    for pattern, replacement in _EN_PHRASES:
        text = pattern.sub(replacement, text)
    matches = list(_LATIN_WORD.finditer(text))
    words = [_ELISION.sub("", m.group(0)).replace("'", "") for m in matches]
    # A negation reaches no further than its clause ("Keine Probleme, super" praises): each word's clause
    # is the number of punctuation marks before it.
    stops = [m.start() for m in _SCOPE_END.finditer(text)]
    clause = [bisect.bisect(stops, m.start()) for m in matches]
    language = _guess_latin_language(words)
    english = _english()
    if language is None:  # no stop word to go by: every language's words and negators count
        seed = {k: v for lang in ("es", "de", "fr") for k, v in _SEEDS[lang][0].items()}
        negators = _EN_NEGATORS | _FR_NEGATORS | _DE_NEGATORS | _ES_NEGATORS
        excess = _ANY_EXCESS
    else:
        seed, negators, excess = _SEEDS.get(language, ({}, _EN_NEGATORS, _EN_EXCESS))
    # The language's own little words are never English words of feeling ("die Parkplätze" is not "die").
    own_words = _LANG_HINTS[language] if language in ("fr", "de", "es") else frozenset()
    praise, complaint, found, weight, thanks = 0.0, 0.0, False, 1.0, 0.0
    for i, word in enumerate(words):
        if word in {"but", "however", "mais", "aber", "pero", "cependant", "jedoch"}:
            praise, complaint = 0.5 * praise, 0.5 * complaint  # after a contrast, the later part carries it
            weight = 1.5
            continue
        if word in negators and word not in _EN_NEGATORS:
            continue  # another language's negator turns what follows; it is no English word ("sin", "ni")
        value = seed.get(word)
        if value is None and word not in own_words:
            value = english.get(word)
        if not value:
            continue
        found = True
        window = [words[j] for j in range(max(0, i - 3), i) if clause[j] == clause[i]]
        if any(w in negators for w in window):
            value *= -0.74
        if word in _GRATITUDE and value > 0:
            thanks += weight * value
        elif value > 0:
            praise += weight * value
        else:
            complaint += weight * value
    if excess.search(text):
        found = True
        complaint -= 2.0
    if _SARCASM.search(text):
        found = True
        complaint -= 1.0
        praise = 0.0
    if complaint < 0 and thanks:
        praise = 0.0  # thanks for something bad, and the praise around them, are sarcasm
    elif not complaint:
        praise += thanks
    return praise + complaint, found


def _japanese_valence(text: str) -> tuple[float, bool]:
    total, found, weight, thanks, complains = 0.0, False, 1.0, 0.0, False
    praised_high = [m.span() for m in _JA_HIGH_PRAISE.finditer(text)]
    contrast = _CONTRAST.search(text)
    cut = contrast.end() if contrast else -1
    for match in _japanese_pattern().finditer(text):
        value = _JA_SEED[match.group(0)]
        found = True
        if match.group(0).startswith("高") and any(a <= match.start() < b + 1 for a, b in praised_high):
            value = 1.5  # "品質が高い": what should be high is
        if _JA_NEG_AFTER.match(text[match.end() : match.end() + 5]):
            value *= -0.74 if value > 0 else -0.6  # "良くない" flips; "問題ない" turns mildly positive
        weight = 1.5 if 0 <= cut <= match.start() else (0.5 if cut > match.start() else 1.0)
        if match.group(0).startswith(("ありがと", "感謝")) and value > 0:
            thanks += weight * value
            continue
        complains = complains or value < 0
        total += weight * value
    if _JA_EXCESS.search(text):
        found, complains = True, True
        total -= 1.2
    if not complains:
        total += thanks
    return total, found


def polarity_score(text: str) -> float | None:
    """The clause's polarity from its words in [-1, 1], or None when no word carries polarity."""
    norm = unicodedata.normalize("NFKC", str(text or "")).lower()
    if _JA_CHAR.search(norm):
        valence, found = _japanese_valence(norm)
        latin, latin_found = _latin_valence(norm)  # English words inside Japanese text ("サポートがgood")
        valence, found = valence + latin, found or latin_found
    else:
        valence, found = _latin_valence(norm)
    return _normalise(valence) if found else None


_THANKS = re.compile(r"\b(?:thanks?|thx|ty|appreciated?|merci|danke|gracias)\b|ありがと|感謝", re.IGNORECASE)


# Praise of the doer with nothing praised ("great job", "well done", "bravo"): next to a complaint, irony.
_BARE_PRAISE = re.compile(
    r"^\W*(?:(?:really |just |such a )?(?:great|nice|good|awesome|fantastic|brilliant|excellent|super|stellar) "
    r"(?:job|work|one)|well done|way to go|bravo|thanks a lot|congratulations|congrats|beau travail|bien joué|bravo|gut gemacht|"
    r"toll gemacht|buen trabajo|bien hecho|さすが|お見事)\W*$",
    re.IGNORECASE,
)


def only_thanks(text: str) -> bool:
    """True when thanks (or a bare "great job") are all the praise a clause has ("Thanks @united",
    "Thank you!", "ありがとう", "Well done").

    Thanks next to a complaint are courtesy or sarcasm, not praise: inside one clause they are already
    left out when another word complains; a clause of thanks alone, or of praise for the doer with
    nothing praised ("great job", "bravo"), takes its comment's side.
    """
    if _BARE_PRAISE.search(unicodedata.normalize("NFKC", str(text or "")).strip()):
        return True
    if not _THANKS.search(text):
        return False
    rest = polarity_score(_THANKS.sub(" ", text))
    return rest is None or rest <= 0


# A question, not an exclamation ("What a great team!", "How nice!"): its words of praise are what it
# asks about ("which cards are accepted?"); words of complaint in it still count ("Why is it declined?").
_QUESTION = re.compile(
    r"[?？]\s*$|^\s*¿|^\s*(?:can|could|do|does|did|is|are|was|will|would|should|where|which|why|when|who|"
    r"what (?!an?\b)|how (?:do|does|did|can|could|to|long|much|many|often|soon|is|are|will|would))\b|"
    r"^\s*(?:est-ce que?|pourquoi|quand|où|combien|comment (?!c'est|ce)|peut-on|puis-je|pouvez-vous|"
    r"warum|wann|wo|wie (?:lange|viel|kann|komme|bekomme)|kann ich|können sie|gibt es|"
    r"por qué|cuándo|dónde|cuánto|cómo (?:puedo|se)|puedo|pueden)\b|"
    r"(?:ですか|ますか|でしょうか|のか|んですか)[。\s]*$",
    re.IGNORECASE,
)


def is_question(text: str) -> bool:
    """True for a clause that asks ("Can I change my seat?", "Wann kommt meine Bestellung?", "いつ届きますか").

    A question is never praise: its words of praise are what it asks about. A complaint said as a
    question ("Why is my refund not processed yet?") still complains.
    """
    return _QUESTION.search(unicodedata.normalize("NFKC", str(text or ""))) is not None


def _from_hint(score_hint: float | None) -> Polarity:
    if score_hint is None or (isinstance(score_hint, float) and math.isnan(score_hint)):
        return "neutral"
    return "negative" if score_hint <= 4 else "neutral"


def clause_polarity(text: str, score_hint: float | None = None) -> Polarity:
    """``"positive"``, ``"negative"``, ``"neutral"`` or ``"request"`` for one clause, from its own words.

    A clause that asks for something ("More templates", "公園が欲しい") is a ``"request"`` whatever
    its words of praise or complaint. ``score_hint`` is the respondent's 0-10 score (NPS) when there
    is one: it only decides when the clause's words carry no polarity at all, and only towards a
    complaint (0-4 -> negative); a promoter's silent remark stays neutral, never praise.
    """
    if is_request(text):
        return "request"
    score = polarity_score(text)
    if score is not None and score > 0 and is_question(text):
        score = None  # "Are the great deals still on?" asks; it does not praise
    if score is None:
        return _from_hint(score_hint)
    if score >= _THRESHOLD:
        return "positive"
    if score <= -_THRESHOLD:
        return "negative"
    return "neutral"


def clause_polarities(texts: list[str], score_hints: list[float | None] | None = None) -> list[Polarity]:
    """:func:`clause_polarity` for many clauses (``score_hints`` aligned with ``texts`` or None)."""
    hints = score_hints if score_hints is not None else [None] * len(texts)
    return [clause_polarity(t, h) for t, h in zip(texts, hints, strict=True)]


# Words the lexicons score that customer feedback mostly uses as the *topic* ("customer support",
# "the refund", "bugs in the app"): they may name a theme; other scored words say how it felt.
_TOPIC_NOUNS = frozenset(
    "support help helpdesk service refund refunds bug bugs crash crashes delay delays delivery charge "
    "charges fee fees fine fines security care trust warranty insurance".split()
)


@lru_cache(maxsize=65536)
def is_feeling_word(word: str) -> bool:
    """True for a word of praise or complaint ("delicious", "rude", "遅い"), not a topic noun.

    A theme's name says what its members are about; its side ("praise", "complaints") says how it
    felt. Topic nouns the lexicon happens to score ("support", "refund", "bugs") stay nameable.
    """
    word = unicodedata.normalize("NFKC", word).lower()
    return word not in _TOPIC_NOUNS and polarity_score(word) is not None
