"""Alembic environment: the program passes its own connection; ``alembic`` on the command line uses the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from wuye_desktop.models import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj: object, name: str | None, type_: str, _reflected: bool, _compare_to: object) -> bool:
    # The FTS5 index and its shadow tables are derived data managed by
    # services/cases/search.py, not part of the schema.
    if type_ == "table" and name is not None and "fts" in name:
        return False
    # The pg_trgm indexes exist on PostgreSQL only (made in the migrations themselves).
    return not (type_ == "index" and name in ("ix_case_search_text_body_trgm", "ix_case_search_text_personal_trgm"))


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        include_object=include_object,
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///wuye-dev.db")
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
