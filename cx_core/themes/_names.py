"""People's names that carry no honorific and that no single-word list finds.

Used by :func:`cx_core.themes._pii.mask_addresses_and_names` on everything an LLM request carries:

- romanised Japanese names, both orders ("Kenta Sasaki", "Sasaki Kenta"): two capitalised words, one
  a Japanese family name and the other a given name, romanised (Hepburn, long vowels written
  "ou", "o" or "oh") from the readings in ``lexicons/ja_names.tsv`` (the lists of the ``gimei``
  package, MIT: 500 family names and about 12,700 given names as written, 3,364 readings; copied,
  not installed, because that package also installs a top-level ``tests`` package);
- a lone family name in a sentence about a person ("Blake promised a callback", "ask Sasaki"): a
  capitalised English (US census list of the ``names`` package) or romanised Japanese family name
  right after a word that addresses a person (ask, call, thanks to, spoke with ...) or right before
  a verb that a person does (promised, said, told, called back ...);
- Japanese full names the dictionary does not tag as names (山川汐風, 河原誌織): a family name of the
  list followed by a given name of the list as written (kanji, hiragana or katakana), the two at
  word boundaries of MeCab's reading and not one word of the dictionary (東洋 stays).

A word that is also a common English word ("Sales promised", "Price said") is not taken alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

NAME = "[name]"

_SINGLE = {
    **dict(zip("あいうえお", ["a", "i", "u", "e", "o"], strict=True)),
    **dict(zip("かきくけこ", ["ka", "ki", "ku", "ke", "ko"], strict=True)),
    **dict(zip("さしすせそ", ["sa", "shi", "su", "se", "so"], strict=True)),
    **dict(zip("たちつてと", ["ta", "chi", "tsu", "te", "to"], strict=True)),
    **dict(zip("なにぬねの", ["na", "ni", "nu", "ne", "no"], strict=True)),
    **dict(zip("はひふへほ", ["ha", "hi", "fu", "he", "ho"], strict=True)),
    **dict(zip("まみむめも", ["ma", "mi", "mu", "me", "mo"], strict=True)),
    **dict(zip("やゆよ", ["ya", "yu", "yo"], strict=True)),
    **dict(zip("らりるれろ", ["ra", "ri", "ru", "re", "ro"], strict=True)),
    **dict(zip("わゐゑをん", ["wa", "i", "e", "o", "n"], strict=True)),
    **dict(zip("がぎぐげご", ["ga", "gi", "gu", "ge", "go"], strict=True)),
    **dict(zip("ざじずぜぞ", ["za", "ji", "zu", "ze", "zo"], strict=True)),
    **dict(zip("だぢづでど", ["da", "ji", "zu", "de", "do"], strict=True)),
    **dict(zip("ばびぶべぼ", ["ba", "bi", "bu", "be", "bo"], strict=True)),
    **dict(zip("ぱぴぷぺぽ", ["pa", "pi", "pu", "pe", "po"], strict=True)),
    **dict(zip("ぁぃぅぇぉゔ", ["a", "i", "u", "e", "o", "vu"], strict=True)),
}
_YOUON = dict(zip("ゃゅょ", ["a", "u", "o"], strict=True))


def hepburn(kana: str) -> str:
    """A hiragana reading in Hepburn romanisation, long vowels as written ("さとう" -> "satou").

    >>> hepburn("ささき"), hepburn("しょうた"), hepburn("いっぺい"), hepburn("じゅん")
    ('sasaki', 'shouta', 'ippei', 'jun')
    """
    out: list[str] = []
    double = False
    for ch in kana:
        if ch == "っ":
            double = True
            continue
        if ch in _YOUON and out:
            last = out.pop()
            stem = last[:-1] if last in ("shi", "chi", "ji") else last[:-1] + "y"
            out.append(stem + _YOUON[ch])
            continue
        if ch in "ぁぃぅぇぉ" and out and out[-1][-1] in "aiueo":
            out[-1] = out[-1][:-1] + _SINGLE[ch]  # ふぁ -> fa
            continue
        roman = _SINGLE.get(ch)
        if roman is None:
            return ""  # not a plain hiragana reading (ー, kanji): no romanisation
        if double:
            roman = ("t" if roman.startswith("ch") else roman[0]) + roman
            double = False
        out.append(roman)
    return "".join(out)


def romanisations(kana: str) -> set[str]:
    """The spellings a romanised name of this reading is found in ("おおの": oono, ono, ohno)."""
    base = hepburn(kana)
    if len(base) < 2:
        return set()
    found = {base, re.sub(r"ou|oo", "o", base).replace("uu", "u"), re.sub(r"ou|oo", "oh", base).replace("uu", "u")}
    found |= {re.sub(r"n(?=[bmp])", "m", spelling) for spelling in found}  # honma / homma
    return found


_NAMES_FILE = Path(__file__).parent / "lexicons" / "ja_names.tsv"


@lru_cache(maxsize=1)
def _ja_names() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(family names romanised, given names romanised, family names as written, given names as written)."""
    roman: dict[str, set[str]] = {"last": set(), "first": set()}
    written: dict[str, set[str]] = {"last": set(), "first": set()}
    for line in _NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        kind, kana, forms = line.split("\t")
        roman[kind] |= romanisations(kana)
        written[kind].update(forms.split())
    return (
        frozenset(roman["last"]),
        frozenset(roman["first"]),
        frozenset(written["last"]),
        frozenset(written["first"]),
    )


