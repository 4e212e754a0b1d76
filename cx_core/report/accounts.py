"""Report sections of the account pages: ARR at risk, the follow-up list, and one account's page.

Each states its finding, n and scope, and carries the table (and chart) that the page shows,
exports as CSV/XLSX/PNG/SVG and presents one per screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from ..accounts import (
    DEFAULT_RULES,
    DRIVER_WINDOW_DAYS,
    MIN_ACCOUNTS,
    MIN_CHURNED,
    THEME_WINDOW_DAYS,
    AccountView,
    account_health,
    clear_churn_leader,
    default_as_of,
    follow_up_list,
    follow_up_totals,
    need_label,
    reasons_text,
    risk_summary,
    roles_text,
)
from ..cells import Column
from ..cells import ColumnKind as K
from ..i18n_format import chart_title, format_date, format_number, format_percent, title_detail
from ..labels import code_label
from ..messages import t
from ..roles import role_label
from ..shared_views import dataset_identity
from ._common import num
from .charts import COLOURS, chart_in_language, dated_points_by_series, horizontal_bars
from .sections import ReportContext, Section, section_builder, typed_table

TOP_FOLLOW_UPS = 10


def report_as_of(ctx: ReportContext) -> dt.date:
    """``extras["as_of"]`` when given, else :func:`cx_core.accounts.default_as_of`."""
    given = ctx.extras.get("as_of")
    if isinstance(given, str):
        given = dt.date.fromisoformat(given)
    return given or default_as_of(bool(ctx.extras.get("is_sample", False)))


def account_health_of(ctx: ReportContext) -> pd.DataFrame:
    """:func:`cx_core.accounts.account_health` of the report's filters, computed once per report."""
    return ctx.memo(
        "account_health",
        lambda: account_health(ctx.ws, report_as_of(ctx), ctx.filters, ctx.extras.get("role_weights")),
    )


def accounts_section(ctx: ReportContext, health: pd.DataFrame, as_of: dt.date) -> Section | None:
    """ARR at risk: accounts and ARR by risk level (from :func:`cx_core.accounts.risk_summary`)."""
    lang = ctx.lang
    if health.empty:
        return None
    summary = risk_summary(health)
    total_arr = sum(level["arr"] for level in summary.values())
    high = summary["high"]
    share = 100 * high["arr"] / total_arr if total_arr else 0.0
    finding = t(
        "rsec.accounts_finding",
        lang,
        arr=num(high["arr"], lang),
        accounts=num(high["accounts"], lang),
        share=format_percent(share, lang, digits=1),
        as_of=format_date(as_of, lang),
    )
    n = int(len(health))
    levels = ("high", "medium", "low")
    table, columns = typed_table(
        (t("accounts.col.risk", lang), K.CODE, [t(f"accounts.risk.{lv}", lang) for lv in levels]),
        (t("rsec.col_accounts", lang), K.COUNT, [summary[lv]["accounts"] for lv in levels]),
        (t("accounts.col.arr", lang), K.MONEY, [summary[lv]["arr"] for lv in levels]),
        (
            t("rsec.col_arr_share", lang),
            K.SHARE,
            [round(100 * summary[lv]["arr"] / total_arr, 1) if total_arr else None for lv in levels],
        ),
    )
    values = [{"label": t(f"accounts.risk.{lv}", lang), "value": summary[lv]["arr"], "kind": lv} for lv in levels]
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(finding, n),
        x_title=t("accounts.col.arr", lang),
        y_title="",
        colour_field="kind",
        colour_scale={
            "scale": {"domain": list(levels), "range": [COLOURS["detractor"], "#ef6c00", COLOURS["promoter"]]}
        },
    )
    return ctx.section("accounts", finding, n, table=table, chart=chart, columns=columns)


@section_builder("accounts")
def _accounts_builder(ctx: ReportContext) -> Section | None:
    if not ctx.ws.has_crm:
        return None
    return accounts_section(ctx, account_health_of(ctx), report_as_of(ctx))


