"""Key drivers aggregated in DuckDB give the numbers of the fetched response x driver matrix (issue 25).

The reference is the previous implementation, kept verbatim in tests/drivers_matrix_reference.py.
Point estimates, performance, driver scores and need scores must agree to 1e-9 (the rounded figures
the page shows: equal); the bootstrap draws the same accounts from the same seed, but sums them in
another order, so its shares agree to 1e-6 percentage points (the intervals shown, rounded to 0.01,
may differ by that last digit on a tie).
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from cx_core import Filters, Workspace, load_inputs
from cx_core.drivers import catalogue_from_workspace, drivers_view, need_scores, normalise_catalogue
from cx_core.drivers.key_drivers import driver_scores_of, key_drivers_of, selection_sums
from cx_core.drivers.relative_weights import correlation
from tests import drivers_matrix_reference as reference

key_drivers_module = importlib.import_module("cx_core.drivers.key_drivers")
TOLERANCE = 1e-6  # percentage points of R², bootstrap shares


def _workspace(
    rows: int, accounts: int | None, holes: float, seed: int, mixed: bool = False, constant: bool = False
) -> Workspace:
    """Correlated 1-5 ratings (one on 0-10 with ``mixed``, one the same for all with ``constant``),
    an overall rating and NPS, with blanks."""
    rng = np.random.default_rng(seed)
    mood = rng.normal(size=rows)
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i:05d}" for i in rng.permutation(rows)],
            "Role": rng.choice(["CEO", "Buyer", "Engineer"], rows),
            "Journey stage": rng.choice(["Onboarding", "Renewal"], rows),
            "How likely are you to recommend us? (0-10)": np.clip(np.rint(6 + 2 * mood), 0, 10).astype(int),
            "Overall satisfaction (1-5)": np.clip(np.rint(3 + mood + rng.normal(0, 0.7, rows)), 1, 5),
            "On-time delivery": np.clip(np.rint(3 + mood + rng.normal(size=rows)), 1, 5),
            "Product quality": np.clip(np.rint(3 + mood + rng.normal(size=rows)), 1, 5),
            "Support responsiveness": np.clip(np.rint(3 + 0.5 * mood + rng.normal(size=rows)), 1, 5),
            "Onboarding experience": np.clip(np.rint(3 + rng.normal(size=rows)), 1, 5),
        }
    )
    if mixed:
        frame["Price transparency (0-10)"] = np.clip(np.rint(6 + 2 * mood + rng.normal(0, 2, rows)), 0, 10)
    no_outcome = rng.random(rows) < 0.05
    if constant:  # rated only without an outcome: cannot enter the model, whose sums are then read alone
        frame["Documentation"] = np.where(no_outcome, rng.integers(1, 6, rows), None)
    if accounts is not None:
        frame.insert(1, "Account ID", [f"ACC-{a}" for a in rng.integers(0, accounts, rows)])
    for column in frame.columns[5:]:
        frame.loc[rng.random(rows) < holes, column] = None
    frame.loc[no_outcome, "How likely are you to recommend us? (0-10)"] = None
    return Workspace.from_loaded(load_inputs(frame.to_csv(index=False).encode(), "drivers.csv"))


DATA = {
    "accounts": dict(rows=1_500, accounts=60, holes=0.1, seed=1),  # account sums in DuckDB
    "accounts_mixed_scales": dict(rows=900, accounts=25, holes=0.2, seed=2, mixed=True),
    "no_accounts": dict(rows=800, accounts=None, holes=0.1, seed=3),  # single responses drawn: rows fetched
    "tiny_accounts": dict(rows=800, accounts=700, holes=0.1, seed=4),  # more account sums than rows: rows fetched
    "accounts_of_two": dict(rows=1_200, accounts=500, holes=0.0, seed=5),  # complete: account sums
    "constant_driver": dict(rows=1_000, accounts=40, holes=0.05, seed=6, constant=True),
}


@pytest.fixture(scope="module", params=list(DATA))
def data(request):
    workspace = _workspace(**DATA[request.param])
    yield workspace
    workspace.close()


def _selections(ws: Workspace) -> list[tuple[Filters, tuple[str, str] | None]]:
    ids = [r[0] for r in ws.con.execute("SELECT response_id FROM responses ORDER BY response_id").fetchall()]
    account = ws.con.execute(
        "SELECT account_key FROM responses WHERE account_key IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    one_account = (
        [
            r[0]
            for r in ws.con.execute("SELECT response_id FROM responses WHERE account_key = ?", [account[0]]).fetchall()
        ]
        if account
        else ids[:25]
    )
    roles = [r[0] for r in ws.con.execute("SELECT DISTINCT respondent_role FROM responses ORDER BY 1").fetchall()]
    return [
        (Filters(), None),
        (Filters.make(respondent_role=roles[:2]), None),
        (Filters(), ("journey_stage", "Renewal")),
        (Filters().restricted_to(one_account, "one account"), None),
        (Filters().restricted_to(ids[:9]), None),  # too few for a model
    ]


def _assert_same_result(got: dict, want: dict) -> None:
    """Equal (every figure is rounded), but for a bootstrap interval's last digit (shares agree to 1e-6)."""
    drivers_got, drivers_want = got.pop("drivers"), want.pop("drivers")
    assert got == want
    assert [d["key"] for d in drivers_got] == [d["key"] for d in drivers_want]
    for a, b in zip(drivers_got, drivers_want, strict=True):
        ci_got, ci_want = a.pop("importance_ci95"), b.pop("importance_ci95")
        assert a == b
        assert (ci_got is None) == (ci_want is None)
        if ci_got is not None:
            assert ci_got == pytest.approx(ci_want, abs=0.0100001)


