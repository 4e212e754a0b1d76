"""Column mapping: which source column is which canonical field, and which are driver ratings.

A mapping is suggested from header names and question text (English and Japanese) and from the
values; the person confirms or overrides it; it is saved and loaded as JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import MappingError
from ..schema import CRM_FIELDS, NEEDS, SCALES, SURVEY_FIELDS, Driver, make_driver, normalise_text
from .dimensions import readable_name
from .parse import RawTable
from .recognise import (
    Candidate,
    Why,
    companion_group_of,
    detect_scale,
    is_ordinal_bookkeeping,
    is_ranking_question,
    looks_like_identifier,
    looks_like_likert,
    names_a_rating,
    recommend_evidence,
    scale_from_numbers,
    stated_scale,
    why,
)
from .values import empty_mask, normalise_account_keys, parse_dates, parse_scores

# Synonyms matched against the normalised header (exact match scores higher than contains).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "response_id": (
        "response_id",
        "responseid",
        "response id",
        "respondent id",
        "respondent_id",
        "回答id",
        "回答番号",
        "recordid",
        "record id",
        "#",
        "token",
        "submission id",
        "id",
    ),
    "account_id": (
        "account_id",
        "accountid",
        "account id",
        "account",
        "customer id",
        "customer_id",
        "company id",
        "account number",
        "accountnumber",
        "external id",
        "取引先id",
        "取引先コード",
        "顧客id",
        "顧客コード",
        "企業id",
    ),
    "respondent_role": (
        "respondent_role",
        "role",
        "job role",
        "job title",
        "title",
        "position",
        "役職",
        "役割",
        "職種",
        "部署",
    ),
    "submitted_at": (
        "submitted_at",
        "submitted",
        "date",
        "response date",
        "enddate",
        "end date",
        "recordeddate",
        "timestamp",
        "submitted at",
        "submit date",
        "submit date (utc)",
        "タイムスタンプ",
        "回答日",
        "回答日時",
        "日付",
        # product and research exports: a column named after its type, or the row's creation time
        "datetime",
        "date time",
        "created_at",
        "created at",
        "日時",
    ),
    "nps": (
        "nps",
        "likelihood to recommend",
        "how likely are you to recommend",
        "recommend",
        "ltr",
        "おすすめ度",
        "推奨度",
        "推奨",
        "勧め",
        "薦め",
        "すすめ",
        "紹介したい",
    ),
    "csat": ("csat", "satisfaction", "overall satisfaction", "satisfied", "満足度", "満足"),
    "ces": ("ces", "effort", "customer effort", "easy to deal with", "ease", "how easy", "手間", "容易"),
    "comment": (
        "comment",
        "comments",
        "verbatim",
        "feedback",
        "why",
        "reason",
        "open",
        "text",
        "自由回答",
        "ご意見",
        "コメント",
        "理由",
        "ご要望",
        "感想",
        "improve",
        "anything else",
        "open-ended",
        "commentaire",
        "commentaires",
        "remarques",
        "kommentar",
        "anmerkungen",
        "comentario",
        "comentarios",
        "お聞かせ",
    ),
    "journey_stage": (
        "journey_stage",
        "journey stage",
        "stage",
        "lifecycle",
        "phase",
        "ジャーニー",
        "段階",
        "フェーズ",
    ),
    "touchpoint": ("touchpoint", "touch point", "interaction", "channel", "接点", "タッチポイント"),
    "survey_type": ("survey_type", "survey type", "survey", "調査種別", "アンケート種別"),
    "account_name": (
        "account_name",
        "account name",
        "company",
        "company name",
        "customer name",
        "name",
        "取引先名",
        "会社名",
        "企業名",
        "顧客名",
    ),
    "segment": ("segment", "customer segment", "tier", "size", "セグメント", "企業規模", "規模"),
    "industry": ("industry", "sector", "vertical", "業種", "業界"),
    "region": ("region", "area", "territory", "country", "地域", "エリア", "地方"),
    "arr": (
        "arr",
        "annual revenue",
        "annual recurring revenue",
        "revenue",
        "contract value",
        "acv",
        "年間契約額",
        "売上",
        "契約金額",
    ),
    "renewal_date": (
        "renewal_date",
        "renewal date",
        "renewal",
        "contract end",
        "contract end date",
        "更新日",
        "契約更新日",
        "契約終了日",
    ),
    "churned": ("churned", "churn", "lost", "is churned", "status churned", "解約", "離反"),
    "owner": ("owner", "account owner", "account manager", "am", "csm", "sales rep", "担当者", "担当営業", "営業担当"),
}

# CRM exports name the account id "Id" and the survey side "AccountId"; handled by kind below.
_CRM_EXTRA: dict[str, tuple[str, ...]] = {"account_id": ("id", "account id", "accountid", "account_id", "取引先id")}
# Account exports of Salesforce (Account), HubSpot (companies) and Dynamics 365 (account).
_CRM_EXTRA["account_id"] += ("guid", "record id", "(do not modify) account", "account guid", "company id")
_CRM_EXTRA.update(
    {
        "account_name": ("name", "company name", "account name"),
        "arr": ("annualrevenue", "annual revenue", "revenue"),
        "region": ("billingcountry", "billing country", "country/region", "address1 country", "country"),
        "segment": ("type", "account type", "customertypecode", "relationship type", "customer type"),
        "industry": ("industry", "industrycode"),
        "owner": ("ownerid", "owner", "company owner", "account owner", "ownerid name"),
    }
)


def _normalise_header(name: str) -> str:
    text = normalise_text(name)
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tags in Typeform/Google Forms headers
    text = text.replace("__c", "").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def _name_score(field_name: str, header: str, question: str, kind: str, import_id: str = "") -> float:
    return _name_evidence(field_name, header, question, kind, import_id)[0]


def _name_evidence(field_name: str, header: str, question: str, kind: str, import_id: str = "") -> tuple[float, Why]:
    """(score, evidence): how well the header, ImportId or question text names ``field_name``."""
    words = SYNONYMS.get(field_name, ())
    if kind == "crm" and field_name in _CRM_EXTRA:
        words = _CRM_EXTRA[field_name] + words
    h = _normalise_header(header)
    q = _normalise_header(question) if question and question != header else ""
    i = _normalise_header(import_id).replace(" ", "") if import_id else ""
    best, reason = 0.0, why("none")

    def hit(score: float, text: Why) -> None:
        nonlocal best, reason
        if score > best:
            best, reason = score, text

    for word in words:
        w = word.replace("_", " ")
        if h == w:
            hit(1.0, why("header_is", header=header[:60]))
        elif i and i == w.replace(" ", ""):
            hit(0.95, why("import_id_is", import_id=import_id[:40]))
        elif q and q == w:
            hit(0.9, why("question_is", question=question[:80]))
        elif (len(w) > 2 or not w.isascii()) and (
            re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", h) or (not w.isascii() and w in h)
        ):
            hit(0.7, why("header_contains", header=header[:60], word=word))
        elif q and len(w) > 3 and (re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", q) or (not w.isascii() and w in q)):
            hit(0.6, why("question_contains", question=question[:80], word=word))
        elif q and len(w) > 1 and not w.isascii() and w in q:
            hit(0.6, why("question_contains", question=question[:80], word=word))
    return best, reason


@dataclass
class Mapping:
    """Canonical field -> source column (or None), the driver ratings and their needs, and the
    extra grouping columns (``dimensions``: ``{column, name}``, e.g. 'Product line' or 'Plan__c').

    Survey mappings also carry what the person must be able to check: ``evidence`` (field ->
    ``{column, evidence, confidence, guessed}``), ``candidates`` (field -> list of
    ``{column, question, evidence, confidence}``), the ``scales`` of rating columns (column ->
    ``[low, high]``), every open-text ``questions`` (``{column, question}``), the key-driver
    ``outcome`` chosen (``"nps"``, ``"csat"``, ``"ces"`` or a driver column; None = automatic) and
    ``nps_declined`` (the person said the file has no NPS question).
    """

    kind: str  # "survey" or "crm"
    fields: dict[str, str | None]
    drivers: list[dict] = field(default_factory=list)  # {column, label, need, category, scale}
    dimensions: list[dict] = field(default_factory=list)  # {column, name}
    evidence: dict[str, dict] = field(default_factory=dict)
    candidates: dict[str, list[dict]] = field(default_factory=dict)
    scales: dict[str, list[float]] = field(default_factory=dict)
    questions: list[dict] = field(default_factory=list)  # {column, question}
    outcome: str | None = None
    nps_declined: bool = False

    def to_dict(self) -> dict:
        data: dict[str, Any] = {
            "kind": self.kind,
            "fields": dict(self.fields),
            "drivers": [dict(d) for d in self.drivers],
            "dimensions": [dict(d) for d in self.dimensions],
        }
        if self.kind == "survey":
            data |= {
                "evidence": {k: dict(v) for k, v in self.evidence.items()},
                "candidates": {k: [dict(c) for c in v] for k, v in self.candidates.items()},
                "scales": {k: list(v) for k, v in self.scales.items()},
                "questions": [dict(q) for q in self.questions],
                "outcome": self.outcome,
                "nps_declined": self.nps_declined,
            }
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: dict) -> Mapping:
        try:
            kind = data["kind"]
            names = SURVEY_FIELDS if kind == "survey" else CRM_FIELDS
            fields = {name: data.get("fields", {}).get(name) for name in names}
            scales = {str(k): _scale_pair(v) for k, v in (data.get("scales") or {}).items()} if kind == "survey" else {}
            drivers = []
            for d in data.get("drivers", []) if kind == "survey" else []:
                driver = make_driver(str(d.get("label") or d["column"]), need=d.get("need"))
                entry: dict[str, Any] = {
                    "column": str(d["column"]),
                    "label": driver.label,
                    "need": driver.need,
                    "category": driver.category,
                }
                scale = _scale_pair(d["scale"]) if d.get("scale") is not None else scales.get(entry["column"])
                if scale is not None:
                    entry["scale"] = scale
                    scales[entry["column"]] = scale
                drivers.append(entry)
            # mappings saved before extra dimensions existed have no "dimensions": none then
            dimensions = dimension_entries(data.get("dimensions") or [])
            if kind != "survey":
                return cls(kind=kind, fields=fields, drivers=drivers, dimensions=dimensions)
            # mappings saved before evidence, scales and questions existed have none: the comment
            # column, if any, is then the one open question
            questions = [
                {"column": str(q["column"]), "question": str(q.get("question") or q["column"])}
                for q in data.get("questions") or []
            ]
            if not questions and fields.get("comment"):
                questions = [{"column": fields["comment"], "question": fields["comment"]}]
            outcome = data.get("outcome")
            return cls(
                kind=kind,
                fields=fields,
                drivers=drivers,
                dimensions=dimensions,
                evidence={str(k): dict(v) for k, v in (data.get("evidence") or {}).items()},
                candidates={str(k): [dict(c) for c in v] for k, v in (data.get("candidates") or {}).items()},
                scales=scales,
                questions=questions,
                outcome=str(outcome) if outcome else None,
                nps_declined=bool(data.get("nps_declined", False)),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise MappingError("error.mapping_invalid_parts") from exc

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, TypeError) as exc:
            raise MappingError("error.mapping_not_json") from exc
        if not isinstance(data, dict):
            raise MappingError("error.mapping_invalid")
        return cls.from_dict(data)

    def check_against(self, columns: list[str]) -> None:
        """Raise :class:`MappingError` if a mapped column is not in ``columns``."""
        known = set(columns)
        missing = [c for c in self.fields.values() if c and c not in known]
        missing += [d["column"] for d in self.drivers if d["column"] not in known]
        missing += [d["column"] for d in self.dimensions if d["column"] not in known]
        missing += [q["column"] for q in self.questions if q["column"] not in known]
        if missing:
            raise MappingError("error.mapping_missing_columns", columns=", ".join(repr(m[:60]) for m in missing[:5]))

    def scale_of(self, column: str | None, default: tuple[float, float]) -> tuple[float, float]:
        """The scale of a rating column (detected or chosen), ``default`` when none is known."""
        scale = self.scales.get(column) if column else None
        return (float(scale[0]), float(scale[1])) if scale else (float(default[0]), float(default[1]))

    def set_nps(self, column: str | None) -> None:
        """The person's answer to "which column is NPS?": a column, or None for "no NPS in this file"."""
        if column is None:
            self.fields["nps"] = None
            self.nps_declined = True
            return
        self.fields["nps"] = column
        self.nps_declined = False
        self.scales[column] = [0, 10]
        self.drivers = [d for d in self.drivers if d["column"] != column]
        self.dimensions = [d for d in self.dimensions if d["column"] != column]
        self.evidence["nps"] = {"column": column, **why("chosen_by_you").entry(), "confidence": 1.0, "guessed": False}

    def driver_objects(self) -> list[Driver]:
        return [make_driver(d["label"], need=d["need"], scale=tuple(d.get("scale") or (1, 5))) for d in self.drivers]


