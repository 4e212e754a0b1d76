"""Data sets in an object store: a local S3-compatible server (moto, 127.0.0.1, a free port)."""

from __future__ import annotations

import socket

import pytest

from cx_core import Workspace
from cx_core.store import Store, StoreConfig
from cx_core.summary import build_summary

moto_server = pytest.importorskip("moto.server", reason="moto[server] is in requirements-dev.txt")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def s3_endpoint(monkeypatch):
    # moto accepts any credentials; these only keep botocore from searching the machine for some
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    import boto3

    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="cx-team")
    yield endpoint
    server.stop()


def test_data_sets_live_in_the_object_store_and_go_with_the_workspace(tmp_path, s3_endpoint, sample_loaded):
    import boto3

    config = StoreConfig.from_env(
        {
            "CX_DATA_DIR": str(tmp_path),
            "CX_DATASETS_URL": "s3://cx-team/workspaces",
            "CX_DATASETS_OPTIONS": f'{{"endpoint_url": "{s3_endpoint}", "key": "testing", "secret": "testing"}}',
        }
    )
    store = Store(config)
    info = store.create_workspace("Team Q3", sample_loaded, dataset="sample")
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")

    def keys() -> list[str]:
        return sorted(o["Key"] for o in s3.list_objects_v2(Bucket="cx-team").get("Contents", []))

    stored = keys()
    assert stored and all(k.startswith(f"workspaces/{info.id}/") and k.endswith(".parquet") for k in stored)
    names = {k.rsplit("/", 1)[-1] for k in stored}
    assert names == {"responses.parquet", "ratings.parquet", "accounts.parquet", "answers.parquet"}
    assert not (tmp_path / "datasets").exists()  # nothing went to the local folder

    reopened = Store(StoreConfig.from_env({**_env(config), "CX_DATA_DIR": str(tmp_path)}))
    ws = Workspace.from_loaded(reopened.open_workspace(info.id).loaded)
    try:
        assert build_summary(ws)["metrics"]["nps"]["n"] == len(sample_loaded.survey.responses)
    finally:
        ws.close()

    reopened.delete_workspace(info.id)
    assert keys() == []


def _env(config: StoreConfig) -> dict:
    import json

    return {"CX_DATASETS_URL": config.datasets_url, "CX_DATASETS_OPTIONS": json.dumps(config.datasets_options)}


def test_an_object_store_data_set_is_queried_in_place_from_one_copy_per_machine(
    tmp_path, s3_endpoint, sample_loaded, monkeypatch
):
    """DuckDB cannot read S3 itself here (httpfs is downloaded at run time), so the survey's tables
    are copied once into the machine's cache folder and every opening queries that copy in place."""
    import json
    import os

    from cx_core.ingest.stream import StagedSurveyData

    env = {
        "CX_DATA_DIR": str(tmp_path),
        "CX_DATASETS_URL": "s3://cx-team/workspaces",
        "CX_DATASETS_OPTIONS": json.dumps({"endpoint_url": s3_endpoint, "key": "testing", "secret": "testing"}),
    }
    store = Store(StoreConfig.from_env(env))
    info = store.create_workspace("Team Q3", sample_loaded, dataset="sample")
    first = store.open_workspace(info.id).loaded
    assert isinstance(first.survey, StagedSurveyData)
    cache = tmp_path / "dataset-cache"
    copies = sorted(p for p in cache.rglob("responses.parquet") if ".open" not in p.parts)
    assert [p.parent.parent.name for p in copies] == [info.id]

    # another process of the machine (same data folder) opens the copy: no download this time
    other = Store(StoreConfig.from_env(env))
    monkeypatch.setattr(type(other.datasets.fs), "get_file", lambda *a, **k: (_ for _ in ()).throw(OSError("no")))
    second = other.open_workspace(info.id).loaded
    assert isinstance(second.survey, StagedSurveyData)

    def inode(loaded) -> int:
        (path,) = [f for f in loaded.survey.files if f.endswith("responses.parquet")]
        return os.stat(path).st_ino

    assert inode(first) == inode(second) == os.stat(copies[0]).st_ino  # one copy on disk, shared
    for loaded in (first, second):
        ws = Workspace.from_loaded(loaded)
        try:
            expected = Workspace.from_loaded(sample_loaded)
            try:
                assert build_summary(ws) == build_summary(expected)  # the same numbers as the upload
            finally:
                expected.close()
        finally:
            ws.close()
    monkeypatch.undo()

    before = [p.name for p in (cache / info.id).iterdir()]
    store.replace_dataset(info.id, sample_loaded, dataset="sample again")
    store.open_workspace(info.id)
    after = [p.name for p in (cache / info.id).iterdir()]
    assert len(before) == len(after) == 1 and before != after  # the new data set's copy; the older one went
    store.delete_workspace(info.id)
    assert store.delete_orphan_datasets() == 0 and not (cache / info.id).exists()
