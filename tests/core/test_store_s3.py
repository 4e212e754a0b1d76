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
