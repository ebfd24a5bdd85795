#!/usr/bin/env bash
# Set up sopdoc on Debian 12 or 13: system programs (only those missing), then the
# Python package in .venv. Safe to run again; it does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system.sh

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "sopdoc memerlukan Python 3.11 atau lebih baru; $("$PYTHON" --version 2>&1) terpasang." >&2
  echo "Pakai Debian 12 (bookworm) atau 13 (trixie), atau beri PYTHON=/jalur/python3.11 bash scripts/setup.sh" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "Membuat lingkungan Python di .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.sopdoc-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Memasang paket Python sopdoc"
  .venv/bin/python -m pip install -q --upgrade pip
  # The build backend's note on editable installs is for developers, not for the person setting up.
  PYTHONWARNINGS=ignore .venv/bin/python -m pip install -q -e '.[test]'
  touch "$stamp"
fi
