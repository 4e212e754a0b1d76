"""The sections the pages show, built from one core view each (plain pytest on cx_core)."""

from __future__ import annotations

import pytest

from cx_core import Filters, Workspace, load_inputs, scores_by_group, t
from cx_core.accounts import account_health, cx_outcomes
from cx_core.drivers import catalogue_from_workspace, need_scores
from cx_core.moments import moments_of_truth
from cx_core.report import (
    ReportContext,
    account_health_section,
    comparison_statements,
    crosstab_section,
    groups_section,
    needs_by_group_section,
    outcome_sections,
    role_moments_section,
    segments_section,
    theme_groups_section,
    theme_impact_section,
    theme_quotes_sections,
    theme_subthemes_section,
    theme_trend_section,
    weighted_accounts_section,
)
from cx_core.report.themes import TREND_LINES
from cx_core.sample import AS_OF
from cx_core.segments import segmentation_view
from cx_core.themes import ThemeEngine, comments_from_workspace, extract_themes


@pytest.fixture()
def survey_only(sample_files):
    ws = Workspace.from_loaded(load_inputs(sample_files[0], "survey.csv"))
    yield ws
    ws.close()


def test_one_ranking_rule_for_group_scores(ws):
    """scores_by_group (overview, CLI) and the segmentation view (Segments page) rank groups alike."""
    for dimension in ("segment", "respondent_role", "region"):
        for min_n in (30, 700):
            view = segmentation_view(ws, dimension=dimension, min_n=min_n)
            plain = scores_by_group(ws, dimension, min_n=min_n)
            assert [g.group for g in view.groups] == [g.group for g in plain]
            assert [g.small_sample for g in view.groups] == [g.small_sample for g in plain]
            assert [g.scores.nps.score for g in view.groups] == [g.nps.score for g in plain]


def test_groups_section_ranks_and_tests(ws):
    ctx = ReportContext(ws, Filters(), "en", 30)
    view = segmentation_view(ws, dimension="segment")
    section = groups_section(ctx, view)
    assert section.key == "groups" and section.title.startswith("Segment: ")
    assert list(section.table["#"])[: len([g for g in view.groups if not g.small_sample])] == [1, 2, 3]
    assert any("Holm" in note for note in section.notes)


def test_comparison_statements_name_both_groups(ws):
    ctx = ReportContext(ws, Filters(), "en", 30)
    view = segmentation_view(ws, dimension="segment")
    sentences = comparison_statements(ctx, view, "SMB", "Enterprise")
    assert len(sentences) == 3 and all("SMB" in s and "Enterprise" in s for s in sentences)
    assert comparison_statements(ctx, view, "SMB", "SMB") == [t("segments.same_group", "en")]


def test_crosstab_section_states_the_extremes_with_n(ws):
    ctx = ReportContext(ws, Filters(), "ja", 30)
    view = segmentation_view(ws, crosstab=("segment", "region", "nps"))
    section = crosstab_section(ctx, view)
    assert section.key == "crosstab" and section.chart is not None
    assert section.table.columns[0] == "セグメント"
    assert all("(" in str(cell) for cell in section.table.iloc[:, 1:].to_numpy().ravel() if cell)
    counts = crosstab_section(ctx, segmentation_view(ws, crosstab=("segment", "region", "count")))
    assert counts.chart is None  # a heatmap's colours mean NPS only


def test_weighted_accounts_section_follows_the_weights(ws):
    ctx = ReportContext(ws, Filters(), "en", 30)
    default = weighted_accounts_section(ctx, segmentation_view(ws))
    tilted = weighted_accounts_section(ctx, segmentation_view(ws, weights={"executive": 0, "procurement": 10}))
    assert default.key == "weighted" and default.n > 0
    assert default.finding != tilted.finding
    kinds = {v["kind"] for v in default.chart["data"]["values"]}
    assert kinds == {"worse", "better"}


