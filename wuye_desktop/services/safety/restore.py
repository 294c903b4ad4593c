"""Putting a backup back in place of the register.

In order, and stopping at the first thing wrong: the backup must be a
whole register of this program with a schema it can open (and, if the
manifest knows it, unchanged since it was written, its audit trail still
ending where the manifest's anchor says); the current register
is kept as a safety copy; then the backup is copied into the live register
under its write lock; an older schema is upgraded; the restored audit trail
becomes this PC's to sign and anchor (``audit.adopt``: an old one is signed,
one whose key this PC lacks gets a new key, as an entry of its own); missing
scans come back from the backup's attachments pool. A refused file changes nothing at all.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from wuye_desktop.errors import DomainError, StorageError
from wuye_desktop.services import audit
from wuye_desktop.services.cases import search
from wuye_desktop.services.context import SYSTEM_USER, Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.services.reference.defaults import ensure_defaults
from wuye_desktop.services.safety.backups import (
    audit_anchor_of,
    copy_facts,
    free_name,
    latest_good,
    local_paths,
)
from wuye_desktop.storage import migrate
from wuye_desktop.storage.backup import Progress, discard, quick_problems, read_only_uri, sha256_of
from wuye_desktop.storage.backup_store import POOL, Entry, Kind, Manifest, restore_attachments
from wuye_desktop.storage.engine import Database, Written
from wuye_desktop.storage.restore import copy_into, inspect_backup, keep_aside, same_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreResult:
    backup: str
    cases: int
    from_revision: str  # the backup's schema; upgraded when older than the program's
    upgraded: bool
    safety_copy: str  # where the register as it was before the restore is kept ("" if there was none)
    safety_copy_whole: bool  # False: the old register was damaged and its bytes were kept as they were
    attachments_copied: int
    attachments_missing: int
    audit_notes: tuple[str, ...] = ()  # what became of the restored audit trail's signing, for the user


@requires(Permission.RESTORE)
def restore(ctx: Context, backup: str | Path, progress: Progress | None = None) -> RestoreResult:
    return restore_register(ctx.db, Path(backup), actor=ctx.actor, now=ctx.now(), progress=progress)


def restore_register(db: Database, backup: Path, *, actor: str, now: datetime,
                     progress: Progress | None = None) -> RestoreResult:
    paths, live = local_paths(db)
    backup = backup.expanduser().absolute()
    if same_file(backup, live):
        raise StorageError("选中的是正在使用的台账本身，不是备份。请选择一个备份文件。")
    facts = inspect_backup(backup)
    manifest = Manifest(paths.backups)
    known = manifest.find(backup)
    if known is not None and known.sha256 and sha256_of(backup) != known.sha256:
        raise StorageError(f"备份文件“{backup.name}”写入后被改动过（校验值与备份记录不符），可能已损坏，"
                           "不能用来恢复。台账没有任何改动，请选择另一个备份。")
    if known is not None and known.audit_mac:
        _check_audit_anchor(backup, known)

    safety, whole = _keep_current(db, manifest, live, now)
    db.dispose()  # this program's pooled connections reconnect to the restored content
    copy_into(backup, live, progress)
    try:
        upgraded = facts.needs_upgrade
        if upgraded:
            migrate.upgrade(db)
        audit_notes = tuple(audit.adopt(db, actor))
        ensure_defaults(db)
        search.ensure_index(db)
    except DomainError as exc:
        _put_back(db, safety, whole, live)
        db.announce(Written(replaced=True))
        raise StorageError(f"备份已放回，但无法升级到当前程序的版本，已改回恢复前的台账：{exc.message}") from exc

    pools = [backup.parent / POOL, paths.backups / POOL]
    copied, missing = restore_attachments(facts.attachment_hashes, pools, paths.attachments)
    result = RestoreResult(str(backup), facts.cases, facts.revision, upgraded,
                           str(safety or ""), whole, copied, missing, audit_notes)
    with db.writing() as session:
        audit.record(session, actor, "restore", "register", "", {
            "backup": str(backup), "safety_copy": result.safety_copy, "cases": facts.cases,
            "from_revision": facts.revision, "attachments_missing": missing})
    log.info("register restored from %s (safety copy %s)", backup, safety)
    db.announce(Written(replaced=True))  # written under the session's feet: every view starts again
    return result


def _keep_current(db: Database, manifest: Manifest, live: Path, now: datetime) -> tuple[Path | None, bool]:
    """The safety copy, taken again if someone saved while it was being written and checked.

    Every save writes an audit entry, so an unchanged newest entry means the
    copy still holds everything; what is left is the moment between this
    look and the restore taking the write lock.
    """
    if not live.is_file() or live.stat().st_size == 0:
        return None, True  # a new PC: nothing to keep
    db.dispose()
    for _attempt in range(3):
        target = free_name(manifest.folder, f"{Kind.BEFORE_RESTORE.file_prefix}-{now:%Y%m%d-%H%M%S}")
        safety, whole = keep_aside(live, target)
        revision, cases, head = copy_facts(safety) if whole else ("", 0, 0)
        manifest.add(Entry(safety, Kind.BEFORE_RESTORE, now, safety.stat().st_size, sha256_of(safety),
                           whole, revision, cases, head, 0, audit_anchor_of(safety) if whole else ""))
        if not whole or _audit_head(live) == head:  # the last look, right before the copy goes in
            return safety, whole
        manifest.remove([safety])
        discard(safety)
    raise StorageError("台账正在被其他电脑或窗口不断修改，没有恢复。请让其他人保存并退出程序后再恢复。")


def _check_audit_anchor(backup: Path, known: Entry) -> None:
    """The backup's audit trail still ends with the entry it ended with when it was written."""
    conn = sqlite3.connect(read_only_uri(backup), uri=True)
    try:
        row = conn.execute("SELECT id, entry_hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        conn.close()
    if row is None or (int(row[0]), str(row[1])) != (known.audit_head, known.audit_mac):
        now = f"现在最后一条是第 {row[0]} 条" if row else "现在一条也没有"
        raise StorageError(f"备份文件“{backup.name}”中的审计记录与备份时记下的不一致（备份时最后一条是第 "
                           f"{known.audit_head} 条，{now}），备份写入后被改动过，不能用来恢复。"
                           "台账没有任何改动，请选择另一个备份。")


def _audit_head(live: Path) -> int:
    conn = sqlite3.connect(read_only_uri(live), uri=True)
    try:
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM audit_event").fetchone()[0])
    finally:
        conn.close()


def _put_back(db: Database, safety: Path | None, whole: bool, live: Path) -> None:
    if safety is None or not whole:
        return  # there was no whole register before: the restored one is still better than nothing
    db.dispose()
    copy_into(safety, live)


# -- the way out of a damaged register, at start-up ----------------------------------------------


def recover(data_dir: str | None = None, db_url: str | None = None,
            progress: Progress | None = None) -> tuple[Entry, RestoreResult]:
    """Restore the newest backup that passes every check, but only if the register really is damaged.

    Called by the start-up check after the user agreed, before anyone has
    signed in (a damaged register has no readable accounts): so it does
    nothing unless SQLite itself reports the register damaged.
    """
    from wuye_desktop.services.safety.opening import open_database

    db = open_database(data_dir=data_dir, db_url=db_url)
    try:
        paths, live = local_paths(db)
        if live.is_file() and not quick_problems(live):
            raise StorageError("台账数据库没有损坏，不需要自动恢复。如需恢复旧的备份，请在“备份恢复”页操作。")
        reasons: list[str] = []
        for entry in latest_good(paths):
            try:
                return entry, restore_register(db, entry.path, actor=SYSTEM_USER, now=datetime.now(),
                                               progress=progress)
            except StorageError as exc:
                log.warning("backup %s could not be restored: %s", entry.path, exc.message)
                reasons.append(f"{entry.path.name}：{exc.message}")
        raise StorageError("没有找到可以恢复的完好备份。" + "；".join(reasons[:3])
                           + " 请不要删除数据文件夹，联系技术支持。")
    finally:
        db.dispose()
