"""Backups of the register: automatic ones in the data folder, manual ones to a folder the user picks.

Every backup is a consistent snapshot taken with SQLite's online backup API
while the program (and others) keep working, together with the scans in
``attachments/``; it is checked (integrity and foreign keys) before it gets
its name, and its sha256 goes into the backups folder's manifest, with the
anchor of the audit trail it holds (its newest entry's number and code), which
a restore checks (``services/safety/restore.py``).

A backup that leaves the PC (any folder outside the data folder: a USB
stick) is encrypted with a passphrase the user chooses (``storage/sealed.py``):
the snapshot is taken into the data folder, sealed with its scans into one
file on the stick, and that file is read back, decrypted and checked before
it gets its name. The passphrase is kept nowhere: not in the register, the
manifest, the log or the audit trail. Backups inside the data folder stay
plain, so the program can restore them on its own when the register is
damaged.

Automatic backups: at start-up when today has none yet, and on exit when
something was saved since the last one (every change writes an audit entry,
so the newest audit entry's id says whether anything changed). They are
thinned to the newest of each of the last 7 days, 4 weeks and 12 months
(settings ``backup.keep_*``). A register on a PostgreSQL server is backed
up by the server's own tools, not here.

Restoring is in ``services/safety/restore.py``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from wuye_desktop.errors import StorageError, ValidationError
from wuye_desktop.services import audit, outputs, settings
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.storage import sealed
from wuye_desktop.storage.backup import (
    PARTIAL_SUFFIX,
    BackupCancelledError,
    Cancelled,
    Progress,
    discard,
    integrity_problems,
    partial_name,
    publish,
    read_only_uri,
    sha256_of,
    target_error,
    write_snapshot,
)
from wuye_desktop.storage.backup_store import (
    POOL,
    Entry,
    Kind,
    Manifest,
    attachment_hashes,
    content_path,
    copy_attachments,
    kind_from_name,
    prune_pool,
)
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.paths import DataPaths
from wuye_desktop.storage.private import create_file, make_folder
from wuye_desktop.storage.retention import Retention, to_keep

log = logging.getLogger(__name__)

SERVER_MESSAGE = ("这本台账在数据库服务器上，由服务器管理员用 PostgreSQL 的备份工具（pg_dump）备份和恢复；"
                  "本程序只备份本机的台账文件。")
SAFETY_COPIES_KEPT = 5  # copies taken before a restore; older ones go
PROGRESS_TOTAL = 1000
PASSPHRASE_MIN = 8
ENCRYPTED_SUFFIX = sealed.SUFFIX


@dataclass(frozen=True)
class BackupInfo:
    """One backup as the 备份恢复 page and ``wuye backup --list`` show it."""

    path: str
    kind: str  # 自动备份, 手动备份, 恢复前副本, ...
    created: datetime
    size: int
    verified: bool | None  # None: a file found in the folder that the manifest does not know
    cases: int | None
    revision: str
    sha256: str
    present: bool  # False: on a USB stick that is not plugged in, or deleted
    attachments: int = 0
    encrypted: bool = False  # restored only with the passphrase it was made with


def local_paths(db: Database) -> tuple[DataPaths, Path]:
    """The data folder and the register file, or ``StorageError`` for a register on a server."""
    name = db.engine.url.database if db.is_sqlite else None
    if db.paths is None or not name or name == ":memory:":
        raise StorageError(SERVER_MESSAGE)
    return db.paths, Path(name)


def is_local(ctx: Context) -> bool:
    """Whether this program backs the register up (a file here), or the server's tools do."""
    try:
        local_paths(ctx.db)
    except StorageError:
        return False
    return True


def _info(entry: Entry) -> BackupInfo:
    return BackupInfo(str(entry.path), entry.kind.label, entry.created, entry.size, entry.verified,
                      entry.cases, entry.revision, entry.sha256, entry.path.exists(), entry.attachments,
                      entry.encrypted)


# -- listing ---------------------------------------------------------------------------------


@requires(Permission.BACKUP)
def list_backups(ctx: Context) -> list[BackupInfo]:
    """Backups this data folder knows of, newest first, and any other copy lying in its backups folder."""
    if not ctx.db.is_sqlite:
        return []
    paths, _live = local_paths(ctx.db)
    entries = Manifest(paths.backups).entries()
    known = {e.path.name for e in entries if e.path.parent == paths.backups}
    found = [_info(e) for e in entries if e.path.exists() or e.path.parent != paths.backups]
    if paths.backups.is_dir():
        for file in (*paths.backups.glob("*.db"), *paths.backups.glob(f"*{ENCRYPTED_SUFFIX}")):
            if file.name not in known and not file.name.startswith("."):
                stat = file.stat()
                found.append(BackupInfo(str(file), kind_from_name(file.name).label,
                                        datetime.fromtimestamp(stat.st_mtime), stat.st_size,
                                        None, None, "", "", True, encrypted=sealed.is_sealed(file)))
    return sorted(found, key=lambda b: b.created, reverse=True)