def _scale_pair(value) -> list[float]:
    low, high = (float(v) for v in value)
    if not high > low:
        raise ValueError("empty scale")
    return [int(low) if low.is_integer() else low, int(high) if high.is_integer() else high]


def dimension_entries(items: list) -> list[dict]:
    """``[{column, name}]`` from a list of entries or bare column names (each column once).

    The name defaults to the column made readable; the final, collision-free name is decided when
    the data is validated (:func:`cx_core.ingest.dimensions.dimension_names`).
    """
    if not isinstance(items, list):
        raise TypeError("dimensions must be a list")
    entries: list[dict] = []
    seen: set[str] = set()
    for item in items:
        column = item if isinstance(item, str) else item["column"]
        if not isinstance(column, str):
            raise TypeError("a dimension column must be text")
        if column in seen:
            continue
        seen.add(column)
        wanted = item.get("name") if isinstance(item, dict) else None
        entries.append({"column": column, "name": readable_name(wanted if isinstance(wanted, str) else column)})
    return entries


def load_mapping_file(text: str) -> dict[str, Mapping]:
    """Load a mapping JSON holding one mapping or ``{"survey": {...}, "crm": {...}}``."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError) as exc:
        raise MappingError("error.mapping_not_json") from exc
    if isinstance(data, dict) and "kind" in data:
        mapping = Mapping.from_dict(data)
        return {mapping.kind: mapping}
    if isinstance(data, dict):
        return {
            k: Mapping.from_dict({**v, "kind": k})
            for k, v in data.items()
            if k in ("survey", "crm") and isinstance(v, dict)
        }
    raise MappingError("error.mapping_invalid")


# Survey-tool bookkeeping columns: never a score, a driver or a comment.
_METADATA = frozenset(
    {
        "startdate",
        "enddate",
        "status",
        "ipaddress",
        "ip address",
        "progress",
        "duration (in seconds)",
        "finished",
        "recipientlastname",
        "recipientfirstname",
        "recipientemail",
        "externalreference",
        "externaldatareference",
        "locationlatitude",
        "locationlongitude",
        "distributionchannel",
        "userlanguage",
        "q recaptchascore",
        "q relevantidduplicate",
        "q relevantidduplicatescore",
        "q relevantidfraudscore",
        "q relevantidlaststartdate",
        "collector id",
        "email address",
        "first name",
        "last name",
        "network id",
        "start date (utc)",
        "submit date (utc)",
        "custom data 1",
    }
)


def is_companion_column(column: str, import_id: str = "") -> bool:
    """True for columns a survey tool adds next to a question (``Q7_NPS_GROUP``, display order...)."""
    text = f"{column} {import_id}".upper()
    return "_NPS_GROUP" in text or "_DO_" in text or text.endswith(("_DO", "_CLICK COUNT"))


def _is_bookkeeping(table: RawTable, column: str) -> bool:
    if is_companion_column(column, table.import_ids.get(column, "")):
        return True
    return _normalise_header(column) in _METADATA


@dataclass(frozen=True)
class ValueProfile:
    """What a column's values look like (computed on a sample of its non-empty cells)."""

    numeric_share: float
    low: float | None
    high: float | None
    distinct: int
    text_share: float  # share of cells with letters and no number, i.e. free text
    mean_length: float
    median: float | None = None
    scale: tuple[int, int] | None = None  # the smallest known scale holding 90% of the answers


