"""The database handle: settings that make a saved case survive, locking between PCs, failures in Chinese,
and where the data folder is.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from wuye_desktop.errors import StorageError, ValidationError
from wuye_desktop.models import AuditEvent, Community
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import paths as paths_module
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.errors import translate
from wuye_desktop.storage.paths import DataPaths, default_data_dir, looks_like_network_path, resolve_data_dir
from wuye_desktop.storage.redact import redact


@pytest.fixture
def sqlite_db(data_dir: Path) -> Iterator[Database]:
    db = open_register(data_dir=str(data_dir))
    yield db
    db.dispose()


def _communities(db: Database, name: str) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Community).where(Community.name == name)) or 0


# -- SQLite settings ---------------------------------------------------------------------------


def test_every_pooled_connection_has_the_settings_a_legal_record_needs(sqlite_db: Database) -> None:
    """WAL, synchronous=FULL (a saved case survives a power cut), foreign keys, a long busy timeout."""
    connections = [sqlite_db.engine.connect() for _ in range(4)]
    try:
        assert len({id(c.connection.dbapi_connection) for c in connections}) == 4
        for conn in connections:
            pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
            assert pragma["journal_mode"] == "wal"
            assert pragma["synchronous"] == 2  # FULL
            assert pragma["foreign_keys"] == 1
            assert (pragma["busy_timeout"] or 0) >= 30_000
    finally:
        for conn in connections:
            conn.close()
    with sqlite_db.writing() as session:
        assert session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert session.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2


def _other_pc(path: Path) -> tuple[int, str]:
    """Another process's view: a plain read, then an attempt to start writing (waiting at most 0.2 s)."""
    other = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    try:
        count = other.execute("SELECT count(*) FROM community").fetchone()[0]
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            return count, str(exc)
        other.execute("ROLLBACK")
        return count, "got the write lock"
    finally:
        other.close()


def test_writing_takes_the_write_lock_at_its_first_statement_while_readers_carry_on(
    sqlite_db: Database, data_dir: Path
) -> None:
    """``BEGIN IMMEDIATE``: a unit of work that reads first cannot later fail half way on the lock."""
    path = data_dir / "wuye.db"
    with sqlite_db.reading() as session:
        session.scalar(select(func.count()).select_from(Community))
        with ThreadPoolExecutor(1) as pool:
            assert pool.submit(_other_pc, path).result()[1] == "got the write lock"

    with sqlite_db.writing() as session:
        session.scalar(select(func.count()).select_from(Community))  # only a read so far
        with ThreadPoolExecutor(1) as pool:
            count, outcome = pool.submit(_other_pc, path).result()
    assert outcome == "database is locked"
    assert count == 0  # reading still works while someone writes (WAL)


def test_two_writers_queue_instead_of_failing(data_dir: Path) -> None:
    """Two PCs saving at once: the second waits for the first and both saves are kept."""
    first = open_register(data_dir=str(data_dir))
    second = Database.open(data_dir=str(data_dir))
    holding = threading.Event()

    def slow_save() -> None:
        with first.writing() as session:
            session.add(Community(name="幸福里社区"))
            session.flush()
            holding.set()
            time.sleep(0.5)

    try:
        with ThreadPoolExecutor(1) as pool:
            job = pool.submit(slow_save)
            assert holding.wait(5)
            started = time.monotonic()
            with second.writing() as session:
                session.add(Community(name="和平里社区"))
            waited = time.monotonic() - started
            job.result()
        assert waited > 0.2, "the second save should have waited for the first"
        assert _communities(first, "幸福里社区") == 1
        assert _communities(first, "和平里社区") == 1
    finally:
        first.dispose()
        second.dispose()


# -- units of work ---------------------------------------------------------------------------


def test_validation_error_inside_a_unit_of_work_saves_nothing(db: Database) -> None:
    with db.reading() as session:
        audits_before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(ValidationError), db.writing() as session:
        session.add(Community(name="半途而废社区"))
        session.flush()  # the row has reached the database inside the transaction
        raise ValidationError.single("street", "请填写街道")
    assert _communities(db, "半途而废社区") == 0
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == audits_before


def test_read_only_register_refuses_saves_in_chinese_and_keeps_working(sqlite_db: Database, data_dir: Path) -> None:
    """The data folder becomes read-only while the program runs (a write-protected USB stick, a share
    whose permissions changed): saving is refused in plain Chinese and the register can still be read."""
    path = data_dir / "wuye.db"
    with sqlite_db.writing() as session:
        session.add(Community(name="幸福里社区"))
    still_open = sqlite_db.engine.connect()  # the running program keeps the register (and its -wal/-shm) open
    still_open.exec_driver_sql("SELECT count(*) FROM community").all()

    restore: list[tuple[Path, int]] = []
    if os.geteuid() == 0:
        # Permission bits do not stop root: open the file read-only the way SQLite itself can.
        read_only = Database(f"sqlite:///file:{path}?mode=ro&uri=true", DataPaths(data_dir))
    else:
        restore = [(path, path.stat().st_mode), (data_dir, data_dir.stat().st_mode)]
        path.chmod(0o444)
        data_dir.chmod(0o555)
        read_only = Database(f"sqlite:///{path}", DataPaths(data_dir))
    try:
        with pytest.raises(StorageError) as refused, read_only.writing() as session:
            session.add(Community(name="和平里社区"))
        assert "只读" in refused.value.message
        # The program carries on: the next look at the register works.
        assert _communities(read_only, "幸福里社区") == 1
        assert _communities(read_only, "和平里社区") == 0
    finally:
        read_only.dispose()
        for target, mode in reversed(restore):
            target.chmod(mode)
        still_open.close()


