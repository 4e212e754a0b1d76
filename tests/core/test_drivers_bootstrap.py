"""The vectorised bootstrap of the key drivers gives the numbers of the one-resample-at-a-time loop.

``_reference_bootstrap`` is the implementation the app used before the bootstrap was vectorised
(commit 2c834d6), kept here verbatim in substance: a Python loop drawing one resample, computing one
weighted correlation matrix and one set of relative weights at a time. Both draw the same resamples
from the same seed, so the shares must agree to floating-point rounding (tolerance 1e-6 percentage
points: the loop summed raw moments, the vectorised code centres the columns first, and on a
near-singular resample of 12 rows the two differ by 6e-8), and the ranks, importances and
intervals the page shows (rounded to 0.01) must be equal.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from cx_core import Filters, Workspace, load_inputs
from cx_core.drivers import (
    catalogue_from_workspace,
    driver_scores,
    drivers_view,
    key_drivers,
    need_scores,
    normalise_catalogue,
)
from cx_core.drivers.catalogue import catalogue_sql
from cx_core.drivers.key_drivers import driver_scores_of, selection_sums
from cx_core.drivers.relative_weights import (
    _weighted_corr,
    _weighted_pairwise_corr,
    bootstrap_shares,
    importance_shares,
    relative_weights,
    relative_weights_batch,
)
from cx_core.stats import Z95, ClusterSums, design_effect, wilson_interval
from tests import drivers_matrix_reference as reference

# the module, not the function of the same name that cx_core.drivers exports
key_drivers_module = importlib.import_module("cx_core.drivers.key_drivers")
TOLERANCE = 1e-6  # percentage points of R²


def _reference_bootstrap(
    matrix: np.ndarray, missing: str, resamples: int, seed: int, clusters: np.ndarray | None = None
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    present = np.isfinite(matrix)
    pairwise = missing == "pairwise" and not present.all()
    if pairwise:
        presence = present.astype(float)
        values = np.where(present, matrix, 0.0)
    else:
        values = matrix[present.all(axis=1)]
        clusters = clusters[present.all(axis=1)] if clusters is not None else None
    rows = len(values)
    out = []
    if rows < 3:
        return np.empty((0, matrix.shape[1] - 1))
    # answers of one account are resampled together (issue 23): one draw of accounts per resample
    codes = np.unique(clusters, return_inverse=True)[1] if clusters is not None else None
    for _ in range(resamples):
        if codes is None:
            weights = np.bincount(rng.integers(0, rows, rows), minlength=rows).astype(float)
        else:
            k = int(codes.max()) + 1
            weights = np.bincount(rng.integers(0, k, k), minlength=k)[codes].astype(float)
        corr = _weighted_pairwise_corr(values, presence, weights) if pairwise else _weighted_corr(values, weights)
        if not np.isfinite(corr).all():
            continue
        shares, _r2 = importance_shares(corr)
        if np.isfinite(shares).all():
            out.append(shares)
    return np.array(out) if out else np.empty((0, matrix.shape[1] - 1))


def _ratings(rows: int, drivers: int, seed: int, holes: float = 0.0) -> np.ndarray:
    """Correlated 1-5 ratings and a 0-10 outcome driven by the first two, with optional blanks."""
    rng = np.random.default_rng(seed)
    mood = rng.normal(size=rows)
    x = np.clip(np.rint(3 + mood[:, None] + rng.normal(size=(rows, drivers))), 1, 5)
    y = np.clip(np.rint(5 + 1.5 * (x[:, 0] - 3) + 0.7 * (x[:, 1] - 3) + rng.normal(0, 1.5, rows)), 0, 10)
    matrix = np.column_stack([x, y]).astype(float)
    matrix[:, :-1][rng.random((rows, drivers)) < holes] = np.nan
    return matrix


@pytest.mark.parametrize(
    ("rows", "drivers", "holes", "missing", "resamples"),
    [
        (2_000, 6, 0.0, "listwise", 60),
        (3_000, 10, 0.1, "listwise", 37),  # not a multiple of the block of resamples
        (3_000, 5, 0.15, "pairwise", 40),
        (40_000, 4, 0.0, "listwise", 30),  # several chunks of rows
        (12, 3, 0.0, "listwise", 80),  # tiny: some resamples have a constant driver and are dropped
    ],
)
def test_vectorised_bootstrap_equals_the_loop(rows, drivers, holes, missing, resamples):
    matrix = _ratings(rows, drivers, seed=rows + drivers, holes=holes)
    expected = _reference_bootstrap(matrix, missing, resamples, seed=7)
    got = bootstrap_shares(matrix, missing, resamples, seed=7)
    assert got.shape == expected.shape
    assert len(got) > 0
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize(
    ("rows", "drivers", "holes", "missing", "accounts"),
    [
        (3_000, 6, 0.0, "listwise", 120),  # the draws times each account's sums
        (3_000, 5, 0.15, "listwise", 90),
        (3_000, 5, 0.15, "pairwise", 150),
        (40_000, 4, 0.05, "pairwise", 700),  # several chunks of rows
        (2_000, 5, 0.1, "pairwise", 1_500),  # more account sums than row weights: rows weighted one by one
    ],
)
def test_account_bootstrap_equals_the_loop(rows, drivers, holes, missing, accounts):
    matrix = _ratings(rows, drivers, seed=rows + accounts, holes=holes)
    clusters = np.random.default_rng(accounts).integers(0, accounts, rows)
    expected = _reference_bootstrap(matrix, missing, 40, seed=3, clusters=clusters)
    got = bootstrap_shares(matrix, missing, 40, seed=3, clusters=clusters)
    assert got.shape == expected.shape
    assert len(got) > 0
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOLERANCE)


def test_tiny_data_drops_the_degenerate_resamples_like_the_loop():
    matrix = _ratings(12, 3, seed=15)
    assert len(bootstrap_shares(matrix, "listwise", 80, seed=7)) < 80


def test_batched_relative_weights_equal_one_at_a_time():
    matrix = _ratings(500, 7, seed=3)
    corr = np.corrcoef(matrix, rowvar=False)
    shuffled = corr[np.ix_([6, 5, 4, 3, 2, 1, 0, 7], [6, 5, 4, 3, 2, 1, 0, 7])]
    singular = corr.copy()
    singular[1, :] = singular[0, :]
    singular[:, 1] = singular[:, 0]
    singular[1, 1] = 1.0
    stack = np.stack([corr, shuffled, singular])
    np.testing.assert_allclose(relative_weights_batch(stack), [relative_weights(c) for c in stack], atol=1e-12)


def test_key_driver_intervals_and_ranks_equal_the_loop_on_the_sample(ws, monkeypatch):
    catalogue = catalogue_from_workspace(ws)
    selected = reference.selected_ratings(ws, normalise_catalogue(catalogue), "nps")
    for missing in ("listwise", "pairwise"):
        fast = key_drivers(ws, catalogue, missing=missing, resamples=120)
        with monkeypatch.context() as patched:  # the fetched matrix, resampled one resample at a time
            patched.setattr(reference, "bootstrap_shares", _reference_bootstrap)
            slow = reference.key_drivers_of(selected, missing=missing, resamples=120)
        assert fast.resamples == slow.resamples == 120
        assert fast.top_stability == slow.top_stability
        assert [(d.key, d.rank, d.importance) for d in fast.drivers] == [
            (d.key, d.rank, d.importance) for d in slow.drivers
        ]
        for a, b in zip(fast.drivers, slow.drivers, strict=True):
            assert a.importance_ci95 == pytest.approx(b.importance_ci95, abs=0.0100001)


# --- one read of the ratings per selection gives the numbers of the three queries it replaced ----------

_OLD_MATRIX_SQL = (
    "SELECT {columns}, any_value(s.y) AS y FROM ({outcome_sql}) s "
    "LEFT JOIN ratings r ON r.response_id = s.response_id "
    "WHERE s.y IS NOT NULL GROUP BY s.response_id ORDER BY s.response_id"
)


def _reference_matrix(ws, drivers, outcome, filters, group):
    """The key-driver matrix as the previous implementation's own query fetched it."""
    params: dict = {}
    where = key_drivers_module._selection(filters, group, params)
    columns = []
    for i, d in enumerate(drivers):
        params[f"kd_d{i}"] = d.key
        columns.append(f"max(r.score) FILTER (WHERE r.driver = $kd_d{i}) AS x{i}")
    if outcome in key_drivers_module.OUTCOMES:
        outcome_sql = f"SELECT response_id, CAST({outcome} AS DOUBLE) AS y FROM facts {where}"
    else:
        params["kd_y"] = outcome
        outcome_sql = (
            f"SELECT sel.response_id, CAST(o.score AS DOUBLE) AS y FROM (SELECT response_id FROM facts {where}) sel "
            "JOIN ratings o ON o.response_id = sel.response_id AND o.driver = $kd_y"
        )
    sql = _OLD_MATRIX_SQL.format(columns=", ".join(columns), outcome_sql=outcome_sql)
    arrays = ws.con.execute(sql, params).fetchnumpy()
    return np.column_stack([np.ma.filled(np.ma.asarray(a, dtype=float), np.nan) for a in arrays.values()])


