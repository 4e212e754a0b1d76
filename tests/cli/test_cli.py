"""The CLI: one JSON document, NPS checked against an independent computation, clean failures."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "cx_core", *args], cwd=cwd, capture_output=True, text=True, timeout=180
    )


def test_summarize_sample():
    out = run_cli("summarize", "--survey", "sample_data/survey.csv", "--crm", "sample_data/crm.csv")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    survey = pd.read_csv(ROOT / "sample_data" / "survey.csv")
    scores = survey["How likely are you to recommend us to a colleague? (0-10)"]
    expected = round(100 * ((scores >= 9).mean() - (scores <= 6).mean()), 2)
    assert doc["metrics"]["nps"]["score"] == expected
    assert doc["metrics"]["nps"]["n"] == len(survey)
    low, high = doc["metrics"]["nps"]["ci95"]
    assert low < expected < high
    for entry in doc["inputs"]:
        assert entry["rows_read"] == entry["rows_loaded"] + entry["rows_rejected"]
    assert doc["join"]["matched"] == len(survey)
    assert {g["segment"] for g in doc["by_segment"]} == {"Enterprise", "Mid-market", "SMB"}
    assert {g["role"] for g in doc["by_role"]} >= {"executive", "procurement", "engineer", "admin"}
    assert all({"n", "nps", "ci95", "small_sample"} <= set(g) for g in doc["by_role"])


def test_missing_file_exits_2_without_traceback():
    out = run_cli("summarize", "--survey", "does/not/exist.csv")
    assert out.returncode == 2
    assert out.stderr.startswith("error:") and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_binary_file_exits_2(tmp_path):
    png = tmp_path / "image.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    out = run_cli("summarize", "--survey", str(png))
    assert out.returncode == 2 and "Traceback" not in out.stderr and "PNG" in out.stderr


def test_mapping_roundtrip(tmp_path):
    survey = tmp_path / "s.csv"
    survey.write_text("id,score,why\n1,10,great\n2,3,slow\n3,8,ok\n", encoding="utf-8")
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"survey": {"fields": {"response_id": "id", "nps": "score", "comment": "why"}}}))
    out = run_cli("summarize", "--survey", str(survey), "--mapping", str(mapping))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["mapping"]["survey"]["nps"] == "score"
    assert doc["metrics"]["nps"]["score"] == 0.0  # one promoter, one detractor, one passive
