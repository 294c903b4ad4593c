"""The database handle: one engine per register, short sessions per unit of work.

SQLite gets the settings a legal record needs: WAL, ``synchronous=FULL`` (an
acknowledged save survives a power cut), foreign keys, a busy timeout, and
write transactions that take the write lock at ``BEGIN IMMEDIATE`` so two
processes queue instead of failing with "database is locked" half way.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wuye_desktop.errors import ConflictError, StorageError
from wuye_desktop.storage.errors import translate
from wuye_desktop.storage.paths import DataPaths

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
_WRITE = "wuye_write"


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Hand transaction control to the "begin" hook below: pysqlite's own
    # implicit BEGIN would start every write as a deferred transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # WAL is written into the file itself: switch only a register (or a new,
        # empty file), never a database of another program that upgrade() refuses.
        tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables or "alembic_version" in tables:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Any) -> None:
    if conn.get_execution_options().get(_WRITE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class Database:
    """An open register: SQLite file in a data folder, or a server URL."""

    def __init__(self, url: str, paths: DataPaths | None = None) -> None:
        self.url = url
        self.paths = paths
        self.engine: Engine = self._make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._write_engine = self.engine.execution_options(**{_WRITE: True})

    @classmethod
    def open(cls, *, data_dir: str | None = None, db_url: str | None = None,
             server_url: str | None = None) -> Database:
        """The register named by the flags, the environment, or else ``server_url`` (the shared server
        this computer was pointed at, read by the caller), or else the local file; the data folder is
        created if needed."""
        import os

        from wuye_desktop.storage.paths import resolve_data_dir

        paths = resolve_data_dir(data_dir).ensure()
        # URL.create quotes the path: a folder named like "3#楼" or "50%" must not be parsed as URL syntax.
        local = URL.create("sqlite", database=str(paths.database)).render_as_string()
        url = db_url or os.environ.get("WUYE_DB_URL") or server_url or local
        return cls(url, paths)

    @staticmethod
    def _make_engine(url: str) -> Engine:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
            return engine
        return create_engine(url, pool_pre_ping=True, pool_recycle=1800)

    @property
    def display_location(self) -> str:
        """Where the register is, for the status bar; never shows a password."""
        if self.is_sqlite and self.engine.url.database:
            return self.engine.url.database  # the file as the user knows it, not "%E5%8F%B0..."
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only look; nothing is committed."""
        with self._translated(), Session(self.engine) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One unit of work: committed as a whole when the block ends, or not at all."""
        with self._translated(), Session(self._write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except StaleDataError as exc:
            raise ConflictError("这条记录已被其他人修改，请重新打开后再保存。") from exc
        except DBAPIError as exc:
            known = translate(exc)
            if known is None:
                raise
            log.warning("database failure: %s", exc.orig)
            raise known from exc
        except sqlite3.Error as exc:
            known = translate(exc)
            if known is None:
                raise
            raise known from exc

    def dispose(self) -> None:
        self.engine.dispose()


__all__ = ["Database", "StorageError"]
