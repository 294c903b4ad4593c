"""What once replaced the register or ended in a crash report, through the installed ``wuye`` in a fresh process.

Each is now refused with one Chinese line and a non-zero exit that is not 70 (the crash handler's): an output
aimed at the register or at what the program keeps, a file already there without ``--force``, a case
reference too big to be one, report periods in year 1 or 9999, a damaged register, a bad ``--db-url``, a path
of bytes that are not UTF-8, a 12345 row dated 0001-01-01. The crash handler itself survives such names.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from cli_signing import as_admin
from damage import damage_register

WUYE = Path(sys.executable).with_name("wuye")
YEAR = str(date.today().year)
MONTH = f"{date.today():%Y-%m}"


def clean_env(tmp: Path, base: Path) -> dict[str, str]:
    """A fresh home in ``tmp``; every command of this module on one PC, whose keys are kept under ``base``."""
    env = {k: v for k, v in os.environ.items() if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL", "WUYE_DEBUG")}
    env["WUYE_CONFIG_DIR"] = str(base / "config")
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), TMPDIR=str(tmp))
    return env


def wuye(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``wuye`` signed in as the demo administrator where the command needs an account."""
    line, typed = as_admin(args, stdin)
    return subprocess.run([str(WUYE), *line], env=env, input=typed, capture_output=True, text=True, timeout=180,
                          check=False)


