"""The ``wuye`` command as an administrator runs it: the installed console script, in a fresh process.

Every failure a user can act on must be one Chinese line and a non-zero
exit, never a Python traceback.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from wuye_desktop import __version__
from wuye_desktop.models import MediationCase

WUYE = Path(sys.executable).with_name("wuye")
NUMBER = re.compile(r"（\d{4}）幸福里调字第\d+号")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of an administrator's shell, with nothing pointing at a real register."""
    clean = {k: v for k, v in os.environ.items() if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL", "WUYE_DEBUG")}
    home = tmp_path / "home"
    home.mkdir()
    clean.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), TMPDIR=str(tmp_path))
    return clean


def wuye(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    assert WUYE.exists(), f"console script not installed next to {sys.executable}"
    return subprocess.run([str(WUYE), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _assert_no_traceback(result: subprocess.CompletedProcess[str], tmp_path: Path) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert not list(tmp_path.glob("wuye-crash-*.txt")), "a user's mistake must not be handled as a crash"


def _numbers(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT number FROM mediation_case")]
    finally:
        conn.close()


def test_version_is_the_packages(env: dict[str, str]) -> None:
    result = wuye(env, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"wuye-desktop {__version__}"


def test_init_then_check(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    init = wuye(env, "init", "--data-dir", str(data))
    assert init.returncode == 0, init.stderr
    assert "台账已就绪" in init.stdout
    assert (data / "wuye.db").is_file()
    check = wuye(env, "check", "--data-dir", str(data))
    assert check.returncode == 0, check.stderr
    assert "检查通过" in check.stdout
    _assert_no_traceback(check, tmp_path)


def test_demo_register_passes_check_and_holds_distinct_case_numbers(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    demo = wuye(env, "--data-dir", str(data), "demo", "--cases", "200", "--seed", "7")
    assert demo.returncode == 0, demo.stderr
    assert "已生成 200 件演示案件" in demo.stdout
    check = wuye(env, "--data-dir", str(data), "check")
    assert check.returncode == 0, check.stderr
    numbers = _numbers(data / "wuye.db")
    assert len(numbers) == 200
    assert len(set(numbers)) == 200
    assert all(NUMBER.fullmatch(n) for n in numbers), [n for n in numbers if not NUMBER.fullmatch(n)][:5]


def test_global_options_work_before_and_after_the_command(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert wuye(env, "init", "--data-dir", str(data)).returncode == 0
    default_register = Path(env["XDG_DATA_HOME"])
    for args in (("--data-dir", str(data), "check"), ("check", "--data-dir", str(data)),
                 ("--data-dir", str(data), "audit", "verify"), ("audit", "verify", "--data-dir", str(data))):
        result = wuye(env, *args)
        assert result.returncode == 0, (args, result.stderr)
        if "check" in args:
            assert str(data / "wuye.db") in result.stdout, args
    assert not list(default_register.rglob("wuye.db")), "the default data folder must not have been used"


def test_data_folder_from_the_environment_and_the_flag_wins(env: dict[str, str], tmp_path: Path) -> None:
    from_env, from_flag = tmp_path / "env", tmp_path / "flag"
    env["WUYE_DATA_DIR"] = str(from_env)
    assert wuye(env, "init").returncode == 0
    assert (from_env / "wuye.db").is_file()
    check = wuye(env, "check")
    assert check.returncode == 0 and str(from_env / "wuye.db") in check.stdout
    assert wuye(env, "init", "--data-dir", str(from_flag)).returncode == 0
    assert (from_flag / "wuye.db").is_file()


def test_impossible_data_folder_is_one_chinese_line(env: dict[str, str], tmp_path: Path) -> None:
    result = wuye(env, "check", "--data-dir", "/proc/no/such/dir")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "数据文件夹" in lines[0]
    assert "/proc/no/such/dir" in lines[0]
    _assert_no_traceback(result, tmp_path)


def test_bad_number_of_cases_is_a_usage_error_in_chinese(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = wuye(env, "demo", "--cases", "abc", "--data-dir", str(data))
    assert result.returncode == 2
    assert "参数有误" in result.stderr
    assert "“abc”不是整数" in result.stderr
    assert not (data / "wuye.db").exists(), "nothing is created when the command line is wrong"
    _assert_no_traceback(result, tmp_path)


def test_check_of_a_garbage_file_says_what_is_wrong(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "wuye.db").write_bytes(os.urandom(32 * 1024))
    before = (data / "wuye.db").read_bytes()
    result = wuye(env, "check", "--data-dir", str(data))
    assert result.returncode == 1
    assert "问题：" in result.stderr
    assert "数据库未通过检查" in result.stderr
    assert (data / "wuye.db").read_bytes() == before
    _assert_no_traceback(result, tmp_path)


def test_audit_verify_notices_an_edited_entry(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert wuye(env, "--data-dir", str(data), "demo", "--cases", "30").returncode == 0
    clean = wuye(env, "--data-dir", str(data), "audit", "verify")
    assert clean.returncode == 0, clean.stderr
    assert "审计记录完好" in clean.stdout

    conn = sqlite3.connect(data / "wuye.db", isolation_level=None)
    try:
        entry = conn.execute("SELECT id FROM audit_event ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
        conn.execute("UPDATE audit_event SET detail = '{\"改\": 1}' WHERE id = ?", (entry,))
    finally:
        conn.close()
    tampered = wuye(env, "--data-dir", str(data), "audit", "verify")
    assert tampered.returncode == 1
    assert f"第 {entry} 条" in tampered.stderr
    assert "被改动" in tampered.stderr
    _assert_no_traceback(tampered, tmp_path)


def test_init_demo_check_on_each_database(
    backend: str, db_url: str | None, env: dict[str, str], tmp_path: Path
) -> None:
    """With WUYE_TEST_PG_URL set this also runs against PostgreSQL, as a server install does."""
    where = ["--db-url", db_url] if db_url else ["--data-dir", str(tmp_path / "data")]
    for args in (["init"], ["demo", "--cases", "50"], ["check"]):
        result = wuye(env, *where, *args)
        assert result.returncode == 0, (args, result.stderr)
        _assert_no_traceback(result, tmp_path)
    engine = create_engine(db_url or f"sqlite:///{tmp_path / 'data' / 'wuye.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(MediationCase)).scalar_one() == 50
    finally:
        engine.dispose()


def test_register_in_a_chinese_folder_is_shown_where_it_is_and_fully_checked(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Windows user folders are often Chinese (C:\\Users\\张三\\...); buildings are written 3#楼."""
    data = tmp_path / "张三" / "3#楼调解室"
    register = str(data / "wuye.db")
    init = wuye(env, "init", "--data-dir", str(data))
    assert init.returncode == 0, init.stderr
    assert register in init.stdout
    check = wuye(env, "check", "--data-dir", str(data))
    assert check.returncode == 0, check.stderr
    assert f"数据库：{register}" in check.stdout
    assert "完整性检查、外键检查：通过" in check.stdout
    assert "%E5" not in init.stdout + check.stdout
