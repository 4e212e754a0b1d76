"""Rule-based next best actions: from a need (weak driver or complaint theme) to what to do.

The action texts live in the message catalogue (``accounts.action.need.<need>`` and
``accounts.action.reason.<code>``), in English and Japanese. Verbatim themes (cx_core.themes) get
their need from the LLM engine when it named them, otherwise from :func:`theme_need`, which reads
the theme's label and key phrases with the complaint words below and the driver-need keywords of
:func:`cx_core.schema.suggest_need`.
"""

from __future__ import annotations

from ..messages import t
from ..roles import role_label
from ..schema import NEEDS, normalise_text, suggest_need
from ._rules import DEFAULT_RULES, RiskRules

# Complaint words per need, matched on the NFKC-normalised, lower-cased text. Used for a single
# comment (the follow-up list's detractors) and to name the need of an offline theme. Words are
# deliberately negative ("defect", not "quality team") so praise does not trigger an action.
COMMENT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "fulfilment": (
        "late",
        "delay",
        "lead time",
        "promised date",
        "missing the date",
        "納期",
        "遅延",
        "遅れ",
        "納品",
        "配送",
    ),
    "price": ("pricing", "price", "quote", "invoice", "charge", "expensive", "価格", "見積", "請求", "費用"),
    "product": ("defect", "bug", "downtime", "broken", "quality has dropped", "品質", "不良", "不具合", "故障"),
    "effort": ("documentation", "manual", "hard to follow", "complicated", "マニュアル", "説明書", "手順", "面倒"),
    "reassurance": ("no answer", "no response", "slow to respond", "not responsive", "回答がない", "返事がない"),
    "trust": ("does not understand", "doesn't understand", "unprofessional", "理解していない", "不誠実"),
    "feeling_valued": ("not valued", "ignored", "taken for granted", "大切にされていない", "軽視"),
}

# Driver gaps smaller than this (in rating points) are noise, not a weakness.
MIN_DRIVER_GAP = 0.25
MAX_ACTIONS = 4


def comment_needs(comment: str | None) -> list[str]:
    """The needs a complaint is about, from :data:`COMMENT_KEYWORDS` (may be several or none)."""
    if not comment:
        return []
    text = normalise_text(comment)
    return [need for need, words in COMMENT_KEYWORDS.items() if any(w in text for w in words)]


def theme_need(label: str, keywords: list[str] | tuple[str, ...] = (), need: str = "") -> str:
    """The need a verbatim theme is about.

    ``need`` (set when the LLM engine classified the theme) wins; otherwise the complaint words
    with the most hits in the label and key phrases, then the driver-need keywords of
    :func:`~cx_core.schema.suggest_need`, else ``"other"``.

    >>> theme_need("マニュアルが分かりにくい / The documentation is outdated", ["手順", "マニュアル"])
    'effort'
    >>> theme_need("Our account manager really understands our business", ["account", "manager"])
    'trust'
    """
    if need in NEEDS:
        return need
    text = normalise_text(" ".join([label, *keywords]))
    hits = {n: sum(w in text for w in words) for n, words in COMMENT_KEYWORDS.items()}
    best = max(hits, key=lambda n: (hits[n], -NEEDS.index(n)))
    if hits[best]:
        return best
    return suggest_need(text)


def need_label(need: str, lang: str) -> str:
    return t(f"accounts.need.{need if need in NEEDS else 'other'}", lang)


def need_action(need: str, lang: str) -> str:
    """The suggested action for a need (the generic "call and understand" for unknown needs)."""
    return t(f"accounts.action.need.{need if need in NEEDS else 'other'}", lang)


def reason_action(code: str, lang: str) -> str:
    return t(f"accounts.action.reason.{code}", lang)


def reason_text(code: str, lang: str, rules: RiskRules = DEFAULT_RULES) -> str:
    """A reason code as a short sentence, e.g. 'Renewal within 90 days'."""
    return t(f"accounts.reason.{code}", lang, days=rules.renewal_days, points=f"{rules.nps_drop:g}")


def reasons_text(codes: list[str], lang: str, rules: RiskRules = DEFAULT_RULES) -> str:
    return "; ".join(reason_text(c, lang, rules) for c in codes)


def roles_text(roles: list[str], lang: str) -> str:
    return ", ".join(role_label(r, lang) for r in roles)


def account_action(codes: list[str], lang: str) -> str:
    """The action for a risky account: the one for its most urgent reason (renewal alone has none)."""
    for code in codes:
        if code != "renewal_soon":
            return reason_action(code, lang)
    return reason_action("renewal_soon", lang)
