"""The canonical data model: survey fields, CRM fields, needs and the driver catalogue.

Every loaded file is mapped onto these names; analyses only ever see canonical names, so the
hostile column names of a person's export never reach SQL text except through ``quote_ident``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

SURVEY_FIELDS: tuple[str, ...] = (
    "response_id",
    "account_id",
    "respondent_role",
    "submitted_at",
    "nps",
    "csat",
    "ces",
    "comment",
    "journey_stage",
    "touchpoint",
    "survey_type",
)
"""Canonical survey fields. Any other mapped numeric column is a driver rating."""

CRM_FIELDS: tuple[str, ...] = (
    "account_id",
    "account_name",
    "segment",
    "industry",
    "region",
    "arr",
    "renewal_date",
    "churned",
    "owner",
)
"""Canonical CRM (account) fields."""

REQUIRED_SURVEY_FIELDS: tuple[str, ...] = ("nps",)
REQUIRED_CRM_FIELDS: tuple[str, ...] = ("account_id",)

# Score scales: (minimum, maximum). CSAT is 1-5 and CES 1-7 as in ../shared/DOMAIN.md.
SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}

# Dimensions a person can filter and group by, all columns of the ``facts`` view.
DIMENSIONS: tuple[str, ...] = (
    "segment",
    "industry",
    "region",
    "respondent_role",
    "journey_stage",
    "touchpoint",
    "survey_type",
    "owner",
)

NEEDS: tuple[str, ...] = (
    "product",
    "price",
    "fulfilment",
    "reassurance",
    "feeling_valued",
    "trust",
    "effort",
    "other",
)
"""The six needs of ../shared/DOMAIN.md plus effort (CES lens) and other."""

NEED_CATEGORY: dict[str, str] = {
    "product": "rational",
    "price": "rational",
    "fulfilment": "rational",
    "reassurance": "emotional",
    "feeling_valued": "emotional",
    "trust": "emotional",
    "effort": "emotional",
    "other": "other",
}

# Keywords (English and Japanese, matched on the normalised column name or question text)
# that suggest a driver's need. Order matters: the first need with a hit wins.
NEED_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "price",
        ("price", "pricing", "cost", "invoice", "billing", "quote", "価格", "料金", "費用", "見積", "請求", "コスト"),
    ),
    (
        "fulfilment",
        (
            "deliver",
            "on-time",
            "on time",
            "lead time",
            "shipping",
            "order accuracy",
            "accuracy",
            "fulfil",
            "fulfill",
            "納期",
            "納品",
            "配送",
            "出荷",
            "正確",
        ),
    ),
    (
        "product",
        ("product", "quality", "range", "feature", "reliab", "performance", "製品", "品質", "機能", "品揃え", "性能"),
    ),
    (
        "effort",
        (
            "easy",
            "ease",
            "effort",
            "simple",
            "hassle",
            "smooth",
            "convenient",
            "手間",
            "簡単",
            "使いやす",
            "分かりやす",
            "しやす",
            "やりやす",
            "スムーズ",
        ),
    ),
    (
        "reassurance",
        (
            "respons",
            "support",
            "problem",
            "issue",
            "quick",
            "transparen",
            "対応",
            "サポート",
            "迅速",
            "安心",
            "問い合わせ",
        ),
    ),
    (
        "feeling_valued",
        (
            "valued",
            "recogni",
            "appreciat",
            "proactive",
            "savings",
            "contribution",
            "大切",
            "評価",
            "提案",
            "存在感",
            "貢献",
            "認め",
            "感謝",
        ),
    ),
    (
        "trust",
        (
            "trust",
            "account manager",
            "sales rep",
            "relationship",
            "sincere",
            "understand",
            "professional",
            "信頼",
            "担当",
            "営業",
            "誠実",
            "理解",
        ),
    ),
)


def normalise_text(value: str) -> str:
    """NFKC-normalise, lower-case and collapse spaces (full-width -> half-width, etc.)."""
    text = unicodedata.normalize("NFKC", str(value)).lower()
    return re.sub(r"\s+", " ", text).strip()


def _keyword_hit(word: str, text: str) -> bool:
    # English keywords must start a word ("ease" must not match "please" or "increase"); they
    # may be stems ("respons" matches "responsiveness"). Japanese has no spaces: plain substring.
    if word.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}", text) is not None
    return word in text


def suggest_need(name: str, question: str = "") -> str:
    """Suggest the need of a driver rating from its column name and question text.

    >>> suggest_need("Price transparency"), suggest_need("納期遵守"), suggest_need("Lease terms")
    ('price', 'fulfilment', 'other')
    """
    text = normalise_text(f"{name} {question}")
    for need, words in NEED_KEYWORDS:
        if any(_keyword_hit(word, text) for word in words):
            return need
    return "other"


def driver_key(label: str) -> str:
    """A stable, safe key for a driver label (used as a value, never as an identifier)."""
    text = normalise_text(label)
    key = re.sub(r"[^\w]+", "_", text, flags=re.UNICODE).strip("_")
    return key[:80] or "driver"


@dataclass(frozen=True)
class Driver:
    """One driver rating: its key, the label people see, its need and category."""

    key: str
    label: str
    need: str
    category: str
    scale_min: float = 1
    scale_max: float = 5

    def to_dict(self) -> dict:
        return asdict(self)


def make_driver(label: str, question: str = "", need: str | None = None, scale=(1, 5)) -> Driver:
    """Build a :class:`Driver` with a suggested need unless one is given."""
    need = need if need in NEEDS else suggest_need(label, question)
    return Driver(
        key=driver_key(label),
        label=label,
        need=need,
        category=NEED_CATEGORY[need],
        scale_min=scale[0],
        scale_max=scale[1],
    )