def latest_good(paths: DataPaths) -> list[Entry]:
    """Verified backups whose files are here, newest first: the way out of a damaged register.

    Encrypted ones are left out: the program restores these at start-up on its own, with nobody to ask
    for a passphrase.
    """
    return [e for e in Manifest(paths.backups).entries()
            if e.verified and not e.encrypted and e.kind is not Kind.BEFORE_RESTORE and e.path.is_file()]


# -- making one ------------------------------------------------------------------------------


def leaves_the_pc(ctx: Context, folder: str | Path | None) -> bool:
    """Whether a backup into ``folder`` goes outside the data folder, and so must be encrypted."""
    if not folder:
        return False
    paths, _live = local_paths(ctx.db)
    return _outside(Path(folder).expanduser().absolute(), paths)


def _outside(target: Path, paths: DataPaths) -> bool:
    try:
        return not target.resolve().is_relative_to(paths.root.resolve())
    except OSError:
        return True


def check_passphrase(passphrase: str) -> str:
    """The rule for a new backup's passphrase; the passphrase as it is used, or ``ValidationError``."""
    if not passphrase.strip():
        raise ValidationError.single("passphrase", "备份密码不能为空：备份到U盘等电脑以外的位置时必须加密")
    if len(passphrase) < PASSPHRASE_MIN:
        raise ValidationError.single("passphrase", f"备份密码太短：至少要 {PASSPHRASE_MIN} 个字符")
    return passphrase


@requires(Permission.BACKUP)
def back_up(ctx: Context, folder: str | Path | None = None, progress: Progress | None = None,
            cancelled: Cancelled | None = None, passphrase: str | None = None) -> BackupInfo:
    """A backup now, into ``folder`` (a USB stick) or the data folder's backups folder.

    Outside the data folder it is encrypted with ``passphrase``, which it then needs; inside, a
    passphrase given encrypts it too.
    """
    paths, _live = local_paths(ctx.db)
    target = outputs.backup_folder(ctx, folder) if folder else paths.backups
    if passphrase is None and _outside(target, paths):
        raise ValidationError.single("passphrase", f"“{target}”在数据文件夹以外（例如U盘），备份到那里必须加密："
                                     "请设置备份密码。")
    if passphrase is not None:
        check_passphrase(passphrase)
    entry = make_backup(ctx.db, target, Kind.MANUAL, ctx.now(), progress, cancelled, passphrase=passphrase)
    try:
        with ctx.db.writing() as session:
            audit.record(session, ctx.actor, "backup", "register", "",
                         {"file": str(entry.path), "sha256": entry.sha256, "cases": entry.cases,
                          "encrypted": entry.encrypted})
    except StorageError as exc:  # a read-only register can still be copied out; say so in the log
        log.warning("backup %s made but not audited: %s", entry.path, exc.message)
    return _info(entry)


def make_backup(db: Database, folder: Path, kind: Kind, now: datetime,
                progress: Progress | None = None, cancelled: Cancelled | None = None, *,
                passphrase: str | None = None) -> Entry:
    """Snapshot, attachments, check, checksum, manifest, and only then the backup's real name."""
    paths, live = local_paths(db)
    if not live.is_file():
        raise StorageError("数据文件夹中还没有台账数据库，没有可以备份的内容。")
    if passphrase is not None:
        return _make_encrypted(paths, live, folder, kind, now, passphrase, _Phases(progress), cancelled)
    _remove_stale_partials(folder)
    target = free_name(folder, f"{kind.file_prefix}-{now:%Y%m%d-%H%M%S}")
    partial = partial_name(target)
    report = _Phases(progress)
    manifest = Manifest(paths.backups)
    try:
        write_snapshot(live, partial, report.phase(0, 700), cancelled)
        files = copy_attachments(paths.attachments, folder / POOL, cancelled)
        report.at(750)
        problems = integrity_problems(partial, cancelled)
        if problems:
            raise StorageError("备份写入后校验失败（完整性或外键检查未通过），备份没有完成："
                               + "；".join(problems[:3]))
        report.at(900)
        entry = Entry(target, kind, now, partial.stat().st_size, sha256_of(partial), True,
                      *copy_facts(partial), files, audit_mac=audit_anchor_of(partial))
        _record_and_publish(manifest, entry, partial, cancelled)
    except BaseException:
        discard(partial)
        raise
    report.at(PROGRESS_TOTAL)
    log.info("backup written: %s (%d bytes, %d cases)", target, entry.size, entry.cases)
    return entry


