#!/usr/bin/env bash
# Set up sopdoc on Debian/Ubuntu: system programs (only those missing), then the
# Python package in .venv. Safe to run again; it does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system.sh

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Membuat lingkungan Python di .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.sopdoc-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Memasang paket Python sopdoc"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  touch "$stamp"
fi
