#!/usr/bin/env bash
# Start a private PostgreSQL server for eventledger's tests and print its URL on stdout.
#
# Idempotent: installs Debian's `postgresql` package when its binaries are missing, creates
# a cluster under $EVENTLEDGER_PG_DIR (default /tmp/eventledger-pg) on first use, starts it on
# loopback at $EVENTLEDGER_PG_PORT (default 55432) unless it is already running, and makes
# the role and database `eventledger` (password `eventledger`; tests make and drop their own
# databases, so the role may create databases). Nothing listens beyond 127.0.0.1.
#
#   export EVENTLEDGER_TEST_PG="$(scripts/start-postgres.sh)"
#   scripts/start-postgres.sh stop      # stop the server (the data dir stays)
set -euo pipefail

DIR="${EVENTLEDGER_PG_DIR:-/tmp/eventledger-pg}"
PORT="${EVENTLEDGER_PG_PORT:-55432}"
ROLE=eventledger
PASS=eventledger

say() { echo "start-postgres: $*" >&2; }

bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}

BIN="$(bindir || true)"
if [ -z "$BIN" ]; then
    say "installing Debian's postgresql package"
    if [ "$(id -u)" -ne 0 ]; then
        say "error: PostgreSQL is not installed and installing it needs root (apt-get install -y postgresql)"
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
    BIN="$(bindir)"
fi

# The server refuses to run as root: run it as the postgres account (made by the package).
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

if [ "${1:-}" = "stop" ]; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2 || true
    exit 0
fi

mkdir -p "$DIR"
[ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
if [ ! -s "$DIR/data/PG_VERSION" ]; then
    say "creating a cluster in $DIR/data"
    as_pg "$BIN/initdb" -D "$DIR/data" --auth-local=trust --auth-host=scram-sha-256 \
        --username=postgres --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
fi

if ! as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    say "starting PostgreSQL ($("$BIN/postgres" --version)) on 127.0.0.1:$PORT"
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=200 -c synchronous_commit=off" start >&2 \
        || { tail -20 "$DIR/server.log" >&2; exit 1; }
fi

psql_pg() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U postgres -d postgres "$@"; }
psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'" | grep -q 1 \
    || psql_pg -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASS'"
psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = '$ROLE'" | grep -q 1 \
    || psql_pg -c "CREATE DATABASE $ROLE OWNER $ROLE"

echo "postgresql://$ROLE:$PASS@127.0.0.1:$PORT/$ROLE"
