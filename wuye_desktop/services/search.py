"""Finding cases by any text a clerk remembers: number, name, phone tail, address, facts.

Chinese queries are mostly one or two characters (张, 张三, 漏水), which a
trigram index cannot answer. So: terms of 3+ characters use the FTS5
trigram index on SQLite (or pg_trgm on PostgreSQL), shorter terms scan the
one-row-per-case text table with ``instr``/``LIKE``; at 100,000 cases that
scan takes tens of milliseconds. Where this SQLite has no FTS5 the scan is
used for everything, and the program still starts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, func, select, text
from sqlalchemy.orm import Session

from wuye_desktop.models import CaseSearchText
from wuye_desktop.storage.engine import Database

log = logging.getLogger(__name__)

FTS_TABLE = "case_search_fts"
TRIGRAM = 3
_fts_available: dict[str, bool] = {}


def compose(parts: Iterable[object]) -> str:
    """The searchable text of a case, from its number, parties, place and story."""
    return " ".join(str(p) for p in parts if p not in (None, ""))


def ensure_index(db: Database) -> bool:
    """Create (or rebuild) the SQLite trigram index if FTS5 is here; report whether it is."""
    if not db.is_sqlite:
        return False
    with db.writing() as session:
        conn = session.connection()
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)
        ).first() is not None
        if exists:
            try:
                conn.exec_driver_sql(f"SELECT 1 FROM {FTS_TABLE} LIMIT 1").all()
                _fts_available[_key(db.engine)] = True
            except Exception:  # "no such module: fts5": this library cannot read the index
                log.warning("FTS5 is missing from this SQLite; searching without the index")
                _fts_available[_key(db.engine)] = False
            return _fts_available[_key(db.engine)]
        try:
            conn.exec_driver_sql(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
                "body, content='case_search_text', content_rowid='case_id', tokenize='trigram')"
            )
        except Exception:
            log.warning("FTS5 with the trigram tokenizer is not available; searching by scan")
            _fts_available[_key(db.engine)] = False
            return False
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    _fts_available[_key(db.engine)] = True
    return True


def _key(bind: Engine | Connection) -> str:
    return bind.engine.url.render_as_string(hide_password=False)


def uses_index(session: Session) -> bool:
    bind = session.get_bind()
    return isinstance(bind, Engine | Connection) and _fts_available.get(_key(bind), False)


def store(session: Session, case_id: int, body: str) -> None:
    """Write a case's search text, keeping the FTS index in step in the same transaction."""
    fts = uses_index(session)
    old = session.get(CaseSearchText, case_id)
    conn = session.connection()
    if old is not None:
        if fts:
            conn.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', ?, ?)",
                (case_id, old.body),
            )
        old.body = body
        session.flush()
    else:
        session.add(CaseSearchText(case_id=case_id, body=body))
        session.flush()
    if fts:
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (?, ?)", (case_id, body))


def index_range(session: Session, first_case_id: int, last_case_id: int) -> None:
    """Index rows written in bulk (demo data, imports) between two case ids."""
    if uses_index(session):
        session.connection().exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}(rowid, body) SELECT case_id, body FROM case_search_text "
            "WHERE case_id BETWEEN ? AND ?",
            (first_case_id, last_case_id),
        )


def terms(query: str) -> list[str]:
    return [t for t in query.replace("\u3000", " ").split() if t]


def matching_case_ids(session: Session, query: str) -> Select[int] | None:
    """A SELECT of the ids of cases whose text holds every term; None for an empty query."""
    words = terms(query)
    if not words:
        return None
    body = CaseSearchText.body
    long_words = [w for w in words if len(w) >= TRIGRAM]
    conditions: list[ColumnElement[bool]] = []
    stmt = select(CaseSearchText.case_id)
    if long_words and uses_index(session):
        phrase = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        stmt = select(CaseSearchText.case_id).where(
            CaseSearchText.case_id.in_(
                select(text("rowid")).select_from(text(FTS_TABLE)).where(
                    text(f"{FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase)
                )
            )
        )
        short = [w for w in words if len(w) < TRIGRAM]
    else:
        short = words
    # Case-insensitive like the trigram index, so "002x" finds an ID ending in X on every path.
    # lower() over every row costs a third of the scan, so only words with letters pay for it.
    for word in short:
        if session.get_bind().dialect.name == "sqlite":
            if word.lower() == word.upper():
                conditions.append(func.instr(body, word) > 0)
            else:
                conditions.append(func.instr(func.lower(body), word.lower()) > 0)
        else:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(body.ilike(f"%{escaped}%", escape="\\"))
    if conditions:
        stmt = stmt.where(and_(*conditions))
    return stmt
