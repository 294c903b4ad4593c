"""``wuye check`` / the start-up check: a damaged register is reported in Chinese, and never "repaired".

Each damage here is one a mediation room really meets: a file overwritten
by another program, a disk sector gone bad, rows edited with a database
tool while foreign keys were off.
"""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from wuye_desktop.storage import migrate
from wuye_desktop.storage.backup import sha256_of
from wuye_desktop.storage.check import check_register

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _check(data_dir: Path, db_url: str | None = None) -> Any:
    return check_register(data_dir=str(data_dir), db_url=db_url)


def _assert_told_in_chinese(problems: list[str], *words: str) -> None:
    assert problems, "the damage went unnoticed"
    for problem in problems:
        assert CHINESE.search(problem), f"not in Chinese: {problem!r}"
    text = "".join(problems)
    for word in words:
        assert word in text, f"{word!r} not in {problems!r}"


def test_fresh_demo_register_passes(backend: str, db_url: str | None, data_dir: Path, demo_register: Any) -> None:
    demo_register(20, db_url=db_url)
    result = _check(data_dir, db_url)
    assert result.ok, result.problems
    notes = "\n".join(result.notes)
    assert f"数据库版本：{migrate.head_revision()}（与程序一致）" in notes
    if backend == "sqlite":
        assert "完整性检查、外键检查：通过" in notes


def test_file_of_random_bytes_is_reported_and_left_alone(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / "wuye.db"
    path.write_bytes(random.Random(42).randbytes(64 * 1024))
    before = sha256_of(path)
    result = _check(data_dir)
    assert not result.ok
    _assert_told_in_chinese(result.problems, "不是有效的数据库文件")
    assert sha256_of(path) == before


def _pages_of(path: Path, name: str, pagetype: str) -> tuple[list[int], int]:
    conn = sqlite3.connect(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno", (name, pagetype))]
    finally:
        conn.close()
    return pages, page_size


def _overwrite(path: Path, offset: int, garbage: bytes) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(garbage)


def test_page_overwritten_with_garbage_is_caught(data_dir: Path, demo_register: Any) -> None:
    """A bad sector in the middle of the case table."""
    path = demo_register(300, seed=3)
    assert not Path(str(path) + "-wal").exists(), "the cases must be in the main file before it is damaged"
    pages, page_size = _pages_of(path, "mediation_case", "leaf")
    assert len(pages) > 10
    victim = pages[len(pages) // 2]
    _overwrite(path, (victim - 1) * page_size, random.Random(7).randbytes(page_size))
    result = _check(data_dir)
    assert not result.ok
    _assert_told_in_chinese(result.problems, "损坏")


def test_damaged_index_entries_are_caught(data_dir: Path, demo_register: Any) -> None:
    """Damage that SQLite's integrity check lists row by row: still told in Chinese, as damage."""
    path = demo_register(300, seed=3)
    pages, page_size = _pages_of(path, "sqlite_autoindex_mediation_case_1", "leaf")
    victim = pages[len(pages) // 2]
    _overwrite(path, (victim - 1) * page_size + 1500, b"\0" * 64)
    result = _check(data_dir)
    assert not result.ok
    _assert_told_in_chinese(result.problems, "损坏")


def test_foreign_key_violation_is_caught(data_dir: Path, demo_register: Any) -> None:
    path = demo_register(20)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        case_id = conn.execute("SELECT min(id) FROM mediation_case").fetchone()[0]
        conn.execute("UPDATE case_party SET party_id = 987654 WHERE case_id = ?", (case_id,))
    finally:
        conn.close()
    result = _check(data_dir)
    assert not result.ok
    _assert_told_in_chinese(result.problems, "case_party", "不存在的 party 记录")


def test_empty_database_is_not_initialised_but_not_damaged(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / "wuye.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE scratch (x)")
    conn.execute("DROP TABLE scratch")
    conn.close()
    result = _check(data_dir)
    assert result.ok, result.problems
    assert any("尚未初始化" in note for note in result.notes)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,), "check must not create tables"
    finally:
        conn.close()


def test_data_folder_without_a_register_is_reported(data_dir: Path) -> None:
    result = _check(data_dir)
    assert not result.ok
    _assert_told_in_chinese(result.problems, "wuye init")
    assert not (data_dir / "wuye.db").exists(), "check must not create the register"


def test_register_from_a_newer_program_is_reported(
    backend: str, db_url: str | None, data_dir: Path, demo_register: Any
) -> None:
    from sqlalchemy import create_engine, text

    demo_register(5, db_url=db_url)
    engine = create_engine(db_url or f"sqlite:///{data_dir / 'wuye.db'}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    engine.dispose()
    result = _check(data_dir, db_url)
    assert not result.ok
    _assert_told_in_chinese(result.problems, "ffff9999", "比程序新")


def test_register_that_lost_its_version_table_is_reported(data_dir: Path, demo_register: Any) -> None:
    path = demo_register(5)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE alembic_version")
    conn.close()
    result = _check(data_dir)
    assert not result.ok
    _assert_told_in_chinese(result.problems, "没有版本信息")


@pytest.mark.parametrize("folder", ["3#楼调解室", "调解室 50%25 备份"])
def test_check_looks_at_the_register_itself_whatever_the_folder_is_called(
    folder: str, tmp_path: Path
) -> None:
    """Chinese addresses write building 3 as ``3#楼``; a check must not silently examine some other file."""
    from wuye_desktop.services import demo
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.safety.opening import open_register

    data_dir = tmp_path / folder
    db = open_register(data_dir=str(data_dir))
    try:
        demo.generate(Context(db), 5, seed=1)
    finally:
        db.dispose()
    assert check_register(data_dir=str(data_dir)).ok
    conn = sqlite3.connect(data_dir / "wuye.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE case_party SET party_id = 987654")
    conn.close()

    result = _check(data_dir)
    assert not result.ok, "the damage went unnoticed: the check looked at another file"
    _assert_told_in_chinese(result.problems, "不存在的 party 记录")
    assert [p.name for p in tmp_path.iterdir()] == [folder], "the check must not leave files elsewhere"
