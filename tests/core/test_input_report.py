"""A file's input report survives saving: the workspace file and the store read it back with the
rejections' and warnings' codes and values, so a reopened workspace words them in any language."""

from __future__ import annotations

import json
from pathlib import Path

from cx_core.ingest import InputReport, load_inputs, rejection_text, warning_text

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def test_a_report_with_duplicates_and_repairs_round_trips_through_json():
    data = (REAL / "dup_nps_user_id.csv").read_bytes()
    loaded = load_inputs(data, "dup_nps_user_id.csv")
    report = loaded.reports[0]
    assert report.rejected and report.warnings  # the fixture has exact duplicates and repeated ids
    again = InputReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again.to_dict() == report.to_dict()
    assert [(r.code, r.values) for r in again.rejected] == [(r.code, r.values) for r in report.rejected]
    assert [rejection_text(r, "ja") for r in again.rejected] == [rejection_text(r, "ja") for r in report.rejected]
    assert [warning_text(w, "ja") for w in again.warnings] == [warning_text(w, "ja") for w in report.warnings]