def _reference_performance(ws, drivers, measure, filters, group):
    """Performance per driver as the previous implementation aggregated it in its own query."""
    params: dict = {}
    where = key_drivers_module._selection(filters, group, params)
    one_scale = len({(d.scale_min, d.scale_max) for d in drivers}) == 1
    value = "r.score" if one_scale else "1 + 4 * (r.score - cat.lo) / (cat.hi - cat.lo)"
    top2 = f"CASE WHEN r.score >= {key_drivers_module.TOP2_SQL} THEN 1 ELSE 0 END"
    sql = (
        f"SELECT r.driver, s.c, count(*), sum({value}), sum(power({value}, 2)), sum({top2}) "
        f"FROM ratings r JOIN (SELECT response_id, coalesce(account_key, chr(1) || response_id) AS c "
        f"FROM facts {where}) s ON r.response_id = s.response_id "
        f"JOIN {catalogue_sql(drivers, params)} ON r.driver = cat.driver "
        "WHERE r.score IS NOT NULL GROUP BY r.driver, s.c"
    )
    per_driver: dict[str, list[tuple]] = {}
    for key, _account, n, total, total_sq, top in ws.con.execute(sql, params).fetchall():
        per_driver.setdefault(key, []).append((int(n), float(total), float(total_sq), int(top)))
    out = {}
    for key, accounts in per_driver.items():
        n = sum(a[0] for a in accounts)
        total, total_sq, top = (sum(a[i] for a in accounts) for i in (1, 2, 3))
        clustered = len(accounts) < n  # no account id: every answer its own account

        def deff(index: int, square: int, accounts=accounts, clustered=clustered, n=n) -> float:
            if not clustered:
                return 1.0
            sums = ClusterSums(
                n,
                len(accounts),
                sum(a[index] for a in accounts),
                sum(a[square] if square >= 0 else a[index] for a in accounts),
                sum(a[index] ** 2 for a in accounts),
                sum(a[0] * a[index] for a in accounts),
                sum(a[0] ** 2 for a in accounts),
            )
            return design_effect(sums)

        if measure == "mean":
            mean = total / n
            half = Z95 * (deff(1, 2) * max((total_sq - n * mean * mean) / (n - 1), 0.0) / n) ** 0.5
            out[key] = (round(mean, 3), (round(mean - half, 3), round(mean + half, 3)), n)
        else:
            out[key] = (round(100 * top / n, 2), wilson_interval(int(top), n, deff(3, -1)), n)
    return out


