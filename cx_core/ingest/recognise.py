"""Field recognition with evidence: why a column is (or only might be) NPS, CSAT, a comment...

A mapping suggested from header and question text carries its evidence; a column that only
*looks* like a field from its values is a **candidate** (or, for fields other than the three
core scores, a mapping flagged as a guess). Nothing is guessed in silence: the Data page shows
the evidence and asks, the CLI reports ``mapping_candidates`` and ``warnings``.

Scales are detected per rating column (0-10, 1-5, 1-7, 1-10, 0-100...) from the question text
when it states one and otherwise from the values, and stored with the mapping.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from ..messages import has_message, t
from ..schema import normalise_text

# Words (stems) that say a question is about recommending, in English, Japanese, French, German,
# Spanish, Portuguese, Italian and Dutch. Matched on NFKC-normalised, lower-cased text.
_RECOMMEND = re.compile(
    r"recommend|recomend|recomiend|recommand|empfehl|raccomand|consiglier|aanbevel|aanraden|"
    r"net promoter|おすすめ|お勧め|お薦め|おススメ|推奨|推薦|紹介したい|紹介する|勧め|薦め|すすめ|"
    r"ネットプロモーター"
)
# A header that *is* the NPS (``NPS``, ``nps_score``, ``NPS (0-10)``), not its companion group.
_NPS_HEADER = re.compile(r"(?:^|[^a-z])(?:nps|ltr)(?:[^a-z]|$)")
_NPS_GROUP = "_NPS_GROUP"

# A scale stated in the text: "0-10", "(1 to 5)", "1〜7", "0 - 100", "out of 10"
_STATED = re.compile(r"(?<!\d)(0|1)\s*(?:-|–|—|~|〜|～|to|a|à|bis|から)\s*(5|7|10|100)(?!\d)")
_OUT_OF = re.compile(r"out of (5|7|10|100)(?!\d)")

KNOWN_SCALES: tuple[tuple[int, int], ...] = ((1, 5), (1, 7), (0, 10), (1, 10), (0, 100))
"""The rating scales recognised from values, smallest first."""


@dataclass(frozen=True)
class Why:
    """Why a column is (or might be) a field: a message key (``evidence.*``) and the values it quotes,
    so the Data page says it in the reader's language; ``entry()`` keeps the English words under
    ``evidence`` (the mapping JSON and the CLI) beside the key."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def words(self, lang: str) -> str:
        return t(self.key, lang, **dict(self.values))

    def entry(self) -> dict:
        return {"evidence": self.words("en"), "evidence_key": self.key, "evidence_values": dict(self.values)}


def why(key: str, **values: object) -> Why:
    """A reason worded by the message ``evidence.<key>`` with ``values`` (quoted text kept as text)."""
    return Why(f"evidence.{key}", tuple((name, str(value)) for name, value in values.items()))


def evidence_words(entry: dict, lang: str) -> str:
    """A candidate's or mapped field's reason in ``lang`` (an older mapping file's English words as they are)."""
    key = entry.get("evidence_key")
    if key and has_message(key):
        return t(key, lang, **dict(entry.get("evidence_values") or {}))
    if entry.get("evidence") == "chosen by you":
        return t("evidence.chosen_by_you", lang)
    return str(entry.get("evidence") or "")


@dataclass(frozen=True)
class Candidate:
    """One column that is or might be a field, with the reason and a confidence in [0, 1]."""

    column: str
    question: str | None
    evidence: Why
    confidence: float

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(self.evidence.entry())
        return data


def _text(value: str | None) -> str:
    return normalise_text(value or "")


def recommend_evidence(header: str, question: str = "") -> tuple[float, Why] | None:
    """(confidence, evidence) when the header or question text is about recommending."""
    h, q = _text(header), _text(question)
    if _NPS_HEADER.search(h.replace("_", " ")) and _NPS_GROUP.lower() not in h:
        return 1.0, why("header_names_nps", header=header[:60])
    if _RECOMMEND.search(h):
        return 0.95, why("header_recommending", header=header[:60])
    if q and q != h and _RECOMMEND.search(q):
        return 0.9, why("question_recommending", question=question[:80])
    return None


def companion_group_of(columns: list[str], import_ids: dict[str, str]) -> dict[str, str]:
    """Column -> its ``*_NPS_GROUP`` companion column (Qualtrics adds one next to an NPS question)."""
    by_stem: dict[str, str] = {}
    for column in columns:
        for name in (column, import_ids.get(column, "")):
            upper = name.upper()
            if upper.endswith(_NPS_GROUP):
                by_stem[upper[: -len(_NPS_GROUP)]] = column
    out = {}
    for column in columns:
        for name in (column, import_ids.get(column, "")):
            stem = name.upper()
            if stem and stem in by_stem and by_stem[stem] != column:
                out[column] = by_stem[stem]
    return out


