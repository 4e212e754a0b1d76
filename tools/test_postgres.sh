#!/usr/bin/env bash
# A throw-away PostgreSQL server for the store's tests, in a temporary folder on a free port.
#   eval "$(tools/test_postgres.sh start)"   # prints: export CX_TEST_DATABASE_URL=...; export CX_TEST_PGDATA=...
#   tools/test_postgres.sh stop "$CX_TEST_PGDATA"
# Installs Debian's `postgresql` when it is missing. Works as root (runs the server as `postgres`).
set -euo pipefail

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
        dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$dir"
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    bin=$(pg_bin)
    data=$(mktemp -d /tmp/cx-test-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$data"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    as_owner "$bin/initdb" -D "$data/db" -U cx --auth=trust -E UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 \
        || { cat "$data/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=off" start >&2 \
        || { cat "$data/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U cx cx_test >&2
    echo "export CX_TEST_DATABASE_URL=postgresql://cx@127.0.0.1:$port/cx_test"
    echo "export CX_TEST_PGDATA=$data"
    ;;
stop)
    data="${2:?the folder printed by start}"
    bin=$(pg_bin)
    if [ -d "$data/db" ]; then
        as_owner "$bin/pg_ctl" -D "$data/db" -m fast -w stop >&2 || true
    fi
    rm -rf "$data"
    ;;
*)
    echo "usage: $0 start | stop DATA_DIR" >&2
    exit 2
    ;;
esac
