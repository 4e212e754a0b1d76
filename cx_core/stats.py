"""Statistics for small B2B samples: every score comes with its n and a 95% interval.

Respondents of one account are not independent (one account manager, one delivery record, one
mood), so every interval and test here can take a *design effect*: the ratio of the variance of a
score when whole accounts are the sampled units (the ratio-estimator, or linearisation, variance
over account clusters: :func:`design_effect`) to its variance if every answer were independent.
The standard error is multiplied by its square root and the effective n is n divided by it; every
test built on the standard error (:func:`nps_difference_test`, :func:`mean_difference_test`,
:func:`proportion_difference_test`) is therefore clustered too. docs/STATISTICS.md explains it.

All functions are pure and tested against hand-computed values (tests/test_stats.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
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
    design_effect: float = 1.0  # 1.0: answers independent (no account id, or no clustering)
    effective_n: float | None = None  # n / design_effect (None: no answers)
    clusters: int | None = None  # accounts holding the answers when they cluster (None: independent)
    weighted: bool = False  # a weighted score (each account once, or by ARR): effective_n is Kish's

    def to_dict(self) -> dict:
        data = asdict(self)
        data["ci95"] = list(self.ci95) if self.ci95 else None
        data.pop("se")
        data.pop("clusters")
        data["design_effect"] = round(self.design_effect, 3)
        return data


@dataclass(frozen=True)
class MeanResult:
    """A mean score (CSAT, CES or a driver) with its top-box share and a 95% interval."""

    score: float | None  # mean on the original scale
    n: int
    top_box_share: float | None  # share (0-100) of answers in the top two boxes
    ci95: tuple[float, float] | None
    se: float | None
    design_effect: float = 1.0  # 1.0: answers independent (no account id, or no clustering)
    effective_n: float | None = None  # n / design_effect (None: no answers)
    clusters: int | None = None  # accounts holding the answers when they cluster (None: independent)
    weighted: bool = False  # a weighted score (each account once, or by ARR): effective_n is Kish's

    def to_dict(self) -> dict:
        data = asdict(self)
        data["ci95"] = list(self.ci95) if self.ci95 else None
        data.pop("se")
        data.pop("clusters")
        data["design_effect"] = round(self.design_effect, 3)
        return data


def _effective_n(n: int, design_effect: float) -> float | None:
    if not n:
        return None
    return round(n / max(design_effect, 1.0), 1)


def nps_from_counts(
    promoters: int, passives: int, detractors: int, design_effect: float = 1.0, clusters: int | None = None
) -> NpsResult:
    """NPS = %promoters - %detractors with the standard error from the two proportions.

    Var(NPS) = deff * [p_P + p_D - (p_P - p_D)^2] / n  (on the -1..1 scale), deff being the design
    effect of answers clustered in accounts (1 when they are independent; ``clusters`` the number
    of accounts, which sets the degrees of freedom of tests); the interval is the normal
    approximation, clipped to [-100, 100]. With n = 0 the score is None.

    >>> r = nps_from_counts(50, 30, 20)
    >>> r.score, r.n
    (30.0, 100)
    >>> nps_from_counts(50, 30, 20, design_effect=4.0).ci95  # twice as wide
    (-0.62, 60.62)
    """
    promoters, passives, detractors = int(promoters), int(passives), int(detractors)
    n = promoters + passives + detractors
    if n == 0:
        return NpsResult(None, 0, 0, 0, 0, None, None)
    deff = max(1.0, float(design_effect))
    p_p, p_d = promoters / n, detractors / n
    score = (p_p - p_d) * 100
    variance = deff * max(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n
    se = math.sqrt(variance) * 100
    low, high = max(-100.0, score - Z95 * se), min(100.0, score + Z95 * se)
    return NpsResult(
        round(score, 2),
        n,
        promoters,
        passives,
        detractors,
        (round(low, 2), round(high, 2)),
        se,
        deff,
        _effective_n(n, deff),
        clusters,
    )


def nps_category(score: float | int | None) -> str | None:
    """'promoter' (9-10), 'passive' (7-8) or 'detractor' (0-6)."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    if score >= 9:
        return "promoter"
    if score >= 7:
        return "passive"
    return "detractor"


def mean_from_moments(
    n: int,
    total: float,
    total_sq: float,
    top_box: int | None = None,
    design_effect: float = 1.0,
    clusters: int | None = None,
) -> MeanResult:
    """Mean with a t-free normal 95% interval from n, sum and sum of squares (the variance times
    the design effect of answers clustered in accounts)."""
    n, total, total_sq = int(n), float(total), float(total_sq)
    if n == 0:
        return MeanResult(None, 0, None, None, None)
    deff = max(1.0, float(design_effect))
    mean = total / n
    if n > 1:
        variance = max((total_sq - n * mean * mean) / (n - 1), 0.0)
        se = math.sqrt(deff * variance / n)
        ci = (round(mean - Z95 * se, 3), round(mean + Z95 * se, 3))
    else:
        se, ci = None, None
    share = round(100 * float(top_box) / n, 2) if top_box is not None else None
    return MeanResult(round(mean, 3), n, share, ci, se, deff, _effective_n(n, deff), clusters)


