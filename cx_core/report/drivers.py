"""Report sections of the Needs & drivers page: key drivers and need scores (and their builders)."""

from __future__ import annotations

import pandas as pd

from ..cells import ColumnKind as K
from ..drivers import OUTCOMES, catalogue_from_workspace, default_outcome, key_drivers, need_scores
from ..messages import dimension_label, t
from ..stats import Z95, two_sided_p
from ._common import num, value_label
from .charts import horizontal_bars, quadrant_key, quadrant_scatter
from .sections import ReportContext, Section, section_builder, typed_table


def driver_catalogue(ctx: ReportContext) -> list:
    """The session's edited catalogue when given (``extras["driver_catalogue"]``), else the suggested one."""
    given = ctx.extras.get("driver_catalogue")
    return list(given) if given else catalogue_from_workspace(ctx.ws)


def outcome_label(ws, outcome: str, lang: str) -> str:
    """What key drivers explain, in words: a core score's name, else the driver rating's own label."""
    if outcome in OUTCOMES:
        return t(f"drivers.outcome.{outcome}", lang)
    return next((d.label for d in ws.drivers if d.key == outcome), outcome)


def performance_title(result, lang: str) -> str:
    """ "Mean (0-10)" on the drivers' shared scale ("Mean (1-5)" when scales are mixed), or top-2 box."""
    if result.performance_measure != "mean":
        return t(f"drivers.measure.{result.performance_measure}", lang)
    low, high = getattr(result, "performance_scale", (1, 5))
    return t("coverage.mean_on_scale", lang, low=f"{low:g}", high=f"{high:g}")


def drivers_section(ctx: ReportContext, result) -> Section | None:
    """Key drivers: importance x performance with the quadrant of each driver (and the quadrant chart)."""
    lang = ctx.lang
    if "too_few" in result.warnings or not result.drivers:
        return None
    top = result.drivers[0]
    fix = [d.label for d in result.drivers if d.quadrant == "fix_first"]
    finding = t(
        "rsec.drivers_finding",
        lang,
        outcome=outcome_label(ctx.ws, result.outcome, lang),
        driver=top.label,
        importance=num(top.importance, lang),
        r2=num(result.r_squared, lang, digits=2),
        fix=", ".join(fix) if fix else t("rsec.none", lang),
    )
    n = result.n_used
    perf_title = performance_title(result, lang)
    quadrant = {q: t(f"drivers.quadrant.{q}", lang) for q in ("fix_first", "keep_up", "maintain", "lower_priority")}
    drivers = result.drivers
    table, columns = typed_table(
        ("#", K.COUNT, [d.rank for d in drivers]),
        (t("drivers.driver", lang), K.TEXT, [d.label for d in drivers]),
        (t("drivers.need", lang), K.CODE, [t(f"drivers.need.{d.need}", lang) for d in drivers]),
        (t("drivers.importance", lang), K.SHARE, [d.importance for d in drivers]),
        (t("overview.ci_low", lang), K.SHARE, [d.importance_ci95[0] if d.importance_ci95 else None for d in drivers]),
        (t("overview.ci_high", lang), K.SHARE, [d.importance_ci95[1] if d.importance_ci95 else None for d in drivers]),
        # a mean rating, or a top-2-box share
        (perf_title, K.SCORE if result.performance_measure == "mean" else K.SHARE, [d.performance for d in drivers]),
        ("n", K.COUNT, [d.performance_n for d in drivers]),
        (t("drivers.quadrant", lang), K.CODE, [quadrant.get(d.quadrant or "", "—") for d in drivers]),
    )
    values = [
        {"label": d.label, "x": d.performance, "y": d.importance, "quadrant": d.quadrant}
        for d in result.drivers
        if d.importance is not None and d.performance is not None
    ]
    chart = quadrant_scatter(
        values,
        title=ctx.chart_title(finding, n),
        x_title=perf_title,
        y_title=t("drivers.importance", lang),
        x_split=result.performance_split,
        y_split=result.importance_split,
        quadrant_labels=quadrant,
    )
    notes = [t("rsec.drivers_uncertain", lang)] if result.ranking_uncertain else []
    key = quadrant_key(chart)
    if key:  # names of the crowded points, numbered on the chart
        notes.append(t("drivers.chart_key", lang, names=" · ".join(f"{number} {name}" for number, name in key)))
    notes.append(
        t(
            "drivers.kd_method",
            lang,
            outcome=outcome_label(ctx.ws, result.outcome, lang),
            missing=t(f"drivers.missing.{result.missing}", lang),
            n=num(result.n_used, lang),
            responses=num(result.responses, lang),
            resamples=result.resamples,
            split=t(f"drivers.split.{result.split_method}", lang),
        )
    )
    if result.excluded:
        notes.append(t("drivers.excluded", lang, drivers=", ".join(result.excluded)))
    return ctx.section("drivers", finding, n, table=table, chart=chart, notes=notes, columns=columns)


