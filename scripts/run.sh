#!/usr/bin/env bash
# The main job: set everything up, check every definition, render every SOP to output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/sopdoc validate definitions --strict
.venv/bin/sopdoc render definitions --out output
