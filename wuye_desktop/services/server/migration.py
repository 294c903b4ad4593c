"""Moving a single-PC register onto the shared server: every table copied, ids kept, then checked.

The copy runs in one transaction on the server: the rows of every table go
across with their ids, the server's id sequences are moved past them, and
each table is compared by row count and a SHA-256 over its rows in key order.
Only when all agree is it committed; otherwise the server's data is left as it was.
A server that already holds a register with data is refused, so two
registers are never mixed.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from wuye_desktop.errors import StorageError, ValidationError
from wuye_desktop.models import Base
from wuye_desktop.services import audit
from wuye_desktop.services.context import Context
from wuye_desktop.services.exchange.rows import LABELS
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.services.server import connection as server
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.errors import translate

Progress = Callable[[int, int], None]
_BATCH = 2000
# What ``wuye init`` puts into a new register; a server holding only these counts as empty.
_INIT_TABLES = {"committee", "dispute_subtype", "step_template", "audit_event", "setting"}
_TABLE_LABELS = dict(LABELS, user_account="账户", attachment="附件", work_order="12345工单",
                     case_search_text="检索文本", number_sequence="编号计数", setting="设置",
                     step_template="议事步骤", audit_event="审计记录")


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    sha256: str

    @property
    def label(self) -> str:
        return _TABLE_LABELS.get(self.table, self.table)


@dataclass(frozen=True)
class MigrationReport:
    target: str  # the server, password hidden
    tables: list[TableCheck]
    seconds: float

    @property
    def cases(self) -> int:
        return next((t.rows for t in self.tables if t.table == "mediation_case"), 0)


def tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


@requires(Permission.SETTINGS)
def migrate_to(ctx: Context, url: str, progress: Progress | None = None) -> MigrationReport:
    """Copy this (SQLite) register onto the PostgreSQL server at ``url``, verify it, commit it."""
    from wuye_desktop.storage import migrate

    if not ctx.db.is_sqlite:
        raise ValidationError.single("url", "当前台账已经在服务器上，迁移只用于把单机台账（本机文件）搬到服务器")
    started = time.perf_counter()
    target = Database(server.check_url(url))
    shown = target.display_location
    try:
        _connect(target)
        migrate.upgrade(target)  # an empty database gets the schema; a newer one is refused
        checks: list[TableCheck] = []
        with target.writing() as dest, ctx.db.reading() as source:
            _refuse_data(dest)
            for table in reversed(tables()):
                dest.execute(delete(table))  # only what ``wuye init`` made there
            for done, table in enumerate(tables(), 1):
                _copy(source, dest, table)
                if progress is not None:
                    progress(done, len(tables()) + 1)
            _advance_sequences(dest)
            for table in tables():
                mine, theirs = digest(source, table), digest(dest, table)
                if mine != theirs:
                    raise StorageError(
                        f"迁移后核对不一致：“{_TABLE_LABELS.get(table.name, table.name)}”本机 {mine[0]} 行，"
                        f"服务器 {theirs[0]} 行（或内容不同）。服务器上的改动已全部撤销，请联系技术支持。")
                checks.append(TableCheck(table.name, mine[0], mine[1]))
            audit.record(dest, ctx.actor, "migrate_in", "register", "",
                         {"from": ctx.db.display_location, "cases": _rows(checks, "mediation_case")})
        if progress is not None:
            progress(len(tables()) + 1, len(tables()) + 1)
    finally:
        target.dispose()
    with ctx.db.writing() as session:
        audit.record(session, ctx.actor, "migrate_out", "register", "",
                     {"to": shown, "cases": _rows(checks, "mediation_case")})
    return MigrationReport(shown, checks, time.perf_counter() - started)


def _rows(checks: list[TableCheck], table: str) -> int:
    return next((c.rows for c in checks if c.table == table), 0)


def _connect(target: Database) -> None:
    try:
        with target.engine.connect():
            pass
    except DBAPIError as exc:
        raise translate(exc) or StorageError(f"无法连接数据库服务器：{exc.orig}") from exc


def _refuse_data(dest: Session) -> None:
    """A register with cases (or anything a person entered) on the server is never overwritten."""
    found: list[str] = []
    for table in tables():
        count = dest.scalar(select(func.count()).select_from(table)) or 0
        init_only = table.name in _INIT_TABLES and not (table.name == "committee" and count > 1)
        if count and not init_only:
            found.append(f"{_TABLE_LABELS.get(table.name, table.name)} {count} 条")
    if found:
        cases = dest.scalar(select(func.count()).select_from(Base.metadata.tables["mediation_case"])) or 0
        what = f"已有 {cases} 件案件" if cases else "已有数据（" + "、".join(found[:4]) + "）"
        raise StorageError(
            f"服务器上的台账{what}。为避免两本台账混在一起，只能迁移到空的或刚初始化的数据库；"
            "请让服务器管理员新建一个数据库后再迁移。服务器上的数据没有被改动。")


def _copy(source: Session, dest: Session, table: Table) -> None:
    order = list(table.primary_key.columns)
    result = source.execute(select(table).order_by(*order)).yield_per(_BATCH)
    try:
        for batch in result.partitions():
            dest.execute(insert(table), [dict(r._mapping) for r in batch])
    except DBAPIError as exc:
        known = translate(exc)
        if known is not None and "连接" in known.message:
            raise known from exc
        raise StorageError(
            f"服务器拒绝了“{_TABLE_LABELS.get(table.name, table.name)}”中的数据"
            f"（{str(exc.orig).strip().splitlines()[0]}）。服务器上的改动已全部撤销，本机台账未受影响。") from exc


def _advance_sequences(dest: Session) -> None:
    """Ids were copied, not drawn: move each id sequence past the largest id so new rows do not collide."""
    for table in tables():
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        sequence = dest.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        if sequence is None:
            continue
        dest.execute(text(f"SELECT setval(:s, (SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"),
                     {"s": sequence})


def digest(session: Session, table: Table) -> tuple[int, str]:
    """(row count, SHA-256 over the rows in key order), the same on SQLite and PostgreSQL."""
    sha = hashlib.sha256()
    count = 0
    columns = list(table.columns)
    for row in session.execute(select(*columns).order_by(*table.primary_key.columns)).yield_per(_BATCH):
        sha.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False, sort_keys=True).encode("utf-8"))
        sha.update(b"\n")
        count += 1
    return count, sha.hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value