def _mixed_scale_workspace() -> Workspace:
    """Four drivers, one on 0-10 and three on 1-5, a fifth of the ratings blank; an overall rating."""
    rng = np.random.default_rng(11)
    rows = 700
    mood = rng.normal(size=rows)
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i}" for i in range(rows)],
            "Account ID": [f"A{i % 9}" for i in range(rows)],
            "Role": rng.choice(["CEO", "Buyer", "Engineer"], rows),
            "How likely are you to recommend us? (0-10)": np.clip(np.rint(6 + 2 * mood), 0, 10).astype(int),
            "Price transparency (0-10)": np.clip(np.rint(6 + 2 * mood + rng.normal(0, 2, rows)), 0, 10),
            "On-time delivery": np.clip(np.rint(3 + mood + rng.normal(size=rows)), 1, 5),
            "Product quality": np.clip(np.rint(3 + mood + rng.normal(size=rows)), 1, 5),
            "Support responsiveness": np.clip(np.rint(3 + rng.normal(size=rows)), 1, 5),
        }
    )
    for column in ("Price transparency (0-10)", "On-time delivery", "Product quality", "Support responsiveness"):
        frame.loc[rng.random(rows) < 0.2, column] = None
    return Workspace.from_loaded(load_inputs(frame.to_csv(index=False).encode(), "mixed.csv"))


@pytest.fixture()
def mixed():
    ws = _mixed_scale_workspace()
    yield ws
    ws.close()


def _selections(ws):
    role = ws.con.execute("SELECT min(respondent_role) FROM responses").fetchone()[0]
    segment = ws.con.execute("SELECT min(segment) FROM facts").fetchone()[0]
    return [
        (Filters(), None),
        (Filters.make(segment=[segment]), None),
        (Filters(), ("respondent_role", role)),
    ]


