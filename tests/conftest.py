"""Test setup: offscreen Qt, a fresh register per test, on SQLite always and PostgreSQL when given.

Set ``WUYE_TEST_PG_URL`` to an administrator URL of a PostgreSQL server
(``.ci/run`` starts one) and every test that takes ``db`` or ``ctx`` runs
on both databases. Each PostgreSQL test gets its own database, copied
from a migrated template, so tests never see each other's rows.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from wuye_desktop.models.enums import Role
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage.engine import Database

PG_ADMIN_URL = os.environ.get("WUYE_TEST_PG_URL", "")


@pytest.fixture(autouse=True)
def _own_config_and_no_keyring(tmp_path_factory: pytest.TempPathFactory,
                               monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Secrets a test makes go to a folder of its own, never to this machine's keyring or config folder."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("WUYE_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # for the programs tests start
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)
BACKENDS = ["sqlite"] + (["postgresql"] if PG_ADMIN_URL else [])
TODAY = date(2026, 11, 20)
_counter = itertools.count()


def _pg_admin():  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


_template_keys: list[Path] = []  # where the template register's audit key was kept


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated PostgreSQL database that each test's database is copied from."""
    import keyring
    from keyring.backends import fail
    from sqlalchemy import text

    name = f"wuye_tpl_{os.getpid()}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    # The template's audit key goes to a folder of its own; each test's copy of it gets the key (pg_database).
    before = keyring.get_keyring()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WUYE_CONFIG_DIR", str(tmp_path_factory.mktemp("pg-template-config")))
        keyring.set_keyring(fail.Keyring())
        try:
            db = open_register(db_url=_pg_url(name), data_dir=os.environ.get("TMPDIR", "/tmp") + "/wuye-pg-tpl")
            db.dispose()
        finally:
            keyring.set_keyring(before)
        _template_keys.append(Path(os.environ["WUYE_CONFIG_DIR"]) / "keys")
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh PostgreSQL database URL for one test."""
    from sqlalchemy import text

    template = request.getfixturevalue("pg_template")
    name = f"wuye_t{os.getpid()}_{next(_counter)}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    # A copy of the template is the same register: this test's "PC" holds its audit key, as the one that made it.
    import shutil

    shutil.copytree(_template_keys[0], Path(os.environ["WUYE_CONFIG_DIR"]) / "keys", dirs_exist_ok=True)
    yield _pg_url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str | None:
    """None for SQLite (the file in the test's data folder), else a fresh PostgreSQL URL."""
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_database"))
    return None


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def db(db_url: str | None, data_dir: Path) -> Iterator[Database]:
    database = open_register(data_dir=str(data_dir), db_url=db_url)
    yield database
    database.dispose()


@pytest.fixture
def ctx(db: Database) -> Context:
    return Context(db, User("王晓燕", Role.ADMIN), today_override=TODAY)


@pytest.fixture
def entry_faulthandler(request: pytest.FixtureRequest) -> Iterator[None]:
    """For a test that runs a program entry in this process: pytest's own faulthandler back afterwards.

    The entry points faulthandler at its log folder (in the test's tmp_path); the rest of the
    session must still dump a crash to pytest's stderr.
    """
    import faulthandler

    from _pytest.faulthandler import fault_handler_stderr_fd_key

    from wuye_desktop.storage import fault_log

    yield
    fault_log.enable()  # closes the entry's file (and, with stderr captured, stops writing to it)
    pytest_stderr = request.config.stash.get(fault_handler_stderr_fd_key, None)
    if pytest_stderr is not None:
        faulthandler.enable(file=pytest_stderr)
    else:
        faulthandler.disable()
