"""``python -m cx_core workspace ...`` / ``follow-up ...`` in real processes, on the embedded store and
on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import fresh_postgres_database, postgres_admin_url

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ("--survey", "sample_data/survey.csv", "--crm", "sample_data/crm.csv")


@pytest.fixture(params=["embedded", "postgresql"])
def store_env(request, tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CX_DATABASE")}
    env["CX_DATA_DIR"] = str(tmp_path / "data")
    if request.param == "embedded":
        yield env
        return
    url, drop = fresh_postgres_database(postgres_admin_url())
    yield env | {"CX_DATABASE_URL": url}
    drop()


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cx_core", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def ok(env: dict, *args: str) -> dict:
    out = cli(env, *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_workspace_create_list_and_delete(store_env):
    created = ok(store_env, "workspace", "create", "--name", "Q3 survey", *SAMPLE, "--by", "Aiko")["created"]
    assert created["responses"] == 4851 and created["created_by"] == "Aiko"
    listed = ok(store_env, "workspace", "list")
    assert [w["name"] for w in listed["workspaces"]] == ["Q3 survey"]
    assert "password" not in json.dumps(listed["store"])

    again = cli(store_env, "workspace", "create", "--name", "Q3 survey", *SAMPLE)
    assert again.returncode == 2 and again.stderr.startswith("error:") and "exists" in again.stderr
    assert "Traceback" not in again.stderr

    ok(store_env, "workspace", "delete", "--name", "Q3 survey")
    assert ok(store_env, "workspace", "list")["workspaces"] == []
    gone = cli(store_env, "workspace", "delete", "--name", "Q3 survey")
    assert gone.returncode == 2 and "no workspace" in gone.stderr
    if "CX_DATABASE_URL" not in store_env:
        datasets = Path(store_env["CX_DATA_DIR"]) / "datasets"
        assert not any(p.is_file() for p in datasets.rglob("*"))


def test_follow_up_update_and_list_with_history(store_env):
    ok(store_env, "workspace", "create", "--name", "Loop", *SAMPLE)
    items = ok(store_env, "follow-up", "list", "--workspace", "Loop", "--as-of", "2026-10-01")["items"]
    assert items and all(i["version"] == 0 and i["history"] == [] for i in items)
    item = items[0]["item_id"]

    updated = ok(
        store_env, "follow-up", "update", "--workspace", "Loop", "--item", item,
        "--done", "true", "--note", "Called, sending offer", "--by", "Aiko",
    )["updated"]  # fmt: skip
    assert (updated["done"], updated["note"], updated["version"], updated["updated_by"]) == (
        True, "Called, sending offer", 1, "Aiko",
    )  # fmt: skip

    # a script that read version 0 before Aiko saved: refused, both versions printed, exit 3
    stale = cli(
        store_env, "follow-up", "update", "--workspace", "Loop", "--item", item,
        "--note", "Left a voicemail", "--by", "Ben", "--expect-version", "0",
    )  # fmt: skip
    assert stale.returncode == 3, stale.stderr
    conflict = json.loads(stale.stdout)["conflict"]
    assert conflict["mine"] == {"note": "Left a voicemail"}
    assert conflict["theirs"]["note"] == "Called, sending offer" and conflict["theirs"]["version"] == 1

    listed = ok(store_env, "follow-up", "list", "--workspace", "Loop", "--as-of", "2026-10-01")["items"]
    saved = next(i for i in listed if i["item_id"] == item)
    assert saved["done"] is True and saved["note"] == "Called, sending offer" and saved["version"] == 1
    assert [(h["version"], h["by"], h["changes"]) for h in saved["history"]] == [
        (1, "Aiko", {"done": [False, True], "note": [None, "Called, sending offer"]})
    ]
    total_open = sum(1 for i in listed if not i["done"])
    assert total_open == len(listed) - 1

    unknown = cli(store_env, "follow-up", "update", "--workspace", "Loop", "--item", "response:NOPE", "--done", "true",
                  "--by", "Aiko")  # fmt: skip
    assert unknown.returncode == 2 and "no follow-up item" in unknown.stderr


def test_two_processes_updating_different_items_at_once_both_succeed(store_env):
    ok(store_env, "workspace", "create", "--name", "Busy", *SAMPLE)
    items = ok(store_env, "follow-up", "list", "--workspace", "Busy", "--as-of", "2026-10-01")["items"]
    first, second = items[0]["item_id"], items[1]["item_id"]
    # Both processes are started before either is waited for; each spends ~1-2 s importing, so their
    # writes land in the same moment (and neither may fail when they do).
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cx_core",
                "follow-up",
                "update",
                "--workspace",
                "Busy",
                "--item",
                item,
                "--done",
                "true",
                "--note",
                f"note by {who}",
                "--by",
                who,
            ],
            cwd=ROOT,
            env=store_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for item, who in ((first, "Aiko"), (second, "Ben"))
    ]
    results = [p.communicate(timeout=180) for p in procs]
    for proc, (stdout, stderr) in zip(procs, results, strict=True):
        assert proc.returncode == 0, stderr
        assert json.loads(stdout)["updated"]["version"] == 1
    listed = ok(store_env, "follow-up", "list", "--workspace", "Busy", "--as-of", "2026-10-01")["items"]
    by_id = {i["item_id"]: i for i in listed}
    assert by_id[first]["note"] == "note by Aiko" and by_id[second]["note"] == "note by Ben"
    assert by_id[first]["done"] and by_id[second]["done"]
