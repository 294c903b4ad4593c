"""The keyed, anchored audit trail: every way of changing it behind the program's back is told, by name.

Each attack is made the way someone holding the register file (or a login to
the server) but not this Windows account's key would make it, straight in the
database; then it is checked twice: through the service the 审计记录 page
calls, and through the real ``wuye audit verify`` in a fresh process.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from service_helpers import case_in
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from wuye_desktop.errors import StorageError
from wuye_desktop.models import AuditEvent, CaseStatus, Setting
from wuye_desktop.services import audit, settings
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import keys
from wuye_desktop.storage.engine import Database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registers"

WUYE = Path(sys.executable).with_name("wuye")
ADMIN_PASSWORD = "Xingfuli-2026"
PASSPHRASE = "门口的桂花树2026"


# -- how an attacker works: the old, documented SHA-256 scheme, and plain SQL -----------------------


def old_hash(prev: str, at: datetime, actor: str, action: str, object_type: str, object_id: str,
             detail: str) -> str:
    """The chain as the program used to compute it, and as anyone can: no key."""
    payload = json.dumps([prev, at.isoformat(timespec="microseconds"), actor, action, object_type, object_id,
                          detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def behind_the_back(db: Database) -> Session:
    """A session on the register's engine that no unit of work of the program sees."""
    return Session(db.engine)


def busy(ctx: Context) -> list[int]:
    for status in (CaseStatus.CLOSED, CaseStatus.MEDIATING, CaseStatus.REFERRED):
        case_in(ctx, status)
    return ids(ctx.db)


def ids(db: Database) -> list[int]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def uid_of(db: Database) -> str:
    with db.reading() as session:
        return settings.register_uid(session)


def anchor_of(db: Database) -> dict[str, object] | None:
    raw = keys.load(uid_of(db), audit.ANCHOR_NAME)
    return None if raw is None else dict(json.loads(raw))


def hash_of(db: Database, event_id: int) -> str:
    with db.reading() as session:
        return session.get_one(AuditEvent, event_id).entry_hash


def recompute_old_way(db: Database, start: int) -> None:
    """Rebuild the chain from entry ``start`` on with SHA-256, and the head setting with it."""
    with behind_the_back(db) as session, session.begin():
        rows = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        prev = audit.GENESIS
        for row in rows:
            if row.id >= start:
                row.prev_hash = prev
                row.entry_hash = old_hash(prev, row.at, row.actor, row.action, row.object_type, row.object_id,
                                          row.detail)
            prev = row.entry_hash
        head = session.scalar(select(Setting).where(Setting.key == audit.HEAD_KEY))
        if head is not None:
            head.value = {"id": rows[-1].id, "hash": rows[-1].entry_hash}


