"""Split each case's search text into what anyone may match and what is personal.

``case_search_text.body`` held the full phones, ID numbers and addresses, so a
search by a user who may not see them (查看) could recover a masked phone digit
by digit and tell whether an ID number was in the register. ``body`` now
holds the text with personal numbers masked (a phone only by its last four
digits, the address to the building), and the new ``personal`` column the
full values, for users who may see them. Every case's text is composed again
here, as ``services/cases/search.py`` does it. The FTS5 indexes (derived data)
are dropped: the program builds them again, with both columns, when it opens
the register.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import contextlib

import sqlalchemy as sa
from alembic import op

from wuye_desktop.storage.search_text import SearchText, party_parts, text_of

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_INDEXES = ("case_search_fts", "case_search_fts_chars")
_CHUNK = 2000


def upgrade() -> None:
    op.add_column("case_search_text", sa.Column("personal", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    _drop_indexes(bind)
    ids = [case_id for (case_id,) in bind.execute(sa.text("SELECT case_id FROM case_search_text ORDER BY case_id"))]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        rows = [{"case_id": case_id, "body": found_by.body, "personal": found_by.personal}
                for case_id, found_by in _texts(bind, chunk).items()]
        if rows:
            bind.execute(sa.text("UPDATE case_search_text SET body = :body, personal = :personal "
                                 "WHERE case_id = :case_id"), rows)
    if bind.dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_case_search_text_personal_trgm ON case_search_text "
                   "USING gin (personal gin_trgm_ops)")


def _texts(bind: sa.Connection, chunk: list[int]) -> dict[int, SearchText]:
    """The search texts of these cases, composed as ``registration.refresh_search_text`` does."""
    cases: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
    parts: dict[int, list[object]] = {}
    places: dict[int, list[object]] = {}
    for row in bind.execute(sa.text(
            "SELECT c.id, c.number, c.source_ref, c.summary, c.facts, e.name, b.name, p.name "
            "FROM mediation_case c LEFT JOIN estate e ON e.id = c.estate_id "
            "LEFT JOIN building b ON b.id = c.building_id "
            "LEFT JOIN property_company p ON p.id = c.property_company_id WHERE c.id IN :ids").bindparams(cases),
            {"ids": chunk}):
        parts[row[0]] = list(row[1:5])
        places[row[0]] = list(row[5:8])
    personal: dict[int, list[object]] = {case_id: [] for case_id in parts}
    for case_id, kind, name, phone, id_number, address, room, representative, agent in bind.execute(sa.text(
            "SELECT cp.case_id, p.kind, p.name, p.phone, p.id_number, p.address, p.room, p.representative, "
            "cp.agent_name FROM case_party cp JOIN party p ON p.id = cp.party_id WHERE cp.case_id IN :ids "
            "ORDER BY cp.case_id, cp.position, cp.id").bindparams(cases), {"ids": chunk}):
        if case_id not in parts:
            continue
        shown, hidden = party_parts(kind == "person", name or "", phone or "", id_number or "", address or "",
                                    room or "", representative or "", agent or "")
        parts[case_id] += shown
        personal[case_id] += hidden
    return {case_id: text_of(parts[case_id] + places[case_id], personal[case_id]) for case_id in parts}


def _drop_indexes(bind: sa.Connection) -> None:
    if bind.dialect.name != "sqlite":
        return
    for table in _INDEXES:
        # Without FTS5 in this library the table cannot be dropped; the program rebuilds it where FTS5 is.
        with contextlib.suppress(sa.exc.OperationalError):
            bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")


def downgrade() -> None:
    bind = op.get_bind()
    _drop_indexes(bind)
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_case_search_text_personal_trgm")
    op.execute("UPDATE case_search_text SET body = body || ' ' || personal WHERE personal <> ''")
    with op.batch_alter_table("case_search_text") as batch_op:
        batch_op.drop_column("personal")
