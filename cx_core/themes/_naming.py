"""Key terms of a clause and theme names built from what a theme's members share.

A name is a short phrase (one to three key terms, 2-6 words) chosen by class-based TF-IDF: terms
frequent among the theme's members and rarer elsewhere, preferring an adjacent two-word phrase
("customer service", "価格体系") when many members use it. Handles (@brand), hashtags, URLs,
numbers and redaction placeholders never count as terms. Japanese has no spaces: its terms are
runs of kanji/katakana (nouns in practice) plus the stems of common adjectives.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ._polarity import is_feeling_word
from ._requests import is_request_cue

_STOP = set(
    "a an the and or but if of to in on at for with from by is are was were be been being it its it's this that "
    "these those we our us you your they their them i me my mine he she his her him very too so not no more most "
    "much many some again also just than then there here has have had do does did done can could would should will "
    "about into out up down over under all any each get got getting go going went come came one two also only even "
    "really still always ever every what which who whom when where why how because as while after before though "
    "although however yet am im ive id youre theyre dont didnt doesnt isnt wasnt cant wont etc ok okay yes lot lots "
    "thing things something anything everything nothing way bit us u ur pm am let lets make made keep keeps "
    "name phone email url postal code company "
    # common verbs, adjectives and time words that say nothing about a topic ("I know", "we tried",
    # "last year", "a big"): never a theme's name, never what makes two clauses the same topic
    "know knew known think thought say said says tell told try tried trying take took taken give gave given "
    "put see saw seen look looked looks use used using find found want wanted need needed seem seems seemed "
    "back big little small first last next other another same new old sure maybe actually probably else "
    "anyone someone somebody anybody people person day days week weeks month months year years today yesterday "
    "tonight night ago since already soon usually often sometimes now through couple "
    # French / German / Spanish function words (names stay in the comments' language)
    "le la les un une des du de et est sont pas ne que qui dans pour par sur avec ce cette ces il elle ils nous vous "
    "je tu on au aux mais ou très plus été être avoir fait notre nos votre vos leur leurs mon ma mes son sa ses "
    "trop peu tout tous toute toutes aussi encore déjà chez comme sans sous entre vers "
    "der die das den dem des ein eine einen und ist sind war nicht mit von zu im auf für sehr auch es ich wir sie "
    "unser unsere unseren ihr ihre mein meine viel noch schon immer nur "
    "el los las una unos del y es son fue muy con por para que en lo se su sus al pero más nuestro nuestra "
    "mucho poco todo también siempre ya "
    # pronouns, auxiliaries and words of time or quantity in French, German and Spanish ("j'ai",
    # "c'est", "rien", "jour"): what any answer says, never what it is about
    "ai as avons avez ont suis es sommes êtes était étaient étais sera serait fut avait avaient peut peux "
    "faire font fais rien cela ceci ça là où quand donc alors car puis quoi dont même autre autres chose choses "
    "moi toi lui eux elles leur soi personne gens beaucoup assez vraiment parfois souvent toujours jamais "
    "jour jours fois année ans mois semaine aujourd'hui hier demain bravo "
    "habe hast hat haben hatte hatten wird werden wurde wurden kann können konnte muss müssen man mich mir "
    "dich dir uns euch sich ihm ihn dass wenn oder als wie was wer hier dort jetzt dann mal gibt gab sein bin "
    "bist seid waren alles etwas nichts ganz gar mehr bei nach aus vor über durch gegen bis einem einer "
    "eines dieser diese dieses jeder nie heute tag tage jahr jahre leider bitte "
    "les nos mis tus él ella ellos ellas usted ustedes este esta estos estas ese esa eso esto hay han hemos "
    "era ser estar está están estoy tiene tienen tengo hace hacer puede pueden como cuando donde porque sin "
    "sobre entre hasta desde nada algo todos todas otro otra otros cada vez veces día días año años ahora "
    "aquí allí bastante demasiado solo sólo además entonces "
    # English words people write around a topic, not about it ("once", "hey", "hours")
    "once hey hello thx pls plz via lol omg tomorrow hour hours hrs minute minutes mins "
    "kein keine keinen keiner keinem aucun aucune ningún ninguna ninguno".split()
)
# French elisions: "j'ai" -> "ai", "l'accueil" -> "accueil", "qu'il" -> "il" (then judged as a word).
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|quelqu|lorsqu|puisqu|jusqu)'(?=\w)")
# Words that say how someone feels about everything rather than what about: never a topic alone.
GENERIC = set(
    "good great nice love loved loving like liked likes awesome amazing excellent fantastic wonderful perfect best "
    "better bad worst terrible awful horrible poor happy satisfied pleased thanks thank thx appreciate appreciated "
    "cool fine okay decent super useful helpful recommend recommended overall experience everything everyone "
    "keep work works working worked well job team guys product products service services company app tool "
    "help fly flying flew "
    "highly definitely absolutely totally truly pretty quite fun easy simple "
    # a word that names a topic only with another: "lead time", "response time", "waiting time"
    "time times "
    "bien bon bonne super merci génial parfait top excellent satisfait "
    "gut toll super danke perfekt zufrieden "
    "bueno buena excelente gracias genial perfecto".split()
)
_JA_GENERIC = {
    "最高",
    "満足",
    "感謝",
    "本当",
    "全体",
    "いつも",
    "今後",
    "とても",
    "大変",
    "非常",
    "特",
    "今回",
    "色々",
    "いろいろ",
    "ありがとう",
    "ありがとうございます",
    "サービス",
    "製品",
    "御社",
    "弊社",
    "素晴らしい",
    "良い",
    "よい",
}
# Never part of a name: praise/complaint words and negators; generic nouns ("service", "app") only
# inside a two-word phrase ("customer service", "mobile app"); never amounts or units.
_SENTIMENTISH = set(
    "never ever nobody none nothing without like liked likes love loved want wanted need needed please "
    "thank thanks good great bad nice best worst awesome amazing excellent terrible awful horrible poor happy "
    "fantastic wonderful perfect better worse super cool fine okay decent".split()
)
_NOT_IN_NAMES = GENERIC | _JA_GENERIC | _SENTIMENTISH
# English verbs that say nothing about what happened and are not also topic nouns (unlike "order",
# "call", "arrive", "update"): never part of a name ("invoices contain" -> "invoices"). Inflected
# forms are derived by _verb_forms.
_VERBS = set(
    "contain include provide require allow expect feel happen appear become remain seem consider explain "
    "mention suggest understand wish hope believe decide manage prefer refuse wonder tell bring carry meet "
    "stay begin continue speak hear learn cause".split()
)
# Adjectives that say which topic only before a noun ("long wait", "recent shipments"): never alone.
_MODIFIERS = set(
    "long short recent current previous different various several certain whole full main real "
    "high higher low lower clear clearer able unable possible available additional extra usual "
    "early late later quick slow fast faster slower easier harder simpler cheaper".split()
)
_NUMBERISH = re.compile(r"[0-9０-９一二三四五六七八九十百千万億兆円％%.,・]+")
_PLACEHOLDER = re.compile(r"\[(?:email|url|phone|postal code|name|company)\]|https?://\S+|www\.\S+|[@#]\w+", re.I)
_LATIN = re.compile(r"[a-zà-öø-ÿ][a-zà-öø-ÿ'-]+")
_JA_TERM = re.compile(
    r"[\u30a0-\u30ffー]{2,}|[\u3400-\u9fff々]{2,}|[\u3400-\u9fff]{1,}[\u3040-\u309f]{1,2}[いく](?=[。、\s]|$)"
)
_JA_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# Japanese time words, like the English ones in _STOP ("last year", "this quarter"): 前年同期比,
# 当連結会計年度, 今月, 最近... say when, never what about.
_JA_TIME = re.compile(
    r"(?:前|当|今|本|昨|来|翌|次|先|毎)?(?:連結)?(?:会計)?(?:年度|年|期|月|週|四半期|半期|日)(?:比|末|中|初)?|"
    r"前年同期(?:比)?|前(?:年|期)比|当第|前回|次回|毎回|最近|以前|現在|今日|昨日|明日|今後|当初"
)
_CONTRACTION = re.compile(r"(?:n't|'m|'re|'ve|'ll|'d)$|^(?:it|that|there|here|what|let|he|she|who)'s$")


def _verb_forms(verbs: set[str]) -> frozenset[str]:
    forms = set(verbs)
    for v in verbs:
        stem = v[:-1] if v.endswith("e") else v
        forms |= {v + "s", v + "es", stem + "ed", stem + "ing"}
        if v.endswith("y"):
            forms |= {v[:-1] + "ies", v[:-1] + "ied"}
    irregular = "felt became brought met began spoke heard"
    return frozenset(forms | set(irregular.split()))


_VERB_FORMS = _verb_forms(_VERBS)


def fold(term: str) -> str:
    """One key for the singular and plural of an English term ("deliveries" -> "delivery").

    Each word of a phrase is folded ("recent shipments" -> "recent shipment"); Japanese and words too
    short to be plurals are kept as they are.
    """
    return " ".join(_fold_word(word) for word in term.split(" "))


def _fold_word(word: str) -> str:
    if _JA_CHAR.search(word) or len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


# English past participles not made with -ed: with a noun they say what happened ("lost bag").
_IRREGULAR_PARTICIPLES = frozenset(
    "lost broken stuck stolen frozen torn worn bent shut gone left hidden forgotten sent paid "
    "bought sold cut hit spent taken given written shown known".split()
)


def _happened(word: str) -> bool:
    """True for a past participle ("cancelled", "delayed", "lost", "broken"): what happened, not a
    feeling; a negated one ("unexpected") is a judgement of it, so not."""
    if word.startswith("un"):
        return False
    return (word.endswith("ed") and len(word) >= 5) or word in _IRREGULAR_PARTICIPLES


def _says_how_it_felt(phrase: str) -> bool:
    """True when a word of the phrase is a word of praise or complaint ("delicious", "rude", "遅い").

    A name says what the members are about; the side ("praise", "complaints") says how it felt. A
    past participle with a topic noun says what happened to it ("lost bag", "cancelled flight",
    "flight delayed"), which is what the members are about, so it stays.
    """
    words = phrase.split()
    if len(words) == 2 and sum(_happened(w) for w in words) == 1:
        return any(is_feeling_word(w) for w in words if not _happened(w))
    return any(is_feeling_word(word) for word in words)


def _clean(text: str) -> str:
    return _PLACEHOLDER.sub(" ", unicodedata.normalize("NFKC", text).lower())


def terms(text: str) -> list[str]:
    """The key-term candidates of a clause, in order (lower-case; no stop words, handles, URLs, numbers)."""
    text = _clean(text)
    out: list[str] = []
    for match in re.finditer(r"[a-zà-öø-ÿ][a-zà-öø-ÿ'-]+|[\u3040-\u30ff\u3400-\u9fff々ー]+", text):
        chunk = match.group(0)
        if _JA_CHAR.search(chunk):
            out.extend(m.group(0) for m in _JA_TERM.finditer(chunk) if not _JA_TIME.fullmatch(m.group(0)))
        else:
            word = _ELISION.sub("", chunk.strip("'-").replace("’", "'"))
            if len(word) >= 3 and word not in _STOP and not _CONTRACTION.search(word):
                out.append(word)
    return out


def topical_terms(text: str) -> list[str]:
    """Terms that name a topic (not generic praise or complaint words)."""
    return [t for t in terms(text) if t not in GENERIC and t not in _JA_GENERIC]


def phrases(text: str) -> set[str]:
    """Terms and adjacent two-term phrases of a clause (what a name can be made of)."""
    words = terms(text)
    out = set(words)
    raw = " " + " ".join(re.findall(r"[a-zà-öø-ÿ'-]+", _clean(text))) + " "
    for a, b in zip(words, words[1:], strict=False):
        if _JA_CHAR.search(a) or _JA_CHAR.search(b) or a in _SENTIMENTISH or b in _SENTIMENTISH:
            continue
        if a in _VERB_FORMS or b in _VERB_FORMS or b in _MODIFIERS:
            continue  # "invoices contain", "time long": not a noun phrase
        if (a not in GENERIC or b not in GENERIC) and f" {a} {b} " in raw:  # adjacent in the text
            out.add(f"{a} {b}")
    return {p for p in out if nameable(p)}


def nameable(phrase: str) -> bool:
    """True when a term or two-term phrase may be (part of) a name: no generic, praise or
    complaint word alone, no bare verb or modifier, no amount, no word that only says something
    is asked for ("needs", "faudrait", "add": the request side says that)."""
    return (
        phrase not in _NOT_IN_NAMES
        and not is_request_cue(phrase)
        and phrase not in _VERB_FORMS
        and phrase not in _MODIFIERS
        and not _NUMBERISH.search(phrase.replace(" ", ""))
        and not _says_how_it_felt(phrase)
    )


def is_japanese_term(term: str) -> bool:
    return bool(_JA_CHAR.search(term))


@dataclass(frozen=True)
class Name:
    """A theme's name, the terms it is built from and the share of members that mention one of them."""

    text: str
    terms: tuple[str, ...]
    support: float


