#!/usr/bin/env bash
# Refresh requirements.lock from pyproject.toml: every package of the program and of its extras
# (test, build), pinned with the sha256 of each of its files, for Linux and Windows alike.
# Run it after changing a requirement in pyproject.toml, then commit requirements.lock:
#   bash scripts/lock.sh              # keeps every pin that still fits; resolves only what changed
#   bash scripts/lock.sh --upgrade    # newest versions that fit (extra arguments go to uv pip compile)
set -euo pipefail
cd "$(dirname "$0")/.."
UV=uv==0.13.9  # the resolver, pinned so the same pyproject.toml gives the same lock

PYTHON=${PYTHON:-python3}
[[ -x .venv/bin/python || -x .venv/Scripts/python.exe ]] || "$PYTHON" -m venv .venv
PY=.venv/bin/python
[[ -x $PY ]] || PY=.venv/Scripts/python.exe
"$PY" -m pip install -q --disable-pip-version-check "$UV"

"$PY" -m uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
  --generate-hashes --custom-compile-command "bash scripts/lock.sh" --quiet -o requirements.lock "$@"
"$PY" scripts/check_lock.py --digest >>requirements.lock
"$PY" scripts/check_lock.py
echo "requirements.lock: $(grep -c '^[a-z0-9]' requirements.lock) packages pinned with their hashes"
