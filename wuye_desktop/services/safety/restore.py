"""Putting a backup back in place of the register.

In order, and stopping at the first thing wrong: the backup must be a
whole register of this program with a schema it can open (and, if the
manifest knows it, unchanged since it was written, its audit trail still
ending where the manifest's anchor says); an encrypted one opens
only with its passphrase, into a folder of the data folder that is removed
afterwards. Then the trust check: a file that is not one of this data
folder's recorded backups (by its SHA-256), or is another register's (its
``register.uid``) or another committee's, is restored only after a warning
naming the difference and a second, explicit confirmation; the warning and
the decision go into the audit trail either way. Then the current register
is kept as a safety copy; the backup is copied into the live register under
its write lock; an older schema is upgraded; missing scans come back from
the backup's attachments; the restored audit trail becomes this PC's to sign
and anchor (``audit.adopt``: an old one is signed, one whose key this PC
lacks gets a new key, as an entry of its own). A refused file changes nothing in the register
but the audit entry that says why it was refused.

``restore`` does it all at once (the command line: ``foreign`` is its
``--foreign``). The window asks its second question between ``prepare``
and ``apply`` (or ``decline``).
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from wuye_desktop.errors import DomainError, StorageError
from wuye_desktop.services import audit, settings
from wuye_desktop.services.cases import search
from wuye_desktop.services.context import SYSTEM_USER, Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.services.reference.defaults import ensure_defaults
from wuye_desktop.services.safety.backups import (
    PROGRESS_TOTAL,
    audit_anchor_of,
    copy_facts,
    free_name,
    latest_good,
    local_paths,
)
from wuye_desktop.storage import migrate, sealed
from wuye_desktop.storage.backup import Progress, discard, quick_problems, read_only_uri, sha256_of
from wuye_desktop.storage.backup_store import POOL, Entry, Kind, Manifest, restore_attachments
from wuye_desktop.storage.engine import Database, Written
from wuye_desktop.storage.paths import DataPaths, describe_os_error
from wuye_desktop.storage.restore import (
    BackupFacts,
    Identity,
    copy_into,
    identity,
    inspect_backup,
    keep_aside,
    same_file,
)

log = logging.getLogger(__name__)

SCRATCH_PREFIX = ".解密-"  # an encrypted backup opened in the data folder's backups folder, for one restore
CONFIRMED = "已再次确认，已恢复"
NOT_CONFIRMED = "没有再次确认，没有恢复"


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
    warning: str = ""  # what the user confirmed a second time ("" for one of this register's own backups)
    audit_notes: tuple[str, ...] = ()  # what became of the restored audit trail's signing, for the user


class PassphraseNeededError(StorageError):
    """An encrypted backup was given without its passphrase."""

    def __init__(self, backup: Path) -> None:
        super().__init__(f"备份“{backup.name}”已加密，恢复时需要输入备份时设置的密码。台账没有任何改动。")


class ForeignBackupError(StorageError):
    """The backup is not one of this register's own: restored only when the user confirms again."""

    def __init__(self, warning: str) -> None:
        super().__init__(f"注意：{warning}。这样的备份需要再次确认才能恢复，这次没有恢复，台账没有任何改动。")
        self.warning = warning


@dataclass
class Prepared:
    """A backup checked, opened (decrypted if it was encrypted) and ready to go in."""

    backup: Path
    source: Path  # the register to copy in: the backup itself, or its decrypted copy in ``scratch``
    facts: BackupFacts
    sha256: str  # of the backup file as it was checked
    encrypted: bool
    differences: tuple[str, ...]  # why it might not be this register's own; empty when it is
    pool: Path  # where its scans are
    scratch: Path | None  # the folder it was decrypted into, removed by ``discard``
    live_is_register: bool  # whether a refusal can be written into the current register's audit trail

    @property
    def warning(self) -> str:
        return "；".join(self.differences)

    def discard(self) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


def is_encrypted(backup: str | Path) -> bool:
    """Whether restoring ``backup`` needs the passphrase it was made with."""
    return sealed.is_sealed(Path(backup).expanduser())


@requires(Permission.RESTORE)
def restore(ctx: Context, backup: str | Path, progress: Progress | None = None, *,
            passphrase: str | None = None, foreign: bool = False) -> RestoreResult:
    """Check, open and restore ``backup``; one that is not this register's own needs ``foreign``."""
    opening, copying = _halves(progress) if is_encrypted(backup) else (None, progress)
    prepared = _prepare(ctx.db, Path(backup), passphrase, opening)
    try:
        if prepared.warning and not foreign:
            _refused(ctx.db, ctx.actor, ctx.now(), prepared, NOT_CONFIRMED)
            raise ForeignBackupError(prepared.warning)
        return _apply(ctx.db, prepared, actor=ctx.actor, now=ctx.now(), progress=copying)
    finally:
        prepared.discard()


@requires(Permission.RESTORE)
def prepare(ctx: Context, backup: str | Path, passphrase: str | None = None,
            progress: Progress | None = None) -> Prepared:
    """The first half of a restore: every check, and the warning the user must see (``Prepared.warning``).

    The caller ends it with ``apply`` or ``decline``, which remove what it decrypted.
    """
    return _prepare(ctx.db, Path(backup), passphrase, progress)


