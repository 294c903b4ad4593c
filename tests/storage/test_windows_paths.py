"""Where the program keeps things on Windows, and the Windows rules for the paths it makes.

These run on Linux with Windows' semantics: ``sys.platform`` set to
``win32``, platformdirs' Windows class reading ``%LOCALAPPDATA%`` and
``%APPDATA%`` the way it does on Windows, a stand-in for ``ctypes.windll``
where the program asks Windows about a drive, and ``PureWindowsPath`` to
judge the names and paths it makes.
"""

from __future__ import annotations

import base64
import ctypes
import importlib
import sys
import types
from collections.abc import Iterator
from pathlib import Path, PureWindowsPath

import keyring
import keyring.backend
import keyring.backends.Windows
import platformdirs
import platformdirs.windows
import pytest
from keyring.backends.chainer import ChainerBackend

from wuye_desktop.services.safety.checks import network_warning
from wuye_desktop.storage import keys
from wuye_desktop.storage.paths import WINDOWS_MAX_PATH, default_data_dir, looks_like_network_path, safe_file_name

LOCAL = "C:\\Users\\王晓燕\\AppData\\Local"
ROAMING = "C:\\Users\\王晓燕\\AppData\\Roaming"


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """sys.platform is win32 and platformdirs answers as on Windows, from the user's environment."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "_RESOLVE_WIN_FOLDER", platformdirs.windows.get_win_folder_from_env_vars)
    monkeypatch.setenv("LOCALAPPDATA", LOCAL)
    monkeypatch.setenv("APPDATA", ROAMING)
    monkeypatch.delenv("WUYE_CONFIG_DIR", raising=False)


def test_the_register_lives_in_the_users_local_app_data(windows: None) -> None:
    assert PureWindowsPath(str(default_data_dir())) == PureWindowsPath(LOCAL, "WuyeDesktop")


def test_the_registers_secrets_are_kept_apart_from_the_data_folder(windows: None) -> None:
    config, data = PureWindowsPath(str(keys.config_dir())), PureWindowsPath(str(default_data_dir()))
    assert config == PureWindowsPath(ROAMING, "WuyeDesktop")
    assert config != data and data not in config.parents, "a copy of the data folder must not carry the keys"


def test_the_data_folder_is_the_one_the_uninstaller_keeps(windows: None) -> None:
    script = (Path(__file__).resolve().parents[2] / "installer" / "wuye_desktop.nsi").read_text(encoding="utf-8")
    assert '!define DATA_DIR "$LOCALAPPDATA\\WuyeDesktop"' in script
    assert PureWindowsPath(str(default_data_dir())).relative_to(LOCAL) == PureWindowsPath("WuyeDesktop")


# -- network shares and mapped drives ---------------------------------------------------------------


class _Kernel32:
    """GetDriveTypeW as Windows answers it: Z: is a mapped network drive, C: and D: are local disks."""

    DRIVE_FIXED, DRIVE_REMOTE = 3, 4

    def __init__(self) -> None:
        self.asked: list[str] = []

    def GetDriveTypeW(self, root: str) -> int:  # noqa: N802 - the Windows API's name
        self.asked.append(root)
        return self.DRIVE_REMOTE if root.upper() == "Z:\\" else self.DRIVE_FIXED


@pytest.fixture
def kernel32(windows: None, monkeypatch: pytest.MonkeyPatch) -> _Kernel32:
    fake = _Kernel32()
    monkeypatch.setattr(ctypes, "windll", types.SimpleNamespace(kernel32=fake), raising=False)
    return fake


@pytest.mark.parametrize("text", ["Z:\\台账", "z:\\", "\\\\server\\调解室\\台账", "//nas/share/wuye",
                                  "\\\\?\\UNC\\server\\share\\wuye", "\\\\?\\Z:\\台账"])
def test_a_share_or_a_mapped_network_drive_is_recognised(kernel32: _Kernel32, text: str) -> None:
    assert looks_like_network_path(Path(text))


@pytest.mark.parametrize("text", [LOCAL + "\\WuyeDesktop", "D:\\调解室", "\\\\?\\C:\\长路径\\台账"])
def test_a_local_disk_is_not_a_network_path(kernel32: _Kernel32, text: str) -> None:
    assert not looks_like_network_path(Path(text))
    assert kernel32.asked, "the drive's type was asked of Windows"


def test_a_register_on_a_mapped_drive_is_warned_about_and_one_on_c_is_not(kernel32: _Kernel32) -> None:
    warning = network_warning(data_dir="Z:\\调解室\\台账")
    assert warning is not None and "网络共享" in warning and "Z:\\调解室\\台账" in warning
    assert network_warning(data_dir="C:\\调解室\\台账") is None


# -- the keyring: Windows Credential Manager ------------------------------------------------------


class _CredentialManager:
    """win32ctypes' win32cred as the keyring calls it, over a dictionary instead of the user's vault."""

    CRED_TYPE_GENERIC, CRED_PERSIST_ENTERPRISE = 1, 3
    __name__ = "win32cred"  # keyring touches it to be sure the module is really there

    def __init__(self, error: type[Exception]) -> None:
        self.vault: dict[str, dict[str, object]] = {}
        self._error = error

    def CredRead(self, Type: int, TargetName: str) -> dict[str, object]:  # noqa: N802, N803 - win32cred's names
        if TargetName not in self.vault:
            raise self._error(1168, "CredRead", "Element not found.")
        return dict(self.vault[TargetName])

    def CredWrite(self, credential: dict[str, object], flags: int) -> None:  # noqa: N802
        blob = credential["CredentialBlob"]
        self.vault[str(credential["TargetName"])] = {**credential, "CredentialBlob": str(blob).encode("utf-16-le")}

    def CredDelete(self, Type: int, TargetName: str) -> None:  # noqa: N802, N803
        self.vault.pop(TargetName, None)


class _WinError(Exception):
    def __init__(self, winerror: int, funcname: str, strerror: str) -> None:
        super().__init__(winerror, funcname, strerror)
        self.winerror, self.funcname, self.strerror = winerror, funcname, strerror


@pytest.fixture
def credential_manager(windows: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[_CredentialManager]:
    """keyring's Windows backend loaded as on Windows, with pywin32-ctypes answering from a dictionary."""
    manager = _CredentialManager(_WinError)
    pywin32 = types.ModuleType("win32ctypes.pywin32")
    pywin32.win32cred = manager  # type: ignore[attr-defined]
    pywin32.pywintypes = types.SimpleNamespace(error=_WinError)  # type: ignore[attr-defined]
    package = types.ModuleType("win32ctypes")
    package.pywin32 = pywin32  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "win32ctypes", package)
    monkeypatch.setitem(sys.modules, "win32ctypes.pywin32", pywin32)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    importlib.reload(keyring.backends.Windows)
    _forget_found_keyrings()
    yield manager
    monkeypatch.undo()
    importlib.reload(keyring.backends.Windows)
    _forget_found_keyrings()


