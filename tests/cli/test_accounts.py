"""``wuye account`` as an administrator runs it: signed in, passwords from standard input, plain Chinese errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_signing import as_admin

from wuye_desktop.models import Role
from wuye_desktop.services import accounts
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register

WUYE = Path(sys.executable).with_name("wuye")
GOOD = "Fangzi-2026"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL", "WUYE_DEBUG")}
    clean.update(HOME=str(tmp_path / "home"), TMPDIR=str(tmp_path), WUYE_DATA_DIR=str(tmp_path / "data"))
    return clean


def wuye(env: dict[str, str], *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """As the register's administrator (``admin``, signed in first), ``password`` the one the command asks for."""
    line, stdin = as_admin(args, None if password is None else password + "\n")
    result = subprocess.run([str(WUYE), *line], env=env, capture_output=True, text=True, timeout=120, check=False,
                            input=stdin)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture
def admin(env: dict[str, str]) -> None:
    """A new register whose first administrator ``admin`` was made by ``wuye init``."""
    made = wuye(env, "init")
    assert made.returncode == 0 and "已创建管理员账户 admin" in made.stdout, made.stderr


def one_chinese_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    return lines[0]


def sign_in(data: Path, username: str, password: str) -> accounts.SignedIn:
    db = open_register(data_dir=str(data))
    try:
        return accounts.login(Context(db), username, password)
    finally:
        db.dispose()


def test_add_list_and_sign_in(env: dict[str, str], tmp_path: Path, admin: None) -> None:
    added = wuye(env, "account", "add", "wenshu", "--role", "clerk", "--name", "何静", password=GOOD)
    assert added.returncode == 0, added.stderr
    assert "已添加账户 wenshu（何静，登记员/文书）" in added.stdout
    listing = wuye(env, "account", "list")
    assert listing.returncode == 0
    assert "wenshu\t何静\t登记员/文书\t正常（须改密码）\t从未登录" in listing.stdout
    signed = sign_in(tmp_path / "data", "wenshu", GOOD)
    assert signed.user.role is Role.CLERK and signed.must_change_password
    assert GOOD not in (tmp_path / "data" / "wuye.db").read_bytes().decode("latin-1"), "never stored in clear"


def test_roles_may_be_given_in_chinese(env: dict[str, str], admin: None) -> None:
    assert wuye(env, "account", "add", "chakan", "--role", "查看", "--name", "李主任", password=GOOD).returncode == 0
    bad = wuye(env, "account", "add", "x1", "--role", "boss", password=GOOD)
    assert bad.returncode == 2 and "没有“boss”这个角色" in bad.stderr


def test_bad_input_is_one_chinese_line_and_adds_nothing(env: dict[str, str], admin: None) -> None:
    assert "至少需要8位" in one_chinese_line(wuye(env, "account", "add", "wenshu", "--role", "clerk", password="abc1"))
    assert "请填写密码" in one_chinese_line(wuye(env, "account", "add", "wenshu", "--role", "clerk", password=""))
    assert "调解员名册" in one_chinese_line(wuye(env, "account", "add", "lgl", "--role", "mediator", password=GOOD))
    assert "名册中没有" in one_chinese_line(
        wuye(env, "account", "add", "lgl", "--role", "mediator", "--mediator", "无此人", password=GOOD))
    listing = wuye(env, "account", "list").stdout.splitlines()
    assert len(listing) == 2 and listing[1].startswith("admin\tadmin\t管理员\t正常"), "nobody but the administrator"
    assert "没有用户名为“nobody”的账户" in one_chinese_line(wuye(env, "account", "unlock", "nobody"))


def test_reset_unlock_deactivate(env: dict[str, str], tmp_path: Path, admin: None) -> None:
    assert wuye(env, "account", "add", "wenshu", "--role", "clerk", "--name", "何静", password=GOOD).returncode == 0
    data = tmp_path / "data"
    for _ in range(5):
        with pytest.raises(accounts.SignInError):
            sign_in(data, "wenshu", "Wrong-pass-1")
    assert "锁定至" in wuye(env, "account", "list").stdout
    assert wuye(env, "account", "unlock", "wenshu").stdout.strip() == "账户 wenshu 已解锁。"
    assert sign_in(data, "wenshu", GOOD).user.name == "何静"

    reset = wuye(env, "account", "reset-password", "wenshu", password="Temporary-77")
    assert reset.returncode == 0 and "已重置" in reset.stdout
    assert sign_in(data, "wenshu", "Temporary-77").must_change_password

    assert wuye(env, "account", "deactivate", "wenshu").returncode == 0
    assert "已停用" in wuye(env, "account", "list").stdout
    with pytest.raises(accounts.SignInError):
        sign_in(data, "wenshu", "Temporary-77")
    assert wuye(env, "account", "activate", "wenshu").returncode == 0


def test_a_demo_register_has_an_account_per_role_and_a_sound_trail(env: dict[str, str], tmp_path: Path) -> None:
    demo = wuye(env, "demo", "--cases", "60", "--seed", "2")
    assert demo.returncode == 0 and "演示账户 admin、tiaojie、wenshu、chakan，密码均为 demo2026" in demo.stdout
    listing = wuye(env, "account", "list").stdout
    for line in ("admin\t王晓燕\t管理员", "wenshu\t何静\t登记员/文书", "chakan\t李主任\t查看"):
        assert line in listing
    assert wuye(env, "audit", "verify").returncode == 0
    db = sqlite3.connect(tmp_path / "data" / "wuye.db")
    hashes = [h for (h,) in db.execute("SELECT password_hash FROM user_account")]
    assert len(hashes) == 4 and all(h.startswith("$argon2id$") for h in hashes)
    last = db.execute("SELECT max(id) FROM audit_event").fetchone()[0]
    db.execute("DELETE FROM audit_event WHERE id = ?", (last,))
    db.commit()
    db.close()
    verify = wuye(env, "audit", "verify")
    assert verify.returncode == 1 and "末尾的记录被删除" in verify.stderr