def stated_scale(*texts: str) -> tuple[int, int] | None:
    """A scale the header or question text states ("0-10", "1 to 5", "1〜7", "out of 10")."""
    for text in texts:
        t = _text(text)
        if not t:
            continue
        match = _STATED.search(t)
        if match:
            return int(match.group(1)), int(match.group(2))
        match = _OUT_OF.search(t)
        if match:
            return 1, int(match.group(1))
    return None


def scale_from_values(low: float | None, high: float | None) -> tuple[int, int] | None:
    """The smallest known scale holding every observed value (None when none fits).

    Values 1..5 read as 1-5, 0..7 as 0-10 (a 0 is only on 0-based scales), 1..9 as 1-10,
    8..60 as 0-100.
    """
    if low is None or high is None:
        return None
    for lo, hi in KNOWN_SCALES:
        if lo == 1 and low < 1:
            continue
        if low >= lo and high <= hi:
            return lo, hi
    return None


# A scale must hold at least this share of a column's answers: a stray 9 among 1-5 answers is
# an out-of-range answer (rejected with its reason), not evidence of a 1-10 scale.
SCALE_SHARE = 0.9


def scale_from_numbers(numbers) -> tuple[int, int] | None:
    """The smallest known scale holding at least 90% of the answers (all whole numbers)."""
    values = np.asarray(numbers, dtype="float64")
    values = values[np.isfinite(values)]
    if not len(values):
        return None
    whole = values == np.round(values)
    for lo, hi in KNOWN_SCALES:
        inside = int(np.count_nonzero(whole & (values >= lo) & (values <= hi)))
        if inside >= SCALE_SHARE * len(values):
            return lo, hi
    return None


def detect_scale(fitted: tuple[int, int] | None, header: str = "", question: str = "") -> tuple[int, int] | None:
    """The scale of a rating column: the one its text states ("0-10", "1 to 5") when the answers
    fit it, otherwise the smallest known scale holding 90% of its answers (``fitted``)."""
    stated = stated_scale(header, question)
    if stated and fitted and stated[0] <= fitted[0] and fitted[1] <= stated[1]:
        return stated
    if stated and fitted and stated == (0, 10) and fitted == (1, 10):
        return stated
    return fitted


def top2_threshold(scale: tuple[float, float]) -> float:
    """The lowest answer counted in the top-2 box: the top two points of the scale.

    On a 0-100 slider "two points" means nothing; the top tenth of the range (90 and above, the
    same span as 9-10 on 0-10) is used there.
    """
    lo, hi = float(scale[0]), float(scale[1])
    if hi - lo > 10:
        return hi - (hi - lo) / 10
    return hi - 1


# Agreement / frequency answers: a column of these is a Likert item, never a role.
_LIKERT = re.compile(
    r"agree|disagree|neutral|satisf|likely|important|never|always|often|sometimes|rarely|"
    r"そう思う|思わない|同意|満足|どちらとも|重要|あてはまる|当てはまる|d'accord|zustimm|de acuerdo"
)


def looks_like_likert(values) -> bool:
    """True when most distinct answers are agreement/frequency words ("Agree", "そう思う"...)."""
    distinct = [_text(v) for v in set(values) if _text(v)]
    if not distinct:
        return False
    hits = sum(1 for v in distinct if _LIKERT.search(v))
    return hits / len(distinct) >= 0.5


# Survey-tool and spreadsheet bookkeeping that holds small ordinal numbers: never a rating.
_ORDINAL_BOOKKEEPING = re.compile(
    r"(?:^|\s)(?:question|display|block|page|presentation|randomi[sz]ation|answer|loop)\s*order(?:\s|$)|"
    r"^order$|^(?:row|index|idx|no\.?|number|seq|sequence|#|n°)$|progress|duration|seconds|time taken|"
    r"latitude|longitude|順番|順序|表示順|^no$|^番号$|^連番$|所要時間|経過時間"
)


def is_ordinal_bookkeeping(header: str, question: str = "") -> bool:
    """True for question-order, progress, duration, row-number columns (never ratings or drivers)."""
    h = _text(header).replace("_", " ").strip()
    q = _text(question).replace("_", " ").strip()
    return bool(_ORDINAL_BOOKKEEPING.search(h) or (q and q != h and _ORDINAL_BOOKKEEPING.search(q)))


# A question that asks to put options in order: its answers are ranks, never ratings.
_RANKING = re.compile(
    r"\brank(?:ing)?\b|\border of (?:importance|preference)|順位|順番をつけ|順番を付け|並べ替え|ランク付け"
)
# Words a header uses for a score a person gives (a bare "Score" column is asked about, not refused).
_RATING_WORD = re.compile(r"(?<![a-z])(?:score|rating|rated|rate us|grade|stars?)(?![a-z])|評価|点数|スコア|満足")


