#!/usr/bin/env bash
# Make .venv hold exactly what requirements.lock pins (hash-checked), then the program itself.
#   bash scripts/venv.sh
# Quick when nothing changed: the lock and pyproject.toml last installed are remembered in .venv.
# Linux and macOS (.venv/bin) and Windows Git Bash (.venv/Scripts) alike; PYTHON picks the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[[ -x .venv/bin/python || -x .venv/Scripts/python.exe ]] || "$PYTHON" -m venv .venv
PY=.venv/bin/python
[[ -x $PY ]] || PY=.venv/Scripts/python.exe

"$PY" scripts/check_lock.py  # pyproject.toml changed without bash scripts/lock.sh: say so, install nothing

STAMP=.venv/wuye-installed
wanted=$(cat requirements.lock pyproject.toml | "$PY" -c "import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())")
[[ -f $STAMP && $(<"$STAMP") == "$wanted" ]] && exit 0

echo "Installing the locked packages into .venv (requirements.lock)"
"$PY" -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
"$PY" -m pip install -q --disable-pip-version-check --no-deps -e .
echo "$wanted" >"$STAMP"
