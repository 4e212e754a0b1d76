"""A saved workspace in a local folder is queried where it is saved: nothing copied, same numbers."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os

from cx_core.ingest.stream import StagedSurveyData
from cx_core.store import Store, StoreConfig
from cx_core.summary import build_summary
from cx_core.workspace import Workspace


def _summary(loaded) -> str:
    ws = Workspace.from_loaded(loaded)
    try:
        return json.dumps(build_summary(ws, as_of=dt.date(2026, 6, 1)), default=str, sort_keys=True)
    finally:
        ws.close()


def test_two_openings_share_the_saved_files_and_outlive_a_new_save(tmp_path, sample_loaded):
    store = Store(StoreConfig.build(tmp_path / "data"))
    info = store.create_workspace("Q3", sample_loaded, dataset="sample", by="Aiko")
    first, second = store.open_workspace(info.id).loaded, store.open_workspace(info.id).loaded
    assert isinstance(first.survey, StagedSurveyData) and isinstance(second.survey, StagedSurveyData)
    saved = sorted((tmp_path / "data").rglob(f"{info.id}/*/responses.parquet"))
    assert len(saved) == 1
    # hard links of the saved file: the same bytes on disk, not a copy
    inode = os.stat(saved[0]).st_ino
    assert [os.stat(f).st_ino for f in first.survey.files if f.endswith("responses.parquet")] == [inode]
    assert [os.stat(f).st_ino for f in second.survey.files if f.endswith("responses.parquet")] == [inode]
    assert _summary(first) == _summary(sample_loaded)
    assert first.survey.responses.shape == sample_loaded.survey.responses.shape

    store.replace_dataset(info.id, sample_loaded, dataset="sample again")  # deletes the old files
    assert not saved[0].exists()
    assert _summary(second) == _summary(sample_loaded)  # the open one still reads its links
    folders = [os.path.dirname(first.survey.path), os.path.dirname(second.survey.path)]
    del first, second
    gc.collect()
    assert not any(os.path.exists(f) for f in folders)  # released: the links go with them
    assert store.datasets.folders().keys() == {info.id}  # the openings' folder is never listed
