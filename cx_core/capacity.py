"""How much of the server one session may use: the sizing arithmetic behind each session's DuckDB.

A server holds ``CX_MAX_SESSIONS`` sessions at once (default: as many as its memory holds at
:data:`SESSION_FOOTPRINT` each), shared between ``CX_PROCESSES`` server processes (set by
``tools/serve_team.py``; default 1). Each session's database then gets

- ``memory_limit`` = usable memory / sessions, where usable memory is the machine's (or its
  container's) memory less :data:`RESERVE_SHARE` for the system and :data:`PROCESS_BASE` per
  server process; never below :data:`MIN_DUCKDB_MEMORY` (a 100,000-response workspace must fit);
- ``threads`` = the process's share of the cores, ``max(1, cores // processes)``: a page's queries
  are small, so a session never competes with the other processes for more than its share.

``CX_DUCKDB_MEMORY_LIMIT`` (e.g. ``512MB``) and ``CX_DUCKDB_THREADS`` override the result.
The figures are plain data (:class:`Capacity`) so the deployment guide, the load test and the
tests show the same arithmetic the server uses.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_LOG = logging.getLogger(__name__)
MIB = 1024 * 1024
GIB = 1024 * MIB
SESSION_FOOTPRINT = 400 * MIB
"""Memory one session with a 100,000-response workspace holds (measured: about 350 MB)."""
PROCESS_BASE = 600 * MIB
"""Memory of one idle server process (Python, Streamlit, pandas, DuckDB, the sentence encoder)."""
RESERVE_SHARE = 0.2
"""Share of the machine's memory left to the system, the page cache and the load balancer."""
MIN_DUCKDB_MEMORY = 256 * MIB
DUCKDB_SHARE = 0.6
"""Share of a session's budget given to its database; the rest is the Python side (frames, views)."""


@dataclass(frozen=True)
class Capacity:
    """The machine, the configuration and what each session gets (bytes and counts)."""

    total_memory: int
    cores: int
    processes: int
    max_sessions: int
    usable_memory: int
    session_budget: int
    duckdb_memory: int
    duckdb_threads: int

    @property
    def sessions_per_process(self) -> int:
        return -(-self.max_sessions // self.processes)

    @property
    def duckdb_memory_limit(self) -> str:
        """``memory_limit`` as DuckDB reads it (whole MiB)."""
        return f"{self.duckdb_memory // MIB}MiB"

    def to_dict(self) -> dict:
        return {
            "total_memory_mib": self.total_memory // MIB,
            "cores": self.cores,
            "processes": self.processes,
            "max_sessions": self.max_sessions,
            "sessions_per_process": self.sessions_per_process,
            "usable_memory_mib": self.usable_memory // MIB,
            "session_budget_mib": self.session_budget // MIB,
            "duckdb_memory_limit": self.duckdb_memory_limit,
            "duckdb_threads": self.duckdb_threads,
        }


def _read_int(path: str) -> int | None:
    try:
        text = Path(path).read_text().split()[0]
    except (OSError, IndexError):
        return None
    return int(text) if text.isdigit() else None


def machine_memory() -> int:
    """Physical memory in bytes, or the container's (cgroup) limit when that is smaller."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        limit = _read_int(limit_file)
        if limit and limit < total:
            total = limit
    return total


def machine_cores() -> int:
    """Cores this process may run on, or the container's CPU quota when that is smaller."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def _parse_size(text: str) -> int:
    """``512MB``, ``1GiB``, ``300m`` or plain bytes -> bytes (ValueError when unreadable)."""
    units = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": MIB, "mb": MIB, "mib": MIB}
    units |= {"g": GIB, "gb": GIB, "gib": GIB}
    raw = text.strip().lower()
    number = raw.rstrip("kmgib")
    unit = raw[len(number) :]
    try:
        return int(float(number) * units[unit])
    except (KeyError, ValueError) as exc:
        raise ValueError(f"CX_DUCKDB_MEMORY_LIMIT is not a size (such as 512MB): {text!r}") from exc


def _positive_int(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from exc
    if number < 1:
        raise ValueError(f"{name} must be at least 1, not {number}")
    return number


def plan(
    total_memory: int | None = None,
    cores: int | None = None,
    *,
    processes: int | None = None,
    max_sessions: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Capacity:
    """What each session gets on this machine (arguments override the environment and the machine)."""
    if env is None:
        env = os.environ
    total = machine_memory() if total_memory is None else total_memory
    ncores = machine_cores() if cores is None else cores
    nproc = processes or _positive_int(env, "CX_PROCESSES") or 1
    usable = max(int(total * (1 - RESERVE_SHARE)) - nproc * PROCESS_BASE, MIN_DUCKDB_MEMORY)
    sessions = max_sessions or _positive_int(env, "CX_MAX_SESSIONS") or max(1, usable // SESSION_FOOTPRINT)
    budget = usable // sessions
    duckdb_memory = max(int(budget * DUCKDB_SHARE), MIN_DUCKDB_MEMORY)
    if env.get("CX_DUCKDB_MEMORY_LIMIT", "").strip():
        duckdb_memory = _parse_size(env["CX_DUCKDB_MEMORY_LIMIT"])
    threads = _positive_int(env, "CX_DUCKDB_THREADS") or max(1, ncores // nproc)
    return Capacity(
        total_memory=total,
        cores=ncores,
        processes=nproc,
        max_sessions=sessions,
        usable_memory=usable,
        session_budget=budget,
        duckdb_memory=duckdb_memory,
        duckdb_threads=threads,
    )


def _server_plan() -> Capacity:
    try:
        return plan()
    except ValueError as exc:  # a mistyped setting: said in the server's log, the machine's share used
        _LOG.warning("%s; using the defaults for this machine", exc)
        return plan(env={})


def session_database_settings() -> tuple[str, int]:
    """``(memory_limit, threads)`` for a new session's DuckDB on this server."""
    capacity = _server_plan()
    return capacity.duckdb_memory_limit, capacity.duckdb_threads


ONE_SESSION_DUCKDB_CAP = 1 * GIB
"""The most a process holding one session (the CLI) gives its database: a 1M-response summary's
pivots and joins fit without spilling to disk, and the whole process stays under 1.5 GB."""


def one_session_database_settings() -> tuple[str, int]:
    """``(memory_limit, threads)`` for a process that holds one session only (``python -m cx_core``).

    A server shares its memory between many sessions; the CLI's one workspace may have this
    machine's share for a single session, up to :data:`ONE_SESSION_DUCKDB_CAP` (never less than a
    server session gets). ``CX_DUCKDB_MEMORY_LIMIT`` and ``CX_DUCKDB_THREADS`` still win.
    """
    server = _server_plan()
    if os.environ.get("CX_DUCKDB_MEMORY_LIMIT", "").strip():
        return server.duckdb_memory_limit, server.duckdb_threads
    try:
        alone = plan(max_sessions=1)
    except ValueError:
        alone = plan(max_sessions=1, env={})
    memory = max(server.duckdb_memory, min(alone.duckdb_memory, ONE_SESSION_DUCKDB_CAP))
    return f"{memory // MIB}MiB", server.duckdb_threads


def embedding_threads() -> int:
    """BLAS threads for the sentence encoder: this process's share of the cores.

    For ``cx_core.themes._embed`` (``USE(threads=min(2, embedding_threads()))``), so several server
    processes on one machine do not each start as many BLAS threads as the machine has cores.
    """
    return _server_plan().duckdb_threads


if __name__ == "__main__":  # python -m cx_core.capacity: what this server gives each session
    import json

    print(json.dumps(plan().to_dict(), indent=2))
