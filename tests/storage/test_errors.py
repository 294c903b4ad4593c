"""Database failures told by their code: each one a clerk can act on gets its Chinese message, and
anything else (a missing table, a typo in SQL) is left to the crash handler.

Every failure that can be brought about here is: a second program holding the write lock, a
read-only file, a file of garbage, a damaged page, a missing folder; on PostgreSQL a wrong database
name, user or password, a closed port, a read-only transaction, two saves that deadlock. The few
that cannot (a full disk on the server, a failing disk, a server crash) are built as the driver's
own exception with the driver's code, exactly as it would raise them.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from damage import damage_register
from pg_throwaway import ThrowawayServer
from sqlalchemy import bindparam, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from wuye_desktop.errors import StorageError
from wuye_desktop.models import Community, MediationCase
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import engine
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.errors import translate
from wuye_desktop.storage.paths import DataPaths

PG_ADMIN_URL = os.environ.get("WUYE_TEST_PG_URL", "")
needs_pg = pytest.mark.skipif(not PG_ADMIN_URL, reason="set WUYE_TEST_PG_URL (scripts/test.sh does) to test PostgreSQL")

# What each message is known by: a phrase no other message has.
BUSY = "正被其他程序或电脑占用"
TABLE_LOCKED = "数据库正忙"
DISK_FULL = "磁盘空间已满，本次保存未写入。请清理磁盘空间"
DISK_ERROR = "读写磁盘出错"
READ_ONLY_FOLDER = "数据文件夹是只读的"
MOVED = "被移动、改名或删除"
DAMAGED = "数据库文件已损坏"
NOT_A_DATABASE = "不是有效的台账数据库"
CANNOT_OPEN = "无法打开数据库文件"
CANNOT_CONNECT = "无法连接数据库服务器"
CONNECTION_LOST = "连接已断开"
BAD_PASSWORD = "拒绝了用户名或密码"
USER_NOT_ALLOWED = "不接受这个用户的连接"
NO_DATABASE = "没有这个数据库"
SERVER_DISK_FULL = "数据库服务器的磁盘空间已满"
TOO_MANY_CONNECTIONS = "连接数已满"
SERVER_READ_ONLY = "只允许读取"
TRY_AGAIN = "请再试一次"


def _told(raised: BaseException) -> str:
    """The message a clerk sees for ``raised``; fails if it would go to the crash handler instead."""
    known = translate(raised)
    assert isinstance(known, StorageError), f"not recognised: {raised!r}"
    original = raised.orig if isinstance(raised, DBAPIError) else raised
    assert str(original).strip().splitlines()[0] not in known.message  # Chinese, not the driver's words
    return known.message


def _told_both_ways(error: sqlite3.Error | psycopg.Error) -> str:
    """The same message whether the driver's exception arrives raw or wrapped by SQLAlchemy."""
    base = sqlite3.Error if isinstance(error, sqlite3.Error) else psycopg.Error
    wrapped = DBAPIError.instance("INSERT INTO community ...", {}, error, base)
    assert wrapped.orig is error
    message = _told(error)
    assert _told(wrapped) == message
    return message


def _cause(raised: BaseException) -> Any:
    """The driver's exception under a StorageError the program raised."""
    cause = raised.__cause__
    assert isinstance(cause, DBAPIError), f"expected a database failure under {raised!r}"
    return cause.orig


# == SQLite ======================================================================================