def test_key_drivers_in_sql_equal_the_matrix(data):
    drivers = normalise_catalogue(catalogue_from_workspace(data))
    compared = 0
    for filters, group in _selections(data):
        for outcome, performance, missing, split in (
            ("nps", "mean", "listwise", "median"),
            ("nps", "top2", "pairwise", "mean"),
            ("csat", "mean", "pairwise", "median"),
            (drivers[-1].key, "mean", "pairwise", "median"),  # a driver rating as the outcome
            (drivers[0].key, "top2", "listwise", "mean"),
        ):
            options = dict(outcome=outcome, performance=performance, missing=missing, split=split, resamples=60)
            old = reference.key_drivers_of(
                reference.selected_ratings(data, drivers, outcome, filters, group), **options
            )
            new = key_drivers_of(data, selection_sums(data, drivers, outcome, filters, group), **options)
            compared += old.r_squared is not None
            _assert_same_result(new.to_dict(), old.to_dict())
    assert compared >= 10  # most selections have a model


def test_model_sums_give_the_matrix_correlation_and_bootstrap(data):
    """Before rounding: the correlation to 1e-9 and every bootstrap resample's shares to 1e-6."""
    drivers = normalise_catalogue(catalogue_from_workspace(data))
    for filters, group in _selections(data)[:4]:
        selected = reference.selected_ratings(data, drivers, "nps", filters, group)
        sums = selection_sums(data, drivers, "nps", filters, group)
        keys = [d.key for d in drivers if sums.per_driver.get(d.key) is not None]
        matrix = reference._model_matrix(selected, [d for d in drivers if d.key in keys])
        clusters = selected.clusters[np.isfinite(selected.outcome)] if selected.clusters is not None else None
        for missing in ("listwise", "pairwise"):
            model = key_drivers_module._model(data, sums, keys, missing)
            corr, n_used = correlation(matrix, missing)
            assert model.n_used == n_used
            np.testing.assert_allclose(model.corr, corr, rtol=0, atol=1e-9)
            want = reference.bootstrap_shares(matrix, missing, 30, 7, clusters)
            got = model.resample(30, 7)
            assert got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=0, atol=TOLERANCE)


def test_driver_and_need_scores_in_sql_equal_the_matrix(data):
    catalogue = catalogue_from_workspace(data)
    drivers = normalise_catalogue(catalogue)
    for filters, group in _selections(data):
        for outcome in (None, "nps"):
            old = reference.driver_scores_of(reference.selected_ratings(data, drivers, outcome, filters, group))
            assert driver_scores_of(selection_sums(data, drivers, outcome, filters, group)) == old
        want = reference.need_scores_of(reference.selected_ratings(data, drivers, None, filters))
        got = need_scores(data, catalogue, filters)
        assert list(got.columns) == list(want.columns)
        labels = ["group", "kind", "item", "category", "n", "small_sample"]
        assert got[labels].equals(want[labels])
        numbers = ["mean", "mean_ci_low", "mean_ci_high", "top2", "top2_ci_low", "top2_ci_high"]
        # both round to 0.001 / 0.01; sums in another order may round the last digit the other way
        np.testing.assert_allclose(got[numbers].to_numpy(float), want[numbers].to_numpy(float), atol=0.0100001)


def test_drivers_view_equals_the_matrix_on_the_sample(ws):
    catalogue = catalogue_from_workspace(ws)
    drivers = normalise_catalogue(catalogue)
    for group in (None, ("respondent_role", "executive")):
        view = drivers_view(ws, catalogue, Filters(), group=group, missing="pairwise", resamples=40)
        selected = reference.selected_ratings(ws, drivers, "nps", Filters(), group)
        old = reference.key_drivers_of(selected, missing="pairwise", resamples=40)
        _assert_same_result(view.key_drivers.to_dict(), old.to_dict())
        assert view.needs.equals(need_scores(ws, catalogue, Filters()))
