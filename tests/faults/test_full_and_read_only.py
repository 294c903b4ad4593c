"""A full disk, a full or write-protected USB stick, a read-only data folder: the save (or backup) fails
with a plain Chinese message, nothing partial is written, and the program carries on.

The small disks are real file systems (tmpfs mounted for the test, so the
test runs as root); the register-level "full" uses SQLite's own page limit.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from wuye_desktop.errors import StorageError
from wuye_desktop.services import audit, cases, demo
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage.backup import TargetError, integrity_problems, sha256_of
from wuye_desktop.storage.check import check_register
from wuye_desktop.storage.engine import Database

Mount = Callable[[str], Path]
PASS = "门口的桂花树2026"  # a backup onto a stick is encrypted


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Mount]:
    """``mount("2m")``: a fresh file system of that size, unmounted again after the test."""
    points: list[Path] = []

    def make(size: str) -> Path:
        point = tmp_path / f"disk{len(points)}"
        point.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point)], check=True)
        points.append(point)
        return point

    yield make
    for point in reversed(points):
        subprocess.run(["umount", "-l", str(point)], check=False)


def _remount(point: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(point)], check=True)


def _register(ctx: Context, n: int) -> str:
    draft = CaseDraft(summary="楼上卫生间漏水致楼下天花板受损", facts="经查" * 200,
                      parties=[PartyInput(f"住户{n}", address="幸福里3号楼"), PartyInput(f"邻居{n}")])
    return cases.register(ctx, draft).number


def _count(ctx: Context) -> int:
    return register.count(ctx, register.CaseFilter())


def _numbers_are_whole(db_file: Path) -> None:
    conn = sqlite3.connect(db_file)
    try:
        last = conn.execute("SELECT last_value FROM number_sequence WHERE kind = 'case'").fetchone()
        seqs = [r[0] for r in conn.execute("SELECT seq FROM mediation_case ORDER BY seq")]
    finally:
        conn.close()
    assert seqs == list(range(1, len(seqs) + 1)) and (last[0] if last else 0) == len(seqs)


def _save_until_refused(ctx: Context, saved: list[str]) -> StorageError:
    for n in range(100_000):
        try:
            saved.append(_register(ctx, n))
        except StorageError as exc:
            return exc
    raise AssertionError("the disk never filled up")


# -- the register's disk is full --------------------------------------------------------------------


def test_a_register_that_cannot_grow_refuses_the_save_and_keeps_working(data_dir: Path) -> None:
    open_register(data_dir=str(data_dir)).dispose()
    limit = {"pages": 0}
    db = Database.open(data_dir=str(data_dir))

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {limit['pages'] or pages + 40}")

    ctx = Context(db)
    saved: list[str] = []
    try:
        refused = _save_until_refused(ctx, saved)
        assert "磁盘空间已满" in refused.message and "未写入" in refused.message
        assert len(saved) > 3
        assert _count(ctx) == len(saved), "the refused case left nothing behind"
        assert audit.verify(db).ok

        db.dispose()
        limit["pages"] = 1_000_000  # space was freed
        saved.append(_register(ctx, 99))
        assert _count(ctx) == len(saved)
    finally:
        db.dispose()
    _numbers_are_whole(data_dir / "wuye.db")
    assert integrity_problems(data_dir / "wuye.db") == []


def test_a_full_disk_under_the_data_folder(mount: Mount, tmp_path: Path) -> None:
    disk = mount("3m")
    data_dir = disk / "data"
    db = open_register(data_dir=str(data_dir))
    ctx = Context(db)
    filler = disk / "filler.bin"
    try:
        _register(ctx, 0)
        earlier = backups.back_up(ctx)
        with filler.open("wb") as fh:  # the rest of the disk taken by something else
            try:
                while True:
                    fh.write(b"\0" * 65536)
            except OSError:
                pass
        filler.write_bytes(filler.read_bytes()[: -300 * 1024])
        saved = [""]
        refused = _save_until_refused(ctx, saved)
        assert "磁盘空间已满" in refused.message
        assert _count(ctx) == len(saved), "reading goes on and nothing half-saved is there"

        with pytest.raises(TargetError) as no_room:  # no room for the safety copy: the restore stops first
            restore.restore(ctx, earlier.path)
        assert "磁盘空间已满" in no_room.value.message
        assert _count(ctx) == len(saved)

        filler.unlink()
        saved.append(_register(ctx, 999))
        assert _count(ctx) == len(saved)
    finally:
        db.dispose()
    _numbers_are_whole(data_dir / "wuye.db")
    assert check_register(data_dir=str(data_dir)).ok


# -- a read-only data folder ----------------------------------------------------------------------


def test_a_read_only_data_folder_refuses_saves_in_chinese_and_the_program_goes_on(mount: Mount) -> None:
    disk = mount("16m")
    data_dir = disk / "data"
    db = open_register(data_dir=str(data_dir))
    ctx = Context(db)
    try:
        first = _register(ctx, 1)
        db.dispose()  # the program between two saves; then the stick's write-protect switch is slid on
        before = sha256_of(data_dir / "wuye.db")
        _remount(disk, "ro")

        with pytest.raises(StorageError) as refused:
            _register(ctx, 2)
        assert "写入权限" in refused.value.message or "只读" in refused.value.message
        with pytest.raises(StorageError):
            backups.on_exit(ctx)  # the automatic backup cannot be written either, and says so

        _remount(disk, "rw")
        assert sha256_of(data_dir / "wuye.db") == before, "nothing was written while it was read-only"
        second = _register(ctx, 3)  # the same running program saves again once it can
        assert _count(ctx) == 2 and first != second
    finally:
        db.dispose()
    assert check_register(data_dir=str(data_dir)).ok


# -- the backup target (a USB stick) --------------------------------------------------------------


@contextmanager
def _register_with_cases(data_dir: Path, count: int) -> Iterator[Context]:
    db = open_register(data_dir=str(data_dir))
    try:
        ctx = Context(db)
        demo.generate(ctx, count, seed=2)
        yield ctx
    finally:
        db.dispose()


def test_a_full_usb_stick_gets_no_half_backup(data_dir: Path, mount: Mount, tmp_path: Path) -> None:
    usb = mount("1m")
    with _register_with_cases(data_dir, 300) as ctx:
        with pytest.raises(TargetError) as full:
            backups.back_up(ctx, usb, passphrase=PASS)
        assert "磁盘空间已满" in full.value.message and "没有留下不完整的文件" in full.value.message
        assert list(usb.iterdir()) == []
        assert backups.list_backups(ctx) == [], "a failed backup is not recorded"
        assert not [p for p in (data_dir / "backups").iterdir() if p.name.startswith(".")], "no plain copy left"
        done = backups.back_up(ctx, tmp_path / "bigger", passphrase=PASS)  # the program carries on
        assert done.verified
    assert check_register(data_dir=str(data_dir)).ok


def test_a_write_protected_usb_stick_is_told_as_such(data_dir: Path, mount: Mount) -> None:
    usb = mount("8m")
    _remount(usb, "ro")
    with _register_with_cases(data_dir, 20) as ctx:
        with pytest.raises(TargetError) as refused:
            backups.back_up(ctx, usb / "台账备份", passphrase=PASS)
        assert "只读" in refused.value.message and "写保护" in refused.value.message
        assert backups.list_backups(ctx) == []
