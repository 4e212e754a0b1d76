"""The Segments page's aggregates from columns in memory equal the SQL's, record for record."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from cx_core import Filters, Workspace
from cx_core.ingest import InputReport, LoadedData, Mapping
from cx_core.ingest.validate import CrmData, SurveyData
from cx_core.roles import DEFAULT_ROLE_WEIGHTS
from cx_core.segments import columnar, segmentation_view
from cx_core.segments import view as segment_view
from cx_core.store import Store, StoreConfig


def _awkward_workspace(n: int = 3000, seed: int = 7) -> Workspace:
    """Answers with every gap the SQL treats specially: no account, an account missing from the
    CRM, no role, a role outside the weighted ones, no date, no score, a literal "(not set)",
    an extra answer-level and an extra CRM column."""
    rng = np.random.default_rng(seed)
    accounts = [f"a{i}" for i in range(60)]
    keys = rng.choice([*accounts, "ghost1", "ghost2", None], n, p=[0.9 / 60] * 60 + [0.03, 0.03, 0.04])
    stamps = pd.Series(pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 500, n), unit="D"))
    stamps[rng.random(n) < 0.05] = pd.NaT

    def gaps(values, share):
        values = pd.Series(values, dtype="object")
        values[rng.random(n) < share] = None
        return values

    responses = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(n)],
            "account_id": keys,
            "account_key": keys,
            "respondent_role": gaps(rng.choice(["executive", "engineer", "admin", "procurement", "intern"], n), 0.1),
            "role_label": "x",
            "submitted_at": stamps,
            "nps": pd.array(np.where(rng.random(n) < 0.1, None, rng.integers(0, 11, n)), dtype="Int64"),
            "csat": np.where(rng.random(n) < 0.3, np.nan, rng.integers(1, 6, n).astype(float)),
            "ces": np.where(rng.random(n) < 0.5, np.nan, rng.integers(1, 8, n) / 2),
            "comment": None,
            "journey_stage": gaps(rng.choice(["onboarding", "renewal", "(not set)"], n), 0.2),
            "touchpoint": gaps(rng.choice(["support", "billing"], n), 0.1),
            "survey_type": "relationship",
            "source_row": np.arange(n),
            "plan_tier": gaps(rng.choice(["Gold", "Silver", "Bronze"], n), 0.15),
        }
    )
    crm = pd.DataFrame(
        {
            "account_id": accounts,
            "account_key": accounts,
            "account_name": accounts,
            "segment": pd.Series(rng.choice(["SMB", "Enterprise", None], 60), dtype="object"),
            "industry": rng.choice(["Retail", "Finance"], 60),
            "region": pd.Series(rng.choice(["Kanto", "Kansai", None], 60), dtype="object"),
            "arr": rng.random(60) * 1000,
            "renewal_date": None,
            "churned": False,
            "owner": rng.choice(["Aiko", "Ken"], 60),
            "contract": rng.choice(["annual", "monthly"], 60),
        }
    )
    ratings = pd.DataFrame({"response_id": [], "driver": [], "score": []}).astype({"score": "float64"})
    report = InputReport("s.csv", "survey", "csv", "utf-8", 1, n, n)
    loaded = LoadedData(SurveyData(responses, ratings, []), report, Mapping("survey", {}), list(responses.columns))
    loaded.crm = CrmData(crm)
    loaded.crm_report = InputReport("c.csv", "crm", "csv", "utf-8", 1, len(crm), len(crm))
    loaded.crm_mapping = Mapping("crm", {})
    return Workspace.from_loaded(loaded)


def _both(ws, monkeypatch, filters, dimension, row_dim, col_dim, grain, weights):
    args = (ws, filters, dimension, row_dim, col_dim, grain, weights)
    in_memory = segment_view._aggregate(*args)
    with monkeypatch.context() as patch:
        patch.setattr(segment_view, "segment_sets", lambda *a, **k: None)
        in_sql = segment_view._aggregate(*args)
    return in_memory, in_sql


def _same(name: str, left: list[dict], right: list[dict]) -> None:
    def keyed(records):
        return {(r.get("a"), r.get("b"), r.get("period"), r.get("bin")): r for r in records}

    ours, theirs = keyed(left), keyed(right)
    assert ours.keys() == theirs.keys(), name
    for key, record in theirs.items():
        for column, expected in record.items():
            if column == "gid":
                continue
            got = ours[key][column]
            if expected is None or (isinstance(expected, float) and math.isnan(expected)):
                assert got is None or got == 0 or (isinstance(got, float) and math.isnan(got)), (name, key, column)
            elif isinstance(expected, float):
                assert got == pytest.approx(expected, rel=1e-12, abs=1e-9), (name, key, column)
            else:
                assert got == expected, (name, key, column)


CASES = [
    (Filters(), "segment", "region", "respondent_role", "month"),
    (Filters.make(segment=["SMB"]), "respondent_role", "segment", "respondent_role", "quarter"),
    (
        Filters.make(region=["(not set)"], respondent_role=["executive", "intern"]),
        "journey_stage",
        "touchpoint",
        "plan_tier",
        "month",
    ),
    (Filters.make(journey_stage=["(not set)"]), "plan_tier", "contract", "journey_stage", "month"),
    (Filters.make(dt.date(2025, 3, 1), dt.date(2025, 9, 30)), "contract", "owner", "owner", "quarter"),
    (Filters.make(segment=["nobody"]), "segment", "region", "respondent_role", "month"),
]


@pytest.mark.parametrize(("filters", "dimension", "row_dim", "col_dim", "grain"), CASES)
def test_in_memory_aggregates_equal_the_sql(monkeypatch, filters, dimension, row_dim, col_dim, grain):
    ws = _awkward_workspace()
    try:
        weights = dict(DEFAULT_ROLE_WEIGHTS) | {"admin": 0.0}
        in_memory, in_sql = _both(ws, monkeypatch, filters, dimension, row_dim, col_dim, grain, weights)
        assert in_memory.keys() == in_sql.keys()
        for name in in_sql:
            _same(name, in_memory[name], in_sql[name])
        answered = columnar.segment_sets(ws, filters, dimension, row_dim, col_dim, grain, weights, ())
        assert answered is not None  # the in-memory path answered, not the SQL behind it
    finally:
        ws.close()


def test_listed_responses_are_left_to_the_sql(monkeypatch):
    ws = _awkward_workspace(300)
    try:
        filters = Filters().restricted_to(["R1", "R2", "R3"], "three")
        assert columnar.segment_sets(ws, filters, "segment", "region", "respondent_role", "month", {}, ()) is None
        assert segmentation_view(ws, filters).total.n == 3
    finally:
        ws.close()


def test_openings_of_one_saved_workspace_share_one_copy_of_the_columns(tmp_path, sample_loaded, monkeypatch):
    store = Store(StoreConfig.build(tmp_path / "data"))
    info = store.create_workspace("Q3", sample_loaded, dataset="sample", by="Aiko")
    first = Workspace.from_loaded(store.open_workspace(info.id).loaded)
    second = Workspace.from_loaded(store.open_workspace(info.id).loaded)
    try:
        one, two = columnar.columnar_facts(first), columnar.columnar_facts(second)
        assert one is not None and two is not None and one is not two
        assert one.responses is two.responses  # the answers' columns: one copy for both sessions
        filters = Filters.make(segment=["SMB"])
        assert segmentation_view(first, filters).groups == segmentation_view(second, filters).groups
        weights = dict(DEFAULT_ROLE_WEIGHTS)
        assert columnar.segment_sets(first, filters, "segment", "segment", "respondent_role", "month", weights, ())
        in_memory, in_sql = _both(
            first, monkeypatch, filters, "segment", "segment", "respondent_role", "month", weights
        )
        for name in in_sql:
            _same(name, in_memory[name], in_sql[name])
    finally:
        first.close()
        second.close()
