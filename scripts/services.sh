#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer at DATABASE_URL / REDIS_URL (default: 127.0.0.1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PGHOST_=${PGHOST:-127.0.0.1}
REDIS_HOST_=${REDIS_HOST:-127.0.0.1}

pg_up() { pg_isready -q -h "$PGHOST_" -p 5432 2>/dev/null || (exec 3<>/dev/tcp/$PGHOST_/5432) 2>/dev/null; }
redis_up() { redis-cli -h "$REDIS_HOST_" ping 2>/dev/null | grep -q PONG || \
  (exec 3<>/dev/tcp/$REDIS_HOST_/6379 && printf 'PING\r\n' >&3 && read -t 2 -r line <&3 && [[ $line == +PONG* ]]) 2>/dev/null; }

if [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" != *"127.0.0.1"* && "$DATABASE_URL" != *"localhost"* ]]; then
  echo "Using PostgreSQL at DATABASE_URL (not started here)."
elif ! pg_up; then
  bash "$here/ensure-system.sh" postgresql
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  if [ -z "$version" ]; then
    echo "PostgreSQL is installed but has no cluster. Run: pg_createcluster --start 15 main" >&2; exit 1
  fi
  echo "Starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL did not start. Try: pg_ctlcluster $version main start" >&2; exit 1; }
fi

if [ -n "${REDIS_URL:-}" ] && [[ "$REDIS_URL" != *"127.0.0.1"* && "$REDIS_URL" != *"localhost"* ]]; then
  echo "Using Redis at REDIS_URL (not started here)."
elif ! redis_up; then
  bash "$here/ensure-system.sh" redis-server
  echo "Starting Redis on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  redis_up || { echo "Redis did not start. Try: redis-server --daemonize yes --bind 127.0.0.1" >&2; exit 1; }
fi
echo "PostgreSQL and Redis are up."
