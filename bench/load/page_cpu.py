"""Server CPU seconds of each click of one simulated person: where a page's time goes, without a crowd.

    python -m bench.load.page_cpu --rows 100000
    python -m bench.load.page_cpu --rows 1000000 --shared   # the team's saved workspace, opened by its link

Starts one app process with the per-session settings of the team set-up (one DuckDB thread, one
BLAS thread: ``--processes 2`` on a 2-core machine), has one person upload and load their own
survey and CRM export (``bench/synthetic.py``), then click overview, segments, drivers, a segment
filter on the drivers page, moments, drivers again (its inputs unchanged) and the filter back.
With ``--shared`` a second person then opens the same link and clicks the same pages in the same
server process (``--people`` sets how many): what a colleague on the team's workspace costs once
the first one has looked. The team set-up warms a saved data set's views in the background when it is
first opened (``CX_WARM_SHARED_VIEWS``, ui/sync/warm.py): ``--wait-warm`` lets that finish (the
server idle) before the first person clicks on; ``CX_WARM_SHARED_VIEWS=0`` measures without it.
Prints the wall time and the CPU time the server process used for each click (read from /proc, so
DuckDB's and BLAS's threads count). Other work on the machine makes the wall times, not the CPU
times, noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load.client import StreamlitUser  # noqa: E402
from bench.load.run import save_team_workspace  # noqa: E402
from bench.synthetic import synthetic_csv_bytes  # noqa: E402
from tools.serve_team import start_team  # noqa: E402

STEPS = (
    "overview",
    "segments",
    "drivers",
    "filter",
    "moments",
    "accounts",
    "follow_up",
    "drivers",
    "unfilter",
    "drivers",
)


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def settle(pid: int, quiet: float = 0.05, every: float = 2.0, limit: float = 900.0) -> tuple[float, float]:
    """Wait until the server process is idle (less than ``quiet`` CPU-s in ``every`` s: a background
    warm-up has finished); its (wall s, CPU s) meanwhile."""
    started, cpu = time.monotonic(), server_cpu_seconds(pid)
    last = cpu
    while time.monotonic() - started < limit:
        await asyncio.sleep(every)
        now = server_cpu_seconds(pid)
        if now - last < quiet:
            break
        last = now
    return time.monotonic() - started, server_cpu_seconds(pid) - cpu


async def clicks(
    url: str, pid: int, files: tuple[bytes, bytes] | str, pause: float, wait_warm: bool = False
) -> list[tuple[str, str, float, float]]:
    """Each click's (step, status, wall s, server CPU s); ``files`` a saved workspace's id: opened by its link."""
    shared = isinstance(files, str)
    user = StreamlitUser(url, query_string=f"ws={files}" if shared else "")
    await user.connect()
    out = []
    try:
        if shared:
            cpu = server_cpu_seconds(pid)
            result = await user.run("overview")
            out.append(("open", result.status, result.seconds, server_cpu_seconds(pid) - cpu))
            if wait_warm:  # the warm-up started by the open: its cost, not the person's clicks
                wall, used = await settle(pid)
                out.append(("(warm-up)", "idle", wall, used))
        else:
            first = await user.run("data")
            survey = await user.upload(first.widgets["data_upload_survey"][0], "survey.csv", files[0])
            crm = await user.upload(first.widgets["data_upload_crm"][0], "crm.csv", files[1])
            shown = await user.run(widgets=[survey, crm])
            cpu = server_cpu_seconds(pid)
            result = await user.run(widgets=[user.click(shown.widgets["data_load_button"][0])])
            out.append(("load", result.status, result.seconds, server_cpu_seconds(pid) - cpu))
        for step in STEPS:
            await asyncio.sleep(pause)  # let the server finish what the last click started
            cpu = server_cpu_seconds(pid)
            if step in ("filter", "unfilter"):
                element_id, segment = result.widgets["sidebar_segment"]
                chosen = [list(segment.options)[0]] if step == "filter" else []
                result = await user.run(widgets=[user.choose(element_id, chosen)])
            else:
                result = await user.run(step)
            out.append((step, result.status, result.seconds, server_cpu_seconds(pid) - cpu))
    finally:
        await user.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="responses in the upload")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between clicks")
    parser.add_argument("--shared", action="store_true", help="open a saved workspace of --rows responses by its link")
    parser.add_argument(
        "--wait-warm",
        action="store_true",
        help="with --shared: after the first open, wait until the server is idle (its warm-up done) before clicking",
    )
    parser.add_argument(
        "--people", type=int, default=2, help="with --shared: people who click in turn on the same server"
    )
    args = parser.parse_args(argv)
    accounts = max(50, args.rows // 20)
    one_share = {
        name: "1" for name in ("CX_DUCKDB_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }
    folder = tempfile.mkdtemp(prefix="cx-page-cpu-") if args.shared else None
    try:
        if folder:
            files: tuple[bytes, bytes] | str = save_team_workspace(folder, args.rows, accounts)[0]
            one_share["CX_DATA_DIR"] = folder
        else:
            files = synthetic_csv_bytes(args.rows, accounts, seed=100)
        team = start_team(1, 0, balancer=False, extra_env=one_share)
        try:
            people = max(1, args.people) if folder else 1
            runs = [
                asyncio.run(clicks(team.url, team.app_pids[0], files, args.pause, args.wait_warm and person == 0))
                for person in range(people)
            ]
        finally:
            team.stop()
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    for person, rows in enumerate(runs, 1):
        if len(runs) > 1:
            print(f"person {person}")
        print(f"{'click':10s} {'status':8s} {'wall':>8s} {'server CPU':>11s}")
        for step, status, wall, cpu in rows:
            print(f"{step:10s} {status:8s} {wall:7.2f}s {cpu:10.2f}s")
        clicked = [r for r in rows if r[0] != "(warm-up)"]
        print(f"{'total':10s} {'':8s} {sum(r[2] for r in clicked):7.2f}s {sum(r[3] for r in clicked):10.2f}s")


if __name__ == "__main__":
    main()
