"""Moments of truth on the sample (planted: Order delivery is SMB's worst) and without journey data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cx_core import Filters, Workspace, build_summary, load_inputs
from cx_core.moments import moments_of_truth, top_moments_by_role
from cx_core.stats import nps_from_counts

ROOT = Path(__file__).resolve().parents[2]


def test_order_delivery_is_the_worst_moment_for_smb(ws, sample):
    result = moments_of_truth(ws, Filters.make(segment=["SMB"]))
    worst = result.moments[0]
    assert worst.touchpoint == sample.truth["worst_touchpoint_smb"] == "Order delivery"
    assert worst.rank == 1 and worst.impact < 0
    solid = [m for m in result.moments if not m.small_sample]
    assert min(solid, key=lambda m: m.nps.score).touchpoint == "Order delivery"
    # and support is a positive moment for SMB
    support = next(m for m in result.moments if m.touchpoint == "Support case")
    assert support.gap > 0


def test_moment_numbers_are_consistent(ws, sample):
    result = moments_of_truth(ws)
    survey = sample.survey
    overall = survey["How likely are you to recommend us to a colleague? (0-10)"]
    assert (
        result.overall.score
        == nps_from_counts((overall >= 9).sum(), overall.between(7, 8).sum(), (overall <= 6).sum()).score
    )
    transactional = survey[survey["Survey type"] == "transactional"]
    assert sum(m.volume for m in result.moments) == len(transactional)
    assert result.relationship_excluded == len(survey) - len(transactional)
    delivery = next(m for m in result.moments if m.touchpoint == "Order delivery")
    scores = transactional.loc[transactional["Touchpoint"] == "Order delivery", overall.name]
    assert delivery.volume == len(scores)
    assert delivery.detractor_share == pytest.approx(100 * (scores <= 6).mean(), abs=0.01)
    assert delivery.gap == pytest.approx(delivery.nps.score - result.overall.score, abs=0.01)
    assert delivery.impact == pytest.approx(delivery.volume * delivery.gap / 100, abs=0.05)
    impacts = [m.impact for m in result.moments if m.rank is not None]
    assert impacts == sorted(impacts)


def test_relationship_surveys_can_be_included(ws):
    without = moments_of_truth(ws)
    with_rel = moments_of_truth(ws, include_relationship=True)
    assert "Relationship survey" not in {m.touchpoint for m in without.moments}
    assert "Relationship survey" in {m.touchpoint for m in with_rel.moments}
    assert with_rel.relationship_excluded == 0


def test_small_moments_are_flagged_not_ranked(ws):
    result = moments_of_truth(ws, Filters.make(segment=["SMB"], respondent_role=["executive"]), min_n=60)
    small = [m for m in result.moments if m.small_sample]
    assert small and all(m.rank is None for m in small)
    assert result.moments[-len(small) :] == small


def test_top_moments_per_role_are_harmful_and_ranked(ws):
    by_role = top_moments_by_role(ws, top=3)
    assert set(by_role) == {"executive", "procurement", "engineer", "admin"}
    for moments in by_role.values():
        assert len(moments) <= 3
        assert all(m.impact < 0 and not m.small_sample for m in moments)
        assert [m.impact for m in moments] == sorted(m.impact for m in moments)
    assert by_role["engineer"][0].touchpoint == "Order delivery"


def _top_moments_one_role_at_a_time(ws, filters, top=3, min_n=30):
    """The previous top_moments_by_role: moments_of_truth(role=...) for each role present (three reads each)."""
    from cx_core.roles import ROLES

    params: dict = {}
    where = filters.where(params)
    present = {
        str(r[0]) for r in ws.con.execute(f"SELECT DISTINCT respondent_role FROM facts {where}", params).fetchall()
    }
    out = {}
    for role in (r for r in ROLES if r in present):
        result = moments_of_truth(ws, filters, role=role, min_n=min_n)
        out[role] = [m for m in result.moments if m.rank is not None and (m.impact or 0) < 0][:top]
    return out


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters.make(segment=["SMB"]),
        Filters.make(segment=["Enterprise"], respondent_role=["engineer", "admin"]),
    ],
)
@pytest.mark.parametrize("min_n", [30, 5])
def test_top_moments_per_role_from_two_grouped_reads_equal_one_role_at_a_time(ws, filters, min_n):
    got = top_moments_by_role(ws, filters, top=4, min_n=min_n)
    expected = _top_moments_one_role_at_a_time(ws, filters, top=4, min_n=min_n)
    assert list(got) == list(expected)
    assert any(expected.values())
    assert got == expected  # every number of every moment: NPS, intervals, gap, impact, rank


@pytest.fixture()
def ws_without_journey(sample):
    survey = sample.survey.drop(columns=["Journey stage", "Touchpoint"])
    survey["Survey type"] = "relationship"
    workspace = Workspace.from_loaded(load_inputs(survey.to_csv(index=False).encode(), "survey.csv"))
    yield workspace
    workspace.close()


def test_no_journey_columns_says_so(ws_without_journey):
    result = moments_of_truth(ws_without_journey)
    assert result.available is False and result.moments == []
    summary = build_summary(ws_without_journey)
    assert "moments" not in summary
    assert summary["drivers"][0]["driver"] == "On-time delivery"


def test_summary_has_drivers_and_moments(ws):
    summary = build_summary(ws)
    drivers = summary["drivers"]
    assert drivers[0]["driver"] == "On-time delivery"
    for d in drivers:
        assert {"driver", "need", "category", "importance", "importance_ci95", "performance"} <= set(d)
    assert summary["moments"]["moments"][0]["touchpoint"] == "Order delivery"
    assert set(summary["moments"]["top_by_role"]) == {"executive", "procurement", "engineer", "admin"}


def test_cli_prints_drivers_and_moments():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "cx_core",
            "summarize",
            "--survey",
            "sample_data/survey.csv",
            "--crm",
            "sample_data/crm.csv",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [d["driver"] for d in doc["drivers"]][0] == "On-time delivery"
    assert doc["drivers"][0]["need"] == "fulfilment" and doc["drivers"][0]["category"] == "rational"
    low, high = doc["drivers"][0]["importance_ci95"]
    assert low <= doc["drivers"][0]["importance"] <= high
    assert doc["moments"]["available"] is True
