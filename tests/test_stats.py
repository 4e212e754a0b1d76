import math

import pytest

from cx_core.stats import (
    holm_adjust,
    mean_from_moments,
    nps_category,
    nps_difference_test,
    nps_from_counts,
    wilson_interval,
)


def test_nps_hand_computed():
    # 50 promoters, 30 passives, 20 detractors: NPS = 50% - 20% = 30
    r = nps_from_counts(50, 30, 20)
    assert r.score == 30.0 and r.n == 100
    # var = (0.5 + 0.2 - 0.3^2) / 100 = 0.0061 -> se = 0.078102 -> 7.8102 points
    assert r.se == pytest.approx(7.8102, abs=1e-3)
    assert r.ci95 == (pytest.approx(30 - 1.96 * 7.8102, abs=0.02), pytest.approx(30 + 1.96 * 7.8102, abs=0.02))


def test_nps_edges():
    assert nps_from_counts(0, 0, 0).score is None
    all_promoters = nps_from_counts(10, 0, 0)
    assert all_promoters.score == 100 and all_promoters.ci95 == (100.0, 100.0)
    assert nps_from_counts(0, 0, 5).ci95[0] == -100


def test_nps_category_bounds():
    assert [nps_category(s) for s in (0, 6, 7, 8, 9, 10)] == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]


def test_mean_interval():
    # values 1, 2, 3: mean 2, sd 1, se = 1/sqrt(3)
    r = mean_from_moments(3, 6, 14, top_box=0)
    assert r.score == 2 and r.ci95[0] == pytest.approx(2 - 1.96 / math.sqrt(3), abs=1e-2)


def test_wilson_small_sample():
    low, high = wilson_interval(0, 10)
    assert low == 0 and 25 < high < 35  # the classic "0 of 10" upper bound is about 27.8%


def test_difference_test_and_holm():
    a, b = nps_from_counts(60, 20, 20), nps_from_counts(20, 20, 60)
    diff, p = nps_difference_test(a, b)
    assert diff == 80 and p < 1e-6
    same, p_same = nps_difference_test(a, a)
    assert same == 0 and p_same == pytest.approx(1.0)
    assert holm_adjust([0.01, 0.04, None, 0.03]) == [0.03, 0.06, None, 0.06]