# Common English words that are also family names (census list) or romanised Japanese names: never a
# name alone, only as part of a full name.
_ENGLISH_WORDS = frozenset(
    """a an and are as at be best better bad big bill billing but by can care cost costs day do done early
    even every fast few fine for free full good great hard help high his home i if in is it just kind
    last late less little long low made main many may more most much my new nice no none not now of
    old on one only or other our over own poor price prices quick rate real right sale sales same
    see service services short small so some staff still such sure than that the their them then
    there these they this those time to too top up us very was way we well were what when which
    who why will with work yet you young your team support delivery quality order orders product
    products account manager customer customers shipping invoice invoices call calls please thanks
    thank hello hi dear mr ms mrs dr also never always often ever again soon today yesterday monday
    tuesday wednesday thursday friday saturday sunday january february march april june july august
    september october november december english japanese japan tokyo osaka china india london paris
    america europe asia north south east west street road city park hill lake river field wood
    woods stone brown green white black gray grey rose ai an ken go dan mai ran rin ren sora hana
    nana mana jun kai rei sho yu yo mao emi eri noa rina ban mine sue tone hope one to so do mori
    hara ono oka ota ito abe baba ando endo sano ueda noda ueno kato imai apple google amazon visa""".split()
)

# A person is the object of these words ("ask Blake", "thanks to Sasaki") ...
_BEFORE = re.compile(
    r"(?i:(?<![A-Za-z])(?:ask|asked|asking|call|called|calling|contact|contacted|contacting|email|emailed|"
    r"phone|phoned|ping|pinged|tell|told|thank|thanks|thanked|dear|hi|hello|hey|met|meet|cc|"
    r"(?:spoke|speak|speaking|talk|talked|talking|thanks|according|reach out|reached out|"
    r"forwarded|forward|escalated|escalate|assigned|sent|wrote|write)\s+(?:to|with)|"
    r"(?:worked|work|working|dealt|dealing|meeting)\s+with|(?:handled|helped|answered|fixed|solved|resolved)\s+by))"
    r"\s+$"
)
# ... or does these ("Blake promised", "Sasaki never called back").
_AFTER = re.compile(
    r"^\s+(?i:promised|promises|said|says|told|tells|called|calls|emailed|phoned|helped|helps|answered|"
    r"replied|responded|explained|confirmed|fixed|resolved|handled|sorted|visited|mentioned|agreed|"
    r"apologised|apologized|offered|sent|forgot|ignored|never|always|went|got back|came back)(?![A-Za-z])"
)
_KANJI_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")
_CAPITALISED = re.compile(r"(?<![A-Za-z\u00c0-\u024f'\[])[A-Z][a-z]+(?![A-Za-z\u00c0-\u024f])")


def _family_names() -> frozenset[str]:
    from ._pii import _surnames  # noqa: PLC0415 - the census list, read once by _pii

    return _surnames()


def english_names_without_honorific(text: str) -> str:
    """Romanised Japanese full names and lone family names in a sentence about a person, as [name].

    >>> english_names_without_honorific("Kenta Sasaki said support answered. Ask Sasaki Kenta.")
    '[name] said support answered. Ask [name].'
    >>> english_names_without_honorific("Blake promised a callback; thanks to Yamamoto. Sales said no.")
    '[name] promised a callback; thanks to [name]. Sales said no.'
    """
    roman_last, roman_first, _w, _g = _ja_names()
    words = list(_CAPITALISED.finditer(text))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        word = words[i].group(0).lower()
        following = words[i + 1] if i + 1 < len(words) else None
        if following is not None and text[words[i].end() : following.start()] == " ":
            other = following.group(0).lower()
            if (word in roman_last and other in roman_first) or (word in roman_first and other in roman_last):
                spans.append((words[i].start(), following.end()))
                i += 2
                continue
        if word not in _ENGLISH_WORDS and (word in roman_last or word in roman_first or word in _family_names()):
            start, end = words[i].start(), words[i].end()
            beside_a_name = re.search(r"\[(?:name|company)\] $", text[:start]) or re.match(
                r" \[(?:name|company)\]", text[end:]
            )
            japanese = word in roman_last or word in roman_first
            if (
                _BEFORE.search(text[max(0, start - 40) : start])
                or _AFTER.match(text[end : end + 30])
                or (japanese and beside_a_name)  # the other half already replaced ("Sasaki" as an account's part)
            ):
                spans.append((start, end))
        i += 1
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text


