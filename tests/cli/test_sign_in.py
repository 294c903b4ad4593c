"""The command line signs in: every command that reads personal data or changes anything runs as an account.

The installed script in fresh processes, on SQLite and (with ``WUYE_TEST_PG_URL``) PostgreSQL: a
command without ``--user`` is refused before it touches the register; a wrong password, a locked or
a deactivated account is one Chinese line and counts as in the window; a role without the permission
gets the service's own refusal; the right account's work is in the audit trail under its name.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import hotline_samples as samples
import openpyxl
import pytest
from sqlalchemy import create_engine, select, text

from wuye_desktop.cli import build_parser
from wuye_desktop.models import AuditEvent

WUYE = Path(sys.executable).with_name("wuye")
DEMO = "demo2026"
ADMIN_NAME = "王晓燕"  # the demo administrator's display name, as the audit trail names them
YEAR = str(date.today().year)  # the demo's cases lead up to the real today
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
CODE = re.compile(r"恢复码：([A-Z0-9]{4}(?:-[A-Z0-9]{4}){4})")
SIGN_IN_FIRST = "--user"
# Commands that need no account: the register's health, its demo filling, the server probe, recovery by code.
# audit new-key checks an administrator's password itself: a PC without the audit key can record nothing
NO_ACCOUNT = {"init", "demo", "check", "audit verify", "audit import-key", "audit new-key", "server test",
              "account recover"}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL", "WUYE_DEBUG", "WUYE_USER")}
    home = tmp_path / "home"
    home.mkdir()
    clean.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), TMPDIR=str(tmp_path))
    return clean


def wuye(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(WUYE), *args], env=env, input=stdin, capture_output=True, text=True,
                            timeout=180, check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def as_account(user: str, password: str = DEMO) -> tuple[list[str], str]:
    return ["--user", user, "--password-stdin"], password + "\n"


def one_chinese_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    return lines[0]


class Register:
    """Where a test's register is (the options that name it) and what its audit trail says."""

    def __init__(self, where: list[str], url: str) -> None:
        self.where, self.url = where, url

    def audit_after(self, last: int) -> list[tuple[str, str, str]]:
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(select(AuditEvent.actor, AuditEvent.action, AuditEvent.detail)
                                    .where(AuditEvent.id > last).order_by(AuditEvent.id))
                return [(a, b, c) for a, b, c in rows]
        finally:
            engine.dispose()

    def last_audit(self) -> int:
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text("SELECT coalesce(max(id), 0) FROM audit_event")).scalar_one())
        finally:
            engine.dispose()

    def everything(self) -> str:
        """Every text value in the register, to look for what must not be kept there."""
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                found = []
                for table in ("audit_event", "setting", "user_account"):
                    for row in conn.execute(text(f"SELECT * FROM {table}")):
                        found.extend(str(v) for v in row)
                return "\n".join(found)
        finally:
            engine.dispose()


def new_register(backend: str, db_url: str | None, tmp_path: Path, name: str = "data") -> Register:
    if db_url:
        return Register(["--db-url", db_url], db_url)
    return Register(["--data-dir", str(tmp_path / name)], f"sqlite:///{tmp_path / name / 'wuye.db'}")


@pytest.fixture
def room(backend: str, db_url: str | None, env: dict[str, str], tmp_path: Path) -> Register:
    """A demo register: one account per role, all with the demo password."""
    register = new_register(backend, db_url, tmp_path)
    made = wuye(env, *register.where, "demo", "--cases", "40", "--seed", "4")
    assert made.returncode == 0, made.stderr
    return register


# -- what was observed -------------------------------------------------------------------------------


def test_a_pipe_no_longer_takes_over_the_administrator(env: dict[str, str], room: Register) -> None:
    before = room.last_audit()
    taken = wuye(env, *room.where, "account", "reset-password", "admin", stdin="New!Pass99\n")
    assert SIGN_IN_FIRST in one_chinese_line(taken)
    assert room.audit_after(before) == [], "nothing was done, not even a failed sign-in to count"
    auth, pw = as_account("admin", "New!Pass99")
    assert "密码不正确" in one_chinese_line(wuye(env, *room.where, *auth, "account", "list", stdin=pw))
    auth, pw = as_account("admin")
    assert wuye(env, *room.where, *auth, "account", "list", stdin=pw).returncode == 0, "the old password holds"