def follow_up_section(
    ctx: ReportContext, items: pd.DataFrame, as_of: dt.date, top: int | None = None
) -> Section | None:
    """The top follow-up items (largest ARR first): owner, account, reason, action and due date."""
    lang = ctx.lang
    if items.empty:
        return None
    top = int(top or ctx.extras.get("follow_up_top") or TOP_FOLLOW_UPS)
    totals = follow_up_totals(items)
    finding = t(
        "rsec.follow_up_finding",
        lang,
        items=num(totals["items"], lang),
        open=num(totals["open"], lang),
        accounts=num(totals["accounts_at_risk"], lang),
        detractors=num(totals["detractors"], lang),
        top=min(top, len(items)),
    )
    shown = items.head(top)
    table, columns = typed_table(
        (t("follow_up.col.owner", lang), K.TEXT, list(shown["owner"])),
        (t("follow_up.col.account_name", lang), K.TEXT, list(shown["account_name"])),
        (t("follow_up.col.kind", lang), K.CODE, [t(f"follow_up.kind.{k}", lang) for k in shown["kind"]]),
        (t("follow_up.col.arr", lang), K.MONEY, list(shown["arr"])),
        (t("follow_up.col.reason", lang), K.TEXT, list(shown["reason"])),
        (t("follow_up.col.action", lang), K.TEXT, list(shown["action"])),
        (t("follow_up.col.due_date", lang), K.DATE, list(shown["due_date"])),
        (t("follow_up.col.done", lang), K.FLAG, list(shown["done"].astype(bool))),
    )
    n = totals["items"]
    notes = [t("rsec.follow_up_note", lang, as_of=format_date(as_of, lang))]
    return ctx.section("follow_up", finding, n, table=table, notes=notes, columns=columns)


@section_builder("follow_up")
def _follow_up_builder(ctx: ReportContext) -> Section | None:
    as_of = report_as_of(ctx)
    health = account_health_of(ctx) if ctx.ws.has_crm else None
    items = follow_up_list(
        ctx.ws, as_of, lang=ctx.lang, filters=ctx.filters, weights=ctx.extras.get("role_weights"), health=health
    )
    return follow_up_section(ctx, items, as_of)


#: The kind of each column of the account health table.
_HEALTH_KINDS = {
    "account_name": K.TEXT,
    "risk": K.CODE,
    "reasons": K.TEXT,
    "arr": K.MONEY,
    "renewal_date": K.DATE,
    "weighted_nps": K.NPS,
    "nps_change": K.NPS,
    "account_id": K.TEXT,
    "segment": K.CODE,
    "owner": K.TEXT,
    "days_to_renewal": K.COUNT,
    "respondents": K.COUNT,
    "roles_responded": K.TEXT,
    "roles_missing": K.TEXT,
    "detractors": K.COUNT,
    "churned_flag": K.FLAG,
    "latest_comments": K.TEXT,
}

#: The kind of each column of the churn outcome tables (rates and shares in %).
_OUTCOME_KINDS = {
    "group": K.CODE,
    "accounts": K.COUNT,
    "churned": K.COUNT,
    "churn_rate": K.SHARE,
    "churn_ci_low": K.SHARE,
    "churn_ci_high": K.SHARE,
    "arr": K.MONEY,
    "churned_arr": K.MONEY,
    "arr_share": K.SHARE,
    "small_sample": K.FLAG,
}


def account_health_section(ctx: ReportContext, health: pd.DataFrame, levels=None, rules=None) -> Section | None:
    """Every account of the chosen risk ``levels`` with its risk, the reasons, ARR, renewal and answers."""
    lang = ctx.lang
    if health.empty:
        return None
    counts = health["risk"].value_counts()
    finding = t(
        "accounts.count_caption",
        lang,
        accounts=num(len(health), lang),
        high=int(counts.get("high", 0)),
        medium=int(counts.get("medium", 0)),
        low=int(counts.get("low", 0)),
    )
    chosen = health if levels is None else health[health["risk"].isin(list(levels))]
    table = pd.DataFrame(
        {
            # who, how risky, why and how much first: visible without scrolling at 1280 px
            "account_name": chosen["account_name"],
            "risk": chosen["risk"].map(lambda r: t(f"accounts.risk.{r}", lang)),
            "reasons": chosen["reasons"].map(lambda codes: reasons_text(codes, lang, rules or DEFAULT_RULES)),
            "arr": chosen["arr"],
            "renewal_date": chosen["renewal_date"],
            "weighted_nps": chosen["weighted_nps"],
            "nps_change": chosen["nps_change"],
            "account_id": chosen["account_id"],
            "segment": chosen["segment"],
            "owner": chosen["owner"],
            "days_to_renewal": chosen["days_to_renewal"],
            "respondents": chosen["respondents"],
            "roles_responded": chosen["roles_responded"].map(lambda r: roles_text(r, lang)),
            "roles_missing": chosen["roles_missing"].map(lambda r: roles_text(r, lang)),
            "detractors": chosen["detractors"],
            "churned_flag": chosen["churned"],
            "latest_comments": chosen["latest_comments"],
        }
    )
    table = table.assign(segment=[code_label(s, lang) for s in table["segment"]])  # 中堅企業, not mid-market
    columns = tuple(Column(t(f"accounts.col.{c}", lang), _HEALTH_KINDS[c]) for c in table.columns)
    table = table.rename(columns={c: t(f"accounts.col.{c}", lang) for c in table.columns}).reset_index(drop=True)
    n = int(len(health))
    heading = f"{t('accounts.health_title', lang)}: {finding}"
    section = ctx.section("health", finding, n, heading=heading, table=table, columns=columns)
    return replace(section, shared_as=dataset_identity(ctx.ws))  # every account: its cells shared