def wilson_interval(successes: int, n: int, design_effect: float = 1.0) -> tuple[float, float] | None:
    """Wilson score interval (0-100 scale) for a proportion; robust for small n. With answers
    clustered in accounts it is taken on the effective n (n / design effect), the share unchanged."""
    if n <= 0:
        return None
    p = successes / n
    size = n / max(1.0, float(design_effect))
    denom = 1 + Z95**2 / size
    centre = (p + Z95**2 / (2 * size)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / size + Z95**2 / (4 * size * size)) / denom
    return (round(100 * max(0.0, centre - half), 2), round(100 * min(1.0, centre + half), 2))


def _cluster_df(a: int | None, b: int | None) -> int | None:
    """Degrees of freedom of a test between two sets of answers of which at least one clusters in
    accounts: the fewer accounts minus one (the conservative Welch choice; few accounts, few
    independent opinions). None (normal reference) when both sides are independent answers."""
    if a is None and b is None:
        return None
    return max(1, min(k for k in (a, b) if k is not None) - 1)


def two_sided_p(statistic: float, df: int | None = None) -> float:
    """Two-sided p of a z statistic (``df`` None) or of a t statistic with ``df`` degrees of freedom.

    >>> round(two_sided_p(1.959963984540054), 4), round(two_sided_p(2.042272456, 30), 4)
    (0.05, 0.05)
    """
    t = abs(float(statistic))
    if df is None:
        return math.erfc(t / math.sqrt(2))
    return _regularised_beta(df / 2, 0.5, df / (df + t * t))


