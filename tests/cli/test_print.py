"""``wuye print ...`` as an administrator runs it: the installed command in a fresh process.

A demo register, every document printed for a case that has a signed
agreement, and the failures a person meets: a wrong case number, a case
without an agreement, a folder that cannot be written. Each failure is one
Chinese line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_signing import as_admin
from pypdf import PdfReader

WUYE = Path(sys.executable).with_name("wuye")


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("print")
    env = {k: v for k, v in os.environ.items() if k not in ("WUYE_DATA_DIR", "WUYE_DB_URL", "WUYE_DEBUG")}
    env.update(HOME=str(base), TMPDIR=str(base))
    folder = base / "room"
    assert run(env, "--data-dir", str(folder), "demo", "--cases", "60", "--seed", "5").returncode == 0
    return folder, env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    line, stdin = as_admin(args)
    result = subprocess.run([str(WUYE), *line], env=env, input=stdin, capture_output=True, text=True, timeout=120,
                            check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def query(folder: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(folder / "wuye.db")
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def text_of(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "".join("".join((p.extract_text() or "").split()) for p in reader.pages)


def signed_case(folder: Path, kind: str = "written") -> tuple[str, str]:
    [(case, agreement)] = query(folder, "SELECT c.number, a.number FROM mediation_case c JOIN agreement a "
                                        f"ON a.case_id = c.id WHERE a.status = 'signed' AND a.kind = '{kind}' "
                                        "ORDER BY c.id LIMIT 1")
    return str(case), str(agreement)


def test_print_agreement_by_case_number(room: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    folder, env = room
    case, agreement = signed_case(folder)
    out = tmp_path / "协议书.pdf"
    done = run(env, "--data-dir", str(folder), "print", "agreement", case, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "已生成人民调解协议书" in done.stdout and agreement in done.stdout
    text = text_of(out)
    for word in ("人民调解协议书", agreement, "纠纷", "经调解", "履行", "一式三份", "调解员", "记录人",
                 "年", "月", "日"):
        assert word in text, word


def test_every_document_prints_by_case_id(room: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    folder, env = room
    case, _agreement = signed_case(folder)
    [(case_id,)] = query(folder, f"SELECT id FROM mediation_case WHERE number = '{case}'")
    expected = {"registration": "人民调解受理登记表", "record": "记录", "visit": "人民调解回访记录",
                "cover": "卷内目录", "casefile": "人民调解卷宗"}
    for command, title in expected.items():
        out = tmp_path / f"{command}.pdf"
        done = run(env, "print", command, str(case_id), "-o", str(out), "--data-dir", str(folder))
        assert done.returncode == 0, (command, done.stderr)
        assert title in text_of(out)


def test_an_oral_agreement_prints_its_register_form(room: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    folder, env = room
    case, agreement = signed_case(folder, "oral")
    out = tmp_path / "口头协议"  # the .pdf is added
    done = run(env, "--data-dir", str(folder), "print", "oral-agreement", case, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert agreement in text_of(out.with_name("口头协议.pdf"))


def plain_failure(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：")
    return lines[0]


def test_failures_are_one_chinese_line(room: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    folder, env = room
    out = tmp_path / "x.pdf"
    bad = plain_failure(run(env, "--data-dir", str(folder), "print", "agreement", "no-such-case", "-o", str(out)))
    assert "找不到案件" in bad
    [(unsigned,)] = query(folder, "SELECT number FROM mediation_case WHERE id NOT IN "
                                  "(SELECT case_id FROM agreement WHERE status = 'signed') ORDER BY id LIMIT 1")
    none = plain_failure(run(env, "--data-dir", str(folder), "print", "agreement", str(unsigned), "-o", str(out)))
    assert "还没有签署生效的调解协议" in none
    case, _agreement = signed_case(folder)
    blocked = tmp_path / "占用"
    blocked.write_text("a file where a folder should be")
    cannot = plain_failure(run(env, "--data-dir", str(folder), "print", "agreement", case,
                               "-o", str(blocked / "协议书.pdf")))
    assert "无法保存" in cannot
    assert not out.exists()
    assert run(env, "--data-dir", str(folder), "print", "agreement").returncode == 2