def name_theme(
    member_phrases: list[tuple[set[str], int]],
    corpus_df: Counter,
    n_corpus: int,
    closeness: dict[str, float] | None = None,
    *,
    widen_weak: bool = True,
) -> Name:
    """Name a group from its members' phrases (each with its weight = number of mentions).

    ``corpus_df`` counts, per phrase, the weighted clauses of the whole corpus that use it;
    ``closeness`` (optional) is each phrase's similarity to the group as a whole, so a phrase
    that sums the members up beats one that only a few frequent members use. With ``widen_weak``, a
    name its members barely use (a topic said many ways) takes terms that add fewer members too.

    Singular and plural count as one term ("delivery" / "deliveries"), shown in the members' most
    used form, so a name never repeats itself and its support counts both.
    """
    surfaces: dict[str, Counter] = {}
    for phrase_set, weight in member_phrases:
        for p in phrase_set:
            surfaces.setdefault(fold(p), Counter())[p] += weight
    member_phrases = [({fold(p) for p in phrase_set}, weight) for phrase_set, weight in member_phrases]
    folded_df: Counter = Counter()
    for p, n in corpus_df.items():
        if fold(p) in surfaces:
            folded_df[fold(p)] += n
    corpus_df = folded_df
    if closeness is not None:
        closeness = {key: max(closeness.get(p, 0.0) for p in forms) for key, forms in surfaces.items()}
    total = sum(w for _, w in member_phrases) or 1
    df: Counter = Counter()
    for phrase_set, weight in member_phrases:
        for p in phrase_set:
            df[p] += weight

    def score(p: str) -> float:
        coverage = df[p] / total
        specificity = math.log(1 + n_corpus / (1 + corpus_df.get(p, 0)))
        bonus = 1.15 if " " in p else 1.0
        generic = 0.35 if (p in GENERIC or p in _JA_GENERIC) else 1.0
        close = 1.0 if closeness is None else closeness.get(p, 0.0)
        return coverage * specificity * bonus * generic * close

    candidates = [p for p in df if df[p] >= max(2, 0.05 * total) or total < 20]
    if not candidates:  # no term shared by enough members: the most shared one still beats no name
        candidates = [p for p in df if df[p] == max(df.values(), default=0) and df[p] >= 2]
    if not candidates:
        return Name("", (), 0.0)
    ranked = sorted(candidates, key=lambda p: (-score(p), p))
    chosen = [ranked[0]]
    covered = {i for i, (ps, _) in enumerate(member_phrases) if chosen[0] in ps}

    def weight_of(members: set[int]) -> int:
        return sum(member_phrases[i][1] for i in members)

    # More terms (at most three, six words) while the name leaves most members out, each term adding
    # members the name did not cover yet; or one term that many members pair with the first.
    for p in ranked[1:8]:
        if len(chosen) >= 3 or sum(len(c.split()) for c in chosen) + len(p.split()) > 6:
            break
        if any(p in c or c in p for c in chosen) or is_japanese_term(p) != is_japanese_term(chosen[0]):
            continue
        new = {i for i, (ps, _) in enumerate(member_phrases) if p in ps} - covered
        short_of_half = weight_of(covered) < 0.5 * total
        paired = len(chosen) == 1 and len(chosen[0].split()) == 1 and df[p] >= 0.3 * total
        enough = (0.05 if widen_weak and weight_of(covered) < 0.25 * total else 0.1) * total
        if (short_of_half and weight_of(new) >= enough) or paired:
            chosen.append(p)
            covered |= new
        elif not short_of_half:
            break
    support = sum(member_phrases[i][1] for i in covered) / total
    shown = [min(surfaces[key], key=lambda form: (-surfaces[key][form], form)) for key in chosen]
    joiner = "・" if is_japanese_term(shown[0]) else ", "
    return Name(joiner.join(shown), tuple(shown), round(support, 3))