def outcome_sections(ctx: ReportContext, outcomes) -> list[Section]:
    """Churn and ARR by account NPS category and by weighted NPS band (churn rate with its 95% interval)."""
    lang = ctx.lang
    if not outcomes.accounts:
        return []
    notes = [t("accounts.outcomes_caption", lang)]
    if outcomes.small_data:
        notes.append(
            t(
                "accounts.small_data",
                lang,
                accounts=outcomes.accounts,
                churned=outcomes.churned,
                min_accounts=MIN_ACCOUNTS,
                min_churned=MIN_CHURNED,
            )
        )

    def band_name(band: str) -> str:
        return t("accounts.category.no_response", lang) if band == "no_response" else str(band)

    sections = []
    for key, frame, name in (
        ("by_category", outcomes.by_category, lambda g: t(f"accounts.category.{g}", lang)),
        ("by_band", outcomes.by_band, band_name),
    ):
        if frame.empty:
            continue
        shown = frame.assign(group=[name(g) for g in frame["group"]])
        rated = shown[~shown["small_sample"].astype(bool)] if "small_sample" in shown else shown
        rated = rated.dropna(subset=["churn_rate"]).sort_values("churn_rate")
        leader, tested = clear_churn_leader(frame)
        if len(rated):
            worst = rated.iloc[-1]
            # "churns most" only when a test supports it (Holm over the groups), else say it is unclear
            finding = t(
                "accounts.finding_churn" if leader is not None else "accounts.finding_churn_unclear",
                lang,
                group=worst["group"],
                rate=format_percent(worst["churn_rate"], lang, digits=1),
                accounts=num(worst["accounts"], lang),
            )
        else:
            finding = t("accounts.small_data_short", lang)
        section_notes = [*notes, t("accounts.churn_test_note", lang, k=tested)] if tested > 1 else notes
        columns = tuple(Column(t(f"accounts.col.{c}", lang), _OUTCOME_KINDS[c]) for c in shown.columns)
        table = shown.rename(columns={c: t(f"accounts.col.{c}", lang) for c in shown.columns})
        heading = f"{t(f'accounts.{key}', lang)}: {finding}"
        chart = None
        if key == "by_band":
            values = [
                {
                    "label": r.group,
                    "value": None if pd.isna(r.churn_rate) else float(r.churn_rate),
                    "low": None if pd.isna(r.churn_ci_low) else float(r.churn_ci_low),
                    "high": None if pd.isna(r.churn_ci_high) else float(r.churn_ci_high),
                    "n": int(r.accounts),
                }
                for r in shown.itertuples(index=False)
            ]
            chart = horizontal_bars(
                values,
                title=ctx.chart_title(heading, outcomes.accounts),
                x_title=t("accounts.col.churn_rate", lang),
                y_title="",
                domain=(0, 100),  # a rate in %: the axis fits the rates and their intervals
                with_interval=True,
            )
        sections.append(
            ctx.section(
                key,
                finding,
                outcomes.accounts,
                heading=heading,
                table=table,
                chart=chart,
                notes=section_notes,
                columns=columns,
            )
        )
    return sections


# --- one account (the Account page) ---------------------------------------------------------------