def many(env: dict[str, str], commands: Sequence[Sequence[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Several commands at once (each is a fresh process): the answers in the order asked."""
    with ThreadPoolExecutor(3) as pool:
        return list(pool.map(lambda args: wuye(env, *args), commands))


def one_chinese_line(result: subprocess.CompletedProcess[str], tmp: Path) -> str:
    """The failure as a user meets it: a non-zero exit that is not a crash, one line of Chinese, no traceback."""
    said = result.stdout + result.stderr
    assert "Traceback" not in said, said
    assert result.returncode not in (0, 70), (result.returncode, said)
    assert not list(tmp.glob("wuye-crash-*.txt")), said
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert any("\u4e00" <= c <= "\u9fff" for c in lines[0]), lines[0]
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kept(folder: Path) -> dict[Path, str]:
    return {p: digest(p) for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith("wuye.db")}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("doors")


@pytest.fixture(scope="module")
def room(base: Path) -> Path:
    """A demo register, as on the demo computer: no backup of it yet."""
    folder = base / "room"
    done = wuye(clean_env(base, base), "--data-dir", str(folder), "demo", "--cases", "60", "--seed", "4")
    assert done.returncode == 0, done.stderr
    assert not list((folder / "backups").iterdir())
    return folder


@pytest.fixture
def env(tmp_path: Path, base: Path) -> dict[str, str]:
    return clean_env(tmp_path, base)


def register_bytes(folder: Path) -> str:
    """Every row of the register but the administrator's sign-in (its audit entry, last sign-in, chain head)."""
    conn = sqlite3.connect(folder / "wuye.db")
    try:
        found = hashlib.sha256()
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")]
        for table in tables:
            if "fts" in table or table == "user_account":
                continue  # the search index is derived; an account's row holds its last sign-in
            where = {"audit_event": " WHERE action != 'login'", "setting": " WHERE key NOT LIKE 'audit.%'"}
            for row in conn.execute(f'SELECT * FROM "{table}"{where.get(table, "")} ORDER BY 1'):
                found.update(repr(row).encode())
        return found.hexdigest()
    finally:
        conn.close()


# -- no output over the register or what the program keeps ----------------------------------------


def test_an_exchange_export_aimed_at_the_register_is_refused_and_the_register_stays(
        room: Path, env: dict[str, str], tmp_path: Path) -> None:
    before = register_bytes(room)
    for extra in ([], ["--force"]):
        line = one_chinese_line(wuye(env, "--data-dir", str(room), "exchange", "export", "--period", MONTH,
                                     "-o", str(room / "wuye.db"), *extra), tmp_path)
        assert "wuye.db" in line and ".wyx" in line
    assert register_bytes(room) == before
    check = wuye(env, "--data-dir", str(room), "check")
    assert check.returncode == 0 and "检查通过" in check.stdout


@pytest.mark.parametrize(("command", "suffix"), [
    (["exchange", "export", "--period", YEAR], ".wyx"),
    (["report", "monthly", "--year", YEAR], ".xlsx"),
    (["export", "replies", "--year", YEAR], ".xlsx"),
    (["print", "registration", "1"], ".pdf"),
])
def test_no_output_lands_on_the_register_or_in_what_the_program_keeps(
        room: Path, env: dict[str, str], tmp_path: Path, command: list[str], suffix: str) -> None:
    before, files = register_bytes(room), kept(room)
    link = tmp_path / f"链接{suffix}"
    link.symlink_to(room / "wuye.db")
    wal = tmp_path / f"日志{suffix}"
    wal.symlink_to(room / "wuye.db-wal")
    targets = [link, room / "logs" / ".." / "backups" / f"x{suffix}", room / "wuye.db"]
    if command[0] == "exchange":  # the command of the report: every place, the others the main ones
        targets += [wal, room / "backups" / f"x{suffix}", room / "attachments" / f"x{suffix}",
                    room / "logs" / f"x{suffix}"]
    results = many(env, [["--data-dir", str(room), *command, "-o", str(t), "--force"] for t in targets])
    for target, result in zip(targets, results, strict=True):
        line = one_chinese_line(result, tmp_path)
        assert any(word in line for word in ("台账数据库", "backups", "attachments", "logs", suffix)), (target, line)
    assert register_bytes(room) == before and kept(room) == files


def test_a_file_already_there_is_replaced_only_with_force(room: Path, env: dict[str, str], tmp_path: Path) -> None:
    for command, name in ((["report", "monthly", "--year", YEAR], "月报.xlsx"),
                          (["exchange", "export", "--period", YEAR], "报送.wyx"),
                          (["print", "registration", "1"], "登记表.pdf")):
        out = tmp_path / name
        out.write_bytes(b"the user's own file")
        line = one_chinese_line(wuye(env, "--data-dir", str(room), *command, "-o", str(out)), tmp_path)
        assert "已存在" in line and "--force" in line
        assert out.read_bytes() == b"the user's own file"
        done = wuye(env, "--data-dir", str(room), *command, "-o", str(out), "--force")
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() != b"the user's own file" and out.stat().st_size > 1000
    assert openpyxl.load_workbook(tmp_path / "月报.xlsx").sheetnames[0] == "汇总"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".wuye-")]


@pytest.mark.skipif(not os.environ.get("WUYE_TEST_PG_URL"), reason="needs the test PostgreSQL server")
def test_on_a_server_the_data_folder_is_kept_too(env: dict[str, str], tmp_path: Path, pg_database: str) -> None:
    env = dict(env, WUYE_CONFIG_DIR=os.environ["WUYE_CONFIG_DIR"])  # where pg_database left its register's keys
    data = tmp_path / "data"
    assert wuye(env, "--data-dir", str(data), "--db-url", pg_database, "init").returncode == 0
    line = one_chinese_line(wuye(env, "--data-dir", str(data), "--db-url", pg_database, "report", "monthly",
                                 "--year", YEAR, "-o", str(data / "logs" / "月报.xlsx")), tmp_path)
    assert "logs" in line and sorted(p.name for p in (data / "logs").iterdir()) == ["faults.log", "wuye-cli.log"]
    out = tmp_path / "月报.xlsx"
    done = wuye(env, "--data-dir", str(data), "--db-url", pg_database, "report", "monthly", "--year", YEAR,
                "-o", str(out))
    assert done.returncode == 0 and out.exists(), done.stderr


# -- inputs that ended in a crash report --------------------------------------------------------------


CRASHED = [
    (["print", "agreement", "99999999999999999999999", "-o", "x.pdf"], "找不到案件"),
    (["print", "agreement", "2147483648", "-o", "x.pdf"], "找不到案件"),
    (["report", "monthly", "--month", "0001-01", "-o", "x.xlsx"], "2000年1月1日"),
    (["report", "monthly", "--year", "0001", "-o", "x.xlsx"], "2000年1月1日"),
    (["report", "monthly", "--year", "9999", "-o", "x.xlsx"], "还没有开始"),
    (["report", "monthly", "--quarter", "9999Q4", "-o", "x.xlsx"], "还没有开始"),
    (["report", "monthly", "--from", "0001-01-01", "--to", "0001-01-31", "-o", "x.xlsx"], "2000年1月1日"),
    (["export", "replies", "--year", "9999", "-o", "x.xlsx"], "还没有开始"),
    (["export", "replies", "--month", "0001-01", "-o", "x.xlsx"], "2000年1月1日"),
    (["exchange", "export", "--period", "0000", "-o", "x.wyx"], "不存在"),
    (["exchange", "export", "--period", "0001", "-o", "x.wyx"], "早于"),
]


def test_inputs_that_crashed_are_one_chinese_line(room: Path, env: dict[str, str], tmp_path: Path) -> None:
    commands = [["--data-dir", str(room), *(str(tmp_path / a) if a.startswith("x.") else a for a in args)]
                for args, _said in CRASHED]
    for (args, said), result in zip(CRASHED, many(env, commands), strict=True):
        assert said in one_chinese_line(result, tmp_path), args
    assert not list(tmp_path.glob("x.*"))


def test_a_hotline_row_dated_year_one_registers_no_case(env: dict[str, str], tmp_path: Path) -> None:
    table = tmp_path / "工单.csv"
    table.write_text("工单编号,来电人,联系电话,受理时间,主要内容,诉求类别\n"
                     "GD0001,钱先生,13811112222,0001-01-01,楼道堆放杂物，存在消防隐患,举报\n", encoding="utf-8")
    data = tmp_path / "data"
    assert wuye(env, "--data-dir", str(data), "init").returncode == 0  # and its first administrator
    done = wuye(env, "--data-dir", str(data), "import", "hotline", str(table))
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert "登记日期1年1月1日不在合理的范围内：应在2000年1月1日至" in done.stdout
    conn = sqlite3.connect(data / "wuye.db")
    try:
        assert conn.execute("SELECT count(*) FROM mediation_case").fetchone() == (0,)
    finally:
        conn.close()


# -- a damaged register, a bad --db-url ------------------------------------------------------------


def _damaged(room: Path, tmp: Path, how: str) -> Path:
    folder = tmp / f"damaged-{how}"
    shutil.copytree(room, folder)
    live = folder / "wuye.db"
    if how == "not a database":
        live.write_bytes(b"PK\x03\x04" + os.urandom(50_000))  # what an exchange file over it left
        for sidecar in ("wuye.db-wal", "wuye.db-shm"):
            (folder / sidecar).unlink(missing_ok=True)
    elif how == "a damaged page":
        damage_register(live)
    else:  # a table dropped by another program
        conn = sqlite3.connect(live)
        conn.execute("DROP TABLE return_visit")
        conn.commit()
        conn.close()
    return folder


def _every_command(tmp: Path) -> list[list[str]]:
    """Every command but check, backup and server test, with what it needs to get as far as the register."""
    hotline = tmp / "工单.csv"
    hotline.write_text("工单编号,来电人,受理时间,主要内容\nGD1,钱先生,2026-10-01,楼道堆放杂物\n", encoding="utf-8")
    exchange_file = tmp / "报送.wyx"
    exchange_file.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return [
        ["init"], ["demo", "--cases", "5"], ["audit", "verify"], ["account", "list"],
        ["account", "add", "xiaowang", "--role", "clerk"], ["account", "unlock", "admin"],
        ["report", "monthly", "--year", YEAR, "-o", str(tmp / "r.xlsx")],
        ["export", "replies", "--year", YEAR, "-o", str(tmp / "h.xlsx")],
        ["import", "hotline", str(hotline)], ["print", "agreement", "1", "-o", str(tmp / "p.pdf")],
        ["exchange", "export", "--period", YEAR, "-o", str(tmp / "e.wyx")], ["exchange", "import", str(exchange_file)],
        ["migrate-to", "postgresql+psycopg://postgres@127.0.0.1:1/wuye"],
    ]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["not a database", "a damaged page", "a dropped table"])
