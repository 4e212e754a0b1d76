"""The rules of account health: periods, thresholds and how reasons become a risk level.

Every date-relative rule takes an ``as_of`` date, so a result can be reproduced later (the CLI's
``--as-of``). The defaults live here, in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np

from ..roles import KEY_ROLES
from ..sample import AS_OF as SAMPLE_AS_OF

RISK_LEVELS: tuple[str, ...] = ("high", "medium", "low")

# Reason codes, in the order they are shown (most urgent first).
REASONS: tuple[str, ...] = (
    "churned",
    "detractor_decision_maker",
    "renewal_soon",
    "nps_drop",
    "negative_nps",
    "key_roles_silent",
    "escalated_cases",
)
# Warnings from the survey itself (``key_roles_silent``: none of the key roles answered), and
# from support: escalated cases in the last 90 days (B2B churn follows service issues too).
CX_SIGNALS = frozenset({"detractor_decision_maker", "nps_drop", "negative_nps", "key_roles_silent", "escalated_cases"})


@dataclass(frozen=True)
class RiskRules:
    """Thresholds of the account risk rules (all editable; these are the defaults).

    - ``period_days``: the latest period is the ``period_days`` days up to and including ``as_of``;
      the previous period is the ``period_days`` days before it. "Change" compares the two.
    - ``renewal_days``: a renewal on or after ``as_of`` and within this many days is "soon".
    - ``nps_drop``: a fall of the weighted NPS by more than this many points is a warning.
    - ``negative_nps``: a weighted NPS below this (a detractor account) is a warning.
    - ``detractor_due_business_days`` / ``account_due_days``: when a follow-up is due.
    """

    period_days: int = 90
    renewal_days: int = 90
    nps_drop: float = 20.0
    negative_nps: float = 0.0
    detractor_due_business_days: int = 2
    account_due_days: int = 7
    key_roles: tuple[str, ...] = KEY_ROLES

    def periods(self, as_of: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
        """((latest_from, latest_to), (previous_from, previous_to)), all days inclusive."""
        latest_from = as_of - dt.timedelta(days=self.period_days - 1)
        previous_to = latest_from - dt.timedelta(days=1)
        previous_from = previous_to - dt.timedelta(days=self.period_days - 1)
        return (latest_from, as_of), (previous_from, previous_to)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["key_roles"] = list(self.key_roles)
        return data


DEFAULT_RULES = RiskRules()


def default_as_of(is_sample: bool, today: dt.date | None = None) -> dt.date:
    """The date the rules are relative to, unless the person picks another.

    On the built-in sample data it is the sample story's "today" (2026-10-01), so the planted
    renewals and the latest survey wave make sense; on real data it is today.
    """
    return SAMPLE_AS_OF if is_sample else (today or dt.date.today())


def risk_level(reasons: list[str]) -> str:
    """High, medium or low from the reason codes of one account.

    - high: the CRM marks the account churned, or a renewal is within the window while the survey
      shows any warning (detractor decision maker, NPS drop, negative NPS, no decision maker
      answered): revenue is at stake soon and someone must call.
    - medium: any survey warning without a renewal coming up (watch; detractors are followed up
      one by one anyway).
    - low: nothing above (a renewal coming up alone is not a risk).

    A single wave of a few respondents moves an account's NPS a lot, so survey warnings alone do
    not make an account high risk.
    """
    found = set(reasons)
    if "churned" in found or ("renewal_soon" in found and found & CX_SIGNALS):
        return "high"
    if found & CX_SIGNALS:
        return "medium"
    return "low"


def as_dates(series):
    """A column of DuckDB dates (pandas datetimes) as plain :class:`datetime.date` values (None kept)."""
    import pandas as pd

    return series.map(lambda v: None if v is None or pd.isna(v) else pd.Timestamp(v).date())


def add_business_days(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days`` working days (Monday-Friday; a weekend start rolls to Monday)."""
    return np.busday_offset(np.datetime64(day, "D"), days, roll="forward").astype(dt.date)


# Account categories by role-weighted NPS (latest period): the account-level reading of
# promoter / passive / detractor.
PROMOTER_ACCOUNT_MIN = 30.0
DETRACTOR_ACCOUNT_BELOW = 0.0
ACCOUNT_CATEGORIES: tuple[str, ...] = ("promoter", "passive", "detractor", "no_response")
NPS_BAND_EDGES: tuple[float, ...] = (-100.0, -50.0, -20.0, 0.0, 20.0, 50.0, 100.0)


def account_category(weighted_nps: float | None) -> str:
    """'promoter' (weighted NPS >= 30), 'passive' (0 to < 30), 'detractor' (< 0) or 'no_response'."""
    if weighted_nps is None or weighted_nps != weighted_nps:  # None or NaN
        return "no_response"
    if weighted_nps >= PROMOTER_ACCOUNT_MIN:
        return "promoter"
    if weighted_nps < DETRACTOR_ACCOUNT_BELOW:
        return "detractor"
    return "passive"


def nps_band(weighted_nps: float | None) -> str:
    """The band of :data:`NPS_BAND_EDGES` holding the score, e.g. '0 to 20' (upper edge excluded,
    except +100); 'no_response' without a score."""
    if weighted_nps is None or weighted_nps != weighted_nps:
        return "no_response"
    edges = NPS_BAND_EDGES
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        if weighted_nps < high or high == edges[-1]:
            return f"{low:+.0f} to {high:+.0f}"
    return f"{edges[-2]:+.0f} to {edges[-1]:+.0f}"


def nps_bands() -> list[str]:
    """Every band label, lowest first."""
    edges = NPS_BAND_EDGES
    return [f"{low:+.0f} to {high:+.0f}" for low, high in zip(edges[:-1], edges[1:], strict=True)]
