"""Extra grouping columns ('Product line', 'Tier__c'...): suggested, saved, validated, filterable.

Built in code from a fixed seed: a survey with a product line, a country, a Japanese plan column
and every kind of column that must *not* become a grouping (ids, e-mails, free text, dates,
survey-tool bookkeeping), and a CRM with a tier and a plan custom field.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cx_core import Filters, MappingError, Workspace
from cx_core.filters import is_dimension_name
from cx_core.ingest import Mapping, load_inputs, load_mapping_file, read_table, suggest_mapping
from cx_core.ingest.dimensions import MAX_NAME_CHARS, dimension_names, reserved_names
from cx_core.ingest.validate import ACCOUNT_COLUMNS, RESPONSE_COLUMNS
from cx_core.segments import available_dimensions, dimension_values, segmentation_view
from cx_core.sql import quote_ident, run_rows
from cx_core.workspace_file import open_workspace_file, save_workspace_file

N = 240
HOSTILE = {
    "quote": 'He said "hi"',
    "drop": '"; DROP TABLE responses; --',
    "long": "L" * 10_000,
    "nps": "nps",
    "segment": "segment",
    "NPS_upper": "NPS",
    "date_from": "date_from",
}


def _survey(extra: dict[str, object] | None = None) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i:05d}" for i in range(N)],
            "Account ID": [f"ACC-{i % 24:03d}" for i in range(N)],
            "How likely are you to recommend us? (0-10)": rng.integers(0, 11, N),
            "Product line": rng.choice(["Widgets", "Gadgets", "Gizmos"], N),
            "Country": rng.choice(["Japan", "Germany", "United States", "Brazil"], N),
            "プラン": rng.choice(["ゴールド", "シルバー"], N),
            "Email": [f"user{i}@example.com" for i in range(N)],
            "Why?": [f"Because reason number {i} matters a lot to our team" for i in range(N)],
            "Submitted": pd.date_range("2026-01-01", periods=N, freq="h").strftime("%Y-%m-%d %H:%M"),
            "Status": rng.choice(["IP Address", "Survey Preview"], N, p=[0.95, 0.05]),
            "Finished": rng.choice(["True", "False"], N),
            "Progress": rng.choice(["100", "50"], N),
            "IPAddress": rng.choice(["10.0.0.1", "10.0.0.2"], N),
            "Order number": [f"PO-{i % 90:04d}" for i in range(N)],
        }
    )
    for name, value in (extra or {}).items():
        frame[name] = value
    return frame


def _crm() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Id": [f"ACC-{i:03d}" for i in range(24)],
            "Name": [f"Company {i}" for i in range(24)],
            "Segment__c": ["Enterprise", "SMB", "Mid-market"] * 8,
            "Tier__c": ["Gold", "Silver", "Bronze", "Gold"] * 6,
            "Plan__c": ["Pro", "Basic"] * 12,
        }
    )


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def _loaded(survey: pd.DataFrame | None = None, **kwargs):
    return load_inputs(_csv(_survey() if survey is None else survey), "survey.csv", _csv(_crm()), "crm.csv", **kwargs)


def test_short_repeating_text_columns_are_suggested_and_nothing_else():
    survey = suggest_mapping(read_table(_csv(_survey()), "survey.csv"), "survey")
    assert [d["column"] for d in survey.dimensions] == ["Product line", "Country", "プラン"]
    assert all(d["name"] == d["column"] for d in survey.dimensions)
    crm = suggest_mapping(read_table(_csv(_crm()), "crm.csv"), "crm")
    assert crm.fields["segment"] == "Segment__c"
    assert [d["column"] for d in crm.dimensions] == ["Tier__c", "Plan__c"]


def test_survey_and_crm_dimensions_become_filters_and_groupings():
    loaded = _loaded()
    ws = Workspace.from_loaded(loaded)
    dims = available_dimensions(ws)
    for name in ("Product line", "Country", "プラン", "Tier__c", "Plan__c"):
        assert name in dims
    assert dimension_values(ws, "Tier__c") == ["Bronze", "Gold", "Silver"]
    assert dimension_values(ws, "Product line") == ["Gadgets", "Gizmos", "Widgets"]
    responses = loaded.survey.responses
    # filtering by an extra survey dimension and an extra CRM dimension, as the sidebar does
    filters = Filters.make(**{"Product line": ["Widgets"], "Tier__c": ["Gold"]})
    params: dict = {}
    got = run_rows(ws.con, f"SELECT count(*) FROM facts {filters.where(params)}", params)[0][0]
    gold = {f"ACC-{i:03d}" for i in range(24) if i % 4 in (0, 3)}
    expected = int(((responses["Product line"] == "Widgets") & responses["account_id"].isin(gold)).sum())
    assert got == expected > 0
    # the Segments page groups by them
    view = segmentation_view(ws, dimension="Tier__c", crosstab=("Plan__c", "Product line", "nps"), min_n=5)
    assert sorted(g.group for g in view.groups) == ["Bronze", "Gold", "Silver"]
    assert sum(g.scores.n for g in view.groups) == len(responses)


def test_unmatched_responses_show_not_set_for_crm_dimensions():
    survey = _survey()
    survey.loc[:9, "Account ID"] = "NOT-IN-CRM"
    ws = Workspace.from_loaded(_loaded(survey))
    assert "(not set)" in dimension_values(ws, "Tier__c")


def test_hostile_column_names_get_safe_unique_names():
    survey = _survey({name: np.where(np.arange(N) % 2, "a", "b") for name in HOSTILE.values()})
    crm = _crm()
    crm["Product line"] = ["P1", "P2"] * 12  # the same name as a survey dimension
    crm["segment"] = ["x", "y"] * 12
    loaded = load_inputs(_csv(survey), "survey.csv", _csv(crm), "crm.csv")
    ws = Workspace.from_loaded(loaded)
    names = [*loaded.survey.dimensions, *loaded.crm.dimensions]
    assert len(names) >= len(HOSTILE) + 5
    folded = [n.casefold() for n in names]
    assert len(set(folded)) == len(folded), names  # unique, as DuckDB compares identifiers
    reserved = reserved_names()
    canonical = {c.casefold() for c in (*RESPONSE_COLUMNS, *ACCOUNT_COLUMNS)}
    for name in names:
        assert name.casefold() not in reserved and name.casefold() not in canonical
        assert len(name) <= MAX_NAME_CHARS and name.isprintable() and is_dimension_name(name)
    assert loaded.survey.dimensions["nps (survey)"] == "nps"
    assert 'He said "hi"' in loaded.survey.dimensions
    assert '"; DROP TABLE responses; --' in loaded.survey.dimensions
    assert "Product line (CRM)" in loaded.crm.dimensions
    # every name works as a filter and a grouping, and nothing was dropped or executed
    dims = available_dimensions(ws)
    for name in names:
        assert name in dims
        column = quote_ident(name)
        values = run_rows(ws.con, f"SELECT DISTINCT {column} FROM facts ORDER BY 1")
        assert len(values) >= 2
        params: dict = {}
        where = Filters.make(**{name: [values[0][0]]}).where(params)
        assert 0 < run_rows(ws.con, f"SELECT count(*) FROM facts {where}", params)[0][0] < len(loaded.survey.responses)
    assert run_rows(ws.con, "SELECT count(*) FROM responses")[0][0] == len(loaded.survey.responses)
    # the canonical columns still mean what they meant
    assert run_rows(ws.con, "SELECT min(nps), max(nps) FROM facts")[0] == (0, 10)
    assert set(dimension_values(ws, "segment")) == {"Enterprise", "SMB", "Mid-market"}


def test_dimension_names_examples():
    assert dimension_names(["Product line", "NPS", "product LINE"], source="survey") == [
        "Product line",
        "NPS (survey)",
        "product LINE (survey)",
    ]
    assert dimension_names(["Region", "x"], taken=["X"], source="CRM") == ["Region (CRM)", "x (CRM)"]
    assert dimension_names(["", "\x00\t\u3000", "a\nb"]) == ["column 1", "column 2", "a b"]
    long = dimension_names(["y" * 10_000, "y" * 10_000])
    assert len(long[0]) == len(long[1]) == MAX_NAME_CHARS and long[0] != long[1]


def test_mapping_json_round_trip_and_old_files_still_load():
    loaded = _loaded()
    survey = Mapping.from_json(loaded.survey_mapping.to_json())
    assert survey.dimensions == loaded.survey_mapping.dimensions
    edited = {**json.loads(loaded.crm_mapping.to_json()), "dimensions": [{"column": "Plan__c", "name": "Plan"}]}
    again = _loaded(crm_mapping=Mapping.from_dict(edited), survey_mapping=survey)
    assert again.crm.dimensions == {"Plan": "Plan__c"}
    assert "Tier__c" not in again.crm.accounts.columns
    # saved before dimensions existed: no "dimensions" key at all
    old = {"survey": {"kind": "survey", "fields": {"nps": "How likely are you to recommend us? (0-10)"}}}
    mapping = load_mapping_file(json.dumps(old))["survey"]
    assert mapping.dimensions == []
    plain = _loaded(survey_mapping=mapping)
    assert plain.survey.dimensions == {}
    assert list(plain.survey.responses.columns) == list(RESPONSE_COLUMNS)
    # bare column names are accepted; junk is a clear mapping error
    assert Mapping.from_dict({"kind": "crm", "fields": {}, "dimensions": ["Tier__c", "Tier__c"]}).dimensions == [
        {"column": "Tier__c", "name": "Tier__c"}
    ]
    for junk in ({"x": 1}, [1], "Tier__c"):
        with pytest.raises(MappingError):
            Mapping.from_dict({"kind": "crm", "fields": {}, "dimensions": junk})
    with pytest.raises(MappingError):
        _loaded(survey_mapping=Mapping.from_dict({**survey.to_dict(), "dimensions": ["No such column"]}))


def test_workspace_file_keeps_extra_dimensions():
    ws = Workspace.from_loaded(_loaded())
    reopened = open_workspace_file(save_workspace_file(ws)).to_workspace()
    assert available_dimensions(reopened) == available_dimensions(ws)
    assert dimension_values(reopened, "Tier__c") == dimension_values(ws, "Tier__c")
    assert reopened.loaded.survey.dimensions["Product line"] == "Product line"


def test_cli_summary_lists_the_extra_dimensions():
    from cx_core import build_summary

    summary = build_summary(Workspace.from_loaded(_loaded()))
    assert summary["mapping"]["dimensions"] == {
        "survey": {"Product line": "Product line", "Country": "Country", "プラン": "プラン"},
        "crm": {"Tier__c": "Tier__c", "Plan__c": "Plan__c"},
    }