def _plain_file(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
    return conn


def test_busy_another_program_holds_the_write_lock(tmp_path: Path) -> None:
    holder = _plain_file(tmp_path / "x.db")
    waiter = sqlite3.connect(tmp_path / "x.db", timeout=0.05, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError) as locked:
            waiter.execute("BEGIN IMMEDIATE")
    finally:
        holder.close()
        waiter.close()
    assert locked.value.sqlite_errorcode == sqlite3.SQLITE_BUSY
    assert BUSY in _told_both_ways(locked.value)


def test_busy_through_the_program_own_engine_after_its_timeout(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The register's own connections wait their busy timeout, then tell the clerk who to ask."""
    open_register(data_dir=str(data_dir)).dispose()
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 50)  # 30 s in the program
    db = Database.open(data_dir=str(data_dir))
    holder = sqlite3.connect(data_dir / "wuye.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageError) as refused, db.writing() as session:
            session.add(Community(name="幸福里社区"))
    finally:
        holder.close()
        db.dispose()
    assert BUSY in refused.value.message
    assert _cause(refused.value).sqlite_errorcode == sqlite3.SQLITE_BUSY


def test_locked_a_table_still_being_read_on_the_same_connection(tmp_path: Path) -> None:
    conn = _plain_file(tmp_path / "x.db")
    try:
        conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(10)])
        reading = conn.execute("SELECT x FROM t")
        reading.fetchone()
        with pytest.raises(sqlite3.OperationalError) as locked:
            conn.execute("DROP TABLE t")
    finally:
        conn.close()
    assert locked.value.sqlite_errorcode == sqlite3.SQLITE_LOCKED
    assert TABLE_LOCKED in _told_both_ways(locked.value)


def test_full_the_file_may_not_grow(tmp_path: Path) -> None:
    conn = _plain_file(tmp_path / "x.db")
    try:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is "full" from here on
        with pytest.raises(sqlite3.OperationalError) as full:
            conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
    finally:
        conn.close()
    assert full.value.sqlite_errorcode == sqlite3.SQLITE_FULL
    assert DISK_FULL in _told_both_ways(full.value)


@pytest.mark.parametrize("code", [sqlite3.SQLITE_IOERR, sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC,
                                  sqlite3.SQLITE_IOERR_SHORT_READ])
def test_ioerr_the_disk_fails_under_the_register(code: int) -> None:
    """A USB stick pulled out mid-save cannot be staged here: the error is built as sqlite3 raises it."""
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = code
    error.sqlite_errorname = next(n for n in dir(sqlite3) if n.startswith("SQLITE_IOERR")
                                  and getattr(sqlite3, n) == code)
    assert DISK_ERROR in _told_both_ways(error)


