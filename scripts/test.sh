#!/usr/bin/env bash
# The whole test suite: lint, the no-Odoo layer, and the Odoo layer when an Odoo 18 is found
# at $ODOO_PATH or /opt/odoo18 (skipped with one clear line otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
ruff check .
ruff format --check .
python -m pytest "$@"