def test_every_command_on_a_damaged_register_is_one_chinese_line(room: Path, env: dict[str, str],
                                                                  tmp_path: Path, how: str) -> None:
    folder = _damaged(room, tmp_path, how)
    before = digest(folder / "wuye.db")
    commands = _every_command(tmp_path)
    if how != "not a database":  # what the observed export left: every command; the other damage, a few
        commands = [c for c in commands if c[0] in ("account", "report", "print")][:3]
    for args, result in zip(commands, many(env, [["--data-dir", str(folder), *c] for c in commands]), strict=True):
        line = one_chinese_line(result, tmp_path)
        assert any(word in line for word in ("损坏", "不是有效", "缺少数据表")), (args, line)
    assert digest(folder / "wuye.db") == before
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".pdf") or p.name == "e.wyx"]


BAD_URLS = {
    "not an address": ("postgres//没有冒号", "无法识别"),
    "another database": ("mysql://wuye@127.0.0.1/wuye", "只能是 PostgreSQL"),
    "a server that does not answer": ("postgresql://wuye@127.0.0.1:1/wuye", "无法连接"),
    "a port that is not a number": ("postgresql://wuye@127.0.0.1:端口/wuye", "无法识别"),
}


@pytest.mark.slow
@pytest.mark.parametrize("bad", list(BAD_URLS))
def test_a_bad_db_url_is_one_chinese_line_on_every_command(env: dict[str, str], tmp_path: Path, bad: str) -> None:
    url, said = BAD_URLS[bad]
    commands = [*_every_command(tmp_path), ["backup"], ["restore", str(tmp_path / "备份.db"), "-y"]]
    if bad != "not an address":  # every command reads the address the same way: all once, then a few
        commands = [c for c in commands if c[0] in ("init", "account", "report", "backup")][:4]
    results = many(env, [["--data-dir", str(tmp_path / "data"), "--db-url", url, *c] for c in commands])
    for args, result in zip(commands, results, strict=True):
        line = one_chinese_line(result, tmp_path)
        assert url not in line  # an address may carry a password: never repeated
        if args[0] not in ("backup", "restore", "migrate-to"):  # these refuse a server register for a reason of theirs
            assert said in line, (args, line)
    env_url = {**env, "WUYE_DB_URL": url}
    assert said in one_chinese_line(wuye(env_url, "--data-dir", str(tmp_path / "data"), "account", "list"), tmp_path)
    checked = wuye(env, "--data-dir", str(tmp_path / "data"), "--db-url", url, "check")  # a report, not one line
    assert checked.returncode == 1 and "Traceback" not in checked.stdout + checked.stderr


