"""CX to outcomes: churn and ARR by account NPS category and band, and the ARR at risk."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..metrics import DEFAULT_MIN_N
from ..stats import holm_adjust, is_significant, proportion_difference_test, wilson_interval
from ._rules import ACCOUNT_CATEGORIES, account_category, nps_band, nps_bands

MIN_ACCOUNTS = 30
MIN_CHURNED = 5


@dataclass(frozen=True)
class Outcomes:
    """Churn and ARR by account group, the ARR at risk, and whether the data is too small.

    ``by_category`` and ``by_band`` have one row per group with columns ``group, accounts,
    churned, churn_rate, churn_ci_low, churn_ci_high, arr, churned_arr, arr_share, small_sample``
    (rates and shares in %, intervals are Wilson 95%).
    """

    by_category: pd.DataFrame
    by_band: pd.DataFrame
    accounts: int
    churned: int
    total_arr: float
    accounts_at_risk: int
    arr_at_risk: float
    small_data: bool

    def to_dict(self) -> dict:
        return {
            "accounts": self.accounts,
            "churned": self.churned,
            "total_arr": self.total_arr,
            "accounts_at_risk": self.accounts_at_risk,
            "arr_at_risk": self.arr_at_risk,
            "small_data": self.small_data,
            "by_category": self.by_category.to_dict("records"),
            "by_band": self.by_band.to_dict("records"),
        }


def _grouped(health: pd.DataFrame, groups: pd.Series, order: list[str], min_n: int) -> pd.DataFrame:
    total_arr = float(health["arr"].fillna(0).sum())
    rows = []
    for group in order:
        part = health[groups == group]
        n = int(len(part))
        churned = int(part["churned"].fillna(False).astype(bool).sum())
        arr = float(part["arr"].fillna(0).sum())
        ci = wilson_interval(churned, n)
        rows.append(
            {
                "group": group,
                "accounts": n,
                "churned": churned,
                "churn_rate": round(100 * churned / n, 2) if n else None,
                "churn_ci_low": ci[0] if ci else None,
                "churn_ci_high": ci[1] if ci else None,
                "arr": arr,
                "churned_arr": float(part.loc[part["churned"].fillna(False).astype(bool), "arr"].fillna(0).sum()),
                "arr_share": round(100 * arr / total_arr, 2) if total_arr else None,
                "small_sample": n < min_n,
            }
        )
    return pd.DataFrame(rows)


def clear_churn_leader(frame: pd.DataFrame) -> tuple[str | None, int]:
    """The group of ``frame`` (a ``by_category`` or ``by_band`` table) that churns most, when its
    churn rate differs from the other accounts' at 95% after a Holm correction over the solid
    groups tested; else None. Returns (group, groups tested). Accounts are the units here, each
    counted once, so no design effect applies.

    >>> table = pd.DataFrame({"group": ["a", "b"], "accounts": [127, 120], "churned": [6, 3],
    ...                       "churn_rate": [4.7, 2.5], "small_sample": [False, False]})
    >>> clear_churn_leader(table)
    (None, 2)
    """
    if frame.empty:
        return None, 0
    solid = frame[~frame["small_sample"].astype(bool) & frame["churn_rate"].notna()]
    accounts, churned = int(frame["accounts"].sum()), int(frame["churned"].sum())
    tests = []
    for r in solid.itertuples(index=False):
        tests.append(
            proportion_difference_test(
                int(r.churned), int(r.accounts), churned - int(r.churned), accounts - int(r.accounts)
            )
        )
    adjusted = holm_adjust([p for _diff, p in tests])
    best = None
    for r, (diff, _p), p_adj in zip(solid.itertuples(index=False), tests, adjusted, strict=True):
        if diff is not None and diff > 0 and is_significant(p_adj) and (best is None or r.churn_rate > best[1]):
            best = (str(r.group), float(r.churn_rate))
    top = solid.sort_values("churn_rate").iloc[-1]["group"] if len(solid) else None
    # the headline names the highest rate only: a clear group that is not the highest does not make it "most"
    return (best[0] if best is not None and best[0] == str(top) else None), len(tests)


def cx_outcomes(health: pd.DataFrame, *, min_n: int = DEFAULT_MIN_N) -> Outcomes:
    """Link the account health table (:func:`account_health`) to churn and ARR.

    Accounts are grouped by their role-weighted NPS of the latest period, as a category
    (:func:`account_category`) and as a band (:func:`nps_band`). ARR at risk is the ARR of the
    high-risk accounts. ``small_data`` is true with fewer than 30 accounts or fewer than 5 churned
    accounts: churn rates are then too unstable to compare.
    """
    categories = health["weighted_nps"].map(account_category)
    bands = health["weighted_nps"].map(nps_band)
    band_order = nps_bands() + (["no_response"] if (bands == "no_response").any() else [])
    cat_order = [c for c in ACCOUNT_CATEGORIES if c != "no_response" or (categories == c).any()]
    at_risk = health[health["risk"] == "high"]
    accounts = int(len(health))
    churned = int(health["churned"].fillna(False).astype(bool).sum())
    return Outcomes(
        by_category=_grouped(health, categories, cat_order, min_n),
        by_band=_grouped(health, bands, band_order, min_n),
        accounts=accounts,
        churned=churned,
        total_arr=float(health["arr"].fillna(0).sum()),
        accounts_at_risk=int(len(at_risk)),
        arr_at_risk=float(at_risk["arr"].fillna(0).sum()),
        small_data=accounts < MIN_ACCOUNTS or churned < MIN_CHURNED,
    )
