"""No file can harm the server: hostile files are refused or loaded correctly, in bounded memory.

Each file is made at test time (:mod:`tests.hostile_files`; nothing big is committed) and given
to the CLI (``python -m cx_core summarize --survey FILE``) in a real process, whose peak resident
memory is the child's own high-water mark (``VmHWM``). Every case must end (refused with
one plain line, exit 2, or loaded with its rows accounted for) under :data:`MAX_RSS_MB` and
:data:`MAX_CPU_S` seconds of CPU time. CPU time rather than wall time, because the test machine
is shared: wall time is only checked against a generous :data:`MAX_WALL_S` (a process stuck
waiting is still caught). Before the read limits, the dimension bomb grew past 3.5 GB in 100 s,
the compressed-XML bomb read for minutes, 100,000 columns reached 1.5 GB and the ``.cxw`` bomb
3.9 GB. Slow: about 10 processes, 5-10 s each on a busy machine.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.hostile_files import (
    ROOT,
    blank_lines_csv,
    dimension_bomb,
    run_measured,
    summarize_command,
    unclosed_quote_csv,
    wide_csv,
    workspace_bomb,
    xml_bomb,
)

MAX_RSS_MB = 600
MAX_CPU_S = 15
MAX_WALL_S = 90
REGRESSIONS = ROOT / "tests" / "regressions" / "ingest"


def _run(path: Path, **env: str):
    run = run_measured(
        summarize_command(path), kill_mb=2 * MAX_RSS_MB, kill_s=2 * MAX_WALL_S, env={**os.environ, **env}
    )
    assert not run.killed, f"{path.name}: killed at {run.peak_rss_mb:,.0f} MB after {run.seconds:.0f} s"
    assert run.peak_rss_mb < MAX_RSS_MB, f"{path.name}: peak RSS {run.peak_rss_mb:,.0f} MB"
    assert run.cpu_seconds < MAX_CPU_S, f"{path.name}: {run.cpu_seconds:.1f} s of CPU"
    assert run.seconds < MAX_WALL_S, f"{path.name}: {run.seconds:.1f} s"
    assert "Traceback" not in run.stderr
    return run


def _refused(run, *words: str) -> str:
    assert run.returncode == 2, run.stdout[-500:]
    line = run.stderr.strip()
    assert line.count("\n") == 0 and line.startswith("error: "), line
    for word in words:
        assert word in line, line
    return line


def _loaded(run) -> dict:
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    for report in summary["inputs"]:
        assert report["rows_read"] == report["rows_loaded"] + report["rows_rejected"]
    return summary


def test_dimension_bomb_loads_its_three_cells(tmp_path):
    summary = _loaded(_run(dimension_bomb(tmp_path / "dimension.xlsx")))
    assert (tmp_path / "dimension.xlsx").stat().st_size < 6000
    report = summary["inputs"][0]
    assert (report["rows_read"], report["rows_loaded"]) == (2, 2)
    assert summary["metrics"]["nps"]["n"] == 2


def test_dimension_bomb_with_its_far_corner_filled_is_refused_for_its_columns(tmp_path):
    _refused(_run(dimension_bomb(tmp_path / "corner.xlsx", far_cell=True)), "16,384 columns", "CX_READ_MAX_COLUMNS")


def test_compressed_xml_bomb_is_refused_before_unpacking(tmp_path):
    path = xml_bomb(tmp_path / "xml.xlsx")
    assert path.stat().st_size < 10 * 1024 * 1024
    _refused(_run(path), "unpacks to", "CX_READ_MAX_MB")
    # where a server allows big files, the packing ratio still gives the bomb away
    _refused(_run(path, CX_READ_MAX_MB="4000"), "packed", "CX_READ_MAX_RATIO")


def test_hundred_thousand_columns_are_refused_from_the_header_row(tmp_path):
    path = wide_csv(tmp_path / "wide.csv")
    assert path.stat().st_size > 4 * 1024 * 1024
    _refused(_run(path), "100,000 columns", "5,000")


def test_workspace_file_bomb_is_refused(tmp_path):
    path = workspace_bomb(tmp_path / "bomb.cxw")
    assert path.stat().st_size < 5 * 1024 * 1024
    _refused(_run(path), "unpacks to", "CX_READ_MAX_MB")
    _refused(_run(path, CX_READ_MAX_MB="4000"), "packed", "CX_READ_MAX_RATIO")


def test_blank_line_bomb_is_refused_for_its_rows(tmp_path):
    _refused(_run(blank_lines_csv(tmp_path / "blank.csv")), "rows", "CX_READ_MAX_ROWS")


def test_unclosed_quote_is_reported_with_its_line_and_every_row_counted(tmp_path):
    summary = _loaded(_run(unclosed_quote_csv(tmp_path / "quote.csv")))
    report = summary["inputs"][0]
    assert report["rows_read"] == 1101  # 100 before, the broken row, 1,000 after
    assert report["rows_loaded"] + report["rows_rejected"] == 1101
    assert report["rows_loaded"] >= 1100
    warning = next(w for w in report["warnings"] if w["code"] == "unclosed_quote")
    assert warning["values"]["line"] == 102
    assert "line 102" in warning["message"]


@pytest.mark.parametrize("survey", sorted(REGRESSIONS.glob("*.survey.bin")), ids=lambda p: p.name.split(".")[0])
def test_files_that_once_crashed_the_loader_stay_bounded(survey):
    crm = survey.with_name(survey.name.replace(".survey.", ".crm."))
    command = summarize_command(survey) + (["--crm", str(crm)] if crm.exists() else [])
    run = run_measured(command, kill_mb=2 * MAX_RSS_MB, kill_s=2 * MAX_WALL_S)
    assert not run.killed and run.peak_rss_mb < MAX_RSS_MB and run.cpu_seconds < MAX_CPU_S
    assert run.returncode in (0, 2) and "Traceback" not in run.stderr
    if run.returncode == 0:
        _loaded(run)
