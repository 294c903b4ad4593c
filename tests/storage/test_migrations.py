"""Schema migrations: a first start creates the register, models and migrations agree, and an upgrade
either finishes or leaves the register exactly as it was.

A mediation room's register is a legal record kept for years on one PC:
the program must never run on a half-upgraded schema, never touch a
database it does not understand, and must open every register an earlier
version made (``tests/fixtures/registers``).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, text

from wuye_desktop.errors import StorageError
from wuye_desktop.models import AuditEvent, Base, MediationCase
from wuye_desktop.services import audit
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import migrate, schema
from wuye_desktop.storage.backup import integrity_problems, sha256_of
from wuye_desktop.storage.check import check_database
from wuye_desktop.storage.engine import Database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
NUMBER = re.compile(r"（(\d{4})）幸福里调字第([1-9]\d*)号")
BROKEN_REVISION = "9999broken"
BROKEN_STEP = '''"""A step that fails half way through, to prove a failed upgrade is undone."""

import sqlalchemy as sa
from alembic import op

revision = "9999broken"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mediation_case", sa.Column("broken_extra", sa.String(20), nullable=True))
    raise RuntimeError("模拟的升级步骤失败")


def downgrade() -> None:
    op.drop_column("mediation_case", "broken_extra")
'''


def _schema_differences(db: Database) -> list[Any]:
    """What Alembic's autogenerate would add to make the database match the models.

    The MigrationContext is the one ``migrations/env.py`` itself configures
    (same ``include_object``, ``compare_type=True``), so this sees exactly
    what ``alembic revision --autogenerate`` would.
    """
    config = migrate.alembic_config()
    script = ScriptDirectory.from_config(config)
    found: list[Any] = []
    options: dict[str, Any] = {}

    def compare(_revision: object, context: Any) -> list[Any]:
        options.update(context.opts)
        found.extend(compare_metadata(context, Base.metadata))
        return []  # compare only: run no migration

    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        with EnvironmentContext(config, script, fn=compare):
            script.run_env()
    assert options.get("compare_type") is True
    assert options.get("include_object") is not None
    return found


def _sql_url(backend: str, data_dir: Path, db_url: str | None) -> str:
    """A plain URL for looking at the database from outside the program."""
    return db_url if backend == "postgresql" and db_url else f"sqlite:///{data_dir / 'wuye.db'}"


def _snapshot(url: str) -> tuple[str | None, list[str], list[str], int]:
    """(schema version, columns of mediation_case, case numbers, audit entries) seen from outside."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            numbers = sorted(conn.execute(select(MediationCase.number)).scalars())
            audits = conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
        columns = [c["name"] for c in inspect(engine).get_columns("mediation_case")]
    finally:
        engine.dispose()
    return version, columns, numbers, audits


