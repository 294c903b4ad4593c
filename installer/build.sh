#!/usr/bin/env bash
# Build the one-folder program with PyInstaller and smoke-test the frozen result.
# On Windows (Git Bash) the same script builds the .exe bundle; then, where makensis
# is installed, the Chinese per-user installer (dist/wuye-desktop-VERSION-setup.exe).
#   bash installer/build.sh            # bundle + smoke test
#   bash installer/build.sh --installer  # also compile the NSIS installer
# PyInstaller and everything bundled come from requirements.lock (scripts/venv.sh, hash-checked).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh build  # Debian/Ubuntu: Qt's libraries and fonts for the smoke test, nsis
bash scripts/venv.sh
PY=${PY:-.venv/bin/python}
[[ -x $PY ]] || PY=.venv/Scripts/python.exe
VERSION=$("$PY" -c "import wuye_desktop; print(wuye_desktop.__version__)")

rm -rf build/pyinstaller dist/wuye-desktop
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/wuye_desktop.spec
echo "bundle: dist/wuye-desktop ($(du -sh dist/wuye-desktop | cut -f1))"

"$PY" installer/smoke_test.py dist/wuye-desktop

if [[ ${1:-} == --installer ]]; then
  makensis -V2 -DVERSION="$VERSION" -DSOURCE_DIR=../dist/wuye-desktop installer/wuye_desktop.nsi
  echo "installer: dist/wuye-desktop-$VERSION-setup.exe"
fi