def account_scope(view: AccountView, as_of: dt.date, lang: str) -> str:
    """What the account's numbers cover, for titles: ``Acme (ACC-1) · answers up to 1 Oct 2026``."""
    acc = view.health
    return t(
        "account_page.scope",
        lang,
        account=f"{acc['account_name']} ({acc['account_id']})",
        as_of=format_date(as_of, lang),
    )


def _col(name: str, lang: str) -> str:
    return t(f"account_page.col.{name}", lang)


def _actions_section(view: AccountView, actions: pd.DataFrame, source: str, scope: str, lang: str) -> Section:
    n = int(view.timeline["answers"].sum()) if len(view.timeline) else 0
    if actions.empty:
        finding = t("account_page.no_actions", lang)
    else:
        finding = t("account_page.finding.actions", lang, need=actions["need_label"].iloc[0], count=len(actions))
    table, columns = typed_table(
        (_col("need", lang), K.CODE, actions["need_label"]),
        (_col("evidence", lang), K.TEXT, actions["evidence"]),
        (_col("action", lang), K.TEXT, actions["action"]),
    )
    note = t("account_page.actions_llm_caption" if source == "llm" else "account_page.actions_caption", lang)
    heading = f"{t('account_page.actions', lang)}: {finding}"
    return Section("actions", chart_title(heading, n, scope, lang), finding, n, scope, table, None, [note], columns)


def _themes_section(view: AccountView, scope: str, lang: str) -> Section:
    themes = view.themes
    n = len(view.verbatims)
    complaints = themes[themes["recent_complaints"] > 0] if len(themes) else themes
    if len(complaints):
        top = complaints.iloc[0]
        finding = t("account_page.finding.theme", lang, label=top["label"], count=int(top["recent_complaints"]))
    elif len(themes):
        finding = t("account_page.finding.no_complaint_theme", lang, days=THEME_WINDOW_DAYS)
    else:
        finding = t("account_page.finding.no_themes", lang)
    table, columns = typed_table(
        (_col("theme", lang), K.TEXT, themes["label"]),
        (_col("need", lang), K.CODE, [need_label(x, lang) for x in themes["need"]]),
        (_col("comments", lang), K.COUNT, themes["count"]),
        (_col("non_promoters", lang), K.COUNT, themes["non_promoters"]),
        (_col("recent_complaints", lang), K.COUNT, themes["recent_complaints"]),
        (_col("mean_nps", lang), K.SCORE, themes["mean_nps"]),
        (_col("theme_nps", lang), K.NPS, themes["theme_nps"]),
        (_col("response_id", lang), K.TEXT, themes["quote_id"]),
        (_col("quote", lang), K.TEXT, themes["quote"]),
    )
    heading = f"{t('account_page.themes', lang)}: {finding}"
    notes = [t("account_page.themes_caption", lang, days=THEME_WINDOW_DAYS)]
    return Section("themes", chart_title(heading, n, scope, lang), finding, n, scope, table, None, notes, columns)


def _timeline_chart(view: AccountView, title: list[str], lang: str) -> dict:
    values = [
        {"date": str(r.day), "series": role_label(r.role, lang), "value": float(r.mean_nps), "n": int(r.answers)}
        for r in view.timeline.itertuples()
    ]
    return dated_points_by_series(
        values,
        title=title,
        x_title=_col("date", lang),
        y_title=_col("mean_nps", lang),
        series_title=_col("role", lang),
        n_title=_col("answers", lang),
        y_domain=(0, 10),
    )


def _timeline_section(view: AccountView, scope: str, lang: str) -> Section | None:
    timeline = view.timeline
    if timeline.empty:
        return None
    n = int(timeline["answers"].sum())
    weighted = timeline.assign(total=timeline["mean_nps"] * timeline["answers"])
    by_role = weighted.groupby("role")[["total", "answers"]].sum()
    by_role["mean"] = by_role["total"] / by_role["answers"]
    lowest = by_role.sort_values(["mean", "answers"], ascending=[True, False]).iloc[0]
    finding = t(
        "account_page.finding.timeline",
        lang,
        role=role_label(str(lowest.name), lang),
        mean=format_number(lowest["mean"], lang, digits=1),
        n=format_number(lowest["answers"], lang),
    )
    table, columns = typed_table(
        (_col("date", lang), K.DATE, timeline["day"]),
        (_col("role", lang), K.CODE, [role_label(r, lang) for r in timeline["role"]]),
        (_col("mean_nps", lang), K.SCORE, timeline["mean_nps"]),
        (_col("answers", lang), K.COUNT, timeline["answers"]),
    )
    heading = f"{t('account_page.timeline_title', lang)}: {finding}"
    chart = _timeline_chart(view, [heading, title_detail(n, scope, lang)], lang)
    notes = [t("account_page.timeline_caption", lang)]
    return Section(
        "timeline",
        chart_title(heading, n, scope, lang),
        finding,
        n,
        scope,
        table,
        chart_in_language(chart, lang),
        notes,
        columns,
    )