def is_ranking_question(header: str, question: str = "") -> bool:
    """True when the header or question asks to rank options ("Please rank...", "順位をつけて")."""
    return bool(_RANKING.search(_text(header)) or (question and _RANKING.search(_text(question))))


def names_a_rating(header: str) -> bool:
    """True when a header names a score a person gives ("Score", "Rating", "評価", "満足度")."""
    return bool(_RATING_WORD.search(_text(header)))


def mapping_warnings(mapping) -> list[dict]:
    """``{code, message, columns}`` for every guess a person should confirm.

    - ``nps_not_found``: no column is about recommending; lists the 0-10 candidate columns.
    - ``nps_typed_not_recommend``: the survey tool types questions as NPS but their wording is not
      about recommending; the person chooses which, if any, is the NPS.
    - ``field_guessed``: a field was mapped from its values alone (no header or question says so).
    - ``rating_guessed``: numeric columns taken as ratings from their values alone.
    - ``rank_not_rating``: a ranking question's columns, left out of the ratings.
    """
    if mapping is None or mapping.kind != "survey":
        return []
    warnings: list[dict] = []
    typed = [c["column"] for c in mapping.candidates.get("nps", []) if c.get("nps_typed")]
    if not mapping.fields.get("nps") and not mapping.nps_declined and typed:
        warnings.append(
            {
                "code": "nps_typed_not_recommend",
                "message": (
                    "The survey tool marks these questions as NPS questions, but none of them asks about "
                    "recommending, so no NPS is shown: choose which one (if any) is your NPS on the Data page "
                    "(or with --mapping)."
                ),
                "columns": typed,
            }
        )
    elif not mapping.fields.get("nps") and not mapping.nps_declined:
        candidates = [c["column"] for c in mapping.candidates.get("nps", [])]
        if candidates:
            message = (
                "No question is about recommending, so no NPS is shown. These 0-10 columns could be the "
                "'likelihood to recommend' question: choose one on the Data page (or with --mapping), "
                "or confirm that the file has no NPS."
            )
        else:
            message = (
                "No NPS question was found (no column about recommending, no 0-10 column). Scores shown are "
                "the ones the file has; add a 0-10 'How likely are you to recommend us?' column to get NPS."
            )
        warnings.append({"code": "nps_not_found", "message": message, "columns": candidates})
    for name, info in sorted(mapping.evidence.items()):
        if info.get("guessed") and mapping.fields.get(name) == info.get("column"):
            warnings.append(
                {
                    "code": "field_guessed",
                    "message": (
                        f"'{info['column'][:60]}' was taken as {name} from its values alone ({info['evidence']}); "
                        "confirm it on the Data page."
                    ),
                    "columns": [info["column"]],
                }
            )
    driver_columns = {d["column"] for d in mapping.drivers}
    guessed = [c["column"] for c in mapping.candidates.get("rating_guess", []) if c["column"] in driver_columns]
    if guessed:
        warnings.append(
            {
                "code": "rating_guessed",
                "message": (
                    "These numeric columns were taken as ratings from their values alone (no question or header "
                    "says they are ratings); confirm or remove them on the Data page."
                ),
                "columns": guessed,
            }
        )
    ranked = [c["column"] for c in mapping.candidates.get("ranking", [])]
    if ranked:
        warnings.append(
            {
                "code": "rank_not_rating",
                "message": "These columns answer a ranking question: ranks are not ratings, so they are not scored.",
                "columns": ranked,
            }
        )
    return warnings


# An identifier's header ("Prolific ID", "participant_id", "Response hash", "Voucher code", "回答者ID").
_ID_HEADER = re.compile(
    r"(?:^|[^a-z])(?:id|ids|uuid|guid|hash|token|code|key|identifier|prolific|mturk|worker|participant|session)"
    r"(?:[^a-z]|$)|識別子|番号|ＩＤ|ID$"
)
# One token of letters and digits (hex ids, hashes, codes): "5f1a2b3c4d5e", "PX-2024-0017", "A1B2C3".
_ID_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-:.]{5,}$")


def looks_like_identifier(header: str, values: list[str]) -> bool:
    """True for a column of participant ids, hashes or codes: never an open question to theme.

    The values decide: most are one token of letters and digits with at least one digit (or the
    header names an id and most are one token), and almost all differ. A free answer has words.
    """
    filled = [v.strip() for v in values if v and v.strip()]
    if not filled:
        return False
    tokens = [v for v in filled if _ID_VALUE.match(v)]
    with_digit = [v for v in tokens if any(c.isdigit() for c in v)]
    distinct = len(set(filled)) / len(filled)
    named = bool(_ID_HEADER.search(normalise_text(header)) or _ID_HEADER.search(header))
    share = len(tokens if named else with_digit) / len(filled)
    return share >= 0.8 and distinct >= 0.9
