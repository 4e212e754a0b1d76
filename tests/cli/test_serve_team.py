"""The team set-up's balancer configuration: sticky per browser, WebSockets proxied, every process listed."""

from __future__ import annotations

import os
import subprocess

import pytest

from tools.serve_team import ROUTE_COOKIE, app_environment, find_nginx, nginx_config


def test_the_balancer_is_sticky_by_cookie_and_proxies_websockets(tmp_path):
    conf = nginx_config([40001, 40002, 40003], 8501, tmp_path)
    assert "hash $cx_route consistent;" in conf
    assert f'map $cookie_{ROUTE_COOKIE} $cx_route {{ "" $request_id; default $cookie_{ROUTE_COOKIE}; }}' in conf
    assert f'Set-Cookie "{ROUTE_COOKIE}=$cx_route;' in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    for port in (40001, 40002, 40003):
        assert f"server 127.0.0.1:{port} " in conf
    assert "listen 127.0.0.1:8501;" in conf
    assert "ip_hash" not in conf  # every person behind one proxy or NAT would land on one process


@pytest.mark.skipif(find_nginx() is None, reason="nginx is not installed (apt-get install nginx-light)")
def test_nginx_accepts_the_configuration(tmp_path):
    tmp_path.chmod(0o755)
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config([40001, 40002], 40000, tmp_path))
    check = subprocess.run([find_nginx(), "-t", "-q", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_each_process_is_told_its_share_of_the_machine():
    env = app_environment(2)
    assert env["CX_PROCESSES"] == "2"
    assert int(env["OMP_NUM_THREADS"]) >= 1
    assert env["OPENBLAS_NUM_THREADS"] == os.environ.get("OPENBLAS_NUM_THREADS", "1")  # sessions are the parallelism
    assert env["MALLOC_ARENA_MAX"] == os.environ.get(
        "MALLOC_ARENA_MAX", "2"
    )  # freed memory of sessions that left can go back to the system


def test_the_team_set_up_warms_shared_views_unless_told_not_to(monkeypatch):
    monkeypatch.delenv("CX_WARM_SHARED_VIEWS", raising=False)
    assert app_environment(2)["CX_WARM_SHARED_VIEWS"] == "1"
    monkeypatch.setenv("CX_WARM_SHARED_VIEWS", "0")
    assert app_environment(2)["CX_WARM_SHARED_VIEWS"] == "0"
