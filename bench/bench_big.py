"""Benchmark: big exports (issue 25), each side in a process of its own so its peak memory is its own.

Two ratios, measured in one run on the same file written by :mod:`bench.synthetic`:

* ``load_inputs`` of the survey export through the streaming path (:mod:`cx_core.ingest.stream`,
  forced with ``CX_STREAM_MIN_MB=0`` whatever the size) and through the in-memory path (forced)
  vs DuckDB's own ``read_csv`` of the same file into a table (target: within 1.5x);
* the CLI's whole ``python -m cx_core summarize --survey FILE`` (every section) vs DuckDB reading
  the file and computing NPS by role (target: within 4x, peak under 1.5 GB);
* opening the streamed survey saved in a local store (queried in place) vs DuckDB counting the
  saved responses file (target: under 1 s).

Each side runs once per size in a fresh ``python`` process; its peak is that process's own
``VmHWM`` (read from /proc at its end, not ``ru_maxrss``, which a child inherits from a large
parent). ``python -m bench.bench_big 100000`` prints the rows as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import write_survey_csv

ROOT = Path(__file__).resolve().parent.parent
MARK = "BIG_PEAK_MB "

_PEAK = (
    """
import atexit, sys
def _peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            sys.stderr.write(MARK + str(int(line.split()[1]) // 1024) + "\\n")
atexit.register(_peak)
"""
    f"MARK = {MARK!r}\n"
)

_LOAD = """
import sys
from cx_core.ingest import load_inputs
loaded = load_inputs(open(sys.argv[1], "rb").read(), sys.argv[1])
print(type(loaded.survey).__name__, loaded.survey_report.rows_loaded)
"""

_READ_CSV = """
import sys, duckdb
con = duckdb.connect(":memory:", config={"threads": "2"})
con.execute("SET enable_progress_bar = false")
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[1]])
print(con.execute("SELECT count(*) FROM t").fetchone()[0])
"""

_NPS_BY_ROLE = """
import sys, duckdb
con = duckdb.connect(":memory:", config={"threads": "2"})
con.execute("SET enable_progress_bar = false")
rows = con.execute(
    'SELECT "Role", count(n) AS n, 100.0 * (avg(CASE WHEN n >= 9 THEN 1 ELSE 0 END) '
    '- avg(CASE WHEN n <= 6 THEN 1 ELSE 0 END)) AS nps FROM (SELECT "Role", '
    'TRY_CAST("How likely are you to recommend us to a colleague? (0-10)" AS INTEGER) AS n '
    'FROM read_csv(?)) WHERE n IS NOT NULL GROUP BY ALL ORDER BY 1',
    [sys.argv[1]],
).fetchall()
print(len(rows))
"""

_SAVE = """
import sys
from cx_core.ingest import load_inputs
from cx_core.store import Store, StoreConfig
loaded = load_inputs(open(sys.argv[1], "rb").read(), sys.argv[1])
Store(StoreConfig.build(sys.argv[1] + ".store")).create_workspace("big", loaded, dataset="big")
"""

_OPEN = """
import sys, time
from cx_core.store import Store, StoreConfig
from cx_core.workspace import Workspace
store = Store(StoreConfig.build(sys.argv[1] + ".store"))
start = time.perf_counter()
ws = Workspace.from_loaded(store.open_workspace("big").loaded)
n = ws.response_count()
print("OPEN_S", time.perf_counter() - start, n)
"""

_READ_PARQUET = """
import sys, glob, time, duckdb
start = time.perf_counter()
con = duckdb.connect(":memory:", config={"threads": "2"})
path = glob.glob(sys.argv[1] + ".store/**/responses.parquet", recursive=True)[0]
n = con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0]
print("OPEN_S", time.perf_counter() - start, n)
"""

_SUMMARIZE = """
import runpy, sys
sys.argv = ["python -m cx_core", "summarize", "--survey", sys.argv[1], "--as-of", "2026-06-01"]
runpy.run_module("cx_core", run_name="__main__")
"""


def _run(code: str, path: Path, env_extra: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak MB and the last line of output of ``code`` run on ``path`` in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK + code, str(path)], cwd=ROOT, capture_output=True, text=True, env=env
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    peaks = [line for line in done.stderr.splitlines() if line.startswith(MARK)]
    peak = float(peaks[-1][len(MARK) :]) if peaks else float("nan")
    out = done.stdout.strip().splitlines()
    return wall, peak, (out[-1][:80] if out else "")


def run(sizes: list[int]) -> list[dict]:
    """Two rows per size: load_inputs vs read_csv, summarize vs NPS by role (each side once, fresh processes)."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path, file_bytes = write_survey_csv(tmp, size)
            megabytes = file_bytes / 1e6
            in_memory = {"CX_STREAM_MIN_MB": "1000000"}
            # streamed whatever the file's size (a 300k file is under the default threshold)
            streamed = {"CX_STREAM_MIN_MB": "0"}
            pairs = (
                (
                    "load_inputs, streaming path forced vs DuckDB read_csv (fresh processes)",
                    _LOAD,
                    "duckdb read_csv into a table",
                    _READ_CSV,
                    streamed,
                ),
                (
                    "load_inputs, in-memory path forced (before issue 25) vs DuckDB read_csv",
                    _LOAD,
                    "duckdb read_csv into a table",
                    _READ_CSV,
                    in_memory,
                ),
                (
                    "CLI summarize (every section), streaming path forced vs DuckDB NPS by role (fresh processes)",
                    _SUMMARIZE,
                    "duckdb read_csv + NPS by role",
                    _NPS_BY_ROLE,
                    streamed,
                ),
            )
            results.append(_open_row(path, size, megabytes, streamed))
            for case, ours_code, baseline, baseline_code, env_extra in pairs:
                ours_s, ours_peak, said = _run(ours_code, path, env_extra)
                base_s, base_peak, _ = _run(baseline_code, path)
                path_used = said.split()[0] if ours_code is _LOAD and said else ""
                results.append(
                    {
                        "area": "big",
                        "case": case,
                        "size": size,
                        "ours_s": round(ours_s, 3),
                        "baseline": baseline,
                        "baseline_s": round(base_s, 3),
                        "ratio": round(ours_s / base_s, 2) if base_s else None,
                        "note": (
                            f"{megabytes:.1f} MB file; one run each, wall time of the whole process (Python start "
                            f"and imports included); peak (VmHWM) ours {ours_peak:,.0f} MB, baseline "
                            f"{base_peak:,.0f} MB" + (f"; survey held as {path_used}" if path_used else "")
                        ),
                    }
                )
    return results


