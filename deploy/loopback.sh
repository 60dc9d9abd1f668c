#!/usr/bin/env bash
# Two replicas of the app behind HAProxy on this machine's loopback, with deploy/haproxy.cfg,
# the configuration compose.yaml uses; no Docker needed. Stops everything on exit or Ctrl-C.
#   deploy/loopback.sh [proxy port, default 8640]      then open http://127.0.0.1:8640
set -euo pipefail
cd "$(dirname "$0")/.."
PROXY_PORT="${1:-8640}"
APP_PORTS=("${APP1_PORT:-8641}" "${APP2_PORT:-8642}")
PYTHON="${PYTHON:-.venv/bin/python}"
HAPROXY="${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}"
export STREAMLIT_SERVER_COOKIE_SECRET="${COOKIE_SECRET:-loopback-$$}"

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

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
