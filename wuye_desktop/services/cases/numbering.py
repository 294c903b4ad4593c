"""Gap-free numbers per committee, per kind, per year.

The counter row is incremented inside the caller's transaction: two
writers queue on it (SQLite's write lock, PostgreSQL's row lock), and a
rolled-back registration never consumes a number.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wuye_desktop.models import Committee, NumberSequence
from wuye_desktop.services import settings

CASE = "case"
AGREEMENT = "agreement"

_FORMAT_KEY = {CASE: settings.CASE_NUMBER_FORMAT, AGREEMENT: settings.AGREEMENT_NUMBER_FORMAT}


def take_next(session: Session, committee: Committee, kind: str, year: int) -> tuple[int, str]:
    """Reserve the next number; returns (sequence, formatted number)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(NumberSequence)
        .values(committee_id=committee.id, kind=kind, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["committee_id", "kind", "year"])
    )
    seq = session.execute(
        update(NumberSequence)
        .where(
            NumberSequence.committee_id == committee.id,
            NumberSequence.kind == kind,
            NumberSequence.year == year,
        )
        .values(last_value=NumberSequence.last_value + 1)
        .returning(NumberSequence.last_value)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    fmt = settings.read(session, _FORMAT_KEY[kind])
    return seq, format_number(fmt, year, committee.short_name, seq)


def format_number(fmt: str, year: int, short_name: str, seq: int) -> str:
    return str(fmt).format(year=year, short=short_name, seq=seq)


def last_given(session: Session, committee_id: int, kind: str, year: int) -> int:
    value = session.scalar(
        select(NumberSequence.last_value).where(
            NumberSequence.committee_id == committee_id,
            NumberSequence.kind == kind,
            NumberSequence.year == year,
        )
    )
    return value or 0