@pytest.mark.parametrize("data", ["sample", "mixed"])
def test_performance_from_the_sums_equals_the_previous_query(data, ws, mixed):
    workspace = ws if data == "sample" else mixed
    drivers = normalise_catalogue(catalogue_from_workspace(workspace))
    assert data == "sample" or len({(d.scale_min, d.scale_max) for d in drivers}) == 2
    outcomes = ["nps", drivers[-1].key]  # a core score, and a driver rating as the outcome
    for filters, group in _selections(workspace):
        for outcome in outcomes:
            model = [d for d in drivers if d.key != outcome]
            sums = selection_sums(workspace, drivers, outcome, filters, group)
            for measure in ("mean", "top2"):
                got = key_drivers_module._performance(sums, model, measure)
                want = _reference_performance(workspace, model, measure, filters, group)
                assert got.keys() == want.keys()
                for key, (value, ci, n) in want.items():
                    assert got[key][2] == n
                    assert got[key][0] == pytest.approx(value, abs=1e-9)
                    assert got[key][1] == pytest.approx(ci, abs=1e-9)


@pytest.mark.parametrize("data", ["sample", "mixed"])
def test_need_scores_summed_with_the_key_drivers_equal_the_query(data, ws, mixed):
    workspace = ws if data == "sample" else mixed
    catalogue = catalogue_from_workspace(workspace)
    drivers = normalise_catalogue(catalogue)
    for filters, _group in _selections(workspace)[:2]:
        expected = need_scores(workspace, catalogue, filters)
        got = selection_sums(workspace, drivers, "nps", filters, needs=True).needs
        assert got is not None and list(got.columns) == list(expected.columns)
        assert got[["group", "kind", "item", "category", "n", "small_sample"]].equals(
            expected[["group", "kind", "item", "category", "n", "small_sample"]]
        )
        numbers = ["mean", "mean_ci_low", "mean_ci_high", "top2", "top2_ci_low", "top2_ci_high"]
        # both round to 0.001 / 0.01; sums in another order may round the last digit the other way
        np.testing.assert_allclose(got[numbers].to_numpy(float), expected[numbers].to_numpy(float), atol=0.0100001)


def test_drivers_view_with_a_group_scores_needs_over_all_of_the_filters(ws):
    catalogue = catalogue_from_workspace(ws)
    view = drivers_view(ws, catalogue, Filters(), group=("respondent_role", "executive"), resamples=20)
    assert view.needs.equals(need_scores(ws, catalogue, Filters()))
    assert view.key_drivers.responses < ws.response_count()


@pytest.mark.parametrize("data", ["sample", "mixed"])
def test_driver_scores_from_the_one_read_equal_the_query(data, ws, mixed):
    """The CLI's driver n / mean / top-2 share, now taken from the key drivers' sums, are the query's numbers."""
    workspace = ws if data == "sample" else mixed
    catalogue = catalogue_from_workspace(workspace)
    drivers = normalise_catalogue(catalogue)
    for filters, _group in _selections(workspace)[:2]:
        expected = driver_scores(workspace, catalogue, filters)
        assert expected
        for outcome in (None, "nps", drivers[-1].key):
            assert driver_scores_of(selection_sums(workspace, drivers, outcome, filters)) == expected


def test_accounts_summed_in_the_database_are_drawn_in_numpys_order_of_their_keys():
    """The bootstrap draws accounts by number: DuckDB's order of the keys must be np.unique's (code point order)."""
    keys = ["ACC-10", "acc-2", "Älvsjö AB", "株式会社サンプル", "Zeta", "😀 Emoji Ltd", "ｱｶｻ", "B"]
    rng = np.random.default_rng(5)
    rows = 400
    accounts = [keys[i % len(keys)] for i in range(rows)]
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i:04d}" for i in range(rows)],
            "Account ID": accounts,
            "How likely are you to recommend us? (0-10)": rng.integers(0, 11, rows),
            "On-time delivery": rng.integers(1, 6, rows),
            "Product quality": rng.integers(1, 6, rows),
        }
    )
    workspace = Workspace.from_loaded(load_inputs(frame.to_csv(index=False).encode(), "accounts.csv"))
    try:
        drivers = normalise_catalogue(catalogue_from_workspace(workspace))
        sums = selection_sums(workspace, drivers, "nps")
        ordered = workspace.con.execute(
            "SELECT response_id, account_key FROM responses ORDER BY response_id"
        ).fetchall()
        account_keys = [key for _id, key in ordered]
        assert len(set(account_keys)) == len(keys)
        matrix = reference._model_matrix(reference.selected_ratings(workspace, drivers, "nps"), drivers)
        codes = np.unique(np.array(account_keys, dtype=str), return_inverse=True)[1]
        model = key_drivers_module._model(workspace, sums, [d.key for d in drivers], "listwise")
        np.testing.assert_allclose(
            model.resample(40, 3), bootstrap_shares(matrix, "listwise", 40, 3, codes), rtol=0, atol=TOLERANCE
        )
    finally:
        workspace.close()
