#!/usr/bin/env bash
# What the whole test suite needs beside Python, for `make test` and `.ci/run` alike:
#   - PostgreSQL and Redis where DATABASE_URL and REDIS_URL point (when they are set):
#     started when installed on this machine and down;
#   - Debian's Chromium (the browser tests), Java and npm (the W3C Nu HTML Checker):
#     installed from Debian when missing;
#   - vnu.jar from npm (scripts/node_tools.sh).
# Installing and starting services needs root; without it, a missing piece stops this
# script with the exact command to run. Idempotent: when all is there it only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${PORTAL_CHROMIUM:-/usr/bin/chromium}"
missing=()
is_root() { [ "$(id -u)" = 0 ]; }
say() { printf 'provision: %s\n' "$*"; }
# "host port" of a URL like scheme://user@host:port/db (defaults: 127.0.0.1 and $2).
host_port() {
  local rest="${1#*://}"
  rest="${rest#*@}"
  rest="${rest%%/*}"
  local host="${rest%%:*}" port="${rest##*:}"
  [ "$port" = "$rest" ] && port="$2"
  echo "${host:-127.0.0.1} $port"
}
is_local() { [ "$1" = 127.0.0.1 ] || [ "$1" = localhost ] || [ "$1" = "::1" ]; }

# --- Services ---------------------------------------------------------------------------
if [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" == postgres* ]]; then
  read -r pg_host pg_port < <(host_port "$DATABASE_URL" 5432)
  if ! pg_isready -h "$pg_host" -p "$pg_port" -q 2>/dev/null; then
    cluster="$(ls /etc/postgresql 2>/dev/null | head -1 || true)"
    start="pg_ctlcluster --skip-systemctl-redirect ${cluster:-VERSION} main start"
    if is_local "$pg_host" && [ -n "$cluster" ] && is_root; then
      say "starting PostgreSQL"
      $start
      for _ in $(seq 30); do pg_isready -h "$pg_host" -p "$pg_port" -q && break; sleep 1; done
    fi
    if ! pg_isready -h "$pg_host" -p "$pg_port" -q 2>/dev/null; then
      say "PostgreSQL is not answering on $pg_host:$pg_port (DATABASE_URL)."
      if [ -n "$cluster" ]; then
        say "start it with:  sudo $start"
      else
        say "install it with:  sudo apt-get install -y postgresql  (or point DATABASE_URL elsewhere)"
      fi
      exit 1
    fi
  fi
fi

if [ -n "${REDIS_URL:-}" ]; then
  read -r redis_host redis_port < <(host_port "$REDIS_URL" 6379)
  ping() { redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1; }
  if ! ping; then
    start='redis-server --daemonize yes --bind 127.0.0.1 --port '"$redis_port"' --save "" --appendonly no'
    if is_local "$redis_host" && command -v redis-server >/dev/null && is_root; then
      say "starting Redis"
      eval "$start"
      for _ in $(seq 30); do ping && break; sleep 1; done
    fi
    if ! ping; then
      say "Redis is not answering on $redis_host:$redis_port (REDIS_URL)."
      if command -v redis-server >/dev/null; then
        say "start it with:  sudo $start"
      else
        say "install it with:  sudo apt-get install -y redis-server  (or point REDIS_URL elsewhere)"
      fi
      exit 1
    fi
  fi
fi

# As in production (README "Security"): a memory cap, and eviction of expiring keys only
# (the cache's), never of the Celery queues. The deploy check (core.checks) is tested
# against this server, so set it when it differs.
if [ -n "${REDIS_URL:-}" ]; then
  redis() { redis-cli -h "$redis_host" -p "$redis_port" "$@"; }
  if [ "$(redis config get maxmemory | tail -1)" = 0 ] ||
    [ "$(redis config get maxmemory-policy | tail -1)" != volatile-lru ]; then
    say "Redis: maxmemory 512mb, maxmemory-policy volatile-lru (as in production)"
    redis config set maxmemory 512mb >/dev/null
    redis config set maxmemory-policy volatile-lru >/dev/null
  fi
fi

# --- Chromium, Java, npm from Debian ------------------------------------------------------
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if is_root && command -v apt-get >/dev/null; then
    say "installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "the browser tests and the HTML checker need: ${missing[*]}"
    say "install them with:  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi
[ -x "$CHROMIUM" ] || { say "no Chromium at $CHROMIUM (PORTAL_CHROMIUM)"; exit 1; }

# --- vnu.jar (npm devDependencies) ------------------------------------------------------
bash scripts/node_tools.sh
