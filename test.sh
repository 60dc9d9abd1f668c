#!/usr/bin/env bash
# Runs ruff, then every test: unit, app (AppTest) and browser (Playwright + Debian's Chromium).
# Sets up .venv on first use and installs Chromium, HAProxy, PostgreSQL and npm with apt-get when they are missing
# (and axe-core with npm).
# Extra arguments go to pytest, e.g. ./test.sh -k textbook
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Debian's chromium for the browser tests (the font draws the Chinese page in screenshots)
# and haproxy for the two-replica tests of deploy/loopback.sh
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-wqy-microhei)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
# and postgresql for the class's answers shared by the replicas (deploy/loopback.sh starts it)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# and npm for axe-core, the accessibility checker of the browser tests
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian's ${missing[*]} for the browser and deployment tests..."
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# axe-core from the npm registry: the browser tests check every page for accessibility violations with it
AXE_VERSION=4.14.1
if [ ! -f .axe/node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-audit --no-fund --no-save --prefix .axe "axe-core@$AXE_VERSION" >/dev/null
fi

.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
