"""Role-weighted account NPS: each account's NPS where each role's voice counts by its weight.

For one account, each role that answered gets its own NPS (mean of +100 promoter / 0 passive /
-100 detractor over that role's answers); the account's weighted NPS is the weighted mean of those
role scores, using only the roles that answered. Roles with weight 0 are ignored.
"""

from __future__ import annotations

import pandas as pd

from .filters import NO_FILTERS, Filters
from .roles import ROLES, clean_role_weights
from .sql import in_list, run
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
