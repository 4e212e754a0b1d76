"""Issue 21, the trap: a Qualtrics study export with ~45 Likert and demographic columns.

With the suggested mapping every page (the Data page too) died with DuckDB out of memory at the
session's 256 MiB while the sidebar counted the values of the 40 Likert items pre-selected as
groupings. Rating items are never suggested as groupings, and counting grouping values stays within
the session's memory even when a person picks every column as a grouping.
"""

from __future__ import annotations

from cx_core.ingest import load_inputs, read_table, suggest_mapping
from cx_core.ingest.dimensions import readable_name
from cx_core.segments import available_dimensions, dimension_values
from cx_core.workspace import Workspace
from tests.real_layouts import DEMOGRAPHICS, qualtrics_likert

SESSION_MEMORY = "256MB"  # the per-session limit the trap was hit at


def test_rating_items_are_never_suggested_as_groupings():
    table = read_table(qualtrics_likert(), "qualtrics.csv")
    likert = [c for c in table.frame.columns if c.startswith(("Q2_", "Q3_", "Q4_", "Q5_"))]
    assert len(likert) == 40
    suggested = {d["column"] for d in suggest_mapping(table, "survey").dimensions}
    assert not suggested & set(likert), sorted(suggested & set(likert))
    # the demographics that do group people are still offered (all but Age, whose values are numbers)
    assert set(DEMOGRAPHICS) - {"Age"} <= suggested


def test_counting_every_grouping_stays_within_a_sessions_memory():
    """Every Likert item picked as a grouping by hand: the sidebar's counting still fits 256 MiB."""
    data = qualtrics_likert()
    table = read_table(data, "qualtrics.csv")
    mapping = suggest_mapping(table, "survey")
    used = {c for c in mapping.fields.values() if c} | {d["column"] for d in mapping.dimensions}
    picked = [c for c in table.frame.columns if c.startswith(("Q2_", "Q3_", "Q4_", "Q5_")) and c not in used]
    mapping.dimensions += [{"column": c, "name": readable_name(c)} for c in picked]
    assert len(mapping.dimensions) >= 45
    ws = Workspace.from_loaded(load_inputs(data, "qualtrics.csv", survey_mapping=mapping), memory_limit=SESSION_MEMORY)
    try:
        dims = available_dimensions(ws)
        assert len(dims) == len(mapping.dimensions)
        assert all(len(dimension_values(ws, d)) >= 2 for d in dims)
    finally:
        ws.close()
