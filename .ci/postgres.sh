#!/usr/bin/env bash
# Installs (if absent) and starts PostgreSQL, loads Chinook, and prints the URL to use.
# Idempotent: safe to run on a developer machine where it already ran.
# Only the URL goes to stdout: the callers capture it with $(...), and tools chatter on stdout
# (pg_ctlcluster prints "Removed stale pid file." on a machine image with a stale pid file).
set -euo pipefail
SHARED="${FLM_SHARED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/shared}"

setup() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  if ! pg_lsclusters -h | grep -q online; then
    cluster=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
    if [ -z "$cluster" ]; then
      ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
      pg_createcluster "$ver" main >/dev/null
      cluster="$ver main"
    fi
    # A machine image may carry a socket lock from a server that is gone; postgres refuses to start on it.
    for lock in /var/run/postgresql/.s.PGSQL.*.lock; do
      [ -f "$lock" ] || continue
      pid=$(head -1 "$lock")
      if ! kill -0 "$pid" 2>/dev/null; then rm -f "$lock" "${lock%.lock}"; fi
    done
    pg_ctlcluster $cluster start
  fi
  # Trust a password-less local TCP login for the test role only.
  su postgres -c "psql -qtAc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='flm') THEN CREATE ROLE flm LOGIN SUPERUSER PASSWORD 'flm'; END IF; END \\\$\\\$;\"" >/dev/null
  if ! su postgres -c "psql -lqt" | cut -d'|' -f1 | grep -qw chinook; then
    if [ -f "$SHARED/data/chinook-postgres.sql" ]; then
      su postgres -c "psql -q -d postgres -f '$SHARED/data/chinook-postgres.sql'" >/dev/null 2>&1
      su postgres -c "psql -qtAc 'GRANT ALL ON DATABASE chinook TO flm'" >/dev/null
    fi
  fi
  su postgres -c "psql -lqt" | cut -d'|' -f1 | grep -qw flm_test || su postgres -c "createdb -O flm flm_test"
}

# The server started here inherits this redirect, so it holds no end of the caller's pipe.
setup >&2
echo "postgres://flm:flm@127.0.0.1:5432/flm_test"
