"""The summary document: the same numbers the pages show, as plain JSON-ready data.

The CLI prints it; later capabilities (drivers, themes, accounts...) add keys here, so the CLI stays
the headless twin of the pages.
"""

from __future__ import annotations

from .filters import NO_FILTERS, Filters
from .metrics import DEFAULT_MIN_N, overview, scores_by_group
from .segments import segment_role_summary, trend_summary
from .sql import run_rows
from .workspace import Workspace


def join_report(ws: Workspace) -> dict | None:
    """How many responses found their account in the CRM file (None without a CRM file)."""
    if not ws.has_crm:
        return None
    total, matched = run_rows(ws.con, "SELECT count(*), count(*) FILTER (WHERE crm_matched) FROM facts")[0]
    unmatched_ids = [
        r[0]
        for r in run_rows(
            ws.con,
            "SELECT DISTINCT account_id FROM facts WHERE NOT crm_matched AND account_id IS NOT NULL "
            "ORDER BY 1 LIMIT 200",
        )
    ]
    return {
        "responses": int(total),
        "matched": int(matched),
        "unmatched": int(total - matched),
        "unmatched_account_ids": unmatched_ids,
    }


def build_summary(ws: Workspace, filters: Filters = NO_FILTERS, *, min_n: int = DEFAULT_MIN_N) -> dict:
    """The summary document of a workspace (see the README for the keys)."""
    loaded = ws.loaded
    mapping = {"survey": dict(loaded.survey_mapping.fields) if loaded else None, "crm": None}
    if loaded and loaded.crm_mapping:
        mapping["crm"] = dict(loaded.crm_mapping.fields)
    if loaded:
        mapping["drivers"] = [dict(d) for d in loaded.survey_mapping.drivers]
    ov = overview(ws, filters)
    summary = {
        "inputs": [r.to_dict() for r in ws.reports],
        "mapping": mapping,
        "join": join_report(ws),
        "filters": filters.to_dict(),
        "metrics": {
            "nps": ov.nps.to_dict(),
            "csat": ov.csat.to_dict() if ov.csat else None,
            "ces": ov.ces.to_dict() if ov.ces else None,
            "responses": ov.responses,
            "accounts": ov.accounts,
            "first_date": ov.first_date,
            "last_date": ov.last_date,
        },
        "by_role": [g.to_dict("role") for g in scores_by_group(ws, "respondent_role", filters, min_n=min_n)],
        "by_segment": [g.to_dict("segment") for g in scores_by_group(ws, "segment", filters, min_n=min_n)]
        if ws.has_crm
        else [],
    }
    # segmentation (issue 4): NPS per segment x role cell, and the monthly trend with its latest test
    summary["by_segment_role"] = segment_role_summary(ws, filters, min_n=min_n) if ws.has_crm else []
    summary["trend"] = trend_summary(ws, filters, grain="month", min_n=min_n)
    return summary