def _regularised_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) by its continued fraction (the t distribution's tail; no SciPy in the app)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a - 1 + 2 * m) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1 + 2 * m)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 3e-14:
            break
    return h


def nps_difference_test(a: NpsResult, b: NpsResult) -> tuple[float | None, float | None]:
    """Two-sided test of NPS(a) - NPS(b) for independent samples: returns (difference, p).

    The standard errors carry each side's design effect; when answers cluster in accounts the
    reference is Student's t with the fewer accounts minus one degrees of freedom, else normal."""
    if a.score is None or b.score is None or a.se is None or b.se is None:
        return None, None
    se = math.sqrt(a.se**2 + b.se**2)
    diff = a.score - b.score
    if se == 0:
        return round(diff, 2), (1.0 if diff == 0 else 0.0)
    return round(diff, 2), two_sided_p(diff / se, _cluster_df(a.clusters, b.clusters))


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
    two answers (no standard error). Clustered answers: as :func:`nps_difference_test`.
    """
    if a.score is None or b.score is None or a.se is None or b.se is None:
        return None, None
    se = math.sqrt(a.se**2 + b.se**2)
    diff = a.score - b.score
    if se == 0:
        return round(diff, 3), (1.0 if diff == 0 else 0.0)
    return round(diff, 3), two_sided_p(diff / se, _cluster_df(a.clusters, b.clusters))


def proportion_difference_test(
    x1: int, n1: int, x2: int, n2: int, design_effects: tuple[float, float] = (1.0, 1.0)
) -> tuple[float | None, float | None]:
    """Two-sided z-test (pooled) of x1/n1 - x2/n2 for two independent samples: (difference in
    percentage points, p). None when either sample is empty. ``design_effects`` (one per sample)
    widen each side's variance when its answers are clustered in accounts.

    >>> proportion_difference_test(30, 100, 10, 100)[0]
    20.0
    """
    if n1 <= 0 or n2 <= 0:
        return None, None
    d1, d2 = (max(1.0, float(d)) for d in design_effects)
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (d1 / n1 + d2 / n2))
    diff = 100 * (p1 - p2)
    if se == 0:
        return round(diff, 2), (1.0 if diff == 0 else 0.0)
    return round(diff, 2), math.erfc(abs(p1 - p2) / se / math.sqrt(2))


def nps_subtract(
    total: NpsResult, part: NpsResult, design_effect: float | None = None, clusters: int | None = None
) -> NpsResult:
    """NPS of the answers in ``total`` that are not in ``part`` ("the rest" of a group), with the
    given design effect and accounts (default: the total's, the rest being most of it)."""
    return nps_from_counts(
        total.promoters - part.promoters,
        total.passives - part.passives,
        total.detractors - part.detractors,
        total.design_effect if design_effect is None else design_effect,
        total.clusters if clusters is None else clusters,
    )


def extremes_adjusted_p(p_value: float | None, groups: int) -> float | None:
    """The p of "the highest group differs from the lowest", Bonferroni-adjusted over every pair of
    ``groups`` groups: picking the two extremes after looking is comparing all pairs at once.

    >>> extremes_adjusted_p(0.01, 4)  # 6 pairs
    0.06
    """
    if p_value is None:
        return None
    pairs = max(1, groups * (groups - 1) // 2)
    return min(1.0, round(p_value * pairs, 12))


def is_significant(p_value: float | None, alpha: float = 0.05) -> bool:
    """True when a (possibly adjusted) p-value is below ``alpha``; a missing p is never significant."""
    return p_value is not None and p_value < alpha


def benjamini_hochberg(p_values: list[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values (q-values; None stays None), controlling the false
    discovery rate across a table of tests (a cell is "clear" when its q is below 0.05).

    >>> benjamini_hochberg([0.01, 0.04, 0.03, None])
    [0.03, 0.04, 0.04, None]
    """
    indexed = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(indexed)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 1.0
    for rank in range(m, 0, -1):
        p, i = indexed[rank - 1]
        running = min(running, m * p / rank)
        adjusted[i] = round(running, 12)
    return adjusted


# --- answers clustered in accounts -----------------------------------------------------------------


@dataclass(frozen=True)
class ClusterSums:
    """Sums of one score over a set of answers, by answer and by account (cluster).

    ``n`` answers with values y; ``clusters`` accounts with at least one answer (a respondent
    without an account is a cluster of one); ``total`` = sum y, ``total_sq`` = sum y^2;
    ``cluster_sq`` = sum over accounts of Y_k^2 (Y_k the account's sum of y), ``cluster_cross`` =
    sum of n_k * Y_k, ``cluster_size_sq`` = sum of n_k^2. For NPS, y is +1 / 0 / -1.
    """

    n: int
    clusters: int
    total: float
    total_sq: float
    cluster_sq: float
    cluster_cross: float
    cluster_size_sq: float

    def minus(self, part: ClusterSums) -> ClusterSums:
        """The sums of the answers not in ``part``; exact when every account lies wholly in
        ``part`` or wholly outside it (accounts nested in the groups, as segments are)."""
        return ClusterSums(
            self.n - part.n,
            self.clusters - part.clusters,
            self.total - part.total,
            self.total_sq - part.total_sq,
            self.cluster_sq - part.cluster_sq,
            self.cluster_cross - part.cluster_cross,
            self.cluster_size_sq - part.cluster_size_sq,
        )


def design_effect(sums: ClusterSums | None) -> float:
    """Variance of the mean with accounts as the sampled units over its variance if every answer
    were independent (>= 1; 1 when no account holds two answers).

    The clustered variance is the ratio-estimator (linearisation) variance over accounts,
    K/(K-1) * sum_k (Y_k - m n_k)^2 / n^2, the analytic twin of resampling whole accounts; the
    independent one is n/(n-1) * sum_i (y_i - m)^2 / n^2. The ratio is never taken below 1 (a
    chance negative intraclass correlation does not narrow an interval) nor above n (effective n
    at least one answer). One account holding every answer gives n (effective n 1).

    >>> design_effect(ClusterSums(4, 4, 2, 2, 2, 2, 4))  # four accounts, one answer each
    1.0
    >>> design_effect(nps_cluster_sums([(2, 0, 0), (0, 0, 2), (2, 0, 0), (0, 0, 2), (1, 0, 1)]))
    1.8
    """
    if sums is None or sums.n < 2 or sums.clusters >= sums.n:
        return 1.0
    if sums.clusters <= 1:
        return float(sums.n)
    n, k = sums.n, sums.clusters
    mean = sums.total / n
    within = n / (n - 1) * (sums.total_sq - n * mean * mean)
    if within <= 1e-12:
        return 1.0
    between = k / (k - 1) * (sums.cluster_sq - 2 * mean * sums.cluster_cross + mean * mean * sums.cluster_size_sq)
    return min(float(n), max(1.0, between / within))


def intraclass_correlation(sums: ClusterSums | None) -> float:
    """The intraclass correlation implied by a design effect: (deff - 1) / (m - 1), m being the
    answer-weighted mean account size sum n_k^2 / n (0 when no account holds two answers).

    >>> round(intraclass_correlation(nps_cluster_sums([(2, 0, 0), (0, 0, 2), (2, 0, 0), (0, 0, 2), (1, 0, 1)])), 2)
    0.8
    """
    if sums is None or sums.n < 2:
        return 0.0
    size = sums.cluster_size_sq / sums.n
    if size <= 1:
        return 0.0
    return min(1.0, (design_effect(sums) - 1) / (size - 1))


def group_design_effect(sums: ClusterSums | None, pooled_icc: float = 0.0) -> float:
    """The design effect of a group of answers: the larger of its own (:func:`design_effect`) and
    1 + (m - 1) * ``pooled_icc`` (m its answer-weighted mean account size), where the pooled
    intraclass correlation comes from the whole selection. A group's own estimate rests on few
    accounts and is often too small by chance; the whole selection's is stabler; the larger of the
    two never gives an interval narrower than either says.

    >>> group_design_effect(nps_cluster_sums([(1, 0, 1)] * 5), pooled_icc=0.5)  # 5 accounts of 2
    1.5
    """
    own = design_effect(sums)
    if sums is None or sums.n < 2 or pooled_icc <= 0:
        return own
    return min(float(sums.n), max(own, 1 + (sums.cluster_size_sq / sums.n - 1) * pooled_icc))


def nps_cluster_sums(accounts: list[tuple[int, int, int]]) -> ClusterSums:
    """The :class:`ClusterSums` of NPS from (promoters, passives, detractors) per account (for tests
    and small in-memory sets; the views compute the same sums in DuckDB).

    >>> design_effect(nps_cluster_sums([(1, 0, 1)] * 5))  # each account split: no clustering
    1.0
    """
    sizes = [p + a + d for p, a, d in accounts]
    totals = [p - d for p, _a, d in accounts]
    return ClusterSums(
        n=sum(sizes),
        clusters=sum(1 for s in sizes if s),
        total=float(sum(totals)),
        total_sq=float(sum(p + d for p, _a, d in accounts)),
        cluster_sq=float(sum(t * t for t in totals)),
        cluster_cross=float(sum(s * t for s, t in zip(sizes, totals, strict=True))),
        cluster_size_sq=float(sum(s * s for s in sizes)),
    )


def clusters_of(sums: ClusterSums | None) -> int | None:
    """The accounts of a set of answers when some account holds two or more of them, else None."""
    return sums.clusters if sums is not None and 0 < sums.clusters < sums.n else None


def clustered_nps(promoters: int, passives: int, detractors: int, sums: ClusterSums | None) -> NpsResult:
    """NPS with its interval widened by the design effect of ``sums`` (independent when None)."""
    return nps_from_counts(promoters, passives, detractors, design_effect(sums), clusters_of(sums))


def kish_effective_n(weights: list[float]) -> float | None:
    """Kish's effective sample size of weighted answers: (sum w)^2 / sum w^2.

    >>> kish_effective_n([1, 1, 1, 1]), kish_effective_n([3, 1])
    (4.0, 1.6)
    """
    total = sum(float(w) for w in weights)
    squares = sum(float(w) * float(w) for w in weights)
    return None if squares <= 0 else round(total * total / squares, 1)


def share_cluster_sums(per_account: Iterable[tuple[int, int]]) -> ClusterSums:
    """The :class:`ClusterSums` of a yes/no answer (a comment mentions a theme) from ``(answers,
    yes)`` of each account (a comment without an account is an account of one).

    >>> share_cluster_sums([(2, 2), (2, 0)]).cluster_sq
    4.0
    """
    rows = [(int(n), int(y)) for n, y in per_account if n > 0]
    yes = float(sum(y for _n, y in rows))
    return ClusterSums(
        sum(n for n, _y in rows),
        len(rows),
        yes,
        yes,  # y is 0 or 1, so y^2 = y
        float(sum(y * y for _n, y in rows)),
        float(sum(n * y for n, y in rows)),
        float(sum(n * n for n, _y in rows)),
    )


def clustered_share_difference(
    a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]], pooled_icc: float = 0.0
) -> tuple[float | None, float | None, float, float]:
    """Share of yes in ``a`` minus share in ``b`` (percentage points) tested with each side's
    design effect over accounts (``(answers, yes)`` per account; :func:`group_design_effect` with the
    selection's ``pooled_icc``): ``(difference, p, design effect a, design effect b)``.

    Twenty comments of one account mentioning late deliveries are one account's complaint, not
    twenty independent ones: a theme's share moves with few accounts, and the test says so.

    >>> diff, p, deff_a, _ = clustered_share_difference([(10, 10), (10, 0)], [(10, 0), (10, 0)])
    >>> diff, deff_a > 5, p > 0.05
    (50.0, True, True)
    """
    sums_a, sums_b = share_cluster_sums(a), share_cluster_sums(b)
    deff_a, deff_b = group_design_effect(sums_a, pooled_icc), group_design_effect(sums_b, pooled_icc)
    diff, p = proportion_difference_test(int(sums_a.total), sums_a.n, int(sums_b.total), sums_b.n, (deff_a, deff_b))
    return diff, p, deff_a, deff_b