def _open_row(path: Path, size: int, megabytes: float, env_extra: dict) -> dict:
    """Opening a saved workspace (in place) vs DuckDB counting the saved responses file, each timed
    inside its process from after the imports (the target is absolute: under 1 s)."""
    _run(_SAVE, path, env_extra)  # streamed and saved in a local store: not timed
    _, ours_peak, ours_said = _run(_OPEN, path)
    _, base_peak, base_said = _run(_READ_PARQUET, path)
    ours_s, base_s = float(ours_said.split()[1]), float(base_said.split()[1])
    return {
        "area": "big",
        "case": "open a saved workspace (session database over its Parquet, in place) vs DuckDB count of the file",
        "size": size,
        "ours_s": round(ours_s, 3),
        "baseline": "duckdb read_parquet count",
        "baseline_s": round(base_s, 3),
        "ratio": round(ours_s / base_s, 2) if base_s else None,
        "note": (
            f"{megabytes:.1f} MB export, loaded streamed and saved first (not timed); timed inside the process "
            f"after imports: store.open_workspace + Workspace.from_loaded + count(*); peak (VmHWM) ours "
            f"{ours_peak:,.0f} MB, baseline {base_peak:,.0f} MB"
        ),
    }


if __name__ == "__main__":
    print(json.dumps(run([int(a) for a in sys.argv[1:]] or [10_000]), indent=2))
