"""A cheap look at the register's schema version, without importing Alembic."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.migrations import HEAD


def is_current(db: Database) -> bool:
    """True when the register is exactly at this program's schema (the usual start-up)."""
    try:
        with db.engine.connect() as conn:
            versions = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
    except DBAPIError:  # no alembic_version yet: a new register, or not one of ours
        return False
    return versions == [HEAD]


def missing_tables(db: Database) -> list[str]:
    """Tables of this program's schema that the register lacks (dropped by another program, say)."""
    from sqlalchemy import inspect

    from wuye_desktop import models

    present = set(inspect(db.engine).get_table_names())
    return sorted(set(models.Base.metadata.tables) - present)
