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
from ..schema import CRM_FIELDS, NEEDS, SURVEY_FIELDS, Driver, make_driver, normalise_text
from .parse import RawTable
from .values import parse_score

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
    ),
    "csat": ("csat", "satisfaction", "overall satisfaction", "satisfied", "満足度", "満足"),
    "ces": ("ces", "effort", "customer effort", "easy to deal with", "ease", "手間", "容易"),
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
_CRM_EXTRA = {"account_id": ("id", "account id", "accountid", "account_id", "取引先id")}


def _normalise_header(name: str) -> str:
    text = normalise_text(name)
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tags in Typeform/Google Forms headers
    text = text.replace("__c", "").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def _name_score(field_name: str, header: str, question: str, kind: str) -> float:
    words = SYNONYMS.get(field_name, ())
    if kind == "crm" and field_name in _CRM_EXTRA:
        words = _CRM_EXTRA[field_name] + words
    h = _normalise_header(header)
    q = _normalise_header(question) if question and question != header else ""
    best = 0.0
    for word in words:
        w = word.replace("_", " ")
        if h == w:
            best = max(best, 1.0)
        elif len(w) > 2 and (re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", h) or (not w.isascii() and w in h)):
            best = max(best, 0.7)
        elif q and len(w) > 3 and w in q:
            best = max(best, 0.6)
    return best


@dataclass
class Mapping:
    """Canonical field -> source column (or None), plus the driver ratings and their needs."""

    kind: str  # "survey" or "crm"
    fields: dict[str, str | None]
    drivers: list[dict] = field(default_factory=list)  # {column, label, need, category}

    def to_dict(self) -> dict:
        return {"kind": self.kind, "fields": dict(self.fields), "drivers": [dict(d) for d in self.drivers]}

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
            return cls(kind=kind, fields=fields, drivers=drivers)
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
        if missing:
            raise MappingError(
                "The mapping names column(s) not in the file: " + ", ".join(repr(m[:60]) for m in missing[:5])
            )

    def driver_objects(self) -> list[Driver]:
        return [make_driver(d["label"], need=d["need"]) for d in self.drivers]


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


def _numeric_profile(values: pd.Series) -> tuple[float, float | None, float | None]:
    """Share of non-empty values that parse as scores, and their min/max."""
    sample = [v for v in values.head(500).tolist() if isinstance(v, str) and v.strip()]
    if not sample:
        return 0.0, None, None
    parsed = [parse_score(v) for v in sample]
    numbers = [p for p in parsed if p is not None]
    if not numbers:
        return 0.0, None, None
    return len(numbers) / len(sample), min(numbers), max(numbers)


def suggest_mapping(table: RawTable, kind: str) -> Mapping:
    """Suggest a mapping for ``table`` (kind ``"survey"`` or ``"crm"``)."""
    names = SURVEY_FIELDS if kind == "survey" else CRM_FIELDS
    columns = list(table.frame.columns)
    scored: list[tuple[float, str, str]] = []
    for column in columns:
        question = table.questions.get(column, "")
        for name in names:
            s = _name_score(name, column, question, kind)
            if s > 0:
                scored.append((s, name, column))
    # greedy assignment, best scores first; each field and column used once
    scored.sort(key=lambda t: (-t[0], columns.index(t[2])))
    fields: dict[str, str | None] = {name: None for name in names}
    used: set[str] = set()
    for _score, name, column in scored:
        if fields[name] is None and column not in used:
            if name in ("nps", "csat", "ces"):
                share, lo, hi = _numeric_profile(table.frame[column])
                if share < 0.8:
                    continue
            fields[name] = column
            used.add(column)
    drivers: list[dict] = []
    if kind == "survey":
        if fields["nps"] is None:
            # values 0-10 with both ends used suggest the likelihood-to-recommend question
            for column in columns:
                if column in used:
                    continue
                share, lo, hi = _numeric_profile(table.frame[column])
                if share >= 0.9 and lo is not None and lo >= 0 and hi == 10 and lo <= 3:
                    fields["nps"] = column
                    used.add(column)
                    break
        for column in columns:
            if column in used:
                continue
            share, lo, hi = _numeric_profile(table.frame[column])
            if share >= 0.8 and lo is not None and lo >= 0 and hi is not None and hi <= 10 and hi > lo:
                driver = make_driver(column, table.questions.get(column, ""))
                drivers.append({"column": column, "label": column, "need": driver.need, "category": driver.category})
    return Mapping(kind=kind, fields=fields, drivers=drivers)


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
