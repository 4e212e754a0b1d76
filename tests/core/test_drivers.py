"""Needs and drivers: relative weights, the catalogue, need scores and key drivers on the sample."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cx_core import Filters, InvalidParameterError, Workspace, load_inputs
from cx_core.drivers import (
    apply_catalogue,
    catalogue_from_json,
    catalogue_from_workspace,
    catalogue_json,
    key_drivers,
    need_scores,
    normalise_catalogue,
    set_need,
    top_driver_by_group,
)
from cx_core.drivers.relative_weights import importance_shares, listwise_corr, pairwise_corr, relative_weights
from cx_core.ingest import Mapping
from cx_core.sample import DRIVERS
from cx_core.schema import suggest_need

# --- Johnson's relative weights -------------------------------------------------------------


def _ols_r2(x: np.ndarray, y: np.ndarray) -> float:
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    return 1 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))


def test_relative_weights_of_uncorrelated_drivers_are_squared_correlations():
    corr = np.array([[1.0, 0.0, 0.6], [0.0, 1.0, 0.3], [0.6, 0.3, 1.0]])
    assert relative_weights(corr) == pytest.approx([0.36, 0.09])


def test_relative_weights_sum_to_r_squared_with_correlated_drivers():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 4))
    x[:, 1] += 0.8 * x[:, 0]  # strongly correlated pair
    y = x @ np.array([1.0, 0.5, 0.2, 0.0]) + rng.normal(size=400)
    corr, n = listwise_corr(np.column_stack([x, y]))
    weights = relative_weights(corr)
    assert n == 400
    assert weights.sum() == pytest.approx(_ols_r2(x, y), abs=1e-9)
    assert (weights >= 0).all()
    assert int(np.argmax(weights)) == 0 and int(np.argmin(weights)) == 3


def test_relative_weights_do_not_depend_on_driver_order():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(300, 3))
    x[:, 2] += x[:, 0]
    y = x[:, 0] - 0.5 * x[:, 1] + rng.normal(size=300)
    corr, _ = listwise_corr(np.column_stack([x, y]))
    shuffled, _ = listwise_corr(np.column_stack([x[:, [2, 0, 1]], y]))
    assert relative_weights(shuffled) == pytest.approx(relative_weights(corr)[[2, 0, 1]])


def test_pairwise_correlation_matches_pandas_and_listwise_drops_incomplete_rows():
    rng = np.random.default_rng(9)
    matrix = rng.normal(size=(200, 4))
    matrix[:, 1] += matrix[:, 0]
    holes = matrix.copy()
    holes[rng.random(holes.shape) < 0.15] = np.nan
    pairwise, min_n = pairwise_corr(holes)
    assert pairwise == pytest.approx(pd.DataFrame(holes).corr().to_numpy(), abs=1e-12)
    complete = holes[np.isfinite(holes).all(axis=1)]
    listwise, n = listwise_corr(holes)
    assert n == len(complete) < min_n
    assert listwise == pytest.approx(np.corrcoef(complete, rowvar=False))


def test_importance_shares_are_percent_of_r_squared():
    corr = np.array([[1.0, 0.0, 0.6], [0.0, 1.0, 0.3], [0.6, 0.3, 1.0]])
    shares, r2 = importance_shares(corr)
    assert r2 == pytest.approx(0.45)
    assert shares == pytest.approx([80.0, 20.0])


# --- catalogue ------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "need"), DRIVERS)
def test_sample_driver_needs_are_suggested_from_their_names(label, need):
    assert suggest_need(label) == need


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("価格の透明性", "price"),
        ("納期遵守", "fulfilment"),
        ("製品の品質", "product"),
        ("問題への迅速な対応", "reassurance"),
        ("当社の貢献を認めてくれる", "feeling_valued"),
        ("営業担当者は当社のビジネスを理解している", "trust"),
        ("取引のしやすさ", "effort"),
        ("Lease terms", "other"),  # "ease" must not match inside a word
    ],
)
def test_japanese_and_english_keywords_suggest_needs(text, need):
    assert suggest_need(text) == need


def test_catalogue_from_workspace_has_every_driver_with_need_and_column(ws):
    catalogue = catalogue_from_workspace(ws)
    assert [d["label"] for d in catalogue] == [label for label, _ in DRIVERS]
    assert all(d["column"] == d["label"] for d in catalogue)
    assert {d["category"] for d in catalogue} == {"rational", "emotional"}


def test_set_need_recomputes_category_and_rejects_unknown_needs(ws):
    catalogue = set_need(catalogue_from_workspace(ws), "product_quality", "trust")
    edited = next(d for d in catalogue if d["key"] == "product_quality")
    assert (edited["need"], edited["category"]) == ("trust", "emotional")
    with pytest.raises(InvalidParameterError):
        set_need(catalogue, "product_quality", "happiness")
    with pytest.raises(InvalidParameterError):
        normalise_catalogue([{"label": "x", "need": "happiness"}])


def test_catalogue_json_round_trip_and_mapping_carries_edited_needs(ws):
    catalogue = set_need(catalogue_from_workspace(ws), "on_time_delivery", "reassurance")
    restored = catalogue_from_json(catalogue_json(catalogue))
    assert restored == [dict(d) for d in catalogue]
    mapping = apply_catalogue(ws.loaded.survey_mapping, catalogue)
    reloaded = Mapping.from_json(mapping.to_json())
    delivery = next(d for d in reloaded.drivers if d["column"] == "On-time delivery")
    assert (delivery["need"], delivery["category"]) == ("reassurance", "emotional")
    assert json.loads(mapping.to_json())["fields"] == dict(ws.loaded.survey_mapping.fields)


# --- need scores ----------------------------------------------------------------------------


def test_need_score_matches_a_hand_computed_mean(ws, sample):
    frame = need_scores(ws, catalogue_from_workspace(ws))
    price = frame[(frame["item"] == "price")].iloc[0]
    survey = sample.survey
    by_hand = survey[["Price transparency", "Total cost"]].mean(axis=1)
    assert price["n"] == len(ws.con.execute("SELECT * FROM responses").fetchall())
    assert price["mean"] == pytest.approx(by_hand.loc[survey["Response ID"].isin(_loaded_ids(ws))].mean(), abs=1e-3)
    assert price["mean_ci_low"] < price["mean"] < price["mean_ci_high"]
    assert 0 <= price["top2_ci_low"] < price["top2"] < price["top2_ci_high"] <= 100
    assert set(frame["item"]) >= {"rational", "emotional"}


def _loaded_ids(ws) -> set[str]:
    return {r[0] for r in ws.con.execute("SELECT response_id FROM responses").fetchall()}


def test_need_scores_by_segment_show_smb_fulfilment_lowest(ws):
    frame = need_scores(ws, catalogue_from_workspace(ws), by="segment")
    fulfilment = frame[frame["item"] == "fulfilment"].set_index("group")["mean"]
    assert fulfilment.idxmin() == "SMB"
    assert set(frame["group"]) == {"Enterprise", "Mid-market", "SMB"}


def test_need_scores_follow_filters_and_flag_small_groups(ws):
    catalogue = catalogue_from_workspace(ws)
    smb = need_scores(ws, catalogue, Filters.make(segment=["SMB"]), by="respondent_role", min_n=10_000)
    assert smb["small_sample"].all()
    total = need_scores(ws, catalogue, Filters.make(segment=["SMB"]))
    assert smb[smb["item"] == "price"]["n"].sum() == total[total["item"] == "price"]["n"].iloc[0]


def test_editing_a_need_changes_the_need_scores(ws):
    catalogue = catalogue_from_workspace(ws)
    before = need_scores(ws, catalogue).set_index("item")
    after = need_scores(ws, set_need(catalogue, "product_quality", "trust")).set_index("item")
    assert after.loc["product", "mean"] != before.loc["product", "mean"]
    assert after.loc["trust", "mean"] != before.loc["trust", "mean"]
    assert after.loc["emotional", "mean"] != before.loc["emotional", "mean"]


# --- key drivers: planted effects -----------------------------------------------------------


def test_top_driver_overall_is_on_time_delivery(ws, sample):
    result = key_drivers(ws, catalogue_from_workspace(ws))
    top = result.drivers[0]
    assert top.label == sample.truth["top_driver_overall"] == "On-time delivery"
    assert not result.ranking_uncertain and result.top_stability >= 0.95
    # the top driver's interval does not overlap the runner-up's
    assert top.importance_ci95[0] > result.drivers[1].importance_ci95[1]
    assert sum(d.importance for d in result.drivers) == pytest.approx(100, abs=0.1)
    assert all(d.importance_ci95[0] <= d.importance <= d.importance_ci95[1] for d in result.drivers)
    # SMB's late deliveries make it the weakest driver overall: important and low -> fix first
    assert top.quadrant == "fix_first"


@pytest.mark.parametrize("role", ["procurement", "engineer", "executive", "admin"])
def test_planted_top_driver_by_role(ws, sample, role):
    result = key_drivers(ws, catalogue_from_workspace(ws), group=("respondent_role", role))
    assert result.drivers[0].label == sample.truth["top_driver_by_role"][role]
    assert not result.ranking_uncertain


def test_top_driver_by_group_covers_every_role(ws, sample):
    results = top_driver_by_group(ws, catalogue_from_workspace(ws), "respondent_role", resamples=20)
    assert {role: r.drivers[0].label for role, r in results.items()} == sample.truth["top_driver_by_role"]


def test_filters_and_group_combine(ws):
    catalogue = catalogue_from_workspace(ws)
    whole = key_drivers(ws, catalogue, resamples=10)
    smb_engineers = key_drivers(
        ws, catalogue, Filters.make(segment=["SMB"]), group=("respondent_role", "engineer"), resamples=10
    )
    assert smb_engineers.responses < whole.responses
    assert smb_engineers.drivers[0].label == "Product quality"


def test_outcome_and_performance_measure_change_the_result(ws):
    catalogue = catalogue_from_workspace(ws)
    nps = key_drivers(ws, catalogue, resamples=20)
    csat = key_drivers(ws, catalogue, outcome="csat", performance="top2", resamples=20)
    assert [d.importance for d in nps.drivers] != [d.importance for d in csat.drivers]
    assert all(0 <= d.performance <= 100 for d in csat.drivers)
    assert all(1 <= d.performance <= 5 for d in nps.drivers)


def test_bootstrap_is_reproducible(ws):
    catalogue = catalogue_from_workspace(ws)
    first = key_drivers(ws, catalogue, resamples=30)
    second = key_drivers(ws, catalogue, resamples=30)
    assert [d.importance_ci95 for d in first.drivers] == [d.importance_ci95 for d in second.drivers]


def test_quadrants_follow_the_split_lines(ws):
    for split in ("median", "mean"):
        result = key_drivers(ws, catalogue_from_workspace(ws), split=split, resamples=10)
        for d in result.drivers:
            high = d.importance >= result.importance_split
            good = d.performance >= result.performance_split
            expected = {(True, False): "fix_first", (True, True): "keep_up", (False, True): "maintain"}
            assert d.quadrant == expected.get((high, good), "lower_priority")


def test_invalid_parameters_are_refused(ws):
    catalogue = catalogue_from_workspace(ws)
    for kwargs in ({"outcome": "revenue"}, {"performance": "median"}, {"missing": "impute"}, {"split": "max"}):
        with pytest.raises(InvalidParameterError):
            key_drivers(ws, catalogue, **kwargs)


# --- key drivers: small and messy data ------------------------------------------------------


def _workspace(rows: int, seed: int, *, signal: float, holes: float = 0.0) -> Workspace:
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(rows, 4)).astype(float)
    nps = np.clip(np.rint(5 + signal * (x[:, 0] - 3) + rng.normal(0, 2, rows)), 0, 10).astype(int)
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i}" for i in range(rows)],
            "Account ID": [f"A{i % 7}" for i in range(rows)],
            "Role": rng.choice(["CEO", "Buyer", "Engineer"], rows),
            "How likely are you to recommend us? (0-10)": nps,
            "Price transparency": x[:, 0],
            "On-time delivery": x[:, 1],
            "Product quality": x[:, 2],
            "Support responsiveness": x[:, 3],
        }
    )
    for column in ("Price transparency", "On-time delivery", "Product quality", "Support responsiveness"):
        frame.loc[rng.random(rows) < holes, column] = None
    return Workspace.from_loaded(load_inputs(frame.to_csv(index=False).encode(), "small.csv"))


def test_small_sample_warns_that_the_ranking_is_uncertain():
    ws = _workspace(25, 1, signal=1.5)
    try:
        result = key_drivers(ws, catalogue_from_workspace(ws), resamples=50)
        assert result.r_squared is not None
        assert "small_n" in result.warnings and result.ranking_uncertain
    finally:
        ws.close()


def test_noise_only_data_reports_an_unstable_top_driver():
    ws = _workspace(400, 2, signal=0.0)
    try:
        result = key_drivers(ws, catalogue_from_workspace(ws), resamples=100)
        assert "top_unstable" in result.warnings
    finally:
        ws.close()


def test_missing_ratings_listwise_vs_pairwise():
    ws = _workspace(600, 4, signal=1.5, holes=0.2)
    try:
        catalogue = catalogue_from_workspace(ws)
        listwise = key_drivers(ws, catalogue, missing="listwise", resamples=30)
        pairwise = key_drivers(ws, catalogue, missing="pairwise", resamples=30)
        assert listwise.n_used < pairwise.n_used < pairwise.responses
        assert listwise.drivers[0].label == pairwise.drivers[0].label == "Price transparency"
    finally:
        ws.close()


def test_too_few_responses_give_no_model_but_no_error(ws):
    result = key_drivers(ws, catalogue_from_workspace(ws), Filters.make(segment=["no such segment"]))
    assert result.warnings == ["too_few"] and result.r_squared is None
    assert all(d.importance is None and d.rank is None for d in result.drivers)