def japanese_full_names(text: str, tokens: list[tuple[int, int, tuple[str, ...]]]) -> str:
    """Family name + given name written in Japanese (with or without a space) as [name], where the
    family name is one of the list's and the given name one of the list's as written; ``tokens`` are
    MeCab's ``(start, end, features)`` of ``text``. Each end of the name is a word boundary of
    MeCab's reading or the edge of a run of kanji (MeCab may read 大村淑実に as 大村/淑/実に), and the
    name is not one word of the dictionary, so a word that begins like a name (東洋, 中山道) stays.

    >>> from cx_core.themes._pii import _japanese
    >>> text = "担当の山川汐風と大村淑実に確認。東洋の製品"
    >>> japanese_full_names(text, _japanese().tokens(text))
    '担当の[name]と[name]に確認。東洋の製品'
    """
    _rl, _rf, family, given = _ja_names()
    words = {(start, end) for start, end, _feature in tokens}
    starts = {start for start, _end in words}
    ends = {end for _start, end in words}

    def kanji(at: int) -> bool:
        return 0 <= at < len(text) and bool(_KANJI_CHAR.match(text[at]))

    spans: list[tuple[int, int]] = []
    position = 0
    while position < len(text):
        if not (position in starts or (kanji(position) and not kanji(position - 1))):
            position += 1
            continue
        found = None
        for size in (3, 2, 1):
            last = position + size
            if text[position:last] not in family:
                continue
            cursor = last + 1 if text[last : last + 1] in (" ", "\u3000", "・") else last
            for given_size in (4, 3, 2, 1):
                end = cursor + given_size
                if text[cursor:end] not in given or (position, end) in words:
                    continue
                if given_size == 1 and size < 2:
                    continue  # 森 + 林, 東 + 芝: one kanji each is too often a word
                if end in ends or not kanji(end):
                    found = end
                    break
            if found:
                break
        if found:
            spans.append((position, found))
            position = found
        else:
            position += 1
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text


_ROLE_OF = r"(?:担当者?|営業(?:担当)?|窓口|サポート|責任者|上司|部長|課長|係長|主任|社長|店長|スタッフ|エンジニア)の"
_PARTICLE_AFTER = r"(?=[がはにへとものを、。，．！？!?,.;:)」』）\s]|から|より|$)"
_PERSON_AFTER = (
    r"(?=(?:に|から|へ)(?:確認|連絡|問い合わせ|問合せ|相談|電話|メール|聞)"
    r"|(?:が|は)(?:対応|説明|回答|約束|言って|話して|教えて|案内|担当))"
)


@lru_cache(maxsize=1)
def _lone_family_pattern() -> re.Pattern[str]:
    _rl, _rf, family, _given = _ja_names()
    names = "|".join(re.escape(n) for n in sorted(family, key=len, reverse=True))
    return re.compile(
        rf"({_ROLE_OF})(?:{names}){_PARTICLE_AFTER}"  # 担当の松本が, 窓口の千葉に
        rf"|(?<![\u3400-\u9fff々])(?:{names})(?=.){_PERSON_AFTER}"  # 松本に確認, 森が対応
    )


def japanese_family_names_alone(text: str) -> str:
    """A family name of the list without an honorific where it stands for a person as [name]: after a
    role (担当の, 営業の, 窓口の ...) and before a particle, or before a person's act (に確認, から連絡,
    が対応 ...). Place names that are family names too (松本, 千葉) are taken only there.

    >>> japanese_family_names_alone("担当の松本が対応。窓口の千葉に確認。森から連絡。松本市の工場、千葉県に確認。")
    '担当の[name]が対応。窓口の[name]に確認。[name]から連絡。松本市の工場、千葉県に確認。'
    """
    return _lone_family_pattern().sub(lambda match: (match.group(1) or "") + NAME, text)
