"""The CLI contract when metrics are optional: nulls, warnings, candidates, questions, scales."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"


def summarize(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cx_core", "summarize", *args, "--as-of", "2026-10-01"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_no_recommend_question_exits_0_with_null_nps_and_candidates():
    out = summarize("--survey", str(REAL / "map_typeform_no_recommend.csv"))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["metrics"]["nps"] is None and doc["metrics"]["csat"] is None and doc["metrics"]["ces"] is None
    (warning,) = [w for w in doc["warnings"] if w["code"] == "nps_not_found"]
    assert set(warning) == {"code", "message", "columns"} and len(warning["columns"]) == 2
    for candidate in doc["mapping_candidates"]["nps"]:
        assert set(candidate) == {"column", "question", "evidence", "confidence"}
    assert all(d["scale"] == [0, 10] for d in doc["drivers"])
    assert [set(q) for q in doc["questions"]] == [{"column", "question", "answers"}] * len(doc["questions"])


def test_reviews_with_id_and_text_exit_0():
    path = REAL / "map_reviews_id_text.csv"
    out = summarize("--survey", str(path))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert doc["questions"] == [{"column": "review_text", "question": "review_text", "answers": len(rows)}]


def test_csat_scale_and_top2_in_the_summary():
    out = summarize("--survey", str(REAL / "map_ja_csat_comments.csv"))
    assert out.returncode == 0, out.stderr
    csat = json.loads(out.stdout)["metrics"]["csat"]
    assert csat["scale"] == [1, 5] and 0 <= csat["top_box_share"] <= 100


def test_a_file_without_any_score_or_comment_exits_2_with_one_line(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("id,code\n1,A-100\n2,A-200\n3,A-300\n", encoding="utf-8")
    out = summarize("--survey", str(path))
    assert out.returncode == 2
    assert out.stderr.startswith("error: ") and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr
