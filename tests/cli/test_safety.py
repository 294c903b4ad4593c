"""``wuye backup`` and ``wuye restore`` as an administrator runs them: the installed script, a fresh process.

A refused restore is one Chinese line and a non-zero exit, and leaves a
register that ``wuye check`` still passes; progress shows only when a
person is watching the terminal.
"""

from __future__ import annotations

import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_signing import as_admin

WUYE = Path(sys.executable).with_name("wuye")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL", "WUYE_DEBUG")}
    home = tmp_path / "home"
    home.mkdir()
    clean.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), TMPDIR=str(tmp_path))
    return clean


def wuye(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    line, stdin = as_admin(args, stdin)
    result = subprocess.run([str(WUYE), *line], env=env, input=stdin, capture_output=True, text=True,
                            timeout=120, check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0])
    finally:
        conn.close()


def _audit(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return [(a, b) for a, b in conn.execute("SELECT actor, action FROM audit_event ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def register(env: dict[str, str], tmp_path: Path) -> Path:
    data = tmp_path / "data"
    assert wuye(env, "--data-dir", str(data), "demo", "--cases", "60", "--seed", "3").returncode == 0
    return data


def test_backup_to_a_folder_then_restore_it(env: dict[str, str], register: Path, tmp_path: Path) -> None:
    usb = tmp_path / "U盘"
    made = wuye(env, "--data-dir", str(register), "backup", "-o", str(usb))
    assert made.returncode == 0, made.stderr
    newest = max(usb.iterdir(), key=lambda p: p.stat().st_mtime_ns)
    assert f"备份完成：{newest}" in made.stdout
    assert "60 件案件" in made.stdout and "完整性和外键检查通过" in made.stdout
    assert made.stderr == "", "no progress line when nobody watches"

    assert wuye(env, "--data-dir", str(register), "demo", "--cases", "10", "--seed", "4").returncode == 0
    assert _count(register / "wuye.db") == 70

    restored = wuye(env, "restore", str(newest), "--data-dir", str(register))
    assert restored.returncode == 0, restored.stderr
    assert "恢复完成" in restored.stdout and "共 60 件案件" in restored.stdout
    assert "恢复前的台账另存为" in restored.stdout
    assert _count(register / "wuye.db") == 60
    assert wuye(env, "--data-dir", str(register), "check").returncode == 0

    listed = wuye(env, "--data-dir", str(register), "backup", "--list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and "恢复前副本" in lines[0] and "手动备份" in lines[1] and "校验通过" in lines[1]


def test_restoring_garbage_is_refused_in_one_line_and_changes_nothing(
    env: dict[str, str], register: Path, tmp_path: Path
) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(40_000))
    live = register / "wuye.db"
    before = {p: p.read_bytes() for p in register.rglob("*") if p.is_file() and not p.name.startswith("wuye.db")}
    trail = _audit(live)

    refused = wuye(env, "--data-dir", str(register), "restore", str(garbage))

    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and refused.stderr.startswith("错误：")
    assert "不是台账备份文件" in refused.stderr and "没有做任何改动" in refused.stderr
    assert {p: p.read_bytes() for p in register.rglob("*") if p.is_file() and not p.name.startswith("wuye.db")} \
        == before
    assert _audit(live)[:len(trail)] == trail and _audit(live)[len(trail):] == [("王晓燕", "login")], \
        "the register is as it was, but for the administrator's sign-in in the audit trail"
    assert _count(live) == 60
    assert wuye(env, "--data-dir", str(register), "check").returncode == 0


def test_restore_asks_first_when_a_person_is_at_the_keyboard(env: dict[str, str], register: Path) -> None:
    backup = wuye(env, "--data-dir", str(register), "backup").stdout.split("：", 1)[1].splitlines()[0]
    output, code = _on_a_terminal(env, ["--data-dir", str(register), "restore", backup], answer=b"n\n")
    assert "账户 admin 的密码" not in output, "signed in with --password-stdin: no prompt for it"
    assert code == 1
    assert "确定恢复吗" in output and "没有恢复，台账没有改动" in output
    assert not list((register / "backups").glob("恢复前-*.db"))


def test_backup_shows_its_progress_on_a_terminal(env: dict[str, str], register: Path, tmp_path: Path) -> None:
    output, code = _on_a_terminal(env, ["--data-dir", str(register), "backup", "-o", str(tmp_path / "b")])
    assert code == 0
    assert "\r正在备份 100%" in output and "备份完成" in output


def test_a_server_register_is_not_backed_up_by_this_command(
    env: dict[str, str], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if os.environ.get("WUYE_TEST_PG_URL"):  # a server the administrator signs in on, then is told to use pg_dump
        url = str(request.getfixturevalue("pg_database"))
        assert wuye(env, "--db-url", url, "demo", "--cases", "5").returncode == 0
        says = "pg_dump"
    else:  # no server here: signing in on it is already impossible
        url, says = "postgresql+psycopg://u@127.0.0.1:1/x", "无法连接"
    refused = wuye(env, "--data-dir", str(tmp_path / "d"), "--db-url", url, "backup", "-o", str(tmp_path / "usb"))
    assert refused.returncode == 1 and says in refused.stderr
    assert not (tmp_path / "usb").exists()


def _on_a_terminal(env: dict[str, str], args: list[str], answer: bytes = b"") -> tuple[str, int]:
    """Run ``wuye`` with stdin, stdout and stderr on a pseudo-terminal, as in a console window."""
    main, child = pty.openpty()
    line, typed = as_admin(args, answer.decode())  # the password typed first, then the answer
    proc = subprocess.Popen([str(WUYE), *line], env=env, stdin=child, stdout=child, stderr=child, close_fds=True)
    os.close(child)
    if typed:
        os.write(main, typed.encode())
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    code = proc.wait(60)
    text = b"".join(chunks).decode("utf-8", errors="replace")
    assert "Traceback" not in text
    return text, code
