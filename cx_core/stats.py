"""Statistics for small B2B samples: every score comes with its n and a 95% interval.

All functions are pure and tested against hand-computed values (tests/test_stats.py).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class NpsResult:
    """NPS on the -100..+100 scale with counts and a 95% confidence interval."""

    score: float | None
    n: int
    promoters: int
    passives: int
    detractors: int
    ci95: tuple[float, float] | None
    se: float | None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["ci95"] = list(self.ci95) if self.ci95 else None
        data.pop("se")
        return data


@dataclass(frozen=True)
class MeanResult:
    """A mean score (CSAT, CES or a driver) with its top-box share and a 95% interval."""

    score: float | None  # mean on the original scale
    n: int
    top_box_share: float | None  # share (0-100) of answers in the top two boxes
    ci95: tuple[float, float] | None
    se: float | None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["ci95"] = list(self.ci95) if self.ci95 else None
        data.pop("se")
        return data


def nps_from_counts(promoters: int, passives: int, detractors: int) -> NpsResult:
    """NPS = %promoters - %detractors with the standard error from the two proportions.

    Var(NPS) = [p_P + p_D - (p_P - p_D)^2] / n  (on the -1..1 scale); the interval is the normal
    approximation, clipped to [-100, 100]. With n = 0 the score is None.

    >>> r = nps_from_counts(50, 30, 20)
    >>> r.score, r.n
    (30.0, 100)
    """
    promoters, passives, detractors = int(promoters), int(passives), int(detractors)
    n = promoters + passives + detractors
    if n == 0:
        return NpsResult(None, 0, 0, 0, 0, None, None)
    p_p, p_d = promoters / n, detractors / n
    score = (p_p - p_d) * 100
    variance = max(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n
    se = math.sqrt(variance) * 100
    low, high = max(-100.0, score - Z95 * se), min(100.0, score + Z95 * se)
    return NpsResult(round(score, 2), n, promoters, passives, detractors, (round(low, 2), round(high, 2)), se)


def nps_category(score: float | int | None) -> str | None:
    """'promoter' (9-10), 'passive' (7-8) or 'detractor' (0-6)."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    if score >= 9:
        return "promoter"
    if score >= 7:
        return "passive"
    return "detractor"


def mean_from_moments(n: int, total: float, total_sq: float, top_box: int | None = None) -> MeanResult:
    """Mean with a t-free normal 95% interval from n, sum and sum of squares."""
    n, total, total_sq = int(n), float(total), float(total_sq)
    if n == 0:
        return MeanResult(None, 0, None, None, None)
    mean = total / n
    if n > 1:
        variance = max((total_sq - n * mean * mean) / (n - 1), 0.0)
        se = math.sqrt(variance / n)
        ci = (round(mean - Z95 * se, 3), round(mean + Z95 * se, 3))
    else:
        se, ci = None, None
    share = round(100 * float(top_box) / n, 2) if top_box is not None else None
    return MeanResult(round(mean, 3), n, share, ci, se)


def wilson_interval(successes: int, n: int) -> tuple[float, float] | None:
    """Wilson score interval (0-100 scale) for a proportion; robust for small n."""
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return (round(100 * max(0.0, centre - half), 2), round(100 * min(1.0, centre + half), 2))


def nps_difference_test(a: NpsResult, b: NpsResult) -> tuple[float | None, float | None]:
    """Two-sided z-test of NPS(a) - NPS(b) for independent samples: returns (difference, p)."""
    if a.score is None or b.score is None or a.se is None or b.se is None:
        return None, None
    se = math.sqrt(a.se**2 + b.se**2)
    diff = a.score - b.score
    if se == 0:
        return round(diff, 2), (1.0 if diff == 0 else 0.0)
    z = diff / se
    p = math.erfc(abs(z) / math.sqrt(2))
    return round(diff, 2), p


def holm_adjust(p_values: list[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values (None stays None), controlling the family-wise error."""
    indexed = [(p, i) for i, p in enumerate(p_values) if p is not None]
    indexed.sort()
    m = len(indexed)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        value = min(1.0, (m - rank) * p)
        running = max(running, value)
        adjusted[i] = running
    return adjusted


def mean_difference_test(a: MeanResult, b: MeanResult) -> tuple[float | None, float | None]:
    """Two-sided z-test (Welch standard error) of mean(a) - mean(b): returns (difference, p).

    Used for CSAT and CES means of two independent groups; None when either side has fewer than
    two answers (no standard error).
    """
    if a.score is None or b.score is None or a.se is None or b.se is None:
        return None, None
    se = math.sqrt(a.se**2 + b.se**2)
    diff = a.score - b.score
    if se == 0:
        return round(diff, 3), (1.0 if diff == 0 else 0.0)
    p = math.erfc(abs(diff / se) / math.sqrt(2))
    return round(diff, 3), p


def proportion_difference_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float | None, float | None]:
    """Two-sided z-test (pooled) of x1/n1 - x2/n2 for two independent samples: (difference in
    percentage points, p). None when either sample is empty.

    >>> proportion_difference_test(30, 100, 10, 100)[0]
    20.0
    """
    if n1 <= 0 or n2 <= 0:
        return None, None
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    diff = 100 * (p1 - p2)
    if se == 0:
        return round(diff, 2), (1.0 if diff == 0 else 0.0)
    return round(diff, 2), math.erfc(abs(p1 - p2) / se / math.sqrt(2))


def nps_subtract(total: NpsResult, part: NpsResult) -> NpsResult:
    """NPS of the answers in ``total`` that are not in ``part`` ("the rest" of a group)."""
    return nps_from_counts(
        total.promoters - part.promoters, total.passives - part.passives, total.detractors - part.detractors
    )


def is_significant(p_value: float | None, alpha: float = 0.05) -> bool:
    """True when a (possibly adjusted) p-value is below ``alpha``; a missing p is never significant."""
    return p_value is not None and p_value < alpha
