"""Accounts and the closed loop: from scores to who must be called, why, and about what.

- :func:`account_health`: one row per CRM account with role-weighted NPS, change, silent key roles,
  and a risk level with its reasons (rules in :class:`RiskRules`, relative to an ``as_of`` date).
- :func:`cx_outcomes`: churn and ARR by account NPS category and band, ARR at risk.
- :func:`account_view`: one account for its account manager, with its verbatim themes and next
  best actions (rule-based; :func:`phrase_actions` has an LLM phrase them from redacted facts);
  :func:`cx_core.report.account_sections` turns it into report sections (page, exports, presenter mode).
- :func:`follow_up_list`: every detractor and every high-risk account, with done/note state saved by
  :func:`save_follow_ups` in the session's workspace.
"""

from ._actions import comment_needs, need_action, need_label, reason_text, reasons_text, roles_text, theme_need
from ._cases import CASE_HEALTH_COLUMNS, account_case_list, account_cases, attach_cases, has_cases
from ._detail import (
    DRIVER_WINDOW_DAYS,
    THEME_WINDOW_DAYS,
    AccountView,
    account_options,
    account_view,
    dataset_themes,
)
from ._follow_up import (
    FOLLOW_UP_COLUMNS,
    accounts_summary,
    find_follow_ups,
    follow_up_list,
    follow_up_state,
    follow_up_totals,
    save_follow_up,
    save_follow_ups,
)
from ._health import ACCOUNT_DIMENSIONS, HEALTH_COLUMNS, NoCrmError, account_filters, account_health, risk_summary
from ._outcomes import MIN_ACCOUNTS, MIN_CHURNED, Outcomes, clear_churn_leader, cx_outcomes
from ._phrasing import (
    ActionPhrasing,
    PhrasedActions,
    action_messages,
    action_request_body,
    phrase_actions,
    phrasing_cache_key,
)
from ._rules import (
    DEFAULT_RULES,
    REASONS,
    RISK_LEVELS,
    RiskRules,
    account_category,
    add_business_days,
    default_as_of,
    nps_band,
    risk_level,
)

__all__ = [
    "CASE_HEALTH_COLUMNS",
    "account_case_list",
    "account_cases",
    "attach_cases",
    "has_cases",
    "ACCOUNT_DIMENSIONS",
    "DEFAULT_RULES",
    "DRIVER_WINDOW_DAYS",
    "THEME_WINDOW_DAYS",
    "ActionPhrasing",
    "PhrasedActions",
    "action_messages",
    "action_request_body",
    "dataset_themes",
    "phrase_actions",
    "phrasing_cache_key",
    "theme_need",
    "FOLLOW_UP_COLUMNS",
    "HEALTH_COLUMNS",
    "MIN_ACCOUNTS",
    "MIN_CHURNED",
    "AccountView",
    "NoCrmError",
    "Outcomes",
    "REASONS",
    "RISK_LEVELS",
    "RiskRules",
    "account_category",
    "accounts_summary",
    "account_filters",
    "account_health",
    "account_options",
    "account_view",
    "add_business_days",
    "comment_needs",
    "clear_churn_leader",
    "cx_outcomes",
    "default_as_of",
    "find_follow_ups",
    "follow_up_list",
    "follow_up_state",
    "follow_up_totals",
    "need_action",
    "need_label",
    "nps_band",
    "reason_text",
    "reasons_text",
    "risk_level",
    "risk_summary",
    "roles_text",
    "save_follow_up",
    "save_follow_ups",
]