def cli_verify(db_url: str | None, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL", "WUYE_DEBUG")}
    args = [str(WUYE), "--data-dir", str(data_dir), *(["--db-url", db_url] if db_url else []), "audit", "verify"]
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result


# -- the attacks -----------------------------------------------------------------------------------

Attack = Callable[[Context, list[int]], list[str]]  # makes the change; returns what the report must say


def edit_a_row(ctx: Context, entries: list[int]) -> list[str]:
    target = entries[len(entries) // 2]
    with behind_the_back(ctx.db) as session, session.begin():
        session.execute(update(AuditEvent).where(AuditEvent.id == target).values(actor="系统"))
    return [f"第 {target} 条（", "内容被改动过"]


def edit_and_recompute_the_old_way(ctx: Context, entries: list[int]) -> list[str]:
    target = entries[3]
    with behind_the_back(ctx.db) as session, session.begin():
        session.execute(update(AuditEvent).where(AuditEvent.id == target).values(detail='{"note": "补录"}'))
    recompute_old_way(ctx.db, target)
    return [f"第 {target} 至 {entries[-1]} 条", "旧的无密钥方式"]


def insert_a_row(ctx: Context, entries: list[int]) -> list[str]:
    after = entries[4]
    with behind_the_back(ctx.db) as session, session.begin():  # make room, as an insertion by hand must
        session.execute(update(AuditEvent).where(AuditEvent.id > after).values(id=AuditEvent.id + 1000))
        at = datetime(2026, 11, 20, 9, 0)
        prev = hash_of(ctx.db, after)
        session.add(AuditEvent(id=after + 1, at=at, actor="王晓燕", action="close", object_type="case",
                               object_id="1", detail="{}", prev_hash=prev,
                               entry_hash=old_hash(prev, at, "王晓燕", "close", "case", "1", "{}")))
    return [f"第 {after + 1} 条不在原来的链条中（是后来插入的）"]


def delete_a_middle_row(ctx: Context, entries: list[int]) -> list[str]:
    with behind_the_back(ctx.db) as session, session.begin():
        session.execute(delete(AuditEvent).where(AuditEvent.id == entries[6]))
    return [f"第 {entries[7]} 条之前的记录被删除"]


def delete_the_last_row_and_the_head(ctx: Context, entries: list[int]) -> list[str]:
    with behind_the_back(ctx.db) as session, session.begin():
        session.execute(delete(AuditEvent).where(AuditEvent.id == entries[-1]))
        session.execute(delete(Setting).where(Setting.key == audit.HEAD_KEY))
    return ["末尾的记录被删除", f"第 {entries[-1]} 条", f"只到第 {entries[-2]} 条"]


def truncate_to_the_first_five(ctx: Context, entries: list[int]) -> list[str]:
    keep = entries[4]
    with behind_the_back(ctx.db) as session, session.begin():
        session.execute(delete(AuditEvent).where(AuditEvent.id > keep))
        head = session.scalar(select(Setting).where(Setting.key == audit.HEAD_KEY))
        assert head is not None
        head.value = {"id": keep, "hash": hash_of(ctx.db, keep)}  # a careful attacker moves the head too
    return ["末尾的记录被删除", f"只到第 {keep} 条"]


def wipe_the_trail(ctx: Context, entries: list[int]) -> list[str]:
    with behind_the_back(ctx.db) as session, session.begin():
        session.execute(delete(AuditEvent))
        session.execute(delete(Setting).where(Setting.key.in_([audit.HEAD_KEY, audit.CHAIN_KEY])))
    return ["全部删除", f"第 {entries[-1]} 条"]


def lose_the_anchor(ctx: Context, entries: list[int]) -> list[str]:
    anchor = keys.config_dir() / "keys" / uid_of(ctx.db) / audit.ANCHOR_NAME
    anchor.unlink()
    return ["本机没有这本台账审计记录的链尾标记"]


def forge_behind_a_lagging_anchor(ctx: Context, entries: list[int]) -> list[str]:
    keys.store(uid_of(ctx.db), audit.ANCHOR_NAME,
               json.dumps({"id": entries[5], "mac": hash_of(ctx.db, entries[5])}).encode())
    edit_and_recompute_the_old_way(ctx, entries[4:])  # the entries after the anchor, rebuilt without the key
    return [f"第 {entries[7]} 至 {entries[-1]} 条", "旧的无密钥方式"]


def recompute_everything_and_drop_the_signing(ctx: Context, entries: list[int]) -> list[str]:
    """Make the register look like one an earlier version wrote, hoping it is "upgraded" as it now stands."""
    edit_a_row(ctx, entries)
    recompute_old_way(ctx.db, entries[0])
    with behind_the_back(ctx.db) as session, session.begin():
        session.execute(delete(Setting).where(Setting.key == audit.CHAIN_KEY))
    return ["签名设置却不见了"]


ATTACKS: list[Attack] = [
    edit_a_row, edit_and_recompute_the_old_way, insert_a_row, delete_a_middle_row,
    delete_the_last_row_and_the_head, truncate_to_the_first_five, wipe_the_trail, lose_the_anchor,
    forge_behind_a_lagging_anchor, recompute_everything_and_drop_the_signing,
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.__name__ for a in ATTACKS])
def test_every_attack_is_told_by_the_service_and_by_wuye_audit_verify(
        ctx: Context, db_url: str | None, data_dir: Path, attack: Attack) -> None:
    entries = busy(ctx)
    assert audit.verify(ctx.db).ok
    said = attack(ctx, entries)

    report = audit.verify(ctx.db)
    assert not report.ok, f"{attack.__name__} went unnoticed"
    assert any(all(part in problem for part in said) for problem in report.problems), report.problems

    result = cli_verify(db_url, data_dir)
    assert result.returncode == 1, result.stdout
    assert all(part in result.stderr for part in said), result.stderr
    assert "审计记录未通过校验" in result.stderr


def test_the_program_keeps_telling_a_truncation_after_it_writes_on(ctx: Context) -> None:
    entries = busy(ctx)
    truncate_to_the_first_five(ctx, entries)
    while ids(ctx.db)[-1] <= entries[-1]:  # new entries take the deleted entries' numbers, and go past them
        case_in(ctx, CaseStatus.MEDIATING)
    report = audit.verify(ctx.db)
    assert not report.ok and any(f"第 {entries[-1]} 条" in p for p in report.problems), report.problems


# -- what stays 完好 -----------------------------------------------------------------------------


def test_many_writes_stay_intact_and_the_anchor_follows_the_last_entry(ctx: Context, db_url: str | None,
                                                                       data_dir: Path) -> None:
    for status in list(CaseStatus) * 2:
        case_in(ctx, status)
    entries = ids(ctx.db)
    report = audit.verify(ctx.db)
    assert report.ok and report.notes == [] and report.entries == len(entries), report.problems
    assert anchor_of(ctx.db) == {"id": entries[-1], "mac": hash_of(ctx.db, entries[-1])}
    with ctx.db.reading() as session:  # signed with the key: the old scheme does not reproduce any entry
        last = session.get_one(AuditEvent, entries[-1])
    assert last.entry_hash != old_hash(last.prev_hash, last.at, last.actor, last.action, last.object_type,
                                       last.object_id, last.detail)
    result = cli_verify(db_url, data_dir)
    assert result.returncode == 0 and "审计记录完好" in result.stdout, result.stderr


def test_two_programs_writing_one_register_stay_intact(ctx: Context, db_url: str | None, data_dir: Path) -> None:
    other = open_register(data_dir=str(data_dir), db_url=db_url)
    try:
        other_ctx = Context(other, ctx.user, today_override=ctx.today_override)
        errors: list[BaseException] = []

        def work(c: Context) -> None:
            try:
                for _ in range(3):
                    case_in(c, CaseStatus.MEDIATING)
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(c,)) for c in (ctx, other_ctx)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        for c in (other_ctx, ctx, other_ctx):  # and one after the other
            case_in(c, CaseStatus.REGISTERED)
    finally:
        other.dispose()
    report = audit.verify(ctx.db)
    assert report.ok, report.problems
    assert anchor_of(ctx.db) == {"id": ids(ctx.db)[-1], "mac": hash_of(ctx.db, ids(ctx.db)[-1])}