def _forget_found_keyrings() -> None:
    vars(keyring.backend.get_all_keyring).pop("saved_result", None)  # keyring looks for backends once a process


def test_on_windows_the_keyring_is_the_credential_manager_and_the_secrets_go_there(
        credential_manager: _CredentialManager, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # no keyringrc.cfg of this machine's
    monkeypatch.setenv("WUYE_CONFIG_DIR", str(tmp_path / "config"))
    # keyring's own choice among its own backends (this process also holds other tests' stand-ins)
    chosen = keyring.core._detect_backend(lambda backend: type(backend).__module__.startswith("keyring."))
    first = chosen.backends[0] if isinstance(chosen, ChainerBackend) else chosen
    # (by name: reloading the module under Windows' semantics makes a second WinVaultKeyring class)
    assert (type(first).__module__, type(first).__name__) == ("keyring.backends.Windows", "WinVaultKeyring"), chosen
    keyring.set_keyring(chosen)  # the autouse fixture puts the tests' own back afterwards

    made = keys.load_or_create("abc123", "audit-key")
    stored = credential_manager.vault[keys.KEYRING_SERVICE]
    assert stored["UserName"] == "abc123/audit-key"
    assert base64.b64decode(bytes(stored["CredentialBlob"]).decode("utf-16-le")) == made  # type: ignore[call-overload]
    assert keys.load_or_create("abc123", "audit-key") == made
    assert not (tmp_path / "config" / "keys").exists(), "no secret written to a file"


# -- file names made from what users typed, and long paths --------------------------------------

FORBIDDEN = '<>:"/\\|?*'


@pytest.mark.parametrize("typed", [
    "幸福里/东区", "调解:协议", 'a<b>c"d|e?f*g', "\\\\server\\share", "结尾的点.", "结尾的空格  ", "...",
    "CON", "prn", "Aux.协议", "NUL", "COM1", "lpt9", "COM1.台账", "CON .pdf", "制表\t符", "",
])
def test_any_typed_text_becomes_a_file_name_windows_accepts(typed: str) -> None:
    name = safe_file_name(typed, ".pdf")
    assert name.endswith(".pdf")
    stem = name[:-4]
    assert stem and not any(c in stem for c in FORBIDDEN) and all(ord(c) >= 32 for c in stem)
    assert not stem.endswith((".", " "))
    windows = PureWindowsPath("C:/Users/王晓燕/Documents", name)
    assert windows.name == name and windows.parent == PureWindowsPath("C:/Users/王晓燕/Documents")
    assert not windows.is_reserved(), name
    assert not PureWindowsPath(stem).is_reserved(), name


def test_ordinary_chinese_names_are_left_as_typed() -> None:
    assert safe_file_name("幸福里-2026年11月", ".wyx") == "幸福里-2026年11月.wyx"
    number = "人民调解协议书（2026）幸福里调协字第12号"
    assert safe_file_name(number, ".pdf") == f"{number}.pdf"


def test_a_long_name_is_cut_so_the_whole_path_stays_within_windows_limit() -> None:
    folder = PureWindowsPath("C:/Users/王晓燕/AppData/Local/Temp/wuye-attachments")
    name = safe_file_name("很长的附件名" * 60, ".jpg", Path(str(folder)))
    assert name.endswith(".jpg") and len(str(folder / name)) <= WINDOWS_MAX_PATH
    assert len(safe_file_name("很长的名字" * 60, ".pdf")) <= 120, "a name a clerk can read in the save dialog"
    deep = PureWindowsPath("C:/" + "很深的文件夹/" * 40)
    assert len(safe_file_name("协议", ".pdf", Path(str(deep)))) > 4, "too deep a folder still gets a name"
