"""A tiny run of the load test (``-m load``; not in the default run: it starts four servers, ~2 min).

Three people, each with their own upload, against one process and against two processes behind the
sticky nginx: every upload loads, every click finishes without an error, and memory is given back
after they left (their sessions are shut down, not just forgotten).
"""

from __future__ import annotations

import pytest

from bench.load.run import parse_args, run
from tools.serve_team import find_nginx

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(find_nginx() is None, reason="nginx is not installed (apt-get install nginx-light)"),
]


def test_three_people_with_their_own_uploads_on_one_and_on_two_processes():
    args = parse_args(
        "--users 3 --rows 20000 --processes 2 --browse 15 --think 1,2 --ramp 0.5 "
        "--session-ttl 3 --reap-seconds 1 --settle 15 --out -".split()
    )
    report = run(args)
    baseline, team = report["results"]
    for result in (baseline, team):
        assert result["errors"] == 0, result["error_examples"]
        assert result["loaded"] == 3
        assert result["clicks"] >= 3
        assert result["page_p95"] is not None
        assert result["rss_peak"] > result["rss_base"]
        # the sessions' memory is given back once they left (how much of it: docs/BENCHMARKS.md)
        assert result["rss_after"] < result["rss_peak"], result
    assert team["processes"] == 2 and team["balancer"].startswith("nginx")


def test_three_people_on_one_shared_saved_workspace():
    """``--shared``: the workspace is saved once; each person opens it by its link (no upload)."""
    args = parse_args(
        "--users 3 --rows 20000 --processes 2 --browse 15 --think 1,2 --ramp 0.5 --shared --no-baseline "
        "--session-ttl 3 --reap-seconds 1 --settle 15 --out -".split()
    )
    report = run(args)
    (team,) = report["results"]
    assert team["errors"] == 0, team["error_examples"]  # a link that opened nothing is an error here
    assert team["loaded"] == 3 and team["clicks"] >= 3 and team["page_p95"] is not None
    assert report["settings"]["shared"] is True and report["settings"]["save_seconds"] > 0
