"""The database handle: one engine per register, short sessions per unit of work.

SQLite gets the settings a legal record needs: WAL, ``synchronous=FULL`` (an
acknowledged save survives a power cut), foreign keys, a busy timeout, and
write transactions that take the write lock at ``BEGIN IMMEDIATE`` so two
processes queue instead of failing with "database is locked" half way.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wuye_desktop.errors import ConflictError, StorageError
from wuye_desktop.storage.errors import translate
from wuye_desktop.storage.paths import DataPaths
from wuye_desktop.storage.private import register_files, restrict

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
_WRITE = "wuye_write"

# The tables whose rows belong to one case, and the column that says which.
CASE_TABLES = frozenset({
    "mediation_case", "case_party", "party", "case_event", "agreement", "agreement_clause", "consultation_step",
    "mediation_record", "return_visit", "attachment", "assignment", "work_order",
})
_DML = re.compile(r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)'
                  r'\s+"?(\w+)', re.IGNORECASE)


@dataclass(frozen=True)
class Written:
    """What one committed unit of work wrote: its tables and the cases its rows belong to.

    ``case_ids`` is ``None`` when rows of a case were written without saying which case (a bulk
    statement, a party row): every view of a case must then assume it may be its own.
    ``replaced`` says the whole register was put back (a restore): everything is new.
    """

    tables: frozenset[str] = frozenset()
    case_ids: frozenset[int] | None = frozenset()
    replaced: bool = False


@dataclass
class _Collecting:
    tables: set[str] = field(default_factory=set)
    case_ids: set[int] = field(default_factory=set)
    unnamed_case_rows: bool = False
    flushing: int = 0

    def result(self) -> Written:
        unknown = self.unnamed_case_rows and not self.case_ids
        return Written(frozenset(self.tables), None if unknown else frozenset(self.case_ids))


# The unit of work open on this thread (or task), if any: every statement it sends is noted.
_collecting: ContextVar[_Collecting | None] = ContextVar("wuye_collecting", default=None)


def _note_statement(_conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any,
                    _executemany: bool) -> None:
    collecting = _collecting.get()
    if collecting is None:
        return
    match = _DML.match(statement)
    if match is None:
        return
    table = match.group(1).lower()
    collecting.tables.add(table)
    if table in CASE_TABLES and not collecting.flushing:
        collecting.unnamed_case_rows = True  # a statement of its own: which cases it touched is not known here


def _note_rows(session: Session, _flush_context: Any) -> None:
    collecting = _collecting.get()
    if collecting is None:
        return
    for row in (*session.new, *session.dirty, *session.deleted):
        table = getattr(row, "__tablename__", "")
        if table not in CASE_TABLES:
            continue
        case_id = row.id if table == "mediation_case" else getattr(row, "case_id", None)
        if isinstance(case_id, int):
            collecting.case_ids.add(case_id)
        else:
            collecting.unnamed_case_rows = True


def _flush_starts(session: Session, flush_context: Any, _instances: Any) -> None:
    collecting = _collecting.get()
    if collecting is not None:
        collecting.flushing += 1
        _note_rows(session, flush_context)


def _flush_ends(session: Session, flush_context: Any) -> None:
    collecting = _collecting.get()
    if collecting is not None:
        _note_rows(session, flush_context)  # rows given their ids by the flush
        collecting.flushing -= 1


event.listen(Session, "before_flush", _flush_starts)
event.listen(Session, "after_flush", _flush_ends)


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Hand transaction control to the "begin" hook below: pysqlite's own
    # implicit BEGIN would start every write as a deferred transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # The register is its user's only, a register of an earlier version too; SQLite gives the -wal and
        # -shm it makes the register's own mode, and those it finds are put right here as well.
        for _seq, name, file in cursor.execute("PRAGMA database_list").fetchall():
            if name == "main" and file:
                for part in register_files(Path(file)):
                    restrict(part)
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
        event.listen(self.engine, "after_cursor_execute", _note_statement)
        self._watchers: list[Callable[[Written], None]] = []
        self._watch_lock = threading.Lock()

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
        """One unit of work: committed as a whole when the block ends, or not at all.

        Once it is committed, every watcher hears what it wrote (``watch``).
        """
        collecting = _Collecting()
        token = _collecting.set(collecting)
        try:
            with self._translated(), Session(self._write_engine, expire_on_commit=False) as session, \
                    session.begin():
                yield session
        finally:
            _collecting.reset(token)
        if collecting.tables:
            self.announce(collecting.result())

    def watch(self, watcher: Callable[[Written], None]) -> Callable[[], None]:
        """Call ``watcher`` after each committed write, on the thread that wrote; returns the way to stop."""
        with self._watch_lock:
            self._watchers.append(watcher)

        def stop() -> None:
            with self._watch_lock:
                if watcher in self._watchers:
                    self._watchers.remove(watcher)

        return stop

    def announce(self, written: Written) -> None:
        """Tell the watchers of a change; also for writes made without a session (a restore)."""
        with self._watch_lock:
            watchers = list(self._watchers)
        for watcher in watchers:
            try:
                watcher(written)
            except Exception:  # the write is committed whatever a view makes of it
                log.exception("a watcher of the register failed")

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


__all__ = ["CASE_TABLES", "Database", "StorageError", "Written"]
