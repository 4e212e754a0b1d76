"""CPU of the Drivers page's one call (``drivers_view``) on a big workspace opened in place (issue 25).

    python -m bench.drivers_view_cpu 1000000 [--rounds 2] [--folder /tmp/cx-drivers]

Writes the :mod:`bench.synthetic` survey export of that size (reused when present), streams it into
a local store once, opens it as a team server session would (its own DuckDB memory limit and
threads, the Parquet files queried in place) and times ``drivers_view`` with the default options:
process CPU (every DuckDB thread included), wall, load average and the process's peak RSS. Not
part of ``bench.run``: compare two checkouts by running it from each, alternately.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from bench.synthetic import write_survey_csv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--folder", default="/tmp/cx-drivers")
    args = parser.parse_args()
    os.environ.setdefault("CX_STREAM_MIN_MB", "0")  # streamed and queried in place whatever the size
    os.environ.setdefault("CX_UPLOAD_MAX_MB", "100000")

    from cx_core.drivers import catalogue_from_workspace, drivers_view  # noqa: PLC0415 - after the environment
    from cx_core.ingest import load_inputs  # noqa: PLC0415
    from cx_core.store import Store, StoreConfig  # noqa: PLC0415
    from cx_core.workspace import Workspace  # noqa: PLC0415

    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"survey_{args.size}.csv"
    if not path.exists():
        write_survey_csv(folder, args.size)
    store = Store(StoreConfig.build(str(path) + ".store"))
    if not list(Path(str(path) + ".store").rglob("responses.parquet")):
        store.create_workspace("big", load_inputs(path.read_bytes(), str(path)), dataset="big")
    ws = Workspace.from_loaded(store.open_workspace("big").loaded)
    limit, threads = ws.con.execute("SELECT current_setting('memory_limit'), current_setting('threads')").fetchone()
    print(f"{args.size} responses, DuckDB memory_limit {limit}, threads {threads}")
    catalogue = catalogue_from_workspace(ws)
    for r in range(args.rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        view = drivers_view(ws, catalogue)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        top = view.key_drivers.drivers[0]
        print(
            f"round {r}: cpu {cpu:.2f} s, wall {wall:.2f} s, load {os.getloadavg()[0]:.2f}, "
            f"top driver {top.key} {top.importance} {top.importance_ci95}"
        )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
