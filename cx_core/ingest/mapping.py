"""Column mapping: which source column is which canonical field, and which are driver ratings.

A mapping is suggested from header names and question text (English and Japanese) and from the
values; the person confirms or overrides it; it is saved and loaded as JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pandas as pd

from ..errors import MappingError
from ..schema import CRM_FIELDS, NEEDS, SCALES, SURVEY_FIELDS, Driver, make_driver, normalise_text
from .dimensions import readable_name
from .parse import RawTable
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
    words = SYNONYMS.get(field_name, ())
    if kind == "crm" and field_name in _CRM_EXTRA:
        words = _CRM_EXTRA[field_name] + words
    h = _normalise_header(header)
    q = _normalise_header(question) if question and question != header else ""
    i = _normalise_header(import_id).replace(" ", "") if import_id else ""
    best = 0.0
    for word in words:
        w = word.replace("_", " ")
        if h == w:
            best = max(best, 1.0)
        elif i and i == w.replace(" ", ""):
            best = max(best, 0.95)
        elif q and q == w:
            best = max(best, 0.9)
        elif len(w) > 2 and (re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", h) or (not w.isascii() and w in h)):
            best = max(best, 0.7)
        elif q and len(w) > 3 and (re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", q) or (not w.isascii() and w in q)):
            best = max(best, 0.6)
        elif q and len(w) > 1 and not w.isascii() and w in q:
            best = max(best, 0.6)
    return best


@dataclass
class Mapping:
    """Canonical field -> source column (or None), the driver ratings and their needs, and the
    extra grouping columns (``dimensions``: ``{column, name}``, e.g. 'Product line' or 'Plan__c')."""

    kind: str  # "survey" or "crm"
    fields: dict[str, str | None]
    drivers: list[dict] = field(default_factory=list)  # {column, label, need, category}
    dimensions: list[dict] = field(default_factory=list)  # {column, name}

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "fields": dict(self.fields),
            "drivers": [dict(d) for d in self.drivers],
            "dimensions": [dict(d) for d in self.dimensions],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: dict) -> Mapping:
        try:
            kind = data["kind"]
            names = SURVEY_FIELDS if kind == "survey" else CRM_FIELDS
            fields = {name: data.get("fields", {}).get(name) for name in names}
            drivers = []
            for d in data.get("drivers", []) if kind == "survey" else []:
                driver = make_driver(str(d.get("label") or d["column"]), need=d.get("need"))
                drivers.append(
                    {
                        "column": str(d["column"]),
                        "label": driver.label,
                        "need": driver.need,
                        "category": driver.category,
                    }
                )
            # mappings saved before extra dimensions existed have no "dimensions": none then
            dimensions = dimension_entries(data.get("dimensions") or [])
            return cls(kind=kind, fields=fields, drivers=drivers, dimensions=dimensions)
        except (KeyError, TypeError, AttributeError) as exc:
            raise MappingError("The mapping file is not a valid mapping (expected kind, fields and drivers).") from exc

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, TypeError) as exc:
            raise MappingError("The mapping file is not valid JSON.") from exc
        if not isinstance(data, dict):
            raise MappingError("The mapping file is not a valid mapping.")
        return cls.from_dict(data)

    def check_against(self, columns: list[str]) -> None:
        """Raise :class:`MappingError` if a mapped column is not in ``columns``."""
        known = set(columns)
        missing = [c for c in self.fields.values() if c and c not in known]
        missing += [d["column"] for d in self.drivers if d["column"] not in known]
        missing += [d["column"] for d in self.dimensions if d["column"] not in known]
        if missing:
            raise MappingError(
                "The mapping names column(s) not in the file: " + ", ".join(repr(m[:60]) for m in missing[:5])
            )

    def driver_objects(self) -> list[Driver]:
        return [make_driver(d["label"], need=d["need"]) for d in self.drivers]


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
        raise MappingError("The mapping file is not valid JSON.") from exc
    if isinstance(data, dict) and "kind" in data:
        mapping = Mapping.from_dict(data)
        return {mapping.kind: mapping}
    if isinstance(data, dict):
        return {
            k: Mapping.from_dict({**v, "kind": k})
            for k, v in data.items()
            if k in ("survey", "crm") and isinstance(v, dict)
        }
    raise MappingError("The mapping file is not a valid mapping.")


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
    )


def _numeric_profile(values: pd.Series) -> tuple[float, float | None, float | None]:
    """Share of non-empty values that parse as scores, and their min/max."""
    p = value_profile(values, 500)
    return p.numeric_share, p.low, p.high


def _fits_scale(p: ValueProfile, low: float, high: float, *, min_share: float = 0.8) -> bool:
    return p.numeric_share >= min_share and p.low is not None and p.low >= low and p.high is not None and p.high <= high


def suggest_mapping(table: RawTable, kind: str) -> Mapping:
    """Suggest a mapping for ``table`` (kind ``"survey"`` or ``"crm"``).

    Header names, question text and Qualtrics ImportIds are matched against English and Japanese
    synonyms first; then the values decide: a 0-10 column suggests NPS, a lone 1-5 column CSAT,
    long free text a comment; other small-scale numeric columns become driver ratings.
    """
    names = SURVEY_FIELDS if kind == "survey" else CRM_FIELDS
    columns = list(table.frame.columns)
    position = {c: i for i, c in enumerate(columns)}
    profiles: dict[str, ValueProfile] = {}

    def profile(column: str) -> ValueProfile:
        if column not in profiles:
            profiles[column] = value_profile(table.frame[column])
        return profiles[column]

    scored: list[tuple[float, str, str]] = []
    for column in columns:
        if kind == "survey" and is_companion_column(column, table.import_ids.get(column, "")):
            continue
        question = table.questions.get(column, "")
        import_id = table.import_ids.get(column, "")
        for name in names:
            s = _name_score(name, column, question, kind, import_id)
            if s > 0:
                scored.append((s, name, column))
    # greedy assignment, best scores first; each field and column used once
    scored.sort(key=lambda t: (-t[0], position[t[2]]))
    fields: dict[str, str | None] = {name: None for name in names}
    used: set[str] = set()
    for _score, name, column in scored:
        if fields[name] is not None or column in used:
            continue
        if name in SCALES:
            # the header says it is this score: mostly numbers on roughly this scale is enough
            # (out-of-range cells are then rejected row by row, with their reason)
            lo, hi = SCALES[name]
            p = profile(column)
            if p.numeric_share < 0.5 or p.median is None or not lo <= p.median <= hi:
                continue
        if _is_bookkeeping(table, column) and name != "submitted_at":
            continue
        if name == "comment" and kind == "survey":
            p = profile(column)
            if p.numeric_share > 0.5:
                continue
        fields[name] = column
        used.add(column)
    drivers: list[dict] = []
    if kind == "survey":
        free = [c for c in columns if c not in used and not _is_bookkeeping(table, c)]
        if fields["nps"] is None:
            # values 0-10 with the top of the scale used suggest the likelihood-to-recommend question
            for column in free:
                p = profile(column)
                if _fits_scale(p, 0, 10, min_share=0.9) and p.high == 10 and p.low <= 6 and column not in table.labels:
                    fields["nps"] = column
                    used.add(column)
                    break
        free = [c for c in free if c not in used]
        if fields["csat"] is None:
            # a single stand-alone 1-5 column (not part of a matrix) reads as overall satisfaction
            lone = [c for c in free if c not in table.labels and _fits_scale(profile(c), 1, 5, min_share=0.9)]
            lone = [c for c in lone if profile(c).high == 5 and profile(c).distinct >= 3]
            if len(lone) == 1:
                fields["csat"] = lone[0]
                used.add(lone[0])
        free = [c for c in free if c not in used]
        if fields["comment"] is None:
            texts = [c for c in free if profile(c).text_share >= 0.7 and profile(c).mean_length >= 12]
            texts = [c for c in texts if profile(c).distinct >= max(2, 0.3 * min(len(table.frame), 2000) ** 0.5)]
            if texts:
                best = max(texts, key=lambda c: profile(c).mean_length)
                fields["comment"] = best
                used.add(best)
        for column in columns:
            if column in used or _is_bookkeeping(table, column):
                continue
            p = profile(column)
            if _fits_scale(p, 0, 10) and p.high > p.low and p.distinct >= 3:
                label = table.labels.get(column) or column
                driver = make_driver(label, table.questions.get(column, ""))
                drivers.append({"column": column, "label": label, "need": driver.need, "category": driver.category})
    used |= {d["column"] for d in drivers}
    return Mapping(kind=kind, fields=fields, drivers=drivers, dimensions=suggest_dimensions(table, used, profile))


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
    if not 2 <= p.distinct <= MAX_SUGGESTED_LEVELS or p.numeric_share >= 0.5 or p.mean_length > 40:
        return False
    sample = table.frame[column].head(2000)
    filled = sample[~empty_mask(sample)]
    if p.distinct > max(2, len(filled) // 2):  # values must repeat: otherwise an id or free text
        return False
    codes = filled.astype(str).map(lambda v: bool(_CODE_VALUE.fullmatch(normalise_text(v))))
    if len(filled) and codes.mean() >= 0.8:
        return False
    return parse_dates(filled).notna().mean() < _DATE_LIKE_SHARE


def suggest_dimensions(table: RawTable, used: set[str], profile=None) -> list[dict]:
    """Extra grouping columns: short, repeating text values in columns not mapped to anything.

    'Country', 'Product line', 'Plan__c' or 'プラン' qualify; identifiers, free text, dates,
    numbers and survey-tool bookkeeping (Status, Finished, Progress, IP address...) do not.
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
        raise MappingError(f"'{need}' is not a known need.")
    for d in mapping.drivers:
        if d["column"] == column:
            d.update(make_driver(d["label"], need=need).to_dict() | {"column": column, "label": d["label"]})
            d.pop("key", None)
            d.pop("scale_min", None)
            d.pop("scale_max", None)
            return
    raise MappingError(f"'{column[:60]}' is not a driver column.")
