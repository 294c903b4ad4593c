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

Each case's text is kept in two columns. ``body`` is what anyone may find the
case by: the personal numbers in it are masked by the one detector
(``storage/redact.py``), a phone kept only as its last four digits (电话尾号),
ID numbers and flats left out, a person's address only up to the building, as
the screens show it. ``personal`` holds what was masked: the full phones, ID
numbers and addresses, and each part of the text that had a number in it.
A user who may see personal data (``Permission.REVEAL_PERSONAL``; a mediator:
on the cases assigned to them) searches both; anyone else only ``body``, so a
search can never tell them more than the screen shows: no phone by its first
digits, no ID number at all. Both columns are in both indexes, and a column
filter (``body : "..."``) keeps a masked search to the first.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Engine,
    Select,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    text,
    union,
)
from sqlalchemy import table as sql_table
from sqlalchemy.orm import Session

from wuye_desktop.models import CaseSearchText
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.search_text import SearchText, compose, party_parts, text_of

__all__ = ["SearchText", "compose", "ensure_index", "matching_case_ids", "party_parts", "store", "text_of"]

log = logging.getLogger(__name__)

FTS_TABLE = "case_search_fts"
CHAR_TABLE = "case_search_fts_chars"  # "fts" in the name: derived data, outside the schema
TRIGRAM = 3
_fts_available: dict[str, bool] = {}
_chars_available: dict[str, bool] = {}


COLUMNS = ("body", "personal")
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
        if not _has_both_columns(conn, CHAR_TABLE):
            conn.exec_driver_sql(
                f"CREATE VIRTUAL TABLE {CHAR_TABLE} USING fts5(body, personal, content='', tokenize='unicode61')")
            _index_chars(conn, "SELECT case_id, body, personal FROM case_search_text", ())
    _chars_available[key] = True


def _has_both_columns(conn: Connection, table: str) -> bool:
    """Whether the index exists with the body and personal columns; an index of one column is dropped."""
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).first() is None:
        return False
    try:
        conn.exec_driver_sql(f"SELECT personal FROM {table} LIMIT 0").all()
    except Exception as exc:
        if "no such module" in str(exc):  # a library without FTS5 cannot read it, nor drop it
            raise
        log.info("Rebuilding the search index %s with a column for personal data", table)
        conn.exec_driver_sql(f"DROP TABLE {table}")
        return False
    return True


def _index_chars(conn: Connection, query: str, parameters: tuple[object, ...]) -> None:
    # A batch at a time: the texts of 100,000 cases are 40 MB, never all in memory at once.
    for batch in conn.exec_driver_sql(query, parameters).partitions(5000):
        conn.exec_driver_sql(f"INSERT INTO {CHAR_TABLE}(rowid, body, personal) VALUES (?, ?, ?)",
                             [(case_id, spaced(body), spaced(personal)) for case_id, body, personal in batch])


def _ensure_trigram_index(db: Database) -> bool:
    if not db.is_sqlite:
        return False
    with db.writing() as session:
        conn = session.connection()
        try:
            exists = _has_both_columns(conn, FTS_TABLE)
        except Exception:  # "no such module: fts5": this library cannot read the index
            log.warning("FTS5 is missing from this SQLite; searching without the index")
            _fts_available[_key(db.engine)] = False
            return False
        if exists:
            _fts_available[_key(db.engine)] = True
            return True
        try:
            conn.exec_driver_sql(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(body, personal, "
                "content='case_search_text', content_rowid='case_id', tokenize='trigram')"
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


def store(session: Session, case_id: int, found_by: SearchText | str) -> None:
    """Write a case's search text, keeping the FTS index in step in the same transaction.

    A plain string (a case merged from a room's file) is one part: the
    detector masks what it finds in it.
    """
    new = found_by if isinstance(found_by, SearchText) else text_of([found_by])
    fts, chars = uses_index(session), uses_char_index(session)
    old = session.get(CaseSearchText, case_id)
    conn = session.connection()
    if old is not None:
        if (old.body, old.personal) == (new.body, new.personal):
            return
        if fts:
            conn.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body, personal) VALUES ('delete', ?, ?, ?)",
                (case_id, old.body, old.personal),
            )
        if chars:  # a contentless index forgets a row only when told its old tokens
            conn.exec_driver_sql(
                f"INSERT INTO {CHAR_TABLE}({CHAR_TABLE}, rowid, body, personal) VALUES ('delete', ?, ?, ?)",
                (case_id, spaced(old.body), spaced(old.personal)),
            )
        old.body, old.personal = new.body, new.personal
        session.flush()
    else:
        session.add(CaseSearchText(case_id=case_id, body=new.body, personal=new.personal))
        session.flush()
    if fts:
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, body, personal) VALUES (?, ?, ?)",
                             (case_id, new.body, new.personal))
    if chars:
        conn.exec_driver_sql(f"INSERT INTO {CHAR_TABLE}(rowid, body, personal) VALUES (?, ?, ?)",
                             (case_id, spaced(new.body), spaced(new.personal)))


