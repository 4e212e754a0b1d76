"""Serve the app to a team from one machine: N Streamlit processes behind a sticky local load balancer.

One Streamlit process runs every session's Python in one interpreter, so it uses about one core
however many the machine has. This starts ``--processes`` app processes on free ports of
127.0.0.1 and an nginx in front of them (Debian's ``nginx-light`` or ``nginx``: ``apt-get install
nginx-light``) that keeps each browser on one process: the first response sets a ``cx_route``
cookie, and ``hash $cx_route consistent`` sends every later request of that browser (the
websocket, file uploads, reconnects) to the same process. WebSockets are proxied. All processes
share the same store (``CX_DATA_DIR`` / ``CX_DATABASE_URL`` / ``CX_DATASETS_URL`` from the
environment), so a person sees their workspaces whichever process serves them.

Each process is told how many processes share the machine (``CX_PROCESSES``), so each session's
DuckDB gets its share of memory and cores (:mod:`cx_core.capacity`); BLAS threads are capped the
same way. Usage::

    python tools/serve_team.py --processes 2 --port 8501      # then open http://127.0.0.1:8501
    CX_MAX_SESSIONS=20 python tools/serve_team.py             # processes default to the cores

Stop with Ctrl-C (every process it started is stopped). ``--port 0`` picks a free port and prints it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cx_core.capacity import MIB, machine_cores, plan  # noqa: E402
from cx_core.ingest.limits import upload_limit  # noqa: E402

ROUTE_COOKIE = "cx_route"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")

NGINX_CONF = """\
worker_processes 1;
pid {run_dir}/nginx.pid;
error_log {run_dir}/error.log warn;
daemon off;
{user}
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run_dir}/client_body;
    proxy_temp_path {run_dir}/proxy;
    fastcgi_temp_path {run_dir}/fastcgi;
    uwsgi_temp_path {run_dir}/uwsgi;
    scgi_temp_path {run_dir}/scgi;
    client_max_body_size {max_upload_mb}m;

    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    # A browser's route: its cookie, or a fresh random id on its first request (then set as its cookie).
    map $cookie_{cookie} $cx_route {{ "" $request_id; default $cookie_{cookie}; }}

    upstream cx_app {{
        hash $cx_route consistent;
{servers}
    }}

    server {{
        listen {address}:{port};
        location / {{
            proxy_pass http://cx_app;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie "{cookie}=$cx_route; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


def free_port(address: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


def find_nginx() -> str | None:
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def nginx_config(
    backends: list[int], port: int, run_dir: Path, address: str = "127.0.0.1", max_upload_mb: int = 200
) -> str:
    """The load balancer's nginx.conf: sticky by cookie, WebSockets proxied, everything under ``run_dir``."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in backends)
    user = "user root;" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    return NGINX_CONF.format(
        run_dir=run_dir,
        servers=servers,
        port=port,
        address=address,
        cookie=ROUTE_COOKIE,
        max_upload_mb=max_upload_mb,
        user=user,
    )


def wait_healthy(url: str, timeout: float = 120.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {process.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class Team:
    """Running app processes (``backends``: port -> process) and the balancer in front of them."""

    port: int
    address: str
    backends: dict[int, subprocess.Popen] = field(default_factory=dict)
    balancer: subprocess.Popen | None = None
    run_dir: Path | None = None

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"

    @property
    def app_pids(self) -> list[int]:
        return [p.pid for p in self.backends.values()]

    def stop(self) -> None:
        """Stop the balancer, then every app process (each by its own pid), and remove the run folder."""
        processes = ([self.balancer] if self.balancer else []) + list(self.backends.values())
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Team:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def app_command(port: int, extra: list[str] | None = None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--browser.gatherUsageStats",
        "false",
        "--server.maxUploadSize",  # the machine's upload limit (cx_core.ingest.limits), as make run gives
        str(upload_limit() // MIB),
        *(extra or []),
    ]


MALLOC_ARENAS = "2"


def app_environment(processes: int, extra_env: dict | None = None) -> dict:
    """The environment of each app process: its share of the machine said once, for every library."""
    env = dict(os.environ)
    env.update(extra_env or {})
    env["CX_PROCESSES"] = str(processes)
    share = str(max(1, machine_cores() // processes))
    env.setdefault("OMP_NUM_THREADS", share)
    # BLAS: one thread per call; the sessions are the parallelism (ui.runtime.lifecycle.use_one_blas_thread_per_call)
    for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    # glibc gives each thread that allocates its own heap ("arena", up to 8 per core), and Streamlit runs
    # every script run in a new thread: a session's frames end up spread over many arenas, whose partly
    # used pages stay resident after it left. Two arenas, measured with 4 people with 100k responses
    # each on one process: 0.48 GB held after they left instead of 0.59 GB (base 0.26 GB).
    env.setdefault("MALLOC_ARENA_MAX", MALLOC_ARENAS)
    # the first session on a saved data set warms its pages' views in a background thread at low priority
    # (ui/sync/warm.py): the first person of each process no longer pays every page's first computation
    env.setdefault("CX_WARM_SHARED_VIEWS", "1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def start_team(
    processes: int,
    port: int = 0,
    address: str = "127.0.0.1",
    *,
    balancer: bool = True,
    streamlit_args: list[str] | None = None,
    extra_env: dict | None = None,
    log_dir: Path | None = None,
) -> Team:
    """Start ``processes`` app processes and (``balancer``) nginx in front of them; wait until all answer.

    With ``balancer=False`` and one process the app itself listens on ``port`` (the plain single-process
    set-up, for comparison). Raises RuntimeError when nginx is needed and not installed.
    """
    if processes < 1:
        raise ValueError("--processes must be at least 1")
    env = app_environment(processes, extra_env)
    plan(env=env)  # a mistyped CX_* setting stops here, with its name, not in a page later
    if not balancer and processes != 1:
        raise ValueError("several processes need the balancer")
    nginx = find_nginx() if balancer else None
    if balancer and nginx is None:
        raise RuntimeError("nginx is not installed: apt-get install nginx-light (Debian/Ubuntu)")
    run_dir = Path(tempfile.mkdtemp(prefix="cx-team-"))
    run_dir.chmod(0o755)  # nginx's workers create their temporary folders in it
    log_dir = log_dir or run_dir
    team = Team(port=port or free_port(address), address=address, run_dir=run_dir)
    try:
        ports = [team.port] if not balancer else [free_port() for _ in range(processes)]
        for app_port in ports:
            log = open(log_dir / f"app-{app_port}.log", "wb")  # noqa: SIM115 - lives as long as the process
            team.backends[app_port] = subprocess.Popen(
                app_command(app_port, streamlit_args), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        for app_port, process in team.backends.items():
            wait_healthy(f"http://127.0.0.1:{app_port}/_stcore/health", process=process)
        if balancer:
            conf = run_dir / "nginx.conf"
            conf.write_text(nginx_config(ports, team.port, run_dir, address))
            check = subprocess.run([nginx, "-t", "-q", "-c", str(conf)], capture_output=True, text=True)
            if check.returncode != 0:
                raise RuntimeError(f"nginx refused its configuration: {check.stderr.strip()}")
            team.balancer = subprocess.Popen(
                [nginx, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=open(run_dir / "nginx.out", "wb")
            )
            wait_healthy(f"{team.url}/_stcore/health", timeout=30, process=team.balancer)
    except BaseException:
        team.stop()
        raise
    return team


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=machine_cores(), help="app processes (default: the cores)")
    parser.add_argument("--port", type=int, default=8501, help="the port people open (0: pick a free one)")
    parser.add_argument("--address", default="127.0.0.1", help="where the balancer listens (0.0.0.0: the network)")
    parser.add_argument(
        "--session-ttl", type=int, default=None, help="seconds a disconnected session waits for its browser (120)"
    )
    args = parser.parse_args(argv)
    extra = ["--server.disconnectedSessionTTL", str(args.session_ttl)] if args.session_ttl is not None else []
    try:
        team = start_team(args.processes, args.port, args.address, streamlit_args=extra)
    except (RuntimeError, ValueError, TimeoutError) as exc:
        print(f"serve_team: {exc}", file=sys.stderr)
        return 2
    capacity = plan(env=app_environment(args.processes))
    print(f"CX Insight Explorer: {team.url}  ({args.processes} processes, pids {team.app_pids})")
    print(
        f"each session: DuckDB memory_limit {capacity.duckdb_memory_limit}, {capacity.duckdb_threads} thread(s); "
        f"sized for {capacity.max_sessions} sessions (CX_MAX_SESSIONS)"
    )
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    try:
        while not stop:
            if any(p.poll() is not None for p in [team.balancer, *team.backends.values()] if p):
                print("serve_team: a process exited; stopping the others", file=sys.stderr)
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        team.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
