"""Helpers for the storage tests: empty databases on each backend, demo registers, raw SQLite access."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wuye_desktop.services import demo
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register

PG_ADMIN_URL = os.environ.get("WUYE_TEST_PG_URL", "")
_counter = itertools.count()


@pytest.fixture
def empty_db_url(backend: str) -> Iterator[str | None]:
    """None for SQLite (a data folder with no database yet), else a brand-new, empty PostgreSQL database.

    Unlike ``db_url`` (copied from an already migrated template) nothing has
    been created in it, so the program's own first start is what is tested.
    """
    if backend != "postgresql":
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"wuye_empty{os.getpid()}_{next(_counter)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


DemoRegister = Callable[..., Path]


@pytest.fixture
def demo_register(data_dir: Path) -> DemoRegister:
    """Make a register with demo cases in the test's data folder and close it again.

    On SQLite the last connection to close checkpoints the WAL, so the cases
    are in ``wuye.db`` itself when this returns; the file's path is returned.
    """

    def make(cases: int, seed: int = 1, db_url: str | None = None) -> Path:
        db = open_register(data_dir=str(data_dir), db_url=db_url)
        try:
            demo.generate(Context(db), cases, seed=seed)
        finally:
            db.dispose()
        return data_dir / "wuye.db"

    return make
