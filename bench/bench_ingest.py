"""Benchmark: our loader (decode, layout, mapping, validation) vs DuckDB's bare ``read_csv``.

Both read the same UTF-8 survey export written by :mod:`bench.synthetic`. DuckDB only parses and
types the columns; ours also suggests the mapping, parses scores like "10 - Extremely likely",
normalises ids and accounts for every row, so the ratio is the price of that work.

``python -m bench.bench_ingest 10000 100000`` prints the rows as JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.synthetic import write_survey_csv
from cx_core.ingest import load_inputs


def _median_seconds(funcs, repeats: int) -> list[float]:
    """Median wall time of each function, the functions taking turns.

    The machine is shared: alternating ours and the baseline in every repeat exposes both to the
    same background load, so their ratio stays meaningful when the absolute times drift.
    """
    times: list[list[float]] = [[] for _ in funcs]
    for _ in range(repeats):
        for i, func in enumerate(funcs):
            start = time.perf_counter()
            func()
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def _duckdb_read(path: Path) -> None:
    con = duckdb.connect(":memory:", config={"threads": "2"})
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
    finally:
        con.close()


def run(sizes: list[int]) -> list[dict]:
    """One row per size: ``load_inputs`` on the survey file vs DuckDB ``read_csv`` of the same file."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path, file_bytes = write_survey_csv(tmp, size)
            repeats = 5 if size <= 100_000 else 3

            def ours(path=path, size=size):
                loaded = load_inputs(path.read_bytes(), path.name)
                assert loaded.survey_report.rows_loaded == size

            ours_s, baseline_s = _median_seconds([ours, lambda path=path: _duckdb_read(path)], repeats)
            results.append(
                {
                    "area": "ingest",
                    "case": "survey csv: load_inputs vs read_csv",
                    "size": size,
                    "ours_s": round(ours_s, 4),
                    "baseline": "duckdb read_csv",
                    "baseline_s": round(baseline_s, 4),
                    "ratio": round(ours_s / baseline_s, 2) if baseline_s else None,
                    "note": (
                        f"{file_bytes / 1e6:.1f} MB, {repeats} alternating repeats, median; "
                        "ours includes decoding, layout, mapping suggestion and validation"
                    ),
                }
            )
    return results


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    print(json.dumps(run(sizes), indent=2))
