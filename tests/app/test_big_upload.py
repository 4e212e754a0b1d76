"""A survey big enough to stream (CX_STREAM_MIN_MB forced to 0 here) loads on the Data page, and the
Overview shows the NPS the CLI prints for the same files through the same streaming path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cx_core.ingest import load_inputs, stream

ROOT = Path(__file__).resolve().parents[2]
SURVEY, CRM = ROOT / "sample_data" / "survey.csv", ROOT / "sample_data" / "crm.csv"


def test_a_streamed_upload_loads_and_the_overview_matches_the_cli(monkeypatch, tmp_path):
    monkeypatch.setenv("CX_STREAM_MIN_MB", "0")
    monkeypatch.setattr(stream, "OPTIONS", stream.StreamOptions(scratch_dir=str(tmp_path)))
    expected = load_inputs(SURVEY.read_bytes(), "survey.csv", CRM.read_bytes(), "crm.csv").survey_report
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("app_pages/data.py")
    at.run()
    at.file_uploader(key="data_upload_survey").upload("survey.csv", SURVEY.read_bytes(), "text/csv")
    at.run()
    at.file_uploader(key="data_upload_crm").upload("crm.csv", CRM.read_bytes(), "text/csv")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.button(key="data_load_button").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    loaded_line = f"Loaded {expected.rows_loaded:,} of {expected.rows_read:,} survey rows"
    assert any(loaded_line in s.value for s in at.success), [s.value for s in at.success]
    # the session queries the streamed file in place (its DuckDB file is in the scratch folder)
    assert any((folder / "survey.duckdb").exists() for folder in tmp_path.glob("cx-stream-*"))
    at.switch_page("app_pages/overview.py")
    at.run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}["NPS"]
    out = subprocess.run(
        [sys.executable, "-m", "cx_core", "summarize", "--survey", str(SURVEY), "--crm", str(CRM)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CX_STREAM_MIN_MB": "0"},
    )
    assert out.returncode == 0, out.stderr
    nps = json.loads(out.stdout)["metrics"]["nps"]
    assert shown == f"{nps['score']:+.0f}"
    assert nps["n"] > 0
