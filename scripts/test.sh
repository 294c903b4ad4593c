#!/usr/bin/env bash
# Set up and run the whole test suite: the system packages the tests need (Debian/Ubuntu,
# scripts/system-packages.txt), .venv from requirements.lock (hash-checked), then pytest.
# Where a PostgreSQL server is installed (the list has it), a throwaway one is started on
# loopback and every database test runs on SQLite and on PostgreSQL; otherwise on SQLite only.
# Extra arguments go to pytest, e.g.  bash scripts/test.sh -k search
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh test
bash scripts/venv.sh

export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z ${WUYE_TEST_PG_URL:-} && -n $PGBIN && -x $PGBIN/initdb ]]; then
  PGDATA=$(mktemp -d /tmp/wuye-test-pg.XXXXXX)
  PGPORT=${WUYE_TEST_PG_PORT:-54329}
  as_pg=()
  if [[ $(id -u) == 0 ]]; then chown postgres:postgres "$PGDATA"; as_pg=(runuser -u postgres --); fi
  chmod 700 "$PGDATA"
  "${as_pg[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off -c max_connections=200" start >/dev/null
  trap '"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1; rm -rf "$PGDATA"' EXIT
  export WUYE_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
  echo "PostgreSQL test server on 127.0.0.1:$PGPORT"
fi

.venv/bin/python -m pytest "$@"