def test_survey_only_has_no_segment_by_role_heatmap(survey_only):
    ctx = ReportContext(survey_only, Filters(), "en", 30)
    view = segmentation_view(survey_only, crosstab=("respondent_role", "journey_stage", "nps"))
    assert segments_section(ctx, view) is None
    assert crosstab_section(ctx, view) is not None


def test_needs_by_group_section(ws):
    catalogue = catalogue_from_workspace(ws)
    frame = need_scores(ws, catalogue, by="respondent_role")
    section = needs_by_group_section(ReportContext(ws, Filters(), "en", 30), frame, "respondent_role", "top2")
    assert section.key == "needs_by_group"
    assert "Top-2-box share (%)" in section.table.columns
    assert "Procurement" in set(section.table["Group"])


def test_role_moments_section(ws):
    ctx = ReportContext(ws, Filters(), "en", 30)
    section = role_moments_section(ctx, moments_of_truth(ws, role="procurement"), "procurement")
    assert section.key == "moments_role" and "Procurement" in section.finding
    assert section.table is None or len(section.table) <= 3


def test_theme_sections(ws):
    comments = comments_from_workspace(ws)
    result = extract_themes(comments, ThemeEngine.OFFLINE)
    ctx = ReportContext(ws, Filters(), "en", 30)
    by_role = theme_groups_section(ctx, result, comments, "role")
    assert by_role.key == "by_role" and any("Procurement" in c for c in by_role.table.columns)
    assert theme_impact_section(ctx, result, comments).key == "impact"
    trend = theme_trend_section(ctx, result, comments)
    assert trend.chart is not None and trend.n > 0
    drawn = {v["series"] for v in trend.chart["data"]["values"]}
    listed = set(trend.table[trend.table.columns[0]])
    # a slide stays readable: the chart draws the most mentioned themes, the table and a note keep the rest
    assert len(listed) > TREND_LINES and len(drawn) == TREND_LINES and drawn < listed
    most_mentioned = list(dict.fromkeys(th.label for th in result.themes if th.label in listed))[:TREND_LINES]
    assert drawn == set(most_mentioned)
    assert trend.notes and str(len(listed)) in trend.notes[0]
    quotes, every = theme_quotes_sections(ctx, result, comments, result.themes[0].key)
    assert len(every.table) == result.themes[0].count and 1 <= len(quotes.table) <= 5
    first = result.themes[0]
    assert first.subthemes  # the sample's largest theme divides further
    drill = theme_subthemes_section(ctx, result, first.key)
    assert list(drill.table["Comments"]) == [s.count for s in first.subthemes]
    _, part = theme_quotes_sections(ctx, result, comments, first.key, subtheme=0)
    assert list(part.table["Response ID"]) == first.subthemes[0].response_ids and part.n == first.subthemes[0].count


def test_account_sections(ws):
    ctx = ReportContext(ws, Filters(), "en", 30)
    health = account_health(ws, AS_OF)
    section = account_health_section(ctx, health, ["high"])
    assert section.key == "health" and 0 < len(section.table) < len(health)
    reasons = section.table[t("accounts.col.reasons", "en")]
    assert reasons.str.len().min() > 0  # every high-risk account says why
    keys = [s.key for s in outcome_sections(ctx, cx_outcomes(health))]
    assert keys == ["by_category", "by_band"]


def test_drivers_view_is_the_page_in_one_call(ws):
    from cx_core.drivers import drivers_view, key_drivers

    catalogue = catalogue_from_workspace(ws)
    filters = Filters.make(segment=["SMB"])
    view = drivers_view(ws, catalogue, filters, min_n=30, outcome="nps", performance="top2")
    direct = key_drivers(ws, catalogue, filters, min_n=30, outcome="nps", performance="top2")
    assert [d.label for d in view.key_drivers.drivers] == [d.label for d in direct.drivers]
    assert view.needs.equals(need_scores(ws, catalogue, filters, min_n=30))
    assert view.needs_by("respondent_role").equals(need_scores(ws, catalogue, filters, by="respondent_role"))
