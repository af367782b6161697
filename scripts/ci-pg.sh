#!/usr/bin/env bash
# A throwaway PostgreSQL (Debian's package) on 127.0.0.1 for tests and benchmarks.
#   export DATABASE_URL="$(bash scripts/ci-pg.sh start)"; trap 'bash scripts/ci-pg.sh stop' EXIT
# Env: PGPORT (15432), PGROOT (<tmp>/onething-pg-$PGPORT), PG_FAST=1 turns fsync off (tests only; benchmarks set 0).
# `resume` starts the existing cluster again after it was killed (crash recovery from its WAL); it never runs initdb.
# stdout carries only the URL; messages go to stderr.
set -euo pipefail
PGPORT="${PGPORT:-15432}"
PGROOT="${PGROOT:-${TMPDIR:-/tmp}/onething-pg-$PGPORT}"
PGDATA="$PGROOT/data"

# Debian keeps pg_ctl and initdb off PATH: find them through the newest installed postgresql-NN package.
pg_bin() {
  local pkg
  pkg="$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'postgresql-[0-9]*' 2>/dev/null | awk '$1=="ii"{print $2}' | sort -V | tail -1)"
  [ -n "$pkg" ] && dirname "$(dpkg-query -L "$pkg" | grep -m1 'bin/pg_ctl$')" || true
}
# initdb refuses to run as root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
url() { echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"; }

install() {
  [ -n "$(pg_bin)" ] && return 0
  [ "$(id -u)" = 0 ] || { echo "ci-pg: PostgreSQL is not installed and this is not root" >&2; exit 1; }
  echo "ci-pg: installing PostgreSQL" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
}

start() {
  install
  local bin; bin="$(pg_bin)"
  if [ -f "$PGDATA/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    echo "ci-pg: already running on $PGPORT" >&2; url; return 0
  fi
  rm -rf "$PGROOT"; mkdir -p "$PGROOT"
  [ "$(id -u)" = 0 ] && chown postgres: "$PGROOT"
  as_pg "$bin/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$PGROOT/server.log" -w -t 60 -o "$(server_opts)" start >/dev/null
  "$bin/pg_isready" -h 127.0.0.1 -p "$PGPORT" -q
  echo "ci-pg: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT" >&2
  url
}

server_opts() {
  local opts="-h 127.0.0.1 -p $PGPORT -k $PGROOT -c max_connections=300"
  [ "${PG_FAST:-1}" = 1 ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  echo "$opts"
}

# The crash harness kills PostgreSQL with SIGKILL and brings the same cluster back: start would wipe it.
resume() {
  local bin; bin="$(pg_bin)"
  [ -n "$bin" ] && [ -f "$PGDATA/PG_VERSION" ] || { echo "ci-pg: no cluster in $PGDATA to resume" >&2; exit 1; }
  if ! as_pg "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$PGROOT/server.log" -w -t 120 -o "$(server_opts)" start >/dev/null
  fi
  "$bin/pg_isready" -h 127.0.0.1 -p "$PGPORT" -q
  url
}

stop() {
  local bin; bin="$(pg_bin)"
  if [ -n "$bin" ] && [ -f "$PGDATA/PG_VERSION" ]; then as_pg "$bin/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$PGROOT"
}

case "${1:-start}" in
  start) start ;;
  resume) resume ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|resume|stop|url" >&2; exit 2 ;;
esac