def _install_failing_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Give the program one more migration that adds a column and then fails; return the real head."""
    real_head = migrate.head_revision()
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "9999_broken_step.py").write_text(BROKEN_STEP.format(down=real_head), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    monkeypatch.setattr(schema, "HEAD", BROKEN_REVISION)  # the program's own idea of its newest schema
    assert migrate.head_revision() == BROKEN_REVISION
    return real_head


# -- first start -----------------------------------------------------------------------


def test_first_start_creates_the_whole_schema_at_the_programs_version(
    empty_db_url: str | None, data_dir: Path
) -> None:
    db = Database.open(data_dir=str(data_dir), db_url=empty_db_url)
    try:
        assert migrate.current_revision(db) is None
        result = migrate.upgrade(db)
        head = migrate.head_revision()
        assert (result.from_revision, result.to_revision, result.safety_copy) == (None, head, None)
        assert migrate.current_revision(db) == head
        tables = set(inspect(db.engine).get_table_names())
        assert {"mediation_case", "party", "case_party", "agreement", "audit_event", "number_sequence"} <= tables

        # The next start finds nothing to do and takes no safety copy.
        again = migrate.upgrade(db)
        assert (again.from_revision, again.to_revision, again.safety_copy) == (head, head, None)
    finally:
        db.dispose()
    assert list((data_dir / "backups").iterdir()) == []


def test_models_and_migrations_agree(empty_db_url: str | None, data_dir: Path) -> None:
    """Whatever the models say, the migrations build: nothing missing, nothing of another type."""
    db = open_register(data_dir=str(data_dir), db_url=empty_db_url)
    try:
        assert _schema_differences(db) == []
    finally:
        db.dispose()


def test_the_agreement_check_would_notice_a_schema_the_models_do_not_match(db: Database) -> None:
    """The comparison above is only worth something if it can fail."""
    with db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_audit_event_actor"))
    differences = _schema_differences(db)
    assert [(d[0], d[1].name) for d in differences if isinstance(d, tuple)] == [
        ("add_index", "ix_audit_event_actor")
    ]


# -- registers this program must not use ---------------------------------------------------


def test_register_from_a_newer_program_is_refused_and_left_untouched(
    backend: str, db_url: str | None, data_dir: Path, demo_register: Any
) -> None:
    demo_register(5, db_url=db_url)
    url = _sql_url(backend, data_dir, db_url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    engine.dispose()
    before_file = sha256_of(data_dir / "wuye.db") if backend == "sqlite" else None
    before = _snapshot(url)

    with pytest.raises(StorageError) as refused:
        open_register(data_dir=str(data_dir), db_url=db_url)

    assert "更新版本的程序" in refused.value.message
    assert "ffff9999" in refused.value.message
    assert _snapshot(url) == before
    if backend == "sqlite":
        assert sha256_of(data_dir / "wuye.db") == before_file
        assert list((data_dir / "backups").iterdir()) == []


def test_sqlite_database_of_another_program_is_refused_and_left_untouched(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / "wuye.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)")
    other.execute("INSERT INTO customer (name) VALUES ('张三')")
    other.commit()
    other.close()
    before = sha256_of(path)

    with pytest.raises(StorageError) as refused:
        open_register(data_dir=str(data_dir))

    assert "不是本程序创建" in refused.value.message
    assert sha256_of(path) == before, "a database the program refused must not be changed in any way"
    assert sorted(p.name for p in data_dir.iterdir() if p.is_file()) == ["wuye.db"]


# -- a failed upgrade ------------------------------------------------------------------------


def test_failed_upgrade_step_leaves_the_register_as_it_was(
    backend: str, db_url: str | None, data_dir: Path, demo_register: Any,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo_register(20, db_url=db_url)
    url = _sql_url(backend, data_dir, db_url)
    before = _snapshot(url)
    real_head = _install_failing_step(tmp_path, monkeypatch)

    with pytest.raises(StorageError) as failed:
        open_register(data_dir=str(data_dir), db_url=db_url)

    message = failed.value.message
    assert "升级失败" in message
    assert "创建数据库失败" not in message  # it was an upgrade of an existing register
    version, columns, numbers, audits = _snapshot(url)
    assert version == real_head
    assert "broken_extra" not in columns
    assert (numbers, audits) == (before[2], before[3])
    assert len(numbers) == 20

    if backend == "sqlite":
        assert "已自动恢复" in message
        copies = list((data_dir / "backups").glob(f"升级前-{real_head}-*.db"))
        assert len(copies) == 1, "the copy taken before the upgrade stays in backups/"
        assert str(copies[0]) in message
        assert integrity_problems(copies[0]) == []
        copy_url = f"sqlite:///{copies[0]}"
        assert _snapshot(copy_url)[0] == real_head
        assert _snapshot(copy_url)[2] == before[2]

    # Once the faulty program is replaced, the register opens as before.
    monkeypatch.undo()
    db = open_register(data_dir=str(data_dir), db_url=db_url)
    try:
        assert check_database(db).ok
        with db.reading() as session:
            assert session.scalar(select(func.count()).select_from(MediationCase)) == 20
    finally:
        db.dispose()


def test_failed_upgrade_of_an_old_register_undoes_every_step_not_just_the_last(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A register at 0001 goes through every later step and then the failing one: all of it is undone."""
    data_dir.mkdir()
    path = data_dir / "wuye.db"
    shutil.copyfile(FIXTURES / "0001-demo.db", path)
    url = f"sqlite:///{path}"
    tables_before = set(inspect_tables(url))
    before = _snapshot(url)
    assert before[0] == "0001"
    _install_failing_step(tmp_path, monkeypatch)

    with pytest.raises(StorageError) as failed:
        open_register(data_dir=str(data_dir))

    assert "已自动恢复" in failed.value.message
    version, columns, numbers, audits = _snapshot(url)
    assert version == "0001"
    assert set(inspect_tables(url)) == tables_before, "tables of the later steps must be gone again"
    assert "broken_extra" not in columns
    assert (numbers, audits) == (before[2], before[3])
    assert integrity_problems(path) == []
    assert len(list((data_dir / "backups").glob("升级前-0001-*.db"))) == 1


