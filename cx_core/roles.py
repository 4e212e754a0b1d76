"""Respondent roles: normalising free labels (English and Japanese) and role weights.

In B2B several people answer for one customer; their voices do not weigh the same. Roles are
normalised to a small set so every score can be read by role, and account health can weight
decision makers more (weights are editable; these are the defaults).
"""

from __future__ import annotations

import re

from .schema import normalise_text

ROLES: tuple[str, ...] = ("executive", "procurement", "engineer", "admin", "other")

ROLE_LABELS: dict[str, dict[str, str]] = {
    "executive": {"en": "Executive", "ja": "経営層"},
    "procurement": {"en": "Procurement", "ja": "購買担当"},
    "engineer": {"en": "Engineer / end user", "ja": "現場ユーザー・エンジニア"},
    "admin": {"en": "Admin", "ja": "管理者"},
    "other": {"en": "Other", "ja": "その他"},
}

# Defaults favour decision makers: executives and procurement decide whether to buy and renew.
DEFAULT_ROLE_WEIGHTS: dict[str, float] = {
    "executive": 3.0,
    "procurement": 2.0,
    "engineer": 1.5,
    "admin": 1.0,
    "other": 0.5,
}

# Roles whose silence is a risk: decision makers.
KEY_ROLES: tuple[str, ...] = ("executive", "procurement")

_PATTERNS: tuple[tuple[str, str], ...] = (
    ("procurement", r"procure|purchas|buyer|sourcing|vendor manag|購買|調達|仕入|資材"),
    (
        "executive",
        r"\bceo\b|\bcfo\b|\bcoo\b|\bcto\b|\bcio\b|chief|executive|president|director|vp\b|vice president|head of|owner|経営|社長|役員|取締役|部長|本部長|事業部長|代表",
    ),
    (
        "engineer",
        r"engineer|developer|technician|operator|end user|end-user|\buser\b|it staff|現場|エンジニア|技術|開発|ユーザー|利用者|設計|製造",
    ),
    ("admin", r"admin|administrator|coordinator|assistant|office|総務|管理者|事務|アシスタント"),
)


def normalise_role(label: object) -> str:
    """Map a free role label to one of :data:`ROLES` ("other" when nothing matches).

    >>> normalise_role("Purchasing Manager"), normalise_role("購買担当"), normalise_role("CTO")
    ('procurement', 'procurement', 'executive')
    """
    if label is None:
        return "other"
    text = normalise_text(str(label))
    if not text or text in {"nan", "none", "null"}:
        return "other"
    if text in ROLES:
        return text
    for role, pattern in _PATTERNS:
        if re.search(pattern, text):
            return role
    return "other"


def role_label(role: str, lang: str) -> str:
    """The display label of a canonical role in ``lang`` (falls back to the key)."""
    return ROLE_LABELS.get(role, {}).get(lang, role)


def clean_role_weights(weights: dict[str, float] | None) -> dict[str, float]:
    """Return complete, non-negative role weights, filling gaps from the defaults."""
    result = dict(DEFAULT_ROLE_WEIGHTS)
    for role, value in (weights or {}).items():
        if role in result:
            try:
                result[role] = max(0.0, float(value))
            except (TypeError, ValueError):
                continue
    return result
