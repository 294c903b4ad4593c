"""Copies of a live SQLite register made with SQLite's online backup API.

Never a file copy: a copy taken while another process writes can be torn.
A copy is written under a ``.partial`` name, checked, and only then given
its real name, so a backup that was cut off (a kill, a full USB stick, a
cancel) never looks like a finished one.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

from wuye_desktop.errors import DomainError, StorageError
from wuye_desktop.storage.paths import describe_os_error
from wuye_desktop.storage.private import create_file, make_folder, restrict

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

PARTIAL_SUFFIX = ".partial"
PAGES_PER_STEP = 256  # 1 MB of 4 KB pages between progress reports and cancel checks
SQLITE_MAGIC = b"SQLite format 3\x00"


class TargetError(StorageError):
    """The backup folder cannot take the copy (full, read-only, unplugged); the register itself is fine."""


class BackupCancelledError(DomainError):
    """The user (or the program closing) stopped a backup; nothing half-written is left behind."""

    def __init__(self) -> None:
        super().__init__("备份已取消，没有留下不完整的备份文件。")


def online_backup(source: Path, target: Path, progress: Progress | None = None, *,
                  cancelled: Cancelled | None = None) -> None:
    """Copy ``source`` to ``target`` page by page while others may keep writing."""
    partial = partial_name(target)
    try:
        discard(partial)  # a leftover of a copy that was killed: SQLite must not take it for a database
        write_snapshot(source, partial, progress, cancelled)
        problems = integrity_problems(partial)
        if problems:
            raise StorageError("备份写入后校验失败：" + "；".join(problems[:3]))
        publish(partial, target)
    except BaseException:
        discard(partial)
        raise


def partial_name(target: Path) -> Path:
    return target.with_name(target.name + PARTIAL_SUFFIX)


def write_snapshot(source: Path, partial: Path, progress: Progress | None = None,
                   cancelled: Cancelled | None = None) -> None:
    """Write one consistent snapshot of ``source`` to ``partial`` (new or empty; self-contained, no -wal).

    The copy is its user's only (0600) before its first page is written.
    """
    folder = partial.parent
    try:
        make_folder(folder)
        if partial.exists():
            restrict(partial)
        else:
            os.close(create_file(partial))
    except OSError as exc:
        raise target_error(exc, folder) from exc
    try:
        # mode=rw: a register that is not there must not be created empty just to be copied.
        src = sqlite3.connect(_uri(source, "rw"), uri=True, isolation_level=None, timeout=30)
    except sqlite3.Error as exc:
        raise StorageError(f"找不到或无法打开台账数据库“{source}”，备份没有完成。") from exc
    try:
        # One read transaction for the whole copy: every step sees the same snapshot, so writers
        # in other processes go on (WAL) and the copy never restarts or mixes two moments.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        dst = sqlite3.connect(partial, isolation_level=None)
        try:
            def report(_status: int, remaining: int, total: int) -> None:
                if cancelled is not None and cancelled():
                    raise BackupCancelledError  # SQLite abandons the copy when the callback raises
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=PAGES_PER_STEP, progress=report, sleep=0.05)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise _copy_error(exc, folder) from exc
    finally:
        src.close()


def publish(partial: Path, target: Path) -> None:
    """Give a checked copy its real name, durably, as the newest file of its folder."""
    try:
        restrict(partial)
        _fsync_file(partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
        # A rename keeps the time the pages were written; "the newest file in the folder" must be
        # this backup even if bookkeeping was written just before it. The clock read here is finer
        # than the file system's own timestamps, which could otherwise tie with the manifest's.
        now = time.time_ns()
        os.utime(target, ns=(now, now))
    except OSError as exc:
        raise target_error(exc, target.parent) from exc


def discard(partial: Path) -> None:
    try:
        partial.unlink(missing_ok=True)
    except OSError as exc:  # a read-only or vanished USB stick: nothing more can be done there
        log.warning("could not remove %s: %s", partial, exc)


def target_error(exc: BaseException, folder: Path) -> TargetError:
    """What went wrong writing into a backup folder, in the words a clerk can act on."""
    where = f"备份位置“{folder}”"
    text = str(exc).lower()
    code = exc.errno if isinstance(exc, OSError) else None
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or "disk is full" in text:
        return TargetError(f"{where}磁盘空间已满，备份没有完成，也没有留下不完整的文件。"
                            "请清理空间或换一个空间足够的U盘或文件夹后再备份。")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text or "read-only" in text:
        return TargetError(f"{where}是只读的或没有写入权限，备份没有完成。"
                            "请换一个可以写入的文件夹（U盘是否打开了写保护？）。")
    if code == errno.EIO or "disk i/o error" in text:
        return TargetError(f"写入{where}时读写出错，备份没有完成。请检查U盘是否已拔出或损坏。")
    if "unable to open" in text:
        return TargetError(f"无法在{where}创建备份文件。请检查文件夹是否存在、是否可以写入。")
    if isinstance(exc, OSError):
        return TargetError(f"无法写入{where}：{describe_os_error(exc)}。备份没有完成。")
    return TargetError(f"写入{where}失败（{exc}），备份没有完成。")


def _copy_error(exc: sqlite3.Error, folder: Path) -> StorageError:
    """A failed copy is the backup folder's fault (full, read-only, unplugged) or the register's."""
    text = str(exc).lower()
    if any(word in text for word in ("disk is full", "readonly", "read-only", "disk i/o", "unable to open")):
        return target_error(exc, folder)
    from wuye_desktop.storage.errors import translate

    known = translate(exc)
    if known is not None:
        return StorageError(f"无法读取台账数据库，备份没有完成：{known.message}")
    return StorageError(f"读取台账数据库时出错（{exc}），备份没有完成。")


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- checking a file ---------------------------------------------------------------------


def read_only_uri(path: Path) -> str:
    return _uri(path, "ro")


def _uri(path: Path, mode: str) -> str:
    # In a URI "#" starts a fragment and "?" the options: a folder named "3#楼" must still be found.
    escaped = str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{escaped}?mode={mode}"


def integrity_problems(path: Path, cancelled: Cancelled | None = None) -> list[str]:
    """What SQLite's own integrity and foreign-key checks find wrong; empty when clean."""
    return _problems(path, "integrity_check", foreign_keys=True, cancelled=cancelled)


def quick_problems(path: Path) -> list[str]:
    """SQLite's ``quick_check``: finds damaged pages in a fraction of the full check's time."""
    return _problems(path, "quick_check", foreign_keys=False)


def _problems(path: Path, pragma: str, *, foreign_keys: bool, cancelled: Cancelled | None = None) -> list[str]:
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        return [f"无法打开：{exc}"]
    if cancelled is not None:
        # The full check of a big register takes seconds: let a cancel interrupt it.
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, 20_000)
    try:
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        problems = [
            f"数据库内容已损坏（SQLite 报告：{str(r[0]).replace('*** in database main ***', '').strip()}）"
            for r in rows if r[0] != "ok"
        ]
        if foreign_keys:
            problems += [
                f"表 {table} 第 {rowid} 行引用了不存在的 {parent} 记录"
                for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall()
            ]
        return problems
    except sqlite3.DatabaseError as exc:
        if cancelled is not None and cancelled():
            raise BackupCancelledError from exc
        if "malformed" in str(exc).lower():  # a register whose pages are damaged, not another kind of file
            return [f"数据库文件已损坏（{exc}）"]
        return [f"不是有效的数据库文件（{exc}）"]
    finally:
        conn.close()


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