@requires(Permission.RESTORE)
def apply(ctx: Context, prepared: Prepared, progress: Progress | None = None, *,
          confirmed: bool = False) -> RestoreResult:
    """The second half: the backup goes in; ``confirmed`` says the user accepted ``prepared.warning``."""
    try:
        if prepared.warning and not confirmed:
            _refused(ctx.db, ctx.actor, ctx.now(), prepared, NOT_CONFIRMED)
            raise ForeignBackupError(prepared.warning)
        if not prepared.encrypted and sha256_of(prepared.source) != prepared.sha256:
            raise StorageError(f"备份文件“{prepared.backup.name}”在确认期间被改动过，没有恢复，台账没有任何改动。")
        return _apply(ctx.db, prepared, actor=ctx.actor, now=ctx.now(), progress=progress)
    finally:
        prepared.discard()


@requires(Permission.RESTORE)
def decline(ctx: Context, prepared: Prepared, decision: str) -> None:
    """The user said no to ``prepared.warning``: that is written into the audit trail, nothing else changes."""
    try:
        _refused(ctx.db, ctx.actor, ctx.now(), prepared, decision)
    finally:
        prepared.discard()


# -- the checks --------------------------------------------------------------------------------


def _prepare(db: Database, backup: Path, passphrase: str | None, progress: Progress | None) -> Prepared:
    paths, live = local_paths(db)
    backup = backup.expanduser().absolute()
    if same_file(backup, live):
        raise StorageError("选中的是正在使用的台账本身，不是备份。请选择一个备份文件。")
    if not backup.is_file():
        raise StorageError(f"找不到备份文件“{backup}”。")
    manifest = Manifest(paths.backups)
    if not sealed.is_sealed(backup):
        facts = inspect_backup(backup)
        digest = _unchanged(manifest, backup)
        return _judged(paths, manifest, live, backup, backup, facts, digest, False, backup.parent / POOL, None)
    digest = _unchanged(manifest, backup)  # an encrypted file edited since is refused before any passphrase
    if passphrase is None:
        raise PassphraseNeededError(backup)
    _remove_stale_scratch(paths)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=paths.backups))  # 0700
    except OSError as exc:
        raise StorageError(f"无法在数据文件夹中解密备份：{exc.strerror or exc}。台账没有任何改动。") from exc
    try:
        try:
            opened = sealed.read(backup, passphrase, scratch / f"{backup.stem}.db", scratch / POOL, progress)
        except OSError as exc:  # the data folder full or read-only, or the stick pulled out while reading
            raise StorageError(f"无法解密备份“{backup.name}”：{describe_os_error(exc)}。台账没有任何改动。") from exc
        facts = inspect_backup(opened.register)
        return _judged(paths, manifest, live, backup, opened.register, facts, digest, True, scratch / POOL,
                       scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def _unchanged(manifest: Manifest, backup: Path) -> str:
    """The backup's SHA-256, or ``StorageError`` if the manifest knows the file with another one."""
    digest = sha256_of(backup)
    known = manifest.find(backup)
    if known is not None and known.sha256 and digest != known.sha256:
        raise StorageError(f"备份文件“{backup.name}”写入后被改动过（校验值与备份记录不符），可能已损坏，"
                           "不能用来恢复。台账没有任何改动，请选择另一个备份。")
    return digest


def _judged(paths: DataPaths, manifest: Manifest, live: Path, backup: Path, source: Path, facts: BackupFacts,
            digest: str, encrypted: bool, pool: Path, scratch: Path | None) -> Prepared:
    recorded = any(e.sha256 == digest for e in manifest.entries())
    known = manifest.find(backup)
    if known is not None and known.audit_mac:
        _check_audit_anchor(backup, source, known)
    mine = identity(live, settings.REGISTER_UID) if live.is_file() else None
    theirs = identity(source, settings.REGISTER_UID)
    return Prepared(backup, source, facts, digest, encrypted, _differences(backup, recorded, theirs, mine),
                    pool, scratch, mine is not None)


def _differences(backup: Path, recorded: bool, theirs: Identity | None, mine: Identity | None) -> tuple[str, ...]:
    """What makes ``backup`` possibly not this register's own, in the words of the warning."""
    found: list[str] = []
    if not recorded:
        found.append(f"“{backup.name}”不在本机的备份记录中（不是这个数据文件夹做的备份，或做好后被改动过），"
                     "可能来自别处，内容也可能被改过")
    if mine is None or theirs is None:
        if found:
            found.append("本机还没有可以对照的台账")
        return tuple(found)
    same_register = bool(mine.uid) and mine.uid == theirs.uid
    if mine.uid and theirs.uid and not same_register:
        found.append(f"它是另一本台账的备份（备份的台账编号 {theirs.uid[:8]}，本机台账编号 {mine.uid[:8]}）")
    if mine.committees != theirs.committees and not (recorded and same_register):
        found.append(f"调委会不同（备份中：{'、'.join(theirs.committees) or '无'}；"
                     f"本机：{'、'.join(mine.committees) or '无'}）")
    if found and mine.cases == 0:
        found.append("本机台账还没有案件：如果这是在新电脑上恢复自己的备份，确认即可")
    return tuple(found)


def _refused(db: Database, actor: str, now: datetime, prepared: Prepared, decision: str) -> None:
    """The warning and the decision not to restore, in the current register's audit trail."""
    if not prepared.live_is_register:
        log.info("restore of %s refused (%s); no register to audit it in", prepared.backup, decision)
        return
    try:
        with db.writing() as session:
            audit.record(session, actor, "restore_refused", "register", "", {
                "backup": str(prepared.backup), "sha256": prepared.sha256, "encrypted": prepared.encrypted,
                "warning": prepared.warning, "decision": decision}, at=now)
    except StorageError as exc:  # a damaged or read-only register: the refusal still stands
        log.warning("restore of %s refused but not audited: %s", prepared.backup, exc.message)


def _remove_stale_scratch(paths: DataPaths) -> None:
    """Folders of a restore that was killed while it had a backup open; a day old, nobody uses them."""
    cutoff = (datetime.now() - timedelta(days=1)).timestamp()
    for leftover in paths.backups.glob(f"{SCRATCH_PREFIX}*"):
        try:
            if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue


def _halves(progress: Progress | None) -> tuple[Progress | None, Progress | None]:
    """Opening an encrypted backup is the first half of the progress bar, copying it in the second."""
    if progress is None:
        return None, None
    half = PROGRESS_TOTAL // 2

    def first(done: int, total: int) -> None:
        progress(half * done // max(total, 1), PROGRESS_TOTAL)

    def second(done: int, total: int) -> None:
        progress(half + half * done // max(total, 1), PROGRESS_TOTAL)

    return first, second


# -- putting it in -----------------------------------------------------------------------------


def _apply(db: Database, prepared: Prepared, *, actor: str, now: datetime,
           progress: Progress | None = None) -> RestoreResult:
    paths, live = local_paths(db)
    backup, facts = prepared.backup, prepared.facts
    manifest = Manifest(paths.backups)
    safety, whole = _keep_current(db, manifest, live, now)
    db.dispose()  # this program's pooled connections reconnect to the restored content
    copy_into(prepared.source, live, progress)
    try:
        upgraded = facts.needs_upgrade
        if upgraded:
            migrate.upgrade(db)
        ensure_defaults(db)
        search.ensure_index(db)
        audit_notes = tuple(audit.adopt(db, actor))
    except DomainError as exc:
        _put_back(db, safety, whole, live)
        db.announce(Written(replaced=True))
        raise StorageError(f"备份已放回，但无法升级到当前程序的版本，已改回恢复前的台账：{exc.message}") from exc

    pools = [prepared.pool, paths.backups / POOL]
    copied, missing = restore_attachments(facts.attachment_hashes, pools, paths.attachments)
    result = RestoreResult(str(backup), facts.cases, facts.revision, upgraded,
                           str(safety or ""), whole, copied, missing, prepared.warning, audit_notes)
    detail: dict[str, object] = {
        "backup": str(backup), "sha256": prepared.sha256, "encrypted": prepared.encrypted,
        "safety_copy": result.safety_copy, "cases": facts.cases, "from_revision": facts.revision,
        "attachments_missing": missing}
    if prepared.warning:
        detail.update(warning=prepared.warning, decision=CONFIRMED)
    with db.writing() as session:
        audit.record(session, actor, "restore", "register", "", detail)
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
                           whole, revision, cases, head, 0, audit_mac=audit_anchor_of(safety) if whole else ""))
        if not whole or _audit_head(live) == head:  # the last look, right before the copy goes in
            return safety, whole
        manifest.remove([safety])
        discard(safety)
    raise StorageError("台账正在被其他电脑或窗口不断修改，没有恢复。请让其他人保存并退出程序后再恢复。")


def _check_audit_anchor(backup: Path, source: Path, known: Entry) -> None:
    """The backup's audit trail still ends with the entry it ended with when it was written."""
    conn = sqlite3.connect(read_only_uri(source), uri=True)
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
                return entry, _recover_from(db, entry, progress)
            except StorageError as exc:
                log.warning("backup %s could not be restored: %s", entry.path, exc.message)
                reasons.append(f"{entry.path.name}：{exc.message}")
        raise StorageError("没有找到可以恢复的完好备份。" + "；".join(reasons[:3])
                           + " 请不要删除数据文件夹，联系技术支持。")
    finally:
        db.dispose()


def _recover_from(db: Database, entry: Entry, progress: Progress | None) -> RestoreResult:
    """One of this register's own recorded backups, put back with nobody to ask: never one that needs asking."""
    prepared = _prepare(db, entry.path, None, None)
    try:
        if prepared.warning:
            raise ForeignBackupError(prepared.warning)
        return _apply(db, prepared, actor=SYSTEM_USER, now=datetime.now(), progress=progress)
    finally:
        prepared.discard()
