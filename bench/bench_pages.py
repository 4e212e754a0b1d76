"""Benchmark: recomputing the Overview page vs plain pandas on the same data, in the same run.

Ours: what the Overview page asks the core for on every rerun - :func:`overview`,
:func:`nps_distribution`, and :func:`scores_by_group` by segment and by role - on a
:class:`Workspace` (DuckDB, the ``facts`` view joins responses to accounts on each query).
Baseline: the same aggregates written the obvious way in pandas from the same loaded frames
(left merge of responses and accounts, boolean masks, ``groupby().agg``), ending in the same
pure :func:`nps_from_counts` / :func:`mean_from_moments` calls. Both are checked to give the same
counts before they are timed. Cases: no filter, and the sidebar's segment filter.
"""

from __future__ import annotations

import statistics
import time

import pandas as pd

from bench.synthetic import synthetic_csv_bytes
from cx_core import Filters, Workspace, load_inputs, nps_distribution, overview, scores_by_group
from cx_core.stats import mean_from_moments, nps_from_counts


def accounts_for(size: int) -> int:
    """Accounts in the synthetic data: about 20 responses per account, at least 50."""
    return max(50, size // 20)


def _ours(ws: Workspace, filters: Filters) -> dict:
    ov = overview(ws, filters)
    dist = nps_distribution(ws, filters)
    by_segment = scores_by_group(ws, "segment", filters)
    by_role = scores_by_group(ws, "respondent_role", filters)
    return {
        "n": ov.nps.n,
        "promoters": ov.nps.promoters,
        "detractors": ov.nps.detractors,
        "accounts": ov.accounts,
        "distribution": [int(c) for c in dist["count"]],
        "segment": {g.group: (g.nps.n, g.nps.promoters, g.nps.detractors) for g in by_segment},
        "role": {g.group: (g.nps.n, g.nps.promoters, g.nps.detractors) for g in by_role},
    }


def _group_scores(frame: pd.DataFrame, column: str) -> dict:
    grouped = frame.groupby(column, dropna=False, sort=False).agg(
        n=("nps", "size"),
        promoters=("is_promoter", "sum"),
        passives=("is_passive", "sum"),
        detractors=("is_detractor", "sum"),
        csat_n=("csat", "count"),
        csat_sum=("csat", "sum"),
        csat_sq=("csat_sq", "sum"),
        csat_top=("csat_top", "sum"),
        ces_n=("ces", "count"),
        ces_sum=("ces", "sum"),
        ces_sq=("ces_sq", "sum"),
        ces_top=("ces_top", "sum"),
    )
    out = {}
    for group, row in grouped.iterrows():
        nps = nps_from_counts(row["promoters"], row["passives"], row["detractors"])
        if row["csat_n"]:
            mean_from_moments(row["csat_n"], row["csat_sum"], row["csat_sq"], row["csat_top"])
        if row["ces_n"]:
            mean_from_moments(row["ces_n"], row["ces_sum"], row["ces_sq"], row["ces_top"])
        out[str(group)] = (nps.n, nps.promoters, nps.detractors)
    return out


def _pandas(responses: pd.DataFrame, accounts: pd.DataFrame, segments: tuple[str, ...] = ()) -> dict:
    """The Overview page's numbers in plain pandas, from the loaded frames."""
    facts = responses.merge(accounts[["account_key", "segment"]], on="account_key", how="left")
    facts["segment"] = facts["segment"].fillna("(not set)")
    if segments:
        facts = facts[facts["segment"].isin(segments)]
    nps = facts["nps"]
    facts = facts.assign(
        is_promoter=(nps >= 9).astype("int64"),
        is_passive=nps.between(7, 8).astype("int64"),
        is_detractor=(nps <= 6).astype("int64"),
        csat_sq=facts["csat"] ** 2,
        csat_top=(facts["csat"] >= 4).astype("int64"),
        ces_sq=facts["ces"] ** 2,
        ces_top=(facts["ces"] >= 6).astype("int64"),
    )
    overall = nps_from_counts(facts["is_promoter"].sum(), facts["is_passive"].sum(), facts["is_detractor"].sum())
    csat = facts["csat"].dropna()
    if len(csat):
        mean_from_moments(len(csat), csat.sum(), (csat**2).sum(), (csat >= 4).sum())
    ces = facts["ces"].dropna()
    if len(ces):
        mean_from_moments(len(ces), ces.sum(), (ces**2).sum(), (ces >= 6).sum())
    facts["submitted_at"].min(), facts["submitted_at"].max()
    distribution = nps.value_counts().reindex(range(11), fill_value=0)
    return {
        "n": overall.n,
        "promoters": overall.promoters,
        "detractors": overall.detractors,
        "accounts": int(facts["account_key"].nunique()),
        "distribution": [int(c) for c in distribution],
        "segment": _group_scores(facts, "segment"),
        "role": _group_scores(facts, "respondent_role"),
    }


def _median_time(fn, repeats: int) -> float:
    fn()  # warm-up: first-query planning and pandas' lazy imports are not what a rerun pays
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(sizes: list[int]) -> list[dict]:
    """Two cases per size (no filter; segment filter), ours vs pandas, median of repeats."""
    rows = []
    for size in sizes:
        survey, crm = synthetic_csv_bytes(size, accounts_for(size), seed=1)
        loaded = load_inputs(survey, "survey.csv", crm, "crm.csv")
        del survey, crm
        ws = Workspace.from_loaded(loaded)
        responses = loaded.survey.responses
        accounts = loaded.crm.accounts
        db_mb = ws.con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0] / 2**20
        repeats = 5 if size <= 100_000 else 3
        for case, segments in (("Overview page, no filter", ()), ("Overview page, segment filter (SMB)", ("SMB",))):
            filters = Filters.make(segment=list(segments))
            ours_result = _ours(ws, filters)
            base_result = _pandas(responses, accounts, segments)
            if ours_result != base_result:
                raise AssertionError(f"pandas and DuckDB disagree for {case} at {size}")
            ours = _median_time(lambda f=filters, w=ws: _ours(w, f), repeats)
            base = _median_time(lambda s=segments, r=responses, a=accounts: _pandas(r, a, s), repeats)
            rows.append(
                {
                    "area": "pages",
                    "case": case,
                    "size": size,
                    "ours_s": round(ours, 4),
                    "baseline": "plain pandas (merge + masks + groupby)",
                    "baseline_s": round(base, 4),
                    "ratio": round(ours / base, 3) if base else None,
                    "note": f"overview + NPS distribution + by segment + by role; {ours_result['n']:,} responses "
                    f"in selection, {len(accounts):,} accounts; identical counts; median of {repeats}; "
                    f"workspace DuckDB memory {db_mb:.0f} MB",
                }
            )
        ws.close()
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run([10_000]):
        print(row)
