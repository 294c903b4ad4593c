"""Backups through the services: verified, recorded with a checksum, automatic once a day and on exit,
thinned by the retention settings, with the scans in ``attachments/`` included.

Restoring is in ``test_restore.py``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from damage import damage_register
from service_helpers import audit_since, last_audit_id, register_case
from sqlalchemy import text

from wuye_desktop.errors import PermissionDeniedError, StorageError, ValidationError
from wuye_desktop.models.enums import Role
from wuye_desktop.services import demo, settings
from wuye_desktop.services.casework import attachments
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety import backups
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import sealed
from wuye_desktop.storage.backup import integrity_problems, sha256_of

TODAY = date(2026, 11, 20)
PASS = "门口的桂花树2026"


@pytest.fixture
def local(data_dir: Path) -> Iterator[Context]:
    """A register in a data folder on this PC (backups are a SQLite matter)."""
    db = open_register(data_dir=str(data_dir))
    yield Context(db, User("王晓燕", Role.ADMIN), today_override=TODAY)
    db.dispose()


def on(ctx: Context, day: date) -> Context:
    return replace(ctx, today_override=day)


def _manifest(data_dir: Path) -> list[dict[str, object]]:
    return list(json.loads((data_dir / "backups" / "manifest.json").read_text(encoding="utf-8"))["backups"])


def _cases_in(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0])
    finally:
        conn.close()


# -- a backup now ----------------------------------------------------------------------------


def test_backup_to_a_usb_folder_is_encrypted_checked_recorded_and_audited(
    local: Context, data_dir: Path, tmp_path: Path
) -> None:
    demo.generate(local, 40, seed=5)
    usb = tmp_path / "U盘" / "台账备份"
    seen: list[tuple[int, int]] = []
    before = last_audit_id(local)
    with local.db.reading() as session:
        names = [n for (n,) in session.execute(text("SELECT name FROM party LIMIT 5"))]

    info = backups.back_up(local, usb, progress=lambda d, t: seen.append((d, t)), passphrase=PASS)

    file = Path(info.path)
    assert file.parent == usb and file.name.startswith("台账备份-2026112") and file.suffix == ".wuyebak"
    assert (info.kind, info.cases, info.verified, info.present, info.encrypted) == ("手动备份", 40, True, True, True)
    assert info.sha256 == sha256_of(file) and info.size == file.stat().st_size
    content = file.read_bytes()
    assert not content.startswith(b"SQLite format 3") and sealed.is_sealed(file)
    assert not any(name.encode() in content for name in names), "no party's name is readable on the stick"
    opened = sealed.read(file, PASS, tmp_path / "读回.db", None)
    assert integrity_problems(opened.register) == [] and _cases_in(opened.register) == 40
    assert seen[-1] == (backups.PROGRESS_TOTAL, backups.PROGRESS_TOTAL)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    # The manifest stays in the data folder; the USB folder holds the backup and nothing newer than it.
    assert sorted(p.name for p in usb.iterdir()) == [file.name]
    recorded = _manifest(data_dir)
    assert recorded[0]["file"] == str(file) and recorded[0]["sha256"] == info.sha256
    assert recorded[0]["verified"] is True and recorded[0]["encrypted"] is True
    assert PASS not in json.dumps(recorded, ensure_ascii=False), "the passphrase is kept nowhere"
    assert audit_since(local, before) == [("王晓燕", "backup", "register", "")]
    assert backups.list_backups(local)[0] == info
    assert not [p for p in (data_dir / "backups").iterdir() if p.name.startswith(".")], "no plain copy is left"


def test_a_backup_outside_the_data_folder_needs_a_passphrase_of_eight_characters(
    local: Context, data_dir: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    with pytest.raises(ValidationError) as unencrypted:
        backups.back_up(local, usb)
    assert "必须加密" in unencrypted.value.message and "备份密码" in unencrypted.value.message
    with pytest.raises(ValidationError) as short:
        backups.back_up(local, usb, passphrase="1234567")
    assert "至少要 8 个字符" in short.value.message
    assert not usb.exists() or not list(usb.iterdir()), "nothing was written"
    assert backups.leaves_the_pc(local, usb) and not backups.leaves_the_pc(local, None)
    assert not backups.leaves_the_pc(local, data_dir / "backups" / "另存")


def test_the_newest_file_of_the_backups_folder_is_the_backup_not_the_manifest(local: Context, data_dir: Path) -> None:
    """Scripts (and people) restore "the newest file": it must be a backup, even beside the manifest."""
    for _ in range(3):
        info = backups.back_up(local)
        newest = max(data_dir.joinpath("backups").iterdir(), key=lambda p: (p.stat().st_mtime_ns, p.name))
        assert newest == Path(info.path)


def test_two_backups_in_the_same_second_get_different_names(local: Context) -> None:
    first = backups.back_up(local)
    second = backups.back_up(local)
    assert first.path != second.path
    assert {Path(first.path).exists(), Path(second.path).exists()} == {True}


def test_scans_in_attachments_are_backed_up_once_into_the_folders_pool(
    local: Context, data_dir: Path, tmp_path: Path
) -> None:
    case_id = register_case(local).id
    scan = tmp_path / "协议书扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 " + b"scan" * 50_000)
    sha = attachments.add(local, case_id, scan).sha256
    folder = data_dir / "backups"

    first = backups.back_up(local)
    pooled = folder / "attachments" / sha[:2] / sha
    assert pooled.read_bytes() == scan.read_bytes()
    assert first.attachments == 1
    stamp = pooled.stat().st_mtime_ns
    backups.back_up(local)
    assert pooled.stat().st_mtime_ns == stamp, "an unchanged scan is not copied again"


def test_an_encrypted_backup_carries_its_scans_inside_it(local: Context, tmp_path: Path) -> None:
    case_id = register_case(local).id
    scan = tmp_path / "身份证复印件.jpg"
    scan.write_bytes(b"\xff\xd8 id card of a party " * 2000)
    sha = attachments.add(local, case_id, scan).sha256
    usb = tmp_path / "usb"

    info = backups.back_up(local, usb, passphrase=PASS)

    assert info.attachments == 1
    assert [p.name for p in usb.iterdir()] == [Path(info.path).name], "no readable attachments pool on the stick"
    assert b"id card of a party" not in Path(info.path).read_bytes()
    opened = sealed.read(Path(info.path), PASS, tmp_path / "r.db", tmp_path / "scans")
    assert opened.scans == {sha: sha}
    assert (tmp_path / "scans" / sha[:2] / sha).read_bytes() == scan.read_bytes()


def test_who_may_back_up(local: Context, tmp_path: Path) -> None:
    backups.back_up(replace(local, user=User("李文书", Role.CLERK)), tmp_path / "a", passphrase=PASS)
    with pytest.raises(PermissionDeniedError):
        backups.back_up(replace(local, user=User("访客", Role.VIEWER)), tmp_path / "b", passphrase=PASS)
    assert not (tmp_path / "b").exists()


def test_a_register_on_a_server_is_left_to_the_servers_own_backups(ctx: Context, backend: str, tmp_path: Path) -> None:
    assert backups.is_local(ctx) is (backend == "sqlite")
    if backend == "sqlite":
        return
    usb = tmp_path / "usb"
    with pytest.raises(StorageError) as refused:
        backups.back_up(ctx, usb, passphrase=PASS)
    assert "pg_dump" in refused.value.message
    assert backups.list_backups(ctx) == []
    assert backups.on_startup(ctx) is None and backups.on_exit(ctx) is None
    assert not usb.exists()


# -- automatic backups -------------------------------------------------------------------------


def test_start_up_backs_up_once_a_day(local: Context, data_dir: Path) -> None:
    first = backups.on_startup(local)
    assert first is not None and first.kind == "自动备份" and first.verified
    assert Path(first.path).parent == data_dir / "backups"
    assert backups.on_startup(local) is None, "the second start of the day does nothing"
    assert backups.on_startup(on(local, TODAY + timedelta(days=1))) is not None


def test_exit_backs_up_only_when_something_was_saved(local: Context) -> None:
    assert backups.on_exit(local) is not None, "no automatic backup yet"
    assert backups.on_exit(local) is None, "nothing changed since"
    register_case(local)
    after = backups.on_exit(local)
    assert after is not None and after.cases == 1
    assert backups.on_startup(local) is None, "today already has one"


def test_automatic_backups_are_thinned_by_the_retention_settings(local: Context, data_dir: Path) -> None:
    settings.put(local, settings.BACKUP_KEEP_DAILY, 3)
    settings.put(local, settings.BACKUP_KEEP_WEEKLY, 0)
    settings.put(local, settings.BACKUP_KEEP_MONTHLY, 0)
    manual = backups.back_up(local)
    made = []
    for n in range(6):
        info = backups.on_startup(on(local, TODAY + timedelta(days=n)))
        assert info is not None
        made.append(info.path)
    autos = sorted(p.name for p in (data_dir / "backups").glob("自动备份-*.db"))
    assert autos == sorted(Path(p).name for p in made[-3:])
    assert Path(manual.path).exists(), "a backup the user made is never thinned out"
    listed = {b.path for b in backups.list_backups(local)}
    assert listed == {manual.path, *made[-3:]}
    assert {e["file"] for e in _manifest(data_dir)} == {Path(p).name for p in listed}


def test_the_attachments_pool_forgets_scans_no_backup_needs(local: Context, data_dir: Path, tmp_path: Path) -> None:
    settings.put(local, settings.BACKUP_KEEP_DAILY, 1)
    settings.put(local, settings.BACKUP_KEEP_WEEKLY, 0)
    settings.put(local, settings.BACKUP_KEEP_MONTHLY, 0)
    case_id = register_case(local).id
    scan = tmp_path / "照片.jpg"
    scan.write_bytes(b"\xff\xd8 old photo")
    added = attachments.add(local, case_id, scan)
    backups.on_startup(local)
    pooled = data_dir / "backups" / "attachments" / added.sha256[:2] / added.sha256
    assert pooled.exists()
    attachments.remove(local, added.id)
    (data_dir / "attachments" / added.sha256[:2] / added.sha256).unlink(missing_ok=True)
    backups.on_startup(on(local, TODAY + timedelta(days=1)))
    assert not pooled.exists(), "the only backup that had it was thinned out"


@pytest.mark.parametrize(("key", "value", "told"), [
    (settings.BACKUP_KEEP_DAILY, 0, "1 到 366"),
    (settings.BACKUP_KEEP_WEEKLY, -1, "0 到 520"),
    (settings.BACKUP_KEEP_MONTHLY, "十二", "应为整数"),
])
def test_retention_settings_are_checked(local: Context, key: str, value: object, told: str) -> None:
    with pytest.raises(ValidationError) as refused:
        settings.put(local, key, value)
    assert told in refused.value.errors[key]
    assert settings.get(local, key) == settings.DEFAULTS[key]


# -- when the backup cannot be written -------------------------------------------------------------


def test_a_damaged_register_is_not_backed_up_and_older_backups_stay(local: Context, data_dir: Path) -> None:
    demo.generate(local, 300, seed=3)
    good = backups.on_startup(local)
    assert good is not None
    local.db.dispose()
    damage_register(data_dir / "wuye.db", leaf=5, pattern=b"\x00\xff")

    with pytest.raises(StorageError) as refused:
        backups.on_startup(on(local, TODAY + timedelta(days=1)))
    assert "备份没有完成" in refused.value.message or "校验失败" in refused.value.message
    assert [b.path for b in backups.list_backups(local)] == [good.path]
    assert _cases_in(Path(good.path)) == 300
    assert not list((data_dir / "backups").glob("*.partial"))
