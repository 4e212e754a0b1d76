"""Benchmark: reopening a saved workspace (Parquet from the store) vs loading its CSV exports again.

The baseline is what a person had to do before the store existed: upload the survey and CRM
exports again (``load_inputs`` on the CSV bytes). Ours reads the saved Parquet data set and its
metadata back from the embedded store. Both then build the session's DuckDB workspace. Saving
(``create_workspace``: Parquet written once, when an upload becomes a draft) is reported too.

``python -m bench.bench_store 10000 100000`` prints the rows as JSON.
"""

from __future__ import annotations

import json
import sys
import tempfile

from bench.bench_ingest import _median_seconds
from bench.synthetic import synthetic_csv_bytes
from cx_core import Workspace
from cx_core.ingest import load_inputs
from cx_core.store import Store, StoreConfig


def bench_store(n_responses: int, repeats: int = 3) -> dict:
    survey, crm = synthetic_csv_bytes(n_responses, max(n_responses // 50, 10))
    loaded = load_inputs(survey, "survey.csv", crm, "crm.csv")
    with tempfile.TemporaryDirectory() as folder:
        store = Store(StoreConfig.build(folder))
        saves = iter(range(10_000))
        (save_s,) = _median_seconds([lambda: store.create_workspace(f"w{next(saves)}", loaded)], repeats)
        info = store.list_workspaces()[0]

        def reopen() -> None:
            Workspace.from_loaded(store.open_workspace(info.id).loaded).close()

        def reload_csv() -> None:
            Workspace.from_loaded(load_inputs(survey, "survey.csv", crm, "crm.csv")).close()

        ours, baseline = _median_seconds([reopen, reload_csv], repeats)
        store.close()
    return {
        "responses": n_responses,
        "save_s": round(save_s, 3),
        "reopen_s": round(ours, 3),
        "reload_csv_s": round(baseline, 3),
        "ratio": round(ours / baseline, 2),
    }


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    print(json.dumps([bench_store(n) for n in sizes], indent=2))
