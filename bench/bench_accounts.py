"""Signing in, the mediator's case check, and the audit trail at 1k/10k/100k entries: medians.

    .venv/bin/python bench/bench_accounts.py
    WUYE_BENCH_SIZES=1000,10000 WUYE_BENCH_RUNS=3 .venv/bin/python bench/bench_accounts.py

The trail is filled with a valid chain written in bulk (hashes computed the
way ``audit.record`` does), so the figures are of reading and checking it.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from common import RUNS, SIZES, machine, median_ms, table
from sqlalchemy import insert, select

from wuye_desktop.models import AuditEvent, Role, Setting
from wuye_desktop.services import accounts, audit, permissions
from wuye_desktop.services.accounts import admin as account_admin
from wuye_desktop.services.accounts import audit_trail
from wuye_desktop.services.accounts.audit_trail import AuditFilter
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.permissions import Permission
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage.engine import Database

PASSWORD = "Fangzi-2026"
ACTORS = ("王晓燕", "何静", "李桂兰", "张建国")
ACTIONS = ("login", "accept", "step", "reveal", "print", "export", "edit_party")


def fill_trail(db: Database, entries: int) -> None:
    with db.writing() as session:
        prev = session.scalar(select(AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1)) or audit.GENESIS
        start = datetime(2026, 1, 1, 8, 0)
        rows = []
        for i in range(entries):
            at = start + timedelta(minutes=5 * i)
            actor, action = ACTORS[i % len(ACTORS)], ACTIONS[i % len(ACTIONS)]
            detail = f'{{"note": "第{i}条"}}'
            digest = audit.entry_hash(prev, at, actor, action, "case", str(i % 500 + 1), detail)
            rows.append({"at": at, "actor": actor, "action": action, "object_type": "case",
                         "object_id": str(i % 500 + 1), "detail": detail, "prev_hash": prev, "entry_hash": digest})
            prev = digest
        session.execute(insert(AuditEvent), rows)
        last = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
        head = session.scalar(select(Setting).where(Setting.key == audit.HEAD_KEY))
        assert head is not None
        head.value = {"id": last, "hash": prev}


def trail_figures(entries: int) -> list[str]:
    scratch = Path(tempfile.mkdtemp(prefix="wuye-bench-audit-"))
    try:
        db = open_register(data_dir=str(scratch))
        ctx = Context(db)
        try:
            fill_trail(db, entries)
            assert audit.verify(db).ok
            verify_ms = median_ms(lambda: audit.verify(db))
            first_page_ms = median_ms(lambda: (audit_trail.count(ctx, AuditFilter()),
                                               audit_trail.page(ctx, AuditFilter(), 0, 200)))
            by_actor = AuditFilter(actor="何静", action="reveal")
            filtered_ms = median_ms(lambda: (audit_trail.count(ctx, by_actor), audit_trail.page(ctx, by_actor, 0, 200)))
            export_ms = median_ms(lambda: audit_trail.export(ctx, by_actor, scratch / "trail.xlsx"),
                                  runs=max(1, RUNS // 2))
        finally:
            db.dispose()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [f"{entries:,}", f"{verify_ms:.0f}", f"{first_page_ms:.1f}", f"{filtered_ms:.1f}",
            f"{export_ms:.0f} ({entries // 28:,} rows)"]


def sign_in_figures() -> list[list[str]]:
    scratch = Path(tempfile.mkdtemp(prefix="wuye-bench-login-"))
    try:
        db = open_register(data_dir=str(scratch))
        ctx = Context(db)
        try:
            account_admin.add(ctx, "wenshu", "何静", Role.CLERK, PASSWORD)
            ok_ms = median_ms(lambda: accounts.login(ctx, "wenshu", PASSWORD))
            unknown_ms = median_ms(lambda: _refused(ctx, "nobody"))
            mediator = User("李桂兰", Role.MEDIATOR, "lgl", mediator_id=1)
            check_ms = median_ms(lambda: [permissions.may_act_on_case(Context(db, mediator), Permission.MEDIATE, 1)
                                          for _ in range(100)]) / 100
        finally:
            db.dispose()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [["sign in (Argon2id verify + audit entry)", f"{ok_ms:.0f}"],
            ["unknown user name (same work, so no timing hint)", f"{unknown_ms:.0f}"],
            ["a mediator's own-case check (one indexed query)", f"{check_ms:.2f}"]]


def _refused(ctx: Context, username: str) -> None:
    try:
        accounts.login(ctx, username, PASSWORD)
    except accounts.SignInError:
        return


if __name__ == "__main__":
    print(f"{machine()}; median of {RUNS} runs\n")
    print(table("Signing in and permission checks", ["what", "ms"], sign_in_figures()))
    print(table("Audit trail", ["entries", "verify ms", "first page ms", "filtered page ms", "export ms"],
                [trail_figures(n) for n in SIZES]))