def test_file_that_is_not_a_database_is_reported_in_chinese_not_as_a_crash(data_dir: Path) -> None:
    paths = DataPaths(data_dir).ensure()
    paths.database.write_bytes(os.urandom(8192))
    db = Database(f"sqlite:///{paths.database}", paths)
    try:
        with pytest.raises(StorageError) as failed, db.reading() as session:
            session.scalar(select(func.count()).select_from(Community))
        assert "不是有效的台账数据库" in failed.value.message
    finally:
        db.dispose()


# -- failures in Chinese ----------------------------------------------------------------------


def _locked_error(path: Path) -> sqlite3.OperationalError:
    holder = sqlite3.connect(path, isolation_level=None)
    waiter = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError) as locked:
            waiter.execute("BEGIN IMMEDIATE")
        return locked.value
    finally:
        holder.close()
        waiter.close()


def _disk_full_error(path: Path) -> sqlite3.OperationalError:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("CREATE TABLE t (x)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is "full" from here on
        with pytest.raises(sqlite3.OperationalError) as full:
            conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
        return full.value
    finally:
        conn.close()


def _not_a_database_error(path: Path) -> sqlite3.DatabaseError:
    path.write_bytes(b"PK\x03\x04 this is a zip file, not a register" * 200)
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError) as wrong:
            conn.execute("SELECT * FROM sqlite_master")
        return wrong.value
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("make_error", "driver_text", "told"),
    [
        (_locked_error, "database is locked", "占用"),
        (_disk_full_error, "database or disk is full", "磁盘空间已满"),
        (_not_a_database_error, "file is not a database", "不是有效的台账数据库"),
    ],
    ids=["locked", "disk-full", "not-a-database"],
)
def test_database_failures_a_user_can_act_on_are_told_in_chinese(
    make_error: Callable[[Path], sqlite3.Error], driver_text: str, told: str, tmp_path: Path
) -> None:
    error = make_error(tmp_path / "x.db")
    assert driver_text in str(error)  # the real driver's words, not a made-up exception
    for raised in (error, OperationalError("INSERT ...", {}, error)):  # as sqlite3 and as SQLAlchemy raise it
        translated = translate(raised)
        assert isinstance(translated, StorageError)
        assert told in translated.message
        assert driver_text not in translated.message


def test_unknown_database_failure_is_left_to_the_crash_handler() -> None:
    assert translate(sqlite3.OperationalError("no such column: mediation_case.nonsense")) is None


# -- personal numbers out of logs ----------------------------------------------------------------


def test_redact_masks_id_numbers_and_mobiles_but_keeps_dates_amounts_and_case_numbers() -> None:
    text = (
        "申请人张三（身份证11010519491231002X，手机13812345678）与李四（身份证 44030419851201123x，"
        "电话15900001111）于2026-11-20达成协议，赔偿12000.00元，20261120前付清；"
        "案号（2026）幸福里调字第12号，座机010-88776655，编号010-12345678"
    )
    masked = redact(text)
    for secret in ("11010519491231002X", "44030419851201123x", "13812345678", "15900001111", "88776655"):
        assert secret not in masked
    assert "110***********002X" in masked
    assert "440***********123X" in masked
    assert "010-****6655" in masked
    assert "138****5678" in masked
    assert "159****1111" in masked
    for kept in ("2026-11-20", "12000.00元", "20261120", "（2026）幸福里调字第12号", "010-12345678", "张三"):
        assert kept in masked


# -- the data folder ----------------------------------------------------------------------------


def test_data_folder_comes_from_the_flag_then_the_environment_then_the_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flag, env = tmp_path / "flag", tmp_path / "env"
    monkeypatch.setenv("WUYE_DATA_DIR", str(env))
    assert resolve_data_dir(str(flag)).root == flag
    assert resolve_data_dir().root == env
    monkeypatch.delenv("WUYE_DATA_DIR")
    default = resolve_data_dir().root
    assert default == default_data_dir()
    assert default.is_absolute()
    assert "WuyeDesktop" in default.parts
    assert default.name == paths_module.APP_NAME

    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir("relative").root == tmp_path / "relative"  # always absolute


def test_data_folder_that_cannot_exist_is_refused_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as missing:
        DataPaths(Path("/proc/no/such/dir")).ensure()
    assert "数据文件夹" in missing.value.message
    assert "路径不存在" in missing.value.message

    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    with pytest.raises(StorageError) as blocked:
        DataPaths(a_file / "wuye").ensure()
    assert "不是文件夹" in blocked.value.message


@pytest.mark.parametrize("text", ["\\\\server\\share\\wuye", "//server/share", "//nas/调解室/台账"])
def test_network_paths_are_recognised(text: str) -> None:
    assert looks_like_network_path(Path(text))


@pytest.mark.parametrize("text", ["/home/clerk/wuye", "relative/wuye", "/srv//share"])
def test_local_paths_are_not_taken_for_network_paths(text: str) -> None:
    assert not looks_like_network_path(Path(text))