def _record_and_publish(manifest: Manifest, entry: Entry, partial: Path, cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise BackupCancelledError  # the last moment a cancel can still leave no backup behind
    # The manifest first: the newest file in a backup folder must be the backup itself.
    manifest.add(entry)
    try:
        publish(partial, entry.path)
    except BaseException:
        manifest.remove([entry.path])
        raise


def _make_encrypted(paths: DataPaths, live: Path, folder: Path, kind: Kind, now: datetime, passphrase: str,
                    report: _Phases, cancelled: Cancelled | None) -> Entry:
    """The snapshot into the data folder, sealed with its scans into ``folder``, read back and checked there.

    Nothing readable is written outside the data folder; the two plain copies inside it (the snapshot,
    then the register as read back) are gone when this returns.
    """
    _remove_stale_partials(folder)
    _remove_stale_partials(paths.backups)
    stem = f"{kind.file_prefix}-{now:%Y%m%d-%H%M%S}"
    target = free_name(folder, stem, ENCRYPTED_SUFFIX)
    partial = partial_name(target)
    snapshot = partial_name(free_name(paths.backups, f".加密前-{stem}"))
    read_back = partial_name(free_name(paths.backups, f".读回-{stem}"))
    try:
        write_snapshot(live, snapshot, report.phase(0, 350), cancelled)
        hashes = attachment_hashes(snapshot) or set()
        scans = [(sha, paths.attachments / content_path(sha)) for sha in sorted(hashes)]
        scans = [(sha, file) for sha, file in scans if file.is_file()]  # a missing scan is told at restore
        try:
            written = sealed.write(partial, passphrase, snapshot, scans, report.phase(350, 650), cancelled)
        except OSError as exc:
            raise target_error(exc, folder) from exc
        discard(snapshot)
        try:
            opened = sealed.read(partial, passphrase, read_back, None, report.phase(650, 850))
        except OSError as exc:  # the stick pulled out, or its pages unreadable
            raise target_error(exc, folder) from exc
        except StorageError as exc:
            raise StorageError(f"加密备份写入后读回校验失败，备份没有完成：{exc.message}") from exc
        problems = integrity_problems(read_back, cancelled)
        if problems or opened.scans != written:
            raise StorageError("加密备份写入后读回校验失败（完整性、外键或附件检查未通过），备份没有完成："
                               + "；".join(problems[:3] or ["附件读回的内容与写入的不一致"]))
        report.at(900)
        entry = Entry(target, kind, now, partial.stat().st_size, sha256_of(partial), True,
                      *copy_facts(read_back), len(scans), encrypted=True, audit_mac=audit_anchor_of(read_back))
        discard(read_back)
        _record_and_publish(Manifest(paths.backups), entry, partial, cancelled)
    except BaseException:
        for leftover in (partial, snapshot, read_back):
            discard(leftover)
        raise
    report.at(PROGRESS_TOTAL)
    log.info("encrypted backup written: %s (%d bytes, %d cases)", target, entry.size, entry.cases)
    return entry


def free_name(folder: Path, stem: str, suffix: str = ".db") -> Path:
    """``stem.db`` in ``folder``, or ``stem-2.db`` … when two backups fall in the same second.

    The name is taken by creating its ``.partial`` file (0600, like the backup it becomes), so two
    programs backing up into one folder at the same moment cannot both choose it.
    """
    try:
        make_folder(folder)  # the folders it makes are this user's only; a chosen USB stick is left as it is
    except OSError as exc:
        raise target_error(exc, folder) from exc
    n = 1
    while True:
        candidate = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        if not candidate.exists():
            try:
                os.close(create_file(partial_name(candidate)))
                return candidate
            except FileExistsError:
                pass
            except OSError as exc:
                raise target_error(exc, folder) from exc
        n += 1


def copy_facts(copy: Path) -> tuple[str, int, int]:
    """(schema revision, cases, newest audit entry id) of a finished copy."""
    conn = sqlite3.connect(read_only_uri(copy), uri=True)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        cases = conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0]
        head = conn.execute("SELECT coalesce(max(id), 0) FROM audit_event").fetchone()[0]
    except sqlite3.Error as exc:
        raise StorageError(f"备份中缺少台账的数据表（{exc}），它不是完整的台账，备份没有完成。") from exc
    finally:
        conn.close()
    return (str(revision[0]) if revision else ""), int(cases), int(head)


