import math

import pytest

from cx_core.stats import (
    holm_adjust,
    is_significant,
    mean_difference_test,
    mean_from_moments,
    nps_category,
    nps_difference_test,
    nps_from_counts,
    nps_subtract,
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


def test_mean_difference_hand_computed():
    # a: values 1, 2, 3 -> mean 2, se 1/sqrt(3); b: values 3, 4, 5 -> mean 4, se 1/sqrt(3)
    a = mean_from_moments(3, 6, 14)
    b = mean_from_moments(3, 12, 50)
    diff, p = mean_difference_test(a, b)
    # z = -2 / sqrt(2/3) = -2.449 -> two-sided p = 0.01431
    assert diff == -2 and p == pytest.approx(0.01431, abs=1e-4)
    one = mean_from_moments(1, 5, 25)  # a single answer has no standard error
    assert mean_difference_test(a, one) == (None, None)


def test_nps_subtract_gives_the_rest():
    total, group = nps_from_counts(60, 25, 15), nps_from_counts(10, 5, 5)
    rest = nps_subtract(total, group)
    assert (rest.promoters, rest.passives, rest.detractors, rest.n) == (50, 20, 10, 80)
    assert rest.score == 50.0  # 62.5% - 12.5%


def test_nps_difference_hand_computed_p():
    # a: 50/30/20 (NPS 30, se 7.8102); b: 30/30/40 (NPS -10, var = (0.3+0.4-0.01)/100 -> se 8.3066)
    a, b = nps_from_counts(50, 30, 20), nps_from_counts(30, 30, 40)
    diff, p = nps_difference_test(a, b)
    # z = 40 / sqrt(7.8102^2 + 8.3066^2) = 40 / 11.4018 = 3.508 -> p = 0.000451
    assert diff == 40 and p == pytest.approx(0.000451, abs=2e-5)


def test_is_significant_edges():
    assert is_significant(0.049) and not is_significant(0.05) and not is_significant(None)