@section_builder("drivers")
def _drivers_builder(ctx: ReportContext) -> Section | None:
    catalogue = driver_catalogue(ctx)
    if not catalogue:
        return None
    # the outcome chosen on the Data page, else NPS, CSAT, CES (the first the data has)
    outcome = default_outcome(ctx.ws)
    if outcome is None:
        return None
    return drivers_section(ctx, key_drivers(ctx.ws, catalogue, ctx.filters, outcome=outcome, min_n=ctx.min_n))


def driver_warnings(ctx: ReportContext, result, drivers: int) -> list[str]:
    """What a reader must know before trusting the key-driver ranking (too few answers, unstable top)."""
    lang = ctx.lang
    if "too_few" in result.warnings:
        return [t("drivers.too_few", lang, n=result.responses)]
    if not result.ranking_uncertain:
        return []
    reasons = []
    if "small_n" in result.warnings:
        reasons.append(t("drivers.reason_small_n", lang, n=result.n_used, drivers=drivers))
    if "top_unstable" in result.warnings:
        share = f"{100 * (result.top_stability or 0):.0f}"
        reasons.append(t("drivers.reason_top_unstable", lang, share=share, resamples=result.resamples))
    return [t("drivers.ranking_uncertain", lang, reasons=" ".join(reasons))]


def needs_section(ctx: ReportContext, frame: pd.DataFrame, measure: str = "mean") -> Section | None:
    """Rational vs emotional needs (mean on 1-5, or top-2-box share, with 95% intervals) and each need's score."""
    lang = ctx.lang
    if frame.empty:
        return None
    frame = frame[frame["group"] == frame["group"].iloc[0]]  # one group (the overall one)
    categories = frame[frame["kind"] == "category"].set_index("item")
    needs = frame[frame["kind"] == "need"]
    if needs.empty:
        return None
    weakest = needs.sort_values("mean").iloc[0]

    def score(item: str) -> str:
        return num(categories.loc[item, "mean"], lang, digits=2) if item in categories.index else "—"

    finding = t(
        "rsec.needs_finding",
        lang,
        rational=score("rational"),
        emotional=score("emotional"),
        weakest=t(f"drivers.need.{weakest['item']}", lang),
        weakest_score=num(weakest["mean"], lang, digits=2),
    )

    def label(row) -> str:
        prefix = "drivers.need." if row["kind"] == "need" else "drivers.category."
        return t(prefix + str(row["item"]), lang)

    shown = pd.concat([categories.reset_index(), needs], ignore_index=True)
    labels = [label(r) for r in shown.to_dict("records")]
    table, columns = typed_table(
        (t("drivers.need", lang), K.CODE, labels),
        (t("drivers.category", lang), K.CODE, [t(f"drivers.category.{c}", lang) for c in shown["category"]]),
        (t("rsec.col_mean", lang), K.SCORE, shown["mean"]),
        (t("overview.ci_low", lang), K.SCORE, shown["mean_ci_low"]),
        (t("overview.ci_high", lang), K.SCORE, shown["mean_ci_high"]),
        (t("drivers.measure.top2", lang), K.SHARE, shown["top2"]),
        ("n", K.COUNT, shown["n"].astype(int)),
        (t("overview.small", lang), K.FLAG, shown["small_sample"].astype(bool)),
    )
    n = int(categories["n"].max()) if not categories.empty else int(needs["n"].max())
    value, low, high = (measure, f"{measure}_ci_low", f"{measure}_ci_high")
    values = [
        {
            "label": lab,
            "value": r[value],
            "low": r[low],
            "high": r[high],
            "n": int(r["n"]),
            "category": r["category"] if r["category"] in ("rational", "emotional") else "other",
        }
        for lab, r in zip(labels, shown.to_dict("records"), strict=True)
    ]
    chart = horizontal_bars(
        values,
        title=ctx.chart_title(finding, n),
        x_title=t(f"drivers.measure.{measure}", lang),
        y_title="",
        domain=(1, 5) if measure == "mean" else (0, 100),
        colour_field="category",
        colour_scale={
            "scale": {"domain": ["rational", "emotional", "other"], "range": ["#1f5fa8", "#ef6c00", "#9e9e9e"]}
        },
        with_interval=True,
    )
    notes = []
    if {"rational", "emotional"} <= set(categories.index):
        r, e = categories.loc["rational"], categories.loc["emotional"]
        if None not in (r["mean_ci_low"], r["mean_ci_high"], e["mean_ci_low"], e["mean_ci_high"]):
            apart = r["mean_ci_high"] < e["mean_ci_low"] or e["mean_ci_high"] < r["mean_ci_low"]
            notes.append(
                t("rsec.needs_gap_note", lang, overlap=t("rsec.overlap_no" if apart else "rsec.overlap_yes", lang))
            )
    if shown["small_sample"].astype(bool).any():  # said only where a bar is small
        notes.append(t("small_sample.flag", lang, min_n=ctx.min_n))
    return ctx.section("needs", finding, n, table=table, chart=chart, notes=notes, columns=columns)


