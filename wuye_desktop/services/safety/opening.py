"""Opening a register: the saved server or the local file, schema up to date, default lists, search index."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from wuye_desktop.errors import StorageError
from wuye_desktop.services import audit
from wuye_desktop.services.cases import search
from wuye_desktop.services.reference.defaults import ensure_defaults
from wuye_desktop.storage import schema
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.errors import translate

log = logging.getLogger(__name__)


def open_register(*, data_dir: str | None = None, db_url: str | None = None, check: bool = True) -> Database:
    """The register ready to use: created or upgraded, with its default lists.

    ``check``: SQLite's quick check first, so that a damaged file is explained (with the way out) instead of
    opened; the window makes that check itself while it starts, and passes False. A register that cannot
    be opened (not a database, the server not answering) is a ``StorageError`` in Chinese too.
    """
    db_url = checked_url(db_url)
    if check:
        from wuye_desktop.services.safety.checks import quick_check

        problem = quick_check(data_dir=data_dir, db_url=db_url)
        if problem is not None:
            raise StorageError(_one_line(problem.message))
    db = open_database(data_dir=data_dir, db_url=db_url)
    try:
        if not schema.is_current(db):
            from wuye_desktop.storage import migrate  # Alembic is imported only when there is work

            migrate.upgrade(db)
        missing = schema.missing_tables(db)
        if missing:
            raise StorageError(f"台账数据库缺少数据表（{'、'.join(missing[:3])}），可能被其他程序改动过，不能继续使用。"
                               "请用最近一次完好的备份恢复（wuye restore 备份文件），或联系技术支持。")
        _sign_old_trail(db)
        ensure_defaults(db)
        search.ensure_index(db)
    except (DBAPIError, sqlite3.Error) as exc:
        db.dispose()
        known = translate(exc)
        if known is None:
            raise
        raise known from exc
    except BaseException:
        db.dispose()
        raise
    return db


def _sign_old_trail(db: Database) -> None:
    """An old register's audit trail, chained without a key, is checked and signed once (``audit.upgrade``)."""
    try:
        audit.upgrade(db)
    except StorageError as exc:  # a read-only register: signed the next time it can be written
        log.warning("the audit trail could not be upgraded now: %s", exc.message)


def _one_line(message: str) -> str:
    """A message box's paragraphs as the one line a command prints."""
    parts = [part.strip() for part in message.split("\n") if part.strip()]
    return "".join(p if p.endswith(("。", "：", "；", "，")) else p + " " for p in parts).strip()


def checked_url(db_url: str | None) -> str | None:
    """--db-url, else ``WUYE_DB_URL``, checked (``ValidationError`` in Chinese); None for neither."""
    import os

    from wuye_desktop.services.server.connection import register_url

    url = db_url or os.environ.get("WUYE_DB_URL")
    return register_url(url) if url else None


def open_database(*, data_dir: str | None = None, db_url: str | None = None) -> Database:
    """The register named by the flags, the environment, or the server this PC was pointed at; not upgraded."""
    from wuye_desktop.storage.paths import resolve_data_dir

    db_url = checked_url(db_url)
    server_url = None if db_url else _saved_server_url(resolve_data_dir(data_dir).root)
    return Database.open(data_dir=data_dir, db_url=db_url, server_url=server_url)


def _saved_server_url(root: Path) -> str | None:
    if not (root / "server.json").exists():
        return None  # the common case: no import of the keyring machinery at start-up
    from wuye_desktop.services.server.connection import saved_url

    return saved_url(root)