def index_range(session: Session, first_case_id: int, last_case_id: int) -> None:
    """Index rows written in bulk (demo data, imports) between two case ids."""
    if uses_index(session):
        session.connection().exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}(rowid, body, personal) SELECT case_id, body, personal FROM case_search_text "
            "WHERE case_id BETWEEN ? AND ?",
            (first_case_id, last_case_id),
        )
    if uses_char_index(session):
        _index_chars(session.connection(),
                     "SELECT case_id, body, personal FROM case_search_text WHERE case_id BETWEEN ? AND ?",
                     (first_case_id, last_case_id))


def terms(query: str) -> list[str]:
    return [t for t in query.replace("\u3000", " ").split() if t]


# Whose personal data a search may match: everyone's, no one's, or only that of these cases (a SELECT of ids).
Personal = bool | Select[Any]


def matching_case_ids(session: Session, query: str,
                      personal: Personal = True) -> Select[Any] | CompoundSelect[Any] | None:
    """A SELECT of the ids of cases whose text holds every term; None for an empty query.

    ``personal`` says whose personal data the terms may match (see ``Personal``):
    False searches only what anyone may see; a SELECT of case ids adds the
    personal data of those cases alone (a mediator's own).
    """
    words = terms(query)
    if not words:
        return None
    if personal is True:
        return _matching(session, words, COLUMNS)
    masked = _matching(session, words, COLUMNS[:1])
    if personal is False:
        return masked
    # One word (the commonest search) is in an own case's text if in its body, found already, or in
    # its personal part: matching that column alone is far quicker than matching both again.
    columns = COLUMNS[1:] if len(words) == 1 else COLUMNS
    return union(masked, _matching(session, words, columns, within=personal))


def _matching(session: Session, words: list[str], columns: tuple[str, ...],
              within: Select[Any] | None = None) -> Select[Any]:
    """The ids of cases whose ``columns`` hold every word; ``within``: only among these case ids."""
    searched = [getattr(CaseSearchText, name) for name in columns]
    long_words = [w for w in words if len(w) >= TRIGRAM]
    indexed: list[Select[Any]] = []
    if long_words and uses_index(session):
        indexed.append(_fts_match(FTS_TABLE, " AND ".join(_phrase(w, columns) for w in long_words)))
        short = [w for w in words if len(w) < TRIGRAM]
    else:
        short = words
    # Letters and digits only: the character index drops punctuation, so "-1" would become "1".
    by_char = [w for w in short if len(w) < TRIGRAM and w.isalnum()] if uses_char_index(session) else []
    if by_char:
        indexed.append(_fts_match(CHAR_TABLE, " AND ".join(_phrase(" ".join(w), columns) for w in by_char)))
        short = [w for w in short if w not in by_char]
    if indexed and not short:
        # The indexes answer alone: their row ids are the case ids, no need to visit the texts.
        # "rowid + 0" here and below: given "rowid IN (...)", SQLite would look each id up in the first
        # index one by one (1.2 s for 漏水 5678 at 100,000 cases) instead of reading its matches once.
        found = indexed[0]
        for other in indexed[1:]:
            found = found.where((literal_column("rowid") + 0).in_(other))
        return found if within is None else found.where((literal_column("rowid") + 0).in_(within))
    stmt = select(CaseSearchText.case_id)
    if within is not None:
        stmt = stmt.where(CaseSearchText.case_id.in_(within))
    for ids in indexed:
        stmt = stmt.where(CaseSearchText.case_id.in_(ids))
    # Case-insensitive like the indexes, so "002x" finds an ID ending in X on every path.
    # lower() over every row costs a third of the scan, so only words with letters pay for it.
    conditions: list[ColumnElement[bool]] = []
    for word in short:
        if session.get_bind().dialect.name == "sqlite":
            if word.lower() == word.upper():
                found_in = [func.instr(column, word) > 0 for column in searched]
            else:
                found_in = [func.instr(func.lower(column), word.lower()) > 0 for column in searched]
        else:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            found_in = [column.ilike(f"%{escaped}%", escape="\\") for column in searched]
        conditions.append(or_(*found_in) if len(found_in) > 1 else found_in[0])
    if conditions:
        stmt = stmt.where(and_(*conditions))
    return stmt


def _phrase(word: str, columns: tuple[str, ...]) -> str:
    """One FTS5 phrase, kept to ``body`` when the search may not match personal data."""
    quoted = '"' + word.replace('"', '""') + '"'
    return quoted if columns == COLUMNS else f"{columns[0]} : {quoted}"


def _fts_match(table: str, phrase: str) -> Select[Any]:
    # A parameter of its own each time: a query may use both indexes, and a mediator's each twice.
    match = text(f"{table} MATCH :phrase").bindparams(bindparam("phrase", phrase, unique=True))
    return select(sql_table(table, column("rowid")).c.rowid).where(match)
