"""Moving a single-PC register onto the shared server: every row, ids kept, counts and checksums equal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_throwaway import ThrowawayServer
from service_helpers import TODAY, register_case
from sqlalchemy import create_engine, text

from wuye_desktop.errors import StorageError, ValidationError
from wuye_desktop.models import Base
from wuye_desktop.services import audit, demo
from wuye_desktop.services.cases.listing import CaseFilter, count
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.services.server import migration as migrate_to
from wuye_desktop.storage.engine import Database


@pytest.fixture(scope="module")
def pg() -> Iterator[ThrowawayServer]:
    found = ThrowawayServer()
    found.start()
    yield found
    found.remove()


_names = iter(range(1000))


@pytest.fixture
def target(pg: ThrowawayServer) -> str:
    return pg.create_database(f"wuye_move_{next(_names)}")


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Context]:
    db = open_register(data_dir=str(tmp_path / "pc"))
    ctx = Context(db, User("管理员"), today_override=TODAY)
    demo.generate(ctx, 120, seed=3)
    yield ctx
    db.dispose()


def opened(url: str, tmp_path: Path) -> Database:
    return open_register(data_dir=str(tmp_path / "other-pc"), db_url=url)


def test_every_table_arrives_whole_and_checks_out(local: Context, target: str, tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []
    report = migrate_to.migrate_to(local, target, progress=lambda d, t: steps.append((d, t)))
    assert report.cases == 120
    assert {c.table for c in report.tables} == {t.name for t in Base.metadata.sorted_tables}
    assert steps[-1][0] == steps[-1][1]

    db = opened(target, tmp_path)
    try:
        with local.db.reading() as mine, db.reading() as theirs:
            for table in Base.metadata.sorted_tables:
                if table.name in ("audit_event", "setting"):
                    continue  # each side has since recorded the move itself (and moved its chain's head)
                assert migrate_to.digest(mine, table) == migrate_to.digest(theirs, table), table.name
        assert audit.verify(db).ok  # the audit trail arrived unbroken and goes on from there
        server_ctx = Context(db, User("王晓燕"), today_override=TODAY)
        assert count(server_ctx, CaseFilter()) == 120
        assert count(server_ctx, CaseFilter(text="漏水")) == count(local, CaseFilter(text="漏水"))
        # Sequences were moved past the copied ids: the next case gets a new id and the next number.
        with local.db.reading() as session:
            last = session.execute(text("SELECT max(id), max(seq) FROM mediation_case WHERE year = 2026")).one()
        new = register_case(server_ctx, "迁移后登记的第一件纠纷")
        assert new.id > last[0]
        assert new.number == f"（2026）幸福里调字第{last[1] + 1}号"
    finally:
        db.dispose()


def test_a_server_that_already_holds_cases_is_refused(local: Context, target: str, tmp_path: Path) -> None:
    migrate_to.migrate_to(local, target)
    db = opened(target, tmp_path)
    try:
        register_case(Context(db, User("王晓燕"), today_override=TODAY), "服务器上新登记的纠纷")
        before = count(Context(db), CaseFilter())
    finally:
        db.dispose()
    with pytest.raises(StorageError, match=f"已有 {before} 件案件"):
        migrate_to.migrate_to(local, target)
    db = opened(target, tmp_path)
    try:
        assert count(Context(db), CaseFilter()) == before
    finally:
        db.dispose()


def test_a_freshly_initialised_server_is_accepted(local: Context, target: str, tmp_path: Path) -> None:
    opened(target, tmp_path).dispose()  # wuye --db-url URL init: the default committee and lists
    assert migrate_to.migrate_to(local, target).cases == 120


def test_only_a_local_register_moves_and_only_to_postgresql(local: Context, target: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="PostgreSQL"):
        migrate_to.migrate_to(local, f"sqlite:///{tmp_path / 'x.db'}")
    db = opened(target, tmp_path)
    try:
        with pytest.raises(ValidationError, match="已经在服务器上"):
            migrate_to.migrate_to(Context(db), target)
    finally:
        db.dispose()


def test_a_database_of_another_program_is_left_alone(local: Context, pg: ThrowawayServer) -> None:
    url = pg.create_database(f"other_{next(_names)}")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE payroll (id int)"))
    engine.dispose()
    with pytest.raises(StorageError, match="不是本程序创建的台账"):
        migrate_to.migrate_to(local, url)


def test_an_unreachable_server_is_said_plainly(local: Context) -> None:
    with pytest.raises(StorageError, match="无法连接数据库服务器"):
        migrate_to.migrate_to(local, "postgresql+psycopg://postgres@127.0.0.1:1/wuye")
