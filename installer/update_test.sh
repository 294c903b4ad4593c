#!/usr/bin/env bash
# A newer program installed over an older one, the way installer/wuye_desktop.nsi does it, on Linux:
#   bash installer/update_test.sh [BUNDLE]     # dist/wuye-desktop (from installer/build.sh) unless told
# 1. An "installed" program folder holding the bundle, with a file only the older version had,
#    and a data folder holding the register the oldest release left (tests/fixtures/registers).
# 2. The update as the installer's main section does it: the old program parts go, the new
#    bundle is copied in; the data folder is not touched (checked byte for byte).
# 3. The updated program: the old version's file is gone, it upgrades the register (its safety
#    copy taken first, in backups/) and `wuye check` passes, and the frozen smoke test passes in
#    the installed folder.
# One build stands for both versions (there is one source tree here); what is proven is the
# update's steps, the data folder left alone, and the register upgraded by the frozen program.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=$(realpath "${1:-dist/wuye-desktop}")
PY=.venv/bin/python
[[ -d $BUNDLE ]] || { echo "no bundle at $BUNDLE: run bash installer/build.sh first" >&2; exit 1; }
WORK=$(mktemp -d /tmp/wuye-update.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PROGRAM=$WORK/Programs/WuyeDesktop DATA=$WORK/WuyeDesktop
OLDEST=$(ls tests/fixtures/registers/*.db | sort | head -n 1)
exe=; [[ -f $BUNDLE/wuye.exe ]] && exe=.exe

# 1. the older install and its data
mkdir -p "$WORK/Programs" "$DATA/attachments"
cp -a "$BUNDLE" "$PROGRAM"
echo "a library only the older version shipped" >"$PROGRAM/_internal/only-in-the-older-version.dll"
cp "$OLDEST" "$DATA/wuye.db"
echo "a party's papers" >"$DATA/attachments/scan.pdf"
before=$(cd "$DATA" && find . -type f -exec sha256sum {} + | sort)

# 2. the update, step by step as the .nsi's main section
rm -rf "$PROGRAM/_internal" "$PROGRAM/wuye-desktop$exe" "$PROGRAM/wuye$exe"
cp -a "$BUNDLE/." "$PROGRAM/"
[[ $(cd "$DATA" && find . -type f -exec sha256sum {} + | sort) == "$before" ]] || {
  echo "FAILED: installing the update changed the data folder" >&2; exit 1; }

# 3. the updated program
[[ ! -e $PROGRAM/_internal/only-in-the-older-version.dll ]] || {
  echo "FAILED: a file of the older version is still in the program folder" >&2; exit 1; }
"$PROGRAM/wuye$exe" --data-dir "$DATA" init  # what the window's first start does too
"$PROGRAM/wuye$exe" --data-dir "$DATA" check | grep -q "与程序一致" || {
  echo "FAILED: the register is not at the program's schema after the update" >&2; exit 1; }
made_by=$(basename "$OLDEST" | cut -d- -f1)
ls "$DATA/backups/"*"-$made_by-"*.db >/dev/null 2>&1 || {
  echo "FAILED: no safety copy of the register from before its upgrade in $DATA/backups" >&2; exit 1; }
cmp -s "$DATA/attachments/scan.pdf" <(echo "a party's papers") || { echo "FAILED: an attachment changed" >&2; exit 1; }
"$PY" installer/smoke_test.py "$PROGRAM"
echo "update over an older install: program replaced, data folder kept, register $(basename "$OLDEST") upgraded with its safety copy, smoke test passes"