def value_profile(values: pd.Series, sample: int = 2000) -> ValueProfile:
    """Profile a column from up to ``sample`` non-empty cells."""
    texts = values.head(sample * 4).astype(str).str.strip()
    texts = texts[texts.ne("") & ~empty_mask(texts)].head(sample)
    if texts.empty:
        return ValueProfile(0.0, None, None, 0, 0.0, 0.0)
    parsed = parse_scores(texts)
    numbers = parsed.dropna()
    share = len(numbers) / len(texts)
    lengths = texts.str.len()
    wordy = texts.str.contains(r"[^\W\d_]", regex=True) & parsed.isna()
    return ValueProfile(
        numeric_share=share,
        low=float(numbers.min()) if len(numbers) else None,
        high=float(numbers.max()) if len(numbers) else None,
        distinct=int(texts.nunique()),
        text_share=float(wordy.mean()),
        mean_length=float(lengths.mean()),
        median=float(numbers.median()) if len(numbers) else None,
        scale=scale_from_numbers(numbers.to_numpy()) if len(numbers) else None,
    )


def _numeric_profile(values: pd.Series) -> tuple[float, float | None, float | None]:
    """Share of non-empty values that parse as scores, and their min/max."""
    p = value_profile(values, 500)
    return p.numeric_share, p.low, p.high


