"""What the program writes is readable by its user only (POSIX): the register and its -wal/-shm, backups
and their bookkeeping, attachments, exports: 0600; the folders it makes: 0700. Checked with the real
``stat`` of real files, under a umask of 0 so nothing rests on the machine's umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from service_helpers import case_in, register_case

from wuye_desktop.models import CaseStatus
from wuye_desktop.models.enums import Role
from wuye_desktop.services import demo, exchange, statistics
from wuye_desktop.services.accounts import audit_trail
from wuye_desktop.services.accounts.audit_trail import AuditFilter
from wuye_desktop.services.casework import attachments, documents
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.hotline import replies
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.services.safety.opening import open_register

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; on Windows the per-user folder is private")
PASS = "门口的桂花树2026"
TODAY = date(2026, 11, 20)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def not_private(root: Path) -> dict[str, str]:
    """Every file under ``root`` that is not 0600 and every folder that is not 0700, with its mode."""
    found = {}
    for path in [root, *root.rglob("*")]:
        wanted = 0o700 if path.is_dir() else 0o600
        if mode(path) != wanted:
            found[str(path.relative_to(root.parent))] = oct(mode(path))
    return found


@pytest.fixture(autouse=True)
def _umask_zero() -> Iterator[None]:
    """A umask that takes nothing away: files left to their defaults would be 0666 and 0777."""
    before = os.umask(0)
    yield
    os.umask(before)


@pytest.fixture
def local(data_dir: Path) -> Iterator[Context]:
    db = open_register(data_dir=str(data_dir))
    yield Context(db, User("王晓燕", Role.ADMIN), today_override=TODAY)
    db.dispose()


def test_the_register_and_its_data_folder_are_the_users_only(local: Context, data_dir: Path, tmp_path: Path) -> None:
    register_case(local)
    scan = tmp_path / "身份证复印件.jpg"
    scan.write_bytes(b"\xff\xd8 id card" * 500)
    added = attachments.add(local, register_case(local).id, scan)
    assert (data_dir / "wuye.db-wal").exists() and (data_dir / "wuye.db-shm").exists()

    assert not_private(data_dir) == {}
    assert mode(data_dir / "attachments" / added.sha256[:2] / added.sha256) == 0o600
    copy = attachments.viewable_copy(local, added.id, tmp_path / "查看")
    assert mode(copy) == 0o600


def test_a_register_of_an_earlier_version_is_made_private_when_opened(data_dir: Path) -> None:
    db = open_register(data_dir=str(data_dir))
    register_case(Context(db))
    with db.reading():  # the -wal and -shm exist while the register is open
        pass
    db.dispose()
    for path in [data_dir / "attachments", data_dir / "backups", data_dir / "logs"]:
        os.chmod(path, 0o755)
    for name in ("wuye.db", "wuye.db-wal", "wuye.db-shm"):
        if (data_dir / name).exists():
            os.chmod(data_dir / name, 0o644)

    db = open_register(data_dir=str(data_dir))
    try:
        register_case(Context(db))
        assert not_private(data_dir) == {}
    finally:
        db.dispose()


def test_backups_their_bookkeeping_and_safety_copies_are_the_users_only(
    local: Context, data_dir: Path, tmp_path: Path
) -> None:
    scan = tmp_path / "协议书扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan" * 1000)
    attachments.add(local, register_case(local).id, scan)
    backups.on_startup(local)
    manual = backups.back_up(local)
    usb = tmp_path / "U盘"
    usb.mkdir(mode=0o755)  # the stick's own folder: the user's, left as it is
    encrypted = backups.back_up(local, usb / "台账备份", passphrase=PASS)
    restore.restore(local, manual.path)

    assert not_private(data_dir / "backups") == {}
    assert {p.name for p in (data_dir / "backups").iterdir()} >= {"manifest.json", "manifest.lock", "attachments"}
    assert any(p.name.startswith("恢复前-") for p in (data_dir / "backups").iterdir())
    assert mode(Path(encrypted.path)) == 0o600 and mode(usb / "台账备份") == 0o700
    assert mode(usb) == 0o755


def test_exports_are_the_users_only(local: Context, tmp_path: Path) -> None:
    demo.generate(local, 30, seed=2)
    out = tmp_path / "导出"
    out.mkdir()
    statistics.export_monthly(local, statistics.month(2026, 10), out / "月报.xlsx")
    replies.export_replies(local, statistics.month(2026, 10), out / "回复.xlsx")
    audit_trail.export(local, AuditFilter(), out / "审计记录.xlsx")
    exchange.export_period(local, "2026-11", out / "报送.wyx")
    documents.write_pdf(local, "agreement", case_in(local, CaseStatus.AGREED).case_id, out / "协议书.pdf")

    written = sorted(p.name for p in out.iterdir())
    assert written == ["协议书.pdf", "回复.xlsx", "审计记录.xlsx", "报送.wyx", "月报.xlsx"]
    assert {name: oct(mode(out / name)) for name in written} == {name: "0o600" for name in written}
