#!/usr/bin/env bash
# Runs ruff, then every test: unit, app (AppTest) and browser (Playwright + Debian's Chromium).
# Sets up .venv on first use and installs Chromium with apt-get when it is missing.
# Extra arguments go to pytest, e.g. ./test.sh -k textbook
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

if ! command -v chromium >/dev/null 2>&1; then
  echo "Chromium is missing; installing Debian's package for the browser tests..."
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # the font draws the Chinese page in screenshots
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
