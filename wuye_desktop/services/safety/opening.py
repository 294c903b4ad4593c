"""Opening a register: the saved server or the local file, schema up to date, default lists, search index."""

from __future__ import annotations

import logging
from pathlib import Path

from wuye_desktop.errors import StorageError
from wuye_desktop.services import audit
from wuye_desktop.services.cases import search
from wuye_desktop.services.reference.defaults import ensure_defaults
from wuye_desktop.storage import schema
from wuye_desktop.storage.engine import Database

log = logging.getLogger(__name__)


def open_register(*, data_dir: str | None = None, db_url: str | None = None) -> Database:
    """The register ready to use: created or upgraded, with its default lists."""
    db = open_database(data_dir=data_dir, db_url=db_url)
    try:
        if not schema.is_current(db):
            from wuye_desktop.storage import migrate  # Alembic is imported only when there is work

            migrate.upgrade(db)
        _sign_old_trail(db)
        ensure_defaults(db)
        search.ensure_index(db)
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


def open_database(*, data_dir: str | None = None, db_url: str | None = None) -> Database:
    """The register named by the flags, the environment, or the server this PC was pointed at; not upgraded."""
    import os

    from wuye_desktop.storage.paths import resolve_data_dir

    server_url = None
    if not (db_url or os.environ.get("WUYE_DB_URL")):
        server_url = _saved_server_url(resolve_data_dir(data_dir).root)
    return Database.open(data_dir=data_dir, db_url=db_url, server_url=server_url)


def _saved_server_url(root: Path) -> str | None:
    if not (root / "server.json").exists():
        return None  # the common case: no import of the keyring machinery at start-up
    from wuye_desktop.services.server.connection import saved_url

    return saved_url(root)