def test_a_rolled_back_write_leaves_the_anchor_on_the_last_committed_entry(ctx: Context) -> None:
    entries = busy(ctx)
    with pytest.raises(RuntimeError), ctx.db.writing() as session:
        audit.record(session, "王晓燕", "edit_case", "case", 1, {"note": "未保存"})
        raise RuntimeError("the clerk's save failed half way")
    assert ids(ctx.db) == entries
    assert anchor_of(ctx.db) == {"id": entries[-1], "mac": hash_of(ctx.db, entries[-1])}
    assert audit.verify(ctx.db).ok
    case_in(ctx, CaseStatus.REGISTERED)
    assert audit.verify(ctx.db).ok


def test_an_anchor_behind_by_entries_that_verify_is_told_apart_from_a_truncation(
        ctx: Context, db_url: str | None, data_dir: Path) -> None:
    """Another PC (or a program killed after its commit) wrote the entries after this PC's anchor."""
    entries = busy(ctx)
    keys.store(uid_of(ctx.db), audit.ANCHOR_NAME,
               json.dumps({"id": entries[5], "mac": hash_of(ctx.db, entries[5])}).encode())
    report = audit.verify(ctx.db)
    assert report.ok, report.problems
    assert any(f"第 {entries[5]} 条" in n and "已逐条核对" in n for n in report.notes), report.notes
    assert cli_verify(db_url, data_dir).returncode == 0
    case_in(ctx, CaseStatus.REGISTERED)  # this PC writes again: its anchor catches up
    assert anchor_of(ctx.db) == {"id": ids(ctx.db)[-1], "mac": hash_of(ctx.db, ids(ctx.db)[-1])}


