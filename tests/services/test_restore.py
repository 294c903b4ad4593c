"""Restoring a backup: checked first, the current register kept aside, copied in, upgraded if older;
a file that is not a whole register of this program is refused and changes nothing.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from service_helpers import audit_since, last_audit_id, register_case

from wuye_desktop.errors import PermissionDeniedError, StorageError
from wuye_desktop.models.enums import Role
from wuye_desktop.services import audit, demo
from wuye_desktop.services.casework import attachments
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import migrate
from wuye_desktop.storage.backup import integrity_problems, sha256_of
from wuye_desktop.storage.check import check_database
from wuye_desktop.storage.engine import Database

TODAY = date(2026, 11, 20)
PASS = "门口的桂花树2026"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registers"
BROKEN_STEP = '''
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
    pass
'''


@pytest.fixture
def local(data_dir: Path) -> Iterator[Context]:
    db = open_register(data_dir=str(data_dir))
    yield Context(db, User("王晓燕", Role.ADMIN), today_override=TODAY)
    db.dispose()


def _count(ctx: Context) -> int:
    from wuye_desktop.services.cases import listing as register

    return register.count(ctx, register.CaseFilter())


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256_of(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_restore_brings_back_the_backup_and_keeps_the_current_register_aside(
    local: Context, data_dir: Path, tmp_path: Path
) -> None:
    demo.generate(local, 30, seed=2)
    backup = backups.back_up(local, tmp_path / "usb", passphrase=PASS)
    for _ in range(5):
        register_case(local)
    assert _count(local) == 35
    before = last_audit_id(local)
    steps: list[tuple[int, int]] = []

    result = restore.restore(local, backup.path, progress=lambda d, t: steps.append((d, t)), passphrase=PASS)

    assert (result.cases, result.upgraded, result.safety_copy_whole) == (30, False, True)
    assert _count(local) == 30, "the same Context goes on working, on the restored register"
    assert steps and steps[-1][0] == steps[-1][1]
    safety = Path(result.safety_copy)
    assert safety.parent == data_dir / "backups" and safety.name.startswith("恢复前-")
    assert integrity_problems(safety) == []
    kept = [b for b in backups.list_backups(local) if b.path == str(safety)]
    assert kept[0].kind == "恢复前副本" and kept[0].cases == 35 and kept[0].verified
    assert check_database(local.db).ok
    assert audit.verify(local.db).ok, "the audit chain goes on from the backup's last entry"
    assert ("王晓燕", "restore", "register", "") in audit_since(local, 0)
    assert last_audit_id(local) < before, "the entries made after the backup are in the safety copy, not here"
    register_case(local)
    assert _count(local) == 31


@pytest.mark.parametrize("make_bad", ["garbage", "foreign", "newer", "tampered", "itself"])
def test_a_file_that_must_not_be_restored_is_refused_and_changes_nothing(
    local: Context, data_dir: Path, tmp_path: Path, make_bad: str
) -> None:
    demo.generate(local, 10, seed=1)
    backup = Path(backups.back_up(local).path)
    bad = tmp_path / "bad.db"
    told = {"garbage": "不是台账备份文件", "foreign": "不是本程序的台账备份", "newer": "更新版本的程序",
            "tampered": "校验值与备份记录不符", "itself": "正在使用的台账本身"}[make_bad]
    if make_bad == "garbage":
        bad.write_bytes(b"\x00garbage" * 5000)
    elif make_bad == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY)")
        conn.close()
    elif make_bad in ("newer", "tampered"):
        bad = backup
        conn = sqlite3.connect(bad)
        sql = ("UPDATE alembic_version SET version_num = 'ffff9999'" if make_bad == "newer"
               else "UPDATE mediation_case SET summary = '被改过的案情' WHERE id = 1")
        conn.execute(sql)
        conn.commit()
        conn.close()
    else:
        bad = data_dir / "wuye.db"
    local.db.dispose()
    before = _files(data_dir)

    with pytest.raises(StorageError) as refused:
        restore.restore(local, bad)

    assert told in refused.value.message
    assert _files(data_dir) == before, "not even a safety copy is written for a refused file"
    assert _count(local) == 10


def test_only_an_administrator_may_restore(local: Context) -> None:
    backup = backups.back_up(local)
    for role in (Role.CLERK, Role.MEDIATOR, Role.VIEWER):
        with pytest.raises(PermissionDeniedError):
            restore.restore(replace(local, user=User("某人", role)), backup.path)


def test_a_damaged_register_can_be_restored_and_its_bytes_are_kept(
    data_dir: Path, tmp_path: Path
) -> None:
    db = open_register(data_dir=str(data_dir))
    demo.generate(Context(db), 20, seed=4)
    backup = backups.back_up(Context(db))
    db.dispose()
    live = data_dir / "wuye.db"
    live.write_bytes(b"\x00" * 100 + live.read_bytes()[100:])  # the header is gone: SQLite cannot open it

    # As `wuye restore` does it: the register is not opened (it cannot be), only named.
    db = Database.open(data_dir=str(data_dir))
    try:
        result = restore.restore(Context(db), backup.path)
        assert not result.safety_copy_whole and result.safety_copy.endswith("-已损坏.db")
        assert check_database(db).ok
        assert _count(Context(db)) == 20
    finally:
        db.dispose()


def test_restore_on_a_new_pc_with_no_register_yet(data_dir: Path, tmp_path: Path) -> None:
    old_pc = tmp_path / "old"
    db = open_register(data_dir=str(old_pc))
    ctx = Context(db)
    case_id = register_case(ctx).id
    scan = tmp_path / "身份证复印件.jpg"
    scan.write_bytes(b"\xff\xd8 id card" * 1000)
    sha = attachments.add(ctx, case_id, scan).sha256
    backup = backups.back_up(ctx, tmp_path / "usb", passphrase=PASS)
    db.dispose()

    db = Database.open(data_dir=str(data_dir))
    try:
        result = restore.restore(Context(db), backup.path, passphrase=PASS, foreign=True)  # another PC's backup
        assert (result.safety_copy, result.attachments_copied, result.attachments_missing) == ("", 1, 0)
        assert (data_dir / "attachments" / sha[:2] / sha).read_bytes() == scan.read_bytes()
        assert check_database(db).ok
    finally:
        db.dispose()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.db")), ids=lambda p: p.name)
def test_a_backup_made_by_an_earlier_version_is_restored_and_upgraded(
    local: Context, fixture: Path, tmp_path: Path
) -> None:
    old_backup = tmp_path / f"旧版备份-{fixture.name}"
    shutil.copyfile(fixture, old_backup)
    made_by = fixture.name.split("-", 1)[0]

    result = restore.restore(local, old_backup, foreign=True)  # not among this data folder's backups

    assert (result.from_revision, result.upgraded, result.cases) == (made_by, made_by != migrate.head_revision(), 30)
    assert migrate.current_revision(local.db) == migrate.head_revision()
    assert check_database(local.db).ok
    assert audit.verify(local.db).ok
    assert _count(local) == 30
    assert sha256_of(old_backup) == sha256_of(fixture), "the backup itself is never changed"


def test_a_restored_backup_that_cannot_be_upgraded_puts_the_register_back(
    local: Context, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.generate(local, 12, seed=6)
    old_backup = tmp_path / "旧版备份.db"
    shutil.copyfile(FIXTURES / "0001-demo.db", old_backup)
    real_head = migrate.head_revision()
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "9999_broken_step.py").write_text(BROKEN_STEP.format(down=real_head), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)

    with pytest.raises(StorageError) as failed:
        restore.restore(local, old_backup, foreign=True)

    assert "已改回恢复前的台账" in failed.value.message
    monkeypatch.undo()
    assert migrate.current_revision(local.db) == real_head
    assert _count(local) == 12
    assert check_database(local.db).ok
