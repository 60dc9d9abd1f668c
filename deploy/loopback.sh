#!/usr/bin/env bash
# Two replicas of the app behind HAProxy on this machine's loopback, with deploy/haproxy.cfg,
# the configuration compose.yaml uses; no Docker needed. Stops everything on exit or Ctrl-C.
#   deploy/loopback.sh [proxy port, default 8640]      then open http://127.0.0.1:8640
#   CLASS_POSTGRES=1 deploy/loopback.sh                the class's answers in Debian's PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
PROXY_PORT="${1:-8640}"
APP_PORTS=("${APP1_PORT:-8641}" "${APP2_PORT:-8642}")
PYTHON="${PYTHON:-.venv/bin/python}"
HAPROXY="${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}"
export STREAMLIT_SERVER_COOKIE_SECRET="${COOKIE_SECRET:-loopback-$$}"

pids=()
PG_DIR=""
stop() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ -n "$PG_DIR" ]; then
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
trap stop EXIT INT TERM

# CLASS_POSTGRES=1: the class's answers in Debian's PostgreSQL (a throwaway cluster), so that
# students on both replicas are counted together; otherwise CLASS_DB as given, or each replica's SQLite
if [ -n "${CLASS_POSTGRES:-}" ]; then
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  PG_PORT="${PG_PORT:-8643}"
  PG_DIR="$(mktemp -d)"
  AS_PG=()
  if [ "$(id -u)" -eq 0 ]; then  # PostgreSQL does not run as root
    chown postgres "$PG_DIR"
    AS_PG=(runuser -u postgres --)
  fi
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U class --no-sync >/dev/null
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U class class
  export CLASS_DB="postgresql+psycopg://class@127.0.0.1:$PG_PORT/class"
  echo "postgresql port $PG_PORT"
fi

for i in "${!APP_PORTS[@]}"; do
  "$PYTHON" -m streamlit run app.py --server.address 127.0.0.1 --server.port "${APP_PORTS[$i]}" \
    --server.headless true --server.fileWatcherType none >/dev/null 2>&1 &
  pids+=($!)
  echo "replica app$((i + 1)) port ${APP_PORTS[$i]} pid $!"
done
# HAProxy starts once the replicas answer, so that it never marks them down while they start
"$PYTHON" - "${APP_PORTS[@]}" <<'WAIT'
import sys, time, urllib.request
for port in sys.argv[1:]:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"the replica on port {port} did not start")
            time.sleep(0.3)
WAIT
LISTEN="127.0.0.1:$PROXY_PORT" APP1="127.0.0.1:${APP_PORTS[0]}" APP2="127.0.0.1:${APP_PORTS[1]}" \
  "$HAPROXY" -db -f deploy/haproxy.cfg &
proxy=$!
pids+=("$proxy")
echo "http://127.0.0.1:$PROXY_PORT  (replicas on ${APP_PORTS[*]}; Ctrl-C stops all)"
wait "$proxy"  # a replica that dies leaves the others serving, as in a class
