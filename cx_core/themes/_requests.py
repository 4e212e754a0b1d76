"""Requests: clauses that ask for something ("more templates", "please add", "〜が欲しい", "il faudrait").

A request is neither praise nor a complaint: it is what a product team is asked for, and it is
counted on its own side of a theme. The patterns are the ordinary grammar of wishes and
suggestions in English, Japanese, French, German and Spanish (imperatives with "please", "would be
nice", conditionals, "〜てほしい", "merci de" + verb, "wäre schön", "sería bueno"), plus a clause
that opens on "more / fewer / better ..." naming what it wants ("More templates", "Few templates",
"plus de caisses", "mehr Auswahl", "más opciones"). Hand-written from grammar, not fitted to data.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_EN = (
    r"\b(?:please|pls|plz|kindly)\b(?! keep\b| continue\b)",
    r"\b(?:would|'d|will) be (?:so |really |very )?(?:nice|great|good|helpful|useful|awesome|better|lovely|cool|"
    r"handy|ideal)\b(?! (?:experience|service|job|team|product))",
    r"\b(?:i|we)(?: would|'d) (?:like|love|prefer|appreciate|want)\b",
    r"\bwould (?:love|like) (?:to see|to have|it if|if)\b",
    r"\b(?:i|we) (?:wish|hope you|hope they|suggest|request)\b",
    r"\bwish (?:there (?:was|were)|it (?:had|was|were|could)|you (?:had|would|could))\b",
    r"\b(?:you|they|it|there) (?:should|could|need to|needs to|ought to) (?:add|have|include|offer|allow|make|bring|"
    r"provide|consider|improve|fix|let|be able|support|give|hire|open|extend|lower|reduce|increase)\b",
    r"\bshould be able to\b",
    r"\b(?:could|can|would|will) you (?:please )?(?:add|make|fix|include|improve|offer|allow|provide|bring|"
    r"consider|let|help)\b",
    r"\b(?:need|needs|want|add|give us|provide|offer)(?: an?| the| some)? (?:option|ability|possibility|way|"
    r"feature|setting) to\b",
    r"^(?:an? |the )?(?:option|ability|possibility) to\b",
    r"^(?:please )?(?:add|allow|include|provide|offer|bring back|make it|let (?:us|me)|give us|consider)\b",
    r"\b(?:suggestion|suggestions|feature request|would help|help me|need help|needs? (?:more|better|to add))\b",
    r"\bhelp\s*!",
    r"\b(?:we|i) (?:really |still |urgently |just )?need\b",
    r"\bneeds? (?:a |an |more |better |some )?(?:clearer|better|faster|simpler|easier|cheaper|more)\b",
    # "More templates", "Few templates"; not a statement about them ("Better seat is cabin select")
    r"^(?!\S+\s+(?:\S+\s+){0,2}(?:is|are|was|were)\b(?!\s+(?:needed|required|welcome|wanted)))"
    r"(?:more|fewer|few|less|better|cheaper|additional|extra|improved)\s+[a-z]",
    r"^(?:it |this |the app )?needs? (?:an? |the |some |to have )?[a-z]{3,}(?<!\bwork)\b(?! (?:is|was|are|were)\b)",
)
_FR = (
    r"\b(?:il )?faudrait\b",
    # "il faut plus de caisses" asks; "il faut attendre / chercher quelqu'un" complains of the effort
    r"\b(?:il )?faut\b(?! (?:toujours |encore |souvent |sans cesse |systématiquement |tout le temps )?"
    r"(?:attendre|chercher|patienter|faire la queue|se débrouiller|demander|courir|insister|relancer|rappeler|"
    r"appeler|réclamer|revenir|payer|compter))",
    r"\bserait (?:bien|bon|top|super|pratique|utile|génial|mieux|idéal|appréciable|souhaitable|agréable)\b",
    r"\bmerci de (?!votre|vos|ton|ta|tes|la|le|les|l'|tout|rien|m'avoir|nous avoir|l'avoir)[a-zà-ÿ]+",
    r"\b(?:svp|stp|s'il vous pla[iî]t|s'il te pla[iî]t)\b",
    r"(?:j'aimerais|\baimerais|\baimerions|\bsouhaiterais|\bsouhaiterions|\bje souhaite|\bnous souhaitons)\b",
    r"\b(?:pourriez|pouvez|pourriez-vous|pouvez-vous)\b",
    r"\b(?:devriez|devraient|devrait)\b",
    r"(?<!rien à )(?<!rien a )(?<!rien d'autre à )\b(?:améliorer|ajouter|proposer davantage|mettre en place|"
    r"suggestion)\b",
    r"^(?:plus de|davantage de|moins de|un peu plus de)\s",
)
_DE = (
    r"\bbitte\b(?! schön| sehr)",
    r"\b(?:sollte|sollten|müsste|müssten|könnte|könnten|könntet)\b",
    r"\bwäre (?:es )?(?:schön|gut|toll|super|nett|praktisch|hilfreich|besser|wünschenswert|klasse)\b",
    r"\b(?:wünsche|wünschen|wünschenswert|wunsch|vorschlag|verbessern|hätte gern|hätte gerne|hätten gern|"
    r"hätten gerne|würde mich freuen|würden uns freuen)\b",
    r"^(?:mehr|weniger|bessere|besserer|besseres|günstigere)\s",
)
_ES = (
    r"\bser[ií]a (?:bueno|buena|bien|genial|ideal|útil|mejor|interesante|estupendo|conveniente)\b",
    r"\bdeber[ií]a(?:n)?\b",
    r"\b(?:por favor|porfa|porfavor|ojal[aá]|me gustar[ií]a|nos gustar[ií]a|quisiera|quisiéramos|"
    r"estar[ií]a bien|sugerencia|sugiero)\b",
    r"\bpodr[ií]an (?:añadir|poner|agregar|mejorar|incluir|bajar|tener)\b",
    r"(?<!nada que )(?<!nada para )\b(?:mejorar|añadir|agregar)\b",
    r"^(?:más|menos|mejores|mejor)\s",
)
_JA = (
    r"(?:欲し|ほし)(?:い|かった|いです|いと)",
    r"(?:て|で)(?:ほしい|欲しい|ください|下さい|くださ|いただきたい|頂きたい|もらいたい|もらえると|いただけると|頂けると)",
    r"お願い(?:します|したい|いたします|致します)",
    r"(?:希望|要望)(?:します|です|あり|する)?",
    r"(?:たら|れば|と)(?:いい|良い|よい|嬉しい|うれしい|助かり|助かる|ありがたい|有難い|便利)",
    r"(?:べき|検討して|増やして|改善して)",
)


@lru_cache(maxsize=1)
def _latin_pattern() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in (*_EN, *_FR, *_DE, *_ES)))


@lru_cache(maxsize=1)
def _japanese_pattern() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in _JA))


# Words one of the Latin patterns needs (a text with none of them is no request: most texts are
# settled by this set look-up instead of the long pattern, measured ~10x faster on tweets).
_LATIN_TRIGGERS = frozenset(
    "please pls plz kindly would will wish hope suggest request should could need needs ought can option "
    "ability possibility way feature setting add allow include provide offer bring make let give consider "
    "suggestion suggestions help more fewer few less better cheaper additional extra improved it'd i'd we'd "
    "faudrait faut serait merci svp stp s'il j'aimerais aimerais aimerions souhaiterais souhaiterions souhaite "
    "souhaitons pourriez pouvez pourriez-vous pouvez-vous devriez devraient devrait améliorer ajouter proposer "
    "mettre plus davantage moins un bitte sollte sollten müsste müssten könnte könnten könntet wäre wünsche "
    "wünschen wünschenswert wunsch vorschlag verbessern hätte hätten würde würden mehr weniger bessere "
    "besserer besseres günstigere sería seria debería deberia deberían deberian por porfa porfavor ojalá "
    "ojala me nos quisiera quisiéramos estaría estaria sugerencia sugiero podrían podrian mejorar añadir "
    "agregar más menos mejores mejor".split()
)
_OPENING = " \t\"'«»“”„‘’*•·-–—>("  # quotes and bullets before a clause
_WORD = re.compile(r"[a-zà-öø-ÿ]+(?:'[a-zà-öø-ÿ]+)?")
_JA_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def is_request(text: str) -> bool:
    """True when a clause asks for something rather than judging ("More templates", "公園が欲しい").

    >>> [is_request(t) for t in ("More templates", "Merci de penser à baisser les prix", "Great templates")]
    [True, True, False]
    """
    norm = unicodedata.normalize("NFKC", str(text or "")).strip().lower().replace("’", "'")
    # Bullets and quotes say nothing ("- more templates", '"Few templates" honestly').
    norm = norm.lstrip(_OPENING).replace('"', "").replace("“", "").replace("”", "")
    if not norm:
        return False
    if _JA_CHAR.search(norm) and _japanese_pattern().search(norm):
        return True
    words = set(_WORD.findall(norm))
    if not words & _LATIN_TRIGGERS and not any(w.startswith(("j'", "s'", "qu'")) or w.endswith("'d") for w in words):
        return False
    return _latin_pattern().search(norm) is not None


# The words that say "this is a request" rather than what is requested: "please", "needs",
# "il faudrait", "mehr", "欲しい". They decide the side (requests), so a name built of them says
# nothing ("faudrait, needs: requests"); a theme's name takes the thing asked for ("dark mode",
# "caisses"). Topic nouns that also occur in request grammar ("option", "feature", "help",
# "support") are not cues: "support: requests" is a fine name.
REQUEST_CUES = frozenset(
    # English
    "please pls plz kindly wish wishes wished hope hoping suggest suggests suggested suggestion suggestions "
    "request requests requested need needs needed needing want wants wanted would could should ought "
    "add adding added allow allowing include including provide providing bring consider considering "
    "improve improved improving improvement improvements more fewer few less additional extra better "
    # French
    "faudrait faut serait seraient merci svp stp plaît plait aimerais aimerait aimerions souhaiterais "
    "souhaiterait souhaiterions souhaite souhaitons souhaitable pourriez pourrait pouvez devriez devraient "
    "devrait améliorer amélioration améliorations ajouter ajout proposer mettre davantage moins plus "
    "mieux "
    # German
    "bitte sollte sollten müsste müssten könnte könnten könntet wäre wären wünsche wünschen wünschenswert "
    "wunsch vorschlag verbessern verbesserung hätte hätten gern gerne würde würden mehr weniger bessere "
    "besserer besseres "
    # Spanish
    "sería seria serían deberían deberian debería deberia favor porfa porfavor ojalá ojala gustaría "
    "gustaria quisiera quisiéramos estaría estaria sugerencia sugiero podrían podrian mejorar mejora "
    "añadir agregar más menos mejores mejor".split()
)
# Japanese request endings and words ("〜が欲しい", "〜してほしい", "希望", "要望", "お願い").
_JA_CUE = re.compile(
    r"^(?:欲し[いくかけ]?|ほし[いくかけ]?|希望|要望|お願い|下さい|ください|頂きたい|いただきたい|増やして|改善)"
)


def is_request_cue(term: str) -> bool:
    """True when a term only says that something is asked for ("faudrait", "needs", "add",
    "欲しい"): never a theme's name, nor part of one.

    >>> [is_request_cue(t) for t in ("faudrait", "needs", "dark mode", "add dark", "欲しい", "駐車場")]
    [True, True, False, True, True, False]
    """
    norm = unicodedata.normalize("NFKC", str(term or "")).strip().lower().replace("’", "'")
    words = norm.split()
    if not words:
        return False
    if _JA_CHAR.search(norm):
        return any(_JA_CUE.match(w) for w in words)
    return any(w in REQUEST_CUES for w in words)