def _fits_scale(p: ValueProfile, low: float, high: float, *, min_share: float = 0.8) -> bool:
    return p.numeric_share >= min_share and p.low is not None and p.low >= low and p.high is not None and p.high <= high


def suggest_mapping(table: RawTable, kind: str) -> Mapping:
    """Suggest a mapping for ``table`` (kind ``"survey"`` or ``"crm"``), with its evidence.

    Header names, question text and Qualtrics ImportIds are matched against English and Japanese
    synonyms. NPS is mapped only when the header or question is about recommending (several
    languages) or a ``*_NPS_GROUP`` companion column says so; a bare 0-10 column is a *candidate*.
    Other fields may be taken from their values (a lone 1-5 column as CSAT, the most answered
    free text as the comment) but are then flagged as guesses. Every open-text column is kept as a
    question; numeric rating columns become drivers with their detected scale.
    """
    if kind != "survey":
        return _suggest_crm(table)
    return _suggest_survey(table)


def _profiles(table: RawTable):
    profiles: dict[str, ValueProfile] = {}

    def profile(column: str) -> ValueProfile:
        if column not in profiles:
            profiles[column] = value_profile(table.frame[column])
        return profiles[column]

    return profile


def _suggest_crm(table: RawTable) -> Mapping:
    columns = list(table.frame.columns)
    position = {c: i for i, c in enumerate(columns)}
    scored: list[tuple[float, str, str]] = []
    for column in columns:
        question = table.questions.get(column, "")
        import_id = table.import_ids.get(column, "")
        for name in CRM_FIELDS:
            s = _name_score(name, column, question, "crm", import_id)
            if s > 0:
                scored.append((s, name, column))
    scored.sort(key=lambda t: (-t[0], position[t[2]]))
    fields: dict[str, str | None] = {name: None for name in CRM_FIELDS}
    used: set[str] = set()
    for _score, name, column in scored:
        if fields[name] is not None or column in used:
            continue
        if _is_bookkeeping(table, column):
            continue
        fields[name] = column
        used.add(column)
    profile = _profiles(table)
    return Mapping(kind="crm", fields=fields, dimensions=suggest_dimensions(table, used, profile))