def _verbatims_section(view: AccountView, scope: str, lang: str) -> Section | None:
    verbatims = view.verbatims
    if verbatims.empty:
        return None
    labels = dict(zip(view.themes["key"], view.themes["label"], strict=True)) if len(view.themes) else {}
    n = len(verbatims)
    finding = t(
        "account_page.finding.verbatims",
        lang,
        count=format_number(n, lang),
        latest=format_date(verbatims["day"].iloc[0], lang),
    )
    table, columns = typed_table(
        (_col("date", lang), K.DATE, verbatims["day"]),
        (_col("response_id", lang), K.TEXT, verbatims["response_id"]),
        (_col("role", lang), K.CODE, [role_label(r, lang) for r in verbatims["role"]]),
        (_col("nps", lang), K.COUNT, verbatims["nps"]),  # the answer 0-10 itself, a whole number
        (_col("touchpoint", lang), K.CODE, [code_label(v, lang) for v in verbatims["touchpoint"]]),
        (_col("comment", lang), K.TEXT, verbatims["comment"]),
        (
            _col("themes", lang),
            K.TEXT,
            [" · ".join(labels.get(k, k) for k in keys) for keys in verbatims["themes"]],
        ),
    )
    heading = f"{t('account_page.verbatims', lang)}: {finding}"
    return Section("verbatims", chart_title(heading, n, scope, lang), finding, n, scope, table, columns=columns)


def _drivers_section(view: AccountView, as_of: dt.date, scope: str, lang: str) -> Section | None:
    drivers = view.drivers
    if drivers.empty:
        return None
    n = int(drivers["account_n"].sum())
    rated = drivers[(drivers["account_n"] > 0) & drivers["gap"].notna()]
    if len(rated) and rated["gap"].iloc[0] < 0:
        weakest = rated.iloc[0]
        finding = t(
            "account_page.finding.driver",
            lang,
            label=weakest["label"],
            gap=format_number(weakest["gap"], lang, digits=2, sign=True),
        )
    else:
        finding = t("account_page.finding.no_weak_driver", lang)
    table, columns = typed_table(
        (_col("driver", lang), K.TEXT, drivers["label"]),
        (_col("need", lang), K.CODE, [need_label(x, lang) for x in drivers["need"]]),
        (_col("account_mean", lang), K.SCORE, drivers["account_mean"]),
        (_col("account_n", lang), K.COUNT, drivers["account_n"]),
        (_col("segment_mean", lang), K.SCORE, drivers["segment_mean"]),
        (_col("segment_n", lang), K.COUNT, drivers["segment_n"]),
        (_col("gap", lang), K.SCORE_CHANGE, drivers["gap"]),
    )
    heading = f"{t('account_page.drivers', lang)}: {finding}"
    notes = [t("account_page.drivers_caption", lang, days=DRIVER_WINDOW_DAYS, as_of=format_date(as_of, lang))]
    return Section("drivers", chart_title(heading, n, scope, lang), finding, n, scope, table, None, notes, columns)


def account_sections(
    view: AccountView,
    as_of: dt.date,
    lang: str,
    *,
    actions: pd.DataFrame | None = None,
    actions_source: str = "rules",
) -> list[Section]:
    """The Account page's sections in reading order: actions, themes, timeline, verbatims, drivers.

    ``actions`` replaces the rule-based actions (e.g. the LLM's phrasing, ``actions_source="llm"``).
    """
    scope = account_scope(view, as_of, lang)
    shown = view.actions if actions is None else actions
    sections = [
        _actions_section(view, shown, actions_source if actions is not None else "rules", scope, lang),
        _themes_section(view, scope, lang),
        _timeline_section(view, scope, lang),
        _verbatims_section(view, scope, lang),
        _drivers_section(view, as_of, scope, lang),
    ]
    return [s for s in sections if s is not None]
