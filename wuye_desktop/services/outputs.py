"""Where a file the user asked for may be written: never over the register or anything the program keeps.

Every writer of a file the user names (a printed document, a workbook, an
exchange file, the audit export, the 12345 replies, a backup folder) asks
here first. A path is refused when it resolves (``..``, symbolic links, and
without regard to case where the file system ignores it) to the register,
its ``-wal``/``-shm``/``-journal``, or anything inside the data folder's
``backups/``, ``attachments/`` or ``logs/``. The name must end as the file
written does (.pdf, .xlsx; an exchange file .wyx, or an ending no other kind
of file claims, such as .pkg). A file of another kind that is already
there is replaced only when the caller says the user agreed (``replace``).
The new file appears whole or not at all: it is written beside the target
under a temporary name, then moved over it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wuye_desktop.errors import DomainError, StorageError, ValidationError
from wuye_desktop.services.context import Context
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.paths import check_path_text, describe_os_error

__all__ = [
    "EXCHANGE_FILE", "PDF", "WORKBOOK", "ExistingFileError", "FileKind", "Target", "backup_folder", "check",
    "named", "replace_file", "saving", "target", "write_bytes",
]

_SIDECARS = ("-wal", "-shm", "-journal")  # SQLite's own files beside a register
_KEPT_FOLDERS = ("backups", "attachments", "logs")


@dataclass(frozen=True)
class FileKind:
    suffix: str  # ".pdf"
    label: str  # what the file is, as a message names it
    own_format: bool = False  # no program but this one opens it: any ending another kind does not claim will do


PDF = FileKind(".pdf", "PDF 文件")
WORKBOOK = FileKind(".xlsx", "Excel 工作簿")
EXCHANGE_FILE = FileKind(".wyx", "数据交换文件", own_format=True)  # rooms and counties have their own habits (.pkg)

# Endings that say the file is of another kind: a file of the program's own format never takes one, so that
# nobody opens an exchange file as a register, a workbook or a document, nor writes it where one is expected.
_CLAIMED = frozenset({".pdf", ".xlsx", ".xlsm", ".xls", ".csv", ".docx", ".doc", ".txt", ".json", ".db", ".sqlite",
                      ".sqlite3", ".wuyebak", ".key", ".exe", ".dll", ".lnk", ".bat", ".cmd", ".ini"})


@dataclass(frozen=True)
class Target:
    path: Path  # absolute, links resolved
    exists: bool  # a file is there now: replacing it needs the user's yes


class ExistingFileError(ValidationError):
    """The file is there and the user has not agreed to replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__({"path": f"文件“{path}”已存在，没有替换它。"})
        self.path = path


def named(path: str | Path, kind: FileKind) -> str:
    """The name as typed, with the kind's ending added when it has none (a save dialog's habit)."""
    text = str(path)
    return text if Path(text).suffix else text + kind.suffix


def target(ctx: Context, path: str | Path, kind: FileKind) -> Target:
    """The file to write, checked: ``ValidationError`` for a name that may not be written (the register, a wrong
    ending), ``StorageError`` for a place that cannot hold a file (a folder of that name, a file in the way)."""
    chosen = check_path_text(Path(path).expanduser(), "文件名")
    if not chosen.name or chosen.name in (".", ".."):
        raise _refused("请填写要保存的文件名")
    ending = chosen.suffix.lower()
    if ending != kind.suffix and (not kind.own_format or not ending or ending in _CLAIMED):
        space = " " if kind.label[0].isascii() else ""  # 是 PDF 文件, 是数据交换文件
        raise _refused(f"文件名“{chosen.name}”应以 {kind.suffix} 结尾：这里保存的是{space}{kind.label}，请换一个文件名")
    if sys.platform == "win32" and ":" in chosen.name:
        raise _refused(f"文件名“{chosen.name}”中不能有冒号，请换一个文件名")
    parent = chosen.parent if str(chosen.parent) else Path(".")
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise StorageError(f"无法保存到文件夹“{parent}”：其中的“{existing}”是一个文件，不是文件夹，请换一个文件夹")
    if existing != parent:  # a typo in the folder more often than a wish for a new one
        raise _refused(f"无法保存到文件夹“{parent}”：它不存在，请先选择一个已有的文件夹")
    resolved = Path(os.path.realpath(Path(os.path.realpath(parent)) / chosen.name))
    if resolved.is_dir():
        raise StorageError(f"无法保存到“{chosen}”：这是一个文件夹，请填写文件名")
    _refuse_kept(ctx.db, resolved, chosen)
    return Target(resolved, resolved.exists())


def check(ctx: Context, path: str | Path, kind: FileKind, *, replace: bool = False) -> Path:
    """``target``, and an ``ExistingFileError`` if a file is there that the user has not agreed to replace."""
    found = target(ctx, path, kind)
    if found.exists and not replace:
        raise ExistingFileError(found.path)
    return found.path