# -- a register on a PC that does not have its key ---------------------------------------------------


def test_a_register_on_a_pc_without_its_key_says_so_and_how_to_bring_the_key(
        ctx: Context, db_url: str | None, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wuye_desktop.services.accounts import audit_trail

    busy(ctx)
    carried = tmp_path / "usb" / "审计密钥.key"
    carried.parent.mkdir()
    audit_trail.export_key(ctx, carried)
    assert carried.stat().st_mode & 0o077 == 0, "the key file is readable by its owner only"

    monkeypatch.setenv("WUYE_CONFIG_DIR", str(tmp_path / "another-pc"))  # the same register, on another PC
    report = audit.verify(ctx.db)
    assert not report.ok and report.no_key
    assert "本机没有这本台账的审计密钥" in report.problems[0] and "wuye audit import-key" in report.problems[0]
    result = cli_verify(db_url, data_dir)
    assert result.returncode == 1 and "wuye audit import-key" in result.stderr
    with pytest.raises(StorageError, match="本机没有这本台账的审计密钥"):
        case_in(ctx, CaseStatus.REGISTERED)  # nothing is written that could not be signed

    audit.import_key_file(carried)
    assert audit.verify(ctx.db).ok
    case_in(ctx, CaseStatus.REGISTERED)
    assert audit.verify(ctx.db).ok and cli_verify(db_url, data_dir).returncode == 0


def test_a_lost_key_is_replaced_by_a_new_one_and_the_replacement_is_itself_an_entry(
        ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wuye_desktop.services.accounts import audit_trail

    entries = busy(ctx)
    monkeypatch.setenv("WUYE_CONFIG_DIR", str(tmp_path / "new-pc"))
    audit_trail.new_key(ctx)
    case_in(ctx, CaseStatus.REGISTERED)
    report = audit.verify(ctx.db)
    assert report.ok, report.problems
    assert any(f"第 1 至 {entries[-1]} 条" in n and "只核对了链条是否连续" in n for n in report.notes), report.notes
    with ctx.db.reading() as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.id > entries[-1])))
    assert actions[0] == "audit_new_key"
    edit_a_row(ctx, ids(ctx.db)[-3:])  # entries under the new key are checked in full
    assert not audit.verify(ctx.db).ok