def test_readonly_a_file_opened_read_only(tmp_path: Path) -> None:
    _plain_file(tmp_path / "x.db").close()
    conn = sqlite3.connect(f"file:{tmp_path / 'x.db'}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as refused:
            conn.execute("INSERT INTO t VALUES (1)")
    finally:
        conn.close()
    assert refused.value.sqlite_errorcode == sqlite3.SQLITE_READONLY
    assert READ_ONLY_FOLDER in _told_both_ways(refused.value)


def test_readonly_through_the_program_and_it_is_logged(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    open_register(data_dir=str(data_dir)).dispose()
    read_only = Database(f"sqlite:///file:{data_dir / 'wuye.db'}?mode=ro&uri=true", DataPaths(data_dir))
    try:
        with pytest.raises(StorageError) as refused, read_only.writing() as session:
            session.add(Community(name="和平里社区"))
    finally:
        read_only.dispose()
    assert READ_ONLY_FOLDER in refused.value.message
    assert _cause(refused.value).sqlite_errorcode == sqlite3.SQLITE_READONLY
    assert any(r.levelname == "WARNING" and "readonly" in r.getMessage() for r in caplog.records)


def test_readonly_dbmoved_is_not_called_a_read_only_folder(tmp_path: Path) -> None:
    """The file was renamed while open (SQLITE_READONLY_DBMOVED): the folder is not to blame."""
    conn = _plain_file(tmp_path / "x.db")  # a rollback journal: SQLite checks the file is still there
    try:
        (tmp_path / "x.db").rename(tmp_path / "moved.db")
        with pytest.raises(sqlite3.OperationalError) as refused:
            conn.execute("INSERT INTO t VALUES (1)")
    finally:
        conn.close()
    assert refused.value.sqlite_errorcode == sqlite3.SQLITE_READONLY_DBMOVED
    message = _told_both_ways(refused.value)
    assert MOVED in message and READ_ONLY_FOLDER not in message


def test_corrupt_a_damaged_page_of_the_register(demo_register: Any, data_dir: Path) -> None:
    live = demo_register(120)
    damage_register(live)
    db = Database(f"sqlite:///{live}", DataPaths(data_dir))
    try:
        with pytest.raises(StorageError) as damaged, db.reading() as session:
            session.execute(select(MediationCase.summary)).all()
    finally:
        db.dispose()
    assert DAMAGED in damaged.value.message and "恢复" in damaged.value.message
    assert _cause(damaged.value).sqlite_errorcode & 0xFF == sqlite3.SQLITE_CORRUPT


def test_notadb_a_file_of_garbage(data_dir: Path) -> None:
    paths = DataPaths(data_dir).ensure()
    paths.database.write_bytes(b"PK\x03\x04 this is a zip file, not a register" * 200)
    db = Database(f"sqlite:///{paths.database}", paths)
    try:
        with pytest.raises(StorageError) as wrong, db.reading() as session:
            session.scalar(select(func.count()).select_from(Community))
    finally:
        db.dispose()
    assert NOT_A_DATABASE in wrong.value.message
    assert _cause(wrong.value).sqlite_errorcode == sqlite3.SQLITE_NOTADB


def test_notadb_raw_from_the_backup_code(tmp_path: Path) -> None:
    """The backup and restore code talk to sqlite3 itself: its exceptions arrive unwrapped."""
    (tmp_path / "x.db").write_bytes(os.urandom(8192))
    conn = sqlite3.connect(tmp_path / "x.db")
    try:
        with pytest.raises(sqlite3.DatabaseError) as wrong:
            conn.execute("SELECT * FROM sqlite_master")
    finally:
        conn.close()
    assert NOT_A_DATABASE in _told(wrong.value)


def test_cantopen_the_data_folder_is_gone(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / '拔掉的U盘' / 'wuye.db'}")
    try:
        with pytest.raises(StorageError) as missing, db.reading() as session:
            session.scalar(select(func.count()).select_from(Community))
    finally:
        db.dispose()
    assert CANNOT_OPEN in missing.value.message
    assert _cause(missing.value).sqlite_errorcode == sqlite3.SQLITE_CANTOPEN


@pytest.mark.parametrize(("code", "told"), [
    (sqlite3.SQLITE_BUSY_SNAPSHOT, BUSY),
    (sqlite3.SQLITE_LOCKED_SHAREDCACHE, TABLE_LOCKED),
    (sqlite3.SQLITE_READONLY_CANTLOCK, READ_ONLY_FOLDER),
    (sqlite3.SQLITE_CORRUPT_INDEX, DAMAGED),
    (sqlite3.SQLITE_CANTOPEN_ISDIR, CANNOT_OPEN),
])
def test_an_extended_code_is_told_as_its_family(code: int, told: str) -> None:
    error = sqlite3.OperationalError("as SQLite words it")
    error.sqlite_errorcode = code
    assert told in _told_both_ways(error)


def test_sqlite_failures_that_are_bugs_are_left_to_the_crash_handler(data_dir: Path, tmp_path: Path) -> None:
    conn = _plain_file(tmp_path / "x.db")
    conn.execute("CREATE UNIQUE INDEX ux ON t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    bugs: list[sqlite3.Error] = []
    for statement in ("SELECT * FROM no_such_table", "SELECT nonsense FROM t", "SELEC 1", "INSERT INTO t VALUES (1)"):
        with pytest.raises(sqlite3.Error) as raised:
            conn.execute(statement)
        bugs.append(raised.value)
    conn.close()
    with pytest.raises(sqlite3.ProgrammingError) as closed:
        conn.execute("SELECT 1")  # raised by the sqlite3 module itself, with no code
    bugs.append(closed.value)
    assert [getattr(b, "sqlite_errorname", None) for b in bugs] == [
        "SQLITE_ERROR", "SQLITE_ERROR", "SQLITE_ERROR", "SQLITE_CONSTRAINT_UNIQUE", None]
    for bug in bugs:
        assert translate(bug) is None
        assert translate(DBAPIError.instance("SELECT ...", {}, bug, sqlite3.Error)) is None

    # Through the program: the database's own error reaches the crash handler, not a message box.
    db = open_register(data_dir=str(data_dir))
    try:
        with pytest.raises(DBAPIError) as missing, db.reading() as session:
            session.execute(text("SELECT * FROM no_such_table"))
    finally:
        db.dispose()
    assert not isinstance(missing.value, StorageError)


def test_what_is_not_a_database_failure_at_all_is_left_alone() -> None:
    assert translate(ValueError("database is locked")) is None
    assert translate(OSError(28, "No space left on device")) is None


# == PostgreSQL ==================================================================================


def _admin() -> Any:
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _server(**parts: Any) -> str:
    return make_url(PG_ADMIN_URL or "postgresql+psycopg://postgres@127.0.0.1/postgres").set(
        **parts).render_as_string(hide_password=False)


def _failed_reading(db: Database) -> StorageError:
    try:
        with pytest.raises(StorageError) as failed, db.reading() as session:
            session.execute(text("SELECT 1"))
    finally:
        db.dispose()
    return failed.value


def test_connection_refused_a_closed_port_answers_nothing() -> None:
    """No server behind the port: psycopg's OperationalError carries no SQLSTATE, its class says it all."""
    told = _failed_reading(Database(_server(port=1)))
    assert CANNOT_CONNECT in told.message
    cause = _cause(told)
    assert type(cause) is psycopg.OperationalError and cause.sqlstate is None


@needs_pg
def test_3d000_the_database_name_is_wrong() -> None:
    told = _failed_reading(Database(_server(database="wuye_no_such_register")))
    assert NO_DATABASE in told.message
    assert 'database "wuye_no_such_register" does not exist' in str(_cause(told))


@needs_pg
def test_28000_the_user_does_not_exist() -> None:
    told = _failed_reading(Database(_server(username="wuye_no_such_clerk")))
    assert USER_NOT_ALLOWED in told.message


@needs_pg
def test_53300_no_connection_left_for_the_user() -> None:
    role = f"wuye_full_{os.getpid()}"
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0'))
    try:
        told = _failed_reading(Database(_server(username=role)))
        assert TOO_MANY_CONNECTIONS in told.message
        assert "too many connections" in str(_cause(told))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


@needs_pg
def test_25006_a_read_only_transaction_is_the_server_not_a_folder(pg_database: str) -> None:
    db = Database(pg_database)
    try:
        with pytest.raises(StorageError) as refused, db.writing() as session:
            session.execute(text("SET TRANSACTION READ ONLY"))  # as on a standby server
            session.add(Community(name="幸福里社区"))
    finally:
        db.dispose()
    assert SERVER_READ_ONLY in refused.value.message and "文件夹" not in refused.value.message
    assert _cause(refused.value).sqlstate == "25006"


@needs_pg
def test_40001_a_serializable_save_that_lost_the_race(pg_database: str) -> None:
    db = Database(pg_database)
    try:
        with db.writing() as session:
            session.add(Community(name="幸福里社区"))
        with pytest.raises(StorageError) as lost, db.writing() as first:
            first.connection(execution_options={"isolation_level": "SERIALIZABLE"})
            first.execute(text("SELECT street FROM community WHERE name = '幸福里社区'")).all()
            with db.writing() as second:  # another PC saves the same row meanwhile
                second.execute(text("UPDATE community SET street = '东街' WHERE name = '幸福里社区'"))
            first.execute(text("UPDATE community SET street = '西街' WHERE name = '幸福里社区'"))
        assert TRY_AGAIN in lost.value.message
        assert _cause(lost.value).sqlstate == "40001"
        with db.reading() as session:
            assert session.scalar(select(Community.street).where(Community.name == "幸福里社区")) == "东街"
    finally:
        db.dispose()


@needs_pg
def test_40p01_two_saves_waiting_for_each_other(pg_database: str) -> None:
    db = Database(pg_database)
    try:
        with db.writing() as session:
            session.add_all([Community(name="幸福里社区"), Community(name="和平里社区")])
        both_hold_one = threading.Barrier(2, timeout=10)
        failures: list[BaseException] = []

        def save(mine: str, theirs: str) -> None:
            try:
                with db.writing() as session:
                    session.execute(text("SET LOCAL deadlock_timeout = '100ms'"))
                    session.execute(text("UPDATE community SET street = 'x' WHERE name = :n"), {"n": mine})
                    both_hold_one.wait()
                    session.execute(text("UPDATE community SET street = 'y' WHERE name = :n"), {"n": theirs})
            except BaseException as exc:
                failures.append(exc)

        savers = [threading.Thread(target=save, args=("幸福里社区", "和平里社区")),
                  threading.Thread(target=save, args=("和平里社区", "幸福里社区"))]
        for saver in savers:
            saver.start()
        for saver in savers:
            saver.join(20)
        assert len(failures) == 1, failures  # the server picks one to give way; the other save goes through
        assert isinstance(failures[0], StorageError) and TRY_AGAIN in failures[0].message
        assert _cause(failures[0]).sqlstate == "40P01"
    finally:
        db.dispose()


@needs_pg
def test_57p01_the_administrator_ends_the_session(pg_database: str) -> None:
    db = Database(pg_database)
    admin = _admin()
    try:
        with pytest.raises(StorageError) as cut, db.reading() as session:
            pid = session.scalar(text("SELECT pg_backend_pid()"))
            with admin.connect() as other:  # waits until the session is gone
                assert other.scalar(text("SELECT pg_terminate_backend(:p, 5000)"), {"p": pid})
            session.execute(text("SELECT 1"))
        assert CONNECTION_LOST in cut.value.message
        assert _cause(cut.value).sqlstate == "57P01"
        with db.reading() as session:  # the program carries on with a new connection
            assert session.scalar(text("SELECT 1")) == 1
    finally:
        admin.dispose()
        db.dispose()


@needs_pg
def test_a_connection_cut_without_a_word_from_the_server(pg_database: str) -> None:
    """The network goes away under an open session: no SQLSTATE, told by class and by SQLAlchemy's
    noticing the connection is gone."""
    db = Database(pg_database)
    try:
        with pytest.raises(StorageError) as cut, db.reading() as session:
            raw = session.connection().connection.dbapi_connection
            assert raw is not None
            cable = socket.socket(fileno=os.dup(raw.pgconn.socket))
            cable.shutdown(socket.SHUT_RDWR)
            cable.close()
            session.execute(text("SELECT 1"))
        assert CONNECTION_LOST in cut.value.message
        assert _cause(cut.value).sqlstate is None
    finally:
        db.dispose()


@needs_pg
def test_42p01_and_other_mistakes_in_the_program_are_not_told_as_storage_errors(pg_database: str) -> None:
    """"relation ... does not exist" once read as "the server has no database": it is a bug."""
    db = Database(pg_database)
    found: dict[str, DBAPIError] = {}
    try:
        with db.writing() as session:
            session.add(Community(name="幸福里社区"))
        for statement in ("SELECT * FROM no_such_table", "SELECT nonsense FROM community", "SELEC 1",
                          "INSERT INTO community (uid, version, name, street) VALUES ('another', 1, '幸福里社区', '')",
                          f"UPDATE community SET uid = '{'x' * 33}'", "SELECT 1 / 0"):
            with pytest.raises(DBAPIError) as raised, db.writing() as session:
                session.execute(text(statement))
            assert not isinstance(raised.value, StorageError)
            found[raised.value.orig.sqlstate] = raised.value
    finally:
        db.dispose()
    assert sorted(found) == ["22001", "22012", "23505", "42601", "42703", "42P01"]
    for error in found.values():
        assert translate(error) is None
        assert translate(error.orig) is None


@needs_pg
def test_a_statement_libpq_refuses_to_send_is_a_bug_not_a_lost_connection(pg_database: str) -> None:
    """More than 65535 parameters: psycopg's OperationalError without a code, over a sound connection."""
    db = Database(pg_database)
    too_many = text("SELECT count(*) FROM community WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    try:
        with pytest.raises(DBAPIError) as refused, db.reading() as session:
            session.execute(too_many, {"ids": list(range(70_000))})
        assert not isinstance(refused.value, StorageError)
        assert type(refused.value.orig) is psycopg.OperationalError and refused.value.orig.sqlstate is None
        assert not refused.value.connection_invalidated
        assert translate(refused.value) is None
        with db.reading() as session:  # the connection was never in doubt
            assert session.scalar(select(func.count()).select_from(Community)) == 0
    finally:
        db.dispose()


@pytest.mark.parametrize(("sqlstate", "told"), [
    ("08001", CANNOT_CONNECT),  # the client could not establish the connection
    ("08004", CANNOT_CONNECT),  # the server rejected it
    ("08006", CONNECTION_LOST),  # connection failure
    ("08003", CONNECTION_LOST),  # connection does not exist
    ("57P02", CONNECTION_LOST),  # crash shutdown
    ("57P03", CANNOT_CONNECT),  # cannot connect now: starting up or shutting down
    ("53100", SERVER_DISK_FULL),
    ("28P01", BAD_PASSWORD),
    ("28000", USER_NOT_ALLOWED),
    ("3D000", NO_DATABASE),
    ("53300", TOO_MANY_CONNECTIONS),
    ("25006", SERVER_READ_ONLY),
    ("40001", TRY_AGAIN),
    ("40P01", TRY_AGAIN),
    ("57P01", CONNECTION_LOST),
])
def test_each_sqlstate_as_psycopg_raises_it(sqlstate: str, told: str) -> None:
    """Codes that cannot all be brought about here (a server's full disk, a crash) built by psycopg itself."""
    error = psycopg.errors.lookup(sqlstate)("as the server words it")
    assert error.sqlstate == sqlstate
    message = _told_both_ways(error)
    assert told in message
    assert "文件夹" not in message  # the server's trouble is never the clerk's folder


@pytest.mark.parametrize("sqlstate", ["42P01", "42703", "42601", "23505", "22P02", "57014", "XX000"])
def test_sqlstates_that_are_bugs_are_left_to_the_crash_handler(sqlstate: str) -> None:
    error = psycopg.errors.lookup(sqlstate)('relation "x" does not exist; read-only; connection refused')
    assert translate(error) is None
    assert translate(DBAPIError.instance("SELECT ...", {}, error, psycopg.Error)) is None


def test_psycopg_errors_without_a_code_that_are_not_about_the_connection_are_bugs() -> None:
    for error in (psycopg.InterfaceError("connection refused"), psycopg.ProgrammingError("database is locked"),
                  psycopg.DataError("does not exist")):
        assert error.sqlstate is None
        assert translate(error) is None


# -- a server of the test's own, asking for a password ------------------------------------------


@pytest.fixture(scope="module")
def password_server() -> Iterator[ThrowawayServer]:
    server = ThrowawayServer()  # like the other tests with a server of their own: fails where none can start
    hba = server.data / "pg_hba.conf"
    hba.write_text("host all clerk 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
    server.start()
    try:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE ROLE clerk LOGIN PASSWORD 'right'"))
        admin.dispose()
        yield server
    finally:
        server.remove()


@pytest.mark.parametrize("password", ["wrong", None], ids=["wrong-password", "no-password"])
def test_28p01_the_server_refuses_the_password(password_server: ThrowawayServer, password: str | None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    url = make_url(password_server.url()).set(username="clerk", password=password)
    told = _failed_reading(Database(url.render_as_string(hide_password=False)))
    assert BAD_PASSWORD in told.message
    assert _cause(told).sqlstate is None  # only the server's words say why: see storage/errors.py


def test_the_right_password_gets_in(password_server: ThrowawayServer) -> None:
    url = make_url(password_server.url()).set(username="clerk", password="right")
    db = Database(url.render_as_string(hide_password=False))
    try:
        with db.reading() as session:
            assert session.scalar(text("SELECT current_user")) == "clerk"
    finally:
        db.dispose()

