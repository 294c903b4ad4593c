#!/usr/bin/env bash
# Compile installer/wuye_desktop.nsi with makensis against the one-folder bundle installer/build.sh made.
#   bash installer/check_installer_script.sh [BUNDLE]     # dist/wuye-desktop unless told
# On Linux the bundle is a Linux one, so the setup.exe made here is NOT a Windows program (it
# would install Linux files): what this proves is the installer script. It compiles with this
# NSIS, with warnings as errors; every file it takes exists; and the program parts it replaces on
# an update and removes on uninstall are exactly the bundle's top-level entries. The Windows
# installer itself is made on Windows (installer/README.md, .github/workflows/windows.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=${1:-dist/wuye-desktop}
NSI=installer/wuye_desktop.nsi
[[ -d $BUNDLE ]] || { echo "no bundle at $BUNDLE: run bash installer/build.sh first" >&2; exit 1; }

# The bundle's parts, named as on Windows (wuye-desktop.exe, wuye.exe, _internal).
uninstall=$(sed -n '/^Section "Uninstall"/,/^SectionEnd/p' "$NSI")
install=$(sed -n '/^Section "程序文件"/,/^SectionEnd/p' "$NSI")
for entry in "$BUNDLE"/*; do
  name=$(basename "$entry")
  if [[ -d $entry ]]; then command="RMDir /r"; else command="Delete"; [[ $name == *.exe ]] || name=$name.exe; fi
  for section in install uninstall; do
    grep -qF "$command \"\$INSTDIR\\$name\"" <<<"${!section}" || {
      echo "FAILED: $NSI's $section section does not replace/remove the bundle's $name ($command)" >&2; exit 1; }
  done
done

OUT=build/installer-script-check
rm -rf "$OUT" && mkdir -p "$OUT"
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' wuye_desktop/__init__.py)
# Not compressed (UNCOMPRESSED): LZMA over a 270 MB bundle takes minutes and proves nothing more.
makensis -V2 -WX -DUNCOMPRESSED -DVERSION="$VERSION" -DSOURCE_DIR="$(realpath "$BUNDLE")" \
  -DOUT_FILE="$(realpath "$OUT")/wuye-desktop-$VERSION-linux-payload.exe" "$NSI"
size=$(du -h "$OUT"/*.exe | cut -f1)
rm -rf "$OUT"  # a Linux payload in a setup.exe: nothing anyone should run
echo "installer script: $NSI compiles against $BUNDLE ($size uncompressed; a Linux payload, so this proves the script only)"