def backup_folder(ctx: Context, folder: str | Path) -> Path:
    """A folder the user picked for a backup: anywhere but inside what the program keeps."""
    chosen = check_path_text(Path(folder).expanduser(), "备份位置")
    resolved = Path(os.path.realpath(chosen))
    kept = _kept(ctx.db)
    if kept is not None:
        if any(_same(resolved, f) for f in kept.files):
            raise ValidationError.single("folder", f"“{chosen}”是台账数据库文件，不能作为备份位置，请选择一个文件夹")
        for name, inside in kept.folders.items():
            if inside is None:
                continue
            found = _within(resolved, inside)
            if found is not None and (found or name != "backups"):  # backups itself is the usual place
                raise ValidationError.single(
                    "folder", f"备份位置“{chosen}”在数据文件夹的 {name} 中，那里是程序自己保管的文件。"
                              "请选择另一个文件夹，例如U盘")
    return resolved


# -- what the program keeps ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Kept:
    files: list[Path]  # the register and its SQLite files beside it
    folders: dict[str, Path | None]  # backups / attachments / logs of the data folder, where they exist


def _kept(db: Database) -> _Kept | None:
    registers: list[Path] = []
    if db.paths is not None:
        registers.append(db.paths.database)
    live = _sqlite_file(db)
    if live is not None:
        registers.append(live)
    files = [Path(os.path.realpath(r.parent)) / (r.name + end) for r in registers for end in ("", *_SIDECARS)]
    folders: dict[str, Path | None] = {}
    if db.paths is not None:
        for name in _KEPT_FOLDERS:
            place = db.paths.root / name
            folders[name] = Path(os.path.realpath(place)) if place.is_dir() else None
    return _Kept(files, folders) if files or folders else None


def _sqlite_file(db: Database) -> Path | None:
    name = db.engine.url.database if db.is_sqlite else None
    if not name or name == ":memory:":
        return None
    if name.startswith("file:"):  # sqlite's URI form: file:/path/wuye.db?mode=ro
        name = name[len("file:"):].split("?", 1)[0]
    return Path(name).absolute()


def _refuse_kept(db: Database, resolved: Path, chosen: Path) -> None:
    kept = _kept(db)
    if kept is None:
        return
    for file in kept.files:
        if _same(resolved, file):
            what = "台账数据库的日志文件" if file.name.endswith(_SIDECARS) else "台账数据库"
            raise _refused(f"“{chosen}”是本机的{what}，不能用导出的文件替换它。请换一个文件名或文件夹")
    for name, inside in kept.folders.items():
        if inside is not None and _within(resolved.parent, inside) is not None:
            raise _refused(f"“{chosen}”在数据文件夹的 {name} 中，那里是程序自己保管的文件。"
                           "请保存到其他文件夹，例如“文档”或U盘")


def _same(path: Path, kept: Path) -> bool:
    """Whether ``path`` names the file ``kept`` (which may not exist yet, like a -wal file)."""
    if path.exists() and kept.exists():
        try:
            return os.path.samefile(path, kept)
        except OSError:
            return False
    if not (path.parent.is_dir() and kept.parent.is_dir()):
        return False
    try:
        same_folder = os.path.samefile(path.parent, kept.parent)
    except OSError:
        return False
    if not same_folder:
        return False
    return path.name == kept.name or (_ignores_case(path.parent) and path.name.casefold() == kept.name.casefold())


def _within(path: Path, folder: Path) -> bool | None:
    """None when ``path`` is outside ``folder``; False when it is the folder itself; True when inside it."""
    inside = False
    for step in (path, *path.parents):
        if step.exists() and _same(step, folder):
            return inside
        inside = True
    return None


def _ignores_case(folder: Path) -> bool:
    """Whether this folder's file system finds a name whatever its case (Windows, macOS), tried on a name in it."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                other = entry.name.swapcase()
                if other != entry.name:
                    probe = folder / other
                    try:
                        return probe.exists() and os.path.samefile(probe, entry.path)
                    except OSError:
                        return False
    except OSError:
        pass
    return sys.platform in ("win32", "darwin")


def _refused(message: str) -> ValidationError:
    return ValidationError.single("path", message)


# -- writing -------------------------------------------------------------------------------------


@contextmanager
def saving(target: Path) -> Iterator[str]:
    """A temporary file beside ``target`` to write into; gone afterwards unless moved into place."""
    try:
        handle, temp = tempfile.mkstemp(prefix=".wuye-", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise DomainError(f"无法在文件夹“{target.parent}”中保存：{describe_os_error(exc)}") from None
    os.close(handle)
    try:
        yield temp
    except OSError as exc:  # disk full, folder removed meanwhile, ...
        raise DomainError(f"无法写入“{target.name}”：{describe_os_error(exc)}") from None
    finally:
        if os.path.exists(temp):
            os.remove(temp)


def replace_file(temp: str, target: Path) -> None:
    """Move the finished file into place in one step: the old file stays whole until then."""
    try:
        os.replace(temp, target)
    except PermissionError:
        raise DomainError(f"无法写入“{target.name}”：文件可能正被其他程序（如 Excel、WPS 或 PDF 阅读器）打开，"
                          "请关闭后重试") from None
    except OSError as exc:
        raise DomainError(f"无法写入“{target.name}”：{describe_os_error(exc)}") from None


def write_bytes(target: Path, data: bytes) -> None:
    """The whole file, or the old one left as it was."""
    with saving(target) as temp:
        with open(temp, "wb") as out:
            out.write(data)
        replace_file(temp, target)
