#!/usr/bin/env bash
# Every package a Windows PC installs from requirements.lock has a 64-bit Windows wheel for
# CPython 3.11 (the Python the installer ships) on the package index, with a hash the lock knows.
#   bash scripts/check-windows-wheels.sh [LOCK]    # requirements.lock unless told
# Nothing is built from source on a room's PC or on the Windows build machine, so a pin
# without a Windows wheel would only show there: this finds it from Linux. It needs an index
# that serves Windows wheels (PyPI does; a mirror of Linux wheels only does not): where the
# index has none, this fails and says so rather than passing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh  # scripts/windows_requirements.py reads the lock with packaging
PY=.venv/bin/python
[[ -x $PY ]] || PY=.venv/Scripts/python.exe

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LOCK=${1:-requirements.lock}
"$PY" scripts/windows_requirements.py "$LOCK" >"$WORK/windows.txt"
wanted=$(wc -l <"$WORK/windows.txt")

if ! "$PY" -m pip download -q --disable-pip-version-check --platform win_amd64 --python-version 3.11 \
    --implementation cp --only-binary=:all: --no-deps -d "$WORK/wheels" -r "$WORK/windows.txt" \
    >"$WORK/pip.log" 2>&1; then
  grep -v "^WARNING: Location" "$WORK/pip.log" >&2 || true
  echo "FAILED: not every pinned package resolves as a Windows wheel (win_amd64, CPython 3.11) from this machine's package index." >&2
  echo "Either a pin in requirements.lock has no Windows wheel, or the index used here does not serve Windows wheels (pip config list: $("$PY" -m pip config list 2>/dev/null | tr '\n' ' '))." >&2
  exit 1
fi
got=$(find "$WORK/wheels" -name '*.whl' | wc -l)
not_windows=$(find "$WORK/wheels" -name '*.whl' ! -name '*-win_amd64.whl' ! -name '*-none-any.whl' | wc -l)
if ((got != wanted || not_windows)); then
  echo "FAILED: $got wheels for $wanted pinned packages ($not_windows not for Windows)" >&2
  exit 1
fi
echo "Windows wheels: all $wanted packages a Windows PC installs from requirements.lock resolve for win_amd64, CPython 3.11, hashes as locked ($(find "$WORK/wheels" -name '*-win_amd64.whl' | wc -l) compiled, the rest pure Python)"
