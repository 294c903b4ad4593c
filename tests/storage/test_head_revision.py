"""The start-up shortcut's idea of the newest schema matches the migration scripts."""

from __future__ import annotations

from wuye_desktop.storage import migrate, schema
from wuye_desktop.storage.engine import Database
from wuye_desktop.storage.migrations import HEAD


def test_head_constant_is_the_scripts_head() -> None:
    assert migrate.head_revision() == HEAD, "update storage/migrations/__init__.py HEAD with each new migration"


def test_a_fresh_register_is_current_and_an_empty_file_is_not(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert schema.is_current(db)
    empty = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    assert not schema.is_current(empty)
    empty.dispose()