def needs_by_group_section(ctx: ReportContext, frame: pd.DataFrame, by: str, measure: str = "mean") -> Section | None:
    """Each need's score in each group of ``by`` (a table: group, need, score with 95% interval, n)."""
    lang = ctx.lang
    if frame.empty:
        return None
    label = {
        (k, i): t(("drivers.need." if k == "need" else "drivers.category.") + str(i), lang)
        for k, i in zip(frame["kind"], frame["item"], strict=True)
    }
    value_title = t(f"drivers.measure.{measure}", lang)
    value_kind = K.SCORE if measure == "mean" else K.SHARE
    table, columns = typed_table(
        (t("drivers.group", lang), K.CODE, [value_label(by, g, lang) for g in frame["group"]]),
        (t("drivers.need", lang), K.CODE, [label[(k, i)] for k, i in zip(frame["kind"], frame["item"], strict=True)]),
        (value_title, value_kind, frame[measure]),
        (t("overview.ci_low", lang), value_kind, frame[f"{measure}_ci_low"]),
        (t("overview.ci_high", lang), value_kind, frame[f"{measure}_ci_high"]),
        ("n", K.COUNT, frame["n"].astype(int)),
        (t("overview.small", lang), K.FLAG, frame["small_sample"].astype(bool)),
    )
    needs = frame[(frame["kind"] == "need") & ~frame["small_sample"] & frame[measure].notna()]
    if len(needs):
        worst = needs.sort_values(measure).iloc[0]
        # "weakest" only when that group's score of the need is clearly below the need's best group
        # (a z-test from the clustered intervals, Bonferroni over the solid group x need cells)
        same = needs[needs["item"] == worst["item"]].sort_values(measure)
        best = same.iloc[-1]
        clear = False
        if len(same) >= 2:
            se = [(float(r[f"{measure}_ci_high"]) - float(r[f"{measure}_ci_low"])) / (2 * Z95) for r in (worst, best)]
            if all(v > 0 for v in se):
                p = two_sided_p((float(best[measure]) - float(worst[measure])) / (se[0] ** 2 + se[1] ** 2) ** 0.5)
                clear = p * len(needs) < 0.05
        finding = t(
            "drivers.needs_by_group_finding" if clear else "drivers.needs_by_group_unclear",
            lang,
            need=label[("need", worst["item"])],
            group=value_label(by, worst["group"], lang),
            score=num(worst[measure], lang, digits=2 if measure == "mean" else 0),
        )
    else:
        finding = t("small_sample.flag", lang, min_n=ctx.min_n)
    n = int(frame.drop_duplicates("group")["n"].sum())
    heading = f"{t('drivers.tab_needs', lang)} · {dimension_label(by, lang)}: {finding}"
    notes = [t("small_sample.flag", lang, min_n=ctx.min_n)] if frame["small_sample"].astype(bool).any() else []
    return ctx.section("needs_by_group", finding, n, heading=heading, table=table, notes=notes, columns=columns)


@section_builder("needs")
def _needs_builder(ctx: ReportContext) -> Section | None:
    catalogue = driver_catalogue(ctx)
    if not catalogue:
        return None
    return needs_section(ctx, need_scores(ctx.ws, catalogue, ctx.filters, min_n=ctx.min_n))
