"""The Windows installer script, read as NSIS reads it: an update and an uninstall never touch the room's records.

The register, its backups and attachments live in ``%LOCALAPPDATA%\\WuyeDesktop``;
the program in ``%LOCALAPPDATA%\\Programs\\WuyeDesktop``. CI also compiles the
script with makensis against the built bundle (installer/check_installer_script.sh).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path, PureWindowsPath

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "installer" / "wuye_desktop.nsi"
SPEC = ROOT / "installer" / "wuye_desktop.spec"
DATA = PureWindowsPath("C:/Users/王晓燕/AppData/Local/WuyeDesktop")
LOCALAPPDATA = "C:\\Users\\王晓燕\\AppData\\Local"


def _lines() -> list[str]:
    text = SCRIPT.read_text(encoding="utf-8")
    defines = dict(re.findall(r'^\s*!define\s+(\w+)\s+"([^"]*)"', text, flags=re.MULTILINE))
    for _ in range(3):  # defines made of defines
        text = re.sub(r"\$\{(\w+)\}", lambda m: defines.get(m[1], m[0]), text)
    return [line.split(";", 1)[0].strip() if not line.strip().startswith(("MessageBox", "!define")) else line.strip()
            for line in text.splitlines()]


def _block(start: str, end: str) -> list[str]:
    lines = _lines()
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i in range(first, len(lines)) if lines[i] == end)
    return [line for line in lines[first + 1:last] if line]


def _where(argument: str, instdir: str) -> PureWindowsPath:
    """A path argument as Windows would see it, for a user whose install folder is ``instdir``."""
    return PureWindowsPath(argument.replace("$LOCALAPPDATA", LOCALAPPDATA).replace("$INSTDIR", instdir))


def _removals(section: list[str]) -> list[tuple[str, str]]:
    found = []
    for line in section:
        words = shlex.split(line, posix=False)
        if words and words[0] in ("Delete", "RMDir"):
            recursive = "/r" in words
            found.append(("RMDir /r" if recursive else words[0], words[-1].strip('"')))
    return found


UNINSTALL = _block('Section "Uninstall"', "SectionEnd")
INSTALL = _block('Section "程序文件"', "SectionEnd")


@pytest.mark.parametrize("instdir", [
    "$LOCALAPPDATA\\Programs\\WuyeDesktop",  # the default
    "D:\\物业调解\\程序",  # a folder the user chose
])
def test_uninstalling_removes_nothing_in_the_data_folder(instdir: str) -> None:
    for command, argument in _removals(UNINSTALL):
        path = _where(argument, instdir.replace("$LOCALAPPDATA", LOCALAPPDATA))
        assert path != DATA and DATA not in path.parents, f"{command} {argument} would touch the room's records"


def test_uninstalling_never_empties_the_whole_install_folder() -> None:
    """Only the program's own parts go: a folder the user chose may hold other files too."""
    for command, argument in _removals(UNINSTALL):
        assert not (command == "RMDir /r" and argument.rstrip("\\") == "$INSTDIR"), "RMDir /r $INSTDIR"
    assert ("RMDir", "$INSTDIR") in _removals(UNINSTALL), "the emptied folder itself goes"


def test_the_uninstaller_says_where_the_records_are_kept_and_does_not_stop_a_silent_uninstall() -> None:
    message = next(line for line in UNINSTALL if line.startswith("MessageBox"))
    assert "$LOCALAPPDATA\\WuyeDesktop" in message and "仍保留" in message
    assert "/SD IDOK" in message


def test_an_update_installs_into_the_same_folder_and_replaces_the_old_program_first() -> None:
    lines = _lines()
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\WuyeDesktop"' in lines
    assert 'InstallDirRegKey HKCU "Software\\WuyeDesktop" "InstallDir"' in lines
    assert 'WriteRegStr HKCU "Software\\WuyeDesktop" "InstallDir" "$INSTDIR"' in INSTALL
    copy = next(i for i, line in enumerate(INSTALL) if line.startswith("File /r"))
    removed_first = {argument for _command, argument in _removals(INSTALL[:copy])}
    assert removed_first == {"$INSTDIR\\_internal", "$INSTDIR\\wuye-desktop.exe", "$INSTDIR\\wuye.exe"}
    for _command, argument in _removals(INSTALL):
        path = _where(argument, LOCALAPPDATA + "\\Programs\\WuyeDesktop")
        assert path != DATA and DATA not in path.parents


def test_the_program_parts_are_the_bundles_one_folder_layout() -> None:
    """What an update replaces and the uninstaller removes is what PyInstaller's spec makes."""
    spec = SPEC.read_text(encoding="utf-8")
    executables = set(re.findall(r'exclude_binaries=True, name="([^"]+)"', spec))
    assert executables == {"wuye-desktop", "wuye"}
    parts = {f"$INSTDIR\\{name}.exe" for name in executables} | {"$INSTDIR\\_internal"}  # PyInstaller 6's folder
    assert {argument for _command, argument in _removals(INSTALL)} == parts
    assert {argument for _command, argument in _removals(UNINSTALL)} >= parts | {"$INSTDIR\\uninstall.exe"}


def test_the_program_cannot_be_installed_into_the_data_folder() -> None:
    check = _block("Function .onVerifyInstDir", "FunctionEnd")
    assert any("$LOCALAPPDATA\\WuyeDesktop" in line for line in check) and "Abort" in check
