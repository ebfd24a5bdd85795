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
# Install exactly requirements.lock (versions and file hashes), then sopdoc itself from this checkout
# without fetching anything more. The stamp holds the lock's checksum: a second run installs nothing,
# and a changed lock (or pyproject.toml) is installed again.
stamp=.venv/.sopdoc-installed
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Memasang paket Python sopdoc (versi terkunci di requirements.lock)"
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  # The build backend's note on editable installs is for developers, not for the person setting up.
  PYTHONWARNINGS=ignore .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi
