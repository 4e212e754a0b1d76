"""Segmentation core: groups with n, intervals and tests; heatmap; cross-tab; weighted accounts; trend."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from cx_core import Filters, InvalidParameterError, Workspace, build_summary, load_inputs, overview
from cx_core.segments import available_dimensions, segmentation_view
from cx_core.stats import holm_adjust, nps_difference_test, nps_from_counts
from cx_core.weighting import weighted_account_nps


def _rows(segment_account: str, promoters: int, passives: int, detractors: int, start: int, when: str):
    scores = [10] * promoters + [8] * passives + [3] * detractors
    roles = ["CEO", "Engineer", "Buyer", "Admin"]
    # one account per respondent: the answers are independent, so the hand values need no design effect
    return [
        (f"R{start + i}", f"{segment_account}-{i}", roles[i % 4], when, score, 4 if score >= 9 else 2, 5)
        for i, score in enumerate(scores)
    ]


@pytest.fixture()
def hand_ws():
    """Three segments with hand-chosen counts: A 20/10/10 (NPS +25), B 10/10/20 (-25), C 3/1/1 (n 5)."""
    rows = (
        _rows("A1", 20, 10, 10, 0, "2026-01-15")
        + _rows("B1", 10, 10, 20, 100, "2026-02-15")
        + _rows("C1", 3, 1, 1, 200, "2026-02-20")
    )
    survey = pd.DataFrame(rows, columns=["response_id", "account_id", "role", "date", "nps", "csat", "ces"])
    segment_of = {"A1": "Alpha", "B1": "Beta", "C1": "=Gamma"}
    accounts = sorted({r[1] for r in rows})
    crm = pd.DataFrame({"account_id": accounts, "segment": [segment_of[a.split("-")[0]] for a in accounts]})
    loaded = load_inputs(survey.to_csv(index=False).encode(), "s.csv", crm.to_csv(index=False).encode(), "c.csv")
    ws = Workspace.from_loaded(loaded)
    yield ws
    ws.close()


def test_groups_are_ranked_only_when_solid_and_tested_against_the_rest_with_holm(hand_ws):
    view = segmentation_view(hand_ws, min_n=30)
    by = {g.group: g for g in view.groups}
    assert [g.group for g in view.groups] == ["Alpha", "Beta", "=Gamma"]
    assert (by["Alpha"].rank, by["Beta"].rank, by["=Gamma"].rank) == (1, 2, None)
    assert by["Alpha"].scores.nps.score == 25 and by["Beta"].scores.nps.score == -25
    assert by["=Gamma"].small_sample and not by["=Gamma"].vs_rest.tested
    assert by["=Gamma"].vs_rest.reason == "small_sample"
    # hand: Alpha vs rest (Beta + Gamma = 13/11/21), Beta vs rest (Alpha + Gamma = 23/11/11)
    d_a, p_a = nps_difference_test(nps_from_counts(20, 10, 10), nps_from_counts(13, 11, 21))
    d_b, p_b = nps_difference_test(nps_from_counts(10, 10, 20), nps_from_counts(23, 11, 11))
    assert by["Alpha"].vs_rest.difference == d_a and by["Beta"].vs_rest.difference == d_b
    assert by["Alpha"].vs_rest.p_value == pytest.approx(p_a)
    assert [by["Alpha"].vs_rest.p_adjusted, by["Beta"].vs_rest.p_adjusted] == pytest.approx(holm_adjust([p_a, p_b]))
    assert view.tested_groups == 2 and by["Alpha"].vs_rest.correction == "holm"
    assert by["Alpha"].vs_rest.significant == (holm_adjust([p_a, p_b])[0] < 0.05)
    # CSAT per group: Alpha has 20 answers of 4 and 20 of 2 -> mean 3
    assert by["Alpha"].scores.csat.score == 3 and by["Alpha"].scores.csat.ci95 is not None


def test_min_n_controls_ranking(hand_ws):
    assert all(g.rank is None and g.small_sample for g in segmentation_view(hand_ws, min_n=1000).groups)
    everything = segmentation_view(hand_ws, min_n=1)
    assert [g.rank for g in everything.groups] == [1, 2, 3]  # Gamma (+40) ranks when min n allows it
    assert everything.groups[0].group == "=Gamma"


def test_compare_two_groups(hand_ws):
    view = segmentation_view(hand_ws, min_n=30)
    ab = view.compare("Alpha", "Beta")
    diff, p = nps_difference_test(nps_from_counts(20, 10, 10), nps_from_counts(10, 10, 20))
    assert (ab.difference, ab.p_value, ab.correction) == (50, pytest.approx(p), None)
    assert ab.significant == (p < 0.05)
    assert view.compare("Beta", "Alpha").difference == -50
    assert not view.compare("Alpha", "=Gamma").tested  # Gamma is under min n: no claim either way
    assert view.compare("Alpha", "Beta", "csat").difference == pytest.approx(3 - 2.5)
    with pytest.raises(InvalidParameterError):
        view.compare("Alpha", "nobody")


def test_heatmap_and_crosstab_counts_add_up(ws):
    view = segmentation_view(ws, crosstab=("region", "survey_type", "count"))
    total = overview(ws).responses
    assert int(view.heatmap["n"].sum()) == total == view.total.n
    assert int(view.crosstab.frame["n"].sum()) == total
    assert (view.crosstab.frame["value"] == view.crosstab.frame["n"]).all()
    assert set(view.heatmap["role"]) == {"executive", "procurement", "engineer", "admin"}
    smb_exec = view.heatmap[(view.heatmap["segment"] == "SMB") & (view.heatmap["role"] == "executive")].iloc[0]
    direct = overview(ws, Filters.make(segment=["SMB"], respondent_role=["executive"])).nps
    assert (smb_exec["n"], smb_exec["nps"]) == (direct.n, direct.score)


def test_crosstab_metrics_and_csv(hand_ws):
    view = segmentation_view(hand_ws, crosstab=("segment", "respondent_role", "detractor_share"), min_n=5)
    frame = view.crosstab.frame
    alpha_exec = frame[(frame["row"] == "Alpha") & (frame["col"] == "executive")].iloc[0]
    # Alpha's answers cycle through 4 roles: executive gets rows 0,4,...,36 -> 5 promoters, 3 passives, 2 detractors
    assert (alpha_exec["n"], alpha_exec["value"]) == (10, 20.0)
    text = view.crosstab.to_csv().decode("utf-8")
    assert text.startswith("\ufeff") and "segment,respondent_role,detractor_share,n,small_sample" in text
    assert "'=Gamma" in text and "\n=Gamma" not in text  # formula injection neutralised
    back = pd.read_csv(io.StringIO(text.lstrip("\ufeff")))
    assert back["n"].sum() == 85


def test_weighted_account_distribution_matches_weighting_module(ws):
    filters = Filters.make(region=["Kanto", "Kansai", "Europe"])
    weights = {"executive": 0, "procurement": 5, "engineer": 1, "admin": 2}
    view = segmentation_view(ws, filters, weights=weights)
    reference = weighted_account_nps(ws, filters, weights)["weighted_nps"].dropna().round(6)
    counts, _ = np.histogram(reference, bins=np.arange(-100, 101, 10))
    assert list(view.accounts.bins["accounts"]) == list(counts)
    assert view.accounts.accounts == len(reference)
    assert view.accounts.median == pytest.approx(round(float(reference.median()), 1))
    assert view.accounts.weights["executive"] == 0


def test_trend_latest_vs_previous(ws):
    view = segmentation_view(ws, grain="quarter")
    frame = view.trend.frame
    assert list(frame["period"])[:2] == ["2025-Q2", "2025-Q3"] and int(frame["n"].sum()) == view.total.n
    last = overview(ws, Filters.make(pd.Timestamp(frame["start"].iloc[-1]).date())).nps
    prev = overview(
        ws, Filters.make(pd.Timestamp(frame["start"].iloc[-2]).date(), pd.Timestamp(frame["start"].iloc[-1]).date())
    ).nps
    diff, p = nps_difference_test(last, prev)
    test = view.trend.latest_vs_previous
    assert (test.a, test.b) == ("2026-Q3", "2026-Q2")
    # a period is a group of the selection: its design effect is never below the selection's
    # intraclass correlation implies, so its test is at most as sure as the filtered overviews'
    assert test.difference == diff and test.p_value >= p - 1e-12
    periods = {r["period"]: r for r in view.trend.to_dict()["periods"]}
    assert periods["2026-Q3"]["n"] == last.n


def test_filters_apply_to_every_figure(ws):
    smb = segmentation_view(ws, Filters.make(segment=["SMB"]))
    assert smb.total.n == overview(ws, Filters.make(segment=["SMB"])).responses
    assert smb.group_names() == ["SMB"] and set(smb.heatmap["segment"]) == {"SMB"}
    assert int(smb.trend.frame["n"].sum()) == smb.total.n


def test_dimensions_are_derived_from_the_data():
    """Another mapped categorical column becomes a filter and a grouping; ids and free text do not."""
    n = 120
    rng = np.random.default_rng(4)
    responses = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(n)],
            "account_id": ["A"] * n,
            "account_key": ["A"] * n,
            "respondent_role": rng.choice(["executive", "engineer"], n),
            "role_label": ["x"] * n,
            "submitted_at": pd.Timestamp("2026-01-01"),
            "nps": rng.integers(0, 11, n),
            "csat": np.nan,
            "ces": np.nan,
            "comment": [f"comment {i}" for i in range(n)],
            "journey_stage": None,
            "touchpoint": None,
            "survey_type": None,
            "source_row": np.arange(n),
            "plan_tier": rng.choice(["Gold", "Silver"], n),
            "free_text": [f"note {i}" for i in range(n)],
        }
    )
    con_ws = _workspace_from_frames(responses)
    try:
        dims = available_dimensions(con_ws, max_levels=100)
        assert "plan_tier" in dims and "respondent_role" in dims
        assert not {"free_text", "comment", "response_id", "account_id", "segment"} & set(dims)
        view = segmentation_view(con_ws, Filters.make(plan_tier=["Gold"]), dimension="plan_tier", min_n=1)
        assert view.group_names() == ["Gold"]
        with pytest.raises(InvalidParameterError):
            segmentation_view(con_ws, Filters.make(no_such_column=["x"]))
        with pytest.raises(InvalidParameterError):
            segmentation_view(con_ws, dimension='nps"; DROP TABLE responses; --')
    finally:
        con_ws.close()


def _workspace_from_frames(responses: pd.DataFrame) -> Workspace:
    from cx_core.ingest import InputReport, LoadedData, Mapping
    from cx_core.ingest.validate import SurveyData

    ratings = pd.DataFrame({"response_id": [], "driver": [], "score": []}).astype({"score": "float64"})
    report = InputReport("s.csv", "survey", "csv", "utf-8", 1, len(responses), len(responses))
    loaded = LoadedData(SurveyData(responses, ratings, []), report, Mapping("survey", {}), list(responses.columns))
    return Workspace.from_loaded(loaded)


def test_invalid_parameters_are_refused(ws):
    with pytest.raises(InvalidParameterError):
        segmentation_view(ws, crosstab=("segment", "region", "median"))
    with pytest.raises(InvalidParameterError):
        segmentation_view(ws, grain="week")


def test_summary_has_segment_role_and_trend(ws):
    doc = build_summary(ws)
    cells = doc["by_segment_role"]
    assert sum(c["n"] for c in cells) == doc["metrics"]["responses"]
    assert all({"segment", "role", "n", "nps", "ci95", "small_sample"} <= set(c) for c in cells)
    trend = doc["trend"]
    assert trend["grain"] == "month" and sum(p["n"] for p in trend["periods"]) == doc["metrics"]["responses"]
    assert {"difference", "p_value", "significant"} <= set(trend["latest_vs_previous"])
