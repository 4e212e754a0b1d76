"""Issue 21: "Fewer than 30 answers: shown for reference" is said only where a group is that small."""

from __future__ import annotations

import pytest

from cx_core import Filters, Workspace, load_inputs, t
from cx_core.report import ReportContext, build_sections
from cx_core.sample import sample_bytes

SECTIONS = ("by_segment", "by_role", "needs", "moments")


@pytest.fixture(scope="module")
def ws():
    survey, crm = sample_bytes()
    workspace = Workspace.from_loaded(load_inputs(survey, "survey.csv", crm, "crm.csv"))
    yield workspace
    workspace.close()


def flagged(ws, min_n: int) -> dict[str, bool]:
    flag = t("small_sample.flag", "en", min_n=min_n)
    sections = build_sections(ReportContext(ws, Filters(), "en", min_n=min_n), SECTIONS)
    return {s.key: flag in s.notes for s in sections}


def test_no_group_small_no_flag(ws):
    assert flagged(ws, 1) == dict.fromkeys(SECTIONS, False)


def test_every_group_small_every_section_flags_it(ws):
    assert flagged(ws, 100_000) == dict.fromkeys(SECTIONS, True)
