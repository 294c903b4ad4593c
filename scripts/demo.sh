#!/usr/bin/env bash
# Install the program into .venv, fill ./demo-data with a demo register (once), and start it.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e .
[[ -f demo-data/wuye.db ]] || .venv/bin/wuye --data-dir demo-data demo --cases "${DEMO_CASES:-3000}" --seed 1
exec .venv/bin/wuye-desktop --data-dir demo-data
