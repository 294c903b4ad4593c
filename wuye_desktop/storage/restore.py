"""Putting a backup back: check it is a whole register this program can open, then copy it into place.

The copy goes *into* the live database through SQLite's backup API, which
holds the register's write lock while it writes and commits as one
transaction: other programs that have the register open wait and then see
the restored content, and a kill half way leaves the old register whole.
Renaming files instead would fail on Windows while any program has the
register open, and would pull the file from under it elsewhere.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from wuye_desktop.errors import StorageError
from wuye_desktop.storage import migrate
from wuye_desktop.storage.backup import (
    Progress,
    TargetError,
    discard,
    integrity_problems,
    is_sqlite_file,
    online_backup,
    read_only_uri,
    target_error,
)
from wuye_desktop.storage.engine import BUSY_TIMEOUT_MS
from wuye_desktop.storage.private import create_file

log = logging.getLogger(__name__)

# Tables every register has had since the first schema: without them it is some other program's file.
REGISTER_TABLES = frozenset({"alembic_version", "mediation_case", "party", "audit_event", "committee"})


@dataclass(frozen=True)
class BackupFacts:
    revision: str
    cases: int
    attachment_hashes: frozenset[str]

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != migrate.head_revision()


def inspect_backup(path: Path) -> BackupFacts:
    """What the backup holds, or ``StorageError`` saying why it cannot be restored; never writes to it."""
    if not path.is_file():
        raise StorageError(f"找不到备份文件“{path}”。")
    if not is_sqlite_file(path):
        raise StorageError(f"“{path.name}”不是台账备份文件（不是有效的数据库文件），没有做任何改动。")
    problems = integrity_problems(path)
    if problems:
        raise StorageError(f"备份文件“{path.name}”已损坏，不能用来恢复，台账没有任何改动："
                           + "；".join(problems[:3]))
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables >= REGISTER_TABLES:
            raise StorageError(f"“{path.name}”不是本程序的台账备份（缺少台账的数据表），没有做任何改动。")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None:
            raise StorageError(f"“{path.name}”没有数据库版本信息，不是本程序的台账备份，没有做任何改动。")
        revision = str(row[0])
        if not migrate.is_known(revision):
            raise StorageError(f"备份“{path.name}”由更新版本的程序创建（数据库版本 {revision}），"
                               "当前程序无法恢复它。请先安装最新版本的程序，台账没有任何改动。")
        cases = int(conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0])
        hashes = frozenset(r[0] for r in conn.execute("SELECT DISTINCT sha256 FROM attachment")) \
            if "attachment" in tables else frozenset()
    except sqlite3.Error as exc:
        raise StorageError(f"无法读取备份文件“{path.name}”（{exc}），没有做任何改动。") from exc
    finally:
        conn.close()
    return BackupFacts(revision, cases, hashes)


@dataclass(frozen=True)
class Identity:
    """Whose register a file is: its own uid (``""`` when written before registers had one), its committees
    and how many cases it holds."""

    uid: str
    committees: tuple[str, ...]
    cases: int


def identity(path: Path, uid_key: str) -> Identity | None:
    """The identity of the register in ``path`` (``uid_key``: the setting that holds its uid), or ``None``
    when the file cannot be read as a register (damaged, empty, missing); never writes to it."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", (uid_key,)).fetchone()
        names = tuple(sorted({str(r[0]) for r in conn.execute("SELECT name FROM committee")}))
        cases = int(conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    uid = ""
    if row is not None:
        try:
            value = json.loads(row[0]) if isinstance(row[0], str) else row[0]
        except ValueError:
            value = row[0]
        uid = value if isinstance(value, str) else ""
    return Identity(uid, names, cases)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def keep_aside(live: Path, target: Path) -> tuple[Path, bool]:
    """Save the current register before it is replaced; (where, whether it was a whole register).

    A whole register is copied with the backup API and checked; a damaged
    one (the usual reason for a restore) cannot pass that check, so its
    bytes are kept as they are, for whoever tries to rescue them later.
    """
    try:
        online_backup(live, target)
        return target, True
    except TargetError:
        raise  # the backups folder itself is full or read-only: stop before anything changes
    except StorageError as exc:
        log.warning("the register could not be copied whole (%s); keeping its bytes", exc.message)
    damaged = target.with_name(target.stem + "-已损坏" + target.suffix)
    try:
        _private_copy(live, damaged)
        wal = Path(str(live) + "-wal")
        if wal.exists():
            _private_copy(wal, Path(str(damaged) + "-wal"))
    except OSError as exc:
        discard(damaged)
        raise target_error(exc, target.parent) from exc
    return damaged, False


def _private_copy(source: Path, target: Path) -> None:
    with source.open("rb") as src, open(create_file(target, exclusive=False), "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def copy_into(backup: Path, live: Path, progress: Progress | None = None) -> None:
    """Make the live register's content the backup's, in one transaction under its write lock."""
    src = sqlite3.connect(read_only_uri(backup), uri=True)
    try:
        if live.exists() and not _usable(live):
            _replace_unusable(src, live)
            return
        dst = sqlite3.connect(live, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

            def report(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=1024, progress=report, sleep=0.05)
        except sqlite3.Error as exc:
            from wuye_desktop.storage.errors import translate

            known = translate(exc)
            raise StorageError("恢复没有完成，台账仍是恢复前的样子："
                               + (known.message if known else str(exc))) from exc
        finally:
            dst.close()
    finally:
        src.close()


def _usable(live: Path) -> bool:
    """Whether SQLite can write into the live file at all (a file of garbage it cannot)."""
    if not is_sqlite_file(live):
        return live.stat().st_size == 0
    try:
        conn = sqlite3.connect(read_only_uri(live), uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return True


def _replace_unusable(src: sqlite3.Connection, live: Path) -> None:
    """A live file SQLite cannot even open: write the backup beside it and swap the names."""
    fresh = live.with_name(live.name + ".restoring")  # not *.db: only the register lives at the root
    fresh.unlink(missing_ok=True)
    try:
        os.close(create_file(fresh))
        dst = sqlite3.connect(fresh)
        try:
            src.backup(dst)
        finally:
            dst.close()
        for suffix in ("-wal", "-shm"):  # they belong to the unusable file, not to the backup
            Path(str(live) + suffix).unlink(missing_ok=True)
        os.replace(fresh, live)
    except (OSError, sqlite3.Error) as exc:
        discard(fresh)
        raise StorageError(f"无法替换已损坏的台账文件（{exc}）。请关闭其他正在使用台账的程序后再试。") from exc
