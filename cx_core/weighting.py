"""Role-weighted account NPS: each account's NPS where each role's voice counts by its weight.

For one account, each role that answered gets its own NPS (mean of +100 promoter / 0 passive /
-100 detractor over that role's answers); the account's weighted NPS is the weighted mean of those
role scores, using only the roles that answered. Roles with weight 0 are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .clustered import CLUSTER_KEY, inner_columns
from .errors import InvalidParameterError
from .filters import NO_FILTERS, Filters
from .ingest.recognise import top2_threshold
from .metrics import metric_scales
from .roles import ROLES, clean_role_weights
from .sql import in_list, run
from .stats import Z95, MeanResult, NpsResult, nps_from_counts
from .workspace import Workspace


def weighted_account_nps(
    ws: Workspace, filters: Filters = NO_FILTERS, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """One row per account: ``account_id, account_key, n, roles_responded, weighted_nps, plain_nps``.

    ``plain_nps`` is the unweighted NPS of all the account's answers, for comparison.
    """
    weights = clean_role_weights(weights)
    params: dict = {}
    where = filters.where(params, extra=["account_key IS NOT NULL"])
    role_values = in_list("w_role", list(ROLES), params)
    weight_values = in_list("w_value", [weights[r] for r in ROLES], params)
    sql = f"""
    WITH w AS (
        SELECT unnest(list_value{role_values}) AS role, unnest(list_value{weight_values}) AS weight
    ),
    by_role AS (
        SELECT account_key, min(account_id) AS account_id, respondent_role AS role, count(*) AS n,
               count(nps) AS nps_n,
               -- NPS is optional: only answers with an NPS count, and no NPS answer gives no NPS (not 0)
               100.0 * (sum(is_promoter) - sum(is_detractor)) / NULLIF(count(nps), 0) AS role_nps,
               sum(is_promoter) AS promoters, sum(is_detractor) AS detractors
        FROM facts {where}
        GROUP BY account_key, respondent_role
    )
    SELECT b.account_key, min(b.account_id) AS account_id, sum(b.n)::BIGINT AS n,
           list_sort(list(b.role)) AS roles_responded,
           CASE WHEN sum(w.weight) FILTER (WHERE b.role_nps IS NOT NULL) > 0
                THEN sum(w.weight * b.role_nps) FILTER (WHERE b.role_nps IS NOT NULL)
                     / sum(w.weight) FILTER (WHERE b.role_nps IS NOT NULL) END AS weighted_nps,
           100.0 * (sum(b.promoters) - sum(b.detractors)) / NULLIF(sum(b.nps_n), 0) AS plain_nps
    FROM by_role b JOIN w ON b.role = w.role
    GROUP BY b.account_key
    ORDER BY b.account_key
    """
    frame = run(ws.con, sql, params)
    frame["roles_responded"] = frame["roles_responded"].map(lambda v: [str(x) for x in v])
    return frame


# --- weighting the whole survey: each account once, or by ARR --------------------------------------

WEIGHT_BY: tuple[str, ...] = ("account", "arr")


@dataclass(frozen=True)
class WeightedScores:
    """NPS, CSAT and CES weighted so that each account counts once (``by="account"``) or by its
    ARR (``by="arr"``); answers inside an account share its weight equally. ``accounts`` is the
    number of weighted accounts and ``answers_without_weight`` the answers left out because their
    account has no weight (no ARR)."""

    by: str
    nps: NpsResult
    csat: MeanResult | None
    ces: MeanResult | None
    accounts: int
    answers_without_weight: int

    def to_dict(self) -> dict:
        return {"by": self.by, "accounts": self.accounts, "answers_without_weight": self.answers_without_weight}


def weighted_scores(ws: Workspace, filters: Filters = NO_FILTERS, by: str = "account") -> WeightedScores:
    """The selection's scores with account weights (see :class:`WeightedScores`).

    The weighted score is sum_k W_k m_k / sum_k W_k (m_k the account's mean answer, W_k its weight);
    its variance is the ratio-estimator variance over accounts,
    K/(K-1) * sum_k W_k^2 (m_k - m)^2 / (sum_k W_k)^2; ``effective_n`` is Kish's,
    (sum w)^2 / sum w^2 over the answers' weights w = W_k / n_k. Respondents without an account
    are accounts of their own.
    """
    if by not in WEIGHT_BY:
        raise InvalidParameterError("error.not_a_choice", value=str(by)[:30], choices=", ".join(WEIGHT_BY))
    params: dict = {}
    where = filters.where(params)
    scales = metric_scales(ws)
    csat_top, ces_top = (float(top2_threshold(scales[m])) for m in ("csat", "ces"))
    frame = run(
        ws.con,
        f"SELECT {CLUSTER_KEY} AS cluster, max(arr) AS arr, {inner_columns(csat_top, ces_top)} "
        f"FROM facts {where} GROUP BY cluster",
        params,
    )
    weight = frame["arr"].astype("float64").fillna(0.0).clip(lower=0.0) if by == "arr" else pd.Series(1.0, frame.index)
    frame = frame.assign(weight=weight.to_numpy())
    nps_n = frame["promoters"] + frame["passives"] + frame["detractors"]
    nps = _weighted_nps(frame, nps_n)
    means = [_weighted_mean(frame, m) for m in ("csat", "ces")]
    without = int(frame.loc[frame["weight"] <= 0, "n"].sum())
    return WeightedScores(by, nps, means[0], means[1], int((frame["weight"] > 0).sum()), without)


def _weighted(frame: pd.DataFrame, n: pd.Series, total: pd.Series, total_sq: pd.Series, scale: float):
    """(score, se, design effect, Kish's effective n, accounts) on accounts with answers and weight."""
    keep = (n > 0) & (frame["weight"] > 0)
    if not keep.any():
        return None
    w, nk = frame.loc[keep, "weight"].to_numpy(float), n[keep].to_numpy(float)
    mk = total[keep].to_numpy(float) / nk
    k, weight_sum = len(w), float(w.sum())
    m = float((w * mk).sum() / weight_sum)
    variance = k / (k - 1) * float((w * w * (mk - m) ** 2).sum()) / weight_sum**2 if k > 1 else 0.0
    answers = float(nk.sum())
    raw_mean = float(total[keep].sum()) / answers
    srs = (float(total_sq[keep].sum()) - answers * raw_mean**2) / max(answers - 1, 1) / answers
    deff = max(1.0, variance / srs) if srs > 0 else 1.0
    kish = weight_sum**2 / float((w * w / nk).sum())
    return m * scale, (variance**0.5) * scale, deff, round(kish, 1), k


def _weighted_nps(frame: pd.DataFrame, n: pd.Series) -> NpsResult:
    promoters, passives, detractors = (int(frame[c].sum()) for c in ("promoters", "passives", "detractors"))
    out = _weighted(frame, n, frame["promoters"] - frame["detractors"], frame["promoters"] + frame["detractors"], 100.0)
    if out is None:
        return nps_from_counts(0, 0, 0)
    score, se, deff, kish, k = out
    ci = (round(max(-100.0, score - Z95 * se), 2), round(min(100.0, score + Z95 * se), 2))
    return NpsResult(
        round(score, 2), promoters + passives + detractors, promoters, passives, detractors, ci, se, deff, kish, k, True
    )


def _weighted_mean(frame: pd.DataFrame, metric: str) -> MeanResult | None:
    n = frame[f"{metric}_n"]
    out = _weighted(frame, n, frame[f"{metric}_sum"].fillna(0.0), frame[f"{metric}_sq"].fillna(0.0), 1.0)
    if out is None:
        return None
    score, se, deff, kish, k = out
    keep = (n > 0) & (frame["weight"] > 0)
    w = frame.loc[keep, "weight"]
    top = float((w * frame.loc[keep, f"{metric}_top"] / n[keep]).sum() / w.sum())
    ci = (round(score - Z95 * se, 3), round(score + Z95 * se, 3))
    return MeanResult(round(score, 3), int(n[keep].sum()), round(100 * top, 2), ci, se, deff, kish, k, True)
