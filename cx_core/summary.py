"""The summary document: the same numbers the pages show, as plain JSON-ready data.

The CLI prints it; later capabilities (drivers, themes, accounts...) add keys here, so the CLI stays
the headless twin of the pages.
"""

from __future__ import annotations

import datetime as dt

from .drivers import drivers_summary
from .filters import NO_FILTERS, Filters
from .ingest.recognise import mapping_warnings
from .metrics import DEFAULT_MIN_N, metric_scales, overview, scores_by_group
from .moments import has_journey_data, moments_summary
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


def build_summary(
    ws: Workspace,
    filters: Filters = NO_FILTERS,
    *,
    min_n: int = DEFAULT_MIN_N,
    themes: bool = False,
    theme_engine: str = "offline",
    environ: dict | None = None,
    as_of: dt.date | None = None,
    themes_question: str | None = None,
    themes_codebook=None,
    weight_by: str | None = None,
    weight_margins: tuple | None = None,
) -> dict:
    """The summary document of a workspace (see the README for the keys).

    ``themes`` adds ``themes`` and ``themes_uncovered_share`` (on every open question, or on the
    one whose column is ``themes_question``; each quote names its question; with ``themes_codebook``
    the themes are coded by that :class:`~cx_core.codebook.Codebook`); with ``theme_engine="llm"`` the LLM
    settings are read from ``environ`` (the caller's environment, passed in explicitly). With a CRM
    file, ``accounts`` and ``follow_up`` are added, their date rules relative to ``as_of``.
    ``weight_by`` (``"account"`` or ``"arr"``) weights ``metrics.nps``/``csat``/``ces`` so that each
    account counts once or by its ARR (``weighted`` true, ``effective_n`` Kish's; ``metrics.weighting``
    says how many accounts and which answers had no weight).
    ``weight_margins`` (:func:`cx_core.raking.read_margins`) rakes them to population margins instead.
    """
    loaded = ws.loaded
    mapping: dict[str, object] = {"survey": dict(loaded.survey_mapping.fields) if loaded else None, "crm": None}
    if loaded and loaded.crm_mapping:
        mapping["crm"] = dict(loaded.crm_mapping.fields)
    if loaded:
        mapping["drivers"] = [dict(d) for d in loaded.survey_mapping.drivers]
        # extra grouping columns: the name used in filters and groupings -> the column of the file
        mapping["dimensions"] = {
            "survey": dict(loaded.survey.dimensions),
            "crm": dict(loaded.crm.dimensions) if loaded.crm else {},
        }
    ov = overview(ws, filters)
    survey_mapping = loaded.survey_mapping if loaded else None
    scales = metric_scales(ws)

    def mapped(name: str) -> bool:
        # a workspace without its mapping (the sample, an old saved file) has every core score
        return survey_mapping is None or bool(survey_mapping.fields.get(name))

    def scored(name: str, result) -> dict | None:
        if not mapped(name) or result is None:
            return None
        return result.to_dict() | {"scale": [_whole(v) for v in scales[name]]}

    weighted = None
    if weight_by is not None:  # each account once, or by ARR: the weighted scores replace the plain ones
        from .weighting import weighted_scores

        weighted = weighted_scores(ws, filters, weight_by)
    elif weight_margins:  # raked to the population's shares
        from .weighting import weighted_scores

        weighted = weighted_scores(ws, filters, "margins", tuple(weight_margins))
    summary = {
        "inputs": [r.to_dict() for r in ws.reports],
        "mapping": mapping,
        "join": join_report(ws),
        "filters": filters.to_dict(),
        # a score the file does not have is null (never a made-up 0 or a guessed column)
        "metrics": {
            "nps": scored("nps", weighted.nps if weighted else ov.nps),
            "csat": scored("csat", weighted.csat if weighted else ov.csat),
            "ces": scored("ces", weighted.ces if weighted else ov.ces),
            "weighting": weighted.to_dict() if weighted else None,
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
    summary["warnings"] = mapping_warnings(survey_mapping)
    # the message key of each reason is for the Data page's language, not part of the CLI's contract
    summary["mapping_candidates"] = {
        name: [{k: v for k, v in c.items() if k not in ("evidence_key", "evidence_values")} for c in found]
        for name, found in (survey_mapping.candidates if survey_mapping is not None else {}).items()
    }
    summary["questions"] = questions_summary(ws)
    if themes:
        summary.update(themes_summary(ws, filters, theme_engine, environ or {}, themes_question, themes_codebook))
    if ws.has_crm:
        from .accounts import accounts_summary  # local import: accounts builds on this module's peers

        summary.update(accounts_summary(ws, as_of or dt.date.today(), filters))
    if ws.drivers:
        summary["drivers"] = drivers_summary(ws, filters, min_n=min_n)
    if has_journey_data(ws):
        summary["moments"] = moments_summary(ws, filters, min_n=min_n)
    # segmentation (issue 4): NPS per segment x role cell, and the monthly trend with its latest test
    summary["by_segment_role"] = segment_role_summary(ws, filters, min_n=min_n) if ws.has_crm else []
    summary["trend"] = trend_summary(ws, filters, grain="month", min_n=min_n)
    if loaded is not None and getattr(loaded, "cases", None) is not None:
        summary["cases"] = cases_summary(ws, as_of or dt.date.today())
    # warnings about the input files (encoding repairs, duplicates, not an account table...)
    existing = summary.get("warnings")
    summary["warnings"] = [
        *(existing if isinstance(existing, list) else []),
        *(w.to_dict("en") for r in ws.reports for w in r.warnings),  # the JSON summary reads English
    ]
    return summary


def cases_summary(ws: Workspace, as_of: dt.date) -> dict:
    """The ``cases`` key: support cases in all and per account (escalated: last 90 days to ``as_of``)."""
    from .accounts import account_cases  # local import: accounts builds on this module's peers
    from .ingest.cases import CASE_WINDOW_DAYS

    if ws.loaded is None or ws.loaded.cases is None:
        return {}
    cases = ws.loaded.cases.cases
    per_account = account_cases(ws, as_of)
    names = {}
    if ws.has_crm:
        names = dict(run_rows(ws.con, "SELECT account_key, account_id FROM accounts"))
    known = per_account["account_key"].isin(list(names)) if names else per_account["account_key"].isin([])
    reasons = cases["reason"].dropna().value_counts()
    top = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    ordered = per_account.sort_values(["cases_escalated", "cases_open", "cases_total"], ascending=False)
    return {
        "cases": int(len(cases)),
        "open": int(cases["is_open"].sum()),
        "escalated": int(per_account["cases_escalated"].sum()),
        "escalated_window_days": CASE_WINDOW_DAYS,
        "accounts": int(len(per_account)),
        "accounts_in_crm": int(known.sum()),
        "top_reasons": [{"reason": r, "cases": int(n)} for r, n in top],
        "by_account": [
            {
                "account_key": row["account_key"],
                "account_id": names.get(row["account_key"]),
                "cases_total": int(row["cases_total"]),
                "cases_open": int(row["cases_open"]),
                "cases_escalated": int(row["cases_escalated"]),
                "case_reasons": list(row["case_reasons"]),
            }
            for row in ordered.head(50).to_dict("records")
        ],
    }


def questions_summary(ws: Workspace) -> list[dict]:
    """The open-text questions loaded: ``{column, question, answers}`` (answers after validation)."""
    mapping = ws.loaded.survey_mapping if ws.loaded is not None else None
    counts = {
        str(column): (str(question), int(n))
        for column, question, n in run_rows(
            ws.con, 'SELECT "column", any_value(question), count(*) FROM answers GROUP BY 1 ORDER BY 1'
        )
    }
    out = []
    listed = [q["column"] for q in mapping.questions] if mapping is not None else []
    for column in listed + [c for c in counts if c not in listed]:
        question, n = counts.get(column, (None, 0))
        if question is None and mapping is not None:
            question = next((q.get("question") for q in mapping.questions if q["column"] == column), column)
        out.append({"column": column, "question": question, "answers": n})
    return out


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def themes_summary(
    ws: Workspace, filters: Filters, engine: str, environ: dict, question: str | None = None, codebook=None
) -> dict:
    """The ``themes`` keys of the summary (label, count, share, sentiment, response ids, quotes).

    Each theme also carries ``polarity`` (mentions by polarity); one side of a topic split by
    polarity carries ``topic`` and ``side`` ("praise", "complaint" or "neutral"); the general
    praise/complaint groups carry ``"general": true``; a theme that divides further carries
    ``subthemes`` (label, count, response ids); ``themes_non_answers`` counts non-answers.
    ``question`` (a column) runs the themes on one open question only. With ``codebook`` every
    theme is a codebook theme (``codebook_id``, its label) and ``themes_uncoded_share`` and
    ``themes_candidates`` (new groups among the uncoded comments) are added.
    """
    from .themes import (  # noqa: PLC0415
        LLMConfig,
        Redactor,
        comments_from_workspace,
        crm_names,
        extract_themes,
        with_questions,
    )

    comments = comments_from_workspace(ws, filters, question)
    if engine == "llm":
        result = extract_themes(comments, "llm", llm=LLMConfig.from_mapping(environ), redactor=Redactor(crm_names(ws)))
    else:
        result = extract_themes(comments, "offline")
    coded = None
    if codebook is not None:
        from .codebook import apply_codebook  # noqa: PLC0415

        coded = apply_codebook(codebook, comments, engine_result=result)
        result = coded.result
    result = with_questions(result, comments)  # each quote says which open question it answers
    out = {
        "themes": [
            {
                "label": t.label,
                "count": t.count,
                "share": t.share,
                "sentiment": t.sentiment,
                "response_ids": t.response_ids,
                "quotes": [q.to_dict() for q in t.quotes],
                "need": t.need or None,
                "source": t.source,
                "polarity": dict(t.polarity),
                **({"topic": t.topic, "side": t.side} if t.side and not t.general else {}),
                **({"general": True, "side": t.side} if t.general else {}),
                **({"subthemes": [s.to_dict() for s in t.subthemes]} if t.subthemes else {}),
                **({"codebook_id": t.key, "description": t.description} if coded is not None else {}),
            }
            for t in result.themes
        ],
        "themes_broad_topics": list(result.broad_topics),
        "themes_uncovered_share": result.uncovered_share,
        "themes_engine": result.engine,
        "themes_non_answers": result.n_non_answers,
        "themes_messages": result.messages,
    }
    if coded is not None:
        out["themes_uncoded_share"] = coded.uncoded_share
        out["themes_candidates"] = [c.to_dict() for c in coded.candidates]
        out["themes_codebook"] = coded.preview(codebook)
    return out
