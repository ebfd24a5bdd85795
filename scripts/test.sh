#!/usr/bin/env bash
# Set everything up (with the browser the studio's tests drive), then run the whole test suite (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system.sh test
bash scripts/setup.sh
.venv/bin/python -m pytest -q "$@"