def _answers(table: RawTable, column: str) -> int:
    values = table.frame[column]
    return int((~empty_mask(values)).sum())


def _all_distinct(table: RawTable, column: str, p: ValueProfile) -> bool:
    """Every answer different (and more than a handful): an id or a running number, not a rating."""
    answered = min(_answers(table, column), 2000)
    return answered > 12 and p.distinct >= answered


def _is_rating(table: RawTable, column: str, p: ValueProfile) -> tuple[int, int] | None:
    """The scale of a numeric rating column (None when the column is not a rating)."""
    question = table.questions.get(column, "")
    if _is_bookkeeping(table, column) or is_ordinal_bookkeeping(column, question):
        return None
    if p.numeric_share < 0.8 or p.low is None or p.high is None or not p.high > p.low or p.distinct < 3:
        return None
    if _all_distinct(table, column, p) or _is_comment_header(column, question):
        return None
    scale = detect_scale(p.scale, column, question)
    if scale is None or (scale == (0, 100) and stated_scale(column, question) != (0, 100)):
        return None  # 0-100 only when the text says so (an age or a count is not a rating)
    return scale


def _has_wording(column: str, question: str) -> bool:
    """True when a question has words of its own (not just a code such as 'Q3' or 'QID3')."""
    text = (question or "").strip()
    if not text or text == column.strip():
        return False
    return not re.fullmatch(r"(?i)q(?:id)?\s*\d+[a-z0-9_ .-]*", text)


def _asked_as_rating(table: RawTable, column: str) -> bool:
    """True when a text says the column is a rating: the survey tool's question for it, a header
    that is itself a question (ends with '?', or long), a header naming a score, or an aspect of
    the driver catalogue (quality, price, delivery...). A 'Flood level' of 1-5 is none of these."""
    question = table.questions.get(column, "")
    if _has_wording(column, question):
        return True
    label = table.labels.get(column) or column
    if re.search(r"[?？]\s*$", column) or len(column) >= 40 or names_a_rating(column):
        return True
    if re.fullmatch(r"(?i)q(?:id)?\s*\d+[a-z0-9_ .-]*", column.strip()):
        return True  # a survey tool's question code ("Q1", "QID3_2"): a question, its values decide
    return make_driver(label, question).need != "other" or looks_like_likert([column])


def _ranking_columns(table: RawTable, columns: list[str], profile) -> list[str]:
    """Columns that answer a ranking question: named so ("Please rank...", "順位"), or a block of
    columns of one question where each respondent gives every rank 1..k once."""
    out: list[str] = []
    by_question: dict[str, list[str]] = {}
    for column in columns:
        question = table.questions.get(column, "")
        if is_ranking_question(column, question):
            out.append(column)
        elif question and question != column:
            by_question.setdefault(question, []).append(column)
    for block in by_question.values():
        if len(block) < 3 or any(profile(c).numeric_share < 0.8 for c in block):
            continue
        numbers = table.frame[block].head(2000).apply(pd.to_numeric, errors="coerce")
        complete = numbers.dropna()
        if len(complete) < 3:
            continue
        k = len(block)
        ranks = complete.to_numpy()
        permutations = ((ranks.min(axis=1) == 1) & (ranks.max(axis=1) == k)) & (
            pd.DataFrame(ranks).nunique(axis=1).to_numpy() == k
        )
        if permutations.mean() >= 0.9:
            out.extend(block)
    return out


def _is_comment_header(column: str, question: str) -> bool:
    return max(_name_score("comment", column, question, "survey"), 0.0) >= 0.6


