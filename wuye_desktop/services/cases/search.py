"""Finding cases by any text a clerk remembers: number, name, phone tail, address, facts.

Chinese queries are mostly one or two characters (张, 张三, 漏水), which a
trigram index cannot answer. So on SQLite there are two FTS5 indexes over
the one-row-per-case text table: a trigram index for terms of 3+
characters, and a character index, where every character is a token of its
own, that finds a 1- or 2-character term as a phrase (漏水 = "漏 水"). At
100,000 cases that takes a few milliseconds instead of the 80 ms a scan of
the 40 MB of text costs. A short term with punctuation in it, PostgreSQL
(pg_trgm for 3+ characters) and a SQLite without FTS5 scan the text with
``instr``/``LIKE``; the program works the same, only slower.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, func, literal_column, select, text
from sqlalchemy.orm import Session

from wuye_desktop.models import CaseSearchText
from wuye_desktop.storage.engine import Database

log = logging.getLogger(__name__)

FTS_TABLE = "case_search_fts"
CHAR_TABLE = "case_search_fts_chars"  # "fts" in the name: derived data, outside the schema
TRIGRAM = 3
_fts_available: dict[str, bool] = {}
_chars_available: dict[str, bool] = {}


def compose(parts: Iterable[object]) -> str:
    """The searchable text of a case, from its number, parties, place and story."""
    return " ".join(str(p) for p in parts if p not in (None, ""))


# Stands between words in the character index: a token (private use, so the index keeps it) that no
# search word can hold, so "三李" is not found across the gap in "张三 李四", just as a scan would not.
WORD_GAP = "\ue000"


def spaced(body: str) -> str:
    """A case's text for the character index: every letter or digit a token, a gap token between words."""
    tokens: list[str] = []
    for ch in body:
        if ch.isalnum():
            tokens.append(ch)
        elif tokens and tokens[-1] != WORD_GAP:
            tokens.append(WORD_GAP)
    return " ".join(tokens)


def ensure_index(db: Database) -> bool:
    """Create (or rebuild) the SQLite indexes if FTS5 is here; report whether it is."""
    available = _ensure_trigram_index(db)
    if available:
        _ensure_char_index(db)
    return available


def _ensure_char_index(db: Database) -> None:
    """The character index, built once from the case texts (about 4 s for 100,000 cases)."""
    key = _key(db.engine)
    with db.writing() as session:
        conn = session.connection()
        if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (CHAR_TABLE,)).first() is None:
            conn.exec_driver_sql(
                f"CREATE VIRTUAL TABLE {CHAR_TABLE} USING fts5(body, content='', tokenize='unicode61')")
            _index_chars(conn, "SELECT case_id, body FROM case_search_text", ())
    _chars_available[key] = True


def _index_chars(conn: Connection, query: str, parameters: tuple[object, ...]) -> None:
    # A batch at a time: the texts of 100,000 cases are 40 MB, never all in memory at once.
    for batch in conn.exec_driver_sql(query, parameters).partitions(5000):
        conn.exec_driver_sql(f"INSERT INTO {CHAR_TABLE}(rowid, body) VALUES (?, ?)",
                             [(case_id, spaced(body)) for case_id, body in batch])


def _ensure_trigram_index(db: Database) -> bool:
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
    return _available(session, _fts_available)


def uses_char_index(session: Session) -> bool:
    return _available(session, _chars_available)


def _available(session: Session, known: dict[str, bool]) -> bool:
    bind = session.get_bind()
    return isinstance(bind, Engine | Connection) and known.get(_key(bind), False)


def store(session: Session, case_id: int, body: str) -> None:
    """Write a case's search text, keeping the FTS index in step in the same transaction."""
    fts, chars = uses_index(session), uses_char_index(session)
    old = session.get(CaseSearchText, case_id)
    conn = session.connection()
    if old is not None:
        if fts:
            conn.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', ?, ?)",
                (case_id, old.body),
            )
        if chars:  # a contentless index forgets a row only when told its old tokens
            conn.exec_driver_sql(
                f"INSERT INTO {CHAR_TABLE}({CHAR_TABLE}, rowid, body) VALUES ('delete', ?, ?)",
                (case_id, spaced(old.body)),
            )
        old.body = body
        session.flush()
    else:
        session.add(CaseSearchText(case_id=case_id, body=body))
        session.flush()
    if fts:
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (?, ?)", (case_id, body))
    if chars:
        conn.exec_driver_sql(f"INSERT INTO {CHAR_TABLE}(rowid, body) VALUES (?, ?)", (case_id, spaced(body)))


def index_range(session: Session, first_case_id: int, last_case_id: int) -> None:
    """Index rows written in bulk (demo data, imports) between two case ids."""
    if uses_index(session):
        session.connection().exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}(rowid, body) SELECT case_id, body FROM case_search_text "
            "WHERE case_id BETWEEN ? AND ?",
            (first_case_id, last_case_id),
        )
    if uses_char_index(session):
        _index_chars(session.connection(), "SELECT case_id, body FROM case_search_text WHERE case_id BETWEEN ? AND ?",
                     (first_case_id, last_case_id))


def terms(query: str) -> list[str]:
    return [t for t in query.replace("\u3000", " ").split() if t]


def matching_case_ids(session: Session, query: str) -> Select[Any] | None:
    """A SELECT of the ids of cases whose text holds every term; None for an empty query."""
    words = terms(query)
    if not words:
        return None
    body = CaseSearchText.body
    long_words = [w for w in words if len(w) >= TRIGRAM]
    indexed: list[Select[Any]] = []
    if long_words and uses_index(session):
        indexed.append(_fts_match(FTS_TABLE, " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)))
        short = [w for w in words if len(w) < TRIGRAM]
    else:
        short = words
    # Letters and digits only: the character index drops punctuation, so "-1" would become "1".
    by_char = [w for w in short if len(w) < TRIGRAM and w.isalnum()] if uses_char_index(session) else []
    if by_char:
        indexed.append(_fts_match(CHAR_TABLE, " AND ".join('"' + " ".join(w) + '"' for w in by_char)))
        short = [w for w in short if w not in by_char]
    if indexed and not short:
        # The indexes answer alone: their row ids are the case ids, no need to visit the texts.
        found = indexed[0]
        for other in indexed[1:]:
            found = found.where(literal_column("rowid").in_(other))
        return found
    stmt = select(CaseSearchText.case_id)
    for ids in indexed:
        stmt = stmt.where(CaseSearchText.case_id.in_(ids))
    # Case-insensitive like the indexes, so "002x" finds an ID ending in X on every path.
    # lower() over every row costs a third of the scan, so only words with letters pay for it.
    conditions: list[ColumnElement[bool]] = []
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


def _fts_match(table: str, phrase: str) -> Select[Any]:
    name = f"{table}_phrase"  # one parameter per index: a query may use both
    match = text(f"{table} MATCH :{name}").bindparams(**{name: phrase})
    return select(text("rowid")).select_from(text(table)).where(match)