def test_the_key_travels_in_a_file_through_the_command_line(db_url: str | None, data_dir: Path, ctx: Context,
                                                           tmp_path: Path) -> None:
    busy(ctx)
    env = {k: v for k, v in os.environ.items() if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL")}
    where = ["--data-dir", str(data_dir), *(["--db-url", db_url] if db_url else [])]
    carried = tmp_path / "usb" / "审计密钥.key"

    from wuye_desktop.services import accounts
    accounts.create_first_admin(Context(ctx.db), "admin", "王晓燕", ADMIN_PASSWORD)

    def wuye(*args: str, config: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        run_env = dict(env, WUYE_CONFIG_DIR=str(config)) if config else env
        done = subprocess.run([str(WUYE), *args], env=run_env, capture_output=True, text=True, timeout=120,
                              check=False, input=stdin)
        assert "Traceback" not in done.stdout + done.stderr
        return done

    carried.parent.mkdir()
    unsigned = wuye(*where, "audit", "export-key", str(carried))
    assert unsigned.returncode == 1 and "--user" in unsigned.stderr and not carried.exists()
    admin = ("--user", "admin", "--password-stdin")
    if db_url is None:  # the key file never lands on the register
        register = data_dir / "wuye.db"
        for target in (register, data_dir / "backups" / "审计密钥.key", tmp_path / "usb" / "审计密钥.db"):
            refused = wuye(*where, *admin, "audit", "export-key", str(target), "--force", stdin=ADMIN_PASSWORD + "\n")
            assert refused.returncode == 1 and refused.stderr.startswith("错误："), refused.stderr
        assert not (tmp_path / "usb" / "审计密钥.db").exists()
        # Still the register, as this process reads it. Not by opening the file: closing any descriptor of a
        # SQLite file drops every POSIX lock this process holds on it, and a program that then closes the
        # register believes it is the last, resets the WAL, and leaves this connection reading an old state.
        with ctx.db.reading() as session:
            assert session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == "login"
        assert wuye(*where, "check").returncode == 0
    exported = wuye(*where, *admin, "audit", "export-key", str(carried), stdin=ADMIN_PASSWORD + "\n")
    assert exported.returncode == 0 and "审计密钥已导出" in exported.stdout, exported.stderr
    other_pc = tmp_path / "other-pc"
    before = wuye(*where, "audit", "verify", config=other_pc)
    assert before.returncode == 1 and "本机没有这本台账的审计密钥" in before.stderr
    imported = wuye("audit", "import-key", str(carried), config=other_pc)
    assert imported.returncode == 0 and "已导入审计密钥" in imported.stdout, imported.stderr
    after = wuye(*where, "audit", "verify", config=other_pc)
    assert after.returncode == 0 and "审计记录完好" in after.stdout, after.stderr

    carried.write_text("不是密钥", encoding="utf-8")
    refused = wuye("audit", "import-key", str(carried), config=tmp_path / "third-pc")
    assert refused.returncode == 1 and "不是本程序导出的审计密钥文件" in refused.stderr
    with ctx.db.reading() as session:
        assert session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == "export_key"

    # a PC without the key, its old one lost for good: only an administrator's password starts a new key
    lost = tmp_path / "fourth-pc"
    sign = ("--user", "admin", "--password-stdin", "audit", "new-key", "-y")
    wrong = wuye(*where, *sign, config=lost, stdin="Wrong-pass-1\n")
    assert wrong.returncode == 1 and "密码不正确" in wrong.stderr
    assert wuye(*where, "audit", "verify", config=lost).returncode == 1, "still no key on that PC"
    taken = wuye(*where, *sign, config=lost, stdin=ADMIN_PASSWORD + "\n")
    assert taken.returncode == 0 and "已在本机启用新的审计密钥" in taken.stdout, taken.stderr
    assert wuye(*where, "audit", "verify", config=lost).returncode == 0
    with ctx.db.reading() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        assert (last.action, last.actor) == ("audit_new_key", "王晓燕")


# -- old registers: upgraded once, when opened --------------------------------------------------------


def _old_register(fixture: Path, data_dir: Path) -> Path:
    data_dir.mkdir()
    shutil.copyfile(fixture, data_dir / "wuye.db")
    return data_dir / "wuye.db"


def _old_rows(path: Path) -> list[tuple[int, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return [(r[0], r[1], r[2]) for r in conn.execute(
            "SELECT id, prev_hash, entry_hash FROM audit_event ORDER BY id")]
    finally:
        conn.close()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.db")), ids=lambda p: p.name)
def test_an_old_register_is_checked_then_signed_once_when_opened(fixture: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    path = _old_register(fixture, data_dir)
    old = _old_rows(path)
    db = open_register(data_dir=str(data_dir))
    try:
        report = audit.verify(db)
        assert report.ok and report.notes == [], report.problems
        with db.reading() as session:
            events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        upgrade = next(e for e in events if e.action == "audit_upgrade")
        assert json.loads(upgrade.detail)["rechained"] == len(old)
        assert [e.id for e in events[:len(old)]] == [r[0] for r in old]
        assert all(e.entry_hash != r[2] for e, r in zip(events, old, strict=False)), "every old entry re-signed"
        assert anchor_of(db) == {"id": events[-1].id, "mac": events[-1].entry_hash}
        db.dispose()
        db = open_register(data_dir=str(data_dir))  # once: opening again changes nothing
        assert ids(db)[-1] == events[-1].id
    finally:
        db.dispose()
    result = cli_verify(None, data_dir)
    assert result.returncode == 0 and "审计记录完好" in result.stdout, result.stderr


def test_an_old_register_with_a_broken_chain_is_reported_not_re_signed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    path = _old_register(FIXTURES / "0003-demo.db", data_dir)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_event SET detail = detail || ' ' WHERE id = 2")  # before the upgrade, by hand
    conn.commit()
    conn.close()
    old = _old_rows(path)

    db = open_register(data_dir=str(data_dir))
    try:
        assert _old_rows(path)[:len(old)] == old, "the old entries are kept as they were: the evidence stays"
        with db.reading() as session:
            upgrade = session.scalars(select(AuditEvent).where(AuditEvent.action == "audit_upgrade")).one()
        assert upgrade.id > old[-1][0] and "第 2 条" in json.loads(upgrade.detail)["old_problems"][0]
        report = audit.verify(db)
        assert len(report.problems) == 1 and report.problems[0].startswith("第 2 条（"), report.problems
        ctx = Context(db, today_override=date(2026, 11, 20))
        case_in(ctx, CaseStatus.REGISTERED)  # from the upgrade on, entries are signed and checked in full
        with behind_the_back(db) as session, session.begin():
            session.execute(update(AuditEvent).where(AuditEvent.id == ids(db)[-1]).values(detail="{}"))
        assert len(audit.verify(db).problems) == 2
    finally:
        db.dispose()
    result = cli_verify(None, data_dir)
    assert result.returncode == 1 and "第 2 条（" in result.stderr


def test_an_old_trail_on_the_server_is_signed_when_a_pc_without_its_key_opens_it(
        ctx: Context, db_url: str | None, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As an earlier version left it: chained without a key, no signing setting (on SQLite or PostgreSQL)."""
    entries = busy(ctx)
    recompute_old_way(ctx.db, entries[0])
    with behind_the_back(ctx.db) as session, session.begin():
        session.execute(delete(Setting).where(Setting.key == audit.CHAIN_KEY))
    monkeypatch.setenv("WUYE_CONFIG_DIR", str(tmp_path / "pc-of-the-upgrade"))
    db = open_register(data_dir=str(data_dir), db_url=db_url)
    try:
        report = audit.verify(db)
        assert report.ok, report.problems
        with db.reading() as session:
            last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        assert last.action == "audit_upgrade" and json.loads(last.detail)["rechained"] == len(entries)
    finally:
        db.dispose()


# -- backups keep the anchor; a restore checks it and adopts the trail ---------------------------------


@pytest.fixture
def local(data_dir: Path) -> Iterator[Context]:
    db = open_register(data_dir=str(data_dir))
    yield Context(db, today_override=date(2026, 11, 20))
    db.dispose()


def test_a_backup_keeps_the_anchor_of_its_trail_and_a_restore_checks_it(local: Context, tmp_path: Path) -> None:
    from wuye_desktop.services.safety import backups, restore
    from wuye_desktop.storage.backup import sha256_of
    from wuye_desktop.storage.backup_store import Manifest

    entries = busy(local)
    made = backups.back_up(local)  # in the data folder: a plain file the forger can edit
    manifest = Manifest(local.db.paths.backups)  # type: ignore[union-attr]
    entry = manifest.find(Path(made.path))
    assert entry is not None and (entry.audit_head, entry.audit_mac) == (entries[-1], hash_of(local.db, entries[-1]))

    conn = sqlite3.connect(made.path)  # the backup's last entries cut off, its checksum in the manifest redone
    conn.execute("DELETE FROM audit_event WHERE id > ?", (entries[-3],))
    conn.commit()
    conn.close()
    manifest.add(replace(entry, sha256=sha256_of(Path(made.path))))
    before = ids(local.db)
    with pytest.raises(StorageError, match=f"备份时最后一条是第 {entries[-1]} 条，现在最后一条是第 {entries[-3]} 条"):
        restore.restore(local, made.path)
    assert ids(local.db) == before, "a refused backup changes nothing"


def test_a_restore_on_a_pc_without_the_key_signs_on_with_a_new_one_and_says_so(
        local: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wuye_desktop.services.safety import backups, restore

    entries = busy(local)
    made = backups.back_up(local, tmp_path / "usb", passphrase=PASSPHRASE)
    monkeypatch.setenv("WUYE_CONFIG_DIR", str(tmp_path / "new-pc"))  # the old PC is gone, with its key
    result = restore.restore(local, made.path, passphrase=PASSPHRASE)
    assert len(result.audit_notes) == 1 and "已在本机启用新密钥" in result.audit_notes[0]
    report = audit.verify(local.db)
    assert report.ok and any("只核对了链条是否连续" in n for n in report.notes), report.problems
    with local.db.reading() as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.id > entries[-1])))
    assert actions[-2:] == ["audit_new_key", "restore"]