def _cells(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
    finally:
        book.close()


def test_a_viewers_monthly_report_is_masked_and_an_administrators_is_whole(
    env: dict[str, str], room: Register, tmp_path: Path
) -> None:
    out = tmp_path / "报表.xlsx"
    refused = wuye(env, *room.where, "report", "monthly", "--year", YEAR, "-o", str(out))
    assert SIGN_IN_FIRST in one_chinese_line(refused) and not out.exists()

    auth, pw = as_account("chakan")
    viewer = wuye(env, *room.where, *auth, "report", "monthly", "--year", YEAR, "-o", str(out), stdin=pw)
    assert viewer.returncode == 0, viewer.stderr
    assert "个人信息已部分隐藏" in viewer.stdout
    cells = _cells(out)
    assert "*" in cells and not FULL_ID.search(cells) and not FULL_MOBILE.search(cells)

    auth, pw = as_account("admin")
    whole = wuye(env, *room.where, *auth, "report", "monthly", "--year", YEAR, "-o", str(out), "--force", stdin=pw)
    assert whole.returncode == 0 and "隐藏" not in whole.stdout
    assert FULL_ID.search(_cells(out)) and FULL_MOBILE.search(_cells(out))


def test_the_audit_names_the_account_that_ran_the_command(env: dict[str, str], room: Register) -> None:
    before = room.last_audit()
    auth, _ = as_account("admin")
    added = wuye(env, *auth, *room.where, "account", "add", "xiaoli", "--role", "clerk", "--name", "李晓",
                 stdin=f"{DEMO}\nFangzi-2026\n")
    assert added.returncode == 0, added.stderr
    entries = room.audit_after(before)
    assert [(actor, action) for actor, action, _ in entries] == [(ADMIN_NAME, "login"), (ADMIN_NAME, "create_account")]
    assert "系统" not in {actor for actor, _, _ in entries}


# -- every command -----------------------------------------------------------------------------------


def _leaves(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix.strip(), parser
        return
    for name, sub in subs[0].choices.items():
        yield from _leaves(sub, f"{prefix} {name}")


def _arguments(tmp_path: Path) -> dict[str, list[str]]:
    """Each command that signs in, with arguments good enough to reach its work."""
    out = str(tmp_path / "out")
    (tmp_path / "备份密码.txt").write_text("门口的桂花树2026\n", encoding="utf-8")
    printing = {f"print {kind}": ["1", "-o", f"{out}-{kind}.pdf", "--force"]
                for kind in ("agreement", "oral-agreement", "registration", "record", "visit", "cover", "casefile")}
    return {
        "report monthly": ["--year", YEAR, "-o", f"{out}.xlsx", "--force"],
        "import hotline": [str(tmp_path / "工单.csv")],
        "export replies": ["--year", YEAR, "-o", f"{out}-回复.xlsx", "--force"],
        **printing,
        "exchange export": ["--period", YEAR, "-o", f"{out}.wyx", "--force"],
        "exchange import": [str(tmp_path / "其他调解室.wyx")],
        "migrate-to": ["postgresql+psycopg://wuye@127.0.0.1:1/wuye"],
        "account add": ["xiaoli", "--role", "clerk", "--name", "李晓"],
        "account list": [],
        "account reset-password": ["xiaoli"],
        "account unlock": ["xiaoli"],
        "account deactivate": ["xiaoli"],
        "account activate": ["xiaoli"],
        "account new-recovery-code": [],
        "backup": ["-o", str(tmp_path / "U盘"), "--passphrase-file", str(tmp_path / "备份密码.txt")],
        "audit export-key": [str(tmp_path / "out-审计密钥.key"), "--force"],
        "restore": [str(tmp_path / "备份.db"), "-y"],
    }


def test_every_command_but_a_few_needs_an_account(tmp_path: Path) -> None:
    leaves = dict(_leaves(build_parser()))
    signing = {name for name, parser in leaves.items() if parser.get_default("signs_in")}
    assert signing == set(leaves) - NO_ACCOUNT
    assert signing == set(_arguments(tmp_path)), "each command that signs in is tried below"


def test_without_an_account_each_command_is_refused_before_it_touches_the_register(
    env: dict[str, str], room: Register, tmp_path: Path
) -> None:
    before = room.last_audit()
    for command, args in _arguments(tmp_path).items():
        result = wuye(env, *room.where, *command.split(), *args, stdin=f"{DEMO}\n")
        line = one_chinese_line(result)
        assert SIGN_IN_FIRST in line and "登录" in line, (command, line)
    assert room.audit_after(before) == []
    assert not list(tmp_path.glob("out*")) and not (tmp_path / "U盘").exists()


def test_the_user_may_come_from_the_environment_and_the_password_never_from_an_argument(
    env: dict[str, str], room: Register
) -> None:
    listed = wuye(env | {"WUYE_USER": "admin"}, *room.where, "account", "list", "--password-stdin", stdin=DEMO + "\n")
    assert listed.returncode == 0 and "chakan" in listed.stdout
    after = wuye(env, "account", "list", *room.where, "--user", "admin", "--password-stdin", stdin=DEMO + "\n")
    assert after.returncode == 0 and "chakan" in after.stdout, "--user after the subcommand, like --data-dir"
    no_terminal = wuye(env, *room.where, "--user", "admin", "account", "list", stdin=DEMO + "\n")
    assert "--password-stdin" in one_chinese_line(no_terminal), "no terminal to ask on: say how to give it"


def _other_room_file(env: dict[str, str], tmp_path: Path) -> Path:
    other = tmp_path / "other-room"
    assert wuye(env, "--data-dir", str(other), "demo", "--cases", "20", "--seed", "11").returncode == 0
    target = tmp_path / "其他调解室.wyx"
    auth, pw = as_account("admin")
    made = wuye(env, "--data-dir", str(other), *auth, "exchange", "export", "--period", YEAR, "-o", str(target),
                stdin=pw)
    assert made.returncode == 0, made.stderr
    return target


def _viewer_may(command: str) -> bool:
    return command == "report monthly"


def test_each_command_with_a_wrong_password_a_viewer_and_the_right_account(
    backend: str, env: dict[str, str], room: Register, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    samples.gbk_csv(tmp_path / "工单.csv")
    _other_room_file(env, tmp_path)
    arguments = _arguments(tmp_path)
    if backend == "sqlite" and os.environ.get("WUYE_TEST_PG_URL"):
        arguments["migrate-to"] = [str(request.getfixturevalue("pg_database"))]
    if backend == "postgresql":  # the register is on the server already: there is nothing to move
        target = arguments.pop("migrate-to")
        moved = wuye(env, "--user", "admin", "--password-stdin", *room.where, "migrate-to", *target, stdin=DEMO + "\n")
        assert "不是本机台账" in one_chinese_line(moved)
    # what a new password is asked for after the signing-in one, where the command needs one
    extra = {"account add": "Fangzi-2026\n", "account reset-password": "Temporary-77\n"}
    local_only = {"backup", "restore"}  # a server register is backed up by pg_dump
    for command, args in arguments.items():
        line = [*room.where, *command.split(), *args]
        wrong = wuye(env, "--user", "admin", "--password-stdin", *line, stdin="Wrong-pass-1\n" + extra.get(command, ""))
        assert "密码不正确" in one_chinese_line(wrong), command

        viewer = wuye(env, "--user", "chakan", "--password-stdin", *line, stdin=DEMO + "\n" + extra.get(command, ""))
        if not _viewer_may(command):
            assert "李主任" in one_chinese_line(viewer) and "没有“" in viewer.stderr and "权限" in viewer.stderr, \
                command

        if command == "restore" and backend == "sqlite":
            made = wuye(env, *room.where, *as_account("admin")[0], "backup", stdin=DEMO)  # one of its own backups
            assert made.returncode == 0, made.stderr
            own = Path(made.stdout.split("：", 1)[1].splitlines()[0])
            (tmp_path / "备份.db").write_bytes(own.read_bytes())
        before = room.last_audit()
        right = wuye(env, "--user", "admin", "--password-stdin", *line, stdin=DEMO + "\n" + extra.get(command, ""))
        if backend == "postgresql" and command in local_only:  # signed in, then told why not here
            assert "pg_dump" in one_chinese_line(right) or "找不到" in right.stderr, (command, right.stderr)
            assert room.audit_after(before) == [(ADMIN_NAME, "login", "{}")], command
            continue
        if command == "migrate-to" and len(args[0].split(":1/")) == 2:
            assert "无法连接" in one_chinese_line(right)  # signed in and reached the (absent) server
            continue
        if command.startswith("print ") and command not in ("print registration", "print cover", "print record",
                                                              "print visit", "print casefile"):
            assert right.returncode in (0, 1), command  # case 1 may have no agreement of that kind
        else:
            assert right.returncode == 0, (command, right.stderr)
        actors = {actor for actor, _, _ in room.audit_after(before)} if command != "restore" else set()
        if command == "restore":
            assert room.audit_after(0)[-1][:2] == (ADMIN_NAME, "restore")
        else:
            assert actors == {ADMIN_NAME}, (command, room.audit_after(before))


def test_failures_lock_the_account_as_in_the_window(env: dict[str, str], room: Register) -> None:
    for attempt in range(1, 6):
        auth, pw = as_account("wenshu", "Wrong-pass-1")
        line = one_chinese_line(wuye(env, *room.where, *auth, "report", "monthly", "--year", YEAR,
                                     "-o", "x.xlsx", stdin=pw))
        assert ("已被锁定" in line) == (attempt == 5), line
    auth, pw = as_account("wenshu")
    assert "已被锁定" in one_chinese_line(wuye(env, *room.where, *auth, "backup", "--list", stdin=pw))
    auth, pw = as_account("admin")
    listing = wuye(env, *room.where, *auth, "account", "list", stdin=pw).stdout
    assert "锁定至" in next(line for line in listing.splitlines() if line.startswith("wenshu"))

    assert wuye(env, *room.where, *auth, "account", "deactivate", "chakan", stdin=pw).returncode == 0
    auth, pw = as_account("chakan")
    assert "已停用" in one_chinese_line(wuye(env, *room.where, *auth, "report", "monthly", "--year", YEAR,
                                             "-o", "x.xlsx", stdin=pw))

    auth, pw = as_account("admin")
    reset = wuye(env, *room.where, *auth, "account", "reset-password", "tiaojie", stdin=pw + "Temporary-77\n")
    assert reset.returncode == 0
    auth, pw = as_account("tiaojie", "Temporary-77")
    assert "临时密码" in one_chinese_line(wuye(env, *room.where, *auth, "print", "registration", "1",
                                               "-o", "x.pdf", stdin=pw))


# -- a new register and its recovery code -------------------------------------------------------------


def test_init_creates_the_first_administrator_and_demo_keeps_it(
    backend: str, db_url: str | None, env: dict[str, str], tmp_path: Path
) -> None:
    register = new_register(backend, db_url, tmp_path)
    weak = wuye(env, *register.where, "init", "--user", "admin", "--password-stdin", stdin="abc1\n")
    assert "至少需要8位" in one_chinese_line(weak)
    made = wuye(env, *register.where, "init", "--user", "admin", "--name", "王晓燕", "--password-stdin",
                stdin=DEMO + "\n")
    assert made.returncode == 0, made.stderr
    assert "已创建管理员账户 admin" in made.stdout and CODE.search(made.stdout)

    again = wuye(env, *register.where, "init", "--user", "admin", "--password-stdin", stdin="Wrong-pass-1\n")
    assert "密码不正确" in one_chinese_line(again), "a register with accounts: init signs in, creates nothing"

    demo = wuye(env, *register.where, "demo", "--cases", "20")
    assert demo.returncode == 0, demo.stderr
    assert "演示账户 tiaojie、wenshu、chakan" in demo.stdout, "admin was kept as it was"
    auth, pw = as_account("admin")
    listing = wuye(env, *register.where, *auth, "account", "list", stdin=pw)
    assert listing.returncode == 0 and "admin\t王晓燕\t管理员" in listing.stdout
    assert wuye(env, *register.where, "audit", "verify").returncode == 0


def test_init_without_an_account_says_how_to_make_one(env: dict[str, str], tmp_path: Path) -> None:
    made = wuye(env, "--data-dir", str(tmp_path / "data"), "init")
    assert made.returncode == 0 and "台账已就绪" in made.stdout
    assert "wuye init --user" in made.stdout


def test_the_recovery_code_resets_the_lost_administrators_password_once(
    backend: str, db_url: str | None, env: dict[str, str], tmp_path: Path
) -> None:
    register = new_register(backend, db_url, tmp_path)
    made = wuye(env, *register.where, "init", "--user", "admin", "--password-stdin", stdin="Lost-pass-2026\n")
    found = CODE.search(made.stdout)
    assert made.returncode == 0 and found
    first_code = found.group(1)

    wrong = wuye(env, *register.where, "account", "recover", "admin", "--code-stdin",
                 stdin="ABCD-EFGH-JKLM-NPQR-STUV\nNew-pass-2026\n")
    assert "恢复码不正确" in one_chinese_line(wrong) and "再输错 4 次" in wrong.stderr

    typed = first_code.lower().replace("-", " ")  # as a person copies it from paper
    done = wuye(env, *register.where, "account", "recover", "admin", "--code-stdin",
                stdin=f"{typed}\nNew-pass-2026\n")
    assert done.returncode == 0, done.stderr
    assert "已重设" in done.stdout
    second = CODE.search(done.stdout)
    assert second and second.group(1) != first_code
    second_code = second.group(1)

    auth, pw = as_account("admin", "Lost-pass-2026")
    assert "密码不正确" in one_chinese_line(wuye(env, *register.where, *auth, "account", "list", stdin=pw))
    auth, pw = as_account("admin", "New-pass-2026")
    assert wuye(env, *register.where, *auth, "account", "list", stdin=pw).returncode == 0

    used = wuye(env, *register.where, "account", "recover", "admin", "--code-stdin",
                stdin=f"{first_code}\nOther-pass-2026\n")
    assert "恢复码不正确" in one_chinese_line(used), "a used code no longer works"

    kept = register.everything()
    for code in (first_code, second_code):
        assert code not in kept and code.replace("-", "") not in kept, "only its hash is kept"
        assert code not in wrong.stderr + done.stderr + used.stderr
    actions = [(actor, action) for actor, action, _ in register.audit_after(0)]
    assert ("admin", "recover_account") in actions and actions.count(("admin", "new_recovery_code")) == 2


def test_wrong_codes_lock_the_account_and_only_administrators_recover(env: dict[str, str], room: Register) -> None:
    auth, pw = as_account("admin")
    assert wuye(env, *room.where, *auth, "account", "new-recovery-code", stdin=pw).returncode == 0
    for attempt in range(1, 6):
        wrong = wuye(env, *room.where, "account", "recover", "admin", "--code-stdin",
                     stdin="ABCD-EFGH-JKLM-NPQR-STUV\nNew-pass-2026\n")
        assert ("已被锁定" in one_chinese_line(wrong)) == (attempt == 5)
    auth, pw = as_account("admin")
    assert "已被锁定" in one_chinese_line(wuye(env, *room.where, *auth, "account", "list", stdin=pw))

    viewer = wuye(env, *room.where, "account", "recover", "chakan", "--code-stdin",
                  stdin="ABCD-EFGH-JKLM-NPQR-STUV\nNew-pass-2026\n")
    assert "管理员" in one_chinese_line(viewer)
    no_terminal = wuye(env, *room.where, "account", "recover", "admin", stdin="x\n")
    assert "--code-stdin" in one_chinese_line(no_terminal)


def test_an_administrator_makes_a_new_code_for_a_register_that_has_none(env: dict[str, str], room: Register) -> None:
    none_yet = wuye(env, *room.where, "account", "recover", "admin", "--code-stdin",
                    stdin="ABCD-EFGH-JKLM-NPQR-STUV\nNew-pass-2026\n")
    assert "没有恢复码" in one_chinese_line(none_yet)
    auth, pw = as_account("admin")
    made = wuye(env, *room.where, *auth, "account", "new-recovery-code", stdin=pw)
    found = CODE.search(made.stdout)
    assert made.returncode == 0 and found
    done = wuye(env, *room.where, "account", "recover", "admin", "--code-stdin",
                stdin=f"{found.group(1)}\nNew-pass-2026\n")
    assert done.returncode == 0, done.stderr


def test_demo_is_no_way_into_a_real_register(
    backend: str, db_url: str | None, env: dict[str, str], tmp_path: Path
) -> None:
    register = new_register(backend, db_url, tmp_path)
    made = wuye(env, *register.where, "init", "--user", "zhang", "--name", "张主任", "--password-stdin",
                stdin="Fangzi-2026\n")
    assert made.returncode == 0, made.stderr
    auth, pw = as_account("zhang", "Fangzi-2026")
    imported = wuye(env, *register.where, *auth, "import", "hotline", str(samples.gbk_csv(tmp_path / "工单.csv")),
                    stdin=pw)
    assert imported.returncode == 0, imported.stderr
    before = register.last_audit()
    refused = wuye(env, *register.where, "demo", "--cases", "20")
    assert "不是演示台账" in one_chinese_line(refused)
    assert register.audit_after(before) == [], "no demo case and no demo account was added"
    auth, pw = as_account("admin")
    assert "用户名或密码不正确" in one_chinese_line(wuye(env, *register.where, *auth, "account", "list", stdin=pw))
