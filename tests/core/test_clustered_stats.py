"""Respondents clustered in accounts: intervals as wide as resampling whole accounts, honest tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.clustered import NPS_COLUMN, account_bootstrap_nps_halfwidth, clustered_frames, to_csv
from cx_core import Workspace, load_inputs, overview
from cx_core.segments import segmentation_view
from cx_core.segments.view import Scores, _rank_and_test
from cx_core.stats import (
    ClusterSums,
    clusters_of,
    design_effect,
    group_design_effect,
    intraclass_correlation,
    nps_cluster_sums,
    nps_difference_test,
    nps_from_counts,
)


def _workspace(survey: pd.DataFrame, crm: pd.DataFrame | None) -> Workspace:
    loaded = load_inputs(
        to_csv(survey), "survey.csv", to_csv(crm) if crm is not None else None, "crm.csv" if crm is not None else None
    )
    return Workspace.from_loaded(loaded)


@pytest.fixture(scope="module")
def planted():
    survey, crm = clustered_frames(accounts=150, per_account=20, icc=0.3, seed=3)
    ws = _workspace(survey, crm)
    yield survey, ws
    ws.close()


def test_nps_interval_matches_resampling_whole_accounts(planted):
    survey, ws = planted
    nps = overview(ws).nps
    half = (nps.ci95[1] - nps.ci95[0]) / 2
    reference = account_bootstrap_nps_halfwidth(survey)
    assert abs(half - reference) / reference < 0.20
    # the interval of independent answers is far too narrow on the same data
    naive = nps_from_counts(nps.promoters, nps.passives, nps.detractors)
    assert (naive.ci95[1] - naive.ci95[0]) / 2 < 0.6 * reference
    assert nps.design_effect > 2 and nps.effective_n == pytest.approx(nps.n / nps.design_effect, abs=0.1)


def test_without_account_id_every_answer_counts_once(planted):
    survey, _ = planted
    ws = _workspace(survey.drop(columns=["Account ID"]), None)
    try:
        nps = overview(ws).nps
        assert nps.design_effect == 1.0 and nps.effective_n == nps.n
        assert nps.to_dict()["design_effect"] == 1.0
    finally:
        ws.close()


def test_view_design_effect_equals_the_hand_computed_one(planted):
    survey, ws = planted
    view = segmentation_view(ws, min_n=30)
    seg = pd.read_csv(__import__("io").BytesIO(to_csv(clustered_frames(150, 20, 0.3, 3)[1])))
    segment_of = dict(zip(seg["Account ID"], seg["Segment"], strict=True))
    score = survey[NPS_COLUMN]
    frame = survey.assign(
        segment=survey["Account ID"].map(segment_of),
        p=(score >= 9).astype(int),
        a=score.between(7, 8).astype(int),
        d=(score <= 6).astype(int),
    )
    totals = frame.groupby("Account ID")[["p", "a", "d"]].sum()
    whole = nps_cluster_sums([tuple(map(int, r)) for r in totals.to_numpy()])
    for row in view.groups:
        per_account = frame[frame["segment"] == row.group].groupby("Account ID")[["p", "a", "d"]].sum()
        own = nps_cluster_sums([tuple(map(int, r)) for r in per_account.to_numpy()])
        expected = group_design_effect(own, intraclass_correlation(whole))
        assert row.scores.nps.design_effect == pytest.approx(expected)
        assert row.scores.nps.design_effect > 1.5


def _null_survey_claims_a_difference(rng: np.random.Generator, clustered: bool) -> bool:
    """Three segments of 30 accounts x 8 respondents drawn from one population (no true
    difference, latent ICC 0.3), tested as the Segments page does (each against the rest, Holm):
    does any segment come out "significant"?"""
    accounts: list[tuple[int, int, int]] = []
    for _segment in range(3):
        mood = rng.normal(0, 2.6 * np.sqrt(0.3), size=30)
        score = np.clip(np.rint(7.6 + mood[:, None] + rng.normal(0, 2.6 * np.sqrt(0.7), size=(30, 8))), 0, 10)
        accounts += [(int((s >= 9).sum()), int(((s >= 7) & (s <= 8)).sum()), int((s <= 6).sum())) for s in score]

    whole = nps_cluster_sums(accounts)
    icc = intraclass_correlation(whole)

    def scores(part: list[tuple[int, int, int]]) -> Scores:
        counts = [sum(c[i] for c in part) for i in range(3)]
        sums = nps_cluster_sums(part)
        if not clustered:
            return Scores(nps_from_counts(*counts), None, None)
        return Scores(nps_from_counts(*counts, group_design_effect(sums, icc), clusters_of(sums)), None, None)

    by_segment = {f"s{i}": scores(accounts[30 * i : 30 * (i + 1)]) for i in range(3)}
    rest = {
        f"s{i}": (group_design_effect(r, icc), clusters_of(r)) if clustered else (1.0, None)
        for i in range(3)
        for r in [whole.minus(nps_cluster_sums(accounts[30 * i : 30 * (i + 1)]))]
    }
    rows, tested = _rank_and_test(by_segment, scores(accounts), 30, rest)
    assert tested == 3
    return any(row.vs_rest.significant for row in rows)


def test_group_tests_keep_the_false_positive_rate_on_clustered_data():
    """200 surveys with no true difference: at most 5% claim one (3,000 give 2.9%; 31.6% when
    answers are taken as independent, as the app did before)."""
    rng = np.random.default_rng(20261206)
    clustered = sum(_null_survey_claims_a_difference(rng, True) for _ in range(200)) / 200
    rng = np.random.default_rng(20261206)
    naive = sum(_null_survey_claims_a_difference(rng, False) for _ in range(200)) / 200
    assert clustered <= 0.05
    assert naive > 0.15


def test_two_group_test_on_clustered_data_uses_the_accounts_degrees_of_freedom():
    few = nps_from_counts(30, 10, 20, 3.0, clusters=6)
    many = nps_from_counts(30, 10, 20, 3.0, clusters=None)
    other = nps_from_counts(20, 10, 30, 1.0)
    assert nps_difference_test(few, other)[1] > nps_difference_test(many, other)[1]


def test_design_effect_edges():
    assert design_effect(None) == 1.0
    assert design_effect(ClusterSums(1, 1, 1, 1, 1, 1, 1)) == 1.0
    one_account = nps_cluster_sums([(5, 3, 2)])
    assert design_effect(one_account) == 10.0  # ten answers from one account weigh as one
    assert nps_from_counts(5, 3, 2, 10.0).effective_n == 1.0


def test_moments_intervals_are_clustered(planted):
    survey, _ = planted
    from cx_core.moments import moments_of_truth

    # each account's answers come from one touchpoint: a moment's answers cluster in few accounts
    touch = survey["Account ID"].map(lambda a: ["Delivery", "Support", "Billing"][int(a[-3:]) % 3])
    ws = _workspace(survey.assign(Touchpoint=touch, **{"Journey stage": "use"}), None)
    try:
        result = moments_of_truth(ws, min_n=30)
        assert result.overall.design_effect > 2
        for moment in result.moments:
            naive = nps_from_counts(moment.nps.promoters, moment.nps.passives, moment.nps.detractors)
            assert moment.nps.design_effect > 2
            assert moment.nps.ci95[1] - moment.nps.ci95[0] > 1.4 * (naive.ci95[1] - naive.ci95[0])
    finally:
        ws.close()


def test_theme_impact_interval_counts_accounts():
    from cx_core.themes import CommentRecord, extract_themes, theme_impact

    def comments(clustered: bool) -> list[CommentRecord]:
        out = []
        for i in range(60):  # 60 comments on late deliveries from 4 accounts that each agree
            account = f"A{i % 4}" if clustered else None
            out.append(CommentRecord(f"L{i:03d}", "Deliveries arrive late every week", [2.0, 9.0, 6.0, 10.0][i % 4]))
            out[-1] = CommentRecord(out[-1].response_id, out[-1].text, out[-1].nps, account=account)
        for i in range(60):
            account = f"B{i % 6}" if clustered else None
            out.append(
                CommentRecord(f"R{i:03d}", "We use the reporting module daily", [8.0, 9.0, 7.0][i % 3], account=account)
            )
        return out

    spans = []
    for clustered in (False, True):
        records = comments(clustered)
        impact = theme_impact(extract_themes(records), records)
        row = impact.dropna(subset=["difference_low"]).iloc[0]
        spans.append(row["difference_high"] - row["difference_low"])
    assert spans[1] > 1.5 * spans[0]


def test_driver_intervals_resample_accounts():
    from cx_core.drivers import catalogue_from_workspace, key_drivers, need_scores

    rng = np.random.default_rng(4)
    accounts, per_account = 30, 15
    mood = np.repeat(rng.normal(0, 1, accounts), per_account)
    rows = accounts * per_account
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i}" for i in range(rows)],
            "Account ID": [f"A{i // per_account:02d}" for i in range(rows)],
            "How likely are you to recommend us? (0-10)": np.clip(np.rint(6 + 2 * mood + rng.normal(size=rows)), 0, 10),
            "On-time delivery": np.clip(np.rint(3 + mood + 0.5 * rng.normal(size=rows)), 1, 5),
            "Product quality": np.clip(np.rint(3 + 0.8 * mood + 0.7 * rng.normal(size=rows)), 1, 5),
            "Price transparency": np.clip(np.rint(3 + 0.5 * mood + rng.normal(size=rows)), 1, 5),
        }
    )
    widths = {}
    for clustered in (False, True):
        ws = _workspace(frame if clustered else frame.drop(columns=["Account ID"]), None)
        try:
            catalogue = catalogue_from_workspace(ws)
            result = key_drivers(ws, catalogue, resamples=200)
            needs = need_scores(ws, catalogue)
        finally:
            ws.close()
        widths[clustered] = (
            np.mean([d.importance_ci95[1] - d.importance_ci95[0] for d in result.drivers]),
            np.mean([d.performance_ci95[1] - d.performance_ci95[0] for d in result.drivers]),
            float((needs["mean_ci_high"] - needs["mean_ci_low"]).mean()),
        )
    importance, performance, need = (widths[True][i] / widths[False][i] for i in range(3))
    # shares of R² move less than means when whole accounts are resampled (1.07x here), but never narrower
    assert importance > 1.0 and performance > 2 and need > 2


def test_effective_n_shown_beside_n(planted):
    from cx_core import Filters
    from cx_core.report.sections import ReportContext
    from cx_core.report.segments import groups_section

    _, ws = planted
    view = segmentation_view(ws, min_n=30)
    section = groups_section(ReportContext(ws, Filters(), "en", min_n=30), view)
    columns = list(section.table.columns)
    assert columns[columns.index("n") + 1] == "Effective n"
    row = view.groups[0].to_dict()
    assert row["effective_n"] < row["n"] and row["design_effect"] > 1


def test_two_periods_compared_with_clustered_tests(planted):
    import datetime as dt

    from cx_core.segments import compare_periods

    survey, ws = planted
    first, second = (dt.date(2026, 1, 1), dt.date(2026, 3, 31)), (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    flat = compare_periods(ws, second, first)
    assert [t.metric for t in flat.tests] == ["nps"] and flat.tests[0].tested
    assert flat.scores_a.nps.design_effect > 1 and not flat.tests[0].significant
    later = pd.to_datetime(survey["Submitted"]) >= "2026-04-01"
    better = survey.assign(**{NPS_COLUMN: np.where(later, np.minimum(survey[NPS_COLUMN] + 3, 10), survey[NPS_COLUMN])})
    shifted = _workspace(better, None)
    try:
        result = compare_periods(shifted, second, first)
    finally:
        shifted.close()
    test = result.tests[0]
    assert test.significant and test.difference > 20 and test.a == "2026-04-01..2026-06-30"
    assert result.to_dict()["scores_a"]["nps"]["effective_n"] < result.scores_a.nps.n


def test_theme_trend_change_is_tested_with_comments_clustered_in_accounts():
    """A theme whose rise comes from two accounts' many comments is one account's story, not a trend."""
    import datetime as dt

    from cx_core.filters import Filters
    from cx_core.report import ReportContext
    from cx_core.report.themes import theme_trend_section
    from cx_core.themes import CommentRecord, extract_themes

    q1, q2 = dt.datetime(2026, 2, 1), dt.datetime(2026, 5, 1)
    texts = ["Deliveries arrive late every week", "The onboarding training was excellent", "Reports export to Excel"]

    def survey(clustered: bool) -> list[CommentRecord]:
        comments = []
        for quarter, counts in ((q1, (10, 45, 45)), (q2, (40, 40, 40))):  # late deliveries: 10% then 33%
            for t_i, (text, count) in enumerate(zip(texts, counts, strict=True)):
                for i in range(count):
                    rid = f"{quarter:%m}-{t_i}-{i:03d}"
                    # clustered: Q2's late-delivery comments come from two accounts, everything else
                    # from accounts of three comments each
                    if clustered and quarter == q2 and t_i == 0:
                        account = f"BIG-{i % 2}"
                    else:
                        account = f"A-{quarter:%m}-{t_i}-{i // 3}" if clustered else None
                    comments.append(CommentRecord(rid, text, 5.0, submitted_at=quarter, account=account))
        return comments

    independent = survey(False)
    finding = theme_trend_section(ReportContext(None, Filters(), "en", 30), extract_themes(independent), independent)
    assert "rose from 10% to 33%" in finding.finding  # comments as independent answers: a clear rise
    clustered = survey(True)
    finding = theme_trend_section(ReportContext(None, Filters(), "en", 30), extract_themes(clustered), clustered)
    assert "rose" not in finding.finding and "no theme's share changed clearly" in finding.finding


def test_role_weighted_account_share_below_zero_has_an_interval_over_accounts(ws):
    from cx_core.segments import segmentation_view
    from cx_core.stats import wilson_interval
    from cx_core.weighting import weighted_account_nps

    dist = segmentation_view(ws).accounts
    per_account = weighted_account_nps(ws)
    rated = per_account["weighted_nps"].dropna()
    negative = int((rated < 0).sum())
    assert dist.accounts == len(rated) and dist.share_negative == round(100 * negative / len(rated), 1)
    # one value per account: the accounts are the units (Wilson on the number of accounts, not answers)
    assert dist.share_negative_ci95 == wilson_interval(negative, len(rated))
    low, high = dist.share_negative_ci95
    assert low < dist.share_negative < high and high - low > 5
