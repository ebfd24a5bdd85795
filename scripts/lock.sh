#!/usr/bin/env bash
# Write requirements.lock: every package sopdoc, its tests and its editable install use, pinned
# to one version with the hashes of its files. One universal file serves every Python from 3.11
# on (Debian 12's 3.11 and Debian 13's 3.13), with markers where a package differs.
#
#   bash scripts/lock.sh            keep the locked versions, add or drop only what pyproject.toml's
#                                   dependencies now ask for
#   bash scripts/lock.sh --upgrade  move every package to the newest release pyproject.toml allows,
#                                   then install the new lock and run the whole test suite
#
# The lock is made with uv (a tool for developers, kept in .venv-lock/, never needed by set-up).
set -euo pipefail
cd "$(dirname "$0")/.."
upgrade=()
[ "${1:-}" = "--upgrade" ] && upgrade=(--upgrade)

if [ ! -x .venv-lock/bin/uv ]; then
  python3 -m venv .venv-lock
  .venv-lock/bin/python -m pip install -q uv
fi
# The build backend goes into the lock too: set-up installs sopdoc itself without fetching anything.
build_requires=$(python3 -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))')
printf '%s\n' "$build_requires" | .venv-lock/bin/uv pip compile pyproject.toml - --extra test \
  --universal --python-version 3.11 --generate-hashes --custom-compile-command "bash scripts/lock.sh" --quiet "${upgrade[@]}" \
  --output-file requirements.lock
echo "requirements.lock ditulis ($(grep -c '^[a-z]' requirements.lock) paket)."

if [ ${#upgrade[@]} -gt 0 ]; then
  git --no-pager diff --stat -- requirements.lock || true
  bash scripts/test.sh
fi
