"""``wuye exchange``, ``wuye migrate-to`` and ``wuye server test`` as an administrator runs them.

The installed console script in a fresh process; every failure is one Chinese
line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from cli_signing import as_admin
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from exchange_forgery import Edit, forge, signing_key_of
from pg_throwaway import ThrowawayServer

WUYE = Path(sys.executable).with_name("wuye")
YEAR = str(date.today().year)  # the demo's cases lead up to the real today


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL", "WUYE_DEBUG")}
    home = tmp_path / "home"
    home.mkdir()
    clean.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), TMPDIR=str(tmp_path))
    return clean


@pytest.fixture(scope="module")
def pg() -> Iterator[ThrowawayServer]:
    found = ThrowawayServer()
    found.start()
    yield found
    found.remove()


def wuye(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    line, stdin = as_admin(args)
    result = subprocess.run([str(WUYE), *line], env=env, input=stdin, capture_output=True, text=True, timeout=120,
                            check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def failed_plainly(result: subprocess.CompletedProcess[str], tmp_path: Path) -> str:
    assert result.returncode == 1
    assert not list(tmp_path.glob("wuye-crash-*.txt"))
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：")
    return lines[0]


def case_numbers(data_dir: Path) -> set[str]:
    conn = sqlite3.connect(data_dir / "wuye.db")
    try:
        return {r[0] for r in conn.execute("SELECT number FROM mediation_case")}
    finally:
        conn.close()


@pytest.fixture
def room(env: dict[str, str], tmp_path: Path) -> Path:
    folder = tmp_path / "room"
    assert wuye(env, "--data-dir", str(folder), "demo", "--cases", "40", "--seed", "8").returncode == 0
    return folder


def test_export_then_import_once_twice_and_a_damaged_copy(env: dict[str, str], room: Path, tmp_path: Path) -> None:
    out = tmp_path / "幸福里 报送.wyx"
    done = wuye(env, "--data-dir", str(room), "exchange", "export", "--period", YEAR, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "已导出" in done.stdout and "打码" in done.stdout and out.stat().st_size > 0

    county = tmp_path / "county"
    assert wuye(env, "--data-dir", str(county), "init").returncode == 0
    first = wuye(env, "exchange", "import", str(out), "--data-dir", str(county))
    assert first.returncode == 0, first.stderr
    fingerprint = next(line for line in done.stdout.splitlines() if line.startswith("签名指纹")).split("：")[1][:29]
    assert "首次导入调解室" in first.stdout and fingerprint in first.stdout  # pinned, and shown to compare
    numbers = case_numbers(county)
    assert numbers and numbers <= case_numbers(room)  # the year's cases, under the room's own numbers
    assert f"共 {len(numbers)} 件案件；新增 {len(numbers)} 件" in first.stdout

    second = wuye(env, "--data-dir", str(county), "exchange", "import", str(out))
    assert second.returncode == 0 and "没有变化" in second.stdout
    assert case_numbers(county) == numbers

    bad = tmp_path / "bad.wyx"
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    line = failed_plainly(wuye(env, "--data-dir", str(county), "exchange", "import", str(bad)), tmp_path)
    assert "bad.wyx" in line and "没有导入任何数据" in line


def register_uid(data_dir: Path) -> str:
    conn = sqlite3.connect(data_dir / "wuye.db")
    try:
        return str(conn.execute("SELECT value FROM setting WHERE key = 'register.uid'").fetchone()[0]).strip('"')
    finally:
        conn.close()


def _set_case(field: str, value: object) -> Edit:
    def edit(_manifest: dict[str, object], tables: dict[str, list[dict[str, object]]]) -> None:
        tables["mediation_case"][0][field] = value
    return edit


def test_a_new_room_is_trusted_by_its_fingerprint_when_asked_and_forged_files_are_one_line(
        env: dict[str, str], room: Path, tmp_path: Path) -> None:
    out = tmp_path / "幸福里.wyx"
    done = wuye(env, "--data-dir", str(room), "exchange", "export", "--period", YEAR, "-o", str(out))
    [fingerprint] = [line.split("：", 1)[1].split("（")[0] for line in done.stdout.splitlines()
                     if line.startswith("签名指纹")]
    county = tmp_path / "county"
    assert wuye(env, "--data-dir", str(county), "init").returncode == 0

    untrusted = failed_plainly(wuye(env, "--data-dir", str(county), "exchange", "import", str(out),
                                    "--known-rooms-only"), tmp_path)
    assert "幸福里.wyx" in untrusted and fingerprint in untrusted and "--fingerprint" in untrusted
    wrong = wuye(env, "--data-dir", str(county), "exchange", "import", str(out), "--fingerprint", "0000")
    assert "不符" in failed_plainly(wrong, tmp_path)
    assert not case_numbers(county)
    confirmed = wuye(env, "--data-dir", str(county), "exchange", "import", str(out),
                     "--fingerprint", fingerprint.replace(" ", "").lower())
    assert confirmed.returncode == 0, confirmed.stderr
    numbers = case_numbers(county)

    room_key = signing_key_of(register_uid(room))
    for name, edit, words in (
            ("nan.wyx", _set_case("version", "NaN"), ("mediation_case", "version", "应为整数")),
            ("huge.wyx", _set_case("seq", 10**30), ("mediation_case", "seq", "超出允许的范围")),
            ("status.wyx", _set_case("status", "bribed"), ("mediation_case", "status", "不是本程序认识的取值"))):
        forged = forge(out, tmp_path / name, edit, sign_with=room_key)
        line = failed_plainly(wuye(env, "--data-dir", str(county), "exchange", "import", str(forged)), tmp_path)
        assert name in line and all(w in line for w in words) and "没有导入任何数据" in line

    other = Ed25519PrivateKey.generate()
    resigned = forge(out, tmp_path / "resigned.wyx", _set_case("summary", "改写"), sign_with=other)
    line = failed_plainly(wuye(env, "--data-dir", str(county), "exchange", "import", str(resigned)), tmp_path)
    assert fingerprint in line and "黄石港街道幸福里社区人民调解委员会" in line and "伪造" in line
    assert case_numbers(county) == numbers


def test_remove_mode_from_the_command_line(env: dict[str, str], room: Path, tmp_path: Path) -> None:
    out = tmp_path / "removed.wyx"
    result = wuye(env, "--data-dir", str(room), "exchange", "export", "--period", YEAR, "-o", str(out),
                  "--personal", "remove")
    assert result.returncode == 0 and "删除" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["exchange", "export", "--period", "明年", "-o", "x.wyx"], "无法识别"),
    (["exchange", "import", "no-such-file.wyx"], "找不到文件"),
])
def test_mistakes_are_one_chinese_line(env: dict[str, str], tmp_path: Path, args: list[str], message: str) -> None:
    assert wuye(env, "--data-dir", str(tmp_path / "data"), "init").returncode == 0  # and its administrator
    result = wuye(env, "--data-dir", str(tmp_path / "data"), *args)
    assert message in failed_plainly(result, tmp_path)


def test_server_test_and_migrate_to(env: dict[str, str], room: Path, tmp_path: Path, pg: ThrowawayServer) -> None:
    url = pg.create_database("wuye_cli")
    tested = wuye(env, "server", "test", url)
    assert tested.returncode == 0 and "连接成功" in tested.stdout and "wuye init" in tested.stdout

    moved = wuye(env, "--data-dir", str(room), "migrate-to", url)
    assert moved.returncode == 0, moved.stderr
    assert "40 件案件已迁移" in moved.stdout and "校验一致" in moved.stdout

    checked = wuye(env, "--db-url", url, "check")
    assert checked.returncode == 0, checked.stderr
    assert "案件 40 件" in wuye(env, "server", "test", url).stdout

    again = wuye(env, "--data-dir", str(room), "migrate-to", url)
    assert "已有 40 件案件" in failed_plainly(again, tmp_path)


def test_unreachable_server_and_missing_register(env: dict[str, str], tmp_path: Path) -> None:
    down = wuye(env, "server", "test", "postgresql+psycopg://postgres@127.0.0.1:1/wuye")
    assert "无法连接数据库服务器" in failed_plainly(down, tmp_path)
    nothing = wuye(env, "--data-dir", str(tmp_path / "empty"), "migrate-to", "postgresql://u@127.0.0.1:1/w")
    assert "没有台账" in failed_plainly(nothing, tmp_path)