def audit_anchor_of(copy: Path) -> str:
    """The code of the newest audit entry in a finished copy: its trail's anchor, kept in the manifest."""
    conn = sqlite3.connect(read_only_uri(copy), uri=True)
    try:
        row = conn.execute("SELECT entry_hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error as exc:
        raise StorageError(f"备份中缺少台账的数据表（{exc}），它不是完整的台账，备份没有完成。") from exc
    finally:
        conn.close()
    return str(row[0]) if row else ""


def _remove_stale_partials(folder: Path) -> None:
    """Leftovers of a backup that was killed; a day's age means nobody is still writing them."""
    if not folder.is_dir():
        return
    cutoff = (datetime.now() - timedelta(days=1)).timestamp()
    for leftover in folder.glob(f"*{PARTIAL_SUFFIX}"):
        try:
            if leftover.stat().st_mtime < cutoff:
                discard(leftover)
        except OSError:
            continue


class _Phases:
    """Maps each step's own (done, total) onto one 0…1000 scale for the progress bar."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def at(self, value: int) -> None:
        if self.progress is not None:
            self.progress(value, PROGRESS_TOTAL)

    def phase(self, start: int, end: int) -> Progress:
        def report(done: int, total: int) -> None:
            self.at(start + (end - start) * done // max(total, 1))

        return report


# -- automatic backups -----------------------------------------------------------------------


def on_startup(ctx: Context, progress: Progress | None = None,
               cancelled: Cancelled | None = None) -> BackupInfo | None:
    """The day's first start makes an automatic backup; later starts that day do nothing."""
    if not ctx.db.is_sqlite:
        return None
    paths, _live = local_paths(ctx.db)
    latest = _latest_auto(paths)
    if latest is not None and latest.created.date() == ctx.today():
        return None
    return _automatic(ctx, progress, cancelled)


def on_exit(ctx: Context, progress: Progress | None = None) -> BackupInfo | None:
    """On closing, an automatic backup if anything was saved since the last one."""
    if not ctx.db.is_sqlite:
        return None
    paths, _live = local_paths(ctx.db)
    latest = _latest_auto(paths)
    if latest is not None and latest.audit_head == _audit_head(ctx.db):
        return None
    return _automatic(ctx, progress, None)


def _latest_auto(paths: DataPaths) -> Entry | None:
    return next((e for e in Manifest(paths.backups).entries()
                 if e.kind is Kind.AUTO and e.path.is_file()), None)


def _audit_head(db: Database) -> int:
    from sqlalchemy import func, select

    from wuye_desktop.models import AuditEvent

    with db.reading() as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0))) or 0)


def _automatic(ctx: Context, progress: Progress | None, cancelled: Cancelled | None) -> BackupInfo:
    paths, _live = local_paths(ctx.db)
    entry = make_backup(ctx.db, paths.backups, Kind.AUTO, ctx.now(), progress, cancelled)
    rotate(ctx)
    return _info(entry)


def retention(ctx: Context) -> Retention:
    return Retention(daily=int(settings.get(ctx, settings.BACKUP_KEEP_DAILY)),
                     weekly=int(settings.get(ctx, settings.BACKUP_KEEP_WEEKLY)),
                     monthly=int(settings.get(ctx, settings.BACKUP_KEEP_MONTHLY)))


def rotate(ctx: Context) -> list[Path]:
    """Thin out automatic backups and old safety copies; return the files removed."""
    paths, _live = local_paths(ctx.db)
    manifest = Manifest(paths.backups)
    entries = [e for e in manifest.entries() if e.path.parent == paths.backups and e.path.is_file()]
    autos = [e for e in entries if e.kind is Kind.AUTO]
    keep = to_keep([e.created for e in autos], retention(ctx))
    doomed = [e.path for i, e in enumerate(autos) if i not in keep]
    doomed += [e.path for e in entries if e.kind is Kind.BEFORE_RESTORE][SAFETY_COPIES_KEPT:]
    removed = []
    for path in doomed:
        try:
            path.unlink()
            removed.append(path)
        except OSError as exc:
            log.warning("could not remove old backup %s: %s", path, exc)
    manifest.remove(removed)
    _prune_attachments(paths)
    return removed


def _prune_attachments(paths: DataPaths) -> None:
    pool = paths.backups / POOL
    if not pool.is_dir():
        return
    keep: set[Path] = set()
    for copy in paths.backups.glob("*.db"):
        hashes = attachment_hashes(copy)
        if hashes is None:
            return  # a copy that cannot be read might need any of them: delete nothing
        keep |= {content_path(sha) for sha in hashes}
    if paths.attachments.is_dir():
        keep |= {p.relative_to(paths.attachments) for p in paths.attachments.rglob("*") if p.is_file()}
    prune_pool(pool, keep)


