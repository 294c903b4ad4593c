"""Backup copies and the checks before a restore, at the file level: real SQLite files, real processes.

A backup must be one consistent moment of a register that others keep
writing to; a cut-off backup must never look finished; and a file that is
not a whole register of this program must be refused before anything is
touched.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from wuye_desktop.errors import StorageError
from wuye_desktop.storage import migrate
from wuye_desktop.storage.backup import (
    BackupCancelledError,
    integrity_problems,
    online_backup,
    quick_problems,
    sha256_of,
)
from wuye_desktop.storage.restore import copy_into, inspect_backup, keep_aside

WRITER = Path(__file__).resolve().parents[1] / "faults" / "writer.py"


def _rows(path: Path, sql: str) -> list[Any]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _sequence_matches_cases(path: Path) -> None:
    """Each year's counter equals its highest case number: the copy holds no half of a registration."""
    counters = dict(_rows(path, "SELECT year, last_value FROM number_sequence WHERE kind = 'case'"))
    highest = dict(_rows(path, "SELECT year, max(seq) FROM mediation_case GROUP BY year"))
    assert counters == highest


# -- taking a copy ---------------------------------------------------------------------------


def test_backup_taken_while_another_process_registers_cases_is_one_consistent_moment(
    data_dir: Path, demo_register: Any, tmp_path: Path
) -> None:
    live = demo_register(50)
    writer = subprocess.Popen([sys.executable, str(WRITER), str(data_dir), "0", "甲"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        for _ in range(20):  # the other program is really writing before the copies start
            assert writer.stdout.readline()
        copies = [tmp_path / f"copy{i}.db" for i in range(3)]
        for copy in copies:
            online_backup(live, copy)
    finally:
        writer.kill()
        writer.wait()
    counts = []
    for copy in copies:
        assert integrity_problems(copy) == []
        _sequence_matches_cases(copy)
        assert not Path(str(copy) + "-wal").exists(), "a backup is one self-contained file"
        assert _rows(copy, "PRAGMA journal_mode") == [("delete",)]
        counts.append(_rows(copy, "SELECT count(*) FROM mediation_case")[0][0])
    assert counts[0] >= 70 and counts == sorted(counts)
    assert not list(tmp_path.glob("*.partial"))


def test_cancelled_backup_leaves_nothing_behind(data_dir: Path, demo_register: Any, tmp_path: Path) -> None:
    live = demo_register(200)
    target = tmp_path / "usb" / "台账备份.db"
    steps: list[int] = []

    with pytest.raises(BackupCancelledError) as cancelled:
        online_backup(live, target, lambda done, total: steps.append(done), cancelled=lambda: bool(steps))

    assert "已取消" in cancelled.value.message
    assert steps, "the copy had started"
    assert list(target.parent.iterdir()) == []
    assert integrity_problems(live) == []


def test_backup_of_a_register_that_is_not_there_does_not_create_one(tmp_path: Path) -> None:
    missing = tmp_path / "data" / "wuye.db"
    missing.parent.mkdir()
    with pytest.raises(StorageError) as failed:
        online_backup(missing, tmp_path / "out" / "b.db")
    assert "找不到或无法打开台账数据库" in failed.value.message
    assert not missing.exists()
    assert not list((tmp_path / "out").glob("*"))


# -- what may be restored ------------------------------------------------------------------------


def _refused(path: Path, *words: str) -> None:
    before = sha256_of(path) if path.exists() else None
    with pytest.raises(StorageError) as refused:
        inspect_backup(path)
    for word in words:
        assert word in refused.value.message, refused.value.message
    if before is not None:
        assert sha256_of(path) == before, "looking at a backup must never change it"


def test_a_whole_register_is_accepted_with_what_it_holds(demo_register: Any) -> None:
    facts = inspect_backup(demo_register(30))
    assert (facts.revision, facts.cases, facts.needs_upgrade) == (migrate.head_revision(), 30, False)


def test_garbage_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x89PNG not a register" * 3000)
    _refused(garbage, "不是台账备份文件", "没有做任何改动")
    _refused(tmp_path / "nowhere.db", "找不到备份文件")


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "customers.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    _refused(other, "不是本程序的台账备份")


def test_a_backup_from_a_newer_program_is_refused(demo_register: Any, tmp_path: Path) -> None:
    path = demo_register(5)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.commit()
    conn.close()
    _refused(path, "更新版本的程序", "ffff9999")


def test_a_damaged_backup_is_refused(demo_register: Any) -> None:
    path = demo_register(300, seed=3)
    page_size = _rows(path, "PRAGMA page_size")[0][0]
    pages = [r[0] for r in _rows(path, "SELECT pageno FROM dbstat WHERE name = 'mediation_case' AND pagetype = 'leaf'")]
    with path.open("r+b") as fh:
        fh.seek((pages[len(pages) // 2] - 1) * page_size)
        fh.write(b"\xde\xad" * (page_size // 2))
    _refused(path, "已损坏", "不能用来恢复")
    assert quick_problems(path), "the fast start-up check sees it too"


def test_a_backup_with_broken_references_is_refused(demo_register: Any) -> None:
    path = demo_register(10)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE case_party SET party_id = 987654")
    conn.close()
    _refused(path, "不存在的 party 记录")


# -- copying into the live register -----------------------------------------------------------


def test_restore_copies_into_the_live_register_that_another_program_holds_open(
    data_dir: Path, demo_register: Any, tmp_path: Path
) -> None:
    live = demo_register(20)
    backup = tmp_path / "backup.db"
    online_backup(live, backup)
    other_program = sqlite3.connect(live, isolation_level=None)
    other_program.execute("INSERT INTO community (uid, version, name, street, created_at, updated_at) "
                          "VALUES ('x1', 1, '后来加的社区', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
    assert other_program.execute("SELECT count(*) FROM community WHERE name = '后来加的社区'").fetchone() == (1,)

    copy_into(backup, live)

    # The program that had it open all along now reads the backup's content, through the same connection.
    assert other_program.execute("SELECT count(*) FROM community WHERE name = '后来加的社区'").fetchone() == (0,)
    assert other_program.execute("SELECT count(*) FROM mediation_case").fetchone() == (20,)
    assert other_program.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    other_program.close()
    assert integrity_problems(live) == []


def test_a_writer_holding_the_lock_makes_the_restore_wait_not_fail(
    data_dir: Path, demo_register: Any, tmp_path: Path
) -> None:
    live = demo_register(10)
    backup = tmp_path / "backup.db"
    online_backup(live, backup)
    holder = sqlite3.connect(live, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("DELETE FROM case_event")
    released = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    released.start()
    try:
        copy_into(backup, live)
    finally:
        released.join()
        holder.close()
    assert _rows(live, "SELECT count(*) FROM case_event")[0][0] > 0, "the restore came after the other save"
    assert integrity_problems(live) == []


def test_an_unreadable_live_file_is_replaced_and_kept_aside_as_it_was(
    data_dir: Path, demo_register: Any, tmp_path: Path
) -> None:
    live = demo_register(10)
    backup = tmp_path / "backup.db"
    online_backup(live, backup)
    live.write_bytes(b"overwritten by another program " * 1000)
    garbage = live.read_bytes()

    kept, whole = keep_aside(live, data_dir / "backups" / "恢复前-x.db")
    copy_into(backup, live)

    assert not whole and kept.name == "恢复前-x-已损坏.db"
    assert kept.read_bytes() == garbage, "the damaged bytes are kept for whoever tries to rescue them"
    assert integrity_problems(live) == []
    assert _rows(live, "SELECT count(*) FROM mediation_case") == [(10,)]
    assert sorted(p.name for p in data_dir.glob("*") if p.is_file() and p.suffix == ".db") == ["wuye.db"]
