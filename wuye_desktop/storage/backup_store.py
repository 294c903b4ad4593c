"""The backups folder's bookkeeping: the manifest of verified backups and the shared attachments pool.

The manifest is a JSON file in the data folder's ``backups/`` (the
register's schema is not ours to change). It records every backup this
data folder made, wherever it went (a USB stick too), with its sha256, so a
file that changed after it was written is noticed before it is restored.
It is replaced atomically under a lock file, so two programs backing up at
once cannot lose each other's entries.

Attachments are content-addressed (``attachments/ab/ab12…``) and never
change, so each backup folder keeps one pool of them next to its ``.db``
files and a backup copies only the files the pool does not have yet.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from wuye_desktop.storage.backup import Cancelled, TargetError, partial_name, read_only_uri, target_error
from wuye_desktop.storage.private import FILE_MODE, create_file, make_folder

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
LOCK = "manifest.lock"
POOL = "attachments"
_CONTENT_NAME = re.compile(r"[0-9a-f]{64}")


class Kind(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"
    BEFORE_RESTORE = "before-restore"
    BEFORE_UPGRADE = "before-upgrade"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def file_prefix(self) -> str:
        return _PREFIXES[self]


_LABELS = {Kind.AUTO: "自动备份", Kind.MANUAL: "手动备份", Kind.BEFORE_RESTORE: "恢复前副本",
           Kind.BEFORE_UPGRADE: "升级前副本", Kind.OTHER: "其他备份"}
_PREFIXES = {Kind.AUTO: "自动备份", Kind.MANUAL: "台账备份", Kind.BEFORE_RESTORE: "恢复前",
             Kind.BEFORE_UPGRADE: "升级前", Kind.OTHER: "备份"}


def kind_from_name(name: str) -> Kind:
    for kind in (Kind.AUTO, Kind.MANUAL, Kind.BEFORE_RESTORE, Kind.BEFORE_UPGRADE):
        if name.startswith(kind.file_prefix):
            return kind
    return Kind.OTHER


@dataclass(frozen=True)
class Entry:
    path: Path
    kind: Kind
    created: datetime
    size: int
    sha256: str
    verified: bool  # integrity and foreign-key checks passed right after writing
    revision: str
    cases: int
    audit_head: int  # id of the newest audit entry in the copy: "has anything changed since?"
    attachments: int
    encrypted: bool = False  # written with a passphrase (storage/sealed.py): a backup that left the PC
    audit_mac: str = ""  # that entry's code: with audit_head, the anchor of the audit trail the copy holds


# -- the manifest ---------------------------------------------------------------------------


class Manifest:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST

    def entries(self) -> list[Entry]:
        """Every recorded backup, newest first; an unreadable manifest reads as empty, never fails."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return sorted((self._entry(item) for item in raw.get("backups", [])),
                          key=lambda e: e.created, reverse=True)
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("backup manifest %s is unreadable: %s", self.path, exc)
            return []

    def find(self, path: Path) -> Entry | None:
        wanted = _normal(path)
        return next((e for e in self.entries() if _normal(e.path) == wanted), None)

    def add(self, entry: Entry) -> None:
        with self._locked():
            kept = [e for e in self.entries() if _normal(e.path) != _normal(entry.path) and not self._gone(e)]
            self._write([entry, *kept])

    def remove(self, paths: Iterable[Path]) -> None:
        dropped = {_normal(p) for p in paths}
        with self._locked():
            self._write([e for e in self.entries() if _normal(e.path) not in dropped])

    def _gone(self, entry: Entry) -> bool:
        """A file of this folder that no longer exists (one on an unplugged USB stick is not "gone").

        A backup is recorded just before its ``.partial`` file takes its real name:
        one still being published is not gone either, or a second backup running
        at the same moment would drop it from the manifest and leave it orphaned.
        """
        return (entry.path.parent == self.folder and not entry.path.exists()
                and not partial_name(entry.path).exists())

    def _entry(self, item: dict[str, Any]) -> Entry:
        path = Path(item["file"])
        return Entry(
            path=path if path.is_absolute() else self.folder / path,
            kind=Kind(item["kind"]), created=datetime.fromisoformat(item["created"]),
            size=int(item["size"]), sha256=str(item["sha256"]), verified=bool(item["verified"]),
            revision=str(item.get("revision", "")), cases=int(item.get("cases", 0)),
            audit_head=int(item.get("audit_head", 0)), attachments=int(item.get("attachments", 0)),
            encrypted=bool(item.get("encrypted", False)),
            audit_mac=str(item.get("audit_mac", "")),
        )

    def _write(self, entries: list[Entry]) -> None:
        items = []
        for e in sorted(entries, key=lambda e: e.created, reverse=True):
            item = asdict(replace(e, path=Path(e.path.name) if e.path.parent == self.folder else e.path))
            item.update(file=str(item.pop("path")), kind=e.kind.value, created=e.created.isoformat())
            items.append(item)
        text = json.dumps({"format": 1, "backups": items}, ensure_ascii=False, indent=1)
        fresh = self.path.with_name(MANIFEST + ".new")
        try:
            with open(create_file(fresh, exclusive=False), "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(fresh, self.path)
        except OSError as exc:
            fresh.unlink(missing_ok=True)
            raise target_error(exc, self.folder) from exc

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            make_folder(self.folder)
            lock = self.folder / LOCK
            lock.touch(mode=FILE_MODE)  # empty, but this user's only like everything in the folder
            fh = lock.open("a+b")
        except OSError as exc:
            raise target_error(exc, self.folder) from exc
        try:
            _lock(fh)
            yield
        finally:
            _unlock(fh)
            fh.close()


def _normal(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def _lock(fh: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        for _ in range(300):  # LK_NBLCK: poll, so a stuck program cannot hang this one for ever
            try:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                time.sleep(0.1)
        raise TargetError("备份记录正被另一个程序占用，请稍后再试。")
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)


def _unlock(fh: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# -- attachments ----------------------------------------------------------------------------


def copy_attachments(source_root: Path, pool: Path, cancelled: Cancelled | None = None) -> int:
    """Copy every file of the attachments tree the pool lacks; return how many files the tree has."""
    if not source_root.is_dir():
        return 0
    # Dot files and .partial are scans still being added (services/casework/attachments.py): not part of any case yet.
    files = sorted(p for p in source_root.rglob("*")
                   if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".partial"))
    for file in files:
        if cancelled is not None and cancelled():
            from wuye_desktop.storage.backup import BackupCancelledError

            raise BackupCancelledError
        target = pool / file.relative_to(source_root)
        if target.exists() and target.stat().st_size == file.stat().st_size:
            continue  # content-addressed: same name and size is the same scan
        _copy_checked(file, target, pool)
    return len(files)


def _copy_checked(source: Path, target: Path, pool: Path) -> None:
    """Copy through a temporary name, then read the copy back: a flaky USB stick is caught here."""
    import hashlib

    partial = target.with_name(target.name + ".partial")
    try:
        make_folder(target.parent)
        written = hashlib.sha256()
        with source.open("rb") as src, open(create_file(partial, exclusive=False), "wb") as dst:
            for block in iter(lambda: src.read(1 << 20), b""):
                written.update(block)
                dst.write(block)
            dst.flush()
            os.fsync(dst.fileno())
        read_back = hashlib.sha256(partial.read_bytes()).hexdigest()
        if read_back != written.hexdigest():
            raise TargetError(f"附件“{source.name}”写入备份位置“{pool}”后读回的内容不一致，"
                              "U盘可能已损坏，备份没有完成。")
        if _CONTENT_NAME.fullmatch(source.name) and read_back != source.name:
            log.warning("attachment %s does not match its own hash: it was damaged before the backup", source)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise target_error(exc, pool) from exc


def attachment_hashes(db_file: Path) -> set[str] | None:
    """The scans a register (or backup) refers to; ``None`` when the file cannot be read."""
    try:
        conn = sqlite3.connect(read_only_uri(db_file), uri=True)
        try:
            return {row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM attachment")}
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def content_path(sha256: str) -> Path:
    return Path(sha256[:2]) / sha256


def restore_attachments(hashes: Iterable[str], pools: list[Path], target_root: Path) -> tuple[int, int]:
    """Put back the scans the restored register refers to; (files copied, files found nowhere)."""
    copied = missing = 0
    for sha in sorted(hashes):
        relative = content_path(sha)
        if (target_root / relative).exists():
            continue
        source = next((pool / relative for pool in pools if (pool / relative).is_file()), None)
        if source is None:
            missing += 1
            continue
        _copy_checked(source, target_root / relative, target_root)
        copied += 1
    return copied, missing


def prune_pool(pool: Path, keep: set[Path]) -> int:
    """Delete pool files that no kept backup and no live attachment needs; how many went."""
    if not pool.is_dir():
        return 0
    removed = 0
    for file in pool.rglob("*"):
        if file.is_file() and file.relative_to(pool) not in keep:
            try:
                file.unlink()
                removed += 1
            except OSError as exc:
                log.warning("could not remove %s from the attachments pool: %s", file, exc)
    return removed
