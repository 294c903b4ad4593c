"""The shared server: the connection profile and its password, testing a server, pinyin order,
trigram search, and a connection lost and found again, on a PostgreSQL server this module starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from keyring_memory import MemoryKeyring
from pg_throwaway import ThrowawayServer
from service_helpers import TODAY, add_estate, person, register_case
from sqlalchemy import create_engine, event, func, select, text

from wuye_desktop.errors import StorageError, ValidationError
from wuye_desktop.models import CaseSearchText, MediationCase
from wuye_desktop.services import reference, server
from wuye_desktop.services.cases.listing import CaseFilter, count
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage.engine import Database


@pytest.fixture
def os_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture(scope="module")
def pg() -> Iterator[ThrowawayServer]:
    found = ThrowawayServer()
    found.start()
    yield found
    found.remove()


_names = iter(range(1000))


@pytest.fixture
def server_db(pg: ThrowawayServer, tmp_path: Path) -> Iterator[Database]:
    db = open_register(data_dir=str(tmp_path / "pc"), db_url=pg.create_database(f"wuye_{next(_names)}"))
    yield db
    db.dispose()


def clerk(db: Database) -> Context:
    return Context(db, User("王晓燕"), today_override=TODAY)


# -- the profile -------------------------------------------------------------------------------


def test_profile_form_names_each_wrong_field() -> None:
    with pytest.raises(ValidationError) as raised:
        server.clean_profile(" ", "54x", "", "")
    assert set(raised.value.errors) == {"host", "port", "database", "user"}
    with pytest.raises(ValidationError, match="65535"):
        server.clean_profile("10.0.0.5", "70000", "wuye", "clerk")
    assert server.clean_profile(" 10.0.0.5 ", "", "wuye", "clerk") == server.ConnectionProfile(
        "10.0.0.5", 5432, "wuye", "clerk")


def test_password_goes_to_the_keyring_never_to_the_file(tmp_path: Path, os_keyring: MemoryKeyring) -> None:
    profile = server.ConnectionProfile("192.168.1.10", 5432, "wuye", "clerk")
    server.save_profile(tmp_path, profile, "s3cret-密码")
    saved = (tmp_path / server.PROFILE_FILE).read_text(encoding="utf-8")
    assert "s3cret" not in saved
    assert json.loads(saved) == {"host": "192.168.1.10", "port": 5432, "database": "wuye", "user": "clerk"}
    assert os_keyring.secrets == {(server.KEYRING_SERVICE, "clerk@192.168.1.10:5432/wuye"): "s3cret-密码"}
    assert server.load_profile(tmp_path) == profile
    assert server.saved_url(tmp_path) == "postgresql+psycopg://clerk:s3cret-%E5%AF%86%E7%A0%81@192.168.1.10:5432/wuye"

    server.forget_profile(tmp_path)
    assert server.load_profile(tmp_path) is None and not os_keyring.secrets


def test_without_a_keyring_the_password_is_not_saved_and_the_user_is_told(tmp_path: Path, no_keyring: None) -> None:
    profile = server.ConnectionProfile("192.168.1.10", 5432, "wuye", "clerk")
    with pytest.raises(StorageError, match="没有可用的系统密码库"):
        server.save_profile(tmp_path, profile, "s3cret")
    assert not any(tmp_path.iterdir())  # nothing half-saved, nothing in a file
    server.save_profile(tmp_path, profile)  # a server that lets this PC in without a password
    assert server.saved_url(tmp_path) == "postgresql+psycopg://clerk@192.168.1.10:5432/wuye"


def test_a_broken_profile_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / server.PROFILE_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(StorageError, match="已损坏"):
        server.load_profile(tmp_path)


def test_the_program_opens_the_server_of_the_saved_profile(
        pg: ThrowawayServer, tmp_path: Path, os_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WUYE_DB_URL", raising=False)
    pg.create_database("wuye_profile")
    server.save_profile(tmp_path, server.ConnectionProfile("127.0.0.1", pg.port, "wuye_profile", "postgres"))
    db = open_register(data_dir=str(tmp_path))
    try:
        assert not db.is_sqlite and db.display_location.endswith(f":{pg.port}/wuye_profile")
        assert register_case(clerk(db)).number == "（2026）某某调字第1号"
    finally:
        db.dispose()
    assert not (tmp_path / "wuye.db").exists()


# -- testing a server ------------------------------------------------------------------------


def test_testing_a_server_says_what_it_offers(server_db: Database, pg: ThrowawayServer) -> None:
    register_case(clerk(server_db))
    info = server.test_connection(server_db.url)
    assert info.version.startswith(("15", "16", "17")) and info.has_icu and info.has_trigram
    assert info.cases == 1 and info.schema_revision
    assert info.lines()[0].startswith("连接成功")
    empty = server.test_connection(pg.create_database("wuye_empty"))
    assert empty.schema_revision is None and "wuye init" in empty.lines()[1]


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql+psycopg://postgres@127.0.0.1:1/wuye", "无法连接数据库服务器"),
    ("sqlite:///x.db", "只支持 PostgreSQL"),
    ("not a url", "不是有效的数据库地址"),
])
def test_a_server_that_does_not_answer_is_said_plainly(url: str, message: str) -> None:
    with pytest.raises((StorageError, ValidationError), match=message):
        server.test_connection(url)


def test_a_database_that_does_not_exist_is_said_plainly(pg: ThrowawayServer) -> None:
    with pytest.raises(StorageError, match="没有这个数据库"):
        server.test_connection(pg.url("no_such_register"))


# -- what PostgreSQL adds ---------------------------------------------------------------------


def test_names_sort_by_pinyin_on_the_server(server_db: Database, tmp_path: Path) -> None:
    names = ["张家湾小区", "阿拉丁花园", "李家村", "白云小区"]
    for serial, name in enumerate(names, 1):
        add_estate(clerk(server_db), name, f"物业{serial}", serial)
    assert [c.name for c in reference.estates(clerk(server_db))] == ["阿拉丁花园", "白云小区", "李家村", "张家湾小区"]

    local = open_register(data_dir=str(tmp_path / "local"))  # SQLite: code point order, no failure
    try:
        for serial, name in enumerate(names, 1):
            add_estate(clerk(local), name, f"物业{serial}", serial)
        assert sorted(c.name for c in reference.estates(clerk(local))) == sorted(names)
    finally:
        local.dispose()


def test_long_queries_use_the_trigram_index_short_ones_still_work(server_db: Database) -> None:
    ctx = clerk(server_db)
    register_case(ctx, "锦绣花园楼上漏水", parties=[person("张三")])
    register_case(ctx, "停车位纠纷", parties=[person("李四")])
    assert [count(ctx, CaseFilter(text=q)) for q in ("张", "张三", "锦绣花园", "停车位纠纷")] == [1, 1, 1, 1]
    with server_db.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # two rows: make the planner show its index choice
        plan = "\n".join(r[0] for r in conn.execute(text(
            "EXPLAIN SELECT case_id FROM case_search_text WHERE body ILIKE '%锦绣花园%'")))
    assert "ix_case_search_text_body_trgm" in plan


# -- a lost connection -------------------------------------------------------------------------


def test_lost_connection_is_reported_and_the_program_reconnects(pg: ThrowawayServer, server_db: Database) -> None:
    ctx = clerk(server_db)
    first = register_case(ctx)
    pg.stop()
    try:
        with pytest.raises(StorageError) as raised:
            register_case(ctx, "停电期间登记的纠纷")
        assert "无法连接数据库服务器" in raised.value.message
        with pytest.raises(StorageError):
            count(ctx, CaseFilter())
    finally:
        pg.start()
    # Same Database object, nothing reopened: the pool notices the new server and reconnects.
    again = register_case(ctx, "恢复后登记的纠纷")
    assert (first.number, again.number) == ("（2026）某某调字第1号", "（2026）某某调字第2号")
    assert count(ctx, CaseFilter()) == 2


def test_connection_dropped_in_the_middle_of_a_save_leaves_nothing_half_saved(
        pg: ThrowawayServer, server_db: Database) -> None:
    ctx = clerk(server_db)
    register_case(ctx)
    admin = create_engine(pg.url(), isolation_level="AUTOCOMMIT")
    dropped: list[int] = []

    def cut_the_cable(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # After the case row is written, before its parties: the server end goes away.
        if statement.startswith("INSERT INTO case_party") and not dropped:
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            dropped.append(pid)

    event.listen(server_db.engine, "before_cursor_execute", cut_the_cable)
    try:
        with pytest.raises(StorageError, match="连接已断开"):
            register_case(ctx, "断线时正在保存的纠纷", parties=[person("周八")])
    finally:
        event.remove(server_db.engine, "before_cursor_execute", cut_the_cable)
        admin.dispose()
    assert dropped
    with server_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(MediationCase)) == 1
        assert session.scalar(select(func.count()).select_from(CaseSearchText)) == 1
    # The number the broken save had taken was given back with it.
    assert register_case(ctx, "重新保存").number == "（2026）某某调字第2号"

