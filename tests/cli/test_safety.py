"""``wuye backup`` and ``wuye restore`` as an administrator runs them: the installed script, a fresh process.

A refused restore is one Chinese line and a non-zero exit, and leaves a
register that ``wuye check`` still passes; progress shows only when a
person is watching the terminal.
"""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_signing import DEMO_PASSWORD, as_admin

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


PASS = "门口的桂花树2026"


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    file = tmp_path / "备份密码.txt"
    file.write_text(PASS + "\n", encoding="utf-8")
    return file


def test_backup_to_a_folder_then_restore_it(
    env: dict[str, str], register: Path, tmp_path: Path, passphrase_file: Path
) -> None:
    usb = tmp_path / "U盘"
    pp = ["--passphrase-file", str(passphrase_file)]
    made = wuye(env, "--data-dir", str(register), "backup", "-o", str(usb), *pp)
    assert made.returncode == 0, made.stderr
    newest = max(usb.iterdir(), key=lambda p: p.stat().st_mtime_ns)
    assert f"备份完成：{newest}" in made.stdout and newest.suffix == ".wuyebak"
    assert "60 件案件" in made.stdout and "完整性和外键检查通过" in made.stdout and "已加密" in made.stdout
    assert made.stderr == "", "no progress line when nobody watches"
    assert PASS not in made.stdout + made.stderr

    assert wuye(env, "--data-dir", str(register), "demo", "--cases", "10", "--seed", "4").returncode == 0
    assert _count(register / "wuye.db") == 70

    restored = wuye(env, "restore", str(newest), "--data-dir", str(register), *pp)
    assert restored.returncode == 0, restored.stderr
    assert "恢复完成" in restored.stdout and "共 60 件案件" in restored.stdout
    assert "恢复前的台账另存为" in restored.stdout
    assert _count(register / "wuye.db") == 60
    assert wuye(env, "--data-dir", str(register), "check").returncode == 0

    listed = wuye(env, "--data-dir", str(register), "backup", "--list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and "恢复前副本" in lines[0] and "手动备份" in lines[1] and "校验通过" in lines[1]
    assert "已加密" in lines[1] and "已加密" not in lines[0]


def test_a_backup_onto_a_stick_needs_a_passphrase_and_a_wrong_one_is_one_line(
    env: dict[str, str], register: Path, tmp_path: Path, passphrase_file: Path
) -> None:
    usb = tmp_path / "usb"
    assert "--passphrase-file" in wuye(env, "backup", "--help").stdout
    refused = wuye(env, "--data-dir", str(register), "backup", "-o", str(usb))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "必须加密" in refused.stderr and "--passphrase-file" in refused.stderr
    assert not usb.exists() or not list(usb.iterdir())

    made = wuye(env, "--data-dir", str(register), "backup", "-o", str(usb), "--passphrase-file", str(passphrase_file))
    assert made.returncode == 0, made.stderr
    backup = next(usb.glob("*.wuyebak"))
    live = register / "wuye.db"
    before = {p: p.read_bytes() for p in register.rglob("*") if p.is_file() and not p.name.startswith("wuye.db")}
    trail = _audit(live)
    unasked = wuye(env, "--data-dir", str(register), "restore", str(backup), "-y")
    assert unasked.returncode == 1 and "已加密" in unasked.stderr and unasked.stderr.count("\n") == 1
    wrong_file = tmp_path / "错的.txt"
    wrong_file.write_text("门口的桂花树2025\n", encoding="utf-8")
    wrong = wuye(env, "--data-dir", str(register), "restore", str(backup), "-y", "--passphrase-file", str(wrong_file))
    assert wrong.returncode == 1
    assert wrong.stderr == f"错误：备份密码不正确，无法打开加密备份“{backup.name}”。台账没有任何改动。\n"
    assert {p: p.read_bytes() for p in register.rglob("*") if p.is_file() and not p.name.startswith("wuye.db")} \
        == before
    assert _audit(live)[:len(trail)] == trail and set(_audit(live)[len(trail):]) == {("王晓燕", "login")}, \
        "the register is as it was, but for the administrator's sign-ins in the audit trail"
    assert _count(live) == 60


def _doctored_copy(register: Path, tmp_path: Path, env: dict[str, str]) -> Path:
    """One of the register's own backups copied elsewhere and edited: amounts set to 1, a party renamed."""
    own = wuye(env, "--data-dir", str(register), "backup").stdout.split("：", 1)[1].splitlines()[0]
    doctored = tmp_path / "台账备份-20261120-093000.db"
    doctored.write_bytes(Path(own).read_bytes())
    conn = sqlite3.connect(doctored)
    conn.execute("UPDATE mediation_case SET amount = 1")
    conn.execute("UPDATE party SET name = '假名字' WHERE id = 1")
    conn.commit()
    conn.close()
    return doctored


def _last_audit(register: Path) -> tuple[str, dict[str, object]]:
    conn = sqlite3.connect(register / "wuye.db")
    try:
        action, detail = conn.execute("SELECT action, detail FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    return str(action), json.loads(detail)


def test_a_file_that_is_not_one_of_the_registers_backups_needs_foreign(
    env: dict[str, str], register: Path, tmp_path: Path
) -> None:
    doctored = _doctored_copy(register, tmp_path, env)

    refused = wuye(env, "--data-dir", str(register), "restore", str(doctored), "-y")

    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "不在本机的备份记录中" in refused.stderr and "--foreign" in refused.stderr
    assert "没有恢复，台账没有任何改动" in refused.stderr
    action, detail = _last_audit(register)
    assert action == "restore_refused" and detail["decision"] == "没有再次确认，没有恢复"
    conn = sqlite3.connect(register / "wuye.db")
    assert conn.execute("SELECT count(*) FROM party WHERE name = '假名字'").fetchone()[0] == 0
    conn.close()

    restored = wuye(env, "--data-dir", str(register), "restore", str(doctored), "-y", "--foreign")

    assert restored.returncode == 0, restored.stderr
    assert "已按 --foreign 确认" in restored.stdout and "已记入审计记录" in restored.stdout
    action, detail = _last_audit(register)
    assert action == "restore" and detail["decision"] == "已再次确认，已恢复"
    assert "不在本机的备份记录中" in str(detail["warning"])
    assert wuye(env, "--data-dir", str(register), "check").returncode == 0


def test_a_passphrase_is_typed_twice_at_a_terminal_and_never_shown(
    env: dict[str, str], register: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    args = ["--data-dir", str(register), "backup", "-o", str(usb)]
    output, code = _conversation(env, args, [("备份密码：", PASS), ("再输入一次备份密码：", "另一个密码abc")])
    assert code == 1 and "两次输入的备份密码不一致" in output
    assert not list(usb.glob("*.wuyebak"))

    output, code = _conversation(env, args, [("备份密码：", PASS), ("再输入一次备份密码：", PASS)])
    assert code == 0 and "备份完成" in output and PASS not in output
    backup = next(usb.glob("*.wuyebak"))
    output, code = _conversation(env, ["--data-dir", str(register), "restore", str(backup), "-y"],
                                 [("备份密码：", PASS)])
    assert code == 0 and "恢复完成" in output and PASS not in output


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


def test_backup_shows_its_progress_on_a_terminal(env: dict[str, str], register: Path) -> None:
    output, code = _on_a_terminal(env, ["--data-dir", str(register), "backup"])
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


def _conversation(env: dict[str, str], args: list[str], turns: list[tuple[str, str]]) -> tuple[str, int]:
    """Run ``wuye`` on a pseudo-terminal as the demo administrator, typing each answer once its prompt is shown."""
    main, child = pty.openpty()
    turns = [("账户 admin 的密码：", DEMO_PASSWORD), *turns]
    proc = subprocess.Popen([str(WUYE), "--user", "admin", *args], env=env, stdin=child, stdout=child, stderr=child,
                            close_fds=True, start_new_session=True)  # no other terminal: getpass reads this one
    os.close(child)
    seen = b""
    for prompt, answer in turns:
        while prompt.encode() not in seen:
            chunk = os.read(main, 4096)
            assert chunk, f"no prompt {prompt!r} in {seen.decode(errors='replace')!r}"
            seen += chunk
        seen = seen.replace(prompt.encode(), b"", 1)
        os.write(main, answer.encode() + b"\n")
    return _to_the_end(main, proc, seen)


def _on_a_terminal(env: dict[str, str], args: list[str], answer: bytes = b"") -> tuple[str, int]:
    """Run ``wuye`` with stdin, stdout and stderr on a pseudo-terminal, as in a console window."""
    main, child = pty.openpty()
    line, typed = as_admin(args, answer.decode())  # the password typed first, then the answer
    proc = subprocess.Popen([str(WUYE), *line], env=env, stdin=child, stdout=child, stderr=child, close_fds=True)
    os.close(child)
    if typed:
        os.write(main, typed.encode())
    return _to_the_end(main, proc)


def _to_the_end(main: int, proc: subprocess.Popen[bytes], seen: bytes = b"") -> tuple[str, int]:
    """What the program writes to its terminal until it closes it (after ``seen``), and its exit code."""
    chunks = [seen]
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
