"""Bring a register's schema to the program's version, safely.

Before upgrading an existing SQLite register a copy is taken; the upgrade
runs in one transaction; if any step fails the copy is put back, so the
program never carries on with a half-upgraded schema. A register written by
a newer program is refused rather than guessed at.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect

from wuye_desktop.errors import StorageError
from wuye_desktop.storage.backup import online_backup
from wuye_desktop.storage.engine import Database

if TYPE_CHECKING:  # Alembic itself is imported on first use: start-up on a current register never needs it
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    safety_copy: Path | None


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _user_tables(db: Database) -> list[str]:
    return [t for t in inspect(db.engine).get_table_names() if t != "alembic_version"]


def upgrade(db: Database) -> UpgradeResult:
    """Create or upgrade the schema; raise ``StorageError`` with the way out if it cannot."""
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = head_revision()
    current = current_revision(db)
    if current == head:
        return UpgradeResult(current, head, None)
    if current is not None and not _known(script, current):
        raise StorageError(
            f"这个台账数据库（版本 {current}）由更新版本的程序创建，当前程序无法使用。"
            "请安装最新版本的程序后再打开，数据没有被改动。"
        )
    if current is None and _user_tables(db):
        raise StorageError("这个数据库不是本程序创建的台账（缺少版本信息），为避免损坏数据，程序没有打开它。")

    safety_copy = _safety_copy(db, current) if current is not None else None
    config = alembic_config()
    try:
        with db.engine.connect() as conn, conn.begin():
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except Exception as exc:
        log.exception("schema upgrade from %s failed", current)
        if safety_copy is not None:
            _put_back(db, safety_copy)
            raise StorageError(
                f"数据库升级失败（{exc}），已自动恢复到升级前的状态。请联系技术支持；"
                f"升级前的副本保存在 {safety_copy}。"
            ) from exc
        if current is not None:  # a server (or a register without a file): the transaction undid it
            raise StorageError(
                f"数据库升级失败（{exc}），本次升级的改动已全部撤销，数据库仍是升级前的版本 {current}。"
                "请联系技术支持。"
            ) from exc
        raise StorageError(f"创建数据库失败：{exc}") from exc
    log.info("schema upgraded %s -> %s", current, head)
    return UpgradeResult(current, head, safety_copy)


def is_known(revision: str) -> bool:
    """Whether this program has the migration with that id (an unknown one is from a newer program)."""
    from alembic.script import ScriptDirectory

    return _known(ScriptDirectory.from_config(alembic_config()), revision)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises its own ResolutionError for unknown ids
        return False


def _safety_copy(db: Database, revision: str) -> Path | None:
    if not db.is_sqlite or db.paths is None or not db.paths.database.exists():
        return None  # a server keeps its own backups; upgrades there are transactional
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = db.paths.backups / f"升级前-{revision}-{stamp}.db"
    db.dispose()
    online_backup(db.paths.database, target)
    return target


def _put_back(db: Database, copy: Path) -> None:
    assert db.paths is not None
    db.dispose()
    live = db.paths.database
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    shutil.copyfile(copy, live)
