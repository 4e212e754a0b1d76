"""``python -m cx_core codebook export|import|diff`` and ``summarize --themes --codebook`` in real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cx_core", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture()
def env(tmp_path) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("CX_DATABASE")}
    out["CX_DATA_DIR"] = str(tmp_path / "data")
    return out


@pytest.fixture()
def survey(tmp_path) -> Path:
    """The sample's first 400 responses (a small file keeps the engine quick)."""
    lines = (ROOT / "sample_data" / "survey.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "survey.csv"
    path.write_text("\n".join(lines[:401]) + "\n", encoding="utf-8")
    return path


def test_export_summarize_import_and_diff(env, survey, tmp_path):
    out = cli(env, "codebook", "export", "--survey", str(survey))
    assert out.returncode == 0, out.stderr
    proposed = json.loads(out.stdout)
    assert proposed["format"] == "cx-codebook" and proposed["themes"]
    assert all(t["id"] and t["label"] and t["examples"] for t in proposed["themes"])

    edited = json.loads(out.stdout)
    first = edited["themes"][0]
    first["label"] = "Our own name"
    edited["themes"].append({"id": "firmware", "label": "Firmware", "include": ["firmware", "ファームウェア"]})
    gone = edited["themes"].pop(1)
    old_file, new_file = tmp_path / "old.json", tmp_path / "new.json"
    old_file.write_text(json.dumps(proposed), encoding="utf-8")
    new_file.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")

    summary = cli(env, "summarize", "--survey", str(survey), "--themes", "--codebook", str(new_file))
    assert summary.returncode == 0, summary.stderr
    doc = json.loads(summary.stdout)
    ids = {t["id"] for t in edited["themes"]}
    assert doc["themes"] and all(t["codebook_id"] in ids for t in doc["themes"])
    assert {t["label"] for t in doc["themes"]} <= {t["label"] for t in edited["themes"]}
    assert "Our own name" in {t["label"] for t in doc["themes"]}
    assert 0 <= doc["themes_uncoded_share"] <= 1 and isinstance(doc["themes_candidates"], list)
    firmware = next(t for t in doc["themes"] if t["codebook_id"] == "firmware")
    lines = (survey.read_text(encoding="utf-8")).splitlines()[1:]
    mentioning = {line.split(",")[0] for line in lines if "firmware" in line.lower() or "ファームウェア" in line}
    assert mentioning and mentioning <= set(firmware["response_ids"])

    diff = cli(env, "codebook", "diff", str(old_file), str(new_file))
    assert diff.returncode == 0, diff.stderr
    changes = json.loads(diff.stdout)
    assert changes["renamed"] == [{"id": first["id"], "old": proposed["themes"][0]["label"], "new": "Our own name"}]
    assert changes["added"] == [{"id": "firmware", "label": "Firmware"}]
    assert changes["removed"] == [{"id": gone["id"], "label": gone["label"]}]

    created = cli(env, "workspace", "create", "--name", "Q3", "--survey", str(survey))
    assert created.returncode == 0, created.stderr
    imported = cli(env, "codebook", "import", "--workspace", "Q3", str(new_file))
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["version"] == 1
    again = cli(env, "codebook", "import", "--workspace", "Q3", str(old_file))
    assert json.loads(again.stdout)["version"] == 2
    saved = tmp_path / "saved.json"
    exported = cli(env, "codebook", "export", "--workspace", "Q3", "--out", str(saved))
    assert exported.returncode == 0, exported.stderr
    assert json.loads(saved.read_text(encoding="utf-8"))["themes"] == proposed["themes"]


def test_bad_codebook_file_exits_2_with_one_line(env, survey, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "cx-codebook", "themes": [{"id": "x"}]}', encoding="utf-8")
    out = cli(env, "codebook", "diff", str(bad), str(bad))
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "label" in out.stderr
