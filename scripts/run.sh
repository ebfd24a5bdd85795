#!/usr/bin/env bash
# The main job: set everything up, check every definition, and export everything to output/
# (every SOP as DOCX and PDF, every unit's book, the index, the monitoring forms, one ZIP).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/sopdoc validate definitions --strict
.venv/bin/sopdoc export definitions --out output
