"""Role-weighted account NPS: each account's NPS where each role's voice counts by its weight.

For one account, each role that answered gets its own NPS (mean of +100 promoter / 0 passive /
-100 detractor over that role's answers); the account's weighted NPS is the weighted mean of those
role scores, using only the roles that answered. Roles with weight 0 are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .clustered import CLUSTER_KEY, inner_columns
from .errors import InvalidParameterError
from .filters import NO_FILTERS, Filters
from .ingest.recognise import top2_threshold
from .metrics import check_filters, checked_dimension, metric_scales, overview, text_columns
from .raking import Margin, margin_columns, margins_from_dict, rake
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


# --- weighting the whole survey: each account once, by ARR, or raked to population margins --------

WEIGHT_BY: tuple[str, ...] = ("account", "arr", "margins")


@dataclass(frozen=True)
class ScoreWeights:
    """How the headline scores are weighted: ``by`` is ``"none"``, ``"account"`` (each account
    once), ``"arr"`` (each account by its ARR) or ``"margins"`` (raked to ``margins``). Saved with a
    workspace as :meth:`to_dict`."""

    by: str = "none"
    margins: tuple[Margin, ...] = ()

    def to_dict(self) -> dict:
        return {"by": self.by, "margins": [m.to_dict() for m in self.margins]}

    @classmethod
    def from_dict(cls, data) -> ScoreWeights:
        """The weights of a saved workspace (anything unreadable gives no weights, never an error:
        an old or hand-edited setting must not stop the workspace from opening)."""
        if not isinstance(data, dict) or data.get("by") not in (*WEIGHT_BY, "none"):
            return cls()
        margins: tuple[Margin, ...] = ()
        if data.get("margins"):
            try:
                margins = margins_from_dict(list(data["margins"]))
            except (InvalidParameterError, TypeError):
                margins = ()
        if data["by"] == "margins" and not margins:
            return cls()
        return cls(str(data["by"]), margins)


@dataclass(frozen=True)
class WeightedScores:
    """NPS, CSAT and CES weighted so that each account counts once (``by="account"``), by its
    ARR (``by="arr"``) or raked to population margins (``by="margins"``). ``accounts`` is the
    number of weighted accounts and ``answers_without_weight`` the answers left out because they
    have no weight (their account has no ARR; a margin's column is empty for them or its share 0).
    Raking also gives ``iterations`` (of the proportional fitting) and ``margins``."""

    by: str
    nps: NpsResult
    csat: MeanResult | None
    ces: MeanResult | None
    accounts: int
    answers_without_weight: int
    iterations: int | None = None
    margins: tuple[Margin, ...] = ()

    def to_dict(self) -> dict:
        data = {"by": self.by, "accounts": self.accounts, "answers_without_weight": self.answers_without_weight}
        if self.by == "margins":
            data |= {"iterations": self.iterations, "margins": [m.to_dict() for m in self.margins]}
        return data


def weighted_scores(
    ws: Workspace, filters: Filters = NO_FILTERS, by: str = "account", margins: tuple[Margin, ...] = ()
) -> WeightedScores:
    """The selection's scores with weights (see :class:`WeightedScores`).

    With answer weights w_i (an account's weight W_k shared by its n_k answers, or the raking
    weight of the answer's cell), the weighted score is m = sum w_i y_i / sum w_i; its variance the
    ratio-estimator variance over accounts, K/(K-1) * sum_k (Y_k - m W_k)^2 / (sum_k W_k)^2 with
    W_k, Y_k the account's sums of w_i and w_i y_i; ``effective_n`` is Kish's, (sum w)^2 / sum w^2.
    Respondents without an account are accounts of their own.
    """
    if by not in WEIGHT_BY:
        raise InvalidParameterError("error.not_a_choice", value=str(by)[:30], choices=", ".join(WEIGHT_BY))
    params: dict = {}
    where = filters.where(params)
    scales = metric_scales(ws)
    csat_top, ces_top = (float(top2_threshold(scales[m])) for m in ("csat", "ces"))
    iterations = None
    if by == "margins":
        if not margins:
            raise InvalidParameterError("error.weights_file_shape")
        columns = text_columns(ws)
        check_filters(ws, filters, columns)
        quoted = [checked_dimension(ws, c, columns) for c in margin_columns(margins)]
        cells = ", ".join(f"{q} AS m{i}" for i, q in enumerate(quoted))
        keys = ", ".join(f"m{i}" for i in range(len(quoted)))
        frame = run(
            ws.con,
            f"SELECT {CLUSTER_KEY} AS cluster, {cells}, {inner_columns(csat_top, ces_top)} "
            f"FROM facts {where} GROUP BY cluster, {keys}",
            params,
        )
        names = {f"m{i}": c for i, c in enumerate(margin_columns(margins))}
        frame = frame.rename(columns=names)
        known = frame[list(names.values())].notna().all(axis=1)
        table = frame[known].groupby(list(names.values()), as_index=False)["n"].sum()
        raked = rake(table, margins)
        iterations = raked.iterations
        frame = frame.merge(raked.cells.drop(columns="n"), on=list(names.values()), how="left")
        answer_weight = frame["weight"].fillna(0.0).to_numpy(float)
    else:
        frame = run(
            ws.con,
            f"SELECT {CLUSTER_KEY} AS cluster, max(arr) AS arr, {inner_columns(csat_top, ces_top)} "
            f"FROM facts {where} GROUP BY cluster",
            params,
        )
        account = (
            frame["arr"].astype("float64").fillna(0.0).clip(lower=0.0) if by == "arr" else pd.Series(1.0, frame.index)
        )
        answer_weight = account.to_numpy(float)
    nps_n = (frame["promoters"] + frame["passives"] + frame["detractors"]).to_numpy(float)
    per_account = by != "margins"  # an account's weight is shared by its answers of each score
    nps = _weighted_nps(frame, nps_n, answer_weight, per_account)
    means = [_weighted_mean(frame, m, answer_weight, per_account) for m in ("csat", "ces")]
    without = int(frame.loc[answer_weight <= 0, "n"].sum())
    accounts = int(frame.loc[answer_weight > 0, "cluster"].nunique())
    return WeightedScores(by, nps, means[0], means[1], accounts, without, iterations, tuple(margins))


def weighted_overview(ws: Workspace, filters: Filters = NO_FILTERS, weights: ScoreWeights = ScoreWeights()):
    """The Overview's numbers with ``weights`` applied to NPS, CSAT and CES: ``(overview,
    WeightedScores or None)``. The counts, accounts and dates stay those of the answers."""
    plain = overview(ws, filters)
    if weights.by == "none" or plain.responses == 0:
        return plain, None
    scored = weighted_scores(ws, filters, weights.by, weights.margins)
    return replace(plain, nps=scored.nps, csat=scored.csat, ces=scored.ces), scored


def _weighted(
    cluster: pd.Series,
    count: np.ndarray,
    total: np.ndarray,
    total_sq: np.ndarray,
    weight: np.ndarray,
    per_account: bool,
):
    """(score, se, design effect, Kish's effective n, accounts, weight sum, kept rows) over rows
    (an account, or an account's cell) with answers and weight; ``weight`` is the account's (shared
    by its ``count`` answers) when ``per_account``, else each answer's."""
    keep = (count > 0) & (weight > 0)
    if not keep.any():
        return None
    answer_w = weight / np.where(count > 0, count, 1.0) if per_account else weight
    sums = (
        pd.DataFrame(
            {
                "k": cluster.to_numpy()[keep],
                "W": (answer_w * count)[keep],
                "Y": (answer_w * total)[keep],
                "S2": (answer_w * answer_w * count)[keep],
                "n": count[keep],
                "t": total[keep],
                "q": total_sq[keep],
            }
        )
        .groupby("k")
        .sum()
    )
    big_w, big_y = sums["W"].to_numpy(float), sums["Y"].to_numpy(float)
    k, weight_sum = len(sums), float(big_w.sum())
    m = float(big_y.sum() / weight_sum)
    variance = k / (k - 1) * float(((big_y - m * big_w) ** 2).sum()) / weight_sum**2 if k > 1 else 0.0
    answers = float(sums["n"].sum())
    raw_mean = float(sums["t"].sum()) / answers
    srs = (float(sums["q"].sum()) - answers * raw_mean**2) / max(answers - 1, 1) / answers
    deff = max(1.0, variance / srs) if srs > 0 else 1.0
    kish = weight_sum**2 / float(sums["S2"].sum())
    return m, variance**0.5, deff, round(kish, 1), k, answer_w, keep, int(answers)


def _weighted_nps(frame: pd.DataFrame, n: np.ndarray, weight: np.ndarray, per_account: bool) -> NpsResult:
    promoters, detractors = frame["promoters"].to_numpy(float), frame["detractors"].to_numpy(float)
    out = _weighted(frame["cluster"], n, promoters - detractors, promoters + detractors, weight, per_account)
    if out is None:
        return nps_from_counts(0, 0, 0)
    score, se, deff, kish, k, _w, keep, answers = out
    score, se = score * 100.0, se * 100.0
    promoters_n, passives_n, detractors_n = (
        int(frame.loc[keep, c].sum()) for c in ("promoters", "passives", "detractors")
    )
    ci = (round(max(-100.0, score - Z95 * se), 2), round(min(100.0, score + Z95 * se), 2))
    return NpsResult(round(score, 2), answers, promoters_n, passives_n, detractors_n, ci, se, deff, kish, k, True)


def _weighted_mean(frame: pd.DataFrame, metric: str, weight: np.ndarray, per_account: bool) -> MeanResult | None:
    n = frame[f"{metric}_n"].to_numpy(float)
    total, total_sq = (frame[f"{metric}_{s}"].fillna(0.0).to_numpy(float) for s in ("sum", "sq"))
    out = _weighted(frame["cluster"], n, total, total_sq, weight, per_account)
    if out is None:
        return None
    score, se, deff, kish, k, answer_w, keep, answers = out
    top_count = frame[f"{metric}_top"].to_numpy(float)
    top = float((answer_w * top_count)[keep].sum() / (answer_w * n)[keep].sum())
    ci = (round(score - Z95 * se, 3), round(score + Z95 * se, 3))
    return MeanResult(round(score, 3), answers, round(100 * top, 2), ci, se, deff, kish, k, True)


def current_shares(ws: Workspace, column: str, filters: Filters = NO_FILTERS) -> list[dict]:
    """Rows ``{"column", "value", "share"}`` with the selection's own share of each value of
    ``column`` (rounded to 0.001, the largest share absorbing the rounding so they sum to 1): the
    starting point of a margins table, which the person overwrites with the population's shares."""
    quoted = checked_dimension(ws, column)
    params: dict = {}
    where = filters.where(params, extra=[f"{quoted} IS NOT NULL"])
    frame = run(
        ws.con, f"SELECT {quoted} AS value, count(*) AS n FROM facts {where} GROUP BY 1 ORDER BY 2 DESC, 1", params
    )
    if frame.empty:
        return []
    shares = (frame["n"] / frame["n"].sum()).round(3)
    shares.iloc[0] = round(1.0 - float(shares.iloc[1:].sum()), 3)
    return [{"column": column, "value": str(v), "share": float(s)} for v, s in zip(frame["value"], shares, strict=True)]