# -- names that are not UTF-8 ---------------------------------------------------------------------------


def not_utf8(folder: Path, name: bytes) -> str:
    """A path as Linux hands it to a program when its bytes are not UTF-8 (lone surrogates in Python)."""
    return os.fsdecode(os.fsencode(str(folder)) + b"/" + name)


def test_a_path_that_is_not_utf8_is_one_chinese_line(room: Path, env: dict[str, str], tmp_path: Path) -> None:
    odd = not_utf8(tmp_path, b"\xb2\xe2\xca\xd4")  # 测试 in GBK, as a Chinese Windows share may hand it over
    for args in (["--data-dir", odd, "init"],
                 ["--data-dir", str(room), "report", "monthly", "--year", YEAR, "-o", odd + ".xlsx"],
                 ["--data-dir", str(room), "print", "agreement", "1", "-o", odd + ".pdf"],
                 ["--data-dir", str(room), "exchange", "export", "--period", YEAR, "-o", odd + ".wyx"],
                 ["--data-dir", str(room), "backup", "-o", odd],
                 ["--data-dir", str(room), "exchange", "import", odd + ".wyx"]):
        line = one_chinese_line(wuye(env, *args), tmp_path)
        assert "\\xb2\\xe2\\xca\\xd4" in line and "UTF-8" in line
    assert sorted(os.listdir(os.fsencode(str(tmp_path)))) == [b"home"]  # nothing was written under such a name
    in_env = {**env, "WUYE_DATA_DIR": odd}
    assert "UTF-8" in one_chinese_line(wuye(in_env, "init"), tmp_path)


def test_the_crash_handler_survives_a_name_that_is_not_utf8(env: dict[str, str], tmp_path: Path) -> None:
    """A real bug (here: raised on purpose by the handler) while such a name is about: the report is written."""
    odd = not_utf8(tmp_path, b"\xff\xfe")
    program = ("import argparse, sys\n"
               "from wuye_desktop.cli import run\n"
               f"sys.argv = ['wuye', '--data-dir', {odd!r}]\n"
               f"def handler(_args): raise RuntimeError('一个程序错误：' + {odd!r})\n"
               "sys.exit(run(handler, argparse.Namespace()))\n")
    for folder in (tmp_path, Path(not_utf8(tmp_path, b"\xb2\xe2"))):
        folder.mkdir(exist_ok=True)
        done = subprocess.run([sys.executable, "-c", program], env={**env, "TMPDIR": str(folder)},
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 70 and "Traceback" not in done.stderr, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("程序内部错误，操作未完成。详细信息已写入 ")
        [report] = [p for p in folder.iterdir() if p.name.startswith("wuye-crash-")]
        text = report.read_text(encoding="utf-8")
        assert "RuntimeError: 一个程序错误：" in text and "\\udcff\\udcfe" in text