def _suggest_survey(table: RawTable) -> Mapping:
    columns = list(table.frame.columns)
    position = {c: i for i, c in enumerate(columns)}
    profile = _profiles(table)
    questions_of = table.questions
    fields: dict[str, str | None] = {name: None for name in SURVEY_FIELDS}
    evidence: dict[str, dict] = {}
    candidates: dict[str, list[Candidate]] = {name: [] for name in SURVEY_FIELDS}
    scales: dict[str, list[float]] = {}
    used: set[str] = set()
    extra: dict[str, list[dict]] = {"rating_guess": [], "ranking": []}

    def take(name: str, column: str, reason: Why | dict, confidence: float, guessed: bool = False) -> None:
        fields[name] = column
        used.add(column)
        words = (
            reason.entry() if isinstance(reason, Why) else {k: v for k, v in reason.items() if k.startswith("evidence")}
        )
        evidence[name] = {"column": column, **words, "confidence": round(confidence, 2), "guessed": guessed}

    # 1. NPS: only text (or a companion group column) maps it; 0-10 values alone make a candidate
    companions = companion_group_of(columns, table.import_ids)
    nps_found: list[dict] = []
    for column in columns:
        question = questions_of.get(column, "")
        if is_companion_column(column, table.import_ids.get(column, "")) or _is_bookkeeping(table, column):
            continue
        if is_ordinal_bookkeeping(column, question):
            continue
        p = profile(column)
        if p.numeric_share < 0.5 or p.median is None or not 0 <= p.median <= 10:
            continue
        said = recommend_evidence(column, question)
        nps_typed = column in companions
        if nps_typed and said is None and _has_wording(column, question):
            # the tool's NPS question type says nothing about what was asked: its wording does
            # (a 0-10 "NPS" question about trust or error frequency is not a recommendation)
            said = (
                0.6,
                why("nps_typed_not_recommend", companion=companions[column][:60], wording=(question or column)[:80]),
            )
        elif nps_typed and said is None:
            said = (0.95, why("nps_companion", companion=companions[column][:60]))
        stated = stated_scale(column, question)
        if said and (p.high > 5 or stated in ((0, 10), (1, 10)) or _answers(table, column) < 20):
            entry = Candidate(column, question or None, said[1], said[0]).to_dict()
            if nps_typed:
                entry["nps_typed"] = True
            nps_found.append(entry)
        elif (
            _fits_scale(p, 0, 10, min_share=0.9)
            and (p.high >= 8 or stated == (0, 10))
            and p.distinct >= 3
            and not _all_distinct(table, column, p)
        ):
            reason = why("zero_to_ten_unnamed", low=f"{p.low:g}", high=f"{p.high:g}")
            nps_found.append(Candidate(column, question or None, reason, 0.3).to_dict())
    nps_found.sort(key=lambda c: (-c["confidence"], position[c["column"]]))
    if nps_found and nps_found[0]["confidence"] >= 0.9:
        best = nps_found[0]
        take("nps", best["column"], best, best["confidence"])
        scales[best["column"]] = [0, 10]

    # 2. the other fields from header and question text, best scores first
    scored: list[tuple[float, str, str, Why]] = []
    for column in columns:
        if column in used or is_companion_column(column, table.import_ids.get(column, "")):
            continue
        question = questions_of.get(column, "")
        import_id = table.import_ids.get(column, "")
        for name in SURVEY_FIELDS:
            if name == "nps":
                continue
            score, reason = _name_evidence(name, column, question, "survey", import_id)
            if score > 0:
                scored.append((score, name, column, reason))
    scored.sort(key=lambda t: (-t[0], position[t[2]]))
    for score, name, column, reason in scored:
        if column in used and fields[name] != column:
            continue
        if _is_bookkeeping(table, column) and name != "submitted_at":
            continue
        p = profile(column)
        if name in SCALES:
            # the header says it is this score: mostly numbers on a rating scale is enough
            # (out-of-range cells are then rejected row by row, with their reason)
            if (
                p.numeric_share < 0.5
                or p.median is None
                or detect_scale(p.scale, column, questions_of.get(column, "")) is None
            ):
                continue
            if is_ordinal_bookkeeping(column, questions_of.get(column, "")):
                continue
        if name == "comment" and p.numeric_share > 0.5:
            continue
        if name in ("response_id", "account_id") and score < 1.0 and _is_rating(table, column, p) is not None:
            # "Account manager understands our business" (1-5) is a rating, not an account id; a header
            # that is an id's own name ("id", "Response ID") stays the id, whatever its few values look like
            continue
        if name in ("respondent_role", "journey_stage", "touchpoint", "survey_type") and _NOT_A_GROUPING.search(
            _normalise_header(column)
        ):
            continue  # "Survey ID", "Role id": identifiers, not groups
        if name == "respondent_role":
            # a role column holds a few categorical values, not agreement answers or numbers
            sample = table.frame[column].head(2000)
            if p.numeric_share >= 0.5 or not 1 <= p.distinct <= 50 or looks_like_likert(sample):
                continue
            if not _names_roles(sample):
                continue  # 会社員 / 学生 / 主婦: an occupation, kept as a grouping, never all "Other"
        candidates[name].append(Candidate(column, questions_of.get(column) or None, reason, round(score, 2)))
        if fields[name] is None and column not in used:
            take(name, column, reason, score)
    for name in ("csat", "ces"):
        column = fields[name]
        if column:
            p = profile(column)
            scale = detect_scale(p.scale, column, questions_of.get(column, "")) or SCALES[name]
            scales[column] = list(scale)

    # 3. values: a lone stand-alone 1-5 column reads as overall satisfaction (flagged as a guess)
    free = [c for c in columns if c not in used and not _is_bookkeeping(table, c)]
    if fields["csat"] is None and fields["nps"] is None:  # next to an NPS a lone 1-5 item is a driver
        lone = [
            c
            for c in free
            if c not in table.labels
            and not is_ordinal_bookkeeping(c, questions_of.get(c, ""))
            and _fits_scale(profile(c), 1, 5, min_share=0.9)
            and profile(c).high == 5
            and profile(c).distinct >= 3
            and not _all_distinct(table, c, profile(c))
        ]
        if len(lone) == 1:
            reason = why("lone_rating")
            candidates["csat"].append(Candidate(lone[0], questions_of.get(lone[0]) or None, reason, 0.5))
            take("csat", lone[0], reason, 0.5, guessed=True)
            scales[lone[0]] = [1, 5]

    # 4. every open-text column is a question; the comment is the named one or the most answered
    free = [c for c in columns if c not in used and not _is_bookkeeping(table, c)]
    n_rows = min(len(table.frame), 2000)
    questions: list[dict] = []
    if fields["comment"]:
        questions.append({"column": fields["comment"], "question": _question_label(table, fields["comment"])})
    for column in free:
        p = profile(column)
        question = questions_of.get(column, "")
        named = _is_comment_header(column, question)
        if p.text_share < 0.5 or p.numeric_share > 0.5 or not _is_open_text(table, column, question, p, named):
            continue
        if not named and (p.mean_length < 12 or p.distinct < max(2, 0.3 * n_rows**0.5)):
            continue
        questions.append({"column": column, "question": _question_label(table, column)})
    if fields["comment"] is None and questions:
        most_answered = max(questions, key=lambda q: (_answers(table, q["column"]), -position[q["column"]]))
        column = most_answered["column"]
        named = _is_comment_header(column, questions_of.get(column, ""))
        reason = (
            why("comment_named", answers=_answers(table, column))
            if named
            else why("comment_most_answered", answers=_answers(table, column), columns=len(questions))
        )
        candidates["comment"].extend(
            Candidate(q["column"], questions_of.get(q["column"]) or None, why("free_text"), 0.5) for q in questions
        )
        take("comment", column, reason, 0.7 if named else 0.5, guessed=not named)
    used |= {q["column"] for q in questions}

    # 5. the remaining numeric ratings are drivers, each with its scale; a ranking question's
    # columns are ranks, not ratings; a rating no text calls one is flagged as a guess
    ranked = [
        c
        for c in _ranking_columns(table, [c for c in columns if c not in used], profile)
        if _is_rating(table, c, profile(c)) is not None  # only ranks that would otherwise read as ratings
    ]
    for column in ranked:
        extra["ranking"].append(Candidate(column, questions_of.get(column) or None, why("ranking"), 0.9).to_dict())
    used |= set(ranked)
    drivers: list[dict] = []
    for column in columns:
        if column in used:
            continue
        p = profile(column)
        rating_scale = _is_rating(table, column, p)
        if rating_scale is None:
            continue
        if not _asked_as_rating(table, column):
            reason = why("rating_unnamed", low=f"{p.low:g}", high=f"{p.high:g}")
            extra["rating_guess"].append(Candidate(column, questions_of.get(column) or None, reason, 0.3).to_dict())
        label = table.labels.get(column) or column
        driver = make_driver(label, questions_of.get(column, ""))
        drivers.append(
            {
                "column": column,
                "label": label,
                "need": driver.need,
                "category": driver.category,
                "scale": list(rating_scale),
            }
        )
        scales[column] = list(rating_scale)
    used |= {d["column"] for d in drivers}
    return Mapping(
        kind="survey",
        fields=fields,
        drivers=drivers,
        dimensions=suggest_dimensions(table, used, profile),
        evidence=evidence,
        candidates={
            **{k: [c.to_dict() for c in v[:8]] for k, v in candidates.items() if v and k != "nps"},
            **({"nps": nps_found[:8]} if nps_found else {}),
            **{k: v for k, v in extra.items() if v},
        },
        scales=scales,
        questions=questions,
    )


