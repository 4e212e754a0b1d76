"""Each session's database gets its share of the server: memory over sessions, cores over processes."""

from __future__ import annotations

import pytest

from cx_core import Workspace
from cx_core.capacity import GIB, MIB, MIN_DUCKDB_MEMORY, PROCESS_BASE, SESSION_FOOTPRINT, plan


def test_the_issue_server_twenty_people_two_processes():
    """2 cores, 24 GB, 20 people in 2 processes: each session's database and its threads."""
    cap = plan(24 * GIB, 2, processes=2, max_sessions=20, env={})
    usable = int(24 * GIB * 0.8) - 2 * PROCESS_BASE
    assert cap.usable_memory == usable
    assert cap.session_budget == usable // 20
    assert cap.duckdb_memory == int(usable // 20 * 0.6)
    assert cap.duckdb_threads == 1  # one core per process
    assert cap.sessions_per_process == 10
    assert cap.duckdb_memory_limit.endswith("MiB")


def test_without_a_session_count_the_memory_decides():
    cap = plan(8 * GIB, 4, env={})
    assert cap.max_sessions == cap.usable_memory // SESSION_FOOTPRINT
    assert cap.duckdb_threads == 4
    small = plan(1 * GIB, 1, env={})
    assert small.max_sessions == 1
    assert small.duckdb_memory >= MIN_DUCKDB_MEMORY  # a 100,000-response workspace must still fit


def test_environment_sets_sessions_processes_and_overrides():
    env = {"CX_MAX_SESSIONS": "10", "CX_PROCESSES": "4", "CX_DUCKDB_THREADS": "3"}
    cap = plan(16 * GIB, 8, env=env)
    assert (cap.max_sessions, cap.processes, cap.duckdb_threads) == (10, 4, 3)
    assert plan(16 * GIB, 8, env={"CX_DUCKDB_MEMORY_LIMIT": "512MB"}).duckdb_memory == 512 * MIB
    assert plan(16 * GIB, 8, env={"CX_DUCKDB_MEMORY_LIMIT": "1.5GiB"}).duckdb_memory == int(1.5 * GIB)


@pytest.mark.parametrize(
    "env",
    [{"CX_MAX_SESSIONS": "many"}, {"CX_MAX_SESSIONS": "0"}, {"CX_PROCESSES": "-1"}, {"CX_DUCKDB_MEMORY_LIMIT": "lots"}],
)
def test_a_bad_setting_is_refused_with_its_name(env):
    with pytest.raises(ValueError, match="CX_|size"):
        plan(8 * GIB, 2, env=env)


def test_a_new_workspace_runs_with_the_planned_settings(sample_loaded, monkeypatch):
    monkeypatch.setenv("CX_DUCKDB_MEMORY_LIMIT", "300MiB")
    monkeypatch.setenv("CX_DUCKDB_THREADS", "1")
    ws = Workspace.from_loaded(sample_loaded)
    try:
        settings = dict(
            ws.con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN ('memory_limit', 'threads')"
            ).fetchall()
        )
        assert settings["threads"] == "1"
        assert settings["memory_limit"] in {"300.0 MiB", "314.5 MB", "300MiB"}
    finally:
        ws.close()


def test_each_workspace_has_its_own_token_and_a_version_that_moves(sample_loaded):
    first, second = Workspace.from_loaded(sample_loaded), Workspace.from_loaded(sample_loaded)
    try:
        assert first.token != second.token
        before = first.version
        first.touch()
        assert first.version == before + 1
    finally:
        first.close()
        second.close()


def test_changing_a_workspace_after_loading_moves_its_version(sample_loaded):
    """Follow-up notes saved, or a table restored from a workspace file or the store: views memoised on
    the previous version must not be served again."""
    import pandas as pd

    from cx_core.accounts import follow_up_state, save_follow_ups
    from cx_core.workspace_file import FOLLOW_UP_TABLE, attach_table

    ws = Workspace.from_loaded(sample_loaded)
    try:
        start = ws.version
        follow_up_state(ws)  # reading creates the empty table: not a change
        assert ws.version == start
        assert save_follow_ups(ws, []) == 0
        assert ws.version == start
        save_follow_ups(ws, [("response:1", True, "called")])
        assert ws.version == start + 1
        notes = pd.DataFrame({"item_id": ["response:2"], "done": [False], "note": [None], "updated_at": [None]})
        attach_table(ws, FOLLOW_UP_TABLE, notes)
        assert ws.version == start + 2
    finally:
        ws.close()


@pytest.mark.parametrize(
    ("machine", "expected"),
    [
        (64 * GIB, "1024MiB"),  # a big machine: the cap, not the whole single-session share
        (2 * GIB, "623MiB"),  # a small one: its one-session share (a server session gets 311MiB)
        (1 * GIB, "256MiB"),  # never less than a server session
    ],
)
def test_the_cli_holds_one_session_and_gives_it_more_than_a_server_share(machine, expected, monkeypatch):
    import cx_core.capacity as capacity

    for name in ("CX_DUCKDB_MEMORY_LIMIT", "CX_DUCKDB_THREADS", "CX_MAX_SESSIONS", "CX_PROCESSES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(capacity, "machine_memory", lambda: machine)
    memory, _threads = capacity.one_session_database_settings()
    assert memory == expected
    assert capacity._parse_size(memory) >= capacity._parse_size(capacity.session_database_settings()[0])
    monkeypatch.setenv("CX_DUCKDB_MEMORY_LIMIT", "300MiB")  # the setting still wins
    assert capacity.one_session_database_settings()[0] == "300MiB"