def inspect_tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


# -- registers made by released versions ---------------------------------------------------


def _fixture_registers() -> list[Path]:
    return sorted(FIXTURES.glob("*.db"))


def test_fixture_collection_holds_the_first_schema() -> None:
    names = [p.name for p in _fixture_registers()]
    assert "0001-demo.db" in names
    for path in _fixture_registers():
        assert path.stat().st_size < 1_500_000, f"{path.name}: keep fixtures small"
        assert not Path(str(path) + "-wal").exists(), f"{path.name}: checkpoint it into one file"


@pytest.mark.parametrize("fixture", _fixture_registers(), ids=lambda p: p.name)
def test_register_made_by_an_earlier_version_opens_with_its_cases(fixture: Path, data_dir: Path) -> None:
    """Each file was made by ``wuye demo --cases 30 --seed 1`` with the release named by its prefix."""
    made_by = fixture.name.split("-", 1)[0]
    assert migrate.is_known(made_by), f"{fixture.name}: name it after the schema revision that made it"
    data_dir.mkdir()
    shutil.copyfile(fixture, data_dir / "wuye.db")
    with sqlite3.connect(data_dir / "wuye.db") as peek:
        assert peek.execute("SELECT version_num FROM alembic_version").fetchone() == (made_by,)
    peek.close()

    db = open_register(data_dir=str(data_dir))
    try:
        assert migrate.current_revision(db) == migrate.head_revision()
        assert check_database(db).ok
        assert audit.verify(db).ok, "upgrading must not break the audit chain"
        with db.reading() as session:
            numbers = list(session.scalars(select(MediationCase.number)))
    finally:
        db.dispose()

    assert len(numbers) == 30
    assert len(set(numbers)) == 30
    by_year: dict[int, list[int]] = defaultdict(list)
    for number in numbers:
        match = NUMBER.fullmatch(number)
        assert match, f"unexpected case number {number!r}"
        by_year[int(match[1])].append(int(match[2]))
    if made_by == "0001":
        assert set(by_year) <= {2025, 2026}
    for year, seqs in by_year.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"{year}: numbers must run without gaps"


@pytest.mark.parametrize("fixture", _fixture_registers(), ids=lambda p: p.name)
def test_an_older_registers_search_text_is_split_on_upgrade(fixture: Path, data_dir: Path) -> None:
    """Registers from before 0006 held full phones and ID numbers in the text anyone's search matched."""
    from wuye_desktop.models import CaseParty, CaseSearchText, Party, PartyKind, Role
    from wuye_desktop.services.cases import listing
    from wuye_desktop.services.context import Context, User
    from wuye_desktop.storage import redact

    data_dir.mkdir()
    shutil.copyfile(fixture, data_dir / "wuye.db")
    db = open_register(data_dir=str(data_dir))
    try:
        with db.reading() as session:
            texts = {row.case_id: row for row in session.scalars(select(CaseSearchText))}
            people = session.execute(select(CaseParty.case_id, Party.phone, Party.id_number)
                                     .join(Party, Party.id == CaseParty.party_id)
                                     .where(Party.kind == PartyKind.PERSON, Party.phone != "")).all()
        assert len(texts) == 30 and people
        for case_id, phone, id_number in people:
            body, personal = texts[case_id].body, texts[case_id].personal
            assert phone not in body and phone[-4:] in body.split() and phone in personal
            assert not id_number or (id_number not in body and id_number in personal)
            # A search word never holds a space, so no word may hold a number (a tail next to a
            # company's credit code may look like a landline across the space, which no search can match).
            assert [word for word in body.split() if redact.find(word)] == []
        case_id, phone, _id = people[0]
        for role, found in ((Role.VIEWER, False), (Role.ADMIN, True)):
            user = Context(db, User("测试", role))
            ids = {r.id for r in listing.page(user, listing.CaseFilter(text=phone), 0, 100)}
            assert (case_id in ids) is found, role
    finally:
        db.dispose()
