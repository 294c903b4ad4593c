"""Every path the program writes to comes from here.

Order of precedence: an explicit ``--data-dir``, then ``WUYE_DATA_DIR``,
then the platform's per-user data folder (on Windows
``%LOCALAPPDATA%\\WuyeDesktop``), so tests and portable installs can point
everything at one folder.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from wuye_desktop.errors import StorageError
from wuye_desktop.storage.private import make_folder

APP_NAME = "WuyeDesktop"
DB_FILE_NAME = "wuye.db"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / DB_FILE_NAME

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> DataPaths:
        """Create the folders (this user's only: storage/private.py), or say plainly why they cannot be used."""
        try:
            if not self.root.exists():  # a folder the user chose is left as it is; what the program makes is private
                make_folder(self.root)
            for folder in (self.attachments, self.backups, self.logs):
                make_folder(folder, ours=True)
        except OSError as exc:
            raise StorageError(
                f"无法使用数据文件夹“{self.root}”：{describe_os_error(exc)}。"
                "请检查路径是否存在、是否有写入权限，或用 --data-dir 指定其他文件夹。"
            ) from exc
        if not os.access(self.root, os.W_OK):
            raise StorageError(f"数据文件夹“{self.root}”不可写入，请检查文件夹权限。")
        return self


_ERRNO_TEXT = {
    errno.ENOENT: "路径不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EROFS: "位于只读的磁盘上",
    errno.ENOSPC: "磁盘空间已满",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EEXIST: "同名文件已存在",
}


def describe_os_error(exc: OSError) -> str:
    """The reason in Chinese, for the errors a clerk can fix."""
    return _ERRNO_TEXT.get(exc.errno or 0, exc.strerror or str(exc))


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> DataPaths:
    chosen = explicit or os.environ.get("WUYE_DATA_DIR") or default_data_dir()
    return DataPaths(check_path_text(Path(chosen), "数据文件夹").expanduser().absolute())


def check_path_text(path: Path, what: str) -> Path:
    """``path`` if its name is text; a name of bytes that are not UTF-8 (possible on Linux) cannot be
    written into the audit trail, a manifest or a message, so it is refused before anything is done. So is a
    name holding the character no file system takes (NUL)."""
    text = str(path)
    if "\x00" in text:
        raise StorageError(f"{what}“{text.replace(chr(0), '')}”无效：名称中有空字符，请换一个名称。")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            shown = os.fsencode(text).decode("utf-8", "backslashreplace")
        except UnicodeError:
            shown = text.encode("utf-8", "backslashreplace").decode("ascii")
        raise StorageError(f"{what}“{shown}”中有无法识别的字符（名称不是 UTF-8 编码），"
                           "请改用只含汉字、字母、数字等常用字符的名称。") from None
    return path


def looks_like_network_path(path: Path) -> bool:
    """A UNC path or a mapped network drive: SQLite's locking is not safe there."""
    text = str(path)
    # Windows' long-path forms: \\?\C:\... is a local drive, \\?\UNC\server\share a network share.
    long_form = next((p for p in ("\\\\?\\", "\\\\.\\", "//?/", "//./") if text.startswith(p)), "")
    if long_form:
        text = text[len(long_form):]
        if text[:4].upper() in ("UNC\\", "UNC/"):
            return True
    elif text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32" and len(text) >= 2 and text[1] == ":":
        import ctypes

        drive_remote = 4
        kernel32 = ctypes.windll.kernel32
        return bool(kernel32.GetDriveTypeW(text[:2] + "\\") == drive_remote)
    return False


# -- file names made from what users typed -----------------------------------------------------

WINDOWS_MAX_PATH = 259  # MAX_PATH less its final NUL: the longest path every Windows program can open
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                       *(f"{port}{n}" for port in ("COM", "LPT") for n in "123456789¹²³")})


def safe_file_name(text: str, suffix: str = "", folder: Path | None = None, longest: int = 120) -> str:
    """``text`` + ``suffix`` as a file name Windows accepts, whatever the user typed into ``text``.

    Characters Windows forbids (``<>:"/\\|?*`` and control characters) become
    ``_``; trailing dots and spaces (which Windows silently drops) go; a
    reserved device name (CON, NUL, COM1, LPT1, ... even with an extension)
    gets a leading ``_``. The name is at most ``longest`` characters, and short
    enough that ``folder`` joined with it stays within ``WINDOWS_MAX_PATH``.
    """
    stem = _FORBIDDEN.sub("_", text).strip().rstrip(". ") or "未命名"
    room = longest - len(suffix)
    if folder is not None:
        room = min(room, WINDOWS_MAX_PATH - len(str(folder)) - 1 - len(suffix))
    stem = stem[:max(room, 8)].rstrip(". ") or "未命名"
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    return stem + suffix