# Personal data and links: free text, but never an opinion to analyse.
_NOT_AN_OPINION = re.compile(
    r"\b(?:contact|e-?mail|phone|mobile number|telephone|address|url|link|user ?agent|signature)\b|"
    r"氏名|名前|お名前|メール|電話|住所|連絡先"
)
_LINK_OR_MAIL = re.compile(r"^(?:https?://|www\.)|^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


def _is_open_text(table: RawTable, column: str, question: str, p: ValueProfile, named: bool = False) -> bool:
    """Free answers, not personal data, links, single choices or multiple-choice lists."""
    if _NOT_AN_OPINION.search(_normalise_header(column)) or (
        question and _NOT_AN_OPINION.search(_normalise_header(question))
    ):
        return False
    sample = table.frame[column].head(2000)
    filled = sample[~empty_mask(sample)].astype(str).str.strip()
    if filled.empty:
        return False
    if filled.str.match(_LINK_OR_MAIL).mean() >= 0.5:
        return False
    if looks_like_identifier(column, filled.tolist()):
        return False  # participant ids, hashes, codes: one token each, all different
    if not named and p.distinct <= 12 and p.distinct < 0.5 * len(filled):
        return False  # answers repeat: a choice, not free text
    parts = filled.str.split(r"\s*[;,]\s*")
    multi = parts.str.len() >= 2
    items = [part.lower() for row in parts for part in row if part]
    # "A; B; C" whose parts keep coming back: options of a multiple-choice (or ranking) question
    return not (multi.mean() >= 0.5 and len(set(items)) <= 0.3 * len(items))


# Share of answers that must name a buyer role (executive, procurement, engineer, admin).
_MIN_ROLE_SHARE = 0.2


def _names_roles(values: pd.Series) -> bool:
    """True when enough answers read as B2B roles; a column where every answer would be "Other"
    drew a one-bar "NPS by role" chart and hid its own values."""
    from ..roles import normalise_role

    filled = values[~empty_mask(values)].astype(str)
    if filled.empty:
        return False
    distinct = filled.value_counts()
    known = sum(int(count) for value, count in distinct.items() if normalise_role(value) != "other")
    return known >= _MIN_ROLE_SHARE * len(filled)


def _question_label(table: RawTable, column: str) -> str:
    """The words people see for an open question: its question text, else its header."""
    text = table.questions.get(column) or table.labels.get(column) or column
    return " ".join(str(text).split())[:200]


# At most this many distinct values for a column to be suggested as a grouping dimension.
MAX_SUGGESTED_LEVELS = 30
# Headers that name identifiers or personal data, never a grouping.
_NOT_A_GROUPING = re.compile(
    r"(?:^|[\s_-])(?:ids?|uuid|guid|e-?mail|email address|mail|url|link|ip|ip address|phone|tel|token|"
    r"name|first name|last name|full name|contact|address|zip|postcode|postal code|"
    r"氏名|名前|メール|メールアドレス|電話|電話番号|住所|郵便番号)$"
)
_DATE_LIKE_SHARE = 0.5
# Values like ACC-001, R100001 or 12345 are codes of things (accounts, orders), not groups.
_CODE_VALUE = re.compile(r"[a-z]{0,6}[-_ ]?\d{2,}")


def _looks_like_grouping(table: RawTable, column: str, p: ValueProfile) -> bool:
    if _is_bookkeeping(table, column) or _NOT_A_GROUPING.search(_normalise_header(column)):
        return False
    question = table.questions.get(column, "")
    # an "anything else?" answer is a comment, never a grouping; a question order is bookkeeping
    if _is_comment_header(column, question) or is_ordinal_bookkeeping(column, question):
        return False
    if not 2 <= p.distinct <= MAX_SUGGESTED_LEVELS or p.numeric_share >= 0.5 or p.mean_length > 40:
        return False
    sample = table.frame[column].head(2000)
    filled = sample[~empty_mask(sample)]
    if p.distinct > max(2, len(filled) // 2):  # values must repeat: otherwise an id or free text
        return False
    if looks_like_likert(filled):
        # "Somewhat agree" / "Often" answers rate something: grouping by each of forty such items
        # is no segmentation (and counting their values all at once exhausted a session's memory)
        return False
    codes = filled.astype(str).map(lambda v: bool(_CODE_VALUE.fullmatch(normalise_text(v))))
    if len(filled) and codes.mean() >= 0.8:
        return False
    return parse_dates(filled).notna().mean() < _DATE_LIKE_SHARE


def suggest_dimensions(table: RawTable, used: set[str], profile=None) -> list[dict]:
    """Extra grouping columns: short, repeating text values in columns not mapped to anything.

    'Country', 'Product line', 'Plan__c' or 'プラン' qualify; identifiers, free text, dates,
    numbers, rating items ("Strongly agree", "そう思う") and survey-tool bookkeeping (Status,
    Finished, Progress, IP address...) do not.
    """
    profile = profile or (lambda column: value_profile(table.frame[column]))
    return [
        {"column": column, "name": readable_name(table.labels.get(column) or column)}
        for column in table.frame.columns
        if column not in used and _looks_like_grouping(table, column, profile(column))
    ]


def suggest_account_column(table: RawTable, mapping: Mapping, crm_keys: set[str], min_share: float = 0.5) -> str | None:
    """The survey column whose values join best to the CRM's account ids (None if none does).

    Used when no header says "account id": a column most of whose normalised values are account
    ids of the CRM file is the account id, whatever it is called.
    """
    if not crm_keys:
        return None
    used = {c for c in mapping.fields.values() if c} | {d["column"] for d in mapping.drivers}
    best, best_share = None, min_share
    for column in table.frame.columns:
        if column in used:
            continue
        keys = normalise_account_keys(table.frame[column].head(5000)).dropna()
        if keys.empty:
            continue
        share = float(keys.isin(crm_keys).mean())
        if share > best_share:
            best, best_share = column, share
    return best


def set_driver_need(mapping: Mapping, column: str, need: str) -> None:
    """Change the need of one driver (used by the driver catalogue editor)."""
    if need not in NEEDS:
        raise MappingError("error.unknown_need", need=need)
    for d in mapping.drivers:
        if d["column"] == column:
            d.update(make_driver(d["label"], need=need).to_dict() | {"column": column, "label": d["label"]})
            d.pop("key", None)
            d.pop("scale_min", None)
            d.pop("scale_max", None)
            return
    raise MappingError("error.not_a_driver_column", column=column[:60])
