"""Restore knows its backups: a file that is not one of this register's recorded backups, or is another
register's, is restored only after a second confirmation, and the audit trail says what was decided; an
encrypted backup opens only with its passphrase; a recorded backup edited since it was written is refused.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import last_audit_id, register_case
from sqlalchemy import select, text

from wuye_desktop.errors import StorageError
from wuye_desktop.models import AuditEvent
from wuye_desktop.models.enums import Role
from wuye_desktop.services import accounts, audit, demo, reference
from wuye_desktop.services.accounts import admin
from wuye_desktop.services.accounts.sign_in import SignInError
from wuye_desktop.services.cases import listing
from wuye_desktop.services.casework import attachments
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import sealed
from wuye_desktop.storage.backup import sha256_of
from wuye_desktop.storage.check import check_database
from wuye_desktop.storage.engine import Database

PASS = "门口的桂花树2026"
BACKDOOR, BACKDOOR_PASSWORD = "houmen", "Kaimen#2026-ok"


@pytest.fixture
def local(data_dir: Path) -> Iterator[Context]:
    db = open_register(data_dir=str(data_dir))
    ctx = Context(db, User("王晓燕", Role.ADMIN))
    demo.generate(ctx, 12, seed=1)
    yield ctx
    db.dispose()


def _count(ctx: Context) -> int:
    return listing.count(ctx, listing.CaseFilter())


def _amounts_and_names(ctx: Context) -> tuple[list[object], list[str]]:
    with ctx.db.reading() as session:
        amounts = [a for (a,) in session.execute(text("SELECT amount FROM mediation_case ORDER BY id"))]
        names = [n for (n,) in session.execute(text("SELECT name FROM party ORDER BY id"))]
    return amounts, names


def _last_entry(ctx: Context) -> tuple[str, dict[str, object]]:
    with ctx.db.reading() as session:
        row = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        return row.action, json.loads(row.detail)


def _doctored(backup: Path, scratch: Path) -> Path:
    """A copy of a backup edited the way a forger with this program would: every amount set to 1, a party
    renamed, an administrator of their own added. Its audit entries are signed (the program wrote them)."""
    scratch.mkdir()
    shutil.copyfile(backup, scratch / "wuye.db")
    db = open_register(data_dir=str(scratch))
    try:
        with db.writing() as session:
            session.execute(text("UPDATE mediation_case SET amount = 1"))
            session.execute(text("UPDATE party SET name = '假名字' WHERE id = 1"))
        admin.add(Context(db, User("王晓燕", Role.ADMIN)), BACKDOOR, "维护员", Role.ADMIN, BACKDOOR_PASSWORD)
        # Forged on this PC, its trail is signed with this register's key; its anchor, though, is no
        # longer the live register's: tests/services/test_audit_keyed.py holds that side.
    finally:
        db.dispose()
    doctored = scratch.parent / "台账备份-20261120-093000.db"
    shutil.move(scratch / "wuye.db", doctored)
    return doctored


def test_a_doctored_backup_is_not_restored_without_a_second_confirmation(local: Context, tmp_path: Path) -> None:
    own = backups.back_up(local)
    doctored = _doctored(Path(own.path), tmp_path / "scratch")
    before = _amounts_and_names(local)

    with pytest.raises(restore.ForeignBackupError) as refused:
        restore.restore(local, doctored)

    assert "不在本机的备份记录中" in refused.value.message and "没有恢复" in refused.value.message
    assert _amounts_and_names(local) == before and _count(local) == 12
    action, detail = _last_entry(local)
    assert action == "restore_refused" and detail["decision"] == restore.NOT_CONFIRMED
    assert "不在本机的备份记录中" in str(detail["warning"]) and detail["backup"] == str(doctored)
    assert audit.verify(local.db).ok
    with pytest.raises(SignInError):
        accounts.login(local, BACKDOOR, BACKDOOR_PASSWORD)

    result = restore.restore(local, doctored, foreign=True)

    assert "不在本机的备份记录中" in result.warning
    amounts, names = _amounts_and_names(local)
    assert set(amounts) <= {1, None} and "假名字" in names, "what the user confirmed is what came back"
    action, detail = _last_entry(local)
    assert action == "restore" and detail["decision"] == restore.CONFIRMED
    assert detail["warning"] == result.warning and detail["sha256"] == sha256_of(doctored)


def test_a_doctored_copy_of_a_recorded_backup_is_refused_even_with_the_second_confirmation(
    local: Context, tmp_path: Path
) -> None:
    own = Path(backups.back_up(local).path)
    doctored = _doctored(own, tmp_path / "scratch")
    shutil.copyfile(doctored, own)  # the recorded file itself replaced by the doctored one
    before = _amounts_and_names(local)
    head = last_audit_id(local)

    with pytest.raises(StorageError) as refused:
        restore.restore(local, own, foreign=True)

    assert "校验值与备份记录不符" in refused.value.message
    assert _amounts_and_names(local) == before and last_audit_id(local) == head


def test_another_registers_backup_names_the_difference(local: Context, tmp_path: Path) -> None:
    other_db = open_register(data_dir=str(tmp_path / "别的调委会"))
    try:
        other = Context(other_db, User("李主任", Role.ADMIN))
        reference.update_committee(other, name="黄石港区调解委员会", short_name="黄港")
        demo.generate(other, 5, seed=9)
        theirs = backups.back_up(other)
    finally:
        other_db.dispose()
    with local.db.reading() as session:
        mine = session.execute(text("SELECT name FROM committee")).scalar_one()

    with pytest.raises(restore.ForeignBackupError) as refused:
        restore.restore(local, theirs.path)

    warning = refused.value.warning
    assert "另一本台账的备份" in warning and "黄石港区调解委员会" in warning and mine in warning
    assert _count(local) == 12
    result = restore.restore(local, theirs.path, foreign=True)
    assert result.cases == 5 and _count(local) == 5
    assert _last_entry(local)[1]["decision"] == restore.CONFIRMED


def test_a_recorded_backup_of_this_register_needs_no_second_question(local: Context) -> None:
    own = backups.back_up(local)
    reference.update_committee(local, name="幸福里人民调解委员会", short_name="幸福")
    prepared = restore.prepare(local, own.path)
    assert prepared.warning == "", "a renamed committee is still this register"
    result = restore.apply(local, prepared)
    assert result.warning == "" and "decision" not in _last_entry(local)[1]


# -- encrypted backups --------------------------------------------------------------------------


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256_of(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_encrypted_backup_comes_back_only_with_its_passphrase(
    local: Context, data_dir: Path, tmp_path: Path
) -> None:
    usb = Path(backups.back_up(local, tmp_path / "U盘", passphrase=PASS).path)
    demo.generate(local, 3, seed=2)
    local.db.dispose()
    before = _files(data_dir)

    with pytest.raises(restore.PassphraseNeededError) as asked:
        restore.restore(local, usb)
    assert "已加密" in asked.value.message and "密码" in asked.value.message
    with pytest.raises(sealed.WrongPassphraseError) as wrong:
        restore.restore(local, usb, passphrase="门口的桂花树2025")
    assert wrong.value.message == f"备份密码不正确，无法打开加密备份“{usb.name}”。台账没有任何改动。"
    assert _files(data_dir) == before, "a wrong passphrase changes nothing, and leaves nothing decrypted"

    result = restore.restore(local, usb, passphrase=PASS)

    assert (result.cases, result.warning) == (12, ""), "one of this register's own backups: no second question"
    assert _count(local) == 12 and check_database(local.db).ok
    assert not [p for p in (data_dir / "backups").iterdir() if p.name.startswith(".")], "the decrypted copy is gone"
    assert _last_entry(local)[1]["encrypted"] is True
    assert PASS not in json.dumps(_last_entry(local), ensure_ascii=False)


def test_an_encrypted_backup_moves_a_register_to_a_new_pc(tmp_path: Path) -> None:
    old = open_register(data_dir=str(tmp_path / "旧电脑"))
    try:
        demo.generate(Context(old), 8, seed=3)
        usb = Path(backups.back_up(Context(old), tmp_path / "U盘", passphrase=PASS).path)
    finally:
        old.dispose()
    new = Database.open(data_dir=str(tmp_path / "新电脑"))  # as `wuye restore` on a PC with no register yet
    try:
        with pytest.raises(restore.ForeignBackupError) as asked:
            restore.restore(Context(new), usb, passphrase=PASS)
        assert "不在本机的备份记录中" in asked.value.warning and "本机还没有可以对照的台账" in asked.value.warning
        assert not (tmp_path / "新电脑" / "wuye.db").exists(), "nothing was written, not even an audit entry"

        result = restore.restore(Context(new), usb, passphrase=PASS, foreign=True)
        assert result.cases == 8 and check_database(new).ok
    finally:
        new.dispose()


@pytest.mark.parametrize("damage", ["a flipped byte", "cut short", "cut at a chunk's end", "header"])
def test_a_damaged_encrypted_backup_is_refused_and_changes_nothing(
    local: Context, data_dir: Path, tmp_path: Path, damage: str
) -> None:
    for n in range(40):  # scans enough to make the backup several chunks long
        (tmp_path / f"扫描件{n}.jpg").write_bytes(bytes([n]) * 60_000 + n.to_bytes(2, "big") * 20_000)
    case_id = register_case(local).id
    for n in range(40):
        attachments.add(local, case_id, tmp_path / f"扫描件{n}.jpg")
    made = Path(backups.back_up(local, tmp_path / "U盘", passphrase=PASS).path)
    copy = tmp_path / "别处" / made.name  # a copy: the manifest does not know it, only the passphrase opens it
    copy.parent.mkdir()
    content = bytearray(made.read_bytes())
    chunk = (1 << sealed.CHUNK_LOG2) + sealed.TAG_SIZE
    assert len(content) > sealed.HEADER_SIZE + 2 * chunk
    if damage == "a flipped byte":
        content[sealed.HEADER_SIZE + chunk + 1000] ^= 0x01
    elif damage == "cut short":
        del content[-5000:]
    elif damage == "cut at a chunk's end":
        del content[sealed.HEADER_SIZE + 2 * chunk:]
    else:
        content[20] ^= 0x01  # the salt
    copy.write_bytes(bytes(content))
    local.db.dispose()
    before = _files(data_dir)

    with pytest.raises(StorageError) as refused:
        restore.restore(local, copy, passphrase=PASS, foreign=True)

    assert "已损坏" in refused.value.message and "台账没有任何改动" in refused.value.message
    assert "\n" not in refused.value.message
    assert _files(data_dir) == before
    assert _count(local) == 13


def test_a_recorded_encrypted_backup_edited_since_is_refused_before_its_passphrase_is_asked(
    local: Context, tmp_path: Path
) -> None:
    usb = Path(backups.back_up(local, tmp_path / "U盘", passphrase=PASS).path)
    content = bytearray(usb.read_bytes())
    content[-100] ^= 0x01
    usb.write_bytes(bytes(content))
    head = last_audit_id(local)

    with pytest.raises(StorageError) as refused:
        restore.restore(local, usb, foreign=True)  # no passphrase: the checksum speaks first

    assert "校验值与备份记录不符" in refused.value.message and last_audit_id(local) == head
